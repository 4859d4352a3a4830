package dev.underpass.dataplane.service;

import dev.underpass.model.World;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.Organizations;
import dev.underpass.policy.Decision;
import dev.underpass.policy.EndpointKind;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Layer;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.Request;
import dev.underpass.policy.StatementRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy layers a request to an AWS service meets on its way through a VPC endpoint, evaluated by the
 * {@code policy} engine exactly as {@code underpass policy evaluate} evaluates its input: the endpoint policy (AWS's
 * full-access default when the endpoint has none; none on the internet path), the SCPs of the caller's account and
 * the RCPs of the resource's account from the organization in the world (the management account is exempt from
 * both), and the bucket policy given at start ({@code --resource-policy s3:BUCKET=FILE}). underpass has no IAM
 * identity policies, so the caller is taken to hold one that allows the request, as the analyzer's policy layer does.
 *
 * <p>Parsing is done once: a policy document is parsed the first time its text is seen, and an account's SCP and RCP
 * levels once per committed world ({@link World#derive}), so a request costs one evaluation.
 */
public final class RequestPolicies {
    /** The identity policy underpass assumes: it allows everything, so that the other layers decide. */
    public static final String ASSUMED_IDENTITY_POLICY =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final Object LEVELS = new Object();

    /** An account's control policies, root level first: the SCP levels (null for an exempt account) and RCPs. */
    record Levels(String orgId, String orgPath, List<List<ControlPolicy>> scps, List<List<ControlPolicy>> rcps) {
        static final Levels NONE = new Levels(null, null, null, List.of());
    }

    /** What decided, and everything needed to ask the engine the same question again. */
    public record Verdict(Decision decision, String principal, String action, String resource,
            Map<String, Object> context, String endpointId, EndpointKind endpointKind, String endpointPolicy,
            String resourcePolicy, List<List<String>> scps, List<List<String>> rcps, String blocking,
            String message) {
        public boolean allowed() {
            return decision.allowed();
        }
    }

    private final Map<String, String> bucketPolicies;
    private final Map<String, Policy> parsed = new ConcurrentHashMap<>();
    private final Policy assumedIdentity;

    /** {@code bucketPolicies}: bucket name to policy JSON (already validated by the caller). */
    public RequestPolicies(Map<String, String> bucketPolicies) {
        this.bucketPolicies = Map.copyOf(bucketPolicies);
        this.assumedIdentity = policy(ASSUMED_IDENTITY_POLICY);
        bucketPolicies.values().forEach(this::policy);
    }

    public Optional<String> bucketPolicy(String bucket) {
        return Optional.ofNullable(bucket == null ? null : bucketPolicies.get(bucket));
    }

    private Policy policy(String json) {
        return parsed.computeIfAbsent(json, text -> {
            try {
                return PolicyParser.parse(text);
            } catch (dev.underpass.policy.PolicyParseException e) {
                // A bucket policy was validated at start.
                throw new IllegalArgumentException("a stored policy does not parse: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Evaluates one check of a request. {@code context} holds the network's keys ({@code aws:SourceVpce}, …) and the
     * request's; the organization keys of the caller are added here. {@code endpoint} is null on the internet path.
     */
    public Verdict evaluate(World world, String principal, String principalAccount, ActionCheck check,
            String bucket, Map<String, Object> context, VpcEndpoint endpoint) {
        Levels caller = levels(world, principalAccount);
        Map<String, Object> ctx = java.util.LinkedHashMap.newLinkedHashMap(context.size() + 2);
        ctx.putAll(context);
        if (caller.orgId() != null) {
            ctx.put("aws:PrincipalOrgID", caller.orgId());
            ctx.put("aws:PrincipalOrgPaths", List.of(caller.orgPath()));
        }
        // S3 ARNs name no account; the bucket is taken to be the caller's (see docs/service-endpoints.md).
        Request request = Request.of(principal, check.action(), check.resource(), principalAccount, ctx);
        EvaluationInput.Builder in = EvaluationInput.builder(request).identityPolicy(assumedIdentity);
        // A bucket's policy governs the bucket once it exists: creating it is decided without it.
        String bucketPolicy = "s3:CreateBucket".equals(check.action()) ? null : bucketPolicy(bucket).orElse(null);
        if (bucketPolicy != null) {
            in.resourcePolicy(policy(bucketPolicy));
        }
        List<List<String>> scpTexts = new ArrayList<>();
        if (caller.scps() != null) {
            for (List<ControlPolicy> level : caller.scps()) {
                in.scpLevel(level.stream().map(c -> c.content().policy()).toList());
                scpTexts.add(level.stream().map(c -> c.content().text()).toList());
            }
        }
        List<List<String>> rcpTexts = new ArrayList<>();
        for (List<ControlPolicy> level : caller.rcps()) {
            in.rcpLevel(level.stream().map(c -> c.content().policy()).toList());
            rcpTexts.add(level.stream().map(c -> c.content().text()).toList());
        }
        String endpointPolicy = null;
        EndpointKind kind = null;
        if (endpoint != null) {
            // Parsed when it was accepted (or read from the store), never here.
            endpointPolicy = endpoint.policy().text();
            kind = endpoint.isGateway() ? EndpointKind.GATEWAY : EndpointKind.INTERFACE;
            in.vpcEndpointPolicy(endpoint.policy().policy(), kind);
        }
        Decision d = Evaluator.evaluate(in.build());
        String blocking = null;
        String message = null;
        if (!d.allowed()) {
            Layer layer = d.blockedBy().isEmpty() ? Layer.IDENTITY : d.blockedBy().get(0);
            StatementRef deny = d.firstDeny();
            if (deny != null) {
                layer = deny.layer();
            }
            // SCPs and RCPs are named by their policy id (the engine's index counts across levels).
            blocking = d.blocking((l, index) -> {
                ControlPolicy control = l == Layer.SCP && caller.scps() != null ? nth(caller.scps(), index)
                        : l == Layer.RCP ? nth(caller.rcps(), index) : null;
                return control == null ? null : control.id();
            });
            message = "User: " + principal + " is not authorized to perform: " + check.action() + " on resource: \""
                    + check.resource() + "\" " + (deny != null ? "with an explicit deny in a " + layerName(layer)
                            : "because no " + layerName(layer) + " allows the " + check.action() + " action");
        }
        // ctx is this call's own map, never changed after: the verdict keeps a read-only view of it.
        return new Verdict(d, principal, check.action(), check.resource(), java.util.Collections.unmodifiableMap(ctx),
                endpoint == null ? null : endpoint.id(), kind, endpointPolicy, bucketPolicy, scpTexts, rcpTexts,
                blocking, message);
    }

    private static ControlPolicy nth(List<List<ControlPolicy>> levels, int index) {
        int i = index;
        for (List<ControlPolicy> level : levels) {
            if (i < level.size()) {
                return level.get(i);
            }
            i -= level.size();
        }
        return null;
    }

    /** The layer as S3's AccessDenied messages name it. */
    static String layerName(Layer layer) {
        return switch (layer) {
            case VPC_ENDPOINT -> "VPC endpoint policy";
            case RESOURCE -> "resource-based policy";
            case SCP -> "service control policy";
            case RCP -> "resource control policy";
            case BOUNDARY -> "permissions boundary";
            case SESSION -> "session policy";
            case IDENTITY -> "identity-based policy";
        };
    }

    private Levels levels(World world, String account) {
        if (account == null) {
            return Levels.NONE;
        }
        Map<String, Levels> byAccount = world.derive(LEVELS, w -> new ConcurrentHashMap<String, Levels>());
        return byAccount.computeIfAbsent(account, a -> Organizations.pathOf(world, a).map(p -> {
            boolean management = p.managementAccountId().equals(a);
            List<List<ControlPolicy>> scps = new ArrayList<>();
            List<List<ControlPolicy>> rcps = new ArrayList<>();
            for (Organizations.PathNode node : p.nodes()) {
                scps.add(node.serviceControlPolicies());
                rcps.add(node.resourceControlPolicies().stream().filter(c -> !c.awsManaged()).toList());
            }
            // SCPs not enabled: no level has a policy, and none applies (an empty level would allow nothing).
            boolean scpsEnabled = scps.stream().anyMatch(l -> !l.isEmpty());
            return new Levels(p.orgId(), p.orgPath(), management || !scpsEnabled ? null : scps,
                    management ? List.of() : rcps);
        }).orElse(Levels.NONE));
    }
}
