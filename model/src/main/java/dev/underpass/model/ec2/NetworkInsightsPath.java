package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/**
 * A Reachability Analyzer path ({@code nip-…}): the question a {@link NetworkInsightsAnalysis} answers. The source
 * and destination are kept as the caller named them (an id, or an ARN for another account's resource) with the
 * ids they resolve to; {@code destination} may be null when {@code destinationIp} is given. {@code destinationPort}
 * is null when the path names none.
 */
public record NetworkInsightsPath(
        String id,
        String ownerId,
        String region,
        String source,
        String destination,
        String sourceArn,
        String destinationArn,
        String sourceIp,
        String destinationIp,
        String protocol,
        Integer destinationPort,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    public NetworkInsightsPath {
        tags = Tags.copy(tags);
    }

    /** This path's id, typed as its analyses refer to it. */
    public NetworkInsightsPathId networkInsightsPathId() {
        return new NetworkInsightsPathId(id);
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":network-insights-path/" + id;
    }

    @Override
    public NetworkInsightsPath withTags(Map<String, String> newTags) {
        return new NetworkInsightsPath(id, ownerId, region, source, destination, sourceArn, destinationArn, sourceIp,
                destinationIp, protocol, destinationPort, createdAt, newTags);
    }

    @Override
    public String resourceType() {
        return "network-insights-path";
    }
}
