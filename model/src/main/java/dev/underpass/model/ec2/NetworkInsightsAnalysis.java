package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of the Reachability Analyzer on a {@link NetworkInsightsPath} ({@code nia-…}), with its result as the
 * analyzer gave it when the run started: underpass analyzes synchronously, so an analysis is stored
 * {@code succeeded} (or {@code failed}, with {@code statusMessage}) and never changes afterwards, as AWS's do not.
 * The hops and explanations are plain values here (the model does not know the analyzer's types).
 */
public record NetworkInsightsAnalysis(
        String id,
        String ownerId,
        String region,
        NetworkInsightsPathId pathId,
        Instant startDate,
        Status status,
        String statusMessage,
        boolean networkPathFound,
        List<Hop> forward,
        List<Hop> returnPath,
        List<Explanation> explanations,
        Map<String, String> tags)
        implements Resource {

    /** This analysis's id, typed. */
    public NetworkInsightsAnalysisId networkInsightsAnalysisId() {
        return new NetworkInsightsAnalysisId(id);
    }

    /** An analysis's status, by AWS's names; underpass answers at once, so a stored one has succeeded or failed. */
    public enum Status implements dev.underpass.model.AwsNamed {
        RUNNING,
        SUCCEEDED,
        FAILED;

        /** AWS's name, as the API and the store write it. */
        @com.fasterxml.jackson.annotation.JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /**
     * One path component: its sequence number, id (or ARN), kind, what was checked and what matched; then, as AWS's
     * PathComponent carries them, the component's ARN and Name tag, its VPC and subnet, the VPCs it joins, the
     * security group rule, network ACL entry or route it used ({@code securityGroupId} is the group the rule is
     * in), the packet as it leaves ({@code outbound}) or arrives ({@code inbound}), the instance a network
     * interface is attached to, the endpoint service's name (on endpoint and service hops), and the load balancer
     * listener (on listener hops). Any of those may be null.
     */
    public record Hop(int sequence, String componentId, String componentType, String check, String matched,
            Ref component, Ref vpc, Ref subnet, Ref sourceVpc, Ref destinationVpc, String securityGroupId,
            SecurityGroup.Rule securityGroupRule, NetworkAcl.Entry aclRule, RouteTable.Route route, Header outbound,
            Header inbound, Ref attachedTo, String serviceName, Ref listener) {

        /** A hop with nothing but what the analyzer printed (analyses stored before the detail existed). */
        public Hop(int sequence, String componentId, String componentType, String check, String matched) {
            this(sequence, componentId, componentType, check, matched, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null);
        }

        /** The same hop with other headers (AWS shows one only where the packet starts, changes or ends). */
        public Hop withHeaders(Header newOutbound, Header newInbound) {
            return new Hop(sequence, componentId, componentType, check, matched, component, vpc, subnet, sourceVpc,
                    destinationVpc, securityGroupId, securityGroupRule, aclRule, route, newOutbound, newInbound,
                    attachedTo, serviceName, listener);
        }
    }

    /** A component as AWS names it: id, ARN and Name tag (either of the last two may be null). */
    public record Ref(String id, String arn, String name) {}

    /**
     * A packet: addresses, ports ({@code null} for any port: the client's side of a flow) and protocol. In a header
     * with {@code changesOnly} (a component that rewrites the packet, such as a load balancer) only the members the
     * component changed are set, and null means "as before".
     */
    public record Header(String sourceAddress, String destinationAddress, Integer sourcePort,
            Integer destinationPort, String protocol, boolean changesOnly) {}

    /**
     * One blocker: AWS's explanation code, the component, direction, which path, and underpass's sentences; then
     * the resources and values it names (AWS's Explanation members; {@code networkInterface} is the interface whose
     * security groups block; {@code sourceVpc}/{@code destinationVpc} and the latter's {@code cidrs} for a peering
     * connection), any of which may be null (lists empty).
     */
    public record Explanation(String code, String componentId, String direction, String path, String message,
            String fix, Ref component, String componentAccount, String componentRegion, Ref vpc, Ref subnet,
            List<Ref> securityGroups, Ref acl, NetworkAcl.Entry aclRule, Ref routeTable, RouteTable.Route route,
            String loadBalancerArn, Integer listenerPort, Ref targetGroup, Integer port, String protocol,
            List<String> addresses, String state, Ref networkInterface, Ref sourceVpc, Ref destinationVpc,
            List<String> cidrs) {

        public Explanation {
            securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
        }

        /** An explanation with nothing but the analyzer's sentences (analyses stored before the detail existed). */
        public Explanation(String code, String componentId, String direction, String path, String message,
                String fix) {
            this(code, componentId, direction, path, message, fix, null, null, null, null, null, List.of(), null,
                    null, null, null, null, null, null, null, null, List.of(), null, null, null, null, List.of());
        }
    }

    public NetworkInsightsAnalysis {
        forward = forward == null ? List.of() : List.copyOf(forward);
        returnPath = returnPath == null ? List.of() : List.copyOf(returnPath);
        explanations = explanations == null ? List.of() : List.copyOf(explanations);
        tags = Tags.copy(tags);
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":network-insights-analysis/" + id;
    }

    @Override
    public NetworkInsightsAnalysis withTags(Map<String, String> newTags) {
        return new NetworkInsightsAnalysis(id, ownerId, region, pathId, startDate, status, statusMessage,
                networkPathFound, forward, returnPath, explanations, newTags);
    }

    @Override
    public String resourceType() {
        return "network-insights-analysis";
    }
}
