package dev.underpass.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses AWS policy JSON into a {@link Policy}, compiling every pattern on the way so that evaluation does no
 * parsing. The parser enforces the grammar (elements, their types, Effect and Version values, operator names, no
 * duplicate keys); everything that AWS accepts but warns about is left to {@link PolicyValidator}.
 *
 * <p>The parser is strict where AWS is: element names and {@code Effect} values are case-sensitive, and an object may
 * not repeat a key. It is lenient where AWS's evaluation is defined for odd input: a condition value of the wrong
 * type (a date that is not a date) is kept and matches nothing.
 */
public final class PolicyParser {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private PolicyParser() {}

    /** Parses a policy document. */
    public static Policy parse(String json) throws PolicyParseException {
        return parse(readTree(json));
    }

    /** Parses a policy document that must also fit within {@code limit}. */
    public static Policy parse(String json, SizeLimit limit) throws PolicyParseException {
        int size = limit.measure(json);
        if (size > limit.maxCharacters()) {
            throw new PolicyParseException(sizeIssueCode(limit), "", String.format(
                    "the policy is %,d characters long%s, over the %s limit of %,d", size,
                    limit.countsWhitespace() ? "" : " without whitespace", limit.name(), limit.maxCharacters()));
        }
        return parse(json);
    }

    static String sizeIssueCode(SizeLimit limit) {
        return limit.equals(SizeLimit.VPC_ENDPOINT_POLICY) ? "POLICY_SIZE_EXCEEDS_VPC_ENDPOINT_POLICY_QUOTA"
                : limit.equals(SizeLimit.CONTROL_POLICY) ? "POLICY_SIZE_EXCEEDS_SCP_QUOTA"
                : limit.equals(SizeLimit.ROLE_TRUST_POLICY) ? "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"
                : "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA";
    }

    static JsonNode readTree(String json) throws PolicyParseException {
        if (json == null || json.isBlank()) {
            throw new PolicyParseException("JSON_SYNTAX_ERROR", "", "the policy document is empty");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String msg = e.getOriginalMessage();
            if (msg.startsWith("Duplicate field '") && msg.endsWith("'")) {
                msg = "the key \"" + msg.substring("Duplicate field '".length(), msg.length() - 1)
                        + "\" appears twice in one object";
            }
            int nl = msg.indexOf('\n');
            throw new PolicyParseException("JSON_SYNTAX_ERROR", "",
                    "the policy is not valid JSON: " + (nl < 0 ? msg : msg.substring(0, nl)) + where);
        }
    }

    /** Parses a policy already read as a Jackson tree (duplicate keys can no longer be detected there). */
    public static Policy parse(JsonNode root) throws PolicyParseException {
        if (root == null || !root.isObject()) {
            throw new PolicyParseException("JSON_SYNTAX_ERROR", "",
                    "a policy must be a JSON object, not " + kind(root));
        }
        PolicyVersion version = PolicyVersion.UNSPECIFIED;
        String id = null;
        JsonNode statementNode = null;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "Version" -> {
                    String text = string(value, "Version", "INVALID_VERSION");
                    version = PolicyVersion.fromWire(text);
                    if (version == null) {
                        throw new PolicyParseException("INVALID_VERSION", "Version",
                                "\"" + text + "\" is not a policy language version; write \"2012-10-17\"");
                    }
                }
                case "Id" -> id = string(value, "Id", "INVALID_POLICY_ELEMENT");
                case "Statement" -> statementNode = value;
                default -> throw new PolicyParseException("INVALID_POLICY_ELEMENT", name,
                        "unknown policy element \"" + name + "\"; a policy has only Version, Id and Statement");
            }
        }
        if (statementNode == null) {
            throw new PolicyParseException("MISSING_STATEMENT", "", "the policy has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (statementNode.isObject()) {
            statements.add(statement(statementNode, "Statement[0]", version.supportsVariables()));
        } else if (statementNode.isArray()) {
            for (int i = 0; i < statementNode.size(); i++) {
                JsonNode s = statementNode.get(i);
                String path = "Statement[" + i + "]";
                if (!s.isObject()) {
                    throw new PolicyParseException("INVALID_POLICY_ELEMENT", path,
                            "a statement must be a JSON object, not " + kind(s));
                }
                statements.add(statement(s, path, version.supportsVariables()));
            }
        } else {
            throw new PolicyParseException("INVALID_POLICY_ELEMENT", "Statement",
                    "Statement must be an object or a list of objects, not " + kind(statementNode));
        }
        return new Policy(version, id, statements);
    }

    private static Statement statement(JsonNode node, String path, boolean variables) throws PolicyParseException {
        String sid = null;
        Effect effect = null;
        PrincipalElement principal = new PrincipalElement.None();
        ActionElement action = null;
        ResourceElement resource = new ResourceElement.None();
        List<Condition> conditions = List.of();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "." + name;
            switch (name) {
                case "Sid" -> sid = string(value, at, "INVALID_POLICY_ELEMENT");
                case "Effect" -> {
                    String text = string(value, at, "INVALID_EFFECT");
                    effect = Effect.fromWire(text);
                    if (effect == null) {
                        throw new PolicyParseException("INVALID_EFFECT", at,
                                "\"" + text + "\" is not an effect; write \"Allow\" or \"Deny\"");
                    }
                }
                case "Principal", "NotPrincipal" -> {
                    if (!(principal instanceof PrincipalElement.None)) {
                        throw new PolicyParseException("INVALID_POLICY_ELEMENT", at,
                                "a statement may have Principal or NotPrincipal, not both");
                    }
                    List<PrincipalId> ids = principals(value, at);
                    principal = name.equals("Principal") ? new PrincipalElement.Principal(ids)
                            : new PrincipalElement.NotPrincipal(ids);
                }
                case "Action", "NotAction" -> {
                    if (action != null) {
                        throw new PolicyParseException("INVALID_POLICY_ELEMENT", at,
                                "a statement may have Action or NotAction, not both");
                    }
                    List<ActionElement.Pattern> patterns = new ArrayList<>();
                    for (String text : strings(value, at, "INVALID_ACTION")) {
                        patterns.add(ActionElement.Pattern.of(text));
                    }
                    action = name.equals("Action") ? new ActionElement.Action(patterns)
                            : new ActionElement.NotAction(patterns);
                }
                case "Resource", "NotResource" -> {
                    if (!(resource instanceof ResourceElement.None)) {
                        throw new PolicyParseException("INVALID_POLICY_ELEMENT", at,
                                "a statement may have Resource or NotResource, not both");
                    }
                    List<ResourceElement.Pattern> patterns = new ArrayList<>();
                    for (String text : strings(value, at, "INVALID_RESOURCE")) {
                        patterns.add(new ResourceElement.Pattern(text, Template.compile(text, variables, true, false)));
                    }
                    resource = name.equals("Resource") ? new ResourceElement.Resource(patterns)
                            : new ResourceElement.NotResource(patterns);
                }
                case "Condition" -> conditions = conditions(value, at, variables);
                default -> throw new PolicyParseException("INVALID_POLICY_ELEMENT", at, "unknown statement element \""
                        + name + "\"; a statement has Sid, Effect, Principal or NotPrincipal, Action or NotAction,"
                        + " Resource or NotResource, and Condition");
            }
        }
        if (effect == null) {
            throw new PolicyParseException("MISSING_EFFECT", path, "the statement has no Effect");
        }
        if (action == null) {
            throw new PolicyParseException("MISSING_ACTION", path, "the statement has no Action or NotAction");
        }
        return new Statement(sid, effect, principal, action, resource, conditions);
    }

    private static List<PrincipalId> principals(JsonNode value, String at) throws PolicyParseException {
        if (value.isTextual()) {
            if (!value.textValue().equals("*")) {
                throw new PolicyParseException("INVALID_PRINCIPAL_FORMAT", at, "\"" + value.textValue()
                        + "\" is not a principal; write \"*\" or an object such as {\"AWS\": \"123456789012\"}");
            }
            return List.of(new PrincipalId.AnyPrincipal("*"));
        }
        if (!value.isObject()) {
            throw new PolicyParseException("INVALID_PRINCIPAL_FORMAT", at,
                    "a principal must be \"*\" or an object, not " + kind(value));
        }
        List<PrincipalId> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String key = field.getKey();
            String keyAt = at + "." + key;
            for (String text : strings(field.getValue(), keyAt, "INVALID_PRINCIPAL_FORMAT")) {
                ids.add(switch (key) {
                    case "AWS" -> PrincipalId.aws(text);
                    case "Service" -> new PrincipalId.Service(text);
                    case "Federated" -> new PrincipalId.Federated(text);
                    case "CanonicalUser" -> new PrincipalId.CanonicalUser(text);
                    default -> throw new PolicyParseException("INVALID_PRINCIPAL_KEY", keyAt, "\"" + key
                            + "\" is not a principal type; use AWS, Service, Federated or CanonicalUser");
                });
            }
        }
        return ids;
    }

    private static List<Condition> conditions(JsonNode value, String at, boolean variables)
            throws PolicyParseException {
        if (!value.isObject()) {
            throw new PolicyParseException("INVALID_POLICY_ELEMENT", at,
                    "Condition must be an object of operators, not " + kind(value));
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : value.properties()) {
            String opAt = at + "." + op.getKey();
            ConditionOperator operator = ConditionOperator.parse(op.getKey());
            if (operator == null) {
                throw new PolicyParseException("INVALID_CONDITION_OPERATOR", opAt,
                        "\"" + op.getKey() + "\" is not a condition operator");
            }
            if (!op.getValue().isObject()) {
                throw new PolicyParseException("INVALID_POLICY_ELEMENT", opAt, "the operator must map condition"
                        + " keys to values, as in {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}, not " + kind(op.getValue()));
            }
            boolean vars = variables && operator.base().takesVariables();
            for (Map.Entry<String, JsonNode> k : op.getValue().properties()) {
                String keyAt = opAt + "." + k.getKey();
                if (k.getKey().isEmpty()) {
                    throw new PolicyParseException("INVALID_CONDITION_KEY_FORMAT", keyAt, "a condition key is empty");
                }
                List<ConditionValue> values = new ArrayList<>();
                for (String text : strings(k.getValue(), keyAt, "INVALID_CONDITION_DATA_TYPE")) {
                    values.add(ConditionValue.compile(operator.base(), text, vars));
                }
                conditions.add(new Condition(operator, ConditionKey.of(k.getKey()), values));
            }
        }
        return conditions;
    }

    /** A string, or a list of strings; in conditions numbers and booleans are accepted as their text. */
    private static List<String> strings(JsonNode value, String at, String code) throws PolicyParseException {
        boolean scalarsAllowed = code.equals("INVALID_CONDITION_DATA_TYPE");
        if (value.isArray()) {
            List<String> out = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                out.add(scalar(value.get(i), at + "[" + i + "]", code, scalarsAllowed));
            }
            return out;
        }
        return List.of(scalar(value, at, code, scalarsAllowed));
    }

    private static String scalar(JsonNode value, String at, String code, boolean scalarsAllowed)
            throws PolicyParseException {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (scalarsAllowed && value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
        }
        if (scalarsAllowed && value.isBoolean()) {
            return value.asText();
        }
        throw new PolicyParseException(code, at, "expected a string" + (scalarsAllowed ? ", number or boolean" : "")
                + (at.endsWith("]") ? "" : " or a list of them") + ", not " + kind(value));
    }

    private static String string(JsonNode value, String at, String code) throws PolicyParseException {
        if (!value.isTextual()) {
            throw new PolicyParseException(code, at, "expected a string, not " + kind(value));
        }
        return value.textValue();
    }

    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "the string \"" + node.textValue() + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> "the boolean " + node.asText();
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
