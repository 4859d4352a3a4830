package dev.underpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a policy document for the mistakes IAM Access Analyzer's policy validation reports, with the network ones
 * that matter for private connectivity first among them: private ranges in {@code aws:SourceIp} (which never
 * carries a private address), malformed {@code vpc-}/{@code vpce-} ids, {@code ForAllValues} on a single-valued
 * key, {@code Null} with {@code IfExists}, and size limits. The issue codes are Access Analyzer's check names in upper
 * snake case; a few checks specific to VPC endpoint policies have codes of our own, listed in {@code docs/policy.md}.
 *
 * <p>A document that does not parse yields exactly one ERROR, from the parser. Otherwise every check runs and the
 * findings come in document order, most severe first within one place.
 *
 * <p>This class is the entry point and the size check; the checks themselves are split by the part of the document
 * they read: {@link ValidationRun} (the document, Sids, ARNs, variables), {@link ElementChecks} (Principal, Action,
 * Resource) and {@link ConditionChecks} (Condition), with {@link KnownConditionKeys} holding what they know about keys.
 */
public final class PolicyValidator {
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
                            limit.maxCharacters()),
                    new Finding.Location("", 1, 1)));
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
        new ValidationRun(type, policy, root, locations, findings).check();
        return List.copyOf(findings);
    }

    /** Whether any finding is an ERROR. */
    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.type() == FindingType.ERROR);
    }
}
