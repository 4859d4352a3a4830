package dev.underpass.server.fuzz;

import dev.underpass.server.fuzz.Model.Pair;
import dev.underpass.server.fuzz.Model.Res;
import dev.underpass.server.fuzz.Model.Type;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * One random sequence of API calls, as three accounts in two regions would make them, against a real server through
 * the AWS SDK for Java v2, checked against a {@link Model} of what the server acknowledged.
 *
 * <p>Calls draw their arguments from what exists (own resources mostly, other accounts' and regions' resources,
 * deleted ids and garbage ids too). After every step: no call answered 5xx or failed to parse; a write that named a
 * resource the caller does not own (or one deleted, or one that never existed) did not succeed; and one Describe,
 * chosen at random, shows the caller exactly its own resources as the model has them. {@link #sweep} runs every
 * Describe for every account and region; before and after a restart the two sweeps must be equal.
 *
 * <p>Issue 12's resources (Elastic IPs, gateways, DHCP options, flow logs, peering; ALBs, listeners and rules) have
 * their steps and checks in {@link EdgeSteps} and {@link AlbSteps}, Network Load Balancers (target groups with
 * health checks, TCP/UDP/TCP_UDP/TLS listeners, targets, attributes) theirs in {@link NlbSteps}, which this class's
 * own load balancer calls go through too; they share this class's calls, arguments and model, and their Describes
 * join every sweep. Sharing sequences ({@link #shareVpcs}) add issue 11's organization,
 * RAM shares and participants ({@link SharingSteps}); the Describe checks here then expect what VPC sharing shows:
 * shared subnets, their VPCs, route tables, ACLs and gateways to participants, participants' groups and interfaces
 * to the VPC's owner. A shared subnet or VPC is a {@link Kind#SHARED} argument, usable only where a participant may
 * act ({@link #sharedOk}).
 *
 * <p>Everything random comes from the seed, and picks index lists kept in creation order, so a seed replays the same
 * logical sequence even though the server's ids differ from run to run.
 */
final class Fuzzer {
    static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .socketTimeout(Duration.ofSeconds(60)).build();

    /** A broken invariant; the runner adds the seed and the sequence. */
    static final class Violation extends AssertionError {
        Violation(String message) {
            super(message);
        }
    }

    final long seed;
    final Random rnd;
    final Model model = new Model();
    final List<String> log = new ArrayList<>();
    private final Target target;
    final Map<Pair, Ec2Client> ec2 = new HashMap<>();
    final Map<Pair, ElasticLoadBalancingV2Client> elb = new HashMap<>();
    private int calls;
    private int step;
    private int nameCounter;
    final EdgeSteps edge;
    final AlbSteps alb;
    final NlbSteps nlb;
    final SharingSteps sharing;
    /** Whether this sequence shares VPCs (an organization, RAM shares, participants): see {@link SharingSteps}. */
    private boolean sharingSequence;

    Fuzzer(long seed, Target target) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.target = target;
        this.edge = new EdgeSteps(this);
        this.alb = new AlbSteps(this);
        this.nlb = new NlbSteps(this);
        this.sharing = new SharingSteps(this);
        connect();
    }

    int calls() {
        return calls;
    }

    Target target() {
        return target;
    }

    /** (Re)builds the clients for the target's current endpoint. */
    void connect() {
        ec2.values().forEach(Ec2Client::close);
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        ec2.clear();
        elb.clear();
        URI endpoint = URI.create(target.endpoint());
        for (Pair p : pairs()) {
            var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(p.account(), "secret"));
            ec2.put(p, Ec2Client.builder().endpointOverride(endpoint).region(Region.of(p.region()))
                    .credentialsProvider(creds).httpClient(HTTP)
                    .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
            elb.put(p, ElasticLoadBalancingV2Client.builder().endpointOverride(endpoint)
                    .region(Region.of(p.region())).credentialsProvider(creds).httpClient(HTTP)
                    .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
        }
        sharing.connect(endpoint);
    }

    void closeClients() {
        ec2.values().forEach(Ec2Client::close);
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        sharing.close();
    }

    /** Makes this a sharing sequence: a quarter of its steps are {@link SharingSteps}'. */
    void shareVpcs() {
        sharingSequence = true;
    }

    static List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (String a : ACCOUNTS) {
            for (String r : REGIONS) {
                out.add(new Pair(a, r));
            }
        }
        return out;
    }

    static String root(String account) {
        return "arn:aws:iam::" + account + ":root";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Calls

    /** What a call answered: a value, or an AWS error code (4xx). */
    record Outcome<T>(T value, String error) {
        boolean ok() {
            return error == null;
        }
    }

    <T> Outcome<T> call(String what, Supplier<T> fn) {
        calls++;
        try {
            return new Outcome<>(fn.get(), null);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() >= 500) {
                throw new Violation(what + " answered " + e.statusCode() + " " + code + ": " + e.getMessage());
            }
            if (code == null || code.isBlank()) {
                throw new Violation(what + " answered " + e.statusCode() + " without an error code: "
                        + e.getMessage());
            }
            return new Outcome<>(null, code);
        } catch (SdkClientException e) {
            throw new Violation(what + " failed in the client (no answer, or one the SDK cannot parse): " + e);
        }
    }

    /** A read that must succeed. */
    <T> T read(String what, Supplier<T> fn) {
        Outcome<T> o = call(what, fn);
        if (!o.ok()) {
            throw new Violation(what + " answered " + o.error());
        }
        return o.value();
    }

    void note(Pair p, String action, String args, Outcome<?> o, String result) {
        log.add("#" + step + " " + p + " " + action + " " + args + " -> "
                + (o.ok() ? "ok" + (result == null || result.isEmpty() ? "" : " " + result) : o.error()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Arguments

    /** SHARED: another account's subnet or VPC that is shared with the caller now. */
    enum Kind {
        OWN, FOREIGN, SHARED, DELETED, GARBAGE
    }

    /** An id argument and where it came from. */
    record Arg(String id, Res res, Kind kind) {
        @Override
        public String toString() {
            return id + (kind == Kind.OWN ? "" : "(" + kind.name().toLowerCase() + ")");
        }
    }

    private static final Map<Type, String> PREFIX = Map.ofEntries(Map.entry(Type.VPC, "vpc"),
            Map.entry(Type.SUBNET, "subnet"), Map.entry(Type.SG, "sg"), Map.entry(Type.ROUTE_TABLE, "rtb"),
            Map.entry(Type.INSTANCE, "i"), Map.entry(Type.SERVICE, "vpce-svc"), Map.entry(Type.ENDPOINT, "vpce"),
            Map.entry(Type.NAT, "nat"), Map.entry(Type.ENI, "eni"), Map.entry(Type.EIP, "eipalloc"),
            Map.entry(Type.IGW, "igw"), Map.entry(Type.EIGW, "eigw"), Map.entry(Type.DHCP, "dopt"),
            Map.entry(Type.FLOW_LOG, "fl"), Map.entry(Type.PCX, "pcx"));

    Arg pick(Type type, Pair p) {
        return pick(type, p, model.live(type, p));
    }

    /** An id of {@code type}: mostly one of {@code own}, sometimes anyone's, a deleted one, or garbage. */
    Arg pick(Type type, Pair p, List<Res> own) {
        int r = rnd.nextInt(100);
        if (r < 75 && !own.isEmpty()) {
            return shared(classify(own.get(rnd.nextInt(own.size())), p), p);
        }
        if (r < 86) {
            List<Res> any = model.live(type);
            if (!any.isEmpty()) {
                return shared(classify(any.get(rnd.nextInt(any.size())), p), p);
            }
        }
        if (r < 92) {
            List<Res> gone = model.deleted(type);
            if (!gone.isEmpty()) {
                return classify(gone.get(rnd.nextInt(gone.size())), p);
            }
        }
        return new Arg(garbage(type, p), null, Kind.GARBAGE);
    }

    /** A foreign subnet or VPC shared with the caller is SHARED, not FOREIGN. */
    private Arg shared(Arg a, Pair p) {
        if (a.kind != Kind.FOREIGN || a.res == null) {
            return a;
        }
        boolean shared = switch (a.res.type) {
            case SUBNET -> sharing.sharedWith(a.res, p);
            case VPC -> sharing.sharedVpcs(p).contains(a.id);
            default -> false;
        };
        return shared ? new Arg(a.id, a.res, Kind.SHARED) : a;
    }

    /** For a call a participant may make in a shared subnet or VPC: a SHARED argument counts as the caller's. */
    static Arg sharedOk(Arg a) {
        return a != null && a.kind == Kind.SHARED ? new Arg(a.id, a.res, Kind.OWN) : a;
    }

    static Arg classify(Res res, Pair p) {
        Kind kind = res.deleted ? Kind.DELETED : res.pair.equals(p) ? Kind.OWN : Kind.FOREIGN;
        return new Arg(res.id, res, kind);
    }

    private static final String[] CONTROL = {"\u0000", "\u0001", "\t", "\n", "\r\n", "\u001f", "\u007f", "\u2028"};

    private String garbage(Type type, Pair p) {
        if (type == Type.LB || type == Type.TG || type == Type.LISTENER || type == Type.RULE) {
            String kind = switch (type) {
                case LB -> "loadbalancer/" + (rnd.nextBoolean() ? "net" : "app") + "/nope";
                case TG -> "targetgroup/nope";
                case LISTENER -> "listener/app/nope/" + hex(16);
                default -> "listener-rule/app/nope/" + hex(16) + "/" + hex(16);
            };
            return switch (rnd.nextInt(3)) {
                case 0 -> "arn:aws:elasticloadbalancing:" + p.region() + ":" + p.account() + ":" + kind + "/"
                        + hex(16);
                case 1 -> "arn:aws:elasticloadbalancing:" + p.region() + ":" + p.account() + ":" + kind;
                default -> "not-an-arn";
            };
        }
        String prefix = PREFIX.get(type);
        return switch (rnd.nextInt(7)) {
            case 0, 1, 2 -> prefix + "-" + hex(17);
            case 3 -> prefix + "-" + hex(8);
            case 4 -> prefix + "-XYZ";
            // Control characters, NUL among them: a store or a log that chokes on them must not answer 5xx.
            case 5 -> prefix + "-" + CONTROL[rnd.nextInt(CONTROL.length)] + hex(8);
            default -> rnd.nextBoolean() ? "" : "bogus";
        };
    }

    String hex(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    /** On success, every argument must have been the caller's own, live resource. */
    void mustHaveOwned(Pair p, String action, Outcome<?> o, Arg... args) {
        if (!o.ok()) {
            return;
        }
        for (Arg a : args) {
            if (a != null && a.kind != Kind.OWN) {
                throw new Violation(action + " by " + p + " succeeded with " + a.kind + " id " + a.id
                        + (a.res == null ? "" : " (" + a.res + ")"));
            }
        }
    }

    /** In a per-item answer, every item that was not the caller's own must be unsuccessful. */
    void foreignItemsFailed(Pair p, String action, List<Arg> args, List<UnsuccessfulItem> failed) {
        Set<String> failedIds = failed.stream().map(UnsuccessfulItem::resourceId).collect(Collectors.toSet());
        for (Arg a : args) {
            if (a.kind != Kind.OWN && !failedIds.contains(asXmlReadsIt(a.id))) {
                throw new Violation(action + " by " + p + " did not report " + a.kind + " id " + a.id
                        + " as unsuccessful" + (a.res == null ? "" : " (" + a.res + ")"));
            }
        }
    }

    /**
     * {@code id} as a client reads it back from XML: a character XML cannot carry comes back as U+FFFD (the encoder
     * writes it so), and line ends are normalised to a line feed by every XML parser.
     */
    static String asXmlReadsIt(String id) {
        StringBuilder sb = new StringBuilder();
        String s = id.replace("\r\n", "\n").replace('\r', '\n');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean illegal = c < 0x20 && c != '\n' && c != '\t' || c == '\uFFFE' || c == '\uFFFF';
            sb.append(illegal ? '\uFFFD' : c);
        }
        return sb.toString();
    }

    Pair randomPair() {
        return new Pair(ACCOUNTS.get(rnd.nextInt(ACCOUNTS.size())), rnd.nextInt(5) == 0 ? "eu-west-1" : "us-east-1");
    }

    String zone(Pair p) {
        return rnd.nextInt(25) == 0 ? p.region() + "z" : p.region() + (char) ('a' + rnd.nextInt(3));
    }

    static String ids(List<Arg> args) {
        return args.stream().map(Arg::toString).collect(Collectors.joining(",", "[", "]"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Steps

    /** The default VPCs the server made on each account's first request in a region join the model. */
    void adoptDefaults() {
        for (Pair p : pairs()) {
            for (Vpc v : read("DescribeVpcs", () -> ec2.get(p).describeVpcs().vpcs())) {
                if (!model.knows(v.vpcId())) {
                    model.add(Type.VPC, v.vpcId(), p, false).with("cidr", v.cidrBlock())
                            .with("default", String.valueOf(v.isDefault()));
                }
            }
            for (Subnet s : read("DescribeSubnets", () -> ec2.get(p).describeSubnets().subnets())) {
                if (!model.knows(s.subnetId())) {
                    model.add(Type.SUBNET, s.subnetId(), p, false).with("vpc", s.vpcId()).with("cidr", s.cidrBlock())
                            .with("az", s.availabilityZone()).with("azId", s.availabilityZoneId());
                }
            }
            edge.adoptDefaults(p);
        }
        log.add("adopted default VPCs: " + model.live(Type.VPC).size() + " VPCs, "
                + model.live(Type.SUBNET).size() + " subnets");
    }

    /** Whether most steps go to {@link NlbSteps} ({@code -Dunderpass.fuzz.focus=nlb}; off in CI). */
    private static final boolean NLB_FOCUS = "nlb".equals(System.getProperty("underpass.fuzz.focus"));

    /** One random call, then one random Describe check. */
    void step() {
        step++;
        Pair p = randomPair();
        int family = rnd.nextInt(100);
        int r = rnd.nextInt(100);
        if (NLB_FOCUS && rnd.nextInt(10) < 6 && !model.live(Type.VPC, p).isEmpty()) {
            // -Dunderpass.fuzz.focus=nlb: most steps are NLB steps, the rest build what they need.
            nlb.step(rnd.nextBoolean() ? busiest() : p);
            r = -1;
        } else if (sharingSequence && rnd.nextInt(4) == 0) {
            sharing.step(rnd.nextBoolean() ? p : new Pair(p.account(), REGIONS.get(0)));
            r = -2;
        } else if (family < 48 && (!model.live(Type.VPC, p).isEmpty() || rnd.nextBoolean())) {
            // Issue 12's resources: Elastic IPs, gateways, DHCP options, flow logs, peering; ALBs; NLBs, their
            // groups, listeners, targets and attributes (NlbSteps). Half of these
            // calls come from the account and region with the most subnets, so that chains of prerequisites
            // (an instance, a gateway, an address, then the association) come together.
            Pair q = rnd.nextBoolean() ? busiest() : p;
            if (family < 27) {
                edge.step(q);
            } else if (family < 36) {
                alb.step(q);
            } else {
                nlb.step(q);
            }
            r = -1;
        } else {
            r = prerequisite(p, r);
        }
        if (r == -2) {
            log.add("#" + step + " (sharing step above)");
        } else if (r < 0) {
            log.add("#" + step + " (issue 12 step above)");
        } else if (r < 7) {
            createVpc(p);
        } else if (r < 9) {
            deleteVpc(p);
        } else if (r < 16) {
            createSubnet(p);
        } else if (r < 18) {
            deleteSubnet(p);
        } else if (r < 22) {
            createSecurityGroup(p);
        } else if (r < 24) {
            deleteSecurityGroup(p);
        } else if (r < 29) {
            securityGroupRule(p);
        } else if (r < 31) {
            createRouteTable(p);
        } else if (r < 32) {
            deleteRouteTable(p);
        } else if (r < 37) {
            runInstances(p);
        } else if (r < 41) {
            changeInstances(p);
        } else if (r < 45) {
            createLoadBalancer(p);
        } else if (r < 46) {
            deleteLoadBalancer(p);
        } else if (r < 49) {
            createTargetGroup(p);
        } else if (r < 50) {
            deleteTargetGroup(p);
        } else if (r < 52) {
            registerTargets(p);
        } else if (r < 54) {
            createListener(p);
        } else if (r < 58) {
            createService(p);
        } else if (r < 59) {
            modifyService(p);
        } else if (r < 63) {
            modifyPermissions(p);
        } else if (r < 65) {
            deleteServices(p);
        } else if (r < 72) {
            createInterfaceEndpoint(p);
        } else if (r < 75) {
            createGatewayEndpoint(p);
        } else if (r < 78) {
            deleteEndpoints(p);
        } else if (r < 83) {
            decideConnections(p, true);
        } else if (r < 86) {
            decideConnections(p, false);
        } else if (r < 88) {
            createNatGateway(p);
        } else if (r < 89) {
            deleteNatGateway(p);
        } else if (r < 91) {
            createNetworkInterface(p);
        } else if (r < 93) {
            attachOrDetach(p);
        } else if (r < 94) {
            deleteNetworkInterface(p);
        } else if (r < 97) {
            edge.replaceLocalRoute(p);
        } else {
            log.add("#" + step + " " + p + " (describe only)");
        }
        int checks = Check.values().length + EdgeSteps.Check.values().length + AlbSteps.Check.values().length
                + NlbSteps.Check.values().length + (sharingSequence ? SharingSteps.Check.values().length : 0);
        anyCheck(rnd.nextInt(checks), rnd.nextInt(5) < 3 ? p : randomPair());
    }

    private Pair busiest() {
        Pair best = pairs().get(0);
        for (Pair p : pairs()) {
            if (model.live(Type.SUBNET, p).size() > model.live(Type.SUBNET, best).size()) {
                best = p;
            }
        }
        return best;
    }

    /** The {@code i}th of every Describe check: the fuzzer's own, then the issue 12 families'. */
    private List<String> anyCheck(int i, Pair p) {
        if (i < Check.values().length) {
            return check(Check.values()[i], p);
        }
        i -= Check.values().length;
        if (i < EdgeSteps.Check.values().length) {
            return edge.check(EdgeSteps.Check.values()[i], p);
        }
        i -= EdgeSteps.Check.values().length;
        if (i < AlbSteps.Check.values().length) {
            return alb.check(AlbSteps.Check.values()[i], p);
        }
        i -= AlbSteps.Check.values().length;
        if (i < NlbSteps.Check.values().length) {
            return nlb.check(NlbSteps.Check.values()[i], p);
        }
        return sharing.check(SharingSteps.Check.values()[i - NlbSteps.Check.values().length], p);
    }

    /**
     * Turns some calls whose prerequisite the caller lacks into the call that makes it, so that sequences reach
     * the deep states (a service with permissions, a consumer's endpoint to it, a decision on the connection)
     * instead of mostly bouncing off missing resources. The numbers are the ranges of {@link #step}.
     */
    private int prerequisite(Pair p, int r) {
        if (!rnd.nextBoolean()) {
            return r;
        }
        boolean noVpc = model.live(Type.VPC, p).isEmpty();
        boolean fewSubnets = model.live(Type.SUBNET, p).size() < 2;
        boolean noLb = model.live(Type.LB, p).isEmpty();
        boolean noService = model.live(Type.SERVICE, p).isEmpty();
        if (noVpc) {
            return 0; // CreateVpc
        }
        if (fewSubnets && (r >= 9 && r < 16 || r >= 29)) {
            return 10; // CreateSubnet
        }
        if (noLb && r >= 54 && r < 65) {
            return 41; // CreateLoadBalancer
        }
        if (noService && (r >= 58 && r < 65 || r >= 78 && r < 86)) {
            return 55; // CreateVpcEndpointServiceConfiguration
        }
        return r;
    }

    private String vpcCidr() {
        int r = rnd.nextInt(20);
        if (r == 0) {
            return "10.0.0.0/8";
        }
        if (r < 3) {
            return "172.16." + rnd.nextInt(4) + ".0/24";
        }
        return "10." + rnd.nextInt(8) + ".0.0/16";
    }

    private void createVpc(Pair p) {
        String cidr = vpcCidr();
        var o = call("CreateVpc", () -> ec2.get(p).createVpc(b -> b.cidrBlock(cidr)).vpc());
        note(p, "CreateVpc", cidr, o, o.ok() ? o.value().vpcId() : null);
        if (o.ok()) {
            model.add(Type.VPC, o.value().vpcId(), p, false).with("cidr", cidr);
        }
    }

    private void deleteVpc(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        var o = call("DeleteVpc", () -> ec2.get(p).deleteVpc(b -> b.vpcId(vpc.id)));
        note(p, "DeleteVpc", vpc.toString(), o, null);
        mustHaveOwned(p, "DeleteVpc", o, vpc);
        if (o.ok()) {
            model.delete(vpc.id);
            for (Type t : List.of(Type.SG, Type.ROUTE_TABLE)) {
                for (Res child : model.liveWhere(t, "vpc", vpc.id)) {
                    if (!child.implicit) {
                        throw new Violation("DeleteVpc " + vpc.id + " succeeded while it still had " + child);
                    }
                    model.delete(child.id);
                }
            }
            // Target groups are ELB's and do not hold a VPC up (they are not among DeleteVpc's dependencies).
            for (Type t : List.of(Type.SUBNET, Type.ENDPOINT)) {
                if (!model.liveWhere(t, "vpc", vpc.id).isEmpty()) {
                    throw new Violation("DeleteVpc " + vpc.id + " succeeded while it still had "
                            + model.liveWhere(t, "vpc", vpc.id));
                }
            }
            edge.vpcDeleted(p, vpc.id);
        }
    }

    private String subnetCidr(Res vpc) {
        if (vpc == null || rnd.nextInt(20) == 0) {
            return "192.168." + rnd.nextInt(4) + ".0/24";
        }
        String[] cidr = vpc.get("cidr").split("[./]");
        if (cidr[4].equals("16")) {
            return cidr[0] + "." + cidr[1] + "." + rnd.nextInt(6) + ".0/24";
        }
        if (cidr[4].equals("20")) { // A default VPC's subnets are /20s from 172.31.0.0/16.
            return cidr[0] + "." + cidr[1] + "." + (cidr[2]) + "." + (rnd.nextInt(4) * 16) + "/28";
        }
        return cidr[0] + "." + cidr[1] + "." + cidr[2] + "." + (rnd.nextInt(4) * 16) + "/28";
    }

    void createSubnet(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        String cidr = subnetCidr(vpc.res);
        String az = zone(p);
        var o = call("CreateSubnet", () -> ec2.get(p).createSubnet(b -> b.vpcId(vpc.id).cidrBlock(cidr)
                .availabilityZone(az)).subnet());
        note(p, "CreateSubnet", vpc + " " + cidr + " " + az, o, o.ok() ? o.value().subnetId() : null);
        mustHaveOwned(p, "CreateSubnet", o, vpc);
        if (o.ok()) {
            model.add(Type.SUBNET, o.value().subnetId(), p, false).with("vpc", vpc.id).with("cidr", cidr)
                    .with("az", az).with("azId", o.value().availabilityZoneId());
        }
    }

    private void deleteSubnet(Pair p) {
        Arg subnet = pick(Type.SUBNET, p);
        var o = call("DeleteSubnet", () -> ec2.get(p).deleteSubnet(b -> b.subnetId(subnet.id)));
        note(p, "DeleteSubnet", subnet.toString(), o, null);
        mustHaveOwned(p, "DeleteSubnet", o, subnet);
        if (o.ok()) {
            for (Type t : List.of(Type.ENI, Type.INSTANCE)) {
                for (Res r : model.liveWhere(t, "subnet", subnet.id)) {
                    if (!r.pair.equals(p) && !"terminated".equals(r.get("state"))) {
                        throw new Violation("DeleteSubnet " + subnet.id + " succeeded while a participant still had "
                                + r);
                    }
                }
            }
            model.delete(subnet.id);
        }
    }

    private void createSecurityGroup(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        String name = switch (rnd.nextInt(15)) {
            case 0 -> "default";
            case 1 -> "sg-" + rnd.nextInt(4); // AWS refuses names that start with sg-.
            default -> "web-" + rnd.nextInt(4);
        };
        var o = call("CreateSecurityGroup", () -> ec2.get(p).createSecurityGroup(b -> b.vpcId(vpc.id)
                .groupName(name).description("fuzz")).groupId());
        note(p, "CreateSecurityGroup", vpc + " " + name, o, o.value());
        String vpcId = vpc.id;
        if (o.ok() && vpc.id.isEmpty()) {
            // No VPC given (an empty VpcId is none): AWS creates the group in the default VPC, if there is one.
            vpcId = defaultVpc(p, "CreateSecurityGroup");
        } else {
            mustHaveOwned(p, "CreateSecurityGroup", o, sharedOk(vpc));
        }
        if (o.ok()) {
            model.add(Type.SG, o.value(), p, false).with("vpc", vpcId).with("name", name);
        }
    }

    /** The caller's default VPC, which a call given no VPC or subnet succeeded in; a violation if it has none. */
    private String defaultVpc(Pair p, String action) {
        return model.live(Type.VPC, p).stream().filter(v -> "true".equals(v.get("default"))).map(v -> v.id)
                .findFirst().orElseThrow(() -> new Violation(action + " by " + p
                        + " succeeded without a VPC although the caller has no default VPC"));
    }

    private void deleteSecurityGroup(Pair p) {
        Arg sg = pick(Type.SG, p);
        var o = call("DeleteSecurityGroup", () -> ec2.get(p).deleteSecurityGroup(b -> b.groupId(sg.id)));
        note(p, "DeleteSecurityGroup", sg.toString(), o, null);
        mustHaveOwned(p, "DeleteSecurityGroup", o, sg);
        if (o.ok()) {
            if (sg.res.implicit) {
                throw new Violation("DeleteSecurityGroup deleted the default group " + sg.res);
            }
            model.delete(sg.id);
        }
    }

    private void securityGroupRule(Pair p) {
        Arg sg = pick(Type.SG, p);
        IpPermission.Builder perm = IpPermission.builder();
        // Each protocol in the spellings a client may use (name in any case, number, "all"); AWS stores one.
        String protocol = List.of("tcp", "udp", "-1", "icmp", "6", "17", "TCP", "all", "1", "50", "006")
                .get(rnd.nextInt(11));
        String stored = switch (protocol.toLowerCase(java.util.Locale.ROOT)) {
            case "tcp", "6", "006" -> "tcp";
            case "udp", "17" -> "udp";
            case "icmp", "1" -> "icmp";
            case "all", "-1" -> "-1";
            default -> protocol;
        };
        perm.ipProtocol(protocol);
        if (stored.equals("tcp") || stored.equals("udp") || stored.equals("icmp")) {
            int port = List.of(22, 80, 443, 8080).get(rnd.nextInt(4));
            perm.fromPort(stored.equals("icmp") ? -1 : port).toPort(stored.equals("icmp") ? -1 : port);
        }
        List<Res> sameVpc = sg.res == null ? List.of()
                : model.liveWhere(Type.SG, "vpc", String.valueOf(sg.res.get("vpc")));
        String source;
        if (rnd.nextBoolean() && !sameVpc.isEmpty()) {
            source = sameVpc.get(rnd.nextInt(sameVpc.size())).id;
            perm.userIdGroupPairs(b -> b.groupId(source));
        } else {
            source = List.of("10.0.0.0/8", "0.0.0.0/0", "192.168.1.0/24").get(rnd.nextInt(3));
            perm.ipRanges(b -> b.cidrIp(source));
        }
        IpPermission permission = perm.build();
        int kind = rnd.nextInt(4);
        String action = switch (kind) {
            case 0, 1 -> "AuthorizeSecurityGroupIngress";
            case 2 -> "AuthorizeSecurityGroupEgress";
            default -> "RevokeSecurityGroupIngress";
        };
        Ec2Client c = ec2.get(p);
        Outcome<?> o = call(action, () -> switch (kind) {
            case 0, 1 -> c.authorizeSecurityGroupIngress(b -> b.groupId(sg.id).ipPermissions(permission));
            case 2 -> c.authorizeSecurityGroupEgress(b -> b.groupId(sg.id).ipPermissions(permission));
            default -> c.revokeSecurityGroupIngress(b -> b.groupId(sg.id).ipPermissions(permission));
        });
        note(p, action, sg + " " + protocol + " " + source, o, null);
        mustHaveOwned(p, action, o, sg);
        List<SecurityGroupRule> made = !o.ok() ? List.of()
                : o.value() instanceof software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse r
                        ? r.securityGroupRules()
                : o.value() instanceof software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressResponse r
                        ? r.securityGroupRules()
                : List.of();
        for (var rule : made) {
            if (!stored.equals(rule.ipProtocol())) {
                throw new Violation(action + " with protocol '" + protocol + "' made a rule of protocol '"
                        + rule.ipProtocol() + "', not '" + stored + "'");
            }
        }
    }

    private void createRouteTable(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        var o = call("CreateRouteTable", () -> ec2.get(p).createRouteTable(b -> b.vpcId(vpc.id)).routeTable());
        note(p, "CreateRouteTable", vpc.toString(), o, o.ok() ? o.value().routeTableId() : null);
        mustHaveOwned(p, "CreateRouteTable", o, vpc);
        if (o.ok()) {
            model.add(Type.ROUTE_TABLE, o.value().routeTableId(), p, false).with("vpc", vpc.id);
        }
    }

    private void deleteRouteTable(Pair p) {
        Arg rtb = pick(Type.ROUTE_TABLE, p);
        var o = call("DeleteRouteTable", () -> ec2.get(p).deleteRouteTable(b -> b.routeTableId(rtb.id)));
        note(p, "DeleteRouteTable", rtb.toString(), o, null);
        mustHaveOwned(p, "DeleteRouteTable", o, rtb);
        if (o.ok()) {
            if (rtb.res.implicit) {
                throw new Violation("DeleteRouteTable deleted the main route table " + rtb.res);
            }
            model.delete(rtb.id);
        }
    }

    void runInstances(Pair p) {
        Arg subnet = pick(Type.SUBNET, p);
        List<Res> groups = subnet.res == null ? List.of()
                : model.liveWhere(Type.SG, "vpc", String.valueOf(subnet.res.get("vpc")));
        Arg sg = rnd.nextBoolean() ? null : pick(Type.SG, p, groups);
        int count = 1 + rnd.nextInt(2);
        String type = List.of("t3.micro", "t3.micro", "m5.large", "t4g.micro", "t3.huge").get(rnd.nextInt(5));
        Image image = image(p, type.startsWith("t4g") ? "arm64" : "x86_64");
        // Now and then IPv6 addresses: the fuzzer's subnets (and default ones) have no IPv6 block, so AWS refuses.
        Integer ipv6 = rnd.nextInt(8) != 0 ? null : List.of(1, 2, -1, 11).get(rnd.nextInt(4));
        // Now and then termination protection: TerminateInstances must then refuse until it is lifted.
        boolean protect = rnd.nextInt(6) == 0;
        var o = call("RunInstances", () -> ec2.get(p).runInstances(b -> {
            b.imageId(image.id()).instanceType(type).minCount(count).maxCount(count).subnetId(subnet.id);
            if (protect) {
                b.disableApiTermination(true);
            }
            if (sg != null) {
                b.securityGroupIds(sg.id);
            }
            if (ipv6 != null) {
                b.ipv6AddressCount(ipv6);
            }
        }).instances());
        note(p, "RunInstances", subnet + " " + sg + " x" + count + " " + image + " " + type
                + (ipv6 == null ? "" : " ipv6 x" + ipv6) + (protect ? " protected" : ""), o,
                o.ok() ? o.value().stream().map(Instance::instanceId).toList().toString() : null);
        if (ipv6 != null && o.ok()) {
            throw new Violation("RunInstances took Ipv6AddressCount " + ipv6 + " in " + subnet
                    + ", which has no IPv6 block");
        }
        boolean arm = type.startsWith("t4g");
        boolean launchable = image.arch() != null && !type.equals("t3.huge") && image.arch().equals(arm ? "arm64"
                : "x86_64");
        if (o.ok() && !launchable || !o.ok() && launchable && o.error().startsWith("InvalidAMIID")) {
            throw new Violation("RunInstances of " + image + " as " + type + " answered "
                    + (o.ok() ? "ok" : o.error()));
        }
        if (o.ok() && subnet.id.isEmpty()) {
            // No subnet given: AWS launches into a default subnet of the default VPC, if there is one.
            String vpc = defaultVpc(p, "RunInstances");
            for (Instance i : o.value()) {
                Res s = model.get(i.subnetId());
                if (s == null || s.deleted || !s.pair.equals(p) || !vpc.equals(s.get("vpc"))) {
                    throw new Violation("RunInstances without a subnet launched " + i.instanceId() + " into "
                            + (s == null ? i.subnetId() : s));
                }
            }
            mustHaveOwned(p, "RunInstances", o, sg);
        } else {
            mustHaveOwned(p, "RunInstances", o, sharedOk(subnet), sg);
        }
        if (o.ok()) {
            for (Instance i : o.value()) {
                model.add(Type.INSTANCE, i.instanceId(), p, false).with("subnet", i.subnetId())
                        .with("state", "running").with("protected", String.valueOf(protect));
            }
        }
    }

    private void changeInstances(Pair p) {
        List<Arg> ids = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            ids.add(pick(Type.INSTANCE, p));
        }
        List<String> idList = ids.stream().map(Arg::id).toList();
        int kind = rnd.nextInt(5);
        if (kind == 4) {
            protection(p, ids.get(0));
            return;
        }
        String action = kind < 2 ? "TerminateInstances" : kind == 2 ? "StopInstances" : "StartInstances";
        Ec2Client c = ec2.get(p);
        Outcome<List<InstanceStateChange>> o = call(action, () -> switch (kind) {
            case 0, 1 -> c.terminateInstances(b -> b.instanceIds(idList)).terminatingInstances();
            case 2 -> c.stopInstances(b -> b.instanceIds(idList)).stoppingInstances();
            default -> c.startInstances(b -> b.instanceIds(idList)).startingInstances();
        });
        note(p, action, ids(ids), o, o.ok() ? o.value().stream().map(s -> s.instanceId() + ":"
                + s.currentState().nameAsString()).toList().toString() : null);
        mustHaveOwned(p, action, o, ids.toArray(new Arg[0]));
        if (action.equals("TerminateInstances")) {
            boolean guarded = ids.stream().anyMatch(a -> a.res() != null && !a.res().deleted && a.res().pair.equals(p)
                    && "true".equals(a.res().get("protected")));
            if (o.ok() && guarded) {
                throw new Violation("TerminateInstances terminated an instance with termination protection: " + ids);
            }
            if (!o.ok() && o.error().equals("OperationNotPermitted") && !guarded) {
                throw new Violation("TerminateInstances refused unprotected instances " + ids + ": " + o.error());
            }
        }
        if (o.ok()) {
            for (InstanceStateChange s : o.value()) {
                String state = switch (s.currentState().nameAsString()) {
                    case "shutting-down", "terminated" -> "terminated";
                    case "stopping", "stopped" -> "stopped";
                    default -> "running";
                };
                model.get(s.instanceId()).with("state", state);
                if (state.equals("terminated")) {
                    // Interfaces attached later (delete-on-termination false) stay, detached.
                    model.liveWhere(Type.ENI, "instance", s.instanceId()).forEach(e -> e.with("instance", "-"));
                }
            }
        }
    }

    /** Turns an instance's termination protection on or off with ModifyInstanceAttribute. */
    private void protection(Pair p, Arg instance) {
        boolean on = rnd.nextBoolean();
        var o = call("ModifyInstanceAttribute", () -> ec2.get(p).modifyInstanceAttribute(b -> b
                .instanceId(instance.id()).disableApiTermination(v -> v.value(on))));
        note(p, "ModifyInstanceAttribute", instance + " disableApiTermination=" + on, o, null);
        mustHaveOwned(p, "ModifyInstanceAttribute", o, instance);
        if (o.ok() && instance.res() != null) {
            instance.res().with("protected", String.valueOf(on));
        }
    }

    /** An image argument; {@code arch} is null for one RunInstances must refuse (malformed, or not there). */
    record Image(String id, String arch) {
        @Override
        public String toString() {
            return id + (arch == null ? "(bad)" : "");
        }
    }

    /** The catalogue's Amazon Linux 2023 images per region and architecture; ids are stable in a region. */
    private static final Map<String, String> CATALOGUE = new java.util.concurrent.ConcurrentHashMap<>();

    String catalogueImage(Pair p, String region, String arch) {
        return CATALOGUE.computeIfAbsent(region + " " + arch, k -> read("DescribeImages", () -> ec2.get(
                new Pair(p.account(), region)).describeImages(
                        b -> b.owners("amazon").filters(
                                software.amazon.awssdk.services.ec2.model.Filter.builder().name("name")
                                        .values("al2023-ami-2023.*-kernel-6.1-" + arch).build()))
                .images()).get(0).imageId());
    }

    /** Mostly an image of the architecture the instance type runs, sometimes another or a bad one. */
    private Image image(Pair p, String arch) {
        String other = p.region().equals(REGIONS.get(0)) ? REGIONS.get(1) : REGIONS.get(0);
        return switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> arch.equals("arm64") ? new Image(catalogueImage(p, p.region(), arch), arch)
                    : new Image("ami-12345678", "x86_64"); // AWS's documentation placeholder.
            case 3, 4, 5, 6 -> new Image(catalogueImage(p, p.region(), arch), arch);
            case 7, 8 -> new Image(catalogueImage(p, p.region(), "arm64"), "arm64");
            case 9 -> new Image(catalogueImage(p, other, "x86_64"), null); // Another region's image.
            case 10 -> new Image("ami-" + hex(17), null);
            default -> new Image("ami-nothex", null);
        };
    }

    private String lbName(String kind) {
        return kind + "-" + rnd.nextInt(4);
    }

    private void createLoadBalancer(Pair p) {
        Arg first = pick(Type.SUBNET, p);
        List<Arg> subnets = new ArrayList<>(List.of(first));
        if (rnd.nextBoolean() && first.res != null) {
            List<Res> sameVpc = model.liveWhere(Type.SUBNET, "vpc", first.res.get("vpc"));
            subnets.add(pick(Type.SUBNET, p, sameVpc));
        }
        String name = lbName("nlb");
        List<String> ids = subnets.stream().map(Arg::id).distinct().toList();
        var o = call("CreateLoadBalancer", () -> elb.get(p).createLoadBalancer(b -> b.name(name).type("network")
                .scheme("internal").subnets(ids)).loadBalancers().get(0));
        note(p, "CreateLoadBalancer", name + " " + ids(subnets), o, o.ok() ? o.value().loadBalancerArn() : null);
        mustHaveOwned(p, "CreateLoadBalancer", o, subnets.stream().map(Fuzzer::sharedOk).toArray(Arg[]::new));
        if (o.ok() && !model.knows(o.value().loadBalancerArn())) { // Idempotent, like CreateTargetGroup.
            model.add(Type.LB, o.value().loadBalancerArn(), p, false).with("name", name)
                    .with("vpc", o.value().vpcId());
        }
    }

    private void deleteLoadBalancer(Pair p) {
        Arg lb = pick(Type.LB, p);
        var o = call("DeleteLoadBalancer", () -> elb.get(p).deleteLoadBalancer(b -> b.loadBalancerArn(lb.id)));
        note(p, "DeleteLoadBalancer", lb.toString(), o, null);
        // ELBv2 answers success for a load balancer the caller does not have (DeleteLoadBalancer is idempotent);
        // whether another account's load balancer really stayed, its owner's Describe checks. One an endpoint
        // service uses, or with deletion protection on, stays.
        nlb.loadBalancerDeleteAnswered(p, lb, o);
    }

    /** A TCP, UDP, TCP_UDP or TLS group, with or without health-check settings: {@link NlbSteps}. */
    private void createTargetGroup(Pair p) {
        nlb.createTargetGroup(p);
    }

    private void deleteTargetGroup(Pair p) {
        Arg tg = pick(Type.TG, p);
        var o = call("DeleteTargetGroup", () -> elb.get(p).deleteTargetGroup(b -> b.targetGroupArn(tg.id)));
        note(p, "DeleteTargetGroup", tg.toString(), o, null);
        // Idempotent like DeleteLoadBalancer: the owner's Describe checks that another account's group stayed.
        nlb.targetGroupDeleteAnswered(p, tg, o);
    }

    /** Instances or addresses, to a group of the caller's or not: {@link NlbSteps}. */
    private void registerTargets(Pair p) {
        nlb.registerTargets(p);
    }

    /** The caller's instances that are not terminated, in a VPC (and zone, if given). */
    List<Res> instancesIn(Pair p, String vpc, String zone) {
        return model.live(Type.INSTANCE, p).stream().filter(i -> !i.get("state").equals("terminated")).filter(i -> {
            Res subnet = model.get(i.get("subnet"));
            return subnet != null && String.valueOf(vpc).equals(subnet.get("vpc"))
                    && (zone == null || zone.equals(subnet.get("az")));
        }).toList();
    }

    /** A TCP, UDP, TCP_UDP or TLS listener: {@link NlbSteps}. */
    private void createListener(Pair p) {
        nlb.createListener(p);
    }

    private void createService(Pair p) {
        Arg lb = pick(Type.LB, p);
        boolean acceptance = rnd.nextBoolean();
        var o = call("CreateVpcEndpointServiceConfiguration", () -> ec2.get(p)
                .createVpcEndpointServiceConfiguration(b -> b.networkLoadBalancerArns(lb.id)
                        .acceptanceRequired(acceptance))
                .serviceConfiguration());
        note(p, "CreateVpcEndpointServiceConfiguration", lb + " acceptance=" + acceptance, o,
                o.ok() ? o.value().serviceId() : null);
        mustHaveOwned(p, "CreateVpcEndpointServiceConfiguration", o, lb);
        AlbSteps.mustNotBeAlb(p, "CreateVpcEndpointServiceConfiguration", o, lb);
        if (o.ok()) {
            model.add(Type.SERVICE, o.value().serviceId(), p, false).with("name", o.value().serviceName())
                    .with("lb", lb.id).with("acceptance", String.valueOf(acceptance)).with("regions", p.region());
        }
    }

    private void modifyService(Pair p) {
        Arg svc = pick(Type.SERVICE, p);
        int kind = rnd.nextInt(3);
        boolean acceptance = rnd.nextBoolean();
        String region = REGIONS.get(rnd.nextInt(REGIONS.size()));
        var o = call("ModifyVpcEndpointServiceConfiguration", () -> ec2.get(p)
                .modifyVpcEndpointServiceConfiguration(b -> {
                    b.serviceId(svc.id);
                    switch (kind) {
                        case 0 -> b.acceptanceRequired(acceptance);
                        case 1 -> b.addSupportedRegions(region);
                        default -> b.removeSupportedRegions(region);
                    }
                }));
        String change = switch (kind) {
            case 0 -> "acceptance=" + acceptance;
            case 1 -> "+region " + region;
            default -> "-region " + region;
        };
        note(p, "ModifyVpcEndpointServiceConfiguration", svc + " " + change, o, null);
        mustHaveOwned(p, "ModifyVpcEndpointServiceConfiguration", o, svc);
        if (o.ok()) {
            Set<String> regions = new TreeSet<>(List.of(svc.res.get("regions").split(",")));
            switch (kind) {
                case 0 -> svc.res.with("acceptance", String.valueOf(acceptance));
                case 1 -> regions.add(region);
                default -> {
                    if (region.equals(svc.res.pair.region())) {
                        throw new Violation("ModifyVpcEndpointServiceConfiguration removed the own region of "
                                + svc.res);
                    }
                    regions.remove(region);
                }
            }
            svc.res.with("regions", String.join(",", regions));
        }
    }

    private String principal() {
        int r = rnd.nextInt(12);
        if (r < 9) {
            return root(ACCOUNTS.get(r % 3));
        }
        return r < 11 ? "*" : "arn:aws:iam::12:root";
    }

    private void modifyPermissions(Pair p) {
        Arg svc = pick(Type.SERVICE, p);
        Set<String> add = new LinkedHashSet<>();
        Set<String> remove = new LinkedHashSet<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            add.add(principal());
        }
        if (add.isEmpty() || rnd.nextInt(3) == 0) {
            String r = principal();
            if (!add.contains(r)) {
                remove.add(r);
            }
        }
        var o = call("ModifyVpcEndpointServicePermissions", () -> ec2.get(p).modifyVpcEndpointServicePermissions(
                b -> b.serviceId(svc.id).addAllowedPrincipals(add).removeAllowedPrincipals(remove)));
        note(p, "ModifyVpcEndpointServicePermissions", svc + " +" + add + " -" + remove, o, null);
        mustHaveOwned(p, "ModifyVpcEndpointServicePermissions", o, svc);
        if (o.ok()) {
            for (String a : add) {
                if (a.equals("arn:aws:iam::12:root")) {
                    throw new Violation("ModifyVpcEndpointServicePermissions accepted the principal " + a);
                }
            }
            svc.res.principals.addAll(add);
            svc.res.principals.removeAll(remove);
        }
    }

    private void deleteServices(Pair p) {
        List<Arg> ids = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            ids.add(pick(Type.SERVICE, p));
        }
        List<String> idList = ids.stream().map(Arg::id).distinct().toList();
        var o = call("DeleteVpcEndpointServiceConfigurations", () -> ec2.get(p)
                .deleteVpcEndpointServiceConfigurations(b -> b.serviceIds(idList)).unsuccessful());
        note(p, "DeleteVpcEndpointServiceConfigurations", ids(ids), o, o.ok() ? failures(o.value()) : null);
        if (o.ok()) {
            foreignItemsFailed(p, "DeleteVpcEndpointServiceConfigurations", ids, o.value());
            Set<String> failed = o.value().stream().map(UnsuccessfulItem::resourceId).collect(Collectors.toSet());
            for (Arg a : ids) {
                if (!failed.contains(asXmlReadsIt(a.id))) {
                    List<Res> live = model.liveWhere(Type.ENDPOINT, "service", a.id).stream()
                            .filter(e -> !e.get("state").equals("rejected")).toList();
                    if (!live.isEmpty()) {
                        throw new Violation("DeleteVpcEndpointServiceConfigurations deleted " + a.id
                                + ", which still has connections " + live);
                    }
                    model.delete(a.id);
                }
            }
        }
    }

    static String failures(List<UnsuccessfulItem> items) {
        return items.stream().map(i -> i.resourceId() + ":" + i.error().code()).toList().toString();
    }

    private void createInterfaceEndpoint(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        List<Res> subnetsOfVpc = vpc.res == null ? List.of() : model.liveWhere(Type.SUBNET, "vpc", vpc.id);
        List<Arg> subnets = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            subnets.add(pick(Type.SUBNET, p, subnetsOfVpc));
        }
        Res service = null;
        String name;
        int r = rnd.nextInt(10);
        if (r < 3) {
            name = "com.amazonaws." + (rnd.nextInt(8) == 0 ? "us-west-2" : p.region()) + ".sqs";
        } else if (r < 9 && model.live(Type.SERVICE).size() + model.deleted(Type.SERVICE).size() > 0) {
            List<Res> services = rnd.nextInt(6) == 0 ? model.deleted(Type.SERVICE) : model.live(Type.SERVICE);
            if (services.isEmpty()) {
                services = model.live(Type.SERVICE).isEmpty() ? model.deleted(Type.SERVICE) : model.live(Type.SERVICE);
            }
            service = services.get(rnd.nextInt(services.size()));
            name = service.get("name");
        } else {
            name = "com.amazonaws.vpce." + p.region() + ".vpce-svc-" + hex(17);
        }
        List<String> ids = subnets.stream().map(Arg::id).distinct().toList();
        String serviceRegion = service != null && !service.pair.region().equals(p.region()) && rnd.nextInt(3) > 0
                ? service.pair.region() : null;
        // Now and then an IP address type, in AWS's spelling or not (IPv4 is no name AWS takes).
        String ipType = rnd.nextInt(4) > 0 ? null : List.of("ipv4", "dualstack", "ipv6", "IPv4").get(rnd.nextInt(4));
        var o = call("CreateVpcEndpoint", () -> ec2.get(p).createVpcEndpoint(b -> b.vpcEndpointType("Interface")
                .vpcId(vpc.id).serviceName(name).subnetIds(ids).serviceRegion(serviceRegion).ipAddressType(ipType))
                .vpcEndpoint());
        note(p, "CreateVpcEndpoint", "Interface " + vpc + " " + name
                + (serviceRegion == null ? "" : " from " + serviceRegion) + " " + ids(subnets)
                + (ipType == null ? "" : " " + ipType), o,
                o.ok() ? o.value().vpcEndpointId() + " " + o.value().stateAsString() : null);
        List<Arg> all = new ArrayList<>(subnets);
        all.add(vpc);
        mustHaveOwned(p, "CreateVpcEndpoint", o, all.toArray(new Arg[0]));
        if (!o.ok()) {
            return;
        }
        String gotType = o.value().ipAddressTypeAsString();
        if (ipType == null ? !List.of("ipv4", "ipv6").contains(gotType) : !ipType.equals(gotType)) {
            throw new Violation("CreateVpcEndpoint by " + p + " asked for IP address type " + ipType + " and made "
                    + gotType);
        }
        if (name.contains(".vpce.")) {
            if (service == null) {
                throw new Violation("CreateVpcEndpoint by " + p + " connected to a service that never existed: "
                        + name);
            }
            boolean allowed = service.pair.account().equals(p.account())
                    || service.principals.contains(root(p.account())) || service.principals.contains("*");
            boolean reachable = service.pair.region().equals(p.region()) || serviceRegion != null
                    && List.of(service.get("regions").split(",")).contains(p.region());
            if (service.deleted || !reachable || !allowed) {
                throw new Violation("CreateVpcEndpoint by " + p + " connected to " + service);
            }
        } else if (!name.contains("." + p.region() + ".")) {
            throw new Violation("CreateVpcEndpoint by " + p + " connected to another region's service " + name);
        }
        VpcEndpoint e = o.value();
        Res res = model.add(Type.ENDPOINT, e.vpcEndpointId(), p, false).with("vpc", vpc.id)
                .with("serviceName", name).with("type", "Interface").with("state", state(e.stateAsString()));
        if (service != null) {
            res.with("service", service.id);
            String expected = Boolean.parseBoolean(service.get("acceptance")) ? "pendingAcceptance" : "available";
            if (!res.get("state").equals(expected)) {
                throw new Violation("CreateVpcEndpoint to " + service + " answered state " + e.stateAsString());
            }
        }
    }

    /** A client sees {@code pending} settle to {@code available} at once with no transition delay. */
    static String state(String s) {
        return s.equals("pending") ? "available" : s;
    }

    private void createGatewayEndpoint(Pair p) {
        Arg vpc = pick(Type.VPC, p);
        List<Res> tablesOfVpc = vpc.res == null ? List.of() : model.liveWhere(Type.ROUTE_TABLE, "vpc", vpc.id);
        List<Arg> tables = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            tables.add(pick(Type.ROUTE_TABLE, p, tablesOfVpc));
        }
        String name = "com.amazonaws." + p.region() + "." + (rnd.nextBoolean() ? "s3" : "dynamodb");
        List<String> ids = tables.stream().map(Arg::id).distinct().toList();
        var o = call("CreateVpcEndpoint", () -> ec2.get(p).createVpcEndpoint(b -> b.vpcEndpointType("Gateway")
                .vpcId(vpc.id).serviceName(name).routeTableIds(ids)).vpcEndpoint());
        note(p, "CreateVpcEndpoint", "Gateway " + vpc + " " + name + " " + ids(tables), o,
                o.ok() ? o.value().vpcEndpointId() : null);
        List<Arg> all = new ArrayList<>(tables);
        all.add(vpc);
        mustHaveOwned(p, "CreateVpcEndpoint", o, all.toArray(new Arg[0]));
        if (o.ok()) {
            model.add(Type.ENDPOINT, o.value().vpcEndpointId(), p, false).with("vpc", vpc.id)
                    .with("serviceName", name).with("type", "Gateway")
                    .with("state", state(o.value().stateAsString()));
        }
    }

    private void deleteEndpoints(Pair p) {
        List<Arg> ids = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            ids.add(pick(Type.ENDPOINT, p));
        }
        List<String> idList = ids.stream().map(Arg::id).distinct().toList();
        var o = call("DeleteVpcEndpoints", () -> ec2.get(p).deleteVpcEndpoints(b -> b.vpcEndpointIds(idList))
                .unsuccessful());
        note(p, "DeleteVpcEndpoints", ids(ids), o, o.ok() ? failures(o.value()) : null);
        if (o.ok()) {
            foreignItemsFailed(p, "DeleteVpcEndpoints", ids, o.value());
            Set<String> failed = o.value().stream().map(UnsuccessfulItem::resourceId).collect(Collectors.toSet());
            for (Arg a : ids) {
                if (!failed.contains(asXmlReadsIt(a.id))) {
                    model.delete(a.id);
                }
            }
        }
    }

    private void decideConnections(Pair p, boolean accept) {
        Arg svc = pick(Type.SERVICE, p);
        List<Res> connected = svc.res == null ? List.of() : model.liveWhere(Type.ENDPOINT, "service", svc.id);
        List<Arg> endpoints = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            if (!connected.isEmpty() && rnd.nextInt(4) > 0) {
                Res e = connected.get(rnd.nextInt(connected.size()));
                endpoints.add(new Arg(e.id, e, Kind.OWN)); // The service owner decides on others' endpoints.
            } else {
                Arg a = pick(Type.ENDPOINT, p);
                endpoints.add(a.res != null && svc.id.equals(a.res.get("service")) && !a.res.deleted
                        ? new Arg(a.id, a.res, Kind.OWN) : new Arg(a.id, a.res, Kind.FOREIGN));
            }
        }
        List<String> idList = endpoints.stream().map(Arg::id).distinct().toList();
        String action = accept ? "AcceptVpcEndpointConnections" : "RejectVpcEndpointConnections";
        Ec2Client c = ec2.get(p);
        Outcome<List<UnsuccessfulItem>> o = call(action, () -> accept
                ? c.acceptVpcEndpointConnections(b -> b.serviceId(svc.id).vpcEndpointIds(idList)).unsuccessful()
                : c.rejectVpcEndpointConnections(b -> b.serviceId(svc.id).vpcEndpointIds(idList)).unsuccessful());
        note(p, action, svc + " " + ids(endpoints), o, o.ok() ? failures(o.value()) : null);
        mustHaveOwned(p, action, o, svc);
        if (!o.ok()) {
            return;
        }
        foreignItemsFailed(p, action, endpoints, o.value());
        Set<String> failed = o.value().stream().map(UnsuccessfulItem::resourceId).collect(Collectors.toSet());
        Set<String> decided = new HashSet<>();
        for (Arg a : endpoints) {
            if (failed.contains(asXmlReadsIt(a.id)) || !decided.add(a.id)) {
                continue; // An id given twice is decided once.
            }
            String before = a.res.get("state");
            if (accept && !before.equals("pendingAcceptance")) {
                throw new Violation(action + " accepted " + a.res);
            }
            if (!accept && before.equals("rejected")) {
                throw new Violation(action + " rejected " + a.res + " again");
            }
            a.res.with("state", accept ? "available" : "rejected");
        }
    }

    private void createNatGateway(Pair p) {
        Arg subnet = pick(Type.SUBNET, p);
        // A public gateway needs an Elastic IP of the caller that nothing else holds.
        Arg eip = rnd.nextBoolean() ? pick(Type.EIP, p, model.live(Type.EIP, p).stream()
                .filter(e -> edge.target(e).equals("-")).toList()) : null;
        var o = call("CreateNatGateway", () -> ec2.get(p).createNatGateway(b -> {
            b.subnetId(subnet.id).connectivityType(eip == null ? "private" : "public");
            if (eip != null) {
                b.allocationId(eip.id);
            }
        }).natGateway());
        note(p, "CreateNatGateway", (eip == null ? "private " : "public " + eip + " ") + subnet, o,
                o.ok() ? o.value().natGatewayId() : null);
        mustHaveOwned(p, "CreateNatGateway", o, subnet);
        if (o.ok() && eip != null) {
            edge.natGatewayCreated(p, eip, o.value().natGatewayId());
        }
        if (o.ok()) {
            model.add(Type.NAT, o.value().natGatewayId(), p, false).with("subnet", subnet.id)
                    .with("vpc", subnet.res.get("vpc")).with("state", "live");
        }
    }

    private void deleteNatGateway(Pair p) {
        Arg nat = pick(Type.NAT, p);
        var o = call("DeleteNatGateway", () -> ec2.get(p).deleteNatGateway(b -> b.natGatewayId(nat.id)));
        note(p, "DeleteNatGateway", nat.toString(), o, null);
        mustHaveOwned(p, "DeleteNatGateway", o, nat);
        if (o.ok()) {
            // A deleted NAT gateway stays listed (as deleted) for an hour; its interface goes at once.
            nat.res.with("state", "deleted");
        }
    }

    private void createNetworkInterface(Pair p) {
        Arg subnet = pick(Type.SUBNET, p);
        var o = call("CreateNetworkInterface", () -> ec2.get(p).createNetworkInterface(b -> b.subnetId(subnet.id)
                .description("fuzz")).networkInterface());
        note(p, "CreateNetworkInterface", subnet.toString(), o, o.ok() ? o.value().networkInterfaceId() : null);
        mustHaveOwned(p, "CreateNetworkInterface", o, sharedOk(subnet));
        if (o.ok()) {
            model.add(Type.ENI, o.value().networkInterfaceId(), p, false).with("subnet", subnet.id)
                    .with("instance", "-");
        }
    }

    private void attachOrDetach(Pair p) {
        Arg eni = pick(Type.ENI, p);
        if (eni.res != null && !eni.res.get("instance").equals("-") && rnd.nextBoolean()) {
            String attachment = eni.res.get("attachment");
            var o = call("DetachNetworkInterface", () -> ec2.get(p).detachNetworkInterface(b -> b
                    .attachmentId(attachment)));
            note(p, "DetachNetworkInterface", attachment + " of " + eni, o, null);
            if (o.ok()) {
                if (eni.kind != Kind.OWN) {
                    throw new Violation("DetachNetworkInterface by " + p + " detached " + eni.res);
                }
                eni.res.with("instance", "-");
            }
            return;
        }
        Res eniSubnet = eni.res == null ? null : model.get(eni.res.get("subnet"));
        Arg instance = pick(Type.INSTANCE, p, eniSubnet == null ? List.of()
                : instancesIn(p, eniSubnet.get("vpc"), eniSubnet.get("az")));
        int device = 1 + rnd.nextInt(2);
        var o = call("AttachNetworkInterface", () -> ec2.get(p).attachNetworkInterface(b -> b
                .networkInterfaceId(eni.id).instanceId(instance.id).deviceIndex(device)).attachmentId());
        note(p, "AttachNetworkInterface", eni + " " + instance + " " + device, o, o.value());
        mustHaveOwned(p, "AttachNetworkInterface", o, eni, instance);
        if (o.ok()) {
            if (instance.res.get("state").equals("terminated")) {
                throw new Violation("AttachNetworkInterface attached to " + instance.res);
            }
            eni.res.with("instance", instance.id).with("attachment", o.value());
        }
    }

    private void deleteNetworkInterface(Pair p) {
        Arg eni = pick(Type.ENI, p);
        var o = call("DeleteNetworkInterface", () -> ec2.get(p).deleteNetworkInterface(b -> b
                .networkInterfaceId(eni.id)));
        note(p, "DeleteNetworkInterface", eni.toString(), o, null);
        mustHaveOwned(p, "DeleteNetworkInterface", o, eni);
        if (o.ok()) {
            if (!eni.res.get("instance").equals("-")) {
                throw new Violation("DeleteNetworkInterface deleted the attached " + eni.res);
            }
            model.delete(eni.id);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    enum Check {
        VPCS, SUBNETS, SECURITY_GROUPS, SECURITY_GROUP_RULES, ROUTE_TABLES, NETWORK_ACLS,
        NETWORK_INTERFACES, INSTANCES, ENDPOINTS, SERVICES, SERVICE_CONFIGURATIONS, CONNECTIONS, LOAD_BALANCERS,
        TARGET_GROUPS, NAT_GATEWAYS
    }

    Violation leak(Pair p, String what, Object item) {
        return new Violation(what + " by " + p + " shows " + item);
    }

    Set<String> liveIds(Type type, Pair p) {
        return model.live(type, p).stream().map(r -> r.id).collect(Collectors.toCollection(HashSet::new));
    }

    void sameIds(Pair p, String what, Set<String> described, Set<String> expected) {
        if (!described.equals(expected)) {
            Set<String> extra = new TreeSet<>(described);
            extra.removeAll(expected);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(described);
            throw new Violation(what + " by " + p + " differs from the model: unexpected " + extra.stream()
                    .map(id -> model.knows(id) ? model.get(id).toString() : id).toList() + ", missing "
                    + missing.stream().map(id -> model.get(id).toString()).toList());
        }
    }

    void field(Pair p, String what, Res res, String field, String described) {
        if (!String.valueOf(res.get(field)).equals(String.valueOf(described))) {
            throw new Violation(what + " by " + p + " shows " + field + "=" + described + " for " + res);
        }
    }

    /**
     * Whether another account's interface in the caller's VPC is one a participant made: its own, its instance's or
     * its load balancer's.
     */
    private boolean participantsInterface(NetworkInterface n, Pair p) {
        Res known = model.get(n.networkInterfaceId());
        if (known != null) {
            return known.type == Type.ENI && !known.deleted && known.pair.account().equals(n.ownerId())
                    && known.pair.region().equals(p.region());
        }
        String instance = n.attachment() == null ? null : n.attachment().instanceId();
        Res i = instance == null ? null : model.get(instance);
        if (i != null) {
            return i.pair.account().equals(n.ownerId()) && !i.get("state").equals("terminated");
        }
        Pair owner = new Pair(n.ownerId(), p.region());
        return n.description() != null && model.live(Type.LB, owner).stream().anyMatch(lb -> n.description()
                .startsWith("ELB net/" + lb.get("name") + "/")
                || n.description()
                        .startsWith("ELB app/" + lb.get("name") + "/"));
    }

    /** Whether a subnet of another account is, or once was, in a share that reached the caller. */
    private boolean hadShared(Pair p, Res subnet) {
        return !subnet.pair.equals(p) && subnet.pair.region().equals(p.region()) && sharing.shares.stream()
                .anyMatch(s -> s.owner.equals(subnet.pair));
    }

    /** Runs one Describe as {@code p}, checks it against the model, and returns its items as text. */
    List<String> check(Check check, Pair p) {
        Ec2Client c = ec2.get(p);
        String name = "Describe" + check;
        List<String> out = new ArrayList<>();
        Set<String> vpcs = liveIds(Type.VPC, p);
        switch (check) {
            case VPCS -> {
                List<Vpc> items = new ArrayList<>();
                read(name, () -> {
                    c.describeVpcsPaginator(b -> b.maxResults(5)).vpcs().forEach(items::add);
                    return items;
                });
                Set<String> shared = sharing.sharedVpcs(p);
                for (Vpc v : items) {
                    if (!v.ownerId().equals(p.account()) && !shared.contains(v.vpcId())) {
                        throw leak(p, name, v);
                    }
                    out.add(v.toString());
                }
                Set<String> expected = new HashSet<>(vpcs);
                expected.addAll(shared);
                sameIds(p, name, items.stream().map(Vpc::vpcId).collect(Collectors.toSet()), expected);
                items.forEach(v -> field(p, name, model.get(v.vpcId()), "cidr", v.cidrBlock()));
            }
            case SUBNETS -> {
                List<Subnet> items = read(name, () -> c.describeSubnets().subnets());
                Set<String> shared = sharing.sharedSubnets(p);
                for (Subnet s : items) {
                    if (!s.ownerId().equals(p.account()) && !shared.contains(s.subnetId())) {
                        throw leak(p, name, s);
                    }
                    out.add(s.toString());
                }
                Set<String> expected = liveIds(Type.SUBNET, p);
                expected.addAll(shared);
                sameIds(p, name, items.stream().map(Subnet::subnetId).collect(Collectors.toSet()), expected);
                // Zone ids are the same for everyone; names are the caller's own (--az-mapping per-account), so
                // a shared subnet's name is checked against the caller's DescribeAvailabilityZones, not the owner's.
                Map<String, String> zoneIds = items.isEmpty() ? Map.of() : read("DescribeAvailabilityZones",
                        () -> c.describeAvailabilityZones().availabilityZones()).stream()
                        .collect(Collectors.toMap(z -> z.zoneName(), z -> z.zoneId()));
                for (Subnet s : items) {
                    Res res = model.get(s.subnetId());
                    field(p, name, res, "vpc", s.vpcId());
                    field(p, name, res, "cidr", s.cidrBlock());
                    field(p, name, res, "azId", s.availabilityZoneId());
                    if (s.ownerId().equals(p.account())) {
                        field(p, name, res, "az", s.availabilityZone());
                    }
                    if (!s.availabilityZoneId().equals(zoneIds.get(s.availabilityZone()))) {
                        throw new Violation(name + " by " + p + " shows " + s.subnetId() + " in "
                                + s.availabilityZone() + " = " + s.availabilityZoneId() + ", but the caller's "
                                + "DescribeAvailabilityZones says " + s.availabilityZone() + " = "
                                + zoneIds.get(s.availabilityZone()));
                    }
                }
            }
            case SECURITY_GROUPS -> {
                List<SecurityGroup> items = new ArrayList<>();
                read(name, () -> {
                    c.describeSecurityGroupsPaginator(b -> b.maxResults(5)).securityGroups().forEach(items::add);
                    return items;
                });
                Map<String, Integer> defaults = new HashMap<>();
                Set<String> created = new TreeSet<>();
                Set<String> participants = new TreeSet<>();
                for (SecurityGroup g : items) {
                    Res known = model.get(g.groupId());
                    boolean own = g.ownerId().equals(p.account());
                    // Own groups live in own VPCs or in shared ones; the owner of a VPC sees participants' groups.
                    boolean ok = own ? vpcs.contains(g.vpcId()) || known != null && known.pair.equals(p)
                            && !known.deleted : vpcs.contains(g.vpcId()) && known != null && !known.deleted
                                    && known.pair.account().equals(g.ownerId())
                                    && known.pair.region().equals(p.region());
                    if (!ok) {
                        throw leak(p, name, g);
                    }
                    out.add(g.toString());
                    if (!own) {
                        participants.add(g.groupId());
                        continue;
                    }
                    if (g.groupName().equals("default")) {
                        defaults.merge(g.vpcId(), 1, Integer::sum);
                        if (!model.knows(g.groupId())) {
                            model.add(Type.SG, g.groupId(), p, true).with("vpc", g.vpcId()).with("name", "default");
                        }
                    } else {
                        created.add(g.groupId());
                    }
                    Res res = model.get(g.groupId());
                    if (res != null) {
                        field(p, name, res, "vpc", g.vpcId());
                        field(p, name, res, "name", g.groupName());
                    }
                }
                sameIds(p, name + " (created)", created, model.live(Type.SG, p).stream()
                        .filter(r -> !r.implicit).map(r -> r.id).collect(Collectors.toSet()));
                sameIds(p, name + " (participants' in own VPCs)", participants, model.live(Type.SG).stream()
                        .filter(r -> !r.pair.account().equals(p.account()) && r.pair.region().equals(p.region())
                                && vpcs.contains(r.get("vpc")))
                        .map(r -> r.id).collect(Collectors.toSet()));
                Set<String> implicit = model.live(Type.SG, p).stream().filter(r -> r.implicit).map(r -> r.id)
                        .collect(Collectors.toSet());
                implicit.removeAll(items.stream().map(SecurityGroup::groupId).toList());
                if (!implicit.isEmpty()) {
                    throw new Violation(name + " by " + p + " lost default groups " + implicit);
                }
                for (String vpc : vpcs) {
                    if (defaults.getOrDefault(vpc, 0) != 1) {
                        throw new Violation(name + " by " + p + ": " + vpc + " has " + defaults.getOrDefault(vpc, 0)
                                + " default security groups");
                    }
                }
            }
            case SECURITY_GROUP_RULES -> {
                List<SecurityGroupRule> items = new ArrayList<>();
                read(name, () -> {
                    c.describeSecurityGroupRulesPaginator(b -> b.maxResults(20)).securityGroupRules()
                            .forEach(items::add);
                    return items;
                });
                for (SecurityGroupRule rule : items) {
                    Res g = model.get(rule.groupId());
                    boolean participants = g != null && !g.deleted && !g.pair.account().equals(p.account())
                            && g.pair.region().equals(p.region()) && vpcs.contains(g.get("vpc"))
                            && rule.groupOwnerId().equals(g.pair.account());
                    if (!participants && (!rule.groupOwnerId().equals(p.account())
                            || (g != null && (g.deleted || !g.pair.equals(p))))) {
                        throw leak(p, name, rule);
                    }
                    out.add(rule.toString());
                }
            }
            case ROUTE_TABLES -> {
                List<RouteTable> items = read(name, () -> c.describeRouteTables().routeTables());
                Map<String, Integer> mains = new HashMap<>();
                Set<String> created = new TreeSet<>();
                Set<String> sharedVpcs = sharing.sharedVpcs(p);
                Set<String> others = new TreeSet<>();
                for (RouteTable t : items) {
                    boolean ownTable = t.ownerId().equals(p.account()) && vpcs.contains(t.vpcId());
                    boolean sharedTable = sharedVpcs.contains(t.vpcId())
                            && t.ownerId().equals(model.get(t.vpcId()).pair.account());
                    if (!ownTable && !sharedTable) {
                        throw leak(p, name, t);
                    }
                    out.add(t.toString());
                    if (!ownTable) {
                        others.add(t.routeTableId());
                        continue;
                    }
                    boolean main = t.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main()));
                    if (main) {
                        mains.merge(t.vpcId(), 1, Integer::sum);
                        if (!model.knows(t.routeTableId())) {
                            model.add(Type.ROUTE_TABLE, t.routeTableId(), p, true).with("vpc", t.vpcId());
                        }
                    } else {
                        created.add(t.routeTableId());
                    }
                    // The local routes of the VPC's primary block and IPv6 block never leave the table, whatever
                    // ReplaceRoute pointed them at (local, or a middlebox interface).
                    Res tableVpc = model.get(t.vpcId());
                    for (String block : tableVpc == null ? List.<String>of()
                            : java.util.stream.Stream.of(tableVpc.get("cidr"), tableVpc.get("ipv6"))
                                    .filter(java.util.Objects::nonNull).toList()) {
                        if (t.routes().stream().noneMatch(route -> (block.equals(route.destinationCidrBlock())
                                || block.equals(route.destinationIpv6CidrBlock()))
                                && "CreateRouteTable".equals(route.originAsString())
                                && ("local".equals(route.gatewayId()) || route.networkInterfaceId() != null))) {
                            throw new Violation(name + " by " + p + ": " + t.routeTableId()
                                    + " lost the local route of " + block + ": " + t.routes());
                        }
                    }
                    for (var route : t.routes()) {
                        String gw = route.gatewayId();
                        if (gw != null && gw.startsWith("vpce-")
                                && (!model.knows(gw) || model.get(gw).deleted || !model.get(gw).pair.equals(p))) {
                            throw new Violation(name + " by " + p + ": " + t.routeTableId()
                                    + " routes to an endpoint that is gone or not the caller's: " + route
                                    + (model.knows(gw) ? " " + model.get(gw) : ""));
                        }
                    }
                }
                sameIds(p, name + " (created)", created, model.live(Type.ROUTE_TABLE, p).stream()
                        .filter(r -> !r.implicit).map(r -> r.id).collect(Collectors.toSet()));
                for (Res t : model.live(Type.ROUTE_TABLE)) {
                    if (sharedVpcs.contains(t.get("vpc")) && !others.contains(t.id)) {
                        throw new Violation(name + " by " + p + " does not show the shared VPC's " + t);
                    }
                }
                for (String vpc : vpcs) {
                    if (mains.getOrDefault(vpc, 0) != 1) {
                        throw new Violation(name + " by " + p + ": " + vpc + " has " + mains.getOrDefault(vpc, 0)
                                + " main route tables");
                    }
                }
            }
            case NETWORK_ACLS -> {
                List<NetworkAcl> items = read(name, () -> c.describeNetworkAcls().networkAcls());
                Map<String, Integer> defaults = new HashMap<>();
                Set<String> sharedVpcs = sharing.sharedVpcs(p);
                for (NetworkAcl acl : items) {
                    boolean ownAcl = acl.ownerId().equals(p.account()) && vpcs.contains(acl.vpcId());
                    if (!ownAcl && !(sharedVpcs.contains(acl.vpcId())
                            && acl.ownerId().equals(model.get(acl.vpcId()).pair.account()))) {
                        throw leak(p, name, acl);
                    }
                    out.add(acl.toString());
                    if (!ownAcl) {
                        continue;
                    }
                    if (Boolean.TRUE.equals(acl.isDefault())) {
                        defaults.merge(acl.vpcId(), 1, Integer::sum);
                    } else {
                        throw new Violation(name + " by " + p + " shows a network ACL nobody created: " + acl);
                    }
                }
                for (String vpc : vpcs) {
                    if (defaults.getOrDefault(vpc, 0) != 1) {
                        throw new Violation(name + " by " + p + ": " + vpc + " has " + defaults.getOrDefault(vpc, 0)
                                + " default network ACLs");
                    }
                }
            }
            case NETWORK_INTERFACES -> {
                List<NetworkInterface> items = read(name, () -> c.describeNetworkInterfaces().networkInterfaces());
                List<VpcEndpoint> endpoints = read(name, () -> c.describeVpcEndpoints().vpcEndpoints());
                Set<String> endpointEnis = endpoints.stream().flatMap(e -> e.networkInterfaceIds().stream())
                        .collect(Collectors.toSet());
                Set<String> lbNames = model.live(Type.LB, p).stream().map(r -> r.get("name"))
                        .collect(Collectors.toSet());
                Set<String> subnets = liveIds(Type.SUBNET, p);
                Set<String> attachedInstances = new HashSet<>();
                Set<String> participants = new TreeSet<>();
                for (NetworkInterface n : items) {
                    if (!n.ownerId().equals(p.account())) {
                        // The VPC's owner sees participants' interfaces in its VPC, never anyone else's.
                        if (!vpcs.contains(n.vpcId()) || !participantsInterface(n, p)) {
                            throw leak(p, name, n);
                        }
                        participants.add(n.networkInterfaceId());
                        out.add(n.toString());
                        continue;
                    }
                    // Own interfaces live in own subnets, or in subnets shared with the caller now or before.
                    Res subnet = model.get(n.subnetId());
                    if (subnet == null || subnet.deleted || !subnets.contains(n.subnetId())
                            && !hadShared(p, subnet)) {
                        throw leak(p, name, n);
                    }
                    out.add(n.toString());
                    boolean albInterface = n.description() != null && model.live(Type.LB, p).stream()
                            .filter(AlbSteps::isAlb).anyMatch(lb -> n.description()
                                    .startsWith("ELB app/" + lb.get("name") + "/"));
                    boolean accounted = albInterface || switch (n.interfaceTypeAsString()) {
                        case "vpc_endpoint" -> endpointEnis.contains(n.networkInterfaceId());
                        case "network_load_balancer" -> lbNames.stream()
                                .anyMatch(lb -> n.description().startsWith("ELB net/" + lb + "/"));
                        case "nat_gateway" -> model.live(Type.NAT, p).stream().anyMatch(nat -> nat.get("state")
                                .equals("live") && n.description().equals("Interface for NAT Gateway " + nat.id));
                        default -> {
                            Res created = model.get(n.networkInterfaceId());
                            if (created != null && created.type == Type.ENI) {
                                String instance = n.attachment() == null ? "-" : n.attachment().instanceId();
                                field(p, name, created, "instance", instance);
                                field(p, name, created, "subnet", n.subnetId());
                                yield !created.deleted && created.pair.equals(p);
                            }
                            String instance = n.attachment() == null ? null : n.attachment().instanceId();
                            Res i = instance == null ? null : model.get(instance);
                            attachedInstances.add(instance);
                            yield i != null && i.pair.equals(p) && !i.get("state").equals("terminated");
                        }
                    };
                    if (!accounted) {
                        throw new Violation(name + " by " + p + " shows an interface nothing owns: " + n);
                    }
                }
                Set<String> listed = items.stream().map(NetworkInterface::networkInterfaceId)
                        .collect(Collectors.toSet());
                for (Res e : model.live(Type.ENI, p)) {
                    if (!listed.contains(e.id)) {
                        throw new Violation(name + " by " + p + " lost " + e);
                    }
                }
                for (Res e : model.live(Type.ENI)) {
                    Res subnet = model.get(e.get("subnet"));
                    if (!e.pair.account().equals(p.account()) && e.pair.region().equals(p.region())
                            && subnet != null && vpcs.contains(subnet.get("vpc")) && !participants.contains(e.id)) {
                        throw new Violation(name + " by " + p + " does not show the participant's " + e);
                    }
                }
                for (Res i : model.live(Type.INSTANCE, p)) {
                    if (!i.get("state").equals("terminated") && !attachedInstances.contains(i.id)) {
                        throw new Violation(name + " by " + p + ": " + i + " has no network interface");
                    }
                }
            }
            case INSTANCES -> {
                List<Reservation> items = read(name, () -> c.describeInstances().reservations());
                Set<String> ids = new TreeSet<>();
                for (Reservation r : items) {
                    if (!r.ownerId().equals(p.account())) {
                        throw leak(p, name, r);
                    }
                    for (Instance i : r.instances()) {
                        out.add(i.toString());
                        ids.add(i.instanceId());
                    }
                }
                sameIds(p, name, ids, liveIds(Type.INSTANCE, p));
                for (Reservation r : items) {
                    for (Instance i : r.instances()) {
                        Res res = model.get(i.instanceId());
                        field(p, name, res, "subnet", i.subnetId() == null ? res.get("subnet") : i.subnetId());
                        String state = i.state().nameAsString();
                        field(p, name, res, "state", switch (state) {
                            case "shutting-down", "terminated" -> "terminated";
                            case "stopping", "stopped" -> "stopped";
                            default -> "running";
                        });
                    }
                }
            }
            case ENDPOINTS -> {
                List<VpcEndpoint> items = read(name, () -> c.describeVpcEndpoints().vpcEndpoints());
                for (VpcEndpoint e : items) {
                    if (!e.ownerId().equals(p.account())) {
                        throw leak(p, name, e);
                    }
                    out.add(e.toString());
                }
                sameIds(p, name, items.stream().map(VpcEndpoint::vpcEndpointId).collect(Collectors.toSet()),
                        liveIds(Type.ENDPOINT, p));
                for (VpcEndpoint e : items) {
                    Res res = model.get(e.vpcEndpointId());
                    field(p, name, res, "vpc", e.vpcId());
                    field(p, name, res, "serviceName", e.serviceName());
                    field(p, name, res, "type", e.vpcEndpointTypeAsString());
                    field(p, name, res, "state", state(e.stateAsString()));
                }
            }
            case SERVICES -> {
                List<ServiceDetail> items = read(name, () -> c.describeVpcEndpointServices().serviceDetails());
                Set<String> seen = new TreeSet<>();
                for (ServiceDetail d : items) {
                    if (!d.serviceName().contains(".vpce.")) {
                        continue;
                    }
                    Res s = model.get(d.serviceId());
                    if (s == null || !d.owner().equals(s.pair.account())) {
                        throw leak(p, name, d);
                    }
                    seen.add(d.serviceId());
                    out.add(d.toString());
                }
                sameIds(p, name + " (customer services)", seen, model.live(Type.SERVICE).stream()
                        .filter(s -> s.pair.region().equals(p.region()) && (s.pair.account().equals(p.account())
                                || s.principals.contains(root(p.account())) || s.principals.contains("*")))
                        .map(s -> s.id).collect(Collectors.toSet()));
            }
            case SERVICE_CONFIGURATIONS -> {
                List<ServiceConfiguration> items = read(name, () -> c.describeVpcEndpointServiceConfigurations()
                        .serviceConfigurations());
                items.forEach(s -> out.add(s.toString()));
                sameIds(p, name, items.stream().map(ServiceConfiguration::serviceId).collect(Collectors.toSet()),
                        liveIds(Type.SERVICE, p));
                for (ServiceConfiguration s : items) {
                    Res res = model.get(s.serviceId());
                    field(p, name, res, "name", s.serviceName());
                    field(p, name, res, "acceptance", String.valueOf(s.acceptanceRequired()));
                    field(p, name, res, "lb", String.join(",", s.networkLoadBalancerArns()));
                    field(p, name, res, "regions", s.supportedRegions().stream().map(r -> r.region()).sorted()
                            .collect(Collectors.joining(",")));
                    List<AllowedPrincipal> allowed = read("DescribeVpcEndpointServicePermissions", () -> c
                            .describeVpcEndpointServicePermissions(b -> b.serviceId(s.serviceId()))
                            .allowedPrincipals());
                    Set<String> principals = allowed.stream().map(AllowedPrincipal::principal)
                            .collect(Collectors.toCollection(TreeSet::new));
                    if (!principals.equals(new TreeSet<>(res.principals))) {
                        throw new Violation("DescribeVpcEndpointServicePermissions by " + p + " shows " + principals
                                + " for " + res);
                    }
                    out.add(s.serviceId() + " principals " + principals);
                }
            }
            case CONNECTIONS -> {
                List<VpcEndpointConnection> items = read(name, () -> c.describeVpcEndpointConnections()
                        .vpcEndpointConnections());
                Set<String> services = liveIds(Type.SERVICE, p);
                for (VpcEndpointConnection k : items) {
                    Res e = model.get(k.vpcEndpointId());
                    if (!services.contains(k.serviceId()) || e == null
                            || !k.vpcEndpointOwner().equals(e.pair.account())) {
                        throw leak(p, name, k);
                    }
                    field(p, name, e, "state", state(k.vpcEndpointStateAsString()));
                    out.add(k.toString());
                }
                sameIds(p, name, items.stream().map(VpcEndpointConnection::vpcEndpointId).collect(Collectors.toSet()),
                        model.live(Type.ENDPOINT).stream().filter(e -> services.contains(e.get("service")))
                                .map(e -> e.id).collect(Collectors.toSet()));
            }
            case LOAD_BALANCERS -> {
                List<LoadBalancer> items = read(name, () -> elb.get(p).describeLoadBalancers().loadBalancers());
                for (LoadBalancer lb : items) {
                    if (!lb.loadBalancerArn().contains(":" + p.region() + ":" + p.account() + ":")) {
                        throw leak(p, name, lb);
                    }
                    out.add(lb.toString());
                }
                sameIds(p, name, items.stream().map(LoadBalancer::loadBalancerArn).collect(Collectors.toSet()),
                        liveIds(Type.LB, p));
                for (LoadBalancer lb : items) {
                    field(p, name, model.get(lb.loadBalancerArn()), "name", lb.loadBalancerName());
                    read("DescribeListeners", () -> elb.get(p).describeListeners(b -> b
                            .loadBalancerArn(lb.loadBalancerArn())).listeners()).forEach(l -> out.add(l.toString()));
                }
            }
            case TARGET_GROUPS -> {
                List<TargetGroup> items = read(name, () -> elb.get(p).describeTargetGroups().targetGroups());
                for (TargetGroup tg : items) {
                    if (!tg.targetGroupArn().contains(":" + p.region() + ":" + p.account() + ":")) {
                        throw leak(p, name, tg);
                    }
                    out.add(tg.toString());
                }
                sameIds(p, name, items.stream().map(TargetGroup::targetGroupArn).collect(Collectors.toSet()),
                        liveIds(Type.TG, p));
                for (TargetGroup tg : items) {
                    field(p, name, model.get(tg.targetGroupArn()), "vpc", tg.vpcId());
                    read("DescribeTargetHealth", () -> elb.get(p).describeTargetHealth(b -> b
                            .targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions())
                            .forEach(h -> out.add(tg.targetGroupArn() + " " + h));
                }
            }
            case NAT_GATEWAYS -> {
                List<NatGateway> items = read(name,
                        () -> c.describeNatGateways().natGateways());
                Set<String> sharedVpcs = sharing.sharedVpcs(p);
                for (var n : items) {
                    Res vpc = model.get(n.vpcId());
                    if (vpc == null || !vpc.pair.equals(p) && !sharedVpcs.contains(n.vpcId())) {
                        throw leak(p, name, n);
                    }
                    out.add(n.toString());
                }
                Set<String> expected = liveIds(Type.NAT, p);
                model.live(Type.NAT).stream().filter(n -> sharedVpcs.contains(n.get("vpc"))
                        && model.get(n.get("vpc")).pair.equals(n.pair)).forEach(n -> expected.add(n.id));
                sameIds(p, name, items.stream().map(NatGateway::natGatewayId).collect(Collectors.toSet()), expected);
                for (var n : items) {
                    Res res = model.get(n.natGatewayId());
                    field(p, name, res, "subnet", n.subnetId());
                    field(p, name, res, "state", n.stateAsString().equals("deleted") ? "deleted" : "live");
                }
            }
            default -> throw new IllegalStateException(check.toString());
        }
        return out;
    }

    /** Every Describe for every account and region, checked; the answers as text, by account, region and call. */
    Map<String, List<String>> sweep() {
        Map<String, List<String>> out = new TreeMap<>();
        for (Pair p : pairs()) {
            for (Check check : Check.values()) {
                out.put(p + " " + check, check(check, p));
            }
            for (EdgeSteps.Check check : EdgeSteps.Check.values()) {
                out.put(p + " " + check, edge.check(check, p));
            }
            for (AlbSteps.Check check : AlbSteps.Check.values()) {
                out.put(p + " " + check, alb.check(check, p));
            }
            for (NlbSteps.Check check : NlbSteps.Check.values()) {
                out.put(p + " " + check, nlb.check(check, p));
            }
            for (SharingSteps.Check check : sharing.enabled() ? SharingSteps.Check.values()
                    : new SharingSteps.Check[0]) {
                out.put(p + " " + check, sharing.check(check, p));
            }
        }
        return out;
    }

    /** Restarts the target (or kills it) and checks that it loads to exactly what it answered before. */
    void restartAndCompare(boolean kill) {
        Map<String, List<String>> before = sweep();
        log.add("-- " + (kill ? "kill -9" : "restart") + " with " + model.size() + " live resources");
        if (kill) {
            killWithWriteInFlight(before);
            return;
        }
        target.restart();
        connect();
        compare(before, sweep(), "restart");
    }

    /**
     * Kills the server while a CreateVpc is in flight. Acknowledged, the VPC must be there after the restart;
     * not, it may or may not be, but if it is it must be whole (its default group, main route table and default
     * network ACL); everything else must be exactly as before.
     */
    private void killWithWriteInFlight(Map<String, List<String>> before) {
        Pair p = randomPair();
        String cidr = "10." + (8 + rnd.nextInt(8)) + ".0.0/16";
        int delayMicros = rnd.nextInt(20_000);
        AtomicReference<Object> result = new AtomicReference<>();
        Ec2Client c = ec2.get(p);
        Thread writer = new Thread(() -> {
            try {
                result.set(c.createVpc(b -> b.cidrBlock(cidr)).vpc());
            } catch (RuntimeException e) {
                result.set(e);
            }
        });
        writer.start();
        LockSupport.parkNanos(delayMicros * 1000L);
        target.killAndRestart();
        try {
            writer.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Object r = result.get();
        Set<String> inFlight = new HashSet<>();
        if (r instanceof Vpc v) {
            model.add(Type.VPC, v.vpcId(), p, false).with("cidr", cidr);
            inFlight.add(v.vpcId());
        }
        connect();
        if (r instanceof SdkClientException) {
            for (Vpc v : read("DescribeVpcs", () -> ec2.get(p).describeVpcs().vpcs())) {
                if (!model.knows(v.vpcId())) {
                    if (!inFlight.isEmpty() || !v.cidrBlock().equals(cidr)) {
                        throw new Violation("after kill -9 " + p + " has a VPC nobody created: " + v);
                    }
                    model.add(Type.VPC, v.vpcId(), p, false).with("cidr", cidr);
                    inFlight.add(v.vpcId());
                }
            }
        } else if (r instanceof AwsServiceException e && e.statusCode() >= 500) {
            throw new Violation("CreateVpc in flight at kill -9 answered " + e.statusCode() + ": " + e);
        }
        log.add("-- in-flight CreateVpc " + cidr + " by " + p + " after " + delayMicros + " us: "
                + (r instanceof Vpc v ? "acknowledged " + v.vpcId() : r instanceof Exception e
                        ? e.getClass().getSimpleName() + (inFlight.isEmpty() ? ", not applied" : ", applied "
                                + inFlight)
                        : r));
        // The in-flight VPC's default group, main route table and ACL, and their rules, are not in "before".
        Map<String, List<String>> swept = sweep();
        Pattern children = Pattern.compile("\\b(sg|rtb|acl)-[0-9a-f]{17}\\b");
        for (List<String> lines : swept.values()) {
            for (String line : lines) {
                if (inFlight.stream().anyMatch(line::contains) && !line.startsWith("Vpc(")) {
                    children.matcher(line).results().forEach(m -> inFlight.add(m.group()));
                }
            }
        }
        // The account's first VPC in a region also makes the region's default DHCP options set.
        Pattern dopt = Pattern.compile("\\bdopt-[0-9a-f]{17}\\b");
        Set<String> newSets = new HashSet<>();
        for (List<String> lines : swept.values()) {
            for (String line : lines) {
                if (line.startsWith("Vpc(") && inFlight.stream().anyMatch(line::contains)) {
                    dopt.matcher(line).results().map(m -> m.group()).filter(id -> before.values().stream()
                            .flatMap(List::stream).noneMatch(b -> b.contains(id))).forEach(newSets::add);
                }
            }
        }
        inFlight.addAll(newSets);
        Map<String, List<String>> after = new TreeMap<>();
        swept.forEach((k, lines) -> after.put(k, lines.stream()
                .filter(line -> inFlight.stream().noneMatch(line::contains)).toList()));
        compare(before, after, "kill -9");
    }

    static void compare(Map<String, List<String>> before, Map<String, List<String>> after, String what) {
        if (before.equals(after)) {
            return;
        }
        StringBuilder diff = new StringBuilder("the store did not load to what it answered before the " + what + ":");
        Map<String, List<String>> keys = new LinkedHashMap<>(before);
        after.forEach(keys::putIfAbsent);
        for (String key : keys.keySet()) {
            List<String> b = before.getOrDefault(key, List.of());
            List<String> a = after.getOrDefault(key, List.of());
            if (!a.equals(b)) {
                List<String> lost = new ArrayList<>(b);
                lost.removeAll(a);
                List<String> gained = new ArrayList<>(a);
                gained.removeAll(b);
                diff.append("\n  ").append(key).append(":\n    before only: ").append(lost)
                        .append("\n    after only: ").append(gained);
            }
        }
        throw new Violation(diff.toString());
    }
}
