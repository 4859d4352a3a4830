package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * SigV4 signatures are verified where underpass knows the secret (static keys given with one, credentials its STS
 * issued) and accepted as they are where it does not.
 */
class SignatureTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ALICE_KEY = "AKIAALICESIGNED";
    private static final String ALICE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYALICEKEY";
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    private static final String BOB_KEY = "AKIABOBANYSECRET";
    private static final String BOB = "arn:aws:iam::" + ACCOUNT + ":user/bob";
    private static final String DESCRIBE_VPCS = "Action=DescribeVpcs&Version=2016-11-15";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(ServerConfig.forTests()
            .withAccessKeys(Map.of(ALICE_KEY, ALICE, BOB_KEY, BOB), Map.of(ALICE_KEY, ALICE_SECRET)));

    private static StaticCredentialsProvider provider(AwsCredentials credentials) {
        return StaticCredentialsProvider.create(credentials);
    }

    private static Ec2Client ec2(AwsCredentials credentials) {
        return Ec2Client.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(provider(credentials)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static ElasticLoadBalancingV2Client elbv2(AwsCredentials credentials) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(provider(credentials)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(provider(credentials)).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static void assertError(Runnable call, String code, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    /**
     * EC2's answer to a signature that does not verify: {@code AuthFailure} (401). The JDK's HttpURLConnection does
     * not hand the SDK the body of a 401 to a streamed POST, so the SDK sees the status; the code is checked on a
     * raw request signed with the same (wrong) secret.
     */
    private static void assertEc2RejectsSignature(AwsCredentials credentials) {
        assertThatThrownBy(() -> ec2(credentials).describeVpcs()).isInstanceOfSatisfying(AwsServiceException.class,
                e -> assertThat(e.statusCode()).isEqualTo(401));
        HttpResponse<String> r = send(signed(credentials, "ec2", DESCRIBE_VPCS), DESCRIBE_VPCS);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(RawHttp.code(r)).isEqualTo("AuthFailure");
        assertThat(r.body()).contains("<Response><Errors><Error>");
    }

    private static AwsCredentialsIdentity identity(AwsCredentials c) {
        return c instanceof AwsSessionCredentials s
                ? AwsSessionCredentialsIdentity.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken())
                : AwsCredentialsIdentity.create(c.accessKeyId(), c.secretAccessKey());
    }

    /** A form POST signed by the SDK's own SigV4 signer, for {@code body}. */
    private static SdkHttpRequest signed(AwsCredentials credentials, String service, String body) {
        SdkHttpRequest request =
                SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(UNDERPASS.endpoint().resolve("/"))
                        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity(credentials))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        return signed.request();
    }

    /** Sends a signed request's headers with {@code body} (which may not be the body it was signed for). */
    private static HttpResponse<String> send(SdkHttpRequest signed, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri()).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return RawHttp.send(b.build());
    }

    /** A GET presigned by the SDK's signer for {@code query}, signed at {@code at} and valid for {@code valid}. */
    private static URI presigned(AwsCredentials credentials, String service, String query, Instant at,
            Duration valid) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(UNDERPASS.endpoint().resolve("/?" + query)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity(credentials))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, valid)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        return signed.request().getUri();
    }

    private static HttpResponse<String> get(URI uri) {
        return RawHttp.send(HttpRequest.newBuilder(uri).GET().build());
    }

    private static AwsBasicCredentials alice(String secret) {
        return AwsBasicCredentials.create(ALICE_KEY, secret);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Static keys with a secret

    @Test
    void staticKeyWithTheRightSecret_isAcceptedByEc2Elbv2AndSts() {
        assertThat(ec2(alice(ALICE_SECRET)).describeVpcs().vpcs()).isNotNull();
        assertThat(elbv2(alice(ALICE_SECRET)).describeLoadBalancers().loadBalancers()).isEmpty();
        assertThat(sts(alice(ALICE_SECRET)).getCallerIdentity().arn()).isEqualTo(ALICE);
    }

    @Test
    void staticKeyWithAWrongSecret_failsWithAuthFailureOnEc2() {
        assertEc2RejectsSignature(alice("not-the-secret"));
    }

    @Test
    void staticKeyWithAWrongSecret_failsWithSignatureDoesNotMatchOnElbv2AndSts() {
        assertError(() -> elbv2(alice("not-the-secret")).describeLoadBalancers(), "SignatureDoesNotMatch", 403);
        assertError(() -> sts(alice("not-the-secret")).getCallerIdentity(), "SignatureDoesNotMatch", 403);
    }

    @Test
    void wrongSecret_isRejectedBeforeTheCallRuns() {
        assertThatThrownBy(() -> ec2(alice("nope")).createVpc(r -> r.cidrBlock("10.9.0.0/16")))
                .isInstanceOf(AwsServiceException.class);
        assertThat(ec2(alice(ALICE_SECRET)).describeVpcs(r -> r.filters(f -> f.name("cidr").values("10.9.0.0/16")))
                .vpcs()).isEmpty();
    }

    @Test
    void tamperedBody_withTheSignatureOfAnotherBody_fails() {
        String other = "Action=GetCallerIdentity&Version=2011-06-15";
        String tampered = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" + ACCOUNT
                + "%3Arole%2Fadmin&RoleSessionName=evil";
        SdkHttpRequest signed = signed(alice(ALICE_SECRET), "sts", other);
        assertThat(send(signed, other).statusCode()).isEqualTo(200);
        HttpResponse<String> r = send(signed, tampered);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(RawHttp.code(r)).isEqualTo("SignatureDoesNotMatch");
        assertThat(r.body()).contains("<ErrorResponse");
    }

    @Test
    void tamperedBody_withoutAContentHashHeader_failsOnTheSignature() {
        SdkHttpRequest signed = signed(alice(ALICE_SECRET), "ec2", DESCRIBE_VPCS).toBuilder()
                .removeHeader("x-amz-content-sha256").build();
        HttpResponse<String> r = send(signed, DESCRIBE_VPCS + "&VpcId.1=vpc-12345678");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(RawHttp.code(r)).isEqualTo("AuthFailure");
    }

    @Test
    void contentHashHeader_thatIsNotTheBodysHash_failsWithSignatureDoesNotMatch() {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SdkHttpRequest signed = signed(alice(ALICE_SECRET), "sts", body).toBuilder()
                .putHeader("x-amz-content-sha256", "0".repeat(64)).build();
        HttpResponse<String> r = send(signed, body);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(RawHttp.code(r)).isEqualTo("SignatureDoesNotMatch");
        assertThat(r.body()).contains("x-amz-content-sha256");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Temporary credentials

    @Test
    void sessionCredentialsFromAssumeRole_areVerifiedWithTheirSecret() {
        Credentials c = sts(alice(ALICE_SECRET)).assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/app")
                .roleSessionName("signed")).credentials();
        AwsSessionCredentials right = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                c.sessionToken());
        assertThat(sts(right).getCallerIdentity().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT
                + ":assumed-role/app/signed");
        assertThat(ec2(right).describeVpcs().vpcs()).isNotNull();
        assertThat(elbv2(right).describeLoadBalancers().loadBalancers()).isEmpty();

        AwsSessionCredentials wrong = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey() + "x",
                c.sessionToken());
        assertEc2RejectsSignature(wrong);
        assertError(() -> elbv2(wrong).describeLoadBalancers(), "SignatureDoesNotMatch", 403);
        assertError(() -> sts(wrong).getCallerIdentity(), "SignatureDoesNotMatch", 403);
    }

    @Test
    void sessionCredentialsFromGetSessionToken_areVerifiedWithTheirSecret() {
        Credentials c = sts(alice(ALICE_SECRET)).getSessionToken().credentials();
        assertThat(sts(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))
                .getCallerIdentity().arn()).isEqualTo(ALICE);
        assertError(() -> sts(AwsSessionCredentials.create(c.accessKeyId(), "wrong", c.sessionToken()))
                .getCallerIdentity(), "SignatureDoesNotMatch", 403);
    }

    @Test
    void credentialsStoredWithoutASecret_acceptAnySignature() {
        Instant now = Instant.now();
        String key = "ASIAOLDRECORDEXAMPL";
        StoredSessions.put(UNDERPASS, ACCOUNT, key, now.minusSeconds(60), now.plusSeconds(3600));
        assertThat(sts(AwsSessionCredentials.create(key, "anything", "old-token")).getCallerIdentity().arn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/old");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Keys without a known secret

    @Test
    void keysWithoutAKnownSecret_acceptAnySecret() {
        assertThat(sts(AwsBasicCredentials.create(BOB_KEY, "whatever")).getCallerIdentity().arn()).isEqualTo(BOB);
        assertThat(sts(AwsBasicCredentials.create(BOB_KEY, "something-else")).getCallerIdentity().arn())
                .isEqualTo(BOB);
        assertThat(ec2(AwsBasicCredentials.create("111111111111", "a")).describeVpcs().vpcs()).isNotNull();
        assertThat(ec2(AwsBasicCredentials.create("111111111111", "b")).describeVpcs().vpcs()).isNotNull();
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), DESCRIBE_VPCS,
                Map.of("Authorization", RawHttp.authorization(BOB_KEY, "us-east-1", "ec2"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Presigned requests

    @Test
    void presignedGet_withTheRightSecret_works() {
        URI uri = presigned(alice(ALICE_SECRET), "sts", "Action=GetCallerIdentity&Version=2011-06-15",
                Instant.now(), Duration.ofMinutes(5));
        assertThat(uri.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
        HttpResponse<String> r = get(uri);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("<Arn>" + ALICE + "</Arn>");
    }

    @Test
    void presignedGet_withAWrongSecretOrAChangedQuery_fails() {
        URI uri = presigned(alice("wrong"), "sts", "Action=GetCallerIdentity&Version=2011-06-15", Instant.now(),
                Duration.ofMinutes(5));
        HttpResponse<String> r = get(uri);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(RawHttp.code(r)).isEqualTo("SignatureDoesNotMatch");

        URI good = presigned(alice(ALICE_SECRET), "ec2", DESCRIBE_VPCS, Instant.now(), Duration.ofMinutes(5));
        assertThat(get(good).statusCode()).isEqualTo(200);
        HttpResponse<String> changed = get(URI.create(good.toString().replace("DescribeVpcs", "DescribeSubnets")));
        assertThat(changed.statusCode()).isEqualTo(401);
        assertThat(RawHttp.code(changed)).isEqualTo("AuthFailure");
    }

    @Test
    void presignedGet_pastItsExpiry_failsWithSignatureDoesNotMatchOnSts_andRequestExpiredOnEc2() {
        URI uri = presigned(alice(ALICE_SECRET), "sts", "Action=GetCallerIdentity&Version=2011-06-15",
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        HttpResponse<String> r = get(uri);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(RawHttp.code(r)).isEqualTo("SignatureDoesNotMatch");
        assertThat(r.body()).contains("<ErrorResponse").contains("Signature expired: ");

        URI ec2 = presigned(AwsBasicCredentials.create("111111111111", "any"), "ec2", DESCRIBE_VPCS,
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        HttpResponse<String> e = get(ec2);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(RawHttp.code(e)).isEqualTo("RequestExpired");
    }

    @Test
    void presignedGet_signedAnHourAgoButValidForTwo_stillWorks() {
        URI uri = presigned(alice(ALICE_SECRET), "sts", "Action=GetCallerIdentity&Version=2011-06-15",
                Instant.now().minus(Duration.ofHours(1)), Duration.ofHours(2));
        assertThat(get(uri).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Configuration

    @Test
    void accessKeySpecs_mayCarryASecret() {
        List<ServerConfig.AccessKeySpec> specs = ServerConfig.parseAccessKeySpecs(List.of(
                "AKIA1:abc/DEF+ghi=" + ALICE, "AKIA2=" + BOB));
        assertThat(specs).containsExactly(new ServerConfig.AccessKeySpec("AKIA1", "abc/DEF+ghi", ALICE),
                new ServerConfig.AccessKeySpec("AKIA2", null, BOB));
        assertThat(ServerConfig.parseAccessKeys(List.of("AKIA1:abc=" + ALICE))).containsExactly(
                Map.entry("AKIA1", ALICE));
        assertThatThrownBy(() -> ServerConfig.parseAccessKeySpecs(List.of("AKIA1:=" + ALICE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.parseAccessKeySpecs(List.of("AKIA1:topsecret")))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("topsecret");
        assertThatThrownBy(() -> ServerConfig.forTests().withAccessKeys(Map.of("AKIA1", ALICE),
                Map.of("AKIA2", "secret"))).isInstanceOf(IllegalArgumentException.class);
    }
}
