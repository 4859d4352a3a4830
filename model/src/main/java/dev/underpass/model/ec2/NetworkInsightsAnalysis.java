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
        String pathId,
        Instant startDate,
        String status,
        String statusMessage,
        boolean networkPathFound,
        List<Hop> forward,
        List<Hop> returnPath,
        List<Explanation> explanations,
        Map<String, String> tags)
        implements Resource {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /**
     * One path component: its sequence number, id (or ARN), kind, what was checked and what matched; then, as AWS's
     * PathComponent carries them, the component's ARN and Name tag, its VPC and subnet, the VPCs it joins, the
     * security group rule, network ACL entry or route it used ({@code securityGroupId} is the group the rule is
     * in), and the packet as it leaves ({@code outbound}) or arrives ({@code inbound}). Any of those may be null.
     */
    public record Hop(int sequence, String componentId, String componentType, String check, String matched,
            Ref component, Ref vpc, Ref subnet, Ref sourceVpc, Ref destinationVpc, String securityGroupId,
            SecurityGroup.Rule securityGroupRule, NetworkAcl.Entry aclRule, RouteTable.Route route, Header outbound,
            Header inbound) {

        /** A hop with nothing but what the analyzer printed (analyses stored before the detail existed). */
        public Hop(int sequence, String componentId, String componentType, String check, String matched) {
            this(sequence, componentId, componentType, check, matched, null, null, null, null, null, null, null,
                    null, null, null, null);
        }
    }

    /** A component as AWS names it: id, ARN and Name tag (either of the last two may be null). */
    public record Ref(String id, String arn, String name) {}

    /** A packet: addresses, ports ({@code null} for the client's ephemeral range) and protocol. */
    public record Header(String sourceAddress, String destinationAddress, Integer sourcePort,
            Integer destinationPort, String protocol) {}

    /**
     * One blocker: AWS's explanation code, the component, direction, which path, and underpass's sentences; then
     * the resources and values it names (AWS's Explanation members), any of which may be null (lists empty).
     */
    public record Explanation(String code, String componentId, String direction, String path, String message,
            String fix, Ref component, String componentAccount, String componentRegion, Ref vpc, Ref subnet,
            List<Ref> securityGroups, Ref acl, NetworkAcl.Entry aclRule, Ref routeTable, RouteTable.Route route,
            String loadBalancerArn, Integer listenerPort, Ref targetGroup, Integer port, String protocol,
            List<String> addresses, String state) {

        public Explanation {
            securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        /** An explanation with nothing but the analyzer's sentences (analyses stored before the detail existed). */
        public Explanation(String code, String componentId, String direction, String path, String message,
                String fix) {
            this(code, componentId, direction, path, message, fix, null, null, null, null, null, List.of(), null,
                    null, null, null, null, null, null, null, null, List.of(), null);
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
