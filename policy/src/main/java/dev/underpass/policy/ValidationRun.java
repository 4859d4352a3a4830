package dev.underpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One validation run over a parsed policy: the state every check shares (the policy type, the parsed and raw
 * documents, where each path stands in the text, the findings so far) and the document-level checks (Version, Id,
 * Sids). The element checks ({@link ElementChecks}) and condition checks ({@link ConditionChecks}) live apart and
 * report through {@link #add}; the ARN and policy-variable checks stay here because both of those classes call them.
 */
record ValidationRun(PolicyType type, Policy policy, JsonNode root, JsonLocations locations,
        List<Finding> findings) {
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
            "aws-iso-e", "aws-iso-f", "aws-eusc");

    void add(FindingType t, String code, String path, String message) {
        findings.add(new Finding(t, code, message, locations.locate(path)));
    }

    /** Runs every check, adding the findings in document order. */
    void check() {
        if (policy.version() == PolicyVersion.UNSPECIFIED) {
            add(FindingType.WARNING, "MISSING_VERSION", "", "the policy has no Version; add \"Version\":"
                    + " \"2012-10-17\", without which policy variables are read as literal text");
        }
        if (policy.id() != null && type == PolicyType.IDENTITY) {
            add(FindingType.WARNING, "UNSUPPORTED_ID_ELEMENT", "Id",
                    "Id belongs in resource-based policies; identity-based policies do not take it");
        }
        checkSids();
        List<Statement> statements = policy.statements();
        JsonNode statementNode = root.get("Statement");
        for (int i = 0; i < statements.size(); i++) {
            JsonNode raw = statementNode.isArray() ? statementNode.get(i) : statementNode;
            statement(statements.get(i), "Statement[" + i + "]", raw);
        }
    }

    private void checkSids() {
        Map<String, Integer> seen = new HashMap<>();
        List<Statement> statements = policy.statements();
        for (int i = 0; i < statements.size(); i++) {
            String sid = statements.get(i).sid();
            String path = "Statement[" + i + "].Sid";
            if (sid == null) {
                continue;
            }
            if (sid.isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_SID_VALUE", path, "the Sid is empty; remove it or name the"
                        + " statement");
                continue;
            }
            if (type.strictSids() && !SID.matcher(sid).matches()) {
                add(FindingType.ERROR, "INVALID_SID", path, "Sid \"" + sid + "\" may contain only letters A-Z,"
                        + " a-z and digits 0-9 in this type of policy");
            }
            Integer first = seen.putIfAbsent(sid, i);
            if (first != null) {
                add(type.strictSids() ? FindingType.ERROR : FindingType.WARNING,
                        type.strictSids() ? "UNIQUE_SIDS_REQUIRED" : "UNIQUE_SIDS_RECOMMENDED", path,
                        "Sid \"" + sid + "\" is also used by Statement[" + first + "]; give each statement its"
                                + " own Sid");
            }
        }
    }

    private void statement(Statement s, String path, JsonNode raw) {
        ElementChecks elements = new ElementChecks(this);
        elements.principal(s, path);
        elements.actions(s, path, raw);
        elements.resources(s, path, raw);
        JsonNode rawCondition = raw.get("Condition");
        if (rawCondition != null && rawCondition.isEmpty()) {
            add(FindingType.SUGGESTION, "EMPTY_OBJECT_CONDITION", path + ".Condition",
                    "the Condition block is empty; remove it");
        }
        new ConditionChecks(this).conditions(s, path, rawCondition);
    }

    /** The path of the j-th value of an element: with an index only when the element was written as a list. */
    static String item(String at, JsonNode rawValue, int j) {
        return rawValue != null && rawValue.isArray() ? at + "[" + j + "]" : at;
    }

    /** Checks the shape of an ARN written in Resource or an ARN condition. */
    void arn(String text, String at, Template template) {
        if (!text.startsWith("arn:")) {
            add(FindingType.ERROR, "INVALID_ARN_PREFIX", at, "\"" + text + "\" is not an ARN; an ARN starts"
                    + " with \"arn:\" (or write \"*\")");
            return;
        }
        Arn arn = Arn.parse(text);
        if (arn == null) {
            add(FindingType.ERROR, "MISSING_ARN_FIELD", at, "\"" + text + "\" has fewer than the six parts"
                    + " arn:partition:service:region:account:resource");
            return;
        }
        if (!arn.partition().contains("*") && !arn.partition().contains("$")
                && !PARTITIONS.contains(arn.partition())) {
            add(FindingType.ERROR, "INVALID_PARTITION", at, "\"" + arn.partition() + "\" in \"" + text
                    + "\" is not a partition such as aws, aws-cn or aws-us-gov");
        }
        if (template != null && template.hasVariables()) {
            int prefixLength = text.length() - arn.resource().length();
            if (template.firstVariableOffset() < prefixLength) {
                add(FindingType.ERROR, "VARIABLE_UNSUPPORTED_IN_ELEMENT", at, "\"" + text + "\": a policy"
                        + " variable may stand only in the resource part of an ARN, after the fifth colon");
            }
        }
        String account = arn.account();
        if (type == PolicyType.VPC_ENDPOINT && !account.isEmpty() && !account.equals("*")
                && !Arn.isAccountId(account) && (account.contains("*") || account.contains("?"))) {
            add(FindingType.ERROR, "INVALID_ARN_ACCOUNT", at, "\"" + account + "\" in \"" + text + "\": in an"
                    + " endpoint policy the account field is a full account id or \"*\", not a mix");
        }
    }

    void variables(Template template, String text, String at, boolean allowed) {
        if (!text.contains("${")) {
            return;
        }
        if (!policy.version().supportsVariables()) {
            add(FindingType.ERROR, "VARIABLE_UNSUPPORTED_IN_VERSION", at, "\"" + text + "\" uses a policy"
                    + " variable, which needs \"Version\": \"2012-10-17\"; here it is literal text");
            return;
        }
        if (!allowed) {
            return;
        }
        for (Template.Problem problem : template.problems()) {
            add(FindingType.ERROR, problem.issueCode(), at, "\"" + text + "\": " + problem.message());
        }
        for (String key : template.variableKeys()) {
            if (KnownConditionKeys.MULTIVALUED_KEYS.contains(key)) {
                add(FindingType.WARNING, "MULTIVALUED_KEY_AS_VARIABLE", at, "\"" + text + "\": the multivalued"
                        + " key " + key + " cannot be used as a policy variable; it resolves to null");
            }
        }
    }

    String typeName() {
        return switch (type) {
            case IDENTITY -> "identity-based policy";
            case RESOURCE -> "resource-based policy";
            case SERVICE_CONTROL -> "service control policy";
            case RESOURCE_CONTROL -> "resource control policy";
            case VPC_ENDPOINT -> "VPC endpoint policy";
            case ROLE_TRUST -> "role trust policy";
        };
    }
}
