package dev.underpass.reach;

import dev.underpass.model.ec2.AttachmentStatus;
import dev.underpass.model.ec2.ReservationId;
import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.SecurityGroupRuleId;
import dev.underpass.model.ec2.ElasticIpAssociationId;
import dev.underpass.model.ec2.NetworkInterfaceAttachmentId;
import dev.underpass.model.ec2.NetworkAclAssociationId;
import dev.underpass.model.ec2.RouteTableAssociationId;
import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.ec2.PeeringConnectionId;
import dev.underpass.model.ec2.NatGatewayId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpFamily;
import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.PolicyDocument;
import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.ElasticIp;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RouteTables;
import dev.underpass.model.ec2.RouteTarget;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.Action;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds small worlds for analyzer tests straight from the model's records: every VPC gets a main route table with
 * its local route and a default network ACL that allows everything, as AWS creates them.
 */
final class Net {
    static final String REGION = "us-east-1";
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Timing LATER = Timing.settled(T0.plusSeconds(3600));

    World world = World.empty();

    Net put(Resource r) {
        world = world.put(r);
        return this;
    }

    <T extends Resource> T get(Class<T> type, String id) {
        return world.find(type, id).orElseThrow();
    }

    Analysis trace(String account, String from, String to, int port) {
        return Analyzer.analyze(world, new Query(account, REGION, from, to, "tcp", port), LATER);
    }

    Analysis trace(String account, String from, String to, String protocol, int port) {
        return Analyzer.analyze(world, new Query(account, REGION, from, to, protocol, port), LATER);
    }

    // ---- VPCs, subnets, tables

    Net vpc(String account, String id, String cidr) {
        put(new Vpc(id, account, REGION, cidr,
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of(id + "-assoc"), cidr,
                        CidrAssociationState.ASSOCIATED)),
                null, "default", false, true, true, T0, Map.of()));
        put(new RouteTable("rtb-main-" + id, account, REGION, VpcId.of(id), List.of(local(cidr)),
                List.of(new RouteTable.Association(RouteTableAssociationId.of("rtbassoc-main-" + id), null, null,
                        true)),
                Map.of()));
        put(new NetworkAcl("acl-default-" + id, account, REGION, VpcId.of(id), true, allowAll(), List.of(), Map.of()));
        return this;
    }

    Net subnet(String id, String vpcId, String cidr, String az, String azId) {
        Vpc v = get(Vpc.class, vpcId);
        return put(new Subnet(id, v.ownerId(), REGION, VpcId.of(vpcId), cidr, az, azId, false, false, T0, Map.of()));
    }

    static RouteTable.Route local(String cidr) {
        return RouteTables.route(cidr, new RouteTarget.Local());
    }

    static RouteTable.Route toPeering(String cidr, String pcx) {
        return RouteTables.route(cidr, new RouteTarget.Peering(PeeringConnectionId.of(pcx)));
    }

    /** A route to what a {@code gatewayId} names: an internet gateway, a gateway endpoint, a virtual private one. */
    static RouteTable.Route toGateway(String cidr, String gateway) {
        return RouteTables.route(cidr, RouteTarget.gateway(gateway));
    }

    static RouteTable.Route toNat(String cidr, String nat) {
        return RouteTables.route(cidr, new RouteTarget.Nat(NatGatewayId.of(nat)));
    }

    static RouteTable.Route toEni(String cidr, String eni) {
        return RouteTables.route(cidr, new RouteTarget.Eni(NetworkInterfaceId.of(eni), null, null));
    }

    static RouteTable.Route blackhole(String cidr, String pcx) {
        return toPeering(cidr, pcx).withState(RouteTable.Route.State.BLACKHOLE);
    }

    /** Adds routes to the VPC's main route table. */
    Net routes(String vpcId, RouteTable.Route... routes) {
        RouteTable t = get(RouteTable.class, "rtb-main-" + vpcId);
        List<RouteTable.Route> all = new ArrayList<>(t.routes());
        all.addAll(List.of(routes));
        return put(t.withRoutes(all));
    }

    /** A route table of its own for one subnet. */
    Net table(String id, String subnetId, RouteTable.Route... routes) {
        Subnet s = get(Subnet.class, subnetId);
        Vpc v = get(Vpc.class, VpcId.text(s.vpcId()));
        List<RouteTable.Route> all = new ArrayList<>(List.of(local(v.cidrBlock())));
        all.addAll(List.of(routes));
        return put(new RouteTable(id, s.ownerId(), REGION, s.vpcId(), all,
                List.of(new RouteTable.Association(RouteTableAssociationId.of("rtbassoc-" + id), SubnetId.of(subnetId),
                        null, false)),
                Map.of()));
    }

    static List<NetworkAcl.Entry> allowAll() {
        return List.of(entry(100, false, "-1", "allow", "0.0.0.0/0", null, null),
                entry(32767, false, "-1", "deny", "0.0.0.0/0", null, null),
                entry(100, true, "-1", "allow", "0.0.0.0/0", null, null),
                entry(32767, true, "-1", "deny", "0.0.0.0/0", null, null));
    }

    static NetworkAcl.Entry entry(int n, boolean egress, String protocol, String action, String cidr, Integer from,
            Integer to) {
        return new NetworkAcl.EntryFields(n, egress, protocol, action, cidr, null, null, null, from, to).entry();
    }

    /** A network ACL of its own for one subnet. */
    Net acl(String id, String subnetId, NetworkAcl.Entry... entries) {
        Subnet s = get(Subnet.class, subnetId);
        return put(new NetworkAcl(id, s.ownerId(), REGION, s.vpcId(), false, List.of(entries),
                List.of(new NetworkAcl.Association(NetworkAclAssociationId.of("aclassoc-" + id),
                        SubnetId.of(subnetId))),
                Map.of()));
    }

    // ---- security groups, interfaces, instances

    /** An analysis's blockers as "CODE component direction path" keys, the form every scenario test compares. */
    static List<String> keys(Analysis a) {
        return a.blockers().stream().map(Blocker::key).toList();
    }

    static SecurityGroup.Rule in(String protocol, int from, int to, String cidr) {
        return new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-in-" + protocol + from + cidr), false,
                IpProtocol.parse(protocol), from, to,
                new AddressSet.Ipv4(Cidr.parse(cidr)), null);
    }

    static SecurityGroup.Rule inFromGroup(String protocol, int from, int to, String group) {
        return new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-in-" + group + from), false,
                IpProtocol.parse(protocol), from, to,
                new RulePeer.Group(SecurityGroupId.of(group), null), null);
    }

    static SecurityGroup.Rule outAll() {
        return new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-out-all"), true, IpProtocol.ALL, -1, -1,
                AddressSet.ALL_IPV4, null);
    }

    Net sg(String id, String vpcId, SecurityGroup.Rule... rules) {
        Vpc v = get(Vpc.class, vpcId);
        return put(new SecurityGroup(id, v.ownerId(), REGION, VpcId.of(vpcId), id, id, List.of(rules), Map.of()));
    }

    Net eni(String id, String subnetId, String ip, String... groups) {
        Subnet s = get(Subnet.class, subnetId);
        return put(new NetworkInterface(id, s.ownerId(), REGION, SubnetId.of(subnetId), s.vpcId(), s.availabilityZone(),
                "",
                "interface", false, null, "02:00:00:00:00:00", true,
                List.of(new NetworkInterface.PrivateIp(ip, true)), SecurityGroupId.all(List.of(groups)), null,
                Map.of()));
    }

    /** An interface an AWS service manages (an endpoint's, a load balancer's): never a source of its own. */
    Net managedEni(String id, String subnetId, String ip, String... groups) {
        Subnet s = get(Subnet.class, subnetId);
        return put(new NetworkInterface(id, s.ownerId(), REGION, SubnetId.of(subnetId), s.vpcId(), s.availabilityZone(),
                "",
                "interface", true, "AWS", "02:00:00:00:00:00", true,
                List.of(new NetworkInterface.PrivateIp(ip, true)), SecurityGroupId.all(List.of(groups)), null,
                Map.of()));
    }

    Net instance(String id, String subnetId, String ip, String... groups) {
        Subnet s = get(Subnet.class, subnetId);
        String eniId = "eni-" + id.substring(2);
        eni(eniId, subnetId, ip, groups);
        NetworkInterface n = get(NetworkInterface.class, eniId);
        put(n.withAttachment(
                new NetworkInterface.Attachment(NetworkInterfaceAttachmentId.of("eni-attach-" + id), InstanceId.of(id),
                        s.ownerId(), 0, AttachmentStatus.ATTACHED,
                        true, T0)));
        return put(new Instance(id, s.ownerId(), REGION, ImageId.of("ami-1"), "t3.micro", null, SubnetId.of(subnetId),
                s.vpcId(),
                s.availabilityZone(), NetworkInterfaceId.of(eniId), ip, SecurityGroupId.all(List.of(groups)),
                InstanceState.RUNNING, T0, T0,
                "0", ReservationId.of("r-1"), null,
                Map.of()));
    }

    Net stopped(String instanceId) {
        return put(get(Instance.class, instanceId).withState(InstanceState.STOPPED, T0));
    }

    Net peering(String id, String requesterVpc, String accepterVpc, String status) {
        Vpc a = get(Vpc.class, requesterVpc);
        Vpc b = get(Vpc.class, accepterVpc);
        return put(new PeeringConnection(id, a.ownerId(), REGION,
                new PeeringConnection.Side(a.ownerId(), REGION, a.vpcId(), List.of(a.cidrBlock()), List.of(), false),
                new PeeringConnection.Side(b.ownerId(), REGION, b.vpcId(), List.of(b.cidrBlock()), List.of(), false),
                AwsNamed.find(PeeringConnection.Status.values(), status), null, T0, T0, Map.of(), Map.of()));
    }

    Net igw(String id, String vpcId) {
        Vpc v = get(Vpc.class, vpcId);
        return put(new InternetGateway(id, v.ownerId(), REGION, List.of(VpcId.of(vpcId)), Map.of()));
    }

    Net elasticIp(String eniId, String publicIp) {
        NetworkInterface n = get(NetworkInterface.class, eniId);
        return put(new ElasticIp("eipalloc-" + eniId, n.ownerId(), REGION, publicIp, REGION,
                new ElasticIp.Association(ElasticIpAssociationId.of("eipassoc-1"), NetworkInterfaceId.of(eniId),
                        n.ownerId(), n.primaryIp(), null),
                T0, Map.of()));
    }

    // ---- PrivateLink

    static String lbArn(String account, String name) {
        return "arn:aws:elasticloadbalancing:" + REGION + ":" + account + ":loadbalancer/net/" + name
                + "/0123456789abcdef";
    }

    static String tgArn(String account, String name) {
        return "arn:aws:elasticloadbalancing:" + REGION + ":" + account + ":targetgroup/" + name + "/0123456789abcdef";
    }

    /** An NLB with one interface per subnet; {@code groups} may be empty. */
    Net nlb(String name, String vpcId, List<String> subnetIds, List<String> ips, List<String> groups,
            Map<String, String> attributes) {
        Vpc v = get(Vpc.class, vpcId);
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        for (int i = 0; i < subnetIds.size(); i++) {
            Subnet s = get(Subnet.class, subnetIds.get(i));
            String eniId = "eni-nlb" + name + i;
            managedEni(eniId, s.id(), ips.get(i));
            zones.add(new LoadBalancer.Zone(s.subnetId(), s.availabilityZone(), s.availabilityZoneId(),
                    NetworkInterfaceId.of(eniId),
                    ips.get(i),
                    false));
        }
        return put(new LoadBalancer(lbArn(v.ownerId(), name), v.ownerId(), REGION, name, LoadBalancer.Type.NETWORK,
                LoadBalancer.Scheme.INTERNAL,
                VpcId.of(vpcId), LoadBalancer.IpAddressType.IPV4, zones, SecurityGroupId.all(groups), attributes, T0,
                Map.of()));
    }

    static String albArn(String account, String name) {
        return lbArn(account, name).replace(":loadbalancer/net/", ":loadbalancer/app/");
    }

    /** An internal Application Load Balancer, one interface per subnet; HTTP listeners by {@link #albListener}. */
    Net alb(String name, String vpcId, List<String> subnetIds, List<String> ips, String... groups) {
        Vpc v = get(Vpc.class, vpcId);
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        for (int i = 0; i < subnetIds.size(); i++) {
            Subnet s = get(Subnet.class, subnetIds.get(i));
            String eniId = "eni-alb" + name + i;
            managedEni(eniId, s.id(), ips.get(i), groups);
            zones.add(new LoadBalancer.Zone(s.subnetId(), s.availabilityZone(), s.availabilityZoneId(),
                    NetworkInterfaceId.of(eniId),
                    ips.get(i),
                    false));
        }
        return put(new LoadBalancer(albArn(v.ownerId(), name), v.ownerId(), REGION, name, LoadBalancer.Type.APPLICATION,
                LoadBalancer.Scheme.INTERNAL, VpcId.of(vpcId), LoadBalancer.IpAddressType.IPV4, zones,
                SecurityGroupId.all(List.of(groups)),
                Map.of(),
                T0, Map.of()));
    }

    Net albListener(String albName, String account, int port, String tgName) {
        String lb = albArn(account, albName);
        List<Action> actions = List.of(new Action.Forward(1, List.of(new Action.WeightedTargetGroup(
                TargetGroupArn.of(tgArn(account, tgName)), 1)), false, null));
        return put(new Listener(lb.replace(":loadbalancer/", ":listener/") + "/" + port, account, REGION,
                LoadBalancerArn.of(lb), port,
                Protocol.HTTP, actions, List.of(), null, List.of(), T0, Map.of()));
    }

    Net listener(String lbName, String account, int port, String tgName) {
        String lb = lbArn(account, lbName);
        List<Action> actions = tgName == null ? List.of()
                : List.of(new Action.Forward(1,
                        List.of(new Action.WeightedTargetGroup(TargetGroupArn.of(tgArn(account, tgName)), 1)),
                        false, null));
        return put(new Listener(lb.replace(":loadbalancer/", ":listener/") + "/" + port, account, REGION,
                LoadBalancerArn.of(lb), port,
                Protocol.TCP, actions, List.of(), null, List.of(), T0, Map.of()));
    }

    Net targetGroup(String name, String vpcId, int port, String... instanceIds) {
        Vpc v = get(Vpc.class, vpcId);
        List<TargetGroup.Target> targets = new ArrayList<>();
        for (String i : instanceIds) {
            targets.add(new TargetGroup.Target(i, null, get(Instance.class, i).availabilityZone(), T0, null));
        }
        return put(new TargetGroup(tgArn(v.ownerId(), name), v.ownerId(), REGION, name, Protocol.TCP, port,
                VpcId.of(vpcId),
                TargetType.INSTANCE, IpFamily.IPV4, null,
                new TargetGroup.HealthCheck(true, Protocol.TCP, "traffic-port", null, 30, 10, 3, 3, null), targets,
                Map.of(), T0, Map.of()));
    }

    /** A target group of IP targets, each registered in the zone of the interface that has the address. */
    Net ipTargetGroup(String name, String vpcId, int port, Map<String, String> attributes, String... ips) {
        Vpc v = get(Vpc.class, vpcId);
        List<TargetGroup.Target> targets = new ArrayList<>();
        for (String ip : ips) {
            String zone = world.all(NetworkInterface.class).stream()
                    .filter(n -> n.vpcId().equals(VpcId.of(vpcId)) && ip.equals(n.primaryIp())).findFirst()
                    .orElseThrow()
                    .availabilityZone();
            targets.add(new TargetGroup.Target(ip, null, zone, T0, null));
        }
        return put(new TargetGroup(tgArn(v.ownerId(), name), v.ownerId(), REGION, name, Protocol.TCP, port,
                VpcId.of(vpcId),
                TargetType.IP,
                IpFamily.IPV4, null,
                new TargetGroup.HealthCheck(true, Protocol.TCP, "traffic-port", null, 30, 10, 3, 3, null),
                targets, attributes, T0, Map.of()));
    }

    /** An interface endpoint to an AWS service, with an endpoint policy (null: AWS's full-access default). */
    Net awsEndpoint(String id, String vpcId, String serviceName, String policy, String eniId, String subnetId,
            String ip, String... groups) {
        Vpc v = get(Vpc.class, vpcId);
        managedEni(eniId, subnetId, ip, groups);
        return put(new VpcEndpoint(id, v.ownerId(), REGION, VpcId.of(vpcId), serviceName, null, null,
                VpcEndpoint.Type.INTERFACE,
                VpcEndpoint.State.AVAILABLE, T0,
                policy == null ? null : PolicyDocument.of(policy), List.of(), List.of(SubnetId.of(subnetId)),
                List.of(NetworkInterfaceId.of(eniId)),
                SecurityGroupId.all(List.of(groups)),
                true, VpcEndpoint.IpAddressType.IPV4, null, "tok", null,
                List.of(new VpcEndpoint.DnsEntry(id + "-tok." + serviceName
                        .substring(serviceName.lastIndexOf('.') + 1) + "." + REGION + ".vpce.amazonaws.com", "Z1")),
                T0, Map.of()));
    }

    /**
     * An organization managed by {@code management} with {@code member} under its root, SCPs enabled and
     * FullAWSAccess attached to the root and the member, plus {@code denySCP} (JSON) attached to the member.
     */
    Net organization(String management, String member, String denyScp) {
        String org = "o-abcd1234";
        String root = "r-ab12";
        put(new dev.underpass.model.org.Organization(org, management, "global", "ALL", root,
                List.of(dev.underpass.model.org.ControlPolicy.SCP), Map.of(), T0));
        for (String account : List.of(management, member)) {
            put(new dev.underpass.model.org.MemberAccount(account, management, "global", org, root, "a" + account,
                    account + "@example.com", "CREATED", T0, Map.of()));
        }
        for (String target : List.of(root, member)) {
            put(new dev.underpass.model.org.PolicyAttachment(org + "/p-FullAWSAccess/" + target, management,
                    "global", org, "p-FullAWSAccess", dev.underpass.model.org.ControlPolicy.SCP, target));
        }
        if (denyScp != null) {
            put(new dev.underpass.model.org.ControlPolicy("p-denys3abcd", management, "global", org, "deny-s3",
                    "", dev.underpass.model.org.ControlPolicy.SCP, PolicyDocument.of(denyScp), false, Map.of()));
            put(new dev.underpass.model.org.PolicyAttachment(org + "/p-denys3abcd/" + member, management, "global",
                    org, "p-denys3abcd", dev.underpass.model.org.ControlPolicy.SCP, member));
        }
        return this;
    }

    Net service(String id, String account, String lbName, String... zones) {
        List<EndpointService.Zone> zs = new ArrayList<>();
        for (String z : zones) {
            zs.add(new EndpointService.Zone(z.split("/")[0], z.split("/")[1]));
        }
        return put(new EndpointService(id, account, REGION, "com.amazonaws.vpce." + REGION + "." + id,
                EndpointService.State.AVAILABLE,
                List.of(lbArn(account, lbName)), zs, true, List.of(IpFamily.IPV4), List.of(REGION), null,
                "ServiceOwner",
                List.of(), T0, Map.of()));
    }

    Net endpoint(String id, String vpcId, String serviceId, VpcEndpoint.State state, String eniId, String subnetId,
            String ip,
            String... groups) {
        Vpc v = get(Vpc.class, vpcId);
        EndpointService svc = get(EndpointService.class, serviceId);
        managedEni(eniId, subnetId, ip, groups);
        return put(new VpcEndpoint(id, v.ownerId(), REGION, VpcId.of(vpcId), svc.serviceName(),
                EndpointServiceId.of(serviceId),
                svc.ownerId(),
                VpcEndpoint.Type.INTERFACE, state, T0, null, List.of(), List.of(SubnetId.of(subnetId)),
                List.of(NetworkInterfaceId.of(eniId)),
                SecurityGroupId.all(List.of(groups)), false, VpcEndpoint.IpAddressType.IPV4, null, "tok", null,
                List.of(new VpcEndpoint.DnsEntry(id + "-tok." + serviceId + "." + REGION + ".vpce.amazonaws.com",
                        "Z1")),
                T0, Map.of()));
    }
}
