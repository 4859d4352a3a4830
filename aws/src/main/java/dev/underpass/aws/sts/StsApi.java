package dev.underpass.aws.sts;

import dev.underpass.aws.AwsQueryApi;
import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.sts.Principal;
import dev.underpass.model.sts.Principals;
import dev.underpass.model.sts.Sessions;
import dev.underpass.model.sts.StsError;
import dev.underpass.policy.AuthorizationMessage;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.PrincipalElement;
import dev.underpass.policy.SizeLimit;
import dev.underpass.policy.Statement;
import dev.underpass.store.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.DecodeAuthorizationMessageRequest;
import software.amazon.awssdk.services.sts.model.DecodeAuthorizationMessageResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.GetSessionTokenRequest;
import software.amazon.awssdk.services.sts.model.GetSessionTokenResponse;
import software.amazon.awssdk.services.sts.model.StsRequest;
import software.amazon.awssdk.services.sts.model.StsResponse;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * STS (awsQuery, 2011-06-15): {@code GetCallerIdentity}, which tools ask before anything else, the two calls
 * that issue temporary credentials, {@code AssumeRole} and {@code GetSessionToken}, and
 * {@code DecodeAuthorizationMessage} for the messages of requests that service control policies refused. Issued
 * credentials are stored (see {@link Sessions}); requests signed with them act as their principal.
 *
 * <p>Service control policies: as in AWS, {@code GetCallerIdentity} and {@code GetSessionToken} need no permission
 * and no policy can refuse them; {@code AssumeRole} and {@code DecodeAuthorizationMessage} are checked for a member
 * account ({@link OrgGuard}) and refused with {@code AccessDenied} (403).
 *
 * <p>underpass has no IAM: any caller may assume any role ARN (there is no trust policy to check), and a session
 * policy is validated and kept but does not narrow what the session may do.
 */
public final class StsApi extends AwsQueryApi<StsRequest, StsResponse> {
    public static final String VERSION = "2011-06-15";
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** Session policies: 2,048 characters of plain text. */
    static final SizeLimit SESSION_POLICY = new SizeLimit("session policy", 2_048, true);
    /** What the packed session policy and tags may take, in deflated bytes; sizes are reported as a percentage. */
    static final int PACKED_CAPACITY = 2_048;
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\w+=/:,.@-]*");
    private static final Pattern TOKEN_CODE = Pattern.compile("\\d{6}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    /** The refused principal's account in a decoded message ({@code "principal":{…,"arn":"arn:aws:iam::…:"}}). */
    private static final Pattern MESSAGE_ACCOUNT = Pattern.compile(
            "\"principal\":\\{[^}]*\"arn\":\"arn:aws:(?:iam|sts)::(\\d{12}):");
    private static final int CHAINED_MAX_SECONDS = 3_600;
    private static final int ROOT_SESSION_MAX_SECONDS = 3_600;

    public StsApi(Store store) {
        super(store, VERSION, NAMESPACE);
        read("GetCallerIdentity", GetCallerIdentityRequest::builder, (req, ctx) -> {
            Caller caller = ctx.caller();
            return GetCallerIdentityResponse.builder().account(caller.accountId()).arn(caller.principalArn())
                    .userId(Principals.userId(caller.principalArn())).build();
        });
        read("DecodeAuthorizationMessage", DecodeAuthorizationMessageRequest::builder, (req, ctx) -> {
            // Unlike GetCallerIdentity and GetSessionToken, which no policy controls, decoding needs
            // sts:DecodeAuthorizationMessage, so an SCP can refuse it.
            OrgGuard.check(ctx.world(), ctx.caller(), ctx.now(), new OrgGuard.Check(
                    "sts:DecodeAuthorizationMessage", List.of(), Map.of())).ifPresent(d -> {
                        throw StsError.ACCESS_DENIED.with(d.accessDeniedMessage());
                    });
            return decodeAuthorizationMessage(req, ctx.caller());
        });
        write("AssumeRole", AssumeRoleRequest::builder, this::assumeRole);
        write("GetSessionToken", GetSessionTokenRequest::builder, this::getSessionToken);
    }

    /**
     * The decision behind an {@code UnauthorizedOperation}'s encoded message ({@link AuthorizationMessage}). Only the
     * account refused may read it, as only it may in AWS; another account's token is as invalid as a damaged one.
     */
    private static DecodeAuthorizationMessageResponse decodeAuthorizationMessage(
            DecodeAuthorizationMessageRequest req, Caller caller) {
        String token = required(req.encodedMessage(), "encodedMessage");
        String json;
        try {
            json = AuthorizationMessage.decode(token);
        } catch (IllegalArgumentException e) {
            throw StsError.INVALID_AUTHORIZATION_MESSAGE.with("The encoded authorization message is not valid: "
                    + e.getMessage());
        }
        java.util.regex.Matcher m = MESSAGE_ACCOUNT.matcher(json);
        if (!m.find() || !m.group(1).equals(caller.accountId())) {
            throw StsError.INVALID_AUTHORIZATION_MESSAGE.with(
                    "The encoded authorization message is not valid: it was not issued to this account");
        }
        return DecodeAuthorizationMessageResponse.builder().decodedMessage(json).build();
    }

    // The SDK marks PackedPolicySize deprecated, but STS still returns it and the CLI prints it.
    @SuppressWarnings("deprecation")
    private AssumeRoleResponse assumeRole(AssumeRoleRequest req, Tx tx) {
        String roleArn = required(req.roleArn(), "roleArn");
        length(roleArn, "roleArn", 20, 2048);
        String sessionName = required(req.roleSessionName(), "roleSessionName");
        length(sessionName, "roleSessionName", 2, 64);
        pattern(sessionName, "roleSessionName", SESSION_NAME);
        if (!(Principal.parse(roleArn).orElse(null) instanceof Principal.Role role)) {
            throw StsError.VALIDATION_ERROR.format("Request ARN is invalid: %s", roleArn);
        }
        int seconds = req.durationSeconds() == null ? 3_600 : req.durationSeconds();
        range(seconds, "durationSeconds", 900, 43_200);
        Caller caller = tx.caller();
        if (Principal.parse(caller.principalArn()).orElse(null) instanceof Principal.AssumedRole
                && seconds > CHAINED_MAX_SECONDS) {
            throw StsError.VALIDATION_ERROR.with("The requested DurationSeconds exceeds the 1 hour session limit "
                    + "for roles assumed by role chaining.");
        }
        if (req.externalId() != null) {
            length(req.externalId(), "externalId", 2, 1224);
            pattern(req.externalId(), "externalId", EXTERNAL_ID);
        }
        mfa(req.serialNumber(), req.tokenCode());
        String sourceIdentity = req.sourceIdentity();
        if (sourceIdentity != null) {
            length(sourceIdentity, "sourceIdentity", 2, 64);
            pattern(sourceIdentity, "sourceIdentity", SESSION_NAME);
            if (sourceIdentity.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw StsError.VALIDATION_ERROR.format(
                        "SourceIdentity '%s' may not begin with the reserved prefix 'aws:'.", sourceIdentity);
            }
        }
        if (req.hasPolicyArns() && req.policyArns().size() > 10) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value at 'policyArns' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 10");
        }
        String policy = req.policy();
        if (policy != null) {
            sessionPolicy(policy);
        }
        Map<String, String> tags = sessionTags(req.hasTags() ? req.tags() : List.of());
        Integer packed = policy == null && tags.isEmpty() ? null : packedPercent(policy, tags);
        if (packed != null && packed > 100) {
            throw StsError.PACKED_POLICY_TOO_LARGE.format(
                    "Packed policy consumes %d%% of allotted space, please use smaller policy.", packed);
        }
        authorizeAssumeRole(tx, roleArn, role.account(), sessionName, req.externalId(), sourceIdentity, tags);
        String account = role.account();
        String roleName = role.name();
        String assumedRoleId = Principals.roleId(account, roleName) + ":" + sessionName;
        String sessionArn = Principals.assumedRole(account, roleName, sessionName);
        Sessions.Issued issued = Sessions.issue(tx, account, sessionArn, assumedRoleId, Duration.ofSeconds(seconds),
                policy, tags, sourceIdentity, caller.sessionKeyId());
        return AssumeRoleResponse.builder().credentials(credentials(issued))
                .assumedRoleUser(AssumedRoleUser.builder().assumedRoleId(assumedRoleId).arn(sessionArn).build())
                .packedPolicySize(packed).sourceIdentity(sourceIdentity).build();
    }

    /**
     * The organization's control policies on {@code sts:AssumeRole}: the SCPs of the caller's account (when it is a
     * member), then the RCPs of the role's account (STS is one of the services AWS applies RCPs to), each as
     * {@link OrgGuard} decides; a refusal is STS's {@code AccessDenied} (403) and issues nothing.
     */
    private static void authorizeAssumeRole(Tx tx, String roleArn, String roleAccount, String sessionName,
            String externalId, String sourceIdentity, Map<String, String> tags) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("sts:RoleSessionName", sessionName);
        if (externalId != null) {
            keys.put("sts:ExternalId", externalId);
        }
        if (sourceIdentity != null) {
            keys.put("sts:SourceIdentity", sourceIdentity);
        }
        tags.forEach((k, v) -> keys.put("aws:RequestTag/" + k, v));
        if (!tags.isEmpty()) {
            keys.put("aws:TagKeys", List.copyOf(tags.keySet()));
        }
        OrgGuard.Check check = new OrgGuard.Check("sts:AssumeRole",
                List.of(new OrgGuard.Target(roleArn, Map.of())), keys);
        OrgGuard.check(tx.world(), tx.caller(), tx.now(), check)
                .or(() -> OrgGuard.checkResource(tx.world(), tx.caller(), tx.now(), roleAccount, check))
                .ifPresent(d -> {
                    throw StsError.ACCESS_DENIED.with(d.accessDeniedMessage());
                });
    }

    private GetSessionTokenResponse getSessionToken(GetSessionTokenRequest req, Tx tx) {
        Caller caller = tx.caller();
        if (caller.session()) {
            throw StsError.ACCESS_DENIED.with("Cannot call GetSessionToken with session credentials");
        }
        int seconds = req.durationSeconds() == null ? 43_200 : req.durationSeconds();
        range(seconds, "durationSeconds", 900, 129_600);
        mfa(req.serialNumber(), req.tokenCode());
        if (Principal.parse(caller.principalArn()).orElse(null) instanceof Principal.Root) {
            // Sessions of an account's root user last at most an hour; AWS shortens longer requests silently.
            seconds = Math.min(seconds, ROOT_SESSION_MAX_SECONDS);
        }
        Sessions.Issued issued = Sessions.issue(tx, caller.accountId(), caller.principalArn(), null,
                Duration.ofSeconds(seconds), null, Map.of(), null, null);
        return GetSessionTokenResponse.builder().credentials(credentials(issued)).build();
    }

    private static Credentials credentials(Sessions.Issued issued) {
        return Credentials.builder().accessKeyId(issued.record().id()).secretAccessKey(issued.secretAccessKey())
                .sessionToken(issued.sessionToken()).expiration(issued.record().expiration()).build();
    }

    private static void mfa(String serialNumber, String tokenCode) {
        if (serialNumber != null) {
            length(serialNumber, "serialNumber", 9, 256);
            pattern(serialNumber, "serialNumber", SERIAL_NUMBER);
        }
        if (tokenCode != null && !TOKEN_CODE.matcher(tokenCode).matches()) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%s' at 'tokenCode' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*, and have "
                    + "length 6", tokenCode);
        }
        if (tokenCode != null && serialNumber == null) {
            throw StsError.VALIDATION_ERROR.with("SerialNumber is required when TokenCode is given.");
        }
    }

    /** Checks a session policy: its length, its grammar, and that it names no principal. */
    static Policy sessionPolicy(String policy) {
        length(policy, "policy", 1, Integer.MAX_VALUE);
        if (SESSION_POLICY.exceededBy(policy)) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value at 'policy' failed to "
                    + "satisfy constraint: Member must have length less than or equal to %d (it has %d)",
                    SESSION_POLICY.maxCharacters(), SESSION_POLICY.measure(policy));
        }
        Policy parsed;
        try {
            parsed = PolicyParser.parse(policy, SESSION_POLICY);
        } catch (PolicyParseException e) {
            throw StsError.MALFORMED_POLICY_DOCUMENT.format("Syntax errors in policy: %s", e.getMessage());
        }
        for (Statement s : parsed.statements()) {
            if (!(s.principal() instanceof PrincipalElement.None)) {
                throw StsError.MALFORMED_POLICY_DOCUMENT.with("Policy document should not specify a principal.");
            }
        }
        return parsed;
    }

    private static Map<String, String> sessionTags(List<Tag> tags) {
        if (tags.size() > 50) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value at 'tags' failed to satisfy "
                    + "constraint: Member must have length less than or equal to 50 (it has %d)", tags.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> lowerKeys = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            Tag t = tags.get(i);
            String where = "tags." + (i + 1) + ".member";
            String key = required(t.key(), where + ".key");
            length(key, where + ".key", 1, 128);
            pattern(key, where + ".key", TAG_KEY);
            String value = required(t.value(), where + ".value");
            length(value, where + ".value", 0, 256);
            pattern(value, where + ".value", TAG_VALUE);
            if (lowerKeys.put(key.toLowerCase(Locale.ROOT), key) != null) {
                throw StsError.VALIDATION_ERROR.format("Duplicate tag keys found: '%s'. Please note that Tag keys "
                        + "are case insensitive.", key);
            }
            out.put(key, value);
        }
        return out;
    }

    /**
     * The packed size of a session policy and tags as a percentage of what a session token carries. AWS does not
     * publish its packing; underpass deflates the policy (whitespace removed) and the tags and compares the result
     * with {@link #PACKED_CAPACITY} bytes.
     */
    static int packedPercent(String policy, Map<String, String> tags) {
        StringBuilder text = new StringBuilder();
        if (policy != null) {
            text.append(minify(policy));
        }
        tags.forEach((k, v) -> text.append('\u0000').append(k).append('\u0001').append(v));
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(text.toString().getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return Math.max(1, (int) Math.ceil(out.size() * 100.0 / PACKED_CAPACITY));
        } finally {
            deflater.end();
        }
    }

    private static String minify(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    sb.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                sb.append(c);
                inString = c == '"';
            }
        }
        return sb.toString();
    }

    private static String required(String value, String member) {
        if (value == null) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value null at '%s' failed to "
                    + "satisfy constraint: Member must not be null", member);
        }
        return value;
    }

    private static void length(String value, String member, int min, int max) {
        if (value.length() < min) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%s' at '%s' failed to "
                    + "satisfy constraint: Member must have length greater than or equal to %d", value, member, min);
        }
        if (value.length() > max) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%s' at '%s' failed to "
                    + "satisfy constraint: Member must have length less than or equal to %d", value, member, max);
        }
    }

    private static void pattern(String value, String member, Pattern p) {
        if (!p.matcher(value).matches()) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%s' at '%s' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: %s", value, member,
                    p.pattern());
        }
    }

    private static void range(int value, String member, int min, int max) {
        if (value < min) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%d' at '%s' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to %d", value, member, min);
        }
        if (value > max) {
            throw StsError.VALIDATION_ERROR.format("1 validation error detected: Value '%d' at '%s' failed to "
                    + "satisfy constraint: Member must have value less than or equal to %d", value, member, max);
        }
    }

    @Override
    protected AwsException unknownAction(String action) {
        return ErrorCode.INVALID_ACTION.format("Could not find operation %s for version %s", action, VERSION);
    }

    /** Renders any failure as STS's awsQuery error envelope; only a non-AWS exception is a 500. */
    public static AwsResponse error(Throwable failure, String requestId, String action) {
        return error(failure, requestId, action, NAMESPACE);
    }
}
