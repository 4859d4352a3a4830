package dev.underpass.reach;

import dev.underpass.model.World;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.Organizations;
import dev.underpass.policy.Decision;
import dev.underpass.policy.Effect;
import dev.underpass.policy.EndpointKind;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Layer;
import dev.underpass.policy.Policy;
import dev.underpass.policy.Request;
import dev.underpass.policy.StatementRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy half of a trace: the request the flow carries, evaluated with the context the network path gives it
 * ({@code aws:SourceVpce}, {@code aws:SourceVpc}, {@code aws:VpcSourceIp}, {@code aws:PrincipalOrgID},
 * {@code aws:PrincipalOrgPaths}) against every layer that applies: the endpoint policy of the VPC endpoint the path
 * crosses (AWS's full-access default when it has none; not applied to endpoints of customer services, as AWS does
 * not), the SCPs on the principal's account and the RCPs on the resource's, from the organization in the world, and
 * the identity and resource policies the caller supplies (without an identity policy, the caller is taken to have
 * one that allows the request). Each layer that denies is one blocker, with underpass's own
 * code ({@code POLICY_<LAYER>_DENIES}: AWS's analyzer has none for policies) naming the statement that decided.
 */
final class PolicyLayer {
    private PolicyLayer() {}

    private static final String ASSUMED_IDENTITY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}""";

    /** A blocker to add: code, component, message, fix. */
    record Denial(String code, String component, String message, String fix) {}

    /**
     * Evaluates {@code pq} on the path; adds a denial per refusing layer to {@code out}, and sets
     * {@code blocking[0]} to what decided a refusal ({@link Decision#blocking}).
     */
    static Decision evaluate(World world, PolicyQuestion pq, VpcEndpoint endpoint, Node src,
            List<Denial> out, String[] blocking) {
        Map<String, Object> context = new LinkedHashMap<>();
        // AWS sets the VPC keys only on requests that come through a VPC endpoint (none over the internet).
        if (endpoint != null) {
            context.put("aws:SourceVpce", endpoint.id());
            context.put("aws:SourceVpc", endpoint.vpcId().value());
            if (src != null) {
                context.put("aws:VpcSourceIp", src.ipText());
            }
        }
        Request probe = Request.of(pq.principal(), pq.action(), pq.resource(), null, Map.of());
        String principalAccount = probe.principal().account();
        Optional<Organizations.OrgPath> principalPath = principalAccount == null ? Optional.empty()
                : Organizations.pathOf(world, principalAccount);
        principalPath.ifPresent(p -> {
            context.put("aws:PrincipalOrgID", p.orgId());
            context.put("aws:PrincipalOrgPaths", List.of(p.orgPath()));
        });
        // An S3 ARN names no account: the bucket is taken to be the caller's, as the service endpoints take it.
        Request request = Request.of(pq.principal(), pq.action(), pq.resource(),
                pq.resource().startsWith("arn:aws:s3:::") ? principalAccount : null, context);
        EvaluationInput.Builder in = EvaluationInput.builder(request);
        // Without an identity policy the question is about the other layers: the caller is taken to hold one
        // that allows the request (an IAM evaluation would otherwise deny it implicitly, every time).
        Policy identity = PolicyQuestion.parse(pq.identityPolicy() != null ? pq.identityPolicy() : ASSUMED_IDENTITY,
                "identity policy");
        in.identityPolicy(identity);
        Policy resource = PolicyQuestion.parse(pq.resourcePolicy(), "resource policy");
        if (resource != null) {
            in.resourcePolicy(resource);
        }
        List<ControlPolicy> scps = new ArrayList<>();
        // SCPs not enabled: no level has a policy, and none applies (an empty level would allow nothing).
        boolean scpsEnabled = principalPath.isPresent() && principalPath.get().nodes().stream()
                .anyMatch(n -> !n.serviceControlPolicies().isEmpty());
        if (scpsEnabled && !principalPath.get().managementAccount()) {
            for (Organizations.PathNode node : principalPath.get().nodes()) {
                List<Policy> level = new ArrayList<>();
                for (ControlPolicy c : node.serviceControlPolicies()) {
                    level.add(c.content().policy());
                    scps.add(c);
                }
                in.scpLevel(level);
            }
        }
        List<ControlPolicy> rcps = new ArrayList<>();
        // The management account's resources are exempt from RCPs, as its principals are from SCPs.
        Organizations.pathOf(world, request.resourceAccount()).filter(p -> !p.managementAccount()).ifPresent(p -> {
            for (Organizations.PathNode node : p.nodes()) {
                List<Policy> level = new ArrayList<>();
                for (ControlPolicy c : node.resourceControlPolicies()) {
                    if (!c.awsManaged()) {
                        level.add(c.content().policy());
                        rcps.add(c);
                    }
                }
                in.rcpLevel(level);
            }
        });
        if (endpoint != null) {
            EndpointKind kind = switch (endpoint.target()) {
                case VpcEndpoint.Target.CustomerService c -> EndpointKind.CUSTOMER_ENDPOINT_SERVICE;
                case VpcEndpoint.Target.AwsService a -> endpoint.isGateway() ? EndpointKind.GATEWAY
                        : EndpointKind.INTERFACE;
            };
            in.vpcEndpointPolicy(endpoint.policy().policy(), kind);
        }
        Decision d = Evaluator.evaluate(in.build());
        blocking[0] = d.blocking((layer, index) -> {
            List<ControlPolicy> control = layer == Layer.SCP ? scps : rcps;
            return index < control.size() ? control.get(index).id() : null;
        });
        for (Layer layer : d.blockedBy()) {
            StatementRef deny = d.statements().stream()
                    .filter(s -> s.layer() == layer && s.effect() == Effect.DENY).findFirst().orElse(null);
            String component = switch (layer) {
                case VPC_ENDPOINT -> endpoint.id();
                case SCP -> deny != null && deny.policy() < scps.size() ? scps.get(deny.policy()).id()
                        : principalPath.map(p -> p.orgId()).orElse("scp");
                case RCP -> deny != null && deny.policy() < rcps.size() ? rcps.get(deny.policy()).id() : "rcp";
                case IDENTITY -> pq.principal();
                case RESOURCE -> pq.resource();
                default -> layer.wireName();
            };
            String what = switch (layer) {
                case VPC_ENDPOINT -> "The endpoint policy of " + endpoint.id();
                case SCP -> "The service control policies of account " + principalAccount;
                case RCP -> "The resource control policies of account " + request.resourceAccount();
                case IDENTITY -> "The identity policy of " + pq.principal();
                case RESOURCE -> "The resource policy of " + pq.resource();
                default -> "The " + layer.wireName() + " policy";
            };
            String request1 = pq.action() + " on " + pq.resource() + " by " + pq.principal();
            String message = deny != null
                    ? what + " denies " + request1 + " (statement " + (deny.sid() == null ? "#" + deny.statement()
                            : "'" + deny.sid() + "'")
                            + (layer == Layer.SCP || layer == Layer.RCP ? " of "
                                    + component : "")
                            + ")."
                    : what + " allows no " + request1 + ".";
            String fix = deny != null
                    ? "Narrow or remove that Deny statement, or send the request so that its condition does not "
                            + "match (context: " + context.keySet() + ")."
                    : "Add a statement that allows " + pq.action() + " on " + pq.resource() + " to "
                            + what.replaceFirst("^The ", "the ") + ".";
            out.add(new Denial("POLICY_" + layerCode(layer) + "_DENIES", component, message, fix));
        }
        return d;
    }

    private static String layerCode(Layer layer) {
        return switch (layer) {
            case VPC_ENDPOINT -> "ENDPOINT";
            default -> layer.name();
        };
    }
}
