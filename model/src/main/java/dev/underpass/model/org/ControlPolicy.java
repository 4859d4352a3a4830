package dev.underpass.model.org;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.Resource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A policy of an organization: a service control policy ({@code SERVICE_CONTROL_POLICY}) or a resource control
 * policy ({@code RESOURCE_CONTROL_POLICY}), with its document as given and parsed once ({@link PolicyDocument}: the
 * store keeps the text; the authorizer, the analyzer and the data plane evaluate the parsed policy). Customer policies are stored
 * ({@code p-} and 8 characters); the AWS managed ones ({@link Organizations#FULL_AWS_ACCESS},
 * {@link Organizations#RCP_FULL_AWS_ACCESS}) exist in every organization and are never stored.
 */
public record ControlPolicy(String id, String ownerId, String region, String orgId, String name, String description,
        String type, PolicyDocument content, boolean awsManaged, Map<String, String> tags) implements Resource {
    public static final String SCP = "SERVICE_CONTROL_POLICY";
    public static final String RCP = "RESOURCE_CONTROL_POLICY";

    public ControlPolicy {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** AWS's ARN: the managed policies' owner is {@code aws} and they name no organization. */
    public String arn() {
        String kind = type.toLowerCase(Locale.ROOT);
        return awsManaged ? "arn:aws:organizations::aws:policy/" + kind + "/" + id
                : "arn:aws:organizations::" + ownerId + ":policy/" + orgId + "/" + kind + "/" + id;
    }

    public ControlPolicy with(String newName, String newDescription, PolicyDocument newContent) {
        return new ControlPolicy(id, ownerId, region, orgId, newName, newDescription, type, newContent, awsManaged,
                tags);
    }

    @Override
    public ControlPolicy withTags(Map<String, String> newTags) {
        return new ControlPolicy(id, ownerId, region, orgId, name, description, type, content, awsManaged, newTags);
    }

    @Override
    public String resourceType() {
        return "organization-policy";
    }
}
