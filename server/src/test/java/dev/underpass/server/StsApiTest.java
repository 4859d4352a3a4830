package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.Caller;
import dev.underpass.model.sts.IssuedCredential;
import dev.underpass.model.sts.Principals;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.Tag;

class StsApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ALICE_KEY = "AKIAALICEEXAMPLE";
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(
            ServerConfig.forTests().withAccessKeys(Map.of(ALICE_KEY, ALICE)));

    private static StsClient sts(String accessKey) {
        return sts(UNDERPASS.endpoint(), AwsBasicCredentials.create(accessKey, "s"));
    }

    private static StsClient sts(URI endpoint, AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static AwsSessionCredentials session(Credentials c) {
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    private static Ec2Client ec2(AwsCredentials credentials) {
        return Ec2Client.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static ElasticLoadBalancingV2Client elbv2(AwsCredentials credentials) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static AssumeRoleResponse assume(String caller, String roleArn, String session) {
        return sts(caller).assumeRole(r -> r.roleArn(roleArn).roleSessionName(session));
    }

    private static void assertError(Runnable call, String code, int status) {
        AwsAssertions.assertAwsError(call, AwsServiceException.class, code, status);
    }

    /**
     * EC2's answer to credentials it does not recognise. The JDK's HttpURLConnection (under the SDK's URL-connection
     * client) does not hand a 401 body of a streamed POST to the SDK, so the SDK sees the status only; the code and
     * envelope are checked on the raw answer.
     */
    private static void assertEc2AuthFailure(AwsSessionCredentials credentials) {
        assertThatThrownBy(() -> ec2(credentials).describeVpcs()).isInstanceOfSatisfying(AwsServiceException.class,
                e -> assertThat(e.statusCode()).isEqualTo(401));
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("Authorization", RawHttp.authorization(credentials.accessKeyId(), "us-east-1", "ec2"),
                        "X-Amz-Date", RawHttp.amzDate(), "X-Amz-Security-Token", credentials.sessionToken()));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("<Code>AuthFailure</Code>");
    }

    private static void assertStsError(java.util.function.Consumer<AssumeRoleRequest.Builder> request, String code) {
        assertError(() -> sts(ACCOUNT).assumeRole(request), code, 400);
    }

    // ------------------------------------------------------------------------------------------------------------
    // GetCallerIdentity

    @Test
    void getCallerIdentity_namesTheAccountOfTheAccessKey() {
        GetCallerIdentityResponse id = sts("123456789012").getCallerIdentity();
        assertThat(id.account()).isEqualTo("123456789012");
        assertThat(id.arn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(id.userId()).isEqualTo("123456789012");
    }

    @Test
    void getCallerIdentity_otherAccessKeys_areTheDefaultAccount() {
        assertThat(sts("AKIAIOSFODNN7EXAMPLE").getCallerIdentity().account()).isEqualTo("000000000000");
    }

    @Test
    void getCallerIdentity_staticUserKey_isThatUser() {
        GetCallerIdentityResponse id = sts(ALICE_KEY).getCallerIdentity();
        assertThat(id.account()).isEqualTo(ACCOUNT);
        assertThat(id.arn()).isEqualTo(ALICE);
        assertThat(id.userId()).matches("AIDA[A-Z2-7]{17}").isEqualTo(Principals.userId(ALICE));
    }

    @Test
    void getCallerIdentity_assumedRoleCredentials_isTheSession() {
        AssumeRoleResponse r = assume(ACCOUNT, "arn:aws:iam::210987654321:role/deploy", "ci-run");
        GetCallerIdentityResponse id = sts(UNDERPASS.endpoint(), session(r.credentials())).getCallerIdentity();
        assertThat(id.account()).isEqualTo("210987654321");
        assertThat(id.arn()).isEqualTo("arn:aws:sts::210987654321:assumed-role/deploy/ci-run");
        assertThat(id.userId()).isEqualTo(r.assumedRoleUser().assumedRoleId());
    }

    // ------------------------------------------------------------------------------------------------------------
    // AssumeRole

    @Test
    @SuppressWarnings("deprecation") // PackedPolicySize: deprecated in the SDK, still returned by STS
    void assumeRole_returnsTemporaryCredentialsAndTheAssumedRoleUser() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AssumeRoleResponse r = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "session-1");
        Credentials c = r.credentials();
        assertThat(c.accessKeyId()).matches("ASIA[A-Z0-9]{16}");
        assertThat(c.secretAccessKey()).hasSize(40);
        assertThat(c.sessionToken()).hasSizeGreaterThan(300).matches("[A-Za-z0-9+/=]+");
        assertThat(c.expiration()).isBetween(before.plusSeconds(3600), Instant.now().plusSeconds(3601));
        assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/session-1");
        assertThat(r.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z2-7]{17}:session-1");
        assertThat(r.packedPolicySize()).isNull();
    }

    @Test
    void assumeRole_sameRoleTwice_sameRoleIdNewKeys() {
        AssumeRoleResponse a = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "one");
        AssumeRoleResponse b = assume(ALICE_KEY, "arn:aws:iam::" + ACCOUNT + ":role/app", "two");
        AssumeRoleResponse other = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/other", "one");
        String roleId = a.assumedRoleUser().assumedRoleId().split(":")[0];
        assertThat(b.assumedRoleUser().assumedRoleId()).isEqualTo(roleId + ":two");
        assertThat(other.assumedRoleUser().assumedRoleId()).doesNotStartWith(roleId);
        assertThat(b.credentials().accessKeyId()).isNotEqualTo(a.credentials().accessKeyId());
        assertThat(b.credentials().sessionToken()).isNotEqualTo(a.credentials().sessionToken());
    }

    @Test
    void assumeRole_roleWithPath_sessionArnHasNoPath() {
        AssumeRoleResponse r = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/service/team/app", "s1");
        assertThat(r.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/s1");
    }

    @Test
    @SuppressWarnings("deprecation") // PackedPolicySize: deprecated in the SDK, still returned by STS
    void assumeRole_durationPolicyTagsAndOptions_areHonoured() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AssumeRoleResponse r = sts(ACCOUNT).assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/app")
                .roleSessionName("opts").durationSeconds(900).externalId("ext-123").sourceIdentity("alice@example")
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:*\","
                        + "\"Resource\":\"*\"}]}")
                .tags(Tag.builder().key("team").value("blue").build()));
        assertThat(r.credentials().expiration()).isBetween(before.plusSeconds(900), Instant.now().plusSeconds(901));
        assertThat(r.packedPolicySize()).isBetween(1, 100);
        assertThat(r.sourceIdentity()).isEqualTo("alice@example");
        IssuedCredential stored = UNDERPASS.server().store().world()
                .find(IssuedCredential.class, r.credentials().accessKeyId()).orElseThrow();
        assertThat(stored.sessionPolicy()).contains("ec2:*");
        assertThat(stored.sessionTags()).containsEntry("team", "blue");
        assertThat(stored.principalArn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/app/opts");
    }

    @Test
    void assumeRole_malformedRoleArn_failsWithValidationError() {
        for (String arn : List.of("arn:aws:iam::123456789012:user/bob", "arn:aws:iam::12345:role/app",
                "arn:aws:s3:::bucket/role/app", "arn:aws:iam::123456789012:role/", "not-an-arn-at-all-really")) {
            assertStsError(b -> b.roleArn(arn).roleSessionName("s1"), "ValidationError");
        }
        assertStsError(b -> b.roleArn("short").roleSessionName("s1"), "ValidationError");
        assertStsError(b -> b.roleSessionName("s1"), "ValidationError");
    }

    @Test
    void assumeRole_badSessionName_failsWithValidationError() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        assertStsError(b -> b.roleArn(role).roleSessionName("x"), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("a".repeat(65)), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("has space"), "ValidationError");
        assertStsError(b -> b.roleArn(role), "ValidationError");
    }

    @Test
    void assumeRole_durationOutOfRange_failsWithValidationError() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").durationSeconds(899), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").durationSeconds(43201), "ValidationError");
        assertThat(sts(ACCOUNT).assumeRole(b -> b.roleArn(role).roleSessionName("s1").durationSeconds(43200))
                .credentials().expiration()).isAfter(Instant.now().plusSeconds(43000));
    }

    @Test
    void assumeRole_chainedFromARoleSession_isLimitedToOneHour() {
        AssumeRoleResponse first = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "first");
        StsClient chained = sts(UNDERPASS.endpoint(), session(first.credentials()));
        assertError(() -> chained.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/next")
                .roleSessionName("second").durationSeconds(3601)), "ValidationError", 400);
        AssumeRoleResponse second = chained.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/next")
                .roleSessionName("second"));
        assertThat(second.assumedRoleUser().arn()).endsWith(":assumed-role/next/second");
    }

    @Test
    void assumeRole_badOptionalParameters_failWithValidationError() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").externalId("x"), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").sourceIdentity("aws:me"), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").tags(Tag.builder().key("k").value("a")
                .build(), Tag.builder().key("K").value("b").build()), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").tags(Tag.builder().key("k".repeat(129))
                .value("v").build()), "ValidationError");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").tokenCode("12ab56").serialNumber(
                "arn:aws:iam::123456789012:mfa/alice"), "ValidationError");
    }

    @Test
    void assumeRole_malformedSessionPolicy_failsWithMalformedPolicyDocument() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").policy("{not json"), "MalformedPolicyDocument");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\"}]}"),
                "MalformedPolicyDocument");
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}"),
                "MalformedPolicyDocument");
    }

    @Test
    void assumeRole_sessionPolicyOverTheLengthLimit_failsWithValidationError() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:*\","
                + "\"Resource\":\"*\",\"Sid\":\"" + "a".repeat(2100) + "\"}]}";
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").policy(policy), "ValidationError");
    }

    @Test
    void assumeRole_tooManyPackedTags_failsWithPackedPolicyTooLarge() {
        String role = "arn:aws:iam::" + ACCOUNT + ":role/app";
        java.util.Random random = new java.util.Random(7);
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            StringBuilder v = new StringBuilder();
            for (int j = 0; j < 256; j++) {
                v.append((char) ('a' + random.nextInt(26)));
            }
            tags.add(Tag.builder().key("key" + i).value(v.toString()).build());
        }
        assertStsError(b -> b.roleArn(role).roleSessionName("s1").tags(tags), "PackedPolicyTooLarge");
    }

    // ------------------------------------------------------------------------------------------------------------
    // GetSessionToken

    @Test
    void getSessionToken_forAUser_actsAsThatUserForTwelveHoursByDefault() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Credentials c = sts(ALICE_KEY).getSessionToken().credentials();
        assertThat(c.accessKeyId()).matches("ASIA[A-Z0-9]{16}");
        assertThat(c.expiration()).isBetween(before.plusSeconds(43200), Instant.now().plusSeconds(43201));
        GetCallerIdentityResponse id = sts(UNDERPASS.endpoint(), session(c)).getCallerIdentity();
        assertThat(id.arn()).isEqualTo(ALICE);
        assertThat(id.userId()).isEqualTo(Principals.userId(ALICE));
    }

    @Test
    void getSessionToken_forAnAccountRoot_lastsAtMostAnHour() {
        Credentials c = sts("555555555555").getSessionToken(r -> r.durationSeconds(7200)).credentials();
        assertThat(c.expiration()).isBefore(Instant.now().plusSeconds(3601));
        assertThat(sts(UNDERPASS.endpoint(), session(c)).getCallerIdentity().arn())
                .isEqualTo("arn:aws:iam::555555555555:root");
    }

    @Test
    void getSessionToken_durationOutOfRange_failsWithValidationError() {
        assertError(() -> sts(ALICE_KEY).getSessionToken(r -> r.durationSeconds(899)), "ValidationError", 400);
        assertError(() -> sts(ALICE_KEY).getSessionToken(r -> r.durationSeconds(129601)), "ValidationError", 400);
    }

    @Test
    void getSessionToken_withSessionCredentials_failsWithAccessDenied() {
        Credentials c = sts(ALICE_KEY).getSessionToken().credentials();
        assertError(() -> sts(UNDERPASS.endpoint(), session(c)).getSessionToken(), "AccessDenied", 403);
        Credentials role = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "s1").credentials();
        assertError(() -> sts(UNDERPASS.endpoint(), session(role)).getSessionToken(), "AccessDenied", 403);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Using the credentials

    @Test
    void sessionCredentials_workWithEc2_inTheRolesAccount() {
        String roleAccount = "666666666666";
        Credentials c = assume(ACCOUNT, "arn:aws:iam::" + roleAccount + ":role/app", "ec2").credentials();
        String vpc = ec2(session(c)).createVpc(r -> r.cidrBlock("10.7.0.0/16")).vpc().vpcId();
        assertThat(UNDERPASS.ec2(roleAccount).describeVpcs(r -> r.vpcIds(vpc)).vpcs()).hasSize(1);
        assertError(() -> UNDERPASS.ec2(ACCOUNT).describeVpcs(r -> r.vpcIds(vpc)), "InvalidVpcID.NotFound", 400);
    }

    @Test
    void issuedCredentials_areInvisibleToDescribeAndTagCalls() {
        String roleAccount = "676767676767";
        Credentials c = assume(ACCOUNT, "arn:aws:iam::" + roleAccount + ":role/app", "hidden").credentials();
        Ec2Client owner = UNDERPASS.ec2(roleAccount);
        assertThat(owner.describeTags().tags()).isEmpty();
        assertError(() -> owner.createTags(r -> r.resources(c.accessKeyId()).tags(
                software.amazon.awssdk.services.ec2.model.Tag.builder().key("k").value("v").build())),
                "InvalidID", 400);
    }

    @Test
    void unknownTemporaryKey_failsWithEachServicesAuthError() {
        AwsSessionCredentials fake = AwsSessionCredentials.create("ASIAAAAAAAAAAAAAAAAA", "secret", "token");
        assertEc2AuthFailure(fake);
        assertError(() -> elbv2(fake).describeLoadBalancers(), "InvalidClientTokenId", 403);
        assertError(() -> sts(UNDERPASS.endpoint(), fake).getCallerIdentity(), "InvalidClientTokenId", 403);
        AwsBasicCredentials noToken = AwsBasicCredentials.create("ASIAAAAAAAAAAAAAAAAA", "secret");
        assertError(() -> sts(UNDERPASS.endpoint(), noToken).getCallerIdentity(), "InvalidClientTokenId", 403);
    }

    @Test
    void wrongSessionToken_failsWithEachServicesAuthError() {
        Credentials c = assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "token").credentials();
        AwsSessionCredentials wrong = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                c.sessionToken() + "x");
        assertEc2AuthFailure(wrong);
        assertError(() -> elbv2(wrong).describeLoadBalancers(), "InvalidClientTokenId", 403);
        assertError(() -> sts(UNDERPASS.endpoint(), wrong).getCallerIdentity(), "InvalidClientTokenId", 403);
    }

    @Test
    void expiredCredentials_failWithEachServicesExpiredError() {
        Instant now = Instant.now();
        String key = "ASIAEXPIREDEXAMPLE1";
        StoredSessions.put(UNDERPASS, ACCOUNT, key, now.minusSeconds(4000), now.minusSeconds(400));
        AwsSessionCredentials expired = AwsSessionCredentials.create(key, "secret", "old-token");
        assertError(() -> ec2(expired).describeVpcs(), "RequestExpired", 400);
        assertError(() -> elbv2(expired).describeLoadBalancers(), "ExpiredToken", 400);
        assertError(() -> sts(UNDERPASS.endpoint(), expired).getCallerIdentity(), "ExpiredToken", 400);
    }

    @Test
    void credentialsExpiredLongAgo_arePrunedByTheNextIssue() {
        Instant now = Instant.now();
        String key = "ASIAPRUNEDEXAMPLE12";
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> tx.put(new IssuedCredential(
                key, ACCOUNT, IssuedCredential.REGION, "arn:aws:iam::" + ACCOUNT + ":root", null,
                Principals.tokenHash("t"), null, Map.of(), null, null, now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(2)))));
        AwsSessionCredentials old = AwsSessionCredentials.create(key, "secret", "t");
        assertError(() -> sts(UNDERPASS.endpoint(), old).getCallerIdentity(), "ExpiredToken", 400);
        assume(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/app", "pruner");
        assertThat(UNDERPASS.server().store().world().find(IssuedCredential.class, key)).isEmpty();
        assertError(() -> sts(UNDERPASS.endpoint(), old).getCallerIdentity(), "InvalidClientTokenId", 403);
    }

    @Test
    void resetOfTheAccount_removesItsCredentials() {
        String roleAccount = "777777777777";
        Credentials c = assume(ACCOUNT, "arn:aws:iam::" + roleAccount + ":role/app", "reset").credentials();
        StsClient s = sts(UNDERPASS.endpoint(), session(c));
        assertThat(s.getCallerIdentity().account()).isEqualTo(roleAccount);
        assertThat(TestClients.reset(UNDERPASS.server().endpoint(), "/_underpass/reset?account=" + roleAccount)
                .status()).isEqualTo(200);
        assertError(s::getCallerIdentity, "InvalidClientTokenId", 403);
    }

    @Test
    void issuedCredentials_surviveARestart_andAFullResetRemovesThem(@TempDir Path dir) throws Exception {
        ServerConfig config = ServerConfig.forTests().withDataDir(Files.createDirectories(dir.resolve("data")));
        Credentials c;
        try (UnderpassServer server = TestStore.start(config)) {
            c = sts(URI.create(server.endpoint()), AwsBasicCredentials.create(ACCOUNT, "s"))
                    .assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/app").roleSessionName("durable"))
                    .credentials();
        }
        try (UnderpassServer server = TestStore.start(config)) {
            StsClient s = sts(URI.create(server.endpoint()), session(c));
            assertThat(s.getCallerIdentity().arn()).isEqualTo(
                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/app/durable");
            assertThat(TestClients.reset(server.endpoint(), "/_underpass/reset").status()).isEqualTo(200);
            assertError(s::getCallerIdentity, "InvalidClientTokenId", 403);
        }
    }

    @Test
    void staticAccessKeySpecs_mustMapAKeyToAUserOrRootArn() {
        assertThat(ServerConfig.parseAccessKeys(List.of("AKIA1=" + ALICE, " AKIA2=arn:aws:iam::" + ACCOUNT + ":root")))
                .containsEntry("AKIA1", ALICE).containsEntry("AKIA2", "arn:aws:iam::" + ACCOUNT + ":root");
        for (String bad : List.of("AKIA1", "=" + ALICE, "AKIA1=arn:aws:iam::" + ACCOUNT + ":role/app",
                "AKIA1=arn:aws:iam::12345:user/x", "AK-1=" + ALICE)) {
            assertThatThrownBy(() -> ServerConfig.parseAccessKeys(List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ServerConfig.parseAccessKeys(List.of("AKIA1=" + ALICE, "AKIA1=" + ALICE)))
                .hasMessageContaining("twice");
    }

    @Test
    void unknownStsAction_failsWithInvalidActionInTheAwsQueryEnvelope() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=MintMoney&Version=2011-06-15",
                Map.of("Authorization", RawHttp.authorization("123456789012", "us-east-1", "sts"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Code>InvalidAction</Code>").contains("<Type>Sender</Type>");
    }

    @Test
    void globalScope_actsInTheServersDefaultRegion() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=GetCallerIdentity&Version=2011-06-15",
                Map.of("Authorization", RawHttp.authorization("123456789012", "aws-global", "sts"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("<Account>123456789012</Account>");
    }
}
