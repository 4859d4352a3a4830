package dev.underpass.aws.org;

import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.model.PolicyDocument;
import dev.underpass.model.AwsException;
import dev.underpass.model.World;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.OrgErrors;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import dev.underpass.policy.Finding;
import dev.underpass.policy.FindingType;
import dev.underpass.policy.PolicyType;
import dev.underpass.policy.PolicyValidator;
import dev.underpass.policy.SizeLimit;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.organizations.model.Tag;

/**
 * Checks of Organizations request members the way AWS makes them before any rule runs: presence, id patterns,
 * lengths, enums, policy documents (by the policy engine, which the model does not depend on), tags, and the
 * {@code NextToken}/{@code MaxResults} pages every List call shares. Failures are {@code InvalidInputException}
 * with AWS's {@code Reason}. One place, so the handler families answer a bad member alike.
 */
final class OrgInput {
    static final Pattern TARGET_ID = Pattern.compile(
            "(r-[0-9a-z]{4,32})|(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    static final Pattern PARENT_ID = Pattern.compile("(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    static final Pattern SERVICE_PRINCIPAL = Pattern.compile("[\\w+=,.@-]+\\.amazonaws\\.com(\\.cn)?");
    static final int MAX_RESULTS = 20;

    // ------------------------------------------------------------------ input

    static AwsException invalid(String reason, String message) {
        return OrgError.INVALID_INPUT.because(reason, message);
    }

    static String required(String value, Pattern pattern, String member) {
        if (value == null || value.isEmpty()) {
            throw OrgErrors.inputRequired(member);
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(member.equals("TargetId") ? "INVALID_PATTERN_TARGET_ID" : "INVALID_PATTERN",
                    "You specified an invalid value for " + member + ": " + value + ".");
        }
        return value;
    }

    static String requireParent(World world, Organization org, String parentId) {
        String id = required(parentId, PARENT_ID, "ParentId");
        if (!Organizations.isParent(world, org, id)) {
            throw OrgErrors.parentNotFound();
        }
        return id;
    }

    static String name(String name, int max) {
        if (name == null) {
            throw OrgErrors.inputRequired("Name");
        }
        if (name.isEmpty() || name.length() > max) {
            throw invalid(name.isEmpty() ? "MIN_LENGTH_EXCEEDED" : "MAX_LENGTH_EXCEEDED",
                    "Name must be between 1 and " + max + " characters long.");
        }
        return name;
    }

    static String description(String description) {
        if (description == null) {
            throw OrgErrors.inputRequired("Description");
        }
        if (description.length() > 512) {
            throw invalid("MAX_LENGTH_EXCEEDED", "Description must be at most 512 characters long.");
        }
        return description;
    }

    static String policyType(String type) {
        if (type == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a policy type.");
        }
        if (!Organizations.POLICY_TYPES.contains(type)) {
            throw invalid("INVALID_ENUM_POLICY_TYPE", "You specified an invalid policy type: " + type
                    + ". underpass emulates SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY.");
        }
        return type;
    }

    /** A control policy's document, checked by the policy engine as AWS checks it on CreatePolicy/UpdatePolicy. */
    static PolicyDocument content(String content, String type) {
        if (content == null || content.isEmpty()) {
            throw OrgErrors.inputRequired("Content");
        }
        PolicyType kind = type.equals(ControlPolicy.SCP) ? PolicyType.SERVICE_CONTROL : PolicyType.RESOURCE_CONTROL;
        // AWS's quotas page: only the console strips whitespace before measuring; a document saved through the API
        // (which is what reaches underpass) is stored and measured exactly as given, whitespace included.
        SizeLimit limit = new SizeLimit(kind.sizeLimit().name(), kind.sizeLimit().maxCharacters(), true);
        if (limit.exceededBy(content)) {
            throw OrgError.CONSTRAINT_VIOLATION.because("POLICY_CONTENT_LIMIT_EXCEEDED", String.format(
                    "You attempted to create a policy that is larger than the maximum size (%,d characters; this one"
                            + " has %,d).",
                    limit.maxCharacters(), limit.measure(content)));
        }
        List<Finding> findings = PolicyValidator.validate(content, kind);
        for (Finding f : findings) {
            if (f.type() == FindingType.ERROR) {
                throw OrgError.MALFORMED_POLICY_DOCUMENT.with("The provided policy document doesn't meet the "
                        + "requirements of the specified policy type: " + f.message());
            }
        }
        try {
            return new PolicyDocument(content, PolicyParser.parse(content));
        } catch (PolicyParseException e) {
            // The validator's findings cover what the parser refuses; this keeps a gap between them a 400, not a 500.
            throw OrgError.MALFORMED_POLICY_DOCUMENT.with("The provided policy document doesn't meet the "
                    + "requirements of the specified policy type: " + e.getMessage());
        }
    }

    static String servicePrincipal(String principal) {
        if (principal == null || principal.isEmpty()) {
            throw OrgErrors.inputRequired("ServicePrincipal");
        }
        if (principal.length() > 128 || !SERVICE_PRINCIPAL.matcher(principal).matches()) {
            throw invalid("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified a service principal that isn't "
                    + "recognized: " + principal + ".");
        }
        return principal;
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            if (t.key() == null || out.put(t.key(), t.value() == null ? "" : t.value()) != null) {
                throw invalid(t.key() == null ? "INPUT_REQUIRED" : "DUPLICATE_TAG_KEY",
                        "Tag keys must be given and unique.");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ pages

    record Page<T>(List<T> items, String next) {}

    /** {@code MaxResults} 1–20 (AWS's range); the token is the offset of the next item, base64. */
    static <T> Page<T> page(List<T> all, String token, Integer maxResults) {
        int max = maxResults == null ? MAX_RESULTS : maxResults;
        if (max < 1 || max > MAX_RESULTS) {
            throw invalid(max < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED",
                    "MaxResults must be between 1 and 20.");
        }
        int start = 0;
        if (token != null) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (!s.matches("v1:\\d{1,9}")) {
                    throw new IllegalArgumentException(s);
                }
                start = Math.min(Integer.parseInt(s.substring(3)), all.size());
            } catch (IllegalArgumentException e) {
                throw invalid("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.");
            }
        }
        int end = Math.min(all.size(), start + max);
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(start, end), next);
    }

    private OrgInput() {}
}
