package dev.underpass.aws;

import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads who signed a request from its SigV4 {@code Authorization} header (or presigned {@code X-Amz-*} query
 * parameters): access key id, region and service of the credential scope. {@link Credential#accountId()} is the
 * access key id when that is 12 digits, else {@code 000000000000}; the server first looks the key up among static
 * user keys and temporary credentials issued by STS, which name their own principal and account.
 *
 * <p>underpass does not know the callers' secret keys, so it does not recompute signatures: any secret works, as in
 * every local AWS emulator. It does check the header's shape and the clock, with AWS's error codes.
 */
public final class SigV4 {
    /** The default account for access keys that are not a 12-digit account id. */
    public static final String DEFAULT_ACCOUNT = "000000000000";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    /** The parsed credential scope. */
    public record Credential(String accessKeyId, String date, String region, String service) {
        public String accountId() {
            return ACCOUNT.matcher(accessKeyId).matches() ? accessKeyId : DEFAULT_ACCOUNT;
        }
    }

    private SigV4() {}

    /**
     * Parses the caller's credential. {@code headers} keys are lower-case; {@code query} holds the query-string
     * parameters (for presigned requests).
     */
    public static Credential parse(Map<String, String> headers, Map<String, String> query, Instant now) {
        String auth = headers.get("authorization");
        String credential;
        String amzDate;
        if (auth != null) {
            if (!auth.startsWith("AWS4-HMAC-SHA256 ")) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with(
                        "Authorization header requires the AWS4-HMAC-SHA256 algorithm.");
            }
            credential = component(auth, "Credential=");
            String signed = component(auth, "SignedHeaders=");
            String signature = component(auth, "Signature=");
            if (credential == null || signed == null || signature == null) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with("Authorization header requires 'Credential', "
                        + "'SignedHeaders' and 'Signature' parameters. Authorization=" + redact(auth));
            }
            amzDate = headers.get("x-amz-date");
        } else if (query.containsKey("X-Amz-Credential")) {
            credential = query.get("X-Amz-Credential");
            amzDate = query.get("X-Amz-Date");
            if (query.get("X-Amz-Signature") == null) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with("The presigned request has no X-Amz-Signature.");
            }
        } else {
            throw ErrorCode.MISSING_AUTHENTICATION_TOKEN.with("Request is missing Authentication Token");
        }
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || !"aws4_request".equals(parts[4]) || parts[2].isEmpty()
                || parts[3].isEmpty() || parts[1].length() != 8) {
            throw ErrorCode.INCOMPLETE_SIGNATURE.with("Credential should be scoped to a valid region, and be of the "
                    + "form <access key>/<yyyymmdd>/<region>/<service>/aws4_request: " + credential);
        }
        if (amzDate != null) {
            checkClock(amzDate, now);
        }
        return new Credential(parts[0], parts[1], parts[2], parts[3]);
    }

    private static void checkClock(String amzDate, Instant now) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ErrorCode.INCOMPLETE_SIGNATURE.format("X-Amz-Date '%s' is not of the form yyyyMMddTHHmmssZ", amzDate);
        }
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired. Signed at " + amzDate
                    + ", which is more than 15 minutes from the server time.");
        }
    }

    private static String component(String header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            return null;
        }
        int start = i + name.length();
        int end = header.indexOf(',', start);
        String v = (end < 0 ? header.substring(start) : header.substring(start, end)).trim();
        return v.isEmpty() ? null : v;
    }

    private static String redact(String auth) {
        int sig = auth.indexOf("Signature=");
        return sig < 0 ? auth : auth.substring(0, sig) + "Signature=<redacted>";
    }
}
