package dev.underpass.reach;

import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import java.util.Map;

/**
 * The request a flow carries, for the policy layer beyond AWS's Reachability Analyzer: who calls ({@code principal},
 * an IAM ARN), which {@code action} on which {@code resource}, and optionally the caller's identity policy and the
 * resource's policy as JSON. The compact constructor parses the documents, so a malformed one is refused (with the
 * parser's message) before anything is analyzed.
 */
public record PolicyQuestion(String principal, String action, String resource, String identityPolicy,
        String resourcePolicy) {
    public PolicyQuestion {
        if (principal == null || principal.isBlank() || action == null || action.isBlank() || resource == null
                || resource.isBlank()) {
            throw new IllegalArgumentException("a policy question needs a principal, an action and a resource");
        }
        try {
            dev.underpass.policy.Request.of(principal, action, resource, null, Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("principal '" + principal + "': " + e.getMessage(), e);
        }
        parse(identityPolicy, "identity policy");
        parse(resourcePolicy, "resource policy");
    }

    static Policy parse(String json, String what) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return PolicyParser.parse(json);
        } catch (PolicyParseException e) {
            throw new IllegalArgumentException("the " + what + " is not a valid policy: " + e.getMessage(), e);
        }
    }
}
