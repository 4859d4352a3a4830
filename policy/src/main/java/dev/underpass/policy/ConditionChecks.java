package dev.underpass.policy;

import static dev.underpass.policy.KnownConditionKeys.GENERATED_ID_KEYS;
import static dev.underpass.policy.KnownConditionKeys.IP_KEYS;
import static dev.underpass.policy.KnownConditionKeys.MULTIVALUED_KEYS;
import static dev.underpass.policy.KnownConditionKeys.SINGLE_VALUED_KEYS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks on a statement's Condition block: operators against the kind of key they compare (set qualifiers on
 * single- or multivalued keys, IP operators on IP keys), the values' types, the network mistakes (private ranges in
 * {@code aws:SourceIp}, malformed {@code vpc-}/{@code vpce-} ids, private-address keys without their VPC key) and the
 * stricter wildcard rules of VPC endpoint policies. Conditions are the largest part of validation, hence their own
 * class.
 */
record ConditionChecks(ValidationRun run) {
    private static final Pattern VPC_ID = Pattern.compile("vpc-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})");
    private static final Pattern VPCE_ID = Pattern.compile("vpce-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})");

    void conditions(Statement s, String path, JsonNode rawCondition) {
        if (rawCondition != null) {
            for (Map.Entry<String, JsonNode> op : rawCondition.properties()) {
                Map<String, String> seen = new HashMap<>();
                for (String key : iterable(op.getValue())) {
                    String previous = seen.put(ConditionKey.normalize(key), key);
                    if (previous != null) {
                        run.add(FindingType.ERROR, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", path + ".Condition."
                                + op.getKey() + "." + key,
                                "\"" + key + "\" and \"" + previous + "\" are the same"
                                        + " key (keys are case-insensitive); merge their values");
                    }
                }
            }
        }
        Set<String> keysInStatement = new HashSet<>();
        for (Condition c : s.conditions()) {
            keysInStatement.add(c.key().lookup());
        }
        for (Condition c : s.conditions()) {
            JsonNode rawValues = rawCondition.get(c.operator().wireName()).get(c.key().name());
            condition(c, path + ".Condition." + c.operator().wireName() + "." + c.key().name(), rawValues);
        }
        if (s.effect() == Effect.ALLOW) {
            paired(keysInStatement, "aws:vpcsourceip", Set.of("aws:sourcevpc", "aws:sourcevpce"),
                    "aws:VpcSourceIp", "aws:SourceVpc", path);
            paired(keysInStatement, "aws:ec2instancesourceprivateipv4", Set.of("aws:ec2instancesourcevpc"),
                    "aws:Ec2InstanceSourcePrivateIPv4", "aws:Ec2InstanceSourceVpc", path);
        }
    }

    private void paired(Set<String> keys, String key, Set<String> partners, String keyName, String partnerName,
            String path) {
        if (keys.contains(key) && partners.stream().noneMatch(keys::contains)) {
            run.add(FindingType.SECURITY_WARNING, "MISSING_PAIRED_CONDITION_KEYS", path + ".Condition", keyName
                    + " is used without " + partnerName + ": the same private address exists in many VPCs,"
                    + " so also pin the VPC");
        }
    }

    private void condition(Condition c, String at, JsonNode rawValues) {
        ConditionOperator op = c.operator();
        Operator base = op.base();
        String key = c.key().lookup();
        String keyName = c.key().name();
        if (base == Operator.NULL && op.ifExists()) {
            run.add(FindingType.ERROR, "NULL_WITH_IF_EXISTS", at, op.wireName() + " is not an operator: Null"
                    + " already tests whether the key exists, so it takes no IfExists suffix");
        }
        if (base == Operator.NULL && op.qualifier() != SetQualifier.NONE) {
            run.add(FindingType.SUGGESTION, "NULL_WITH_QUALIFIER", at, op.wireName() + " is always "
                    + (op.qualifier() == SetQualifier.FOR_ALL_VALUES ? "true" : "false")
                    + "; use Null without a set qualifier");
        }
        if (op.qualifier() == SetQualifier.FOR_ALL_VALUES && isSingleValued(key)) {
            run.add(FindingType.SECURITY_WARNING, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", at, "ForAllValues on the"
                    + " single-valued key " + keyName + " is true whenever the key is missing; drop the"
                    + " qualifier");
        }
        if (op.qualifier() == SetQualifier.NONE && base != Operator.NULL && MULTIVALUED_KEYS.contains(key)) {
            run.add(FindingType.ERROR, "MISSING_QUALIFIER", at, keyName + " can hold several values; write"
                    + " ForAnyValue:" + base.wireName() + " or ForAllValues:" + base.wireName());
        }
        if (c.values().isEmpty()) {
            run.add(FindingType.SUGGESTION, "EMPTY_ARRAY_CONDITION", at, "the condition has no values");
        }
        if (base == Operator.BOOL && c.values().stream().map(v -> v.text().toLowerCase(Locale.ROOT))
                .distinct().count() > 1) {
            run.add(FindingType.ERROR, "INVALID_CONDITION_MULTIPLE_BOOLEAN", at, keyName + " is given both"
                    + " true and false, so the condition always holds; keep one value");
        }
        if (IP_KEYS.contains(key) && base.kind() != Operator.Kind.IP && base != Operator.NULL) {
            run.add(FindingType.ERROR, "DATA_TYPE_MISMATCH", at, keyName + " holds an IP address; compare it"
                    + " with IpAddress or NotIpAddress, not " + base.wireName());
        } else if (base.kind() == Operator.Kind.IP && (SINGLE_VALUED_KEYS.contains(key)
                || MULTIVALUED_KEYS.contains(key)) && !IP_KEYS.contains(key)) {
            run.add(FindingType.ERROR, "DATA_TYPE_MISMATCH", at, keyName + " does not hold an IP address, so "
                    + base.wireName() + " never compares it");
        }
        if (run.type() == PolicyType.VPC_ENDPOINT && GENERATED_ID_KEYS.contains(key)
                && base.kind() == Operator.Kind.NUMERIC) {
            run.add(FindingType.ERROR, "ENDPOINT_POLICY_NUMERIC_OPERATOR_ON_ID", at, "endpoint policies do not"
                    + " allow numeric operators on " + keyName + ", which holds an identifier");
        }
        boolean ipRangesPrivate = true;
        boolean anyPrivate = false;
        boolean anyIp = false;
        for (int j = 0; j < c.values().size(); j++) {
            ConditionValue v = c.values().get(j);
            String vAt = ValidationRun.item(at, rawValues, j);
            if (base.takesVariables()) {
                Template t = v instanceof ConditionValue.Text text ? text.template()
                        : ((ConditionValue.ArnValue) v).template();
                run.variables(t, v.text(), vAt, true);
            } else if (v.text().contains("${")) {
                run.add(FindingType.ERROR, "INVALID_VARIABLE_FOR_OPERATOR", vAt, "\"" + v.text() + "\": "
                        + base.wireName() + " does not take policy variables; the text is compared literally");
            }
            switch (v) {
                case ConditionValue.Text t -> text(c, t, vAt);
                case ConditionValue.ArnValue a -> {
                    if (!a.text().equals("*")) {
                        run.arn(a.text(), vAt, a.template());
                    }
                }
                case ConditionValue.Number n when n.value() == null -> run.add(FindingType.WARNING,
                        "TYPE_MISMATCH_NUMBER", vAt, "\"" + n.text() + "\" is not a number, so "
                                + base.wireName() + " never matches it");
                case ConditionValue.Date d when d.value() == null -> run.add(FindingType.WARNING,
                        "INVALID_DATE_VALUE", vAt, "\"" + d.text() + "\" is not an ISO 8601 date or epoch"
                                + " seconds, so " + base.wireName() + " never matches it");
                case ConditionValue.Flag f when f.value() == null -> run.add(FindingType.WARNING,
                        "TYPE_MISMATCH_BOOLEAN", vAt, "\"" + f.text() + "\" is neither \"true\" nor \"false\"");
                case ConditionValue.Binary b when b.value() == null -> run.add(FindingType.WARNING,
                        "TYPE_MISMATCH", vAt, "\"" + b.text() + "\" is not base-64");
                case ConditionValue.Cidr ip when ip.range() == null -> {
                    ipRangesPrivate = false;
                    run.add(FindingType.WARNING, "TYPE_MISMATCH_IP_RANGE", vAt, "\"" + ip.text() + "\" is not an"
                            + " IPv4 or IPv6 address or CIDR block");
                }
                case ConditionValue.Cidr ip -> {
                    anyIp = true;
                    if (ip.range().hostBitsSet()) {
                        run.add(FindingType.SUGGESTION, "IMPROVE_IP_RANGE", vAt, "\"" + ip.text() + "\" has bits"
                                + " set after the prefix; write the network address of the block");
                    }
                    if (ip.range().isPrivate()) {
                        anyPrivate = true;
                    } else {
                        ipRangesPrivate = false;
                    }
                }
                default -> {
                }
            }
        }
        if (key.equals("aws:sourceip") && base.kind() == Operator.Kind.IP && anyIp && anyPrivate) {
            boolean negated = base == Operator.NOT_IP_ADDRESS;
            if (ipRangesPrivate) {
                run.add(FindingType.ERROR, negated ? "PRIVATE_NOT_IP_ADDRESS" : "PRIVATE_IP_ADDRESS", at,
                        "aws:SourceIp never holds a private address (requests through a VPC endpoint carry"
                                + " aws:VpcSourceIp instead), so this condition is always "
                                + (negated ? "true" : "false") + "; use aws:VpcSourceIp with aws:SourceVpc");
            } else {
                run.add(FindingType.SUGGESTION, negated ? "PRIVATE_NOT_IP_ADDRESS_SUBSET"
                        : "PRIVATE_IP_ADDRESS_SUBSET", at,
                        "some ranges are private, and aws:SourceIp never"
                                + " holds a private address; move them to aws:VpcSourceIp");
            }
        }
    }

    private void text(Condition c, ConditionValue.Text t, String at) {
        Operator base = c.operator().base();
        String key = c.key().lookup();
        String value = t.text();
        String withoutEscapes = value.replace("${*}", "").replace("${?}", "");
        boolean wild = withoutEscapes.contains("*") || withoutEscapes.contains("?");
        if (wild && !base.takesWildcards()) {
            run.add(FindingType.WARNING, "WILDCARD_WITHOUT_LIKE_OPERATOR", at, "\"" + value + "\" contains a"
                    + " wildcard, but " + base.wireName() + " compares literally; use StringLike");
        }
        boolean literal = !wild && !value.contains("${");
        if (literal && key.equals("aws:sourcevpc") && !VPC_ID.matcher(value).matches()) {
            run.add(FindingType.ERROR, "INVALID_VPC_FORMAT", at, "\"" + value + "\" is not a VPC id: write vpc-"
                    + " followed by 8 or 17 letters and digits, e.g. vpc-1a2b3c4d");
        }
        if (literal && key.equals("aws:sourcevpce") && !VPCE_ID.matcher(value).matches()) {
            run.add(FindingType.ERROR, "INVALID_VPCE_FORMAT", at, "\"" + value + "\" is not a VPC endpoint id:"
                    + " write vpce- followed by 8 or 17 letters and digits, e.g. vpce-1a2b3c4d");
        }
        if (run.type() == PolicyType.VPC_ENDPOINT && wild && base.takesWildcards()) {
            if (GENERATED_ID_KEYS.contains(key)) {
                run.add(FindingType.ERROR, "ENDPOINT_POLICY_WILDCARD_ON_ID", at, "endpoint policies do not allow"
                        + " wildcards in values of " + c.key().name() + ", which holds an identifier");
            } else if (!sixLiteralsAroundEachWildcard(withoutEscapes)) {
                run.add(FindingType.ERROR, "ENDPOINT_POLICY_SHORT_WILDCARD", at, "\"" + value + "\": in an endpoint"
                        + " policy each wildcard needs at least 6 consecutive literal characters before or"
                        + " after it");
            }
        }
    }

    private static boolean isSingleValued(String key) {
        return SINGLE_VALUED_KEYS.contains(key) || key.startsWith("aws:requesttag/")
                || key.startsWith("aws:resourcetag/") || key.startsWith("aws:principaltag/");
    }

    static boolean sixLiteralsAroundEachWildcard(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '*' && c != '?') {
                continue;
            }
            int before = 0;
            for (int k = i - 1; k >= 0 && value.charAt(k) != '*' && value.charAt(k) != '?'; k--) {
                before++;
            }
            int after = 0;
            for (int k = i + 1; k < value.length() && value.charAt(k) != '*' && value.charAt(k) != '?'; k++) {
                after++;
            }
            if (before < 6 && after < 6) {
                return false;
            }
        }
        return true;
    }

    private static Iterable<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
