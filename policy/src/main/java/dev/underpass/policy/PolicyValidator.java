package dev.underpass.policy;

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
 * Checks a policy document for the mistakes IAM Access Analyzer's policy validation reports, with the network ones
 * that matter for private connectivity first among them: private ranges in {@code aws:SourceIp} (which never
 * carries a private address), malformed {@code vpc-}/{@code vpce-} ids, {@code ForAllValues} on a single-valued
 * key, {@code Null} with {@code IfExists}, and size limits. The issue codes are Access Analyzer's check names in upper
 * snake case; a few checks specific to VPC endpoint policies have codes of our own, listed in {@code docs/policy.md}.
 *
 * <p>A document that does not parse yields exactly one ERROR, from the parser. Otherwise every check runs and the
 * findings come in document order, most severe first within one place.
 */
public final class PolicyValidator {
    private static final Pattern VPC_ID = Pattern.compile("vpc-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})");
    private static final Pattern VPCE_ID = Pattern.compile("vpce-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]*");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
            "aws-iso-e", "aws-iso-f", "aws-eusc");

    /** Global keys that can hold several values in one request (they need ForAllValues/ForAnyValue). */
    static final Set<String> MULTIVALUED_KEYS = lower(Set.of("aws:TagKeys", "aws:PrincipalOrgPaths",
            "aws:ResourceOrgPaths", "aws:CalledVia", "aws:PrincipalServiceNamesList", "aws:VpceOrgPaths",
            "aws:SourceOrgPaths"));

    /** Global keys that hold one value per request. */
    static final Set<String> SINGLE_VALUED_KEYS = lower(Set.of("aws:SourceVpce", "aws:SourceVpc",
            "aws:SourceVpcArn", "aws:VpcSourceIp", "aws:SourceIp", "aws:Ec2InstanceSourceVpc",
            "aws:Ec2InstanceSourcePrivateIPv4", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID",
            "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalType", "aws:ResourceAccount",
            "aws:ResourceOrgID", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:ViaAWSService",
            "aws:CalledViaFirst", "aws:CalledViaLast", "aws:SecureTransport", "aws:RequestedRegion", "aws:userid",
            "aws:username", "aws:TokenIssueTime", "aws:CurrentTime", "aws:EpochTime", "aws:MultiFactorAuthPresent",
            "aws:MultiFactorAuthAge", "aws:UserAgent", "aws:Referer", "aws:VpceAccount", "aws:VpceOrgID",
            "aws:FederatedProvider", "aws:SourceIdentity"));

    /** Keys whose values are IP addresses. */
    static final Set<String> IP_KEYS = lower(Set.of("aws:SourceIp", "aws:VpcSourceIp",
            "aws:Ec2InstanceSourcePrivateIPv4"));

    /** Keys holding identifiers AWS generates; endpoint policies may not use wildcards or numeric operators on them. */
    static final Set<String> GENERATED_ID_KEYS = lower(Set.of("aws:PrincipalAccount", "aws:SourceVpc",
            "aws:SourceVpce", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:SourceAccount",
            "aws:SourceOrgID", "aws:VpceAccount", "aws:VpceOrgID", "aws:userid", "aws:Ec2InstanceSourceVpc"));

    private PolicyValidator() {}

    /**
     * Validates a document, taking it as a resource-based policy when any statement names a principal and as an
     * identity-based policy otherwise.
     */
    public static List<Finding> validate(String json) {
        PolicyType type = PolicyType.IDENTITY;
        try {
            Policy policy = PolicyParser.parse(json);
            if (policy.statements().stream().anyMatch(s -> !(s.principal() instanceof PrincipalElement.None))) {
                type = PolicyType.RESOURCE;
            }
        } catch (PolicyParseException e) {
            // The typed run below reports it.
        }
        return validate(json, type);
    }

    /** Validates a document as a policy of the given type. */
    public static List<Finding> validate(String json, PolicyType type) {
        List<Finding> findings = new ArrayList<>();
        JsonLocations locations = JsonLocations.of(json == null ? "" : json);
        SizeLimit limit = type.sizeLimit();
        if (json != null && limit != null && limit.exceededBy(json)) {
            boolean hard = type == PolicyType.VPC_ENDPOINT || type == PolicyType.SERVICE_CONTROL
                    || type == PolicyType.RESOURCE_CONTROL;
            findings.add(new Finding(hard ? FindingType.ERROR : FindingType.WARNING,
                    PolicyParser.sizeIssueCode(limit), String.format(
                            "the policy is %,d characters long%s; a %s may have at most %,d",
                            limit.measure(json), limit.countsWhitespace() ? "" : " without whitespace", limit.name(),
                            limit.maxCharacters()), new Finding.Location("", 1, 1)));
        }
        Policy policy;
        JsonNode root;
        try {
            root = PolicyParser.readTree(json);
            policy = PolicyParser.parse(root);
        } catch (PolicyParseException e) {
            findings.add(new Finding(FindingType.ERROR, e.issueCode(), e.detail(), locations.locate(e.path())));
            return List.copyOf(findings);
        }
        new Run(type, policy, root, locations, findings).check();
        return List.copyOf(findings);
    }

    /** Whether any finding is an ERROR. */
    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.type() == FindingType.ERROR);
    }

    /** One validation run over a parsed policy. */
    private record Run(PolicyType type, Policy policy, JsonNode root, JsonLocations locations,
            List<Finding> findings) {

        void add(FindingType t, String code, String path, String message) {
            findings.add(new Finding(t, code, message, locations.locate(path)));
        }

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
            principal(s, path);
            actions(s, path, raw);
            resources(s, path, raw);
            JsonNode rawCondition = raw.get("Condition");
            if (rawCondition != null && rawCondition.isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_OBJECT_CONDITION", path + ".Condition",
                        "the Condition block is empty; remove it");
            }
            conditions(s, path, rawCondition);
        }

        private void principal(Statement s, String path) {
            switch (s.principal()) {
                case PrincipalElement.None n -> {
                    if (type.requiresPrincipal()) {
                        add(FindingType.ERROR, "MISSING_PRINCIPAL", path, "the statement has no Principal; a "
                                + typeName() + " must name its principals (use \"Principal\": \"*\" and conditions"
                                + " such as aws:PrincipalOrgID to narrow them)");
                    }
                }
                case PrincipalElement.Principal p -> principalIds(p.principals(), path + ".Principal");
                case PrincipalElement.NotPrincipal n -> {
                    principalIds(n.principals(), path + ".NotPrincipal");
                    if (s.effect() == Effect.ALLOW) {
                        add(FindingType.SECURITY_WARNING, "ALLOW_WITH_NOT_PRINCIPAL", path + ".NotPrincipal",
                                "Allow with NotPrincipal grants access to every principal not listed, anonymous"
                                        + " callers included; name the principals in Principal instead");
                    }
                }
            }
        }

        private void principalIds(List<PrincipalId> ids, String path) {
            if (!type.requiresPrincipal()) {
                add(FindingType.ERROR, "UNSUPPORTED_PRINCIPAL", path, "a " + typeName() + " cannot name"
                        + " principals; it applies to the identities it is attached to");
                return;
            }
            if (ids.isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_OBJECT_PRINCIPAL", path, "the principal names nobody, so the"
                        + " statement never applies");
            }
            if (type == PolicyType.RESOURCE_CONTROL && !(ids.size() == 1 && ids.getFirst()
                    instanceof PrincipalId.AnyPrincipal)) {
                add(FindingType.ERROR, "RCP_SYNTAX_ERROR_PRINCIPAL", path, "a resource control policy must use"
                        + " \"Principal\": \"*\"; narrow principals with conditions");
            }
            for (PrincipalId id : ids) {
                switch (id) {
                    case PrincipalId.OtherAws o when o.text().contains("*") || o.text().contains("?") -> add(
                            FindingType.ERROR, "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", path, "\"" + o.text()
                                    + "\": a wildcard cannot stand for part of a principal ARN; use \"*\" with a"
                                    + " condition on aws:PrincipalArn");
                    case PrincipalId.OtherAws o -> add(FindingType.ERROR, "INVALID_PRINCIPAL_FORMAT", path, "\""
                            + o.text() + "\" is neither an account id nor the ARN of a user, role, role session,"
                            + " federated user or account root");
                    case PrincipalId.Service sv when !sv.text().contains(".") || sv.text().contains("*") -> add(
                            FindingType.ERROR, "INVALID_PRINCIPAL_FORMAT", path, "\"" + sv.text()
                                    + "\" is not a service principal such as \"ec2.amazonaws.com\"");
                    default -> { }
                }
            }
        }

        /** The path of the j-th value of an element: with an index only when the element was written as a list. */
        private static String item(String at, JsonNode rawValue, int j) {
            return rawValue != null && rawValue.isArray() ? at + "[" + j + "]" : at;
        }

        private void actions(Statement s, String path, JsonNode raw) {
            boolean not = s.action() instanceof ActionElement.NotAction;
            String at = path + (not ? ".NotAction" : ".Action");
            JsonNode rawList = raw.get(not ? "NotAction" : "Action");
            List<ActionElement.Pattern> patterns = s.action().patterns();
            if (patterns.isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_ARRAY_ACTION", at, "the action list is empty, so the statement"
                        + (not ? " applies to every action" : " never applies"));
            }
            for (int j = 0; j < patterns.size(); j++) {
                String text = patterns.get(j).text();
                String itemAt = item(at, rawList, j);
                if (text.contains("${")) {
                    add(FindingType.ERROR, "VARIABLE_UNSUPPORTED_IN_ELEMENT", itemAt, "\"" + text
                            + "\": policy variables work only in Resource and in Condition values");
                }
                if (!text.equals("*") && !ACTION.matcher(text).matches()) {
                    add(FindingType.ERROR, "INVALID_ACTION", itemAt, "\"" + text + "\" is not an action; write"
                            + " service:ActionName, e.g. \"s3:GetObject\"");
                } else if (!text.equals("*")) {
                    String service = text.substring(0, text.indexOf(':'));
                    if (service.contains("*") || service.contains("?")) {
                        add(FindingType.SUGGESTION, "WILDCARD_IN_SERVICE_NAME", itemAt, "\"" + text + "\" uses a"
                                + " wildcard in the service prefix; name the services");
                    }
                }
                if (!patterns.get(j).glob().hasWildcards()) {
                    for (int k = 0; k < patterns.size(); k++) {
                        if (k != j && patterns.get(k).glob().hasWildcards() && patterns.get(k).matches(text)) {
                            add(FindingType.SUGGESTION, "REDUNDANT_ACTION", itemAt, "\"" + text + "\" is already"
                                    + " covered by \"" + patterns.get(k).text() + "\"");
                            break;
                        }
                    }
                }
            }
            // Only an action naming IAM counts: "*" would make the warning fire on every broad policy.
            boolean namesPassRole = patterns.stream().anyMatch(p -> p.text().regionMatches(true, 0, "iam:", 0, 4)
                    && p.matches("iam:PassRole"));
            if (s.effect() == Effect.ALLOW && !not && namesPassRole
                    && s.resource() instanceof ResourceElement.Resource r
                    && r.patterns().stream().anyMatch(p -> p.text().equals("*"))) {
                add(FindingType.SECURITY_WARNING, "PASS_ROLE_WITH_STAR_IN_RESOURCE", at, "the statement allows"
                        + " iam:PassRole on every role; list the roles that may be passed");
            }
        }

        private void resources(Statement s, String path, JsonNode raw) {
            switch (s.resource()) {
                case ResourceElement.None n -> {
                    if (type != PolicyType.ROLE_TRUST) {
                        add(FindingType.ERROR, "MISSING_RESOURCE", path, "the statement has no Resource or"
                                + " NotResource; add \"Resource\": \"*\" or the ARNs it covers");
                    }
                }
                case ResourceElement.Resource r -> resourcePatterns(r.patterns(), path + ".Resource",
                        raw.get("Resource"));
                case ResourceElement.NotResource r -> resourcePatterns(r.patterns(), path + ".NotResource",
                        raw.get("NotResource"));
            }
        }

        private void resourcePatterns(List<ResourceElement.Pattern> patterns, String at, JsonNode rawList) {
            if (patterns.isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_ARRAY_RESOURCE", at, "the resource list is empty");
            }
            for (int j = 0; j < patterns.size(); j++) {
                ResourceElement.Pattern p = patterns.get(j);
                String text = p.text();
                String itemAt = item(at, rawList, j);
                variables(p.template(), text, itemAt, true);
                if (text.equals("*")) {
                    continue;
                }
                arn(text, itemAt, p.template());
                if (!p.template().hasVariables() && !p.template().compiled().hasWildcards()) {
                    for (int k = 0; k < patterns.size(); k++) {
                        ResourceElement.Pattern other = patterns.get(k);
                        if (k != j && !other.template().hasVariables() && other.template().compiled().hasWildcards()
                                && other.template().compiled().matches(text)) {
                            add(FindingType.SUGGESTION, "REDUNDANT_RESOURCE", itemAt, "\"" + text + "\" is already"
                                    + " covered by \"" + other.text() + "\"");
                            break;
                        }
                    }
                }
            }
        }

        /** Checks the shape of an ARN written in Resource or an ARN condition. */
        private void arn(String text, String at, Template template) {
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

        private void variables(Template template, String text, String at, boolean allowed) {
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
                if (MULTIVALUED_KEYS.contains(key)) {
                    add(FindingType.WARNING, "MULTIVALUED_KEY_AS_VARIABLE", at, "\"" + text + "\": the multivalued"
                            + " key " + key + " cannot be used as a policy variable; it resolves to null");
                }
            }
        }

        private void conditions(Statement s, String path, JsonNode rawCondition) {
            if (rawCondition != null) {
                for (Map.Entry<String, JsonNode> op : rawCondition.properties()) {
                    Map<String, String> seen = new HashMap<>();
                    for (String key : iterable(op.getValue())) {
                        String previous = seen.put(ConditionKey.normalize(key), key);
                        if (previous != null) {
                            add(FindingType.ERROR, "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", path + ".Condition."
                                    + op.getKey() + "." + key, "\"" + key + "\" and \"" + previous + "\" are the same"
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
                add(FindingType.SECURITY_WARNING, "MISSING_PAIRED_CONDITION_KEYS", path + ".Condition", keyName
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
                add(FindingType.ERROR, "NULL_WITH_IF_EXISTS", at, op.wireName() + " is not an operator: Null"
                        + " already tests whether the key exists, so it takes no IfExists suffix");
            }
            if (base == Operator.NULL && op.qualifier() != SetQualifier.NONE) {
                add(FindingType.SUGGESTION, "NULL_WITH_QUALIFIER", at, op.wireName() + " is always "
                        + (op.qualifier() == SetQualifier.FOR_ALL_VALUES ? "true" : "false")
                        + "; use Null without a set qualifier");
            }
            if (op.qualifier() == SetQualifier.FOR_ALL_VALUES && isSingleValued(key)) {
                add(FindingType.SECURITY_WARNING, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", at, "ForAllValues on the"
                        + " single-valued key " + keyName + " is true whenever the key is missing; drop the"
                        + " qualifier");
            }
            if (op.qualifier() == SetQualifier.NONE && base != Operator.NULL && MULTIVALUED_KEYS.contains(key)) {
                add(FindingType.ERROR, "MISSING_QUALIFIER", at, keyName + " can hold several values; write"
                        + " ForAnyValue:" + base.wireName() + " or ForAllValues:" + base.wireName());
            }
            if (c.values().isEmpty()) {
                add(FindingType.SUGGESTION, "EMPTY_ARRAY_CONDITION", at, "the condition has no values");
            }
            if (base == Operator.BOOL && c.values().stream().map(v -> v.text().toLowerCase(Locale.ROOT))
                    .distinct().count() > 1) {
                add(FindingType.ERROR, "INVALID_CONDITION_MULTIPLE_BOOLEAN", at, keyName + " is given both"
                        + " true and false, so the condition always holds; keep one value");
            }
            if (IP_KEYS.contains(key) && base.kind() != Operator.Kind.IP && base != Operator.NULL) {
                add(FindingType.ERROR, "DATA_TYPE_MISMATCH", at, keyName + " holds an IP address; compare it"
                        + " with IpAddress or NotIpAddress, not " + base.wireName());
            } else if (base.kind() == Operator.Kind.IP && (SINGLE_VALUED_KEYS.contains(key)
                    || MULTIVALUED_KEYS.contains(key)) && !IP_KEYS.contains(key)) {
                add(FindingType.ERROR, "DATA_TYPE_MISMATCH", at, keyName + " does not hold an IP address, so "
                        + base.wireName() + " never compares it");
            }
            if (type == PolicyType.VPC_ENDPOINT && GENERATED_ID_KEYS.contains(key)
                    && base.kind() == Operator.Kind.NUMERIC) {
                add(FindingType.ERROR, "ENDPOINT_POLICY_NUMERIC_OPERATOR_ON_ID", at, "endpoint policies do not"
                        + " allow numeric operators on " + keyName + ", which holds an identifier");
            }
            boolean ipRangesPrivate = true;
            boolean anyPrivate = false;
            boolean anyIp = false;
            for (int j = 0; j < c.values().size(); j++) {
                ConditionValue v = c.values().get(j);
                String vAt = item(at, rawValues, j);
                if (base.takesVariables()) {
                    Template t = v instanceof ConditionValue.Text text ? text.template()
                            : ((ConditionValue.ArnValue) v).template();
                    variables(t, v.text(), vAt, true);
                } else if (v.text().contains("${")) {
                    add(FindingType.ERROR, "INVALID_VARIABLE_FOR_OPERATOR", vAt, "\"" + v.text() + "\": "
                            + base.wireName() + " does not take policy variables; the text is compared literally");
                }
                switch (v) {
                    case ConditionValue.Text t -> text(c, t, vAt);
                    case ConditionValue.ArnValue a -> {
                        if (!a.text().equals("*")) {
                            arn(a.text(), vAt, a.template());
                        }
                    }
                    case ConditionValue.Number n when n.value() == null -> add(FindingType.WARNING,
                            "TYPE_MISMATCH_NUMBER", vAt, "\"" + n.text() + "\" is not a number, so "
                                    + base.wireName() + " never matches it");
                    case ConditionValue.Date d when d.value() == null -> add(FindingType.WARNING,
                            "INVALID_DATE_VALUE", vAt, "\"" + d.text() + "\" is not an ISO 8601 date or epoch"
                                    + " seconds, so " + base.wireName() + " never matches it");
                    case ConditionValue.Flag f when f.value() == null -> add(FindingType.WARNING,
                            "TYPE_MISMATCH_BOOLEAN", vAt, "\"" + f.text() + "\" is neither \"true\" nor \"false\"");
                    case ConditionValue.Binary b when b.value() == null -> add(FindingType.WARNING,
                            "TYPE_MISMATCH", vAt, "\"" + b.text() + "\" is not base-64");
                    case ConditionValue.Cidr ip when ip.range() == null -> {
                        ipRangesPrivate = false;
                        add(FindingType.WARNING, "TYPE_MISMATCH_IP_RANGE", vAt, "\"" + ip.text() + "\" is not an"
                                + " IPv4 or IPv6 address or CIDR block");
                    }
                    case ConditionValue.Cidr ip -> {
                        anyIp = true;
                        if (ip.range().hostBitsSet()) {
                            add(FindingType.SUGGESTION, "IMPROVE_IP_RANGE", vAt, "\"" + ip.text() + "\" has bits"
                                    + " set after the prefix; write the network address of the block");
                        }
                        if (ip.range().isPrivate()) {
                            anyPrivate = true;
                        } else {
                            ipRangesPrivate = false;
                        }
                    }
                    default -> { }
                }
            }
            if (key.equals("aws:sourceip") && base.kind() == Operator.Kind.IP && anyIp && anyPrivate) {
                boolean negated = base == Operator.NOT_IP_ADDRESS;
                if (ipRangesPrivate) {
                    add(FindingType.ERROR, negated ? "PRIVATE_NOT_IP_ADDRESS" : "PRIVATE_IP_ADDRESS", at,
                            "aws:SourceIp never holds a private address (requests through a VPC endpoint carry"
                                    + " aws:VpcSourceIp instead), so this condition is always "
                                    + (negated ? "true" : "false") + "; use aws:VpcSourceIp with aws:SourceVpc");
                } else {
                    add(FindingType.SUGGESTION, negated ? "PRIVATE_NOT_IP_ADDRESS_SUBSET"
                            : "PRIVATE_IP_ADDRESS_SUBSET", at, "some ranges are private, and aws:SourceIp never"
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
                add(FindingType.WARNING, "WILDCARD_WITHOUT_LIKE_OPERATOR", at, "\"" + value + "\" contains a"
                        + " wildcard, but " + base.wireName() + " compares literally; use StringLike");
            }
            boolean literal = !wild && !value.contains("${");
            if (literal && key.equals("aws:sourcevpc") && !VPC_ID.matcher(value).matches()) {
                add(FindingType.ERROR, "INVALID_VPC_FORMAT", at, "\"" + value + "\" is not a VPC id: write vpc-"
                        + " followed by 8 or 17 letters and digits, e.g. vpc-1a2b3c4d");
            }
            if (literal && key.equals("aws:sourcevpce") && !VPCE_ID.matcher(value).matches()) {
                add(FindingType.ERROR, "INVALID_VPCE_FORMAT", at, "\"" + value + "\" is not a VPC endpoint id:"
                        + " write vpce- followed by 8 or 17 letters and digits, e.g. vpce-1a2b3c4d");
            }
            if (type == PolicyType.VPC_ENDPOINT && wild && base.takesWildcards()) {
                if (GENERATED_ID_KEYS.contains(key)) {
                    add(FindingType.ERROR, "ENDPOINT_POLICY_WILDCARD_ON_ID", at, "endpoint policies do not allow"
                            + " wildcards in values of " + c.key().name() + ", which holds an identifier");
                } else if (!sixLiteralsAroundEachWildcard(withoutEscapes)) {
                    add(FindingType.ERROR, "ENDPOINT_POLICY_SHORT_WILDCARD", at, "\"" + value + "\": in an endpoint"
                            + " policy each wildcard needs at least 6 consecutive literal characters before or"
                            + " after it");
                }
            }
        }

        private boolean isSingleValued(String key) {
            return SINGLE_VALUED_KEYS.contains(key) || key.startsWith("aws:requesttag/")
                    || key.startsWith("aws:resourcetag/") || key.startsWith("aws:principaltag/");
        }

        private String typeName() {
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

    private static Set<String> lower(Set<String> keys) {
        Set<String> out = new HashSet<>();
        for (String k : keys) {
            out.add(ConditionKey.normalize(k));
        }
        return Set.copyOf(out);
    }
}
