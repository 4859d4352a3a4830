package dev.underpass.server.fuzz;

import dev.underpass.server.fuzz.Fuzzer.Arg;
import dev.underpass.server.fuzz.Fuzzer.Kind;
import dev.underpass.server.fuzz.Fuzzer.Outcome;
import dev.underpass.server.fuzz.Fuzzer.Violation;
import dev.underpass.server.fuzz.Model.Pair;
import dev.underpass.server.fuzz.Model.Res;
import dev.underpass.server.fuzz.Model.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The fuzzer's steps and checks for Network Load Balancers: internal NLBs across zones, target groups of the four
 * NLB protocols with health-check settings, TCP/UDP/TCP_UDP/TLS listeners (certificates good and bad, ports out of
 * range, protocols that do not fit the group), targets, and the load balancer's and groups' attributes. Each request
 * is judged before it is sent: {@link Expect#OK} when AWS must take it, {@link Expect#FAIL} when AWS must refuse it,
 * {@link Expect#EITHER} where AWS's documentation leaves it open (a bucket's permissions, cross-attribute rules). What
 * an accepted request made is kept in the {@link Model} as the fields below, and every Describe must show them:
 * <ul>
 *   <li>an NLB ({@code LB}): {@code name}, {@code vpc}, {@code subnets} (sorted ids, for CreateLoadBalancer's
 *       idempotence), and {@code attr.KEY} for each attribute whose value is known;
 *   <li>a group ({@code TG}): {@code name}, {@code vpc}, {@code protocol}, {@code port}, {@code targetType},
 *       {@code hc.*} (the health check as stored), {@code attr.KEY}, and {@code targets} (sorted {@code id:port});
 *   <li>a listener ({@code LISTENER}, shared with {@link AlbSteps}, which keeps {@code lb} and {@code port}):
 *       {@code protocol}, {@code tg} and {@code cert} too for an NLB's.
 * </ul>
 */
final class NlbSteps {
    enum Check { NLB_LISTENERS, NLB_TARGETS, NLB_ATTRIBUTES }

    /** What AWS does with a request, decided before it is sent. */
    enum Expect {
        OK, FAIL, EITHER;

        Expect and(Expect other) {
            return this == FAIL || other == FAIL ? FAIL : this == EITHER || other == EITHER ? EITHER : OK;
        }

        static Expect of(boolean ok) {
            return ok ? OK : FAIL;
        }
    }

    static final List<String> PROTOCOLS = List.of("TCP", "UDP", "TCP_UDP", "TLS");
    private static final List<String> SSL_POLICIES = List.of("ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-Bogus", "");
    private static final List<String> ALPN = List.of("HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred",
            "None", "HTTP3", "http2preferred", "");
    /** Which target group protocols a listener protocol forwards to (NLB listeners documentation). */
    private static final Map<String, Set<String>> FITS = Map.of("TCP", Set.of("TCP", "TCP_UDP"),
            "UDP", Set.of("UDP", "TCP_UDP"), "TCP_UDP", Set.of("TCP_UDP"), "TLS", Set.of("TCP", "TLS"));
    private static final List<String> GOOD_CERTS = List.of(
            "arn:aws:acm:us-east-1:111111111111:certificate/9d1e5b2c-3f4a-4b6c-8d7e-0a1b2c3d4e5f",
            "arn:aws:iam::111111111111:server-certificate/fuzz/web");
    private static final List<String> BAD_CERTS = List.of("garbage", "", "arn:aws:s3:::bucket/certificate/x",
            "arn:aws:acm:us-east-1:111111111111:certificate/", "arn:aws:iam::111111111111:user/web");

    private final Fuzzer f;
    private final Model model;
    private final Random rnd;

    NlbSteps(Fuzzer fuzzer) {
        this.f = fuzzer;
        this.model = fuzzer.model;
        this.rnd = fuzzer.rnd;
    }

    private ElasticLoadBalancingV2Client elb(Pair p) {
        return f.elb.get(p);
    }

    static boolean isNlb(Res lb) {
        return lb != null && lb.type == Type.LB && !AlbSteps.isAlb(lb);
    }

    /** An NLB group: any but HTTP (the base fuzzer's groups have no protocol field and are TCP). */
    static boolean isNlbGroup(Res tg) {
        return tg != null && tg.type == Type.TG && !"HTTP".equals(tg.get("protocol"));
    }

    static String protocolOf(Res tg) {
        return tg.get("protocol") == null ? "TCP" : tg.get("protocol");
    }

    private List<Res> ownNlbs(Pair p) {
        return model.live(Type.LB, p).stream().filter(NlbSteps::isNlb).toList();
    }

    private List<Res> ownGroups(Pair p) {
        return model.live(Type.TG, p).stream().filter(NlbSteps::isNlbGroup).toList();
    }

    private List<Res> ownListeners(Pair p) {
        return model.live(Type.LISTENER, p).stream().filter(l -> isNlb(model.get(l.get("lb")))).toList();
    }

    private static void judge(Pair p, String action, String args, Outcome<?> o, Expect expect) {
        if (expect == Expect.OK && !o.ok()) {
            throw new Violation(action + " by " + p + " refused a request AWS takes (" + o.error() + "): " + args);
        }
        if (expect == Expect.FAIL && o.ok()) {
            throw new Violation(action + " by " + p + " took a request AWS refuses: " + args);
        }
    }

    private static Arg own(Res r) {
        return new Arg(r.id, r, Kind.OWN);
    }

    private <T> T any(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /** A step on the caller's own NLB and groups, so that the deep states (listeners, targets) are reached often. */
    private boolean focused(Pair p) {
        List<Res> nlbs = ownNlbs(p);
        if (nlbs.isEmpty()) {
            return false;
        }
        Res lb = any(nlbs);
        List<Res> groups = ownGroups(p).stream().filter(t -> t.get("targets") != null).toList();
        List<Res> sameVpc = groups.stream().filter(t -> lb.get("vpc").equals(t.get("vpc"))).toList();
        List<Res> listeners = ownListeners(p);
        switch (rnd.nextInt(6)) {
            case 0 -> {
                if (sameVpc.isEmpty()) {
                    return false;
                }
                createListener(p, own(lb), own(any(sameVpc)));
            }
            case 1 -> {
                if (listeners.isEmpty()) {
                    return false;
                }
                modifyListener(p, own(any(listeners)));
            }
            case 2 -> {
                if (rnd.nextBoolean()) {
                    modifyLoadBalancerAttributes(p, own(lb));
                } else {
                    modifyCapacityReservation(p, own(lb));
                }
            }
            case 3, 4 -> {
                if (groups.isEmpty()) {
                    return false;
                }
                Arg tg = own(any(groups));
                switch (rnd.nextInt(3)) {
                    case 0 -> registerTargets(p, tg);
                    case 1 -> modifyTargetGroup(p, tg);
                    default -> modifyTargetGroupAttributes(p, tg);
                }
            }
            default -> {
                if (groups.isEmpty()) {
                    return false;
                }
                deregisterTargets(p, own(any(groups)));
            }
        }
        return true;
    }

    void step(Pair p) {
        if (rnd.nextInt(5) < 2 && focused(p)) {
            return;
        }
        if (rnd.nextBoolean()) {
            // Reach the deep states: an NLB needs subnets in two zones, listeners a group, targets instances.
            if (model.live(Type.SUBNET, p).size() < 2) {
                f.createSubnet(p);
                return;
            }
            if (ownNlbs(p).isEmpty()) {
                createLoadBalancer(p);
                return;
            }
            if (ownGroups(p).isEmpty()) {
                createTargetGroup(p);
                return;
            }
        }
        int r = rnd.nextInt(100);
        if (r < 10) {
            createLoadBalancer(p);
        } else if (r < 13) {
            deleteLoadBalancer(p);
        } else if (r < 25) {
            createTargetGroup(p);
        } else if (r < 32) {
            modifyTargetGroup(p);
        } else if (r < 35) {
            deleteTargetGroup(p);
        } else if (r < 50) {
            createListener(p);
        } else if (r < 58) {
            modifyListener(p);
        } else if (r < 62) {
            deleteListener(p);
        } else if (r < 72) {
            registerTargets(p);
        } else if (r < 78) {
            deregisterTargets(p);
        } else if (r < 88) {
            modifyLoadBalancerAttributes(p);
        } else {
            modifyTargetGroupAttributes(p);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Load balancers

    private void createLoadBalancer(Pair p) {
        Arg first = f.pick(Type.SUBNET, p);
        List<Arg> subnets = new ArrayList<>(List.of(first));
        List<Res> sameVpc = first.res() == null ? List.of() : model.liveWhere(Type.SUBNET, "vpc",
                first.res().get("vpc"));
        if (rnd.nextInt(4) > 0) {
            List<Res> others = rnd.nextInt(6) == 0 ? sameVpc : sameVpc.stream().filter(s -> !s.get("az")
                    .equals(first.res().get("az"))).toList();
            Arg second = f.pick(Type.SUBNET, p, others);
            if (!second.id().equals(first.id())) {
                subnets.add(second);
            }
        }
        String name = "net-" + rnd.nextInt(3);
        List<String> ids = subnets.stream().map(Arg::id).toList();
        String sorted = String.join(",", new TreeSet<>(ids));
        Expect expect = Expect.OK;
        for (Arg s : subnets) {
            expect = expect.and(s.kind() == Kind.OWN ? Expect.OK : s.kind() == Kind.SHARED ? Expect.EITHER
                    : Expect.FAIL);
        }
        if (expect != Expect.FAIL) {
            long vpcs = subnets.stream().map(s -> s.res().get("vpc")).distinct().count();
            long zones = subnets.stream().map(s -> s.res().get("az")).distinct().count();
            expect = expect.and(Expect.of(vpcs == 1 && zones == subnets.size()));
        }
        Res sameName = ownNlbs(p).stream().filter(lb -> name.equals(lb.get("name"))).findFirst().orElse(null);
        if (sameName != null && expect != Expect.FAIL) {
            // The same name and settings answer the same NLB; other settings are DuplicateLoadBalancerName.
            expect = expect.and(Expect.of(sorted.equals(sameName.get("subnets"))));
        }
        var o = f.call("CreateLoadBalancer", () -> elb(p).createLoadBalancer(b -> b.name(name).type("network")
                .scheme("internal").subnets(ids)).loadBalancers().get(0));
        String args = "network " + name + " " + Fuzzer.ids(subnets);
        f.note(p, "CreateLoadBalancer", args, o, o.ok() ? o.value().loadBalancerArn() : null);
        judge(p, "CreateLoadBalancer", args, o, expect);
        f.mustHaveOwned(p, "CreateLoadBalancer", o, subnets.stream().map(Fuzzer::sharedOk).toArray(Arg[]::new));
        if (!o.ok()) {
            return;
        }
        String arn = o.value().loadBalancerArn();
        if (sameName != null && !sameName.id.equals(arn)) {
            throw new Violation("CreateLoadBalancer made a second NLB named " + name + ": " + arn + " beside "
                    + sameName);
        }
        if (!model.knows(arn)) {
            model.add(Type.LB, arn, p, false).with("name", name).with("vpc", o.value().vpcId())
                    .with("subnets", sorted).with("attr.deletion_protection.enabled", "false")
                    .with("attr.load_balancing.cross_zone.enabled", "false")
                    .with("attr.access_logs.s3.enabled", "false")
                    .with("attr.dns_record.client_routing_policy", "any_availability_zone");
        }
    }

    private void deleteLoadBalancer(Pair p) {
        Arg lb = f.pick(Type.LB, p, ownNlbs(p));
        var o = f.call("DeleteLoadBalancer", () -> elb(p).deleteLoadBalancer(b -> b.loadBalancerArn(lb.id())));
        f.note(p, "DeleteLoadBalancer", lb.toString(), o, null);
        loadBalancerDeleteAnswered(p, lb, o);
    }

    /** DeleteLoadBalancer's answer, from this class's step or the fuzzer's own: deletion protection holds. */
    void loadBalancerDeleteAnswered(Pair p, Arg lb, Outcome<?> o) {
        if (lb.kind() != Kind.OWN) {
            return; // Idempotent: the owner's Describe checks that another account's load balancer stayed.
        }
        boolean protectedLb = "true".equals(lb.res().get("attr.deletion_protection.enabled"));
        judge(p, "DeleteLoadBalancer", lb + (protectedLb ? " (deletion protection on)" : ""), o,
                protectedLb ? Expect.FAIL : model.liveWhere(Type.SERVICE, "lb", lb.id()).isEmpty() ? Expect.OK
                        : Expect.FAIL);
        if (o.ok()) {
            model.delete(lb.id());
            f.alb.loadBalancerDeleted(lb.id());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Target groups and health checks

    /** A health check as a request gives it: null for each part left out. */
    record HealthCheck(String protocol, String port, String path, Integer interval, Integer timeout,
            Integer healthy, Integer unhealthy, String matcher) {
        @Override
        public String toString() {
            return "hc[" + protocol + " " + port + " " + path + " i=" + interval + " t=" + timeout + " h="
                    + healthy + " u=" + unhealthy + " m=" + matcher + "]";
        }
    }

    private <T> T maybe(List<T> values) {
        return rnd.nextInt(3) == 0 ? values.get(rnd.nextInt(values.size())) : null;
    }

    private HealthCheck healthCheck() {
        if (rnd.nextBoolean()) {
            boolean http = rnd.nextBoolean();
            return new HealthCheck(http ? "HTTP" : rnd.nextBoolean() ? "TCP" : null, rnd.nextBoolean() ? null
                    : "8080", http && rnd.nextBoolean() ? "/health" : null, rnd.nextBoolean() ? null : 30,
                    rnd.nextBoolean() ? null : 5, rnd.nextBoolean() ? null : 3, rnd.nextBoolean() ? null : 3,
                    http && rnd.nextBoolean() ? "200-399" : null);
        }
        return new HealthCheck(maybe(List.of("TCP", "HTTP", "HTTPS", "TCP", "UDP", "bogus")),
                maybe(List.of("traffic-port", "8080", "0", "65536", "http")),
                rnd.nextInt(5) == 0 ? "/health" : null,
                maybe(List.of(10, 30, 300, 5, 4, 301)), maybe(List.of(2, 5, 9, 120, 1, 121)),
                maybe(List.of(2, 5, 10, 1, 11)), maybe(List.of(2, 3, 10, 1, 11)),
                rnd.nextInt(6) == 0 ? List.of("200-399", "200", "404", "200-599", "600", "abc").get(rnd.nextInt(6))
                        : null);
    }

    private static boolean inRange(Integer v, int low, int high) {
        return v == null || v >= low && v <= high;
    }

    private static int parsePort(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether AWS takes the health check {@code merged} (the request's parts over what the group has) for a group of
     * {@code protocol}: the documented protocols, port, ranges and HTTP codes, and paths and matchers only with HTTP
     * checks. A timeout that is not below the interval, both in range, is left open.
     */
    static Expect healthCheckExpect(HealthCheck merged) {
        String protocol = merged.protocol() == null ? "TCP" : merged.protocol();
        boolean ok = List.of("TCP", "HTTP", "HTTPS").contains(protocol)
                && (merged.port() == null || merged.port().equals("traffic-port")
                        || parsePort(merged.port()) >= 1 && parsePort(merged.port()) <= 65535)
                && inRange(merged.interval(), 5, 300) && inRange(merged.timeout(), 2, 120)
                && inRange(merged.healthy(), 2, 10) && inRange(merged.unhealthy(), 2, 10);
        boolean http = protocol.startsWith("HTTP");
        if (!http && (merged.path() != null || merged.matcher() != null)) {
            ok = false;
        }
        if (merged.matcher() != null && !List.of("200-399", "200", "404", "200-599").contains(merged.matcher())) {
            ok = false; // An NLB group's codes are 200 to 599.
        }
        if (!ok) {
            return Expect.FAIL;
        }
        int interval = merged.interval() == null ? 30 : merged.interval();
        // AWS's default timeout for an NLB group is 10 s (6 s for HTTP checks in some pages): 10 is the cautious one.
        int timeout = merged.timeout() == null ? 10 : merged.timeout();
        return timeout < interval ? Expect.OK : Expect.EITHER;
    }

    private static HealthCheck described(TargetGroup tg) {
        return new HealthCheck(tg.healthCheckProtocolAsString(), tg.healthCheckPort(), tg.healthCheckPath(),
                tg.healthCheckIntervalSeconds(), tg.healthCheckTimeoutSeconds(), tg.healthyThresholdCount(),
                tg.unhealthyThresholdCount(), tg.matcher() == null ? null : tg.matcher().httpCode());
    }

    private static HealthCheck stored(Res tg) {
        if (tg.get("hc") == null) {
            return null;
        }
        String[] s = tg.get("hc").split("\\|", -1);
        return new HealthCheck(s[0], s[1], s[2].isEmpty() ? null : s[2], Integer.valueOf(s[3]), Integer.valueOf(s[4]),
                Integer.valueOf(s[5]), Integer.valueOf(s[6]), s[7].isEmpty() ? null : s[7]);
    }

    private static String text(HealthCheck h) {
        return h.protocol() + "|" + h.port() + "|" + (h.path() == null ? "" : h.path()) + "|" + h.interval() + "|"
                + h.timeout() + "|" + h.healthy() + "|" + h.unhealthy() + "|" + (h.matcher() == null ? ""
                        : h.matcher());
    }

    /** Every part the request gave is what the answer shows; a TCP check has no path or matcher. */
    private static void sameGiven(Pair p, String action, HealthCheck asked, HealthCheck shown) {
        List<String> wrong = new ArrayList<>();
        if (asked.protocol() != null && !asked.protocol().equals(shown.protocol())) {
            wrong.add("protocol");
        }
        if (asked.port() != null && !asked.port().equals(shown.port())) {
            wrong.add("port");
        }
        if (asked.path() != null && !asked.path().equals(shown.path())) {
            wrong.add("path");
        }
        if (asked.interval() != null && !asked.interval().equals(shown.interval())) {
            wrong.add("interval");
        }
        if (asked.timeout() != null && !asked.timeout().equals(shown.timeout())) {
            wrong.add("timeout");
        }
        if (asked.healthy() != null && !asked.healthy().equals(shown.healthy())) {
            wrong.add("healthy");
        }
        if (asked.unhealthy() != null && !asked.unhealthy().equals(shown.unhealthy())) {
            wrong.add("unhealthy");
        }
        if (asked.matcher() != null && !asked.matcher().equals(shown.matcher())) {
            wrong.add("matcher");
        }
        if ("TCP".equals(shown.protocol()) && (shown.path() != null || shown.matcher() != null)) {
            wrong.add("path or matcher of a TCP check");
        }
        if (!wrong.isEmpty()) {
            throw new Violation(action + " by " + p + " asked " + asked + " and shows " + shown + ": " + wrong);
        }
    }

    void createTargetGroup(Pair p) {
        Arg vpc = f.pick(Type.VPC, p);
        String protocol = rnd.nextInt(15) == 0 ? "GENEVE" : PROTOCOLS.get(rnd.nextInt(PROTOCOLS.size()));
        int port = List.of(80, 443, 53, 8080, 0, 65536).get(rnd.nextInt(rnd.nextInt(8) == 0 ? 6 : 4));
        String targetType = rnd.nextBoolean() ? "instance" : "ip";
        String name = "ntg-" + rnd.nextInt(4);
        HealthCheck hc = healthCheck();
        Expect expect = vpc.kind() == Kind.OWN ? Expect.OK : vpc.kind() == Kind.SHARED ? Expect.EITHER : Expect.FAIL;
        expect = expect.and(Expect.of(PROTOCOLS.contains(protocol) && port >= 1 && port <= 65535));
        expect = expect.and(healthCheckExpect(hc));
        Res sameName = model.live(Type.TG, p).stream().filter(t -> name.equals(t.get("name"))).findFirst()
                .orElse(null);
        if (sameName != null) {
            // Idempotent for the same settings, DuplicateTargetGroupName otherwise; which health-check parts count
            // as settings AWS does not say, so a request that repeats the group's own ones is left open.
            boolean same = protocol.equals(protocolOf(sameName)) && String.valueOf(port).equals(sameName.get("port"))
                    && vpc.id().equals(sameName.get("vpc")) && targetType.equals(sameName.get("targetType"));
            expect = expect.and(same ? Expect.EITHER : Expect.FAIL);
        }
        var o = f.call("CreateTargetGroup", () -> elb(p).createTargetGroup(b -> b.name(name).protocol(protocol)
                .port(port).vpcId(vpc.id()).targetType(targetType).healthCheckProtocol(hc.protocol())
                .healthCheckPort(hc.port()).healthCheckPath(hc.path()).healthCheckIntervalSeconds(hc.interval())
                .healthCheckTimeoutSeconds(hc.timeout()).healthyThresholdCount(hc.healthy())
                .unhealthyThresholdCount(hc.unhealthy()).matcher(hc.matcher() == null ? null
                        : software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher.builder()
                                .httpCode(hc.matcher()).build()))
                .targetGroups().get(0));
        String args = protocol + ":" + port + " " + targetType + " " + name + " " + vpc + " " + hc;
        f.note(p, "CreateTargetGroup", args, o, o.ok() ? o.value().targetGroupArn() : null);
        judge(p, "CreateTargetGroup", args, o, expect);
        f.mustHaveOwned(p, "CreateTargetGroup", o, Fuzzer.sharedOk(vpc));
        if (!o.ok()) {
            return;
        }
        TargetGroup tg = o.value();
        HealthCheck shown = described(tg);
        sameGiven(p, "CreateTargetGroup", hc, shown);
        if (model.knows(tg.targetGroupArn())) {
            Res known = model.get(tg.targetGroupArn());
            if (known.get("hc") != null && !known.get("hc").equals(text(shown))) {
                throw new Violation("CreateTargetGroup answered " + known + " as it is not: " + shown);
            }
            return;
        }
        if (sameName != null) {
            throw new Violation("CreateTargetGroup made a second group named " + name + " beside " + sameName);
        }
        if (hc.interval() == null && shown.interval() != 30 || hc.healthy() == null && shown.healthy() != 5
                || hc.unhealthy() == null && shown.unhealthy() != 2 || hc.protocol() == null
                        && !"TCP".equals(shown.protocol())
                || hc.port() == null && !"traffic-port".equals(shown.port())) {
            throw new Violation("CreateTargetGroup gave a " + protocol + " group the health check " + shown
                    + ", not AWS's defaults (TCP, traffic-port, 30 s, 5 healthy, 2 unhealthy)");
        }
        model.add(Type.TG, tg.targetGroupArn(), p, false).with("name", name).with("vpc", vpc.id())
                .with("protocol", protocol).with("port", String.valueOf(port)).with("targetType", targetType)
                .with("hc", text(shown)).with("targets", "")
                .with("attr.deregistration_delay.timeout_seconds", "300").with("attr.stickiness.type", "source_ip")
                .with("attr.load_balancing.cross_zone.enabled", "use_load_balancer_configuration");
    }

    private void modifyTargetGroup(Pair p) {
        modifyTargetGroup(p, f.pick(Type.TG, p, ownGroups(p)));
    }

    private void modifyTargetGroup(Pair p, Arg tg) {
        HealthCheck hc = healthCheck();
        HealthCheck before = tg.res() == null ? null : stored(tg.res());
        Expect expect = tg.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        if (expect == Expect.OK && before == null) {
            expect = Expect.EITHER; // A group made by the fuzzer's own steps: its check is not in the model.
        } else if (expect == Expect.OK) {
            boolean toTcp = hc.protocol() != null && !hc.protocol().startsWith("HTTP");
            HealthCheck merged = new HealthCheck(hc.protocol() != null ? hc.protocol() : before.protocol(),
                    hc.port() != null ? hc.port() : before.port(),
                    hc.path() != null ? hc.path() : toTcp ? null : before.path(),
                    hc.interval() != null ? hc.interval() : before.interval(),
                    hc.timeout() != null ? hc.timeout() : before.timeout(),
                    hc.healthy() != null ? hc.healthy() : before.healthy(),
                    hc.unhealthy() != null ? hc.unhealthy() : before.unhealthy(),
                    hc.matcher() != null ? hc.matcher() : toTcp ? null : before.matcher());
            expect = healthCheckExpect(merged);
            if (expect == Expect.OK && toTcp && before.path() != null && hc.path() == null) {
                expect = Expect.EITHER; // HTTP to TCP: whether AWS drops the path itself is not documented.
            }
        }
        var o = f.call("ModifyTargetGroup", () -> elb(p).modifyTargetGroup(b -> b.targetGroupArn(tg.id())
                .healthCheckProtocol(hc.protocol()).healthCheckPort(hc.port()).healthCheckPath(hc.path())
                .healthCheckIntervalSeconds(hc.interval()).healthCheckTimeoutSeconds(hc.timeout())
                .healthyThresholdCount(hc.healthy()).unhealthyThresholdCount(hc.unhealthy())
                .matcher(hc.matcher() == null ? null
                        : software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher.builder()
                                .httpCode(hc.matcher()).build()))
                .targetGroups().get(0));
        String args = tg + " " + hc;
        f.note(p, "ModifyTargetGroup", args, o, null);
        judge(p, "ModifyTargetGroup", args, o, expect);
        f.mustHaveOwned(p, "ModifyTargetGroup", o, tg);
        if (o.ok()) {
            HealthCheck shown = described(o.value());
            sameGiven(p, "ModifyTargetGroup", hc, shown);
            if (before != null) {
                tg.res().with("hc", text(shown));
            }
        }
    }

    private void deleteTargetGroup(Pair p) {
        Arg tg = f.pick(Type.TG, p, ownGroups(p));
        var o = f.call("DeleteTargetGroup", () -> elb(p).deleteTargetGroup(b -> b.targetGroupArn(tg.id())));
        f.note(p, "DeleteTargetGroup", tg.toString(), o, null);
        targetGroupDeleteAnswered(p, tg, o);
    }

    /** DeleteTargetGroup's answer, from this class's step or the fuzzer's own: a group a listener uses stays. */
    void targetGroupDeleteAnswered(Pair p, Arg tg, Outcome<?> o) {
        if (tg.kind() != Kind.OWN) {
            return; // Idempotent like DeleteLoadBalancer.
        }
        List<Res> users = model.liveWhere(Type.LISTENER, "tg", tg.id());
        // An ALB's group: its listeners' forwards are not in the model.
        Expect expect = !isNlbGroup(tg.res()) ? Expect.EITHER : users.isEmpty() ? Expect.OK : Expect.FAIL;
        judge(p, "DeleteTargetGroup", tg + " used by " + users, o, expect);
        if (o.ok()) {
            model.delete(tg.id());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Listeners

    private String certificate() {
        return rnd.nextInt(4) == 0 ? BAD_CERTS.get(rnd.nextInt(BAD_CERTS.size()))
                : GOOD_CERTS.get(rnd.nextInt(GOOD_CERTS.size()));
    }

    /** The load balancer another live listener forwarding to {@code tg} is on, if any but {@code lb}. */
    private boolean usedElsewhere(String tg, String lb) {
        return model.liveWhere(Type.LISTENER, "tg", tg).stream().anyMatch(l -> !lb.equals(l.get("lb")));
    }

    /** Whether AWS takes a listener of these settings on {@code lb} (the caller's own NLB, {@code tg} its own). */
    private Expect listenerExpect(Res lb, Arg tg, String protocol, int port, String cert, String except) {
        Expect expect = tg.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        if (expect == Expect.FAIL || !isNlbGroup(tg.res())) {
            return Expect.FAIL;
        }
        boolean ok = PROTOCOLS.contains(protocol) && port >= 1 && port <= 65535
                && tg.res().get("vpc").equals(lb.get("vpc"))
                && FITS.get(protocol).contains(protocolOf(tg.res())) && !usedElsewhere(tg.id(), lb.id);
        ok &= protocol.equals("TLS") ? cert != null && GOOD_CERTS.contains(cert) : cert == null;
        for (Res other : model.liveWhere(Type.LISTENER, "lb", lb.id)) {
            if (!other.id.equals(except) && other.get("port").equals(String.valueOf(port))) {
                ok = false; // DuplicateListener, or (same settings) the same listener: see createListener.
            }
        }
        return Expect.of(ok);
    }

    void createListener(Pair p) {
        Arg lb = rnd.nextInt(8) == 0 ? f.pick(Type.LB, p) : f.pick(Type.LB, p, ownNlbs(p));
        List<Res> groups = lb.res() == null ? List.of() : model.liveWhere(Type.TG, "vpc", lb.res().get("vpc"))
                .stream().filter(NlbSteps::isNlbGroup).toList();
        createListener(p, lb, f.pick(Type.TG, p, groups));
    }

    private void createListener(Pair p, Arg lb, Arg tg) {
        String fitting = tg.res() == null || !isNlbGroup(tg.res()) ? "TCP"
                : FITS.entrySet().stream().filter(e -> e.getValue().contains(protocolOf(tg.res())))
                        .map(Map.Entry::getKey).sorted().findFirst().orElse("TCP");
        String protocol = switch (rnd.nextInt(10)) {
            case 0, 1, 2, 3 -> fitting;
            case 4 -> "HTTP";
            default -> PROTOCOLS.get(rnd.nextInt(PROTOCOLS.size()));
        };
        int port = List.of(80, 443, 53, 8443, 0, 65536).get(rnd.nextInt(rnd.nextInt(8) == 0 ? 6 : 4));
        String cert = protocol.equals("TLS") ? rnd.nextInt(10) == 0 ? null : certificate()
                : rnd.nextInt(12) == 0 ? certificate() : null;
        // Now and then an ALPN policy: one of AWS's five names on a TLS listener, else a refusal.
        String alpn = rnd.nextInt(6) != 0 ? null : ALPN.get(rnd.nextInt(ALPN.size()));
        // Now and then a security policy: a predefined one on a TLS listener, else a refusal.
        String sslPolicy = rnd.nextInt(6) != 0 ? null : SSL_POLICIES.get(rnd.nextInt(SSL_POLICIES.size()));
        // What the listener keeps: a TLS listener without a policy gets the default one.
        String keptPolicy = sslPolicy != null ? sslPolicy
                : protocol.equals("TLS") ? dev.underpass.model.elb.NlbListeners.DEFAULT_TLS_POLICY : null;
        // An HTTP listener on one's own ALB follows the ALB's rules, which AlbSteps judges: either outcome here.
        boolean albHttp = lb.kind() == Kind.OWN && AlbSteps.isAlb(lb.res()) && protocol.equals("HTTP");
        Expect expect = albHttp ? Expect.EITHER : lb.kind() != Kind.OWN || !isNlb(lb.res()) ? Expect.FAIL
                : listenerExpect(lb.res(), tg, protocol, port, cert, null);
        if (alpn != null) {
            expect = expect.and(Expect.of(protocol.equals("TLS")
                    && dev.underpass.model.elb.NlbListeners.ALPN_POLICIES.contains(alpn)));
        }
        if (sslPolicy != null) {
            expect = expect.and(Expect.of(protocol.equals("TLS")
                    && dev.underpass.model.elb.AlbListeners.SSL_POLICIES.contains(sslPolicy)));
        }
        Res same = lb.res() == null ? null : model.liveWhere(Type.LISTENER, "lb", lb.id()).stream()
                .filter(l -> l.get("port").equals(String.valueOf(port)) && protocol.equals(l.get("protocol"))
                        && tg.id().equals(l.get("tg")) && java.util.Objects.equals(cert, l.get("cert"))
                        && java.util.Objects.equals(alpn, l.get("alpn"))
                        && java.util.Objects.equals(keptPolicy, l.get("policy")))
                .findFirst().orElse(null);
        if (same != null && lb.kind() == Kind.OWN && tg.kind() == Kind.OWN) {
            expect = Expect.OK; // The same listener again: CreateListener is idempotent.
        }
        var o = f.call("CreateListener", () -> elb(p).createListener(b -> {
            b.loadBalancerArn(lb.id()).port(port).protocol(protocol)
                    .defaultActions(Action.builder().type("forward").targetGroupArn(tg.id()).build());
            if (cert != null) {
                b.certificates(c -> c.certificateArn(cert));
            }
            if (alpn != null) {
                b.alpnPolicy(alpn);
            }
            if (sslPolicy != null) {
                b.sslPolicy(sslPolicy);
            }
        }).listeners().get(0));
        String args = protocol + ":" + port + " " + lb + " -> " + tg + (cert == null ? "" : " cert '" + cert + "'")
                + (alpn == null ? "" : " alpn '" + alpn + "'") + (sslPolicy == null ? "" : " policy '" + sslPolicy
                        + "'");
        f.note(p, "CreateListener", args, o, o.ok() ? o.value().listenerArn() : null);
        judge(p, "CreateListener", args, o, expect);
        f.mustHaveOwned(p, "CreateListener", o, lb, tg);
        if (!albHttp) {
            AlbSteps.mustNotBeAlb(p, "CreateListener (" + protocol + ")", o, lb);
        }
        if (!o.ok()) {
            return;
        }
        if (albHttp && (tg.kind() != Kind.OWN || !"HTTP".equals(tg.res().get("protocol"))
                || !tg.res().get("vpc").equals(lb.res().get("vpc")))) {
            throw new Violation("CreateListener made an HTTP listener on " + lb.res() + " to " + tg);
        }
        String arn = o.value().listenerArn();
        if (same != null && !same.id.equals(arn)) {
            throw new Violation("CreateListener made a second listener " + arn + " like " + same);
        }
        if (same == null && model.knows(arn)) {
            throw new Violation("CreateListener answered " + model.get(arn) + " for " + args);
        }
        if (same == null) {
            model.add(Type.LISTENER, arn, p, false).with("lb", lb.id()).with("port", String.valueOf(port))
                    .with("protocol", protocol).with("tg", tg.id()).with("cert", cert).with("alpn", alpn)
                    .with("policy", keptPolicy);
        }
        if (alpn != null && !o.value().alpnPolicy().equals(List.of(alpn))) {
            throw new Violation("CreateListener " + args + " answered ALPN " + o.value().alpnPolicy());
        }
        if (!java.util.Objects.equals(keptPolicy, o.value().sslPolicy())) {
            throw new Violation("CreateListener " + args + " answered security policy " + o.value().sslPolicy());
        }
    }

    private void modifyListener(Pair p) {
        modifyListener(p, f.pick(Type.LISTENER, p, ownListeners(p)));
    }

    private void modifyListener(Pair p, Arg listener) {
        Res l = listener.res();
        Res lb = l == null ? null : model.get(l.get("lb"));
        Integer port = rnd.nextBoolean() ? null : List.of(80, 443, 53, 8443, 0, 65536).get(rnd.nextInt(
                rnd.nextInt(6) == 0 ? 6 : 4));
        String protocol = rnd.nextBoolean() ? null : PROTOCOLS.get(rnd.nextInt(PROTOCOLS.size()));
        Arg tg = rnd.nextBoolean() || lb == null ? null : f.pick(Type.TG, p, model.liveWhere(Type.TG, "vpc",
                lb.get("vpc")).stream().filter(NlbSteps::isNlbGroup).toList());
        String newProtocol = protocol != null ? protocol : l == null ? "TCP" : l.get("protocol");
        String cert = rnd.nextInt(3) == 0 || "TLS".equals(protocol) && rnd.nextBoolean() ? certificate() : null;
        Expect expect;
        if (listener.kind() != Kind.OWN || !isNlb(lb) || l.get("protocol") == null) {
            expect = listener.kind() != Kind.OWN ? Expect.FAIL : Expect.EITHER;
        } else {
            String mergedCert = cert != null ? cert : newProtocol.equals("TLS") ? l.get("cert") : null;
            Arg mergedTg = tg != null ? tg : new Arg(l.get("tg"), model.get(l.get("tg")), Kind.OWN);
            expect = listenerExpect(lb, mergedTg, newProtocol, port != null ? port : Integer.parseInt(l.get("port")),
                    mergedCert, l.id);
        }
        var o = f.call("ModifyListener", () -> elb(p).modifyListener(b -> {
            b.listenerArn(listener.id()).port(port).protocol(protocol);
            if (tg != null) {
                b.defaultActions(Action.builder().type("forward").targetGroupArn(tg.id()).build());
            }
            if (cert != null) {
                b.certificates(c -> c.certificateArn(cert));
            }
        }).listeners().get(0));
        String args = listener + " " + protocol + ":" + port + " -> " + tg + (cert == null ? "" : " cert '" + cert
                + "'");
        f.note(p, "ModifyListener", args, o, null);
        judge(p, "ModifyListener", args, o, expect);
        f.mustHaveOwned(p, "ModifyListener", o, listener, tg);
        if (o.ok() && l.get("protocol") != null) {
            Listener shown = o.value();
            l.with("port", String.valueOf(shown.port())).with("protocol", shown.protocolAsString())
                    .with("tg", shown.defaultActions().get(0).targetGroupArn())
                    .with("cert", shown.hasCertificates() && !shown.certificates().isEmpty()
                            ? shown.certificates().get(0).certificateArn() : null)
                    // The ALPN policy is kept with the TLS settings and dropped with them.
                    .with("alpn", "TLS".equals(shown.protocolAsString()) ? l.get("alpn") : null)
                    .with("policy", shown.sslPolicy());
            if (port != null && shown.port() != port.intValue() || protocol != null && !protocol.equals(shown
                    .protocolAsString()) || tg != null && !tg.id().equals(l.get("tg")) || cert != null
                            && !cert.equals(l.get("cert"))) {
                throw new Violation("ModifyListener " + args + " answered " + shown);
            }
        }
    }

    private void deleteListener(Pair p) {
        Arg listener = f.pick(Type.LISTENER, p, ownListeners(p));
        var o = f.call("DeleteListener", () -> elb(p).deleteListener(b -> b.listenerArn(listener.id())));
        f.note(p, "DeleteListener", listener.toString(), o, null);
        judge(p, "DeleteListener", listener.toString(), o, Expect.of(listener.kind() == Kind.OWN));
        if (o.ok()) {
            model.liveWhere(Type.RULE, "listener", listener.id()).forEach(r -> model.delete(r.id));
            model.delete(listener.id());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Targets

    /** An address inside one of the subnets of {@code vpc}, or null if it has none. */
    private String addressIn(String vpc) {
        List<Res> subnets = model.liveWhere(Type.SUBNET, "vpc", vpc);
        if (subnets.isEmpty()) {
            return null;
        }
        String[] cidr = subnets.get(rnd.nextInt(subnets.size())).get("cidr").split("[./]");
        return cidr[0] + "." + cidr[1] + "." + cidr[2] + "." + (Integer.parseInt(cidr[3]) + 5 + rnd.nextInt(4));
    }

    /** The targets of a registration: each an id (instance or address), a port (null for the group's), and whether AWS takes it. */
    private record Target(String id, Integer port, Expect expect) {
        String key(Res tg) {
            return id + ":" + (port == null ? tg.get("port") : port);
        }
    }

    private Target target(Pair p, Res tg) {
        Integer port = rnd.nextInt(4) > 0 ? null : List.of(8080, 9000, 0, 65536).get(rnd.nextInt(4));
        Expect portOk = Expect.of(port == null || port >= 1 && port <= 65535);
        if (tg == null || "ip".equals(tg.get("targetType"))) {
            String inside = tg == null ? null : addressIn(tg.get("vpc"));
            int r = rnd.nextInt(10);
            if (r < 7 && inside != null) {
                return new Target(inside, port, portOk);
            }
            return r < 9 ? new Target("8.8.8.8", port, Expect.FAIL) : new Target("10.0.0.300", port, Expect.FAIL);
        }
        Arg i = f.pick(Type.INSTANCE, p, f.instancesIn(p, tg.get("vpc"), null));
        if (i.kind() != Kind.OWN) {
            return new Target(i.id(), port, Expect.FAIL);
        }
        String state = i.res().get("state");
        boolean inVpc = tg.get("vpc").equals(model.get(i.res().get("subnet")) == null ? null
                : model.get(i.res().get("subnet")).get("vpc"));
        Expect e = state.equals("terminated") || !inVpc ? Expect.FAIL : state.equals("running") ? Expect.OK
                : Expect.EITHER;
        return new Target(i.id(), port, e.and(portOk));
    }

    private static Set<String> targets(Res tg) {
        String t = tg.get("targets");
        return t == null || t.isEmpty() ? new TreeSet<>() : new TreeSet<>(List.of(t.split(",")));
    }

    void registerTargets(Pair p) {
        registerTargets(p, f.pick(Type.TG, p, ownGroups(p)));
    }

    private void registerTargets(Pair p, Arg tg) {
        Res group = tg.kind() == Kind.OWN ? tg.res() : null;
        List<Target> list = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            list.add(target(p, group));
        }
        Expect expect = tg.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        for (Target t : list) {
            expect = expect.and(t.expect());
        }
        if (group != null && group.get("targetType") == null) {
            expect = expect.and(Expect.EITHER); // The fuzzer's own groups: instance targets on port 80.
        }
        var o = f.call("RegisterTargets", () -> elb(p).registerTargets(b -> b.targetGroupArn(tg.id()).targets(
                list.stream().map(t -> TargetDescription.builder().id(t.id()).port(t.port()).build()).toList())));
        String args = tg + " " + list;
        f.note(p, "RegisterTargets", args, o, null);
        judge(p, "RegisterTargets", args, o, expect);
        f.mustHaveOwned(p, "RegisterTargets", o, tg);
        if (o.ok() && group != null && group.get("targets") != null) {
            Set<String> now = targets(group);
            list.forEach(t -> now.add(t.key(group)));
            group.with("targets", String.join(",", now));
        }
    }

    private void deregisterTargets(Pair p) {
        deregisterTargets(p, f.pick(Type.TG, p, ownGroups(p)));
    }

    private void deregisterTargets(Pair p, Arg tg) {
        Res group = tg.kind() == Kind.OWN ? tg.res() : null;
        List<String> registered = group == null ? List.of() : new ArrayList<>(targets(group));
        String key = !registered.isEmpty() && rnd.nextInt(5) > 0 ? registered.get(rnd.nextInt(registered.size()))
                : null;
        Target t = key != null ? new Target(key.substring(0, key.lastIndexOf(':')),
                Integer.valueOf(key.substring(key.lastIndexOf(':') + 1)), Expect.OK) : target(p, group);
        // AWS answers success for a target that is not registered (at the port named, else the group's), and
        // refuses a port outside 1-65535. An empty id is a required member left empty: refused by the wire's
        // validation in underpass, left open here since no captured AWS answer settles it.
        boolean portOk = t.port() == null || t.port() >= 1 && t.port() <= 65535;
        Expect expect = tg.kind() != Kind.OWN ? Expect.FAIL
                : t.id().isEmpty() ? Expect.of(portOk).and(Expect.EITHER) : Expect.of(portOk);
        var o = f.call("DeregisterTargets", () -> elb(p).deregisterTargets(b -> b.targetGroupArn(tg.id()).targets(
                TargetDescription.builder().id(t.id()).port(t.port()).build())));
        String args = tg + " " + t;
        f.note(p, "DeregisterTargets", args, o, null);
        judge(p, "DeregisterTargets", args, o, expect);
        f.mustHaveOwned(p, "DeregisterTargets", o, tg);
        if (o.ok() && group != null && group.get("targets") != null) {
            Set<String> now = targets(group);
            now.remove(t.key(group));
            group.with("targets", String.join(",", now));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Attributes

    private record Change(String key, String value, Expect expect) {}

    private Change lbChange(Res lb) {
        return switch (rnd.nextInt(14)) {
            case 0 -> new Change("deletion_protection.enabled", rnd.nextInt(3) == 0 ? "true" : "false", Expect.OK);
            case 1 -> new Change("load_balancing.cross_zone.enabled", rnd.nextBoolean() ? "true" : "false",
                    Expect.OK);
            case 2 -> new Change("dns_record.client_routing_policy", List.of("availability_zone_affinity",
                    "partial_availability_zone_affinity", "any_availability_zone").get(rnd.nextInt(3)), Expect.OK);
            case 3 -> new Change("access_logs.s3.enabled", "false", Expect.OK);
            case 4 -> new Change("access_logs.s3.bucket", "fuzz-logs", Expect.OK);
            case 5 -> new Change("access_logs.s3.prefix", rnd.nextBoolean() ? "nlb" : "", Expect.OK);
            case 6 -> new Change("access_logs.s3.enabled", "true", Expect.EITHER); // The bucket's policy decides.
            case 7 -> new Change("zonal_shift.config.enabled", rnd.nextBoolean() ? "true" : "false", Expect.OK);
            case 8 -> new Change("deletion_protection.enabled", List.of("maybe", "", "TRUE").get(rnd.nextInt(3)),
                    Expect.FAIL);
            case 9 -> new Change("dns_record.client_routing_policy", "nearest", Expect.FAIL);
            case 10 -> new Change("idle_timeout.timeout_seconds", "60", Expect.FAIL); // An ALB's.
            case 11 -> new Change("load_balancing.cross_zone.enabled", "use_load_balancer_configuration",
                    Expect.FAIL); // A target group's value, not a load balancer's.
            case 12 -> new Change("bogus.key", "true", Expect.FAIL);
            default -> new Change("ipv6.deny_all_igw_traffic", rnd.nextBoolean() ? "true" : "false", Expect.EITHER);
        };
    }

    private void modifyLoadBalancerAttributes(Pair p) {
        modifyLoadBalancerAttributes(p, f.pick(Type.LB, p, ownNlbs(p)));
    }

    private void modifyLoadBalancerAttributes(Pair p, Arg lb) {
        List<Change> changes = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            changes.add(lbChange(lb.res()));
        }
        Expect expect = lb.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        Map<String, String> after = new LinkedHashMap<>();
        for (Change c : changes) {
            expect = expect.and(c.expect());
            after.put(c.key(), c.value());
        }
        if (expect != Expect.FAIL && "true".equals(after.get("access_logs.s3.enabled"))) {
            String bucket = after.getOrDefault("access_logs.s3.bucket", lb.res().get("attr.access_logs.s3.bucket"));
            if (bucket == null || bucket.isEmpty()) {
                expect = lb.res().get("attr.access_logs.s3.bucket") == null && !after.containsKey(
                        "access_logs.s3.bucket") ? Expect.EITHER : Expect.FAIL;
            }
        }
        if (lb.kind() == Kind.OWN && AlbSteps.isAlb(lb.res())) {
            expect = Expect.EITHER;
        }
        var o = f.call("ModifyLoadBalancerAttributes", () -> elb(p).modifyLoadBalancerAttributes(b -> b
                .loadBalancerArn(lb.id()).attributes(changes.stream().map(c -> LoadBalancerAttribute.builder()
                        .key(c.key()).value(c.value()).build()).toList()))
                .attributes());
        String args = lb + " " + changes.stream().map(c -> c.key() + "=" + c.value()).toList();
        f.note(p, "ModifyLoadBalancerAttributes", args, o, null);
        judge(p, "ModifyLoadBalancerAttributes", args, o, expect);
        f.mustHaveOwned(p, "ModifyLoadBalancerAttributes", o, lb);
        if (o.ok() && isNlb(lb.res())) {
            after.forEach((k, v) -> lb.res().with("attr." + k, v));
            attributesShown(p, "ModifyLoadBalancerAttributes", lb.res(), o.value().stream().collect(Collectors
                    .toMap(LoadBalancerAttribute::key, a -> a.value() == null ? "" : a.value(), (a, b) -> b)));
        }
    }

    /**
     * ModifyCapacityReservation with a reservation, a reset, both or neither, or units that are not positive: taken
     * only for an own NLB without a TLS listener, with exactly one of the two, at most two decreases (the fuzzer's
     * run stays within one UTC day but for a run across midnight, which is left open); DescribeCapacityReservation
     * must then show what was asked.
     */
    private void modifyCapacityReservation(Pair p, Arg lb) {
        int shape = rnd.nextInt(6);
        Integer units = switch (shape) {
            case 0, 1 -> List.of(1, 100, 2000, 5000).get(rnd.nextInt(4));
            case 2 -> 10; // With a reset too.
            case 3 -> List.of(0, -5).get(rnd.nextInt(2));
            default -> null;
        };
        Boolean reset =
                shape == 2 || shape == 4 ? Boolean.TRUE : shape == 5 && rnd.nextBoolean() ? Boolean.FALSE : null;
        Expect expect = lb.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        if (shape >= 2 && shape != 4) {
            expect = Expect.FAIL; // Both, neither, or units that are not positive.
        }
        int current = lb.res() == null || lb.res().get("capacity") == null ? 0
                : Integer.parseInt(lb.res().get("capacity"));
        int next = Boolean.TRUE.equals(reset) ? 0 : units == null ? current : units;
        int decreases = lb.res() == null || lb.res().get("capacityDecreases") == null ? 0
                : Integer.parseInt(lb.res().get("capacityDecreases"));
        if (expect != Expect.FAIL && next < current && decreases >= 2) {
            expect = Expect.EITHER; // The daily limit, unless the day turned.
        }
        if (expect != Expect.FAIL && lb.res() != null && model.liveWhere(Type.LISTENER, "lb", lb.id()).stream()
                .anyMatch(l -> "TLS".equals(l.get("protocol")))) {
            expect = Expect.FAIL;
        }
        Integer u = units;
        var o = f.call("ModifyCapacityReservation", () -> elb(p).modifyCapacityReservation(b -> {
            b.loadBalancerArn(lb.id()).resetCapacityReservation(reset);
            if (u != null) {
                b.minimumLoadBalancerCapacity(c -> c.capacityUnits(u));
            }
        }));
        String args = lb + " units=" + units + " reset=" + reset;
        f.note(p, "ModifyCapacityReservation", args, o, null);
        judge(p, "ModifyCapacityReservation", args, o, expect);
        f.mustHaveOwned(p, "ModifyCapacityReservation", o, lb);
        if (o.ok()) {
            lb.res().with("capacity", String.valueOf(next));
            if (next < current) {
                lb.res().with("capacityDecreases", String.valueOf(decreases + 1));
            }
            var shown = elb(p).describeCapacityReservation(b -> b.loadBalancerArn(lb.id()));
            Integer minimum = shown.minimumLoadBalancerCapacity() == null ? null
                    : shown.minimumLoadBalancerCapacity().capacityUnits();
            if (!java.util.Objects.equals(minimum, next == 0 ? null : next)) {
                throw new Violation(
                        "DescribeCapacityReservation after " + args + " shows " + minimum + ", not " + next);
            }
        }
    }

    private Change tgChange(Res tg) {
        String protocol = tg == null ? "TCP" : protocolOf(tg);
        boolean udp = protocol.equals("UDP") || protocol.equals("TCP_UDP");
        return switch (rnd.nextInt(22)) {
            case 0 -> new Change("deregistration_delay.timeout_seconds", List.of("0", "30", "3600").get(rnd
                    .nextInt(3)), Expect.OK);
            case 1 -> new Change("deregistration_delay.timeout_seconds", List.of("-1", "3601", "abc", "")
                    .get(rnd.nextInt(4)), Expect.FAIL);
            case 2 -> new Change("deregistration_delay.connection_termination.enabled", rnd.nextBoolean() ? "true"
                    : "false", Expect.OK);
            case 3 -> new Change("stickiness.enabled", rnd.nextBoolean() ? "true" : "false",
                    protocol.equals("TLS") ? Expect.EITHER : Expect.OK);
            case 4 -> new Change("stickiness.type", "source_ip", Expect.OK);
            case 5 -> new Change("stickiness.type", "lb_cookie", Expect.FAIL); // An ALB's.
            case 6 -> new Change("proxy_protocol_v2.enabled", rnd.nextBoolean() ? "true" : "false",
                    udp ? Expect.EITHER : Expect.OK);
            case 7 -> {
                // Always on for UDP and TCP_UDP groups: turning it off there is refused.
                boolean on = rnd.nextBoolean();
                yield new Change("preserve_client_ip.enabled", String.valueOf(on), Expect.of(on || !udp));
            }
            case 8 -> new Change("load_balancing.cross_zone.enabled", List.of("true", "false",
                    "use_load_balancer_configuration").get(rnd.nextInt(3)), Expect.OK);
            case 9 -> new Change("load_balancing.cross_zone.enabled", List.of("maybe", "", "on").get(rnd.nextInt(3)),
                    Expect.FAIL);
            case 10 -> new Change("target_health_state.unhealthy.connection_termination.enabled",
                    rnd.nextBoolean() ? "true" : "false", Expect.OK);
            case 11 -> new Change("target_health_state.unhealthy.draining_interval_seconds", List.of("0", "60",
                    "360000").get(rnd.nextInt(3)), Expect.EITHER); // Only with connection termination off.
            case 12 -> new Change("target_health_state.unhealthy.draining_interval_seconds", List.of("-5",
                    "360001", "soon").get(rnd.nextInt(3)), Expect.FAIL);
            case 13 -> new Change("target_group_health.dns_failover.minimum_healthy_targets.count",
                    List.of("off", "1", "3").get(rnd.nextInt(3)), Expect.EITHER); // DNS at or above routing.
            case 14 -> new Change("target_group_health.dns_failover.minimum_healthy_targets.count",
                    List.of("0", "-1", "many").get(rnd.nextInt(3)), Expect.FAIL);
            case 15 -> new Change("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
                    List.of("off", "1", "100").get(rnd.nextInt(3)), Expect.EITHER);
            case 16 -> new Change("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
                    List.of("0", "101", "half").get(rnd.nextInt(3)), Expect.FAIL);
            case 17 -> new Change("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
                    List.of("0", "off", "x").get(rnd.nextInt(3)), Expect.FAIL); // 1 and up, no "off".
            case 18 -> new Change("target_group_health.dns_failover.minimum_healthy_targets.percentage",
                    List.of("0", "101").get(rnd.nextInt(2)), Expect.FAIL);
            case 19 -> new Change("slow_start.duration_seconds", "30", Expect.FAIL); // An ALB group's.
            case 20 -> new Change("stickiness.enabled", "yes", Expect.FAIL);
            default -> new Change("bogus.key", "1", Expect.FAIL);
        };
    }

    private void modifyTargetGroupAttributes(Pair p) {
        modifyTargetGroupAttributes(p, f.pick(Type.TG, p, ownGroups(p)));
    }

    private void modifyTargetGroupAttributes(Pair p, Arg tg) {
        List<Change> changes = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            changes.add(tgChange(tg.res()));
        }
        Expect expect = tg.kind() == Kind.OWN ? Expect.OK : Expect.FAIL;
        Map<String, String> after = new LinkedHashMap<>();
        for (Change c : changes) {
            expect = expect.and(c.expect());
            after.put(c.key(), c.value());
        }
        if (tg.kind() == Kind.OWN && !isNlbGroup(tg.res())) {
            expect = Expect.EITHER;
        }
        var o = f.call("ModifyTargetGroupAttributes", () -> elb(p).modifyTargetGroupAttributes(b -> b
                .targetGroupArn(tg.id()).attributes(changes.stream().map(c -> TargetGroupAttribute.builder()
                        .key(c.key()).value(c.value()).build()).toList()))
                .attributes());
        String args = tg + " " + changes.stream().map(c -> c.key() + "=" + c.value()).toList();
        f.note(p, "ModifyTargetGroupAttributes", args, o, null);
        judge(p, "ModifyTargetGroupAttributes", args, o, expect);
        f.mustHaveOwned(p, "ModifyTargetGroupAttributes", o, tg);
        if (o.ok() && isNlbGroup(tg.res())) {
            after.forEach((k, v) -> tg.res().with("attr." + k, v));
            attributesShown(p, "ModifyTargetGroupAttributes", tg.res(), o.value().stream().collect(Collectors
                    .toMap(TargetGroupAttribute::key, a -> a.value() == null ? "" : a.value(), (a, b) -> b)));
        }
    }

    /** Every attribute the model knows for {@code res} is what {@code shown} has. */
    private static void attributesShown(Pair p, String what, Res res, Map<String, String> shown) {
        for (Map.Entry<String, String> e : res.fields.entrySet()) {
            if (e.getKey().startsWith("attr.")) {
                String key = e.getKey().substring(5);
                if (!e.getValue().equals(shown.get(key))) {
                    throw new Violation(what + " by " + p + " shows " + key + "=" + shown.get(key) + " for " + res);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    List<String> check(Check check, Pair p) {
        List<String> out = new ArrayList<>();
        switch (check) {
            case NLB_LISTENERS -> {
                for (Res lb : ownNlbs(p)) {
                    List<Listener> items = f.read("DescribeListeners", () -> elb(p).describeListeners(b -> b
                            .loadBalancerArn(lb.id)).listeners());
                    f.sameIds(p, "DescribeListeners of " + lb.id, items.stream().map(Listener::listenerArn)
                            .collect(Collectors.toSet()),
                            model.liveWhere(Type.LISTENER, "lb", lb.id).stream()
                                    .map(r -> r.id).collect(Collectors.toSet()));
                    for (Listener l : items) {
                        out.add(l.toString());
                        Res res = model.get(l.listenerArn());
                        f.field(p, "DescribeListeners", res, "port", String.valueOf(l.port()));
                        if (res.get("protocol") != null) {
                            f.field(p, "DescribeListeners", res, "protocol", l.protocolAsString());
                            f.field(p, "DescribeListeners", res, "tg", l.defaultActions().get(0).targetGroupArn());
                            f.field(p, "DescribeListeners", res, "cert", l.hasCertificates() && !l.certificates()
                                    .isEmpty() ? l.certificates().get(0).certificateArn() : null);
                        }
                    }
                }
            }
            case NLB_TARGETS -> {
                for (Res tg : ownGroups(p)) {
                    if (tg.get("targets") == null) {
                        continue;
                    }
                    List<TargetGroup> shown = f.read("DescribeTargetGroups", () -> elb(p).describeTargetGroups(b -> b
                            .targetGroupArns(tg.id)).targetGroups());
                    out.add(shown.toString());
                    f.field(p, "DescribeTargetGroups", tg, "hc", text(described(shown.get(0))));
                    f.field(p, "DescribeTargetGroups", tg, "protocol", shown.get(0).protocolAsString());
                    f.field(p, "DescribeTargetGroups", tg, "port", String.valueOf(shown.get(0).port()));
                    List<TargetHealthDescription> health = f.read("DescribeTargetHealth", () -> elb(p)
                            .describeTargetHealth(b -> b.targetGroupArn(tg.id)).targetHealthDescriptions());
                    Set<String> live = new TreeSet<>();
                    for (TargetHealthDescription h : health) {
                        out.add(tg.id + " " + h);
                        String key = h.target().id() + ":" + h.target().port();
                        if (!"draining".equals(h.targetHealth().stateAsString())) {
                            live.add(key);
                        }
                    }
                    Set<String> expected = targets(tg);
                    // An instance terminated since it was registered may go at once or stay a while.
                    expected.removeIf(this::terminated);
                    live.removeIf(this::terminated);
                    if (!live.equals(expected)) {
                        throw new Violation("DescribeTargetHealth by " + p + " of " + tg + " shows " + live
                                + " (draining left out)");
                    }
                }
            }
            case NLB_ATTRIBUTES -> {
                for (Res lb : ownNlbs(p)) {
                    List<LoadBalancerAttribute> attrs = f.read("DescribeLoadBalancerAttributes", () -> elb(p)
                            .describeLoadBalancerAttributes(b -> b.loadBalancerArn(lb.id)).attributes());
                    out.add(lb.id + " " + attrs);
                    attributesShown(p, "DescribeLoadBalancerAttributes", lb, attrs.stream().collect(Collectors
                            .toMap(LoadBalancerAttribute::key, a -> a.value() == null ? "" : a.value(),
                                    (a, b) -> b)));
                }
                for (Res tg : ownGroups(p)) {
                    List<TargetGroupAttribute> attrs = f.read("DescribeTargetGroupAttributes", () -> elb(p)
                            .describeTargetGroupAttributes(b -> b.targetGroupArn(tg.id)).attributes());
                    out.add(tg.id + " " + attrs);
                    attributesShown(p, "DescribeTargetGroupAttributes", tg, attrs.stream().collect(Collectors
                            .toMap(TargetGroupAttribute::key, a -> a.value() == null ? "" : a.value(),
                                    (a, b) -> b)));
                }
            }
            default -> throw new IllegalStateException(check.toString());
        }
        return out;
    }

    private boolean terminated(String key) {
        Res i = model.get(key.substring(0, key.lastIndexOf(':')));
        return i != null && i.type == Type.INSTANCE && "terminated".equals(i.get("state"));
    }
}
