package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.elb.ListenerArn;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.elb.AlbListeners;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbErrors;
import dev.underpass.model.elb.ElbLimits;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.ListenerAttributes;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.ListenerRules;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.NlbListeners;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AddListenerCertificatesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AddListenerCertificatesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenerCertificatesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenerCertificatesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RemoveListenerCertificatesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RemoveListenerCertificatesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteListenerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Listeners. On a Network Load Balancer: a port, a protocol (TCP, UDP, TCP_UDP, TLS) and one default action that
 * forwards to a target group of the same VPC with a compatible protocol, which no other load balancer uses. On an
 * Application Load Balancer: HTTP or HTTPS with the default actions and certificates {@link AlbListeners} checks.
 * Every listener gets its default rule ({@link ListenerRules#createDefault}); deleting it deletes its rules.
 */
final class ListenerHandlers {
    void register(Elbv2Registry registry) {
        registry.write("CreateListener", CreateListenerRequest::builder, this::create);
        registry.read("DescribeListeners", DescribeListenersRequest::builder, this::describe);
        registry.write("ModifyListener", ModifyListenerRequest::builder, this::modify);
        registry.write("DeleteListener", DeleteListenerRequest::builder, this::delete);
        registry.read("DescribeListenerAttributes", DescribeListenerAttributesRequest::builder,
                this::describeAttributes);
        registry.write("ModifyListenerAttributes", ModifyListenerAttributesRequest::builder, this::modifyAttributes);
        registry.write("AddListenerCertificates", AddListenerCertificatesRequest::builder, this::addCertificates);
        registry.write("RemoveListenerCertificates", RemoveListenerCertificatesRequest::builder,
                this::removeCertificates);
        registry.read("DescribeListenerCertificates", DescribeListenerCertificatesRequest::builder,
                this::describeCertificates);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener toSdk(Listener l) {
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener.builder()
                .listenerArn(l.arn())
                .loadBalancerArn(LoadBalancerArn.text(l.loadBalancerArn()))
                .port(l.port())
                .protocol(l.protocol().wire())
                .defaultActions(ElbActions.toSdk(l.defaultActions()));
        if (!l.certificateArns().isEmpty()) {
            // DescribeListeners shows the default certificate; DescribeListenerCertificates lists the others.
            b.certificates(Certificate.builder().certificateArn(l.certificateArns().get(0)).build());
            b.sslPolicy(l.sslPolicy());
            if (l.protocol() == Protocol.TLS) {
                b.alpnPolicy(l.alpnPolicy().isEmpty() ? List.of("None") : l.alpnPolicy());
            }
        }
        return b.build();
    }

    private static boolean isAlb(LoadBalancer lb) {
        return lb.isApplication();
    }

    /** An NLB's single forward action, as the model records it. */
    private static List<dev.underpass.model.elb.Action> forwardTo(String targetGroupArn) {
        return List.of(new dev.underpass.model.elb.Action.Forward(1,
                List.of(new dev.underpass.model.elb.Action.WeightedTargetGroup(TargetGroupArn.of(targetGroupArn), 1)),
                false, null));
    }

    /** The settings a create or modify asks for, validated against the load balancer. */
    private record Settings(int port, Protocol protocol, List<dev.underpass.model.elb.Action> actions,
            List<String> certificates, String sslPolicy, List<String> alpn) {}

    private static String targetGroupOf(Tx tx, LoadBalancer lb, List<Action> actions, Protocol protocol,
            String listenerArn) {
        if (actions.size() > 1) {
            throw ElbError.TOO_MANY_ACTIONS.with("A Network Load Balancer listener can have only one default action");
        }
        Action action = actions.get(0);
        if (!"forward".equals(action.typeAsString())) {
            throw ElbError.INVALID_LOAD_BALANCER_ACTION.format(
                    "The action type '%s' is not supported for Network Load Balancers; use 'forward'",
                    action.typeAsString());
        }
        String arn = action.targetGroupArn();
        if (action.forwardConfig() != null && action.forwardConfig().hasTargetGroups()) {
            List<TargetGroupTuple> groups = action.forwardConfig().targetGroups();
            if (groups.size() != 1 || (arn != null && !arn.equals(groups.get(0).targetGroupArn()))) {
                throw ElbError.INVALID_LOAD_BALANCER_ACTION.with(
                        "A Network Load Balancer forward action must name exactly one target group");
            }
            arn = groups.get(0).targetGroupArn();
        }
        if (arn == null) {
            throw ElbError.VALIDATION_ERROR.with("A target group ARN must be specified for a forward action");
        }
        NlbListeners.requireUsable(lb, LoadBalancers.requireTargetGroup(tx.world(), tx.caller(), arn), protocol);
        ListenerRules.requireNoOtherLoadBalancer(tx, lb, TargetGroupArn.of(arn));
        return arn;
    }

    private static Settings settings(Tx tx, LoadBalancer lb, Integer port, Protocol protocol, List<Action> actions,
            List<Certificate> certificates, String sslPolicy, List<String> alpn, String listenerArn) {
        if (isAlb(lb)) {
            List<String> certs = certificates == null ? List.of()
                    : certificates.stream().map(Certificate::certificateArn).toList();
            AlbListeners.Settings s = AlbListeners.settings(tx, lb, port, protocol, ElbActions.fromSdk(actions),
                    certs, sslPolicy, alpn);
            return new Settings(s.port(), s.protocol(), s.actions(), s.certificates(), s.sslPolicy(), List.of());
        }
        NlbListeners.requireProtocol(protocol);
        ElbShapes.range(port, "Port", 1, 65535);
        String targetGroupArn = targetGroupOf(tx, lb, actions, protocol, listenerArn);
        List<String> certs = certificates == null ? List.of()
                : certificates.stream().map(Certificate::certificateArn).toList();
        NlbListeners.Security security = NlbListeners.security(protocol, certs, sslPolicy, alpn);
        return new Settings(port, protocol, forwardTo(targetGroupArn), security.certificates(),
                security.sslPolicy(), security.alpn());
    }

    private static void checkPort(Tx tx, LoadBalancer lb, int port, String except) {
        for (Listener l : LoadBalancers.listenersOf(tx.world(), lb.loadBalancerArn())) {
            if (l.port() == port && !l.id().equals(except)) {
                throw ElbError.DUPLICATE_LISTENER.format(
                        "A listener already exists on port %d of load balancer '%s'", port, lb.id());
            }
        }
    }

    private CreateListenerResponse create(CreateListenerRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        String protocolName = ElbShapes.required(req.protocolAsString(), "Protocol");
        if (req.port() == null) {
            throw ElbError.VALIDATION_ERROR.with("A listener port must be specified");
        }
        List<Action> actions = ElbShapes.requiredList(req.defaultActions(), "DefaultActions");
        Protocol protocol = ElbErrors.oneOf(Protocol.values(), protocolName, "protocol");
        Settings s = settings(tx, lb, req.port(), protocol, actions, req.certificates(), req.sslPolicy(),
                req.alpnPolicy(), null);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<Listener> existing = LoadBalancers.listenersOf(tx.world(), lb.loadBalancerArn());
        for (Listener l : existing) {
            if (l.port() == s.port() && l.protocol() == s.protocol()
                    && l.defaultActions().equals(s.actions())
                    && l.certificateArns().stream().limit(1).toList().equals(s.certificates())
                    && Objects.equals(l.sslPolicy(), s.sslPolicy()) && l.alpnPolicy().equals(s.alpn())) {
                // The same listener again: CreateListener is idempotent. Another certificate or policy on the
                // port is another listener, which DuplicateListener refuses below.
                return CreateListenerResponse.builder().listeners(toSdk(l)).build();
            }
        }
        checkPort(tx, lb, s.port(), null);
        ElbLimits.requireRoomForListener(existing.size());
        Listener l = tx.put(new Listener(LoadBalancers.listenerArn(lb), lb.ownerId(), lb.region(), lb.loadBalancerArn(),
                s.port(), s.protocol(), s.actions(), s.certificates(), s.sslPolicy(), s.alpn(), tx.now(),
                tags));
        ListenerRules.createDefault(tx, l);
        if (isAlb(lb)) {
            ListenerRules.requireTargetGroupQuota(tx, lb);
        }
        return CreateListenerResponse.builder().listeners(toSdk(l)).build();
    }

    private DescribeListenersResponse describe(DescribeListenersRequest req, Elbv2Api.ReadContext ctx) {
        World world = ctx.world();
        boolean byArn = req.hasListenerArns() && !req.listenerArns().isEmpty();
        boolean byLb = req.loadBalancerArn() != null;
        if (byArn == byLb) {
            throw ElbError.VALIDATION_ERROR.with("You must specify either listener ARNs or a load balancer ARN");
        }
        List<Listener> found;
        if (byArn) {
            found = ElbShapes.byArns(req.listenerArns(),
                    arn -> LoadBalancers.requireListener(world, ctx.caller(), arn));
        } else {
            LoadBalancer lb = LoadBalancers.requireLoadBalancer(world, ctx.caller(), req.loadBalancerArn());
            found = LoadBalancers.listenersOf(world, lb.loadBalancerArn());
        }
        ElbShapes.Page<Listener> page = ElbShapes.page(found, req.pageSize(), req.marker(), Listener::id);
        return DescribeListenersResponse.builder()
                .listeners(page.items().stream().map(ListenerHandlers::toSdk).toList())
                .nextMarker(page.nextMarker()).build();
    }

    private ModifyListenerResponse modify(ModifyListenerRequest req, Tx tx) {
        Listener l = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(), l.loadBalancerArn());
        int port = req.port() != null ? req.port() : l.port();
        Protocol protocol =
                req.protocolAsString() != null ? ElbErrors.oneOf(Protocol.values(), req.protocolAsString(), "protocol")
                        : l.protocol();
        List<Action> actions = req.hasDefaultActions() && !req.defaultActions().isEmpty() ? req.defaultActions()
                : ElbActions.toSdk(l.defaultActions());
        boolean tls = protocol == Protocol.TLS || protocol == Protocol.HTTPS;
        List<Certificate> certs = req.hasCertificates() && !req.certificates().isEmpty() ? req.certificates()
                : tls ? l.certificateArns().stream().limit(1)
                        .map(c -> Certificate.builder().certificateArn(c).build()).toList()
                : null;
        String policy = req.sslPolicy() != null ? req.sslPolicy() : tls ? l.sslPolicy() : null;
        // A kept ALPN policy goes with the kept TLS settings: a listener turned into TCP or UDP drops it.
        List<String> alpn = req.hasAlpnPolicy() ? req.alpnPolicy() : tls ? l.alpnPolicy() : List.of();
        Settings s = settings(tx, lb, port, protocol, actions, certs, policy, alpn, l.id());
        checkPort(tx, lb, s.port(), l.id());
        List<String> certificates = new ArrayList<>(s.certificates());
        if (!certificates.isEmpty()) {
            // The certificates added with AddListenerCertificates stay; only the default one is replaced.
            l.certificateArns().stream().skip(1).filter(c -> !certificates.contains(c)).forEach(certificates::add);
        }
        Listener updated = tx.put(l.with(s.port(), s.protocol(), s.actions(), certificates,
                s.sslPolicy(), s.alpn()));
        if (isAlb(lb)) {
            ListenerRules.requireTargetGroupQuota(tx, lb);
        }
        return ModifyListenerResponse.builder().listeners(toSdk(updated)).build();
    }

    private DeleteListenerResponse delete(DeleteListenerRequest req, Tx tx) {
        Listener l = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        remove(tx, l);
        return DeleteListenerResponse.builder().build();
    }

    private static List<ListenerAttribute> attributes(Listener l) {
        List<ListenerAttribute> out = new ArrayList<>();
        ListenerAttributes.describe(l).forEach((k, v) -> out.add(ListenerAttribute.builder().key(k).value(v).build()));
        return out;
    }

    private DescribeListenerAttributesResponse describeAttributes(DescribeListenerAttributesRequest req,
            Elbv2Api.ReadContext ctx) {
        Listener l = LoadBalancers.requireListener(ctx.world(), ctx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        return DescribeListenerAttributesResponse.builder().attributes(attributes(l)).build();
    }

    private ModifyListenerAttributesResponse modifyAttributes(ModifyListenerAttributesRequest req, Tx tx) {
        Listener l = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        Map<String, String> changes = new java.util.LinkedHashMap<>();
        for (ListenerAttribute a : ElbShapes.requiredList(req.attributes(), "Attributes")) {
            changes.put(ElbShapes.required(a.key(), "Attributes.member.N.Key"), a.value() == null ? "" : a.value());
        }
        Listener updated = tx.put(l.withAttributes(ListenerAttributes.modify(l, changes)));
        return ModifyListenerAttributesResponse.builder().attributes(attributes(updated)).build();
    }

    private static List<String> certificateArns(List<Certificate> certificates) {
        List<String> out = new ArrayList<>();
        for (Certificate c : ElbShapes.requiredList(certificates, "Certificates")) {
            out.add(ElbShapes.required(c.certificateArn(), "Certificates.member.N.CertificateArn"));
        }
        return out;
    }

    private AddListenerCertificatesResponse addCertificates(AddListenerCertificatesRequest req, Tx tx) {
        Listener l = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        List<String> all = AlbListeners.addCertificates(l, certificateArns(req.certificates()));
        tx.put(l.with(l.port(), l.protocol(), l.defaultActions(), all, l.sslPolicy(), l.alpnPolicy()));
        return AddListenerCertificatesResponse.builder()
                .certificates(all.stream().skip(1).map(c -> Certificate.builder().certificateArn(c).isDefault(false)
                        .build()).toList())
                .build();
    }

    private RemoveListenerCertificatesResponse removeCertificates(RemoveListenerCertificatesRequest req, Tx tx) {
        Listener l = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        List<String> left = AlbListeners.removeCertificates(l, certificateArns(req.certificates()));
        tx.put(l.with(l.port(), l.protocol(), l.defaultActions(), left, l.sslPolicy(), l.alpnPolicy()));
        return RemoveListenerCertificatesResponse.builder().build();
    }

    /** The default certificate first ({@code IsDefault}), then the others, as AWS lists them. */
    private DescribeListenerCertificatesResponse describeCertificates(DescribeListenerCertificatesRequest req,
            Elbv2Api.ReadContext ctx) {
        Listener l = LoadBalancers.requireListener(ctx.world(), ctx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        List<Certificate> all = new ArrayList<>();
        for (int i = 0; i < l.certificateArns().size(); i++) {
            all.add(Certificate.builder().certificateArn(l.certificateArns().get(i)).isDefault(i == 0).build());
        }
        ElbShapes.Page<Certificate> page = ElbShapes.page(all, req.pageSize(), req.marker(),
                c -> String.format("%03d", all.indexOf(c)));
        return DescribeListenerCertificatesResponse.builder().certificates(page.items())
                .nextMarker(page.nextMarker()).build();
    }

    /** Removes a listener with its rules (the default rule included). */
    static void remove(Tx tx, Listener l) {
        for (Rule r : LoadBalancers.rulesOf(tx.world(), l.listenerArn())) {
            tx.remove(r);
        }
        tx.remove(l);
    }
}
