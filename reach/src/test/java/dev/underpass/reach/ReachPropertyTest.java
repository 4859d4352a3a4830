package dev.underpass.reach;

import dev.underpass.model.ec2.SecurityGroupRuleId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpProtocol;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.World;
import java.util.Map;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The analyzer against a deliberately naive packet walk written separately: on random small networks (two VPCs in
 * one or two accounts, two subnets each, a peering connection in a random state or none, random routes, random
 * network ACLs and security groups with CIDR and group-reference rules), both must agree on reachability and on the
 * set of blockers. The naive walk matches addresses bit by bit, finds the longest prefix by trying every length
 * from 32 down, decides ACLs with a sorted map and tries every ephemeral port one at a time.
 */
class ReachPropertyTest {
    static final String A = "111111111111";
    static final String B = "222222222222";
    static final String[] ENIS = {"eni-0a", "eni-0b", "eni-1a", "eni-1b"};
    static final String[] IPS = {"10.0.0.10", "10.0.1.10", "10.1.0.10", "10.1.1.10"};

    @Property(tries = 500)
    void analyzerAgreesWithBruteForce(@ForAll long seed) {
        Random r = new Random(seed);
        Net n = randomNetwork(r);
        int s = r.nextInt(4);
        int d = (s + 1 + r.nextInt(3)) % 4;
        String protocol = r.nextBoolean() ? "tcp" : "udp";
        int port = new int[] {443, 22, 53, 8080}[r.nextInt(4)];
        String account = n.world.find(NetworkInterface.class, ENIS[s]).orElseThrow().ownerId();
        // The destination by address half the time: the analyzer must find the interface behind it.
        // (only where an address identifies it: in the account, or across a peering connection)
        boolean byIp = r.nextBoolean() && (n.world.find(NetworkInterface.class, ENIS[d]).orElseThrow().ownerId()
                .equals(account) || n.world.find(PeeringConnection.class, "pcx-1").isPresent());
        boolean viaEndpoint = n.world.find(VpcEndpoint.class, "vpce-1").isPresent() && r.nextBoolean();
        if (viaEndpoint) {
            s = r.nextInt(2); // a client in the consumer's VPC
            account = A;
        }
        Analysis a = viaEndpoint ? n.trace(account, ENIS[s], "vpce-1", protocol, port)
                : n.trace(account, ENIS[s], byIp ? IPS[d] : ENIS[d], protocol, port);
        Set<String> expected = viaEndpoint ? Naive.throughEndpoint(n.world, ENIS[s], protocol, port)
                : Naive.blockers(n.world, ENIS[s], ENIS[d], protocol, port);
        assertThat(new TreeSet<>(a.blockers().stream().map(Blocker::key).toList())).as("seed %d", seed)
                .isEqualTo(expected);
        assertThat(a.reachable()).isEqualTo(expected.isEmpty());
    }

    /** The generator reaches both verdicts often, so the property is not vacuous. */
    @Test
    void generatorProducesBothVerdicts() {
        int reachable = 0;
        int blocked = 0;
        for (long seed = 0; seed < 500; seed++) {
            Random r = new Random(seed);
            Net n = randomNetwork(r);
            int s = r.nextInt(4);
            int d = (s + 1 + r.nextInt(3)) % 4;
            String account = n.world.find(NetworkInterface.class, ENIS[s]).orElseThrow().ownerId();
            if (n.trace(account, ENIS[s], ENIS[d], r.nextBoolean() ? "tcp" : "udp", 443).reachable()) {
                reachable++;
            } else {
                blocked++;
            }
        }
        assertThat(reachable).isGreaterThan(25);
        assertThat(blocked).isGreaterThan(25);
    }

    /** Through the endpoint, too: both verdicts, and the PrivateLink codes, all in agreement with the naive walk. */
    @Test
    void endpointPaths_coverTheirCodes_andAgree() {
        Set<String> codes = new TreeSet<>();
        int reachable = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            Net n = randomNetwork(r);
            if (n.world.find(VpcEndpoint.class, "vpce-1").isEmpty()) {
                privateLink(n, r);
            }
            int listening = n.world.all(Listener.class).iterator().next().port();
            int port = r.nextInt(4) > 0 ? listening : 8523 - listening; // 443 <-> 8080
            Analysis a = n.trace(A, ENIS[r.nextInt(2)], "vpce-1", "tcp", port);
            assertThat(new TreeSet<>(a.blockers().stream().map(Blocker::key).toList())).as("seed %d", seed)
                    .isEqualTo(Naive.throughEndpoint(n.world, a.sourceId(), "tcp", port));
            reachable += a.reachable() ? 1 : 0;
            a.blockers().forEach(b -> codes.add(b.code()));
        }
        assertThat(reachable).isBetween(10, 290);
        assertThat(codes).contains("BAD_STATE", "VPCE_SERVICE_NOT_INSTALLED_IN_AZ", "ELBV2_LISTENERS_MISMATCH",
                "ELBV2_LISTENER_HAS_NO_TG", "ELB_NOT_CROSSZONE", "ELB_INSTALLED_AZ_RESTRICTION",
                "ENI_SG_RULES_MISMATCH", "SG_HAS_NO_RULES", "SUBNET_ACL_RESTRICTION");
    }

    static Net randomNetwork(Random r) {
        Net n = new Net();
        String second = r.nextBoolean() ? A : B;
        n.vpc(A, "vpc-0", "10.0.0.0/16").vpc(second, "vpc-1", "10.1.0.0/16");
        for (int v = 0; v < 2; v++) {
            n.subnet("subnet-" + v + "a", "vpc-" + v, "10." + v + ".0.0/24", "us-east-1a", "use1-az1");
            n.subnet("subnet-" + v + "b", "vpc-" + v, "10." + v + ".1.0/24", "us-east-1b", "use1-az2");
        }
        int peering = r.nextInt(6);
        if (peering > 0) {
            n.peering("pcx-1", "vpc-0", "vpc-1", peering == 5 ? "pending-acceptance" : "active");
        }
        for (int v = 0; v < 2; v++) {
            int other = 1 - v;
            switch (r.nextInt(7)) {
                case 0 -> {
                }
                case 1, 2, 3, 4 -> n.routes("vpc-" + v, Net.toPeering("10." + other + ".0.0/16", "pcx-1"));
                case 5 -> n.routes("vpc-" + v, Net.toPeering("10." + other + ".0.0/24", "pcx-1"));
                default -> n.routes("vpc-" + v, Net.blackhole("10." + other + ".0.0/16", "pcx-gone"));
            }
        }
        String[] subnets = {"subnet-0a", "subnet-0b", "subnet-1a", "subnet-1b"};
        for (String subnet : subnets) {
            if (r.nextInt(3) != 0) {
                continue; // the VPC's default ACL
            }
            List<NetworkAcl.Entry> entries = new ArrayList<>();
            int count = 1 + r.nextInt(4);
            Set<String> used = new TreeSet<>();
            for (int i = 0; i < count; i++) {
                int number = new int[] {50, 100, 150, 200}[r.nextInt(4)];
                boolean egress = r.nextBoolean();
                if (!used.add(number + "/" + egress)) {
                    continue;
                }
                String protocol = new String[] {"-1", "6", "17"}[r.nextInt(3)];
                String cidr = new String[] {"0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "10.0.1.0/24",
                    "10.1.0.0/24"}[r.nextInt(5)];
                int[] ports =
                        new int[][] {{443, 443}, {1024, 65535}, {0, 1000}, {30000, 40000}, {22, 53}}[r.nextInt(5)];
                entries.add(Net.entry(number, egress, protocol, r.nextInt(4) == 0 ? "deny" : "allow", cidr,
                        protocol.equals("-1") ? null : ports[0], protocol.equals("-1") ? null : ports[1]));
            }
            if (r.nextBoolean()) {
                entries.add(Net.entry(300, false, "-1", "allow", "0.0.0.0/0", null, null));
            }
            if (r.nextBoolean()) {
                entries.add(Net.entry(300, true, "-1", "allow", "0.0.0.0/0", null, null));
            }
            entries.add(Net.entry(32767, false, "-1", "deny", "0.0.0.0/0", null, null));
            entries.add(Net.entry(32767, true, "-1", "deny", "0.0.0.0/0", null, null));
            n.acl("acl-" + subnet, subnet, entries.toArray(NetworkAcl.Entry[]::new));
        }
        for (int i = 0; i < 4; i++) {
            String vpc = "vpc-" + (i / 2);
            n.sg("sg-" + i, vpc, randomRules(r, "sgr-" + i).toArray(SecurityGroup.Rule[]::new));
            n.eni(ENIS[i], subnets[i], IPS[i], "sg-" + i);
        }
        if (r.nextBoolean()) {
            privateLink(n, r);
        }
        return n;
    }

    /**
     * An endpoint service in vpc-1 (an NLB in one or both of its zones, with or without its own group, cross-zone
     * on or off, a listener on 443 or 8080 with or without a target group of zero to two IP targets) and an interface
     * endpoint to it in vpc-0, in a random state, whose group has random rules.
     */
    static void privateLink(Net n, Random r) {
        List<String> subnets = switch (r.nextInt(3)) {
            case 0 -> List.of("subnet-1a");
            case 1 -> List.of("subnet-1b");
            default -> List.of("subnet-1a", "subnet-1b");
        };
        List<String> ips = subnets.stream().map(x -> x.equals("subnet-1a") ? "10.1.0.5" : "10.1.1.5").toList();
        List<String> groups = List.of();
        if (r.nextInt(3) == 0) {
            n.sg("sg-nlb", "vpc-1", randomRules(r, "sgr-nlb").toArray(SecurityGroup.Rule[]::new));
            groups = List.of("sg-nlb");
        }
        n.nlb("svc", "vpc-1", subnets, ips, groups,
                Map.of("load_balancing.cross_zone.enabled", String.valueOf(r.nextBoolean())));
        String owner = n.world.find(Vpc.class, "vpc-1").orElseThrow().ownerId();
        n.listener("svc", owner, r.nextBoolean() ? 443 : 8080, r.nextInt(8) == 0 ? null : "app");
        List<String> targets = new ArrayList<>(List.of("10.1.0.10", "10.1.1.10"));
        java.util.Collections.shuffle(targets, r);
        n.ipTargetGroup("app", "vpc-1", r.nextBoolean() ? 443 : 8080, Map.of(),
                targets.subList(0, r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(2)).toArray(String[]::new));
        if (r.nextInt(4) == 0) {
            n.service("vpce-svc-1", owner, "svc", "us-east-1b/use1-az2");
        } else {
            n.service("vpce-svc-1", owner, "svc", subnets.stream()
                    .map(x -> x.equals("subnet-1a") ? "us-east-1a/use1-az1" : "us-east-1b/use1-az2")
                    .toArray(String[]::new));
        }
        List<SecurityGroup.Rule> endpointRules = randomRules(r, "sgr-vpce");
        if (r.nextInt(3) > 0) {
            endpointRules.add(
                    new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-vpce-open"), false, IpProtocol.TCP, 0, 65535,
                            new AddressSet.Ipv4(Cidr.parse("10.0.0.0/16")), null));
        }
        n.sg("sg-vpce", "vpc-0", endpointRules.toArray(SecurityGroup.Rule[]::new));
        boolean first = r.nextBoolean();
        VpcEndpoint.State state = switch (r.nextInt(5)) {
            case 0 -> VpcEndpoint.State.PENDING_ACCEPTANCE;
            case 1 -> VpcEndpoint.State.REJECTED;
            default -> VpcEndpoint.State.AVAILABLE;
        };
        n.endpoint("vpce-1", "vpc-0", "vpce-svc-1", state, "eni-vpce", first ? "subnet-0a" : "subnet-0b",
                first ? "10.0.0.20" : "10.0.1.20", "sg-vpce");
    }

    static List<SecurityGroup.Rule> randomRules(Random r, String prefix) {
        {
            List<SecurityGroup.Rule> rules = new ArrayList<>();
            int count = r.nextInt(4);
            for (int k = 0; k < count; k++) {
                boolean egress = r.nextInt(3) == 0;
                String protocol = new String[] {"-1", "tcp", "udp"}[r.nextInt(3)];
                int[] ports = protocol.equals("-1") ? new int[] {-1, -1}
                        : new int[][] {{443, 443}, {0, 65535}, {20, 60}, {8000, 9000}}[r.nextInt(4)];
                String id = prefix + "-" + k;
                if (r.nextInt(3) == 0) {
                    rules.add(new SecurityGroup.Rule(SecurityGroupRuleId.of(id), egress, IpProtocol.parse(protocol),
                            ports[0], ports[1],
                            new RulePeer.Group(
                                    SecurityGroupId
                                            .of(new String[] {"sg-0", "sg-1", "sg-2", "sg-3", "sg-nlb", "sg-vpce"}[r
                                                    .nextInt(6)]),
                                    null),
                            null));
                } else {
                    String cidr = new String[] {"0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/24",
                        "10.1.1.10/32"}[r.nextInt(5)];
                    rules.add(new SecurityGroup.Rule(SecurityGroupRuleId.of(id), egress, IpProtocol.parse(protocol),
                            ports[0], ports[1],
                            new AddressSet.Ipv4(Cidr.parse(cidr)), null));
                }
            }
            if (r.nextInt(4) > 0) {
                rules.add(Net.outAll());
            }
            if (r.nextBoolean()) {
                rules.add(
                        new SecurityGroup.Rule(SecurityGroupRuleId.of(prefix + "-wide"), false, IpProtocol.ALL, -1, -1,
                                new AddressSet.Ipv4(Cidr.parse("10.0.0.0/8")), null));
            }
            return rules;
        }
    }

    /**
     * The reference: a straight-line walk with its own matching code, sharing nothing with the analyzer but the
     * model's records. Returns the blocker keys ({@link Blocker#key()}).
     */
    static final class Naive {
        private Naive() {}

        /** Where a packet leaves or arrives: an interface, or the NLB in one zone (with the NLB's groups). */
        record Spot(String id, String subnetId, String vpcId, long ip, List<String> groups) {}

        static Spot spot(NetworkInterface n) {
            return new Spot(n.id(), SubnetId.text(n.subnetId()), VpcId.text(n.vpcId()), ip(n.primaryIp()),
                    SecurityGroupId.texts(n.groupIds()));
        }

        static Set<String> blockers(World w, String srcId, String dstId, String protocol, int port) {
            Set<String> out = new TreeSet<>();
            Spot src = spot(w.find(NetworkInterface.class, srcId).orElseThrow());
            Spot dst = spot(w.find(NetworkInterface.class, dstId).orElseThrow());
            forward(w, src, dst, protocol, port, out);
            back(w, src, dst, protocol, out);
            return out;
        }

        /** From an interface to vpce-1, through its service's NLB to a target, and back. */
        static Set<String> throughEndpoint(World w, String srcId, String protocol, int port) {
            Set<String> out = new TreeSet<>();
            Spot src = spot(w.find(NetworkInterface.class, srcId).orElseThrow());
            VpcEndpoint e = w.find(VpcEndpoint.class, "vpce-1").orElseThrow();
            Spot ep = spot(w.find(NetworkInterface.class, e.networkInterfaceIds().get(0)).orElseThrow());
            forward(w, src, ep, protocol, port, out);
            if (!e.state().wire().equals("available")) {
                out.add("BAD_STATE vpce-1 null forward");
            }
            EndpointService svc = w.find(EndpointService.class, e.serviceId()).orElseThrow();
            String zoneId = w.find(Subnet.class, ep.subnetId()).orElseThrow().availabilityZoneId();
            if (svc.zones().stream().noneMatch(z -> z.zoneId().equals(zoneId))) {
                out.add("VPCE_SERVICE_NOT_INSTALLED_IN_AZ " + svc.id() + " null forward");
            }
            LoadBalancer lb = w.find(LoadBalancer.class, svc.networkLoadBalancerArns().get(0)).orElseThrow();
            LoadBalancer.Zone zone = lb.zones().get(0);
            for (LoadBalancer.Zone z : lb.zones()) {
                if (z.zoneId().equals(zoneId)) {
                    zone = z;
                }
            }
            Spot nlb = new Spot(lb.id(), SubnetId.text(zone.subnetId()), VpcId.text(lb.vpcId()), ip(zone.privateIp()),
                    SecurityGroupId.texts(lb.securityGroups()));
            sg(w, nlb, false, ep, protocol, port, out);
            Listener listener = null;
            for (Listener l : w.all(Listener.class)) {
                if (l.loadBalancerArn().equals(lb.loadBalancerArn()) && l.port() == port && protocol.equals("tcp")) {
                    listener = l;
                }
            }
            if (listener == null) {
                out.add("ELBV2_LISTENERS_MISMATCH " + lb.id() + " null forward");
                back(w, src, ep, protocol, out);
                return out;
            }
            TargetGroup tg = listener.targetGroupArns().isEmpty() ? null
                    : w.find(TargetGroup.class, listener.targetGroupArns().get(0)).orElse(null);
            if (tg == null || tg.targets().isEmpty()) {
                out.add("ELBV2_LISTENER_HAS_NO_TG " + listener.id() + " null forward");
                back(w, src, ep, protocol, out);
                return out;
            }
            boolean crossZone = "true".equals(lb.attributes().get("load_balancing.cross_zone.enabled"));
            List<String> enabled = lb.zones().stream().map(LoadBalancer.Zone::zoneName).toList();
            TargetGroup.Target chosen = null;
            for (TargetGroup.Target t : tg.targets()) {
                boolean usable = enabled.contains(t.availabilityZone())
                        && (crossZone || t.availabilityZone().equals(zone.zoneName()));
                if (usable && chosen == null) {
                    chosen = t;
                }
            }
            if (chosen == null) {
                chosen = tg.targets().get(0);
            }
            if (!enabled.contains(chosen.availabilityZone())) {
                out.add("ELB_INSTALLED_AZ_RESTRICTION " + lb.id() + " null forward");
            } else if (!crossZone && !chosen.availabilityZone().equals(zone.zoneName())) {
                out.add("ELB_NOT_CROSSZONE " + lb.id() + " null forward");
            }
            String targetIp = chosen.id();
            Spot target = spot(w.all(NetworkInterface.class).stream()
                    .filter(x -> x.vpcId().equals(tg.vpcId()) && targetIp.equals(x.primaryIp())).findFirst()
                    .orElseThrow());
            forward(w, nlb, target, protocol, chosen.port() != null ? chosen.port() : tg.port(), out);
            back(w, nlb, target, protocol, out);
            back(w, src, ep, protocol, out);
            return out;
        }

        static void forward(World w, Spot src, Spot dst, String protocol, int port, Set<String> out) {
            boolean crosses = !src.subnetId().equals(dst.subnetId());
            sg(w, src, true, dst, protocol, port, out);
            if (crosses && !aclAllows(w, src.subnetId(), true, protocol, dst.ip(), port)) {
                out.add("SUBNET_ACL_RESTRICTION " + aclId(w, src.subnetId()) + " egress forward");
            }
            route(w, src, dst, dst.ip(), "forward", out);
            if (crosses && !aclAllows(w, dst.subnetId(), false, protocol, src.ip(), port)) {
                out.add("SUBNET_ACL_RESTRICTION " + aclId(w, dst.subnetId()) + " ingress forward");
            }
            sg(w, dst, false, src, protocol, port, out);
        }

        static void back(World w, Spot src, Spot dst, String protocol, Set<String> out) {
            if (!src.subnetId().equals(dst.subnetId())) {
                boolean anyOut = false;
                boolean anyIn = false;
                boolean both = false;
                List<NetworkAcl.Entry> outgoing = ordered(w, dst.subnetId(), true);
                List<NetworkAcl.Entry> incoming = ordered(w, src.subnetId(), false);
                for (int p = 1024; p <= 65535; p++) {
                    boolean o = allows(outgoing, protocol, src.ip(), p);
                    boolean i = allows(incoming, protocol, dst.ip(), p);
                    anyOut |= o;
                    anyIn |= i;
                    both |= o && i;
                }
                if (!both) {
                    if (!anyOut || anyIn) {
                        out.add("SUBNET_ACL_RESTRICTION " + aclId(w, dst.subnetId()) + " egress return");
                    }
                    if (!anyIn || anyOut) {
                        out.add("SUBNET_ACL_RESTRICTION " + aclId(w, src.subnetId()) + " ingress return");
                    }
                }
            }
            route(w, dst, src, src.ip(), "return", out);
        }

        static long ip(String text) {
            String[] p = text.split("\\.");
            return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8)
                    | Long.parseLong(p[3]);
        }

        static boolean in(String cidr, long address) {
            String[] parts = cidr.split("/");
            int len = Integer.parseInt(parts[1]);
            long net = ip(parts[0]);
            for (int bit = 31; bit > 31 - len; bit--) {
                if (((net >> bit) & 1) != ((address >> bit) & 1)) {
                    return false;
                }
            }
            return true;
        }

        static void sg(World w, Spot at, boolean egress, Spot peer, String protocol, int port, Set<String> out) {
            if (at.groups().isEmpty()) {
                return;
            }
            boolean any = false;
            for (String g : at.groups()) {
                SecurityGroup group = w.find(SecurityGroup.class, g).orElseThrow();
                for (SecurityGroup.Rule rule : group.rules()) {
                    if (rule.egress() != egress) {
                        continue;
                    }
                    any = true;
                    String spelled = rule.protocol().ruleName();
                    boolean proto = spelled.equals("-1") || spelled.equals(protocol);
                    boolean ports = spelled.equals("-1") || (port >= rule.fromPort() && port <= rule.toPort());
                    // The oracle reads the flat shape, independently of the engine's typed peers.
                    SecurityGroup.RuleFields f = rule.fields();
                    boolean who = f.cidrIpv4() != null ? in(f.cidrIpv4(), peer.ip())
                            : peer.groups().contains(f.referencedGroupId());
                    if (proto && ports && who) {
                        return;
                    }
                }
            }
            out.add((any ? "ENI_SG_RULES_MISMATCH " : "SG_HAS_NO_RULES ") + at.groups().get(0) + " "
                    + (egress ? "egress" : "ingress") + " forward");
        }

        static NetworkAcl acl(World w, String subnetId) {
            Subnet s = w.find(Subnet.class, subnetId).orElseThrow();
            NetworkAcl def = null;
            for (NetworkAcl a : w.all(NetworkAcl.class)) {
                if (!a.vpcId().equals(s.vpcId())) {
                    continue;
                }
                if (a.associations().stream().anyMatch(x -> x.subnetId().equals(SubnetId.of(subnetId)))) {
                    return a;
                }
                if (a.isDefault()) {
                    def = a;
                }
            }
            return def;
        }

        static String aclId(World w, String subnetId) {
            return acl(w, subnetId).id();
        }

        static boolean aclAllows(World w, String subnetId, boolean egress, String protocol, long peer, int port) {
            return allows(ordered(w, subnetId, egress), protocol, peer, port);
        }

        /** The subnet's entries in one direction, by rule number. */
        static List<NetworkAcl.Entry> ordered(World w, String subnetId, boolean egress) {
            TreeMap<Integer, NetworkAcl.Entry> byNumber = new TreeMap<>();
            for (NetworkAcl.Entry e : acl(w, subnetId).entries()) {
                if (e.egress() == egress) {
                    byNumber.put(e.ruleNumber(), e);
                }
            }
            return List.copyOf(byNumber.values());
        }

        static boolean allows(List<NetworkAcl.Entry> entries, String protocol, long peer, int port) {
            String number = protocol.equals("tcp") ? "6" : "17";
            for (NetworkAcl.Entry e : entries) {
                boolean proto = e.protocol().aclNumber().equals("-1") || e.protocol().aclNumber().equals(number);
                boolean ports = e.portFrom() == null || (port >= e.portFrom() && port <= e.portTo());
                NetworkAcl.EntryFields f = e.fields(); // the oracle reads the flat shape
                if (proto && ports && in(f.cidrBlock(), peer)) {
                    return f.ruleAction().equals("allow");
                }
            }
            return false;
        }

        static void route(World w, Spot from, Spot to, long dst, String path, Set<String> out) {
            RouteTable main = w.find(RouteTable.class, "rtb-main-" + from.vpcId()).orElseThrow();
            RouteTable.Route found = null;
            for (int len = 32; len >= 0 && found == null; len--) {
                for (RouteTable.Route r : main.routes()) {
                    String c = r.fields().destinationCidrBlock();
                    if (c != null && Integer.parseInt(c.split("/")[1]) == len && in(c, dst)) {
                        found = r;
                    }
                }
            }
            if (found == null) {
                out.add("NO_ROUTE_TO_DESTINATION " + main.id() + " null " + path);
                return;
            }
            if (found.state() == RouteTable.Route.State.BLACKHOLE) {
                out.add("BAD_STATE_ROUTE " + main.id() + " null " + path);
                return;
            }
            if ("local".equals(found.fields().gatewayId())) {
                if (!from.vpcId().equals(to.vpcId())) {
                    out.add("NO_ROUTE_TO_DESTINATION " + main.id() + " null " + path);
                }
                return;
            }
            PeeringConnection p = w.find(PeeringConnection.class, found.fields().vpcPeeringConnectionId()).orElse(null);
            if (p == null) {
                out.add("BAD_STATE_ROUTE " + main.id() + " null " + path);
                return;
            }
            if (p.status() != PeeringConnection.Status.ACTIVE) {
                out.add("BAD_STATE " + p.id() + " null " + path);
            }
            Vpc far = w.find(Vpc.class, p.peerOf(VpcId.of(from.vpcId())).vpcId()).orElseThrow();
            if (!in(far.cidrBlock(), dst)) {
                out.add("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR " + p.id() + " null " + path);
            }
            if (!far.id().equals(to.vpcId())) {
                out.add("NO_ROUTE_TO_DESTINATION " + main.id() + " null " + path);
            }
        }
    }
}
