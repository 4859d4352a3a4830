package dev.underpass.aws.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.SigV4;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.sts.Sessions;
import dev.underpass.store.MemoryBackend;
import dev.underpass.store.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Authenticator} on requests signed here with SigV4 ({@link SigV4#signature}), against an in-memory store
 * whose clock the test moves: every kind of key, both ways of signing, and each refusal in EC2's and the awsQuery
 * services' codes.
 */
class AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    private static final String ALICE_SECRET = "alice-secret-key-0123456789";
    private static final String BODY = "Action=DescribeVpcs&Version=2016-11-15";

    private final MovableClock clock = new MovableClock();
    private final Store store = new Store(new MemoryBackend(), clock);
    private final Authenticator authenticator = new Authenticator(store,
            Map.of("AKIAALICE", ALICE, "AKIAROOT", "arn:aws:iam::444455556666:root", "AKIABOB",
                    "arn:aws:iam::111122223333:user/dev/bob"),
            Map.of("AKIAALICE", ALICE_SECRET), "eu-west-1");

    @AfterEach
    void close() {
        store.close();
    }

    /** A clock the test sets; the store reads it for the clock check and for session expiry. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private record Req(String method, String rawPath, String rawQuery, Map<String, String> headers,
            Map<String, String> query, byte[] body) implements HttpRequestView {}

    /** A POST form signed in the {@code Authorization} header at {@code signedAt}, with an optional session token. */
    private static Req signed(String key, String secret, String region, String service, Instant signedAt,
            String token) {
        String date = AMZ_DATE.format(signedAt);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "127.0.0.1");
        headers.put("x-amz-date", date);
        headers.put("content-type", "application/x-www-form-urlencoded");
        if (token != null) {
            headers.put("x-amz-security-token", token);
        }
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        List<String> names = headers.keySet().stream().sorted().toList();
        SigV4.Credential scope = new SigV4.Credential(key, date.substring(0, 8), region, service);
        String canonical = SigV4.canonicalRequest(new SigV4.HttpParts("POST", "/", "", headers, body), names,
                sha256Hex(body), false);
        headers.put("authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/" + date.substring(0, 8) + "/"
                + region + "/" + service + "/aws4_request, SignedHeaders=" + String.join(";", names)
                + ", Signature=" + SigV4.signature(secret, scope, date, canonical));
        return new Req("POST", "/", "", headers, Map.of(), body);
    }

    private static Req signed(String key, String secret) {
        return signed(key, secret, "us-east-1", "ec2", NOW, null);
    }

    /** A GET presigned in its query string at {@code signedAt}, valid for {@code expires} seconds. */
    private static Req presigned(String key, String secret, Instant signedAt, int expires) {
        String date = AMZ_DATE.format(signedAt);
        String credential = key + "/" + date.substring(0, 8) + "/us-east-1/sts/aws4_request";
        Map<String, String> query = new LinkedHashMap<>();
        query.put("Action", "GetCallerIdentity");
        query.put("Version", "2011-06-15");
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", credential);
        query.put("X-Amz-Date", date);
        query.put("X-Amz-Expires", Integer.toString(expires));
        query.put("X-Amz-SignedHeaders", "host");
        List<String> pairs = new ArrayList<>();
        query.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String rawQuery = String.join("&", pairs);
        Map<String, String> headers = Map.of("host", "127.0.0.1");
        String canonical = SigV4.canonicalRequest(new SigV4.HttpParts("GET", "/", rawQuery, headers, new byte[0]),
                List.of("host"), sha256Hex(new byte[0]), true);
        String signature = SigV4.signature(secret, new SigV4.Credential(key, date.substring(0, 8), "us-east-1",
                "sts"), date, canonical);
        query.put("X-Amz-Signature", signature);
        return new Req("GET", "/", rawQuery + "&X-Amz-Signature=" + signature, headers, query, new byte[0]);
    }

    private Authentication ec2(HttpRequestView req) {
        return authenticator.authenticate(req, service -> AuthErrors.EC2);
    }

    private Authentication query(HttpRequestView req) {
        return authenticator.authenticate(req, service -> AuthErrors.QUERY);
    }

    private static Caller caller(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Authenticated.class);
        return ((Authentication.Authenticated) a).caller();
    }

    private static AwsException refusal(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) a).error();
    }

    private static void assertRefused(Authentication a, String code, int status) {
        AwsException e = refusal(a);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.status()).isEqualTo(status);
    }

    private Sessions.Issued issue(Duration valid) {
        return store.writeAndWait(Caller.of("111122223333", "us-east-1"), tx -> Sessions.issue(tx, "111122223333",
                "arn:aws:sts::111122223333:assumed-role/app/s1", null, valid, null, Map.of(), null, null));
    }

    @Test
    void signedHeader_withAStaticKeyAndItsSecret_actsAsItsUserInTheScopesRegion() {
        Authentication a = ec2(signed("AKIAALICE", ALICE_SECRET, "ap-south-1", "ec2", NOW, null));
        assertThat(caller(a)).isEqualTo(new Caller("111122223333", "ap-south-1", ALICE, null));
        assertThat(a.service()).isEqualTo("ec2");
    }

    @Test
    void staticKey_withTheWrongSecret_failsWithAuthFailureOnEc2AndSignatureDoesNotMatchOnQueryServices() {
        Req req = signed("AKIAALICE", "not-alices-secret");
        assertRefused(ec2(req), "AuthFailure", 401);
        AwsException e = refusal(query(req));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).startsWith("The request signature we calculated does not match");
    }

    @Test
    void staticKey_withABodyThatIsNotTheDeclaredHash_failsWithSignatureDoesNotMatchNamingTheHeader() {
        Req good = signed("AKIAALICE", ALICE_SECRET);
        Map<String, String> headers = new LinkedHashMap<>(good.headers());
        headers.put("x-amz-content-sha256", sha256Hex("other".getBytes(StandardCharsets.UTF_8)));
        Req req = new Req(good.method(), good.rawPath(), good.rawQuery(), headers, good.query(), good.body());
        assertThat(refusal(query(req)).getMessage()).contains("'x-amz-content-sha256'");
    }

    @Test
    void staticKeys_withoutASecret_acceptAnySignatureAndActAsTheirPrincipal() {
        assertThat(caller(ec2(signed("AKIAROOT", "anything"))))
                .isEqualTo(new Caller("444455556666", "us-east-1", "arn:aws:iam::444455556666:root", null));
        assertThat(caller(ec2(signed("AKIABOB", "anything"))).principalArn())
                .isEqualTo("arn:aws:iam::111122223333:user/dev/bob");
    }

    @Test
    void unknownKeys_actAsARootUser_a12DigitKeyOfItsAccount_anyOtherOfTheDefaultAccount() {
        assertThat(caller(ec2(signed("123456789012", "x")))).isEqualTo(Caller.of("123456789012", "us-east-1"));
        assertThat(caller(ec2(signed("AKIDEXAMPLE", "x")))).isEqualTo(Caller.of(SigV4.DEFAULT_ACCOUNT, "us-east-1"));
    }

    @Test
    void globalScope_actsInTheDefaultRegion_andAnUnknownRegionIsRefusedBeforeTheServiceIsKnown() {
        assertThat(caller(query(signed("AKIDEXAMPLE", "x", "aws-global", "sts", NOW, null))).region())
                .isEqualTo("eu-west-1");
        Authentication a = query(signed("AKIDEXAMPLE", "x", "mars-north-1", "sts", NOW, null));
        assertRefused(a, "AuthFailure", 401);
        assertThat(a.service()).isNull();
    }

    @Test
    void unsignedRequest_isRefusedWithMissingAuthenticationToken() {
        Authentication a = query(new Req("POST", "/", "", Map.of(), Map.of(), BODY.getBytes(StandardCharsets.UTF_8)));
        assertRefused(a, "MissingAuthenticationToken", 401);
        assertThat(a.service()).isNull();
    }

    @Test
    void theErrorsAreChosenByTheScopesService() {
        List<String> asked = new ArrayList<>();
        Authentication a = authenticator.authenticate(signed("AKIAALICE", "wrong", "us-east-1", "sts", NOW, null),
                service -> {
                    asked.add(service);
                    return service.equals("sts") ? AuthErrors.QUERY : AuthErrors.EC2;
                });
        assertThat(asked).containsExactly("sts");
        assertRefused(a, "SignatureDoesNotMatch", 403);
        assertThat(a.service()).isEqualTo("sts");
    }

    @Test
    void signedHeader_moreThan15MinutesOld_failsWithRequestExpired() {
        Req req = signed("AKIAALICE", ALICE_SECRET, "us-east-1", "ec2", NOW.minus(Duration.ofMinutes(16)), null);
        assertRefused(ec2(req), "RequestExpired", 400);
        assertThat(caller(ec2(signed("AKIAALICE", ALICE_SECRET, "us-east-1", "ec2",
                NOW.minus(Duration.ofMinutes(14)), null))).principalArn()).isEqualTo(ALICE);
    }

    @Test
    void presigned_withTheSessionsSecret_actsAsTheSession_untilItsExpiresRunsOut() {
        Sessions.Issued s = issue(Duration.ofHours(1));
        Req req = presigned(s.record().id(), s.secretAccessKey(), NOW, 300);
        Caller c = caller(query(req));
        assertThat(c.principalArn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/app/s1");
        assertThat(c.sessionKeyId()).isEqualTo(s.record().id());
        clock.now = NOW.plusSeconds(301);
        assertRefused(ec2(req), "RequestExpired", 400);
    }

    @Test
    void presigned_withTheWrongSecret_isRefused() {
        Sessions.Issued s = issue(Duration.ofHours(1));
        assertRefused(query(presigned(s.record().id(), s.secretAccessKey() + "x", NOW, 300)),
                "SignatureDoesNotMatch", 403);
    }

    @Test
    void sessionCredentials_withTheirToken_actAsTheSession_andAnotherTokenIsUnknown() {
        Sessions.Issued s = issue(Duration.ofHours(1));
        String key = s.record().id();
        Caller c = caller(ec2(signed(key, s.secretAccessKey(), "us-east-1", "ec2", NOW, s.sessionToken())));
        assertThat(c).isEqualTo(new Caller("111122223333", "us-east-1",
                "arn:aws:sts::111122223333:assumed-role/app/s1", key));
        Req wrongToken = signed(key, s.secretAccessKey(), "us-east-1", "ec2", NOW, "not-the-token");
        assertRefused(ec2(wrongToken), "AuthFailure", 401);
        AwsException e = refusal(query(wrongToken));
        assertThat(e.code()).isEqualTo("InvalidClientTokenId");
        assertThat(e.status()).isEqualTo(403);
    }

    @Test
    void sessionCredentials_signedWithAnotherSecret_failWithAuthFailureOrSignatureDoesNotMatch() {
        Sessions.Issued s = issue(Duration.ofHours(1));
        Req req = signed(s.record().id(), "guessed", "us-east-1", "ec2", NOW, s.sessionToken());
        assertRefused(ec2(req), "AuthFailure", 401);
        assertRefused(query(req), "SignatureDoesNotMatch", 403);
    }

    @Test
    void sessionCredentials_pastTheirExpiration_failWithRequestExpiredOrExpiredToken() {
        Sessions.Issued s = issue(Duration.ofMinutes(15));
        clock.now = NOW.plus(Duration.ofMinutes(20));
        Req req = signed(s.record().id(), s.secretAccessKey(), "us-east-1", "ec2", clock.now, s.sessionToken());
        assertRefused(ec2(req), "RequestExpired", 400);
        assertRefused(query(req), "ExpiredToken", 400);
    }

    @Test
    void temporaryKeysUnderpassDidNotIssue_failWithAuthFailureOrInvalidClientTokenId() {
        Req req = signed("ASIAUNKNOWN0000000", "x");
        assertRefused(ec2(req), "AuthFailure", 401);
        assertRefused(query(req), "InvalidClientTokenId", 403);
    }

    @Test
    void signed_tellsSignedRequestsFromUnsignedOnes() {
        assertThat(Authenticator.signed(signed("AKIAALICE", ALICE_SECRET))).isTrue();
        assertThat(Authenticator.signed(presigned("AKIAALICE", ALICE_SECRET, NOW, 60))).isTrue();
        assertThat(Authenticator.signed(new Req("GET", "/", "", Map.of("authorization", "Bearer t"), Map.of(),
                new byte[0]))).isFalse();
        assertThat(Authenticator.signed(new Req("GET", "/", "", Map.of(), Map.of("X-Amz-Signature", "ab"),
                new byte[0]))).isTrue();
    }

    @Test
    void withoutPresigning_dropsTheSignatureParametersOnly() {
        Map<String, String> params = presigned("AKIAALICE", ALICE_SECRET, NOW, 60).query();
        assertThat(Authenticator.withoutPresigning(params))
                .containsExactly(Map.entry("Action", "GetCallerIdentity"), Map.entry("Version", "2011-06-15"));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
