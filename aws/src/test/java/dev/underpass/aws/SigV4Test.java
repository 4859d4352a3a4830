package dev.underpass.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Canonicalisation and signing against the vectors of AWS's Signature Version 4 test suite (credential scope
 * {@code AKIDEXAMPLE/20150830/us-east-1/service/aws4_request}, the suite's example secret).
 */
class SigV4Test {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String DATE = "20150830T123600Z";
    private static final SigV4.Credential SCOPE = new SigV4.Credential("AKIDEXAMPLE", "20150830", "us-east-1",
            "service");
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A request of the suite: host example.amazonaws.com, x-amz-date, plus {@code extra} headers (name, value). */
    private static SigV4.HttpParts request(String method, String path, String query, String body, String... extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "example.amazonaws.com");
        headers.put("x-amz-date", DATE);
        for (int i = 0; i < extra.length; i += 2) {
            headers.put(extra[i], extra[i + 1]);
        }
        return new SigV4.HttpParts(method, path, query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static SigV4.Signature signature(SigV4.HttpParts r, String hex) {
        List<String> signed = r.headers().keySet().stream().sorted().toList();
        return new SigV4.Signature(SCOPE, DATE, signed, hex, false, null);
    }

    private static void assertVerifies(SigV4.HttpParts r, String expected) {
        assertThat(SigV4.verify(signature(r, expected), r, SECRET)).isNull();
        String other = expected.substring(0, 63) + (expected.charAt(63) == '0' ? '1' : '0');
        assertThat(SigV4.verify(signature(r, other), r, SECRET)).isEqualTo(SigV4.Mismatch.SIGNATURE);
        assertThat(SigV4.verify(signature(r, expected), r, SECRET + "x")).isEqualTo(SigV4.Mismatch.SIGNATURE);
    }

    @Test
    void getVanilla_canonicalRequestAndSignatureMatchTheSuite() {
        SigV4.HttpParts r = request("GET", "/", "", "");
        assertThat(SigV4.canonicalRequest(r, List.of("host", "x-amz-date"), EMPTY_SHA256, false)).isEqualTo(
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                        + EMPTY_SHA256);
        assertVerifies(r, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void queryParameters_areSortedByName() {
        SigV4.HttpParts r = request("GET", "/", "Param2=value2&Param1=value1", "");
        assertThat(SigV4.canonicalQuery(r.rawQuery(), false)).isEqualTo("Param1=value1&Param2=value2");
        assertVerifies(r, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void unreservedCharacters_stayAsTheyAre() {
        String unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        assertVerifies(request("GET", "/", unreserved + "=" + unreserved, ""),
                "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
        assertVerifies(request("GET", "/" + unreserved, "", ""),
                "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
    }

    @Test
    void utf8QueryName_isReencodedWithUpperCaseHex() {
        String expected = "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04";
        assertThat(SigV4.canonicalQuery("%e1%88%b4=bar", false)).isEqualTo("%E1%88%B4=bar");
        assertVerifies(request("GET", "/", "%E1%88%B4=bar", ""), expected);
        assertVerifies(request("GET", "/", "%e1%88%b4=bar", ""), expected);
    }

    @Test
    void reservedCharacters_areDecodedThenReencoded() {
        assertVerifies(request("POST", "/", "%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", ""),
                "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e");
        assertThat(SigV4.canonicalQuery("a=b%20c&a=b+c&star=*", false)).isEqualTo("a=b%20c&a=b%20c&star=%2A");
    }

    @Test
    void parameterWithoutValue_signsAsEmptyValue() {
        assertVerifies(request("POST", "/", "p=", ""),
                "e71688addb58a26418614085fb730ba3faa623b461c17f48f2fbdb9361b94a9b");
        assertThat(SigV4.canonicalQuery("p", false)).isEqualTo("p=");
    }

    @Test
    void headerValues_areTrimmedAndRunsOfSpacesSqueezed() {
        assertThat(SigV4.canonicalHeaderValue("  \"a   b   c\" ")).isEqualTo("\"a b c\"");
        assertVerifies(request("GET", "/", "", "", "my-header1", " value1", "my-header2", " \"a   b   c\""),
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }

    @Test
    void severalValuesOfOneHeader_signJoinedWithCommas() {
        assertVerifies(request("GET", "/", "", "", "my-header1", "value2,value2,value1"),
                "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    }

    @Test
    void nonAsciiPath_isUriEncoded_andAnEncodedSegmentIsEncodedTwice() {
        assertVerifies(request("GET", "/\u1234", "", ""),
                "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
        assertThat(SigV4.canonicalUri("/%E1%88%B4/a b")).isEqualTo("/%25E1%2588%25B4/a%20b");
        assertThat(SigV4.canonicalUri("")).isEqualTo("/");
    }

    @Test
    void formBody_isSignedThroughItsHash() {
        SigV4.HttpParts r = request("POST", "/", "", "Param1=value1", "content-type",
                "application/x-www-form-urlencoded");
        assertVerifies(r, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
        SigV4.HttpParts tampered = request("POST", "/", "", "Param1=value2", "content-type",
                "application/x-www-form-urlencoded");
        assertThat(SigV4.verify(signature(r, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
                tampered, SECRET)).isEqualTo(SigV4.Mismatch.SIGNATURE);
    }

    @Test
    void securityToken_isSignedLikeAnyHeader() {
        String token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSP"
                + "fIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5V"
                + "SXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fP"
                + "OLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
        assertVerifies(request("POST", "/", "", "", "x-amz-security-token", token),
                "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
    }

    @Test
    void contentSha256Header_mustBeTheBodysHash_andIsWhatIsSigned() {
        SigV4.HttpParts honest = request("POST", "/", "", "", "x-amz-content-sha256", EMPTY_SHA256);
        String sig = SigV4.signature(SECRET, SCOPE, DATE, SigV4.canonicalRequest(honest,
                List.of("host", "x-amz-content-sha256", "x-amz-date"), EMPTY_SHA256, false));
        assertThat(SigV4.verify(signature(honest, sig), honest, SECRET)).isNull();
        SigV4.HttpParts lying = request("POST", "/", "", "Action=X", "x-amz-content-sha256", EMPTY_SHA256);
        assertThat(SigV4.verify(signature(lying, sig), lying, SECRET)).isEqualTo(SigV4.Mismatch.PAYLOAD_HASH);
    }

    @Test
    void presignedQuery_leavesItsOwnSignatureOut() {
        String query = "Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
                + "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host";
        SigV4.HttpParts unsigned = new SigV4.HttpParts("GET", "/", query, Map.of("host", "example.amazonaws.com"),
                new byte[0]);
        String sig = SigV4.signature(SECRET, SCOPE, DATE,
                SigV4.canonicalRequest(unsigned, List.of("host"), EMPTY_SHA256, true));
        SigV4.HttpParts signed = new SigV4.HttpParts("GET", "/", query + "&X-Amz-Signature=" + sig,
                unsigned.headers(), new byte[0]);
        SigV4.Signature s = new SigV4.Signature(SCOPE, DATE, List.of("host"), sig, true, 60L);
        assertThat(SigV4.verify(s, signed, SECRET)).isNull();
        SigV4.HttpParts changed = new SigV4.HttpParts("GET", "/", signed.rawQuery().replace("ListUsers", "GetUser"),
                unsigned.headers(), new byte[0]);
        assertThat(SigV4.verify(s, changed, SECRET)).isEqualTo(SigV4.Mismatch.SIGNATURE);
    }

    @Test
    void presignedRequest_isValidUntilItsExpiry() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Credential", "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
        query.put("X-Amz-Date", DATE);
        query.put("X-Amz-Expires", "3600");
        query.put("X-Amz-SignedHeaders", "host");
        query.put("X-Amz-Signature", "00");
        SigV4.Signature s = SigV4.read(Map.of(), query);
        assertThat(s.presigned()).isTrue();
        assertThat(s.expires()).isEqualTo(3600L);
        Instant signedAt = Instant.parse("2015-08-30T12:36:00Z");
        SigV4.checkClock(s, signedAt.plusSeconds(3600));
        assertThatThrownBy(() -> SigV4.checkClock(s, signedAt.plusSeconds(3601)))
                .isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("RequestExpired"));
        for (String bad : Arrays.asList("0", "604801", "soon")) {
            query.put("X-Amz-Expires", bad);
            assertThatThrownBy(() -> SigV4.read(Map.of(), query)).isInstanceOfSatisfying(AwsException.class,
                    e -> assertThat(e.code()).isEqualTo("IncompleteSignature"));
        }
    }
}
