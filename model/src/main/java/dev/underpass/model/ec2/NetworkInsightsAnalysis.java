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

    /** One path component: its sequence number, id (or ARN), kind, what was checked and what matched. */
    public record Hop(int sequence, String componentId, String componentType, String check, String matched) {}

    /** One blocker: AWS's explanation code, the component, direction, which path, and underpass's sentences. */
    public record Explanation(String code, String componentId, String direction, String path, String message,
            String fix) {}

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
