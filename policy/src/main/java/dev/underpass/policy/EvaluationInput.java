package dev.underpass.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request and the policies that apply to it. Every layer but the request is optional.
 *
 * @param request the request
 * @param identityPolicies the caller's identity-based policies (user, its groups, or role); possibly empty
 * @param resourcePolicy the resource-based policy, or null
 * @param permissionsBoundary the caller's permissions boundary, or null
 * @param sessionPolicy the session policy passed when the session was created, or null
 * @param serviceControlPolicies SCPs on the caller's account, by level from the organization root down to the
 *     account; each level must allow. Empty when the account is not in an organization or is its management account
 * @param resourceControlPolicies the customer's RCPs on the resource's account, by level. AWS's RCPFullAWSAccess is
 *     implicitly attached at every level, so these can only deny
 * @param vpcEndpointPolicy the policy of the VPC endpoint the request goes through, or null when it does not go
 *     through one (an endpoint created without a policy has {@link Policy#DEFAULT_VPC_ENDPOINT_POLICY})
 * @param endpointKind what the endpoint connects to; with {@link EndpointKind#CUSTOMER_ENDPOINT_SERVICE} the
 *     endpoint policy is not applied
 */
public record EvaluationInput(Request request, List<Policy> identityPolicies, Policy resourcePolicy,
        Policy permissionsBoundary, Policy sessionPolicy, List<List<Policy>> serviceControlPolicies,
        List<List<Policy>> resourceControlPolicies, Policy vpcEndpointPolicy, EndpointKind endpointKind) {

    public EvaluationInput {
        Objects.requireNonNull(request, "request");
        identityPolicies = List.copyOf(identityPolicies);
        serviceControlPolicies = copyLevels(serviceControlPolicies);
        resourceControlPolicies = copyLevels(resourceControlPolicies);
        endpointKind = endpointKind == null ? EndpointKind.INTERFACE : endpointKind;
    }

    private static List<List<Policy>> copyLevels(List<List<Policy>> levels) {
        List<List<Policy>> out = new ArrayList<>(levels.size());
        for (List<Policy> level : levels) {
            out.add(List.copyOf(level));
        }
        return List.copyOf(out);
    }

    public static Builder builder(Request request) {
        return new Builder(request);
    }

    /** Builds an input layer by layer. */
    public static final class Builder {
        private final Request request;
        private final List<Policy> identityPolicies = new ArrayList<>();
        private Policy resourcePolicy;
        private Policy permissionsBoundary;
        private Policy sessionPolicy;
        private final List<List<Policy>> serviceControlPolicies = new ArrayList<>();
        private final List<List<Policy>> resourceControlPolicies = new ArrayList<>();
        private Policy vpcEndpointPolicy;
        private EndpointKind endpointKind = EndpointKind.INTERFACE;

        private Builder(Request request) {
            this.request = Objects.requireNonNull(request, "request");
        }

        public Builder identityPolicy(Policy policy) {
            identityPolicies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public Builder identityPolicies(List<Policy> policies) {
            identityPolicies.addAll(policies);
            return this;
        }

        public Builder resourcePolicy(Policy policy) {
            this.resourcePolicy = policy;
            return this;
        }

        public Builder permissionsBoundary(Policy policy) {
            this.permissionsBoundary = policy;
            return this;
        }

        public Builder sessionPolicy(Policy policy) {
            this.sessionPolicy = policy;
            return this;
        }

        /** Adds the next SCP level down from the organization root. */
        public Builder scpLevel(List<Policy> policies) {
            serviceControlPolicies.add(List.copyOf(policies));
            return this;
        }

        /** Adds the next RCP level down from the organization root. */
        public Builder rcpLevel(List<Policy> policies) {
            resourceControlPolicies.add(List.copyOf(policies));
            return this;
        }

        public Builder vpcEndpointPolicy(Policy policy) {
            this.vpcEndpointPolicy = policy;
            return this;
        }

        public Builder vpcEndpointPolicy(Policy policy, EndpointKind kind) {
            this.vpcEndpointPolicy = policy;
            this.endpointKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        public EvaluationInput build() {
            return new EvaluationInput(request, identityPolicies, resourcePolicy, permissionsBoundary, sessionPolicy,
                    serviceControlPolicies, resourceControlPolicies, vpcEndpointPolicy, endpointKind);
        }
    }
}
