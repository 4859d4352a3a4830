package dev.underpass.model.ec2;

import dev.underpass.model.Tags;
import java.util.Map;

/**
 * One allowed principal of an endpoint service ({@code AllowedPrincipal} on the wire): who may see the service and
 * connect to it. {@code principal} is as the provider wrote it ({@code arn:aws:iam::<account>:root}, a user or role
 * ARN, a service principal, an organization unit ARN, or {@code *}); {@code principalType} is AWS's classification
 * ({@code All|Service|OrganizationUnit|Account|User|Role}).
 */
public record ServicePermission(ServicePermissionId id, String principal, String principalType,
        Map<String, String> tags) {
    public static final String ALL = "All";
    public static final String SERVICE = "Service";
    public static final String ORGANIZATION_UNIT = "OrganizationUnit";
    public static final String ACCOUNT = "Account";
    public static final String USER = "User";
    public static final String ROLE = "Role";

    public ServicePermission {
        tags = Tags.copy(tags);
    }
}
