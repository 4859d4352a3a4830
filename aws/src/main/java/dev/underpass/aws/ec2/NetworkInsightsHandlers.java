package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.NetworkInsightsAnalysisId;
import dev.underpass.model.ec2.NetworkInsightsPathId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NetworkInsights;
import dev.underpass.model.ec2.Visibility;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Query;
import dev.underpass.reach.Timing;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.CreateNetworkInsightsPathRequest;
import software.amazon.awssdk.services.ec2.model.CreateNetworkInsightsPathResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInsightsAnalysisRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInsightsAnalysisResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInsightsPathRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInsightsPathResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInsightsAnalysesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInsightsAnalysesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInsightsPathsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInsightsPathsResponse;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsAnalysis;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsPath;
import software.amazon.awssdk.services.ec2.model.StartNetworkInsightsAnalysisRequest;
import software.amazon.awssdk.services.ec2.model.StartNetworkInsightsAnalysisResponse;

/**
 * The EC2 Network Insights API (Reachability Analyzer): Create/Describe/Delete NetworkInsightsPath and
 * Start/Describe/Delete NetworkInsightsAnalysis, backed by the {@code reach} analyzer. An analysis runs
 * synchronously when it is started and is stored {@code succeeded} with its result (AWS answers {@code running} and
 * finishes later; clients poll Describe, which then answers at once). Unlike AWS, {@code Explanations} lists every
 * blocker of the path, not only the first.
 */
record NetworkInsightsHandlers(Ec2Registry api) {
    /** Both Describe calls page 1 to 100 items. */
    private static final Describe.Limits LIMITS = Describe.Limits.of(1, 100);
    private static final FilterSpec<dev.underpass.model.ec2.NetworkInsightsPath> PATH_FILTERS =
            FilterSpec.<dev.underpass.model.ec2.NetworkInsightsPath>resources()
                    .one("source", p -> p.source())
                    .one("destination", p -> p.destination())
                    .one("protocol", p -> p.protocol())
                    .one("destination-port", p -> p.destinationPort() == null ? null : p.destinationPort().toString())
                    .build();
    private static final FilterSpec<dev.underpass.model.ec2.NetworkInsightsAnalysis> ANALYSIS_FILTERS =
            FilterSpec.<dev.underpass.model.ec2.NetworkInsightsAnalysis>resources()
                    .one("path-found", a -> String.valueOf(a.networkPathFound()))
                    .one("status", a -> a.status().wire())
                    .build();

    void register(Ec2Registry registry) {
        registry.write("CreateNetworkInsightsPath", CreateNetworkInsightsPathRequest::builder, this::createPath);
        registry.read("DescribeNetworkInsightsPaths", DescribeNetworkInsightsPathsRequest::builder,
                this::describePaths);
        registry.write("DeleteNetworkInsightsPath", DeleteNetworkInsightsPathRequest::builder, this::deletePath);
        registry.write("StartNetworkInsightsAnalysis", StartNetworkInsightsAnalysisRequest::builder, this::start);
        registry.read("DescribeNetworkInsightsAnalyses", DescribeNetworkInsightsAnalysesRequest::builder,
                this::describeAnalyses);
        registry.write("DeleteNetworkInsightsAnalysis", DeleteNetworkInsightsAnalysisRequest::builder,
                this::deleteAnalysis);
    }

    private CreateNetworkInsightsPathResponse createPath(CreateNetworkInsightsPathRequest req, Tx tx) {
        if (req.filterAtSource() != null || req.filterAtDestination() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not analyze FilterAtSource or "
                    + "FilterAtDestination yet; give Destination/DestinationIp and DestinationPort.");
        }
        var path = NetworkInsights.createPath(tx, new NetworkInsights.CreatePath(req.source(), req.destination(),
                req.sourceIp(), req.destinationIp(), req.protocolAsString(), req.destinationPort(),
                Shapes.tagsFor(req.tagSpecifications(), "network-insights-path")));
        return CreateNetworkInsightsPathResponse.builder().networkInsightsPath(shape(path)).build();
    }

    private DescribeNetworkInsightsPathsResponse describePaths(DescribeNetworkInsightsPathsRequest req,
            Ec2Api.ReadContext ctx) {
        var page = Describe.visible(ctx, dev.underpass.model.ec2.NetworkInsightsPath.class,
                Kind.NETWORK_INSIGHTS_PATH, req.networkInsightsPathIds()).filter(PATH_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), LIMITS);
        return DescribeNetworkInsightsPathsResponse.builder()
                .networkInsightsPaths(page.map(NetworkInsightsHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    private DeleteNetworkInsightsPathResponse deletePath(DeleteNetworkInsightsPathRequest req, Tx tx) {
        NetworkInsights.deletePath(tx, NetworkInsightsPathId.of(req.networkInsightsPathId()));
        return DeleteNetworkInsightsPathResponse.builder().networkInsightsPathId(req.networkInsightsPathId()).build();
    }

    private StartNetworkInsightsAnalysisResponse start(StartNetworkInsightsAnalysisRequest req, Tx tx) {
        if (!req.filterInArns().isEmpty() || !req.filterOutArns().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not analyze FilterInArns or FilterOutArns "
                    + "yet.");
        }
        var path = NetworkInsights.requirePath(tx.world(), tx.caller(),
                NetworkInsightsPathId.of(Shapes.required(req.networkInsightsPathId(), "NetworkInsightsPathId")));
        var tags = Shapes.tagsFor(req.tagSpecifications(), "network-insights-analysis");
        String id = Ids.next("nia");
        dev.underpass.model.ec2.NetworkInsightsAnalysis stored;
        if (path.destinationPort() == null) {
            stored = new dev.underpass.model.ec2.NetworkInsightsAnalysis(id, path.ownerId(), path.region(),
                    path.networkInsightsPathId(), tx.now(),
                    dev.underpass.model.ec2.NetworkInsightsAnalysis.Status.FAILED,
                    "underpass analyzes one destination port; the path names none.", false, List.of(), List.of(),
                    List.of(), tags);
        } else {
            String owner = tx.world().findAny(path.source()).map(r -> r.ownerId()).orElse(path.ownerId());
            Query query = new Query(owner, path.region(), path.source(),
                    path.destination() != null ? path.destination() : path.destinationIp(), path.protocol(),
                    path.destinationPort());
            Analysis a = Analyzer.analyze(tx.world(), query,
                    new Timing(tx.now(), api.settings().instanceTransition(), Duration.ZERO));
            stored = new dev.underpass.model.ec2.NetworkInsightsAnalysis(id, path.ownerId(), path.region(),
                    path.networkInsightsPathId(), tx.now(),
                    dev.underpass.model.ec2.NetworkInsightsAnalysis.Status.SUCCEEDED,
                    null,
                    a.reachable(), NetworkInsightsShapes.hops(tx.world(), a.forward()),
                    NetworkInsightsShapes.hops(tx.world(), a.returnPath()),
                    a.blockers().stream().map(b -> NetworkInsightsShapes.explanation(tx.world(), b)).toList(), tags);
        }
        tx.put(stored);
        return StartNetworkInsightsAnalysisResponse.builder().networkInsightsAnalysis(shape(stored)).build();
    }

    private DescribeNetworkInsightsAnalysesResponse describeAnalyses(DescribeNetworkInsightsAnalysesRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        NetworkInsightsPathId pathId = NetworkInsightsPathId.of(req.networkInsightsPathId());
        if (pathId != null) {
            NetworkInsights.requirePath(world, ctx.caller(), pathId);
        }
        var page = Describe.visible(ctx, dev.underpass.model.ec2.NetworkInsightsAnalysis.class,
                Kind.NETWORK_INSIGHTS_ANALYSIS, req.networkInsightsAnalysisIds())
                .where(a -> pathId == null || a.pathId().equals(pathId))
                .where(a -> req.analysisStartTime() == null || !a.startDate().isBefore(req.analysisStartTime()))
                .where(a -> req.analysisEndTime() == null || !a.startDate().isAfter(req.analysisEndTime()))
                .filter(ANALYSIS_FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), LIMITS);
        return DescribeNetworkInsightsAnalysesResponse.builder()
                .networkInsightsAnalyses(page.map(NetworkInsightsHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    private DeleteNetworkInsightsAnalysisResponse deleteAnalysis(DeleteNetworkInsightsAnalysisRequest req, Tx tx) {
        NetworkInsights.deleteAnalysis(tx, NetworkInsightsAnalysisId.of(req.networkInsightsAnalysisId()));
        return DeleteNetworkInsightsAnalysisResponse.builder()
                .networkInsightsAnalysisId(req.networkInsightsAnalysisId()).build();
    }

    static NetworkInsightsPath shape(dev.underpass.model.ec2.NetworkInsightsPath p) {
        return NetworkInsightsPath.builder().networkInsightsPathId(p.id()).networkInsightsPathArn(p.arn())
                .createdDate(p.createdAt()).source(p.source()).destination(p.destination()).sourceArn(p.sourceArn())
                .destinationArn(p.destinationArn()).sourceIp(p.sourceIp()).destinationIp(p.destinationIp())
                .protocol(p.protocol()).destinationPort(p.destinationPort()).tags(Shapes.tags(p.tags())).build();
    }

    static NetworkInsightsAnalysis shape(dev.underpass.model.ec2.NetworkInsightsAnalysis a) {
        boolean succeeded = a.status() == dev.underpass.model.ec2.NetworkInsightsAnalysis.Status.SUCCEEDED;
        return NetworkInsightsAnalysis.builder().networkInsightsAnalysisId(a.id()).networkInsightsAnalysisArn(a.arn())
                .networkInsightsPathId(NetworkInsightsPathId.text(a.pathId())).startDate(a.startDate())
                .status(a.status().wire())
                .statusMessage(a.statusMessage()).networkPathFound(succeeded ? a.networkPathFound() : null)
                .forwardPathComponents(a.forward().stream().map(NetworkInsightsShapes::component).toList())
                .returnPathComponents(a.returnPath().stream().map(NetworkInsightsShapes::component).toList())
                .explanations(a.explanations().stream().map(NetworkInsightsShapes::explanation).toList())
                .tags(Shapes.tags(a.tags())).build();
    }
}
