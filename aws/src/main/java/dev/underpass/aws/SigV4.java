package dev.underpass.aws;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads who signed a request from its SigV4 {@code Authorization} header (or presigned {@code X-Amz-*} query
 * parameters): access key id, region and service of the credential scope. {@link Credential#accountId()} is the
 * access key id when that is 12 digits, else {@code 000000000000}; the {@link dev.underpass.aws.auth.Authenticator}
 * first looks the key up among static user keys and temporary credentials issued by STS, which name their own
 * principal and account.
 *
 * <p>{@link #parse} checks the header's shape and the clock, with AWS's error codes. Where underpass knows the
 * caller's secret (a static key given with one, or temporary credentials its STS issued) the authenticator recomputes
 * the signature with {@link #verify}, step by step as AWS does; where it does not, any signature is accepted.
 */
public final class SigV4 {
    /** The default account for access keys that are not a 12-digit account id. */
    public static final String DEFAULT_ACCOUNT = "000000000000";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned request may be valid: seven days. */
    private static final long MAX_EXPIRES = 604_800;
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The awsQuery services' code for a signature that is wrong or out of date (403). */
    private static final String SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch";
    /** An {@code x-amz-content-sha256} value that leaves the body out of the signature. */
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final HexFormat HEX = HexFormat.of();

    /** The parsed credential scope. */
    public record Credential(String accessKeyId, String date, String region, String service) {
        public String accountId() {
            return ACCOUNT.matcher(accessKeyId).matches() ? accessKeyId : DEFAULT_ACCOUNT;
        }
    }

    private SigV4() {}

    /**
     * Parses the caller's credential and checks the clock. {@code headers} keys are lower-case; {@code query} holds
     * the query-string parameters (for presigned requests).
     */
    public static Credential parse(Map<String, String> headers, Map<String, String> query, Instant now) {
        Signature s = read(headers, query);
        checkClock(s, now);
        return s.credential();
    }

    /**
     * What a request's signature says: from the {@code Authorization} header, or from the {@code X-Amz-*} query
     * parameters of a presigned request.
     *
     * @param amzDate the signing time as sent ({@code X-Amz-Date}), or null when the request names none
     * @param signedHeaders the lower-case names of the signed headers, in the order given
     * @param expires a presigned request's {@code X-Amz-Expires} in seconds, or null
     */
    public record Signature(Credential credential, String amzDate, List<String> signedHeaders, String signature,
            boolean presigned, Long expires) {}

    /** Parses a request's signature without checking the clock; see {@link #parse}. */
    public static Signature read(Map<String, String> headers, Map<String, String> query) {
        String auth = headers.get("authorization");
        String credential;
        String amzDate;
        String signed;
        String signature;
        Long expires = null;
        boolean presigned = false;
        if (auth != null) {
            if (!auth.startsWith("AWS4-HMAC-SHA256 ")) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with(
                        "Authorization header requires the AWS4-HMAC-SHA256 algorithm.");
            }
            credential = component(auth, "Credential=");
            signed = component(auth, "SignedHeaders=");
            signature = component(auth, "Signature=");
            if (credential == null || signed == null || signature == null) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with("Authorization header requires 'Credential', "
                        + "'SignedHeaders' and 'Signature' parameters. Authorization=" + redact(auth));
            }
            amzDate = headers.get("x-amz-date");
        } else if (query.containsKey("X-Amz-Credential")) {
            presigned = true;
            credential = query.get("X-Amz-Credential");
            amzDate = query.get("X-Amz-Date");
            signature = query.get("X-Amz-Signature");
            signed = query.getOrDefault("X-Amz-SignedHeaders", "host");
            if (signature == null || signature.isEmpty()) {
                throw ErrorCode.INCOMPLETE_SIGNATURE.with("The presigned request has no X-Amz-Signature.");
            }
            String e = query.get("X-Amz-Expires");
            if (e != null) {
                expires = (long) AsciiDigits.parseUnsigned(e, (int) MAX_EXPIRES);
                if (expires < 1) {
                    throw ErrorCode.INCOMPLETE_SIGNATURE.format(
                            "X-Amz-Expires must be a number of seconds from 1 to %d, got '%s'.", MAX_EXPIRES, e);
                }
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
        List<String> names = new ArrayList<>();
        for (String n : signed.split(";")) {
            if (!n.isBlank()) {
                names.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new Signature(new Credential(parts[0], parts[1], parts[2], parts[3]), amzDate, List.copyOf(names),
                signature, presigned, expires);
    }

    /**
     * Rejects a request signed more than 15 minutes away from {@code now}, and a presigned request after its
     * {@code X-Amz-Expires} (it may be used from 15 minutes before its date until then), as EC2 does:
     * {@code RequestExpired} (400).
     */
    public static void checkClock(Signature s, Instant now) {
        checkClock(s, now, true);
    }

    /**
     * {@link #checkClock(Signature, Instant)} with the error of the service: EC2's {@code RequestExpired} (400), or,
     * for the awsQuery services (STS, ELBv2), {@code SignatureDoesNotMatch} (403) with AWS's "Signature expired: ...
     * is now earlier than ... (... - 15 min.)" message, which is what those services answer a stale signature with.
     */
    public static void checkClock(Signature s, Instant now, boolean ec2) {
        if (s.amzDate() == null) {
            return;
        }
        Instant signedAt = signedAt(s.amzDate());
        if (s.presigned() && s.expires() != null) {
            if (now.isAfter(signedAt.plusSeconds(s.expires()))) {
                throw ec2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired. The presigned request "
                        + "was signed at " + s.amzDate() + " and is valid for " + s.expires() + " seconds.")
                        : expired(s.amzDate(), now.minusSeconds(s.expires()), now, s.expires() + " sec.");
            }
            if (Duration.between(now, signedAt).compareTo(MAX_SKEW) > 0) {
                throw ec2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request is not yet valid. Signed at "
                        + s.amzDate() + ", which is more than 15 minutes after the server time.")
                        : notYetCurrent(s.amzDate(), now);
            }
            return;
        }
        if (Duration.between(signedAt, now).compareTo(MAX_SKEW) > 0) {
            throw ec2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired. Signed at " + s.amzDate()
                    + ", which is more than 15 minutes from the server time.")
                    : expired(s.amzDate(), now.minus(MAX_SKEW), now, "15 min.");
        }
        if (Duration.between(now, signedAt).compareTo(MAX_SKEW) > 0) {
            throw ec2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired. Signed at " + s.amzDate()
                    + ", which is more than 15 minutes from the server time.")
                    : notYetCurrent(s.amzDate(), now);
        }
    }

    /** The awsQuery services' answer to a signature older than allowed. */
    private static AwsException expired(String amzDate, Instant earliest, Instant now, String window) {
        return new AwsException(SIGNATURE_DOES_NOT_MATCH, 403, "Signature expired: " + amzDate
                + " is now earlier than " + AMZ_DATE.format(earliest.atOffset(ZoneOffset.UTC)) + " ("
                + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - " + window + ")");
    }

    /** The awsQuery services' answer to a signature dated too far ahead. */
    private static AwsException notYetCurrent(String amzDate, Instant now) {
        return new AwsException(SIGNATURE_DOES_NOT_MATCH, 403, "Signature not yet current: " + amzDate
                + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
                + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 15 min.)");
    }

    private static Instant signedAt(String amzDate) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ErrorCode.INCOMPLETE_SIGNATURE.format("X-Amz-Date '%s' is not of the form yyyyMMddTHHmmssZ", amzDate);
        }
    }

    /**
     * The parts of an HTTP request that a signature covers, as they arrived: the path and query string still
     * percent-encoded, header names lower-case (several values of one header joined with {@code ,}), the body bytes.
     */
    public record HttpParts(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {}

    /** Why a signature did not verify. */
    public enum Mismatch {
        /** The signature is not the one the secret gives for this request. */
        SIGNATURE,
        /** The {@code x-amz-content-sha256} header is not the SHA-256 of the body. */
        PAYLOAD_HASH
    }

    /**
     * Recomputes the signature of {@code request} with {@code secret} and compares it, in constant time, with the
     * one sent: canonical request, string to sign, signing key chain, as AWS does.
     *
     * @return null when the signature verifies, else what is wrong
     */
    public static Mismatch verify(Signature s, HttpParts request, String secret) {
        String bodyHash = hex(sha256(request.body()));
        String payloadHash = bodyHash;
        String declared = request.headers().get("x-amz-content-sha256");
        if (declared != null) {
            if (!declared.equals(UNSIGNED_PAYLOAD) && !declared.trim().equalsIgnoreCase(bodyHash)) {
                return Mismatch.PAYLOAD_HASH;
            }
            payloadHash = declared.trim();
        }
        if (s.amzDate() == null) {
            return Mismatch.SIGNATURE;
        }
        String canonical = canonicalRequest(request, s.signedHeaders(), payloadHash, s.presigned());
        String expected = signature(secret, s.credential(), s.amzDate(), canonical);
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                s.signature().getBytes(StandardCharsets.UTF_8));
        return same ? null : Mismatch.SIGNATURE;
    }

    /** The hex signature of a canonical request: string to sign, then the signing key chain. */
    public static String signature(String secret, Credential c, String amzDate, String canonicalRequest) {
        String scope = c.date() + "/" + c.region() + "/" + c.service() + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), c.date());
        key = hmac(key, c.region());
        key = hmac(key, c.service());
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    /**
     * The canonical request: method, canonical URI, canonical query string, canonical headers, signed header list
     * and payload hash, one per line. A presigned request's own {@code X-Amz-Signature} is left out of the query.
     */
    public static String canonicalRequest(HttpParts r, List<String> signedHeaders, String payloadHash,
            boolean presigned) {
        StringBuilder sb = new StringBuilder(512);
        sb.append(r.method()).append('\n');
        sb.append(canonicalUri(r.rawPath())).append('\n');
        sb.append(canonicalQuery(r.rawQuery(), presigned)).append('\n');
        for (String name : signedHeaders.stream().sorted().toList()) {
            String value = r.headers().get(name);
            sb.append(name).append(':').append(value == null ? "" : canonicalHeaderValue(value)).append('\n');
        }
        sb.append('\n');
        sb.append(String.join(";", signedHeaders.stream().sorted().toList())).append('\n');
        sb.append(payloadHash);
        return sb.toString();
    }

    /**
     * The canonical URI of a path as it arrived: {@code /} if empty, else each segment URI-encoded once more (so a
     * segment sent as {@code %E1%88%B4} signs as {@code %25E1%2588%25B4}), which is the double encoding every
     * service but S3 uses.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder(rawPath.length() + 8);
        int start = 0;
        while (start <= rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            sb.append(encode(rawPath.substring(start, end)));
            if (slash < 0) {
                break;
            }
            sb.append('/');
            start = slash + 1;
        }
        String out = sb.toString();
        return out.startsWith("/") ? out : "/" + out;
    }

    /**
     * The canonical query string: each parameter decoded, then name and value re-encoded by RFC 3986 (upper-case
     * hex, space as {@code %20}), sorted by name then value, joined with {@code &}.
     */
    static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = encode(decode(eq < 0 ? part : part.substring(0, eq)));
            String value = eq < 0 ? "" : encode(decode(part.substring(eq + 1)));
            if (presigned && name.equals("X-Amz-Signature")) {
                continue;
            }
            pairs.add(new String[] {name, value});
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder sb = new StringBuilder(rawQuery.length() + 16);
        for (String[] p : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** A header value as signed: trimmed, with each run of spaces squeezed to one. */
    static String canonicalHeaderValue(String value) {
        String v = value.strip();
        StringBuilder sb = new StringBuilder(v.length());
        boolean space = false;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == ' ') {
                if (!space) {
                    sb.append(ch);
                }
                space = true;
            } else {
                sb.append(ch);
                space = false;
            }
        }
        return sb.toString();
    }

    /** RFC 3986 encoding of UTF-8 bytes: unreserved characters as they are, everything else {@code %XX}. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xFF);
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'
                    || ch == '_' || ch == '.' || ch == '~') {
                sb.append(ch);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * Percent-decodes a query component as UTF-8, reading {@code +} as a space as form decoding does; a
     * {@code %} not followed by two hex digits stands for itself.
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length()
                    && AsciiDigits.hexValue(s.charAt(i + 1)) >= 0 && AsciiDigits.hexValue(s.charAt(i + 2)) >= 0) {
                out.write(AsciiDigits.hexValue(s.charAt(i + 1)) * 16 + AsciiDigits.hexValue(s.charAt(i + 2)));
                i += 2;
            } else if (ch == '+') {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
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
