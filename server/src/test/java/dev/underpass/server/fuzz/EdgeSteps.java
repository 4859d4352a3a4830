package dev.underpass.server.fuzz;

import dev.underpass.server.fuzz.Fuzzer.Arg;
import dev.underpass.server.fuzz.Fuzzer.Kind;
import dev.underpass.server.fuzz.Fuzzer.Violation;
import dev.underpass.server.fuzz.Model.Pair;
import dev.underpass.server.fuzz.Model.Res;
import dev.underpass.server.fuzz.Model.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;
import software.amazon.awssdk.services.ec2.model.EgressOnlyInternetGateway;
import software.amazon.awssdk.services.ec2.model.FlowLog;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.NewDhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * The fuzzer's steps and checks for the edges of a VPC (issue 12): Elastic IPs and their associations (instances,
 * interfaces, NAT gateways), internet and egress-only gateways, DHCP options sets, flow logs and VPC peering with
 * routes through it. Like {@link Fuzzer}, a step is lenient about errors (a random call may fail for many good
 * reasons) and strict about successes and state: a success must have been allowed by AWS's rules as the
 * {@link Model} knows them, and every Describe must show exactly what the model holds.
 *
 * <p>Model fields: an address's {@code target} is the instance, interface or NAT gateway it was associated with
 * ({@code -}: none), and the association lives while that target does; a gateway's {@code vpc} is where it is
 * attached ({@code -}: detached); a peering's {@code status} and sides ({@code requester}, {@code accepter}, as
 * account/region pairs, and their VPCs); a VPC's {@code dhcp} is the options set it was last seen or given.
 */
final class EdgeSteps {
    /** The Describes this class checks. */
    enum Check {
        ADDRESSES, INTERNET_GATEWAYS, EGRESS_ONLY_GATEWAYS, DHCP_OPTIONS, FLOW_LOGS, PEERINGS
    }

    private final Fuzzer f;
    private final Model model;
    private final Random rnd;

    EdgeSteps(Fuzzer fuzzer) {
        this.f = fuzzer;
        this.model = fuzzer.model;
        this.rnd = fuzzer.rnd;
    }

    private Ec2Client ec2(Pair p) {
        return f.ec2.get(p);
    }

    /** One random call of this family. */
    void step(Pair p) {
        int r = rnd.nextInt(100);
        if (rnd.nextInt(8) == 0) {
            chain(p);
            return;
        }
        if (rnd.nextBoolean()) {
            r = prerequisite(p, r);
        }
        if (r < 0) {
            f.runInstances(p);
        } else if (r < 10) {
            allocateAddress(p);
        } else if (r < 14) {
            releaseAddress(p);
        } else if (r < 24) {
            associateAddress(p);
        } else if (r < 28) {
            disassociateAddress(p);
        } else if (r < 34) {
            createInternetGateway(p);
        } else if (r < 42) {
            attachInternetGateway(p);
        } else if (r < 45) {
            detachInternetGateway(p);
        } else if (r < 47) {
            deleteInternetGateway(p);
        } else if (r < 50) {
            createEgressOnlyGateway(p);
        } else if (r < 52) {
            deleteEgressOnlyGateway(p);
        } else if (r < 55) {
            createDhcpOptions(p);
        } else if (r < 59) {
            associateDhcpOptions(p);
        } else if (r < 61) {
            deleteDhcpOptions(p);
        } else if (r < 67) {
            createFlowLogs(p);
        } else if (r < 69) {
            deleteFlowLogs(p);
        } else if (r < 78) {
            createPeering(p);
        } else if (r < 86) {
            decidePeering(p);
        } else if (r < 89) {
            deletePeering(p);
        } else if (r < 91) {
            modifyPeeringOptions(p);
        } else if (r < 95) {
            routeToPeering(p);
        } else {
            replaceLocalRoute(p);
        }
    }

    /** A default VPC comes with an attached internet gateway. */
    void adoptDefaults(Pair p) {
        for (InternetGateway g : f.read("DescribeInternetGateways", () -> ec2(p).describeInternetGateways()
                .internetGateways())) {
            if (!model.knows(g.internetGatewayId())) {
                model.add(Type.IGW, g.internetGatewayId(), p, false).with("vpc",
                        g.attachments().isEmpty() ? "-" : g.attachments().get(0).vpcId());
            }
        }
    }

    /**
     * Turns some calls whose prerequisite the caller lacks into the call that makes it: an association needs an
     * address, a target and an internet gateway in the target's VPC; a decision on a peering needs a request.
     */
    private int prerequisite(Pair p, int r) {
        boolean association = r >= 14 && r < 24 || r >= 42 && r < 45;
        if (association || r >= 6 && r < 10) {
            if (model.live(Type.EIP, p).isEmpty()) {
                return 0; // AllocateAddress
            }
            List<Res> vpcs = model.live(Type.VPC, p);
            boolean gatewayed = vpcs.stream().anyMatch(v -> !attachedTo(v.id).isEmpty());
            if (!gatewayed && !vpcs.isEmpty()) {
                return model.live(Type.IGW, p).stream().anyMatch(g -> g.get("vpc").equals("-")) ? 34 : 28;
            }
            if (model.live(Type.INSTANCE, p).isEmpty()) {
                return -1;
            }
        }
        if (r >= 78 && visiblePeerings(p).isEmpty()) {
            return 70; // CreateVpcPeeringConnection
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Elastic IPs

    private void allocateAddress(Pair p) {
        var o = f.call("AllocateAddress", () -> ec2(p).allocateAddress(b -> b.domain("vpc")));
        f.note(p, "AllocateAddress", "vpc", o, o.ok() ? o.value().allocationId() + " " + o.value().publicIp() : null);
        if (o.ok()) {
            model.add(Type.EIP, o.value().allocationId(), p, false).with("ip", o.value().publicIp())
                    .with("target", "-");
        }
    }

    /** Whether the address's association is still there: its target has not gone. */
    String target(Res eip) {
        String t = eip.get("target");
        if (t == null || t.equals("-")) {
            return "-";
        }
        Res target = model.get(t);
        boolean live = switch (target.type) {
            case INSTANCE -> !target.get("state").equals("terminated");
            case NAT -> target.get("state").equals("live");
            default -> !target.deleted;
        };
        return live ? t : "-";
    }

    /** The VPC an association's target is in. */
    private String vpcOf(String target) {
        Res t = model.get(target);
        if (t.type == Type.NAT) {
            return t.get("vpc");
        }
        Res subnet = model.get(t.get("subnet"));
        return subnet == null ? null : subnet.get("vpc");
    }

    private void releaseAddress(Pair p) {
        Arg eip = f.pick(Type.EIP, p);
        var o = f.call("ReleaseAddress", () -> ec2(p).releaseAddress(b -> b.allocationId(eip.id())));
        f.note(p, "ReleaseAddress", eip.toString(), o, null);
        f.mustHaveOwned(p, "ReleaseAddress", o, eip);
        if (o.ok()) {
            if (!target(eip.res()).equals("-")) {
                throw new Violation("ReleaseAddress released " + eip.res() + " while it was associated");
            }
            model.delete(eip.id());
        }
    }

    /**
     * A whole chain with the caller's own resources, so that the deep states come up in every sequence: an address,
     * an instance, an internet gateway attached to the instance's VPC, the association; now and then a public NAT
     * gateway or a peering accepted by its accepter.
     */
    private void chain(Pair p) {
        f.log.add("-- chain for " + p);
        if (model.live(Type.EIP, p).stream().noneMatch(e -> target(e).equals("-"))) {
            allocateAddress(p);
        }
        List<Res> instances = model.live(Type.INSTANCE, p).stream().filter(i -> !i.get("state").equals("terminated"))
                .toList();
        if (instances.isEmpty()) {
            f.runInstances(p);
            return;
        }
        Res instance = instances.get(rnd.nextInt(instances.size()));
        String vpc = vpcOf(instance.id);
        if (attachedTo(vpc).isEmpty()) {
            List<Res> free = model.live(Type.IGW, p).stream().filter(g -> g.get("vpc").equals("-")).toList();
            if (free.isEmpty()) {
                createInternetGateway(p);
                free = model.live(Type.IGW, p).stream().filter(g -> g.get("vpc").equals("-")).toList();
            }
            if (free.isEmpty()) {
                return;
            }
            Res igw = free.get(0);
            attachInternetGateway(p, new Arg(igw.id, igw, Kind.OWN), new Arg(vpc, model.get(vpc), Kind.OWN));
        }
        List<Res> free = model.live(Type.EIP, p).stream().filter(e -> target(e).equals("-")).toList();
        if (!free.isEmpty()) {
            Res eip = free.get(rnd.nextInt(free.size()));
            associateAddress(p, new Arg(eip.id, eip, Kind.OWN), new Arg(instance.id, instance, Kind.OWN), true);
        }
    }

    private void associateAddress(Pair p) {
        Arg eip = f.pick(Type.EIP, p);
        boolean toInstance = rnd.nextBoolean();
        List<Res> candidates = toInstance
                ? model.live(Type.INSTANCE, p).stream().filter(i -> !i.get("state").equals("terminated")).toList()
                : model.live(Type.ENI, p);
        // Mostly targets in a VPC with an internet gateway, where an association can work.
        List<Res> reachable = candidates.stream().filter(t -> !attachedTo(String.valueOf(vpcOf(t.id))).isEmpty())
                .toList();
        if (!reachable.isEmpty() && rnd.nextInt(4) > 0) {
            candidates = reachable;
        }
        associateAddress(p, eip, f.pick(toInstance ? Type.INSTANCE : Type.ENI, p, candidates), toInstance);
    }

    private void associateAddress(Pair p, Arg eip, Arg target, boolean toInstance) {
        boolean reassociate = rnd.nextBoolean();
        var o = f.call("AssociateAddress", () -> ec2(p).associateAddress(b -> {
            b.allocationId(eip.id()).allowReassociation(reassociate);
            if (toInstance) {
                b.instanceId(target.id());
            } else {
                b.networkInterfaceId(target.id());
            }
        }).associationId());
        f.note(p, "AssociateAddress", eip + " " + target + (reassociate ? " reassociate" : ""), o, o.value());
        f.mustHaveOwned(p, "AssociateAddress", o, eip, target);
        if (!o.ok()) {
            return;
        }
        if (toInstance && target.res().get("state").equals("terminated")) {
            throw new Violation("AssociateAddress associated " + eip.res() + " with " + target.res());
        }
        String current = target(eip.res());
        if (!current.equals("-") && !current.equals(target.id())) {
            if (model.get(current).type == Type.NAT) {
                throw new Violation("AssociateAddress moved " + eip.res() + " away from its NAT gateway");
            }
            if (!reassociate) {
                throw new Violation("AssociateAddress moved " + eip.res() + " without AllowReassociation");
            }
        }
        String vpc = vpcOf(target.id());
        // The gateway is the VPC owner's: a participant's instance in a shared VPC uses the owner's.
        if (model.live(Type.IGW).stream().noneMatch(g -> String.valueOf(vpc).equals(g.get("vpc")))) {
            throw new Violation("AssociateAddress associated " + eip.res() + " in " + vpc
                    + ", which has no internet gateway");
        }
        // The private address the association takes had at most one Elastic IP: the one it had goes.
        for (Res other : model.live(Type.EIP, p)) {
            if (other != eip.res() && target(other).equals(target.id())) {
                other.with("target", "-");
            }
        }
        eip.res().with("target", target.id()).with("association", o.value());
    }

    private void disassociateAddress(Pair p) {
        List<Res> associated = model.live(Type.EIP).stream().filter(e -> e.get("association") != null).toList();
        Res eip = associated.isEmpty() || rnd.nextInt(10) == 0 ? null
                : associated.get(rnd.nextInt(associated.size()));
        String association = eip == null ? "eipassoc-" + f.hex(17) : eip.get("association");
        var o = f.call("DisassociateAddress", () -> ec2(p).disassociateAddress(b -> b.associationId(association)));
        f.note(p, "DisassociateAddress", association + (eip == null ? "" : " of " + eip.id), o, null);
        if (!o.ok()) {
            return;
        }
        if (eip == null || !eip.pair.equals(p) || eip.deleted || !association.equals(eip.get("association"))
                || target(eip).equals("-")) {
            throw new Violation("DisassociateAddress by " + p + " succeeded for " + association + " "
                    + (eip == null ? "(unknown)" : eip));
        }
        eip.with("target", "-");
    }

    /** Called by the fuzzer's CreateNatGateway: a public gateway takes a free address of the caller. */
    void natGatewayCreated(Pair p, Arg eip, String natId) {
        if (eip.kind() != Kind.OWN) {
            throw new Violation("CreateNatGateway by " + p + " took the " + eip.kind() + " address " + eip.id());
        }
        if (!target(eip.res()).equals("-")) {
            throw new Violation("CreateNatGateway took " + eip.res() + ", which was associated");
        }
        eip.res().with("target", natId).fields.remove("association");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internet and egress-only gateways

    private void createInternetGateway(Pair p) {
        var o = f.call("CreateInternetGateway", () -> ec2(p).createInternetGateway().internetGateway());
        f.note(p, "CreateInternetGateway", "", o, o.ok() ? o.value().internetGatewayId() : null);
        if (o.ok()) {
            model.add(Type.IGW, o.value().internetGatewayId(), p, false).with("vpc", "-");
        }
    }

    private List<Res> attachedTo(String vpc) {
        return model.liveWhere(Type.IGW, "vpc", vpc);
    }

    private void attachInternetGateway(Pair p) {
        List<Res> detached = model.live(Type.IGW, p).stream().filter(g -> g.get("vpc").equals("-")).toList();
        Arg igw = f.pick(Type.IGW, p, detached.isEmpty() || rnd.nextInt(4) == 0 ? model.live(Type.IGW, p) : detached);
        List<Res> without = model.live(Type.VPC, p).stream().filter(v -> attachedTo(v.id).isEmpty()).toList();
        Arg vpc = f.pick(Type.VPC, p, without.isEmpty() || rnd.nextInt(4) == 0 ? model.live(Type.VPC, p) : without);
        attachInternetGateway(p, igw, vpc);
    }

    private void attachInternetGateway(Pair p, Arg igw, Arg vpc) {
        var o = f.call("AttachInternetGateway", () -> ec2(p).attachInternetGateway(b -> b
                .internetGatewayId(igw.id()).vpcId(vpc.id())));
        f.note(p, "AttachInternetGateway", igw + " " + vpc, o, null);
        f.mustHaveOwned(p, "AttachInternetGateway", o, igw, vpc);
        if (o.ok()) {
            if (!igw.res().get("vpc").equals("-") || !attachedTo(vpc.id()).isEmpty()) {
                throw new Violation("AttachInternetGateway attached " + igw.res() + " to " + vpc.res()
                        + ", which has " + attachedTo(vpc.id()));
            }
            igw.res().with("vpc", vpc.id());
        }
    }

    private void detachInternetGateway(Pair p) {
        Arg igw = f.pick(Type.IGW, p);
        String attached = igw.res() == null ? null : igw.res().get("vpc");
        Arg vpc = attached != null && !attached.equals("-") && rnd.nextInt(5) > 0
                ? new Arg(attached, model.get(attached), igw.kind()) : f.pick(Type.VPC, p);
        var o = f.call("DetachInternetGateway", () -> ec2(p).detachInternetGateway(b -> b
                .internetGatewayId(igw.id()).vpcId(vpc.id())));
        f.note(p, "DetachInternetGateway", igw + " " + vpc, o, null);
        f.mustHaveOwned(p, "DetachInternetGateway", o, igw, vpc);
        if (!o.ok()) {
            return;
        }
        if (!vpc.id().equals(attached)) {
            throw new Violation("DetachInternetGateway detached " + igw.res() + " from " + vpc.id());
        }
        for (Res eip : model.live(Type.EIP)) { // Participants' addresses in a shared VPC count too.
            String t = target(eip);
            if (!t.equals("-") && vpc.id().equals(vpcOf(t))) {
                throw new Violation("DetachInternetGateway detached " + igw.res() + " while " + eip
                        + " maps a public address in " + vpc.id());
            }
        }
        igw.res().with("vpc", "-");
    }

    private void deleteInternetGateway(Pair p) {
        Arg igw = f.pick(Type.IGW, p);
        var o = f.call("DeleteInternetGateway", () -> ec2(p).deleteInternetGateway(b -> b
                .internetGatewayId(igw.id())));
        f.note(p, "DeleteInternetGateway", igw.toString(), o, null);
        f.mustHaveOwned(p, "DeleteInternetGateway", o, igw);
        if (o.ok()) {
            if (!igw.res().get("vpc").equals("-")) {
                throw new Violation("DeleteInternetGateway deleted the attached " + igw.res());
            }
            model.delete(igw.id());
        }
    }

    private void createEgressOnlyGateway(Pair p) {
        Arg vpc = f.pick(Type.VPC, p);
        var o = f.call("CreateEgressOnlyInternetGateway", () -> ec2(p).createEgressOnlyInternetGateway(b -> b
                .vpcId(vpc.id())).egressOnlyInternetGateway());
        f.note(p, "CreateEgressOnlyInternetGateway", vpc.toString(), o,
                o.ok() ? o.value().egressOnlyInternetGatewayId() : null);
        f.mustHaveOwned(p, "CreateEgressOnlyInternetGateway", o, vpc);
        if (o.ok()) {
            if (!model.liveWhere(Type.EIGW, "vpc", vpc.id()).isEmpty()) {
                throw new Violation("CreateEgressOnlyInternetGateway gave " + vpc.res() + " a second gateway");
            }
            model.add(Type.EIGW, o.value().egressOnlyInternetGatewayId(), p, false).with("vpc", vpc.id());
        }
    }

    private void deleteEgressOnlyGateway(Pair p) {
        Arg eigw = f.pick(Type.EIGW, p);
        var o = f.call("DeleteEgressOnlyInternetGateway", () -> ec2(p).deleteEgressOnlyInternetGateway(b -> b
                .egressOnlyInternetGatewayId(eigw.id())).returnCode());
        f.note(p, "DeleteEgressOnlyInternetGateway", eigw.toString(), o, String.valueOf(o.value()));
        f.mustHaveOwned(p, "DeleteEgressOnlyInternetGateway", o, eigw);
        if (o.ok()) {
            model.delete(eigw.id());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // DHCP options

    private void createDhcpOptions(Pair p) {
        String domain = rnd.nextInt(8) == 0 ? "" : "corp" + rnd.nextInt(3) + ".example";
        List<NewDhcpConfiguration> config = new ArrayList<>();
        config.add(NewDhcpConfiguration.builder().key(rnd.nextInt(10) == 0 ? "colour" : "domain-name")
                .values(domain).build());
        if (rnd.nextBoolean()) {
            config.add(NewDhcpConfiguration.builder().key("domain-name-servers")
                    .values(rnd.nextInt(6) == 0 ? "not-an-ip" : "AmazonProvidedDNS").build());
        }
        var o = f.call("CreateDhcpOptions", () -> ec2(p).createDhcpOptions(b -> b.dhcpConfigurations(config))
                .dhcpOptions());
        String args = config.stream().map(c -> c.key() + "=" + c.values()).toList().toString();
        f.note(p, "CreateDhcpOptions", args, o, o.ok() ? o.value().dhcpOptionsId() : null);
        if (o.ok()) {
            if (domain.isEmpty() || args.contains("colour") || args.contains("not-an-ip")) {
                throw new Violation("CreateDhcpOptions accepted " + args);
            }
            model.add(Type.DHCP, o.value().dhcpOptionsId(), p, false);
        }
    }

    private void associateDhcpOptions(Pair p) {
        Arg set = rnd.nextInt(5) == 0 ? new Arg("default", null, Kind.OWN) : f.pick(Type.DHCP, p);
        Arg vpc = f.pick(Type.VPC, p);
        var o = f.call("AssociateDhcpOptions", () -> ec2(p).associateDhcpOptions(b -> b
                .dhcpOptionsId(set.id()).vpcId(vpc.id())));
        f.note(p, "AssociateDhcpOptions", set + " " + vpc, o, null);
        f.mustHaveOwned(p, "AssociateDhcpOptions", o, set, vpc);
        if (o.ok()) {
            vpc.res().with("dhcp", set.id());
        }
    }

    private void deleteDhcpOptions(Pair p) {
        Arg set = f.pick(Type.DHCP, p);
        var o = f.call("DeleteDhcpOptions", () -> ec2(p).deleteDhcpOptions(b -> b.dhcpOptionsId(set.id())));
        f.note(p, "DeleteDhcpOptions", set.toString(), o, null);
        f.mustHaveOwned(p, "DeleteDhcpOptions", o, set);
        if (o.ok()) {
            List<Res> users = model.liveWhere(Type.VPC, "dhcp", set.id());
            if (!users.isEmpty()) {
                throw new Violation("DeleteDhcpOptions deleted " + set.res() + ", in use by " + users);
            }
            model.delete(set.id());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Flow logs

    /** AWS's default record format, which DescribeFlowLogs shows for a flow log made without one. */
    static final String DEFAULT_FORMAT = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} "
            + "${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";
    /** Fields of a flow log record (VPC flow log records documentation, versions 2 to 8). */
    private static final List<String> FIELDS = List.of("version", "account-id", "interface-id", "srcaddr",
            "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status",
            "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr", "region",
            "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service",
            "flow-direction", "traffic-path", "ecs-cluster-name", "ecs-task-id", "reject-reason");

    /** A LogFormat (null: none given) and whether AWS takes it. */
    private record Format(String text, NlbSteps.Expect expect) {}

    private Format format() {
        List<String> fields = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(6); i > 0; i--) {
            fields.add(FIELDS.get(rnd.nextInt(FIELDS.size())));
        }
        String valid = fields.stream().distinct().map(x -> "${" + x + "}").collect(Collectors.joining(" "));
        return switch (rnd.nextInt(14)) {
            case 0, 1, 2, 3 -> new Format(null, NlbSteps.Expect.OK);
            case 4, 5, 6 -> new Format(valid, NlbSteps.Expect.OK);
            case 7 -> new Format(valid + " ${colour}", NlbSteps.Expect.FAIL);
            case 8 -> new Format(valid + " ", NlbSteps.Expect.FAIL);
            case 9 -> new Format(List.of("${version", "${version} ${srcaddr", "${}", "$version", "version srcaddr",
                    "${version}}", "${srcaddr} {dstaddr}", "${ecs-cluster-name ${version}").get(rnd.nextInt(8)),
                    NlbSteps.Expect.FAIL);
            case 10 -> new Format("", NlbSteps.Expect.EITHER); // An empty LogFormat: refused, or the default.
            case 11 -> new Format(valid.replace(" ", "  "), valid.contains(" ") ? NlbSteps.Expect.EITHER
                    : NlbSteps.Expect.OK);
            case 12 -> new Format("${VERSION}", NlbSteps.Expect.EITHER);
            default -> new Format("${version}${srcaddr}", NlbSteps.Expect.EITHER);
        };
    }

    private void createFlowLogs(Pair p) {
        int kind = rnd.nextInt(3);
        Type type = kind == 0 ? Type.VPC : kind == 1 ? Type.SUBNET : Type.ENI;
        String resourceType = kind == 0 ? "VPC" : kind == 1 ? "Subnet" : "NetworkInterface";
        List<Arg> resources = new ArrayList<>(List.of(f.pick(type, p)));
        if (rnd.nextInt(4) == 0) {
            resources.add(f.pick(type, p));
        }
        Format format = format();
        String traffic = List.of("ALL", "ACCEPT", "REJECT").get(rnd.nextInt(3));
        String destination = rnd.nextInt(12) == 0 ? "arn:aws:s3:::bucket/AWSLogs"
                : "arn:aws:s3:::flow-bucket-" + rnd.nextInt(2);
        List<String> ids = resources.stream().map(Arg::id).distinct().toList();
        var o = f.call("CreateFlowLogs", () -> ec2(p).createFlowLogs(b -> b.resourceType(resourceType)
                .resourceIds(ids).trafficType(traffic).logDestinationType("s3").logDestination(destination)
                .logFormat(format.text())));
        f.note(p, "CreateFlowLogs", resourceType + " " + Fuzzer.ids(resources) + " " + traffic + " " + destination
                + (format.text() == null ? "" : " '" + format.text() + "'"), o,
                o.ok() ? o.value().flowLogIds() + " "
                        + Fuzzer.failures(o.value().unsuccessful()) : null);
        if (!o.ok()) {
            return;
        }
        if (format.expect() == NlbSteps.Expect.FAIL || destination.endsWith("AWSLogs")) {
            throw new Violation("CreateFlowLogs accepted format '" + format.text() + "' to " + destination);
        }
        f.foreignItemsFailed(p, "CreateFlowLogs", resources, o.value().unsuccessful());
        Set<String> failed = o.value().unsuccessful().stream().map(UnsuccessfulItem::resourceId)
                .collect(Collectors.toSet());
        List<String> made = ids.stream().filter(id -> !failed.contains(Fuzzer.asXmlReadsIt(id))).toList();
        if (made.size() != o.value().flowLogIds().size()) {
            throw new Violation("CreateFlowLogs made " + o.value().flowLogIds() + " for " + made);
        }
        // What DescribeFlowLogs must show as the format: the one given, AWS's default without one, and for a
        // format AWS's documentation leaves open ("?") whatever the server answers, the same after a restart.
        String shown = format.text() == null ? DEFAULT_FORMAT
                : format.expect() == NlbSteps.Expect.OK ? format.text() : "?";
        for (int i = 0; i < made.size(); i++) {
            model.add(Type.FLOW_LOG, o.value().flowLogIds().get(i), p, false).with("resource", made.get(i))
                    .with("traffic", traffic).with("destination", destination).with("format", shown);
        }
    }

    private void deleteFlowLogs(Pair p) {
        List<Arg> logs = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
            logs.add(f.pick(Type.FLOW_LOG, p, liveFlowLogs(p)));
        }
        List<String> ids = logs.stream().map(Arg::id).distinct().toList();
        var o = f.call("DeleteFlowLogs", () -> ec2(p).deleteFlowLogs(b -> b.flowLogIds(ids)).unsuccessful());
        f.note(p, "DeleteFlowLogs", Fuzzer.ids(logs), o, o.ok() ? Fuzzer.failures(o.value()) : null);
        if (!o.ok()) {
            return;
        }
        List<Arg> notLive = logs.stream().filter(a -> a.res() == null || !liveFlowLogs(p).contains(a.res()))
                .map(a -> new Arg(a.id(), a.res(), a.kind() == Kind.OWN ? Kind.DELETED : a.kind())).toList();
        f.foreignItemsFailed(p, "DeleteFlowLogs", notLive, o.value());
        Set<String> failed = o.value().stream().map(UnsuccessfulItem::resourceId).collect(Collectors.toSet());
        ids.stream().filter(id -> !failed.contains(Fuzzer.asXmlReadsIt(id))).forEach(model::delete);
    }

    /** The caller's flow logs whose resource still exists (the others went with it). */
    private List<Res> liveFlowLogs(Pair p) {
        return model.live(Type.FLOW_LOG, p).stream().filter(l -> {
            Res r = model.get(l.get("resource"));
            return r != null && !r.deleted;
        }).toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // VPC peering

    private static boolean overlaps(String a, String b) {
        long[] x = range(a);
        long[] y = range(b);
        return x[0] <= y[1] && y[0] <= x[1];
    }

    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        long ip = 0;
        for (String octet : parts[0].split("\\.")) {
            ip = ip * 256 + Long.parseLong(octet);
        }
        long size = 1L << (32 - Integer.parseInt(parts[1]));
        long start = ip & ~(size - 1);
        return new long[] {start, start + size - 1};
    }

    private static Pair pair(String text) {
        String[] parts = text.split("/");
        return new Pair(parts[0], parts[1]);
    }

    private void createPeering(Pair p) {
        Arg vpc = f.pick(Type.VPC, p);
        List<Res> anyVpc = new ArrayList<>(model.live(Type.VPC));
        anyVpc.addAll(model.deleted(Type.VPC));
        Res peer = anyVpc.isEmpty() ? null : anyVpc.get(rnd.nextInt(anyVpc.size()));
        String peerVpc = peer == null ? "vpc-" + f.hex(17) : peer.id;
        Pair peerPair = peer == null || rnd.nextInt(10) == 0
                ? new Pair(Fuzzer.ACCOUNTS.get(rnd.nextInt(3)), Fuzzer.REGIONS.get(rnd.nextInt(2))) : peer.pair;
        boolean sendRegion = !peerPair.region().equals(p.region()) || rnd.nextBoolean();
        var o = f.call("CreateVpcPeeringConnection", () -> ec2(p).createVpcPeeringConnection(b -> {
            b.vpcId(vpc.id()).peerVpcId(peerVpc).peerOwnerId(peerPair.account());
            if (sendRegion) {
                b.peerRegion(peerPair.region());
            }
        }).vpcPeeringConnection());
        f.note(p, "CreateVpcPeeringConnection", vpc + " -> " + peerVpc + " of " + peerPair, o,
                o.ok() ? o.value().vpcPeeringConnectionId() + " " + o.value().status().codeAsString() : null);
        f.mustHaveOwned(p, "CreateVpcPeeringConnection", o, vpc);
        if (!o.ok()) {
            return;
        }
        boolean valid = peer != null && !peer.deleted && peer.pair.equals(peerPair)
                && !overlaps(vpc.res().get("cidr"), peer.get("cidr"));
        String status = valid ? "pending-acceptance" : "failed";
        // AWS answers initiating-request; where the request goes (pending acceptance, or failed) Describe shows.
        if (!o.value().status().codeAsString().equals("initiating-request")) {
            throw new Violation("CreateVpcPeeringConnection from " + vpc.res() + " to " + peerVpc + " of "
                    + peerPair + " answered " + status + (peer == null ? "" : " (peer " + peer + ")"));
        }
        model.add(Type.PCX, o.value().vpcPeeringConnectionId(), p, false).with("status", status)
                .with("requester", p.toString()).with("accepter", peerPair.toString())
                .with("requesterVpc", vpc.id()).with("accepterVpc", peerVpc);
    }

    /** The caller's side of a connection: requester, accepter (both for one within an account and region), none. */
    private static boolean isRequester(Res pcx, Pair p) {
        return pcx.get("requester").equals(p.toString());
    }

    private static boolean isAccepter(Res pcx, Pair p) {
        return pcx.get("accepter").equals(p.toString());
    }

    /** The connections the caller sees: its side's, except failed requests, which only the requester sees. */
    private List<Res> visiblePeerings(Pair p) {
        return model.live(Type.PCX).stream().filter(c -> isRequester(c, p)
                || isAccepter(c, p) && !c.get("status").equals("failed")).toList();
    }

    private Arg pickPeering(Pair p) {
        Arg a = f.pick(Type.PCX, p, visiblePeerings(p));
        if (a.res() != null && visiblePeerings(p).contains(a.res())) {
            return new Arg(a.id(), a.res(), Kind.OWN); // Either side acts on a connection it sees.
        }
        return a.kind() == Kind.OWN ? new Arg(a.id(), a.res(), Kind.FOREIGN) : a;
    }

    private void decidePeering(Pair caller) {
        List<Res> pending = model.live(Type.PCX).stream().filter(c -> c.get("status").equals("pending-acceptance"))
                .toList();
        // Often the accepter of a waiting request decides, so that connections become active.
        Pair p = pending.isEmpty() || rnd.nextBoolean() ? caller
                : pair(pending.get(rnd.nextInt(pending.size())).get("accepter"));
        Arg pcx = pickPeering(p);
        boolean accept = rnd.nextInt(3) > 0;
        String action = accept ? "AcceptVpcPeeringConnection" : "RejectVpcPeeringConnection";
        var o = f.call(action, () -> accept
                ? ec2(p).acceptVpcPeeringConnection(b -> b.vpcPeeringConnectionId(pcx.id())).vpcPeeringConnection()
                        .status().codeAsString()
                : String.valueOf(ec2(p).rejectVpcPeeringConnection(b -> b.vpcPeeringConnectionId(pcx.id()))
                        .returnValue()));
        f.note(p, action, pcx.toString(), o, o.value());
        f.mustHaveOwned(p, action, o, pcx);
        if (!o.ok()) {
            return;
        }
        if (!isAccepter(pcx.res(), p) || !pcx.res().get("status").equals("pending-acceptance")) {
            throw new Violation(action + " by " + p + " succeeded on " + pcx.res());
        }
        pcx.res().with("status", accept ? "active" : "rejected");
    }

    private void deletePeering(Pair p) {
        Arg pcx = pickPeering(p);
        var o = f.call("DeleteVpcPeeringConnection", () -> ec2(p).deleteVpcPeeringConnection(b -> b
                .vpcPeeringConnectionId(pcx.id())).returnValue());
        f.note(p, "DeleteVpcPeeringConnection", pcx.toString(), o, null);
        f.mustHaveOwned(p, "DeleteVpcPeeringConnection", o, pcx);
        if (!o.ok()) {
            return;
        }
        String status = pcx.res().get("status");
        boolean allowed = status.equals("active") || status.equals("pending-acceptance")
                && pcx.res().get("requester").startsWith(p.account() + "/");
        if (!allowed) {
            throw new Violation("DeleteVpcPeeringConnection by " + p + " deleted " + pcx.res());
        }
        pcx.res().with("status", "deleted");
    }

    private void modifyPeeringOptions(Pair p) {
        Arg pcx = pickPeering(p);
        boolean requesterSide = rnd.nextBoolean();
        boolean value = rnd.nextBoolean();
        var o = f.call("ModifyVpcPeeringConnectionOptions", () -> ec2(p).modifyVpcPeeringConnectionOptions(b -> {
            b.vpcPeeringConnectionId(pcx.id());
            if (requesterSide) {
                b.requesterPeeringConnectionOptions(x -> x.allowDnsResolutionFromRemoteVpc(value));
            } else {
                b.accepterPeeringConnectionOptions(x -> x.allowDnsResolutionFromRemoteVpc(value));
            }
        }));
        f.note(p, "ModifyVpcPeeringConnectionOptions", pcx + (requesterSide ? " requester" : " accepter") + "="
                + value, o, null);
        f.mustHaveOwned(p, "ModifyVpcPeeringConnectionOptions", o, pcx);
        if (!o.ok()) {
            return;
        }
        if (!pcx.res().get("status").equals("active")
                || !(requesterSide ? isRequester(pcx.res(), p) : isAccepter(pcx.res(), p))) {
            throw new Violation("ModifyVpcPeeringConnectionOptions by " + p + " changed the "
                    + (requesterSide ? "requester" : "accepter") + " side of " + pcx.res());
        }
        pcx.res().with(requesterSide ? "requesterDns" : "accepterDns", String.valueOf(value));
    }

    private void routeToPeering(Pair caller) {
        List<Res> active = model.live(Type.PCX).stream().filter(c -> c.get("status").equals("active")).toList();
        Res chosen = active.isEmpty() || rnd.nextInt(4) == 0 ? null : active.get(rnd.nextInt(active.size()));
        Pair p = chosen == null ? caller : pair(chosen.get(rnd.nextBoolean() ? "requester" : "accepter"));
        Arg pcx = chosen != null ? new Arg(chosen.id, chosen, Kind.OWN) : pickPeering(p);
        Res c = pcx.res();
        String ownVpc = c == null ? null : isRequester(c, p) ? c.get("requesterVpc") : c.get("accepterVpc");
        String peerVpc = c == null ? null : isRequester(c, p) ? c.get("accepterVpc") : c.get("requesterVpc");
        List<Res> tables = ownVpc == null ? List.of() : model.liveWhere(Type.ROUTE_TABLE, "vpc", ownVpc);
        Arg table = f.pick(Type.ROUTE_TABLE, p, tables);
        Res peer = peerVpc == null ? null : model.get(peerVpc);
        String destination = peer != null && rnd.nextInt(4) > 0 ? peer.get("cidr")
                : "10." + (100 + rnd.nextInt(50)) + ".0.0/16";
        var o = f.call("CreateRoute", () -> ec2(p).createRoute(b -> b.routeTableId(table.id())
                .destinationCidrBlock(destination).vpcPeeringConnectionId(pcx.id())).returnValue());
        f.note(p, "CreateRoute", table + " " + destination + " -> " + pcx, o, null);
        f.mustHaveOwned(p, "CreateRoute", o, table, pcx);
        if (o.ok()) {
            String tableVpc = table.res().get("vpc");
            if (!c.get("status").equals("active") || !tableVpc.equals(c.get("requesterVpc"))
                    && !tableVpc.equals(c.get("accepterVpc"))) {
                throw new Violation("CreateRoute in " + table.res() + " to " + c);
            }
        }
    }

    /**
     * ReplaceRoute on a table's local route (the VPC's primary block): towards a network interface (a middlebox,
     * mostly one in the table's VPC, now and then anyone's or a made-up one), or back to {@code local}. Whatever
     * happens, the local route stays in the table (the route-table check holds that), and only the caller's own table
     * and interface can be used.
     */
    void replaceLocalRoute(Pair p) {
        // Mostly a table whose VPC has one of the caller's interfaces, so that the middlebox route can be made.
        List<Res> own = model.live(Type.ROUTE_TABLE, p);
        List<Res> vpcs = model.live(Type.VPC, p);
        if (own.isEmpty() && !vpcs.isEmpty()) {
            // The main tables come with the VPCs; learn one as the route-table check would.
            String vpcId = vpcs.get(rnd.nextInt(vpcs.size())).id;
            for (RouteTable t : f.read("DescribeRouteTables", () -> ec2(p).describeRouteTables(b -> b.filters(
                    fl -> fl.name("vpc-id").values(vpcId))).routeTables())) {
                if (t.ownerId().equals(p.account()) && !model.knows(t.routeTableId())) {
                    model.add(Type.ROUTE_TABLE, t.routeTableId(), p, true).with("vpc", t.vpcId());
                }
            }
            own = model.live(Type.ROUTE_TABLE, p);
        }
        List<Res> withEni = own.stream().filter(t -> !interfacesIn(p, t.get("vpc")).isEmpty()).toList();
        Arg table = f.pick(Type.ROUTE_TABLE, p, !withEni.isEmpty() && rnd.nextInt(4) > 0 ? withEni : own);
        Res vpc = table.res() == null ? null : model.get(table.res().get("vpc"));
        if (vpc != null && vpc.get("ipv6") == null && rnd.nextInt(4) == 0) {
            associateIpv6(p, vpc);
        }
        boolean ipv6 = vpc != null && vpc.get("ipv6") != null && rnd.nextBoolean();
        String cidr = vpc != null && rnd.nextInt(6) > 0 ? vpc.get(ipv6 ? "ipv6" : "cidr")
                : ipv6 ? "2600:1f18:" + hex4() + ":" + hex4() + "::/56" : "10." + rnd.nextInt(256) + ".0.0/16";
        boolean toLocal = rnd.nextInt(3) == 0;
        Arg eni = toLocal ? null : f.pick(Type.ENI, p, vpc == null ? List.of() : interfacesIn(p, vpc.id));
        var o = f.call("ReplaceRoute", () -> ec2(p).replaceRoute(b -> {
            b.routeTableId(table.id());
            if (ipv6) {
                b.destinationIpv6CidrBlock(cidr);
            } else {
                b.destinationCidrBlock(cidr);
            }
            if (toLocal) {
                b.localTarget(true);
            } else {
                b.networkInterfaceId(eni.id());
            }
        }));
        f.note(p, "ReplaceRoute", table + " " + cidr + " -> " + (toLocal ? "local" : eni), o, null);
        f.mustHaveOwned(p, "ReplaceRoute", o, table, eni);
    }

    /**
     * An Amazon-provided IPv6 block for {@code vpc}: only its owner may add one, and every table of the VPC then has a
     * local route for it (the route-table check holds that).
     */
    private void associateIpv6(Pair p, Res vpc) {
        Arg arg = Fuzzer.classify(vpc, p);
        var o = f.call("AssociateVpcCidrBlock", () -> ec2(p).associateVpcCidrBlock(b -> b.vpcId(vpc.id)
                .amazonProvidedIpv6CidrBlock(true)).ipv6CidrBlockAssociation());
        f.note(p, "AssociateVpcCidrBlock", arg + " amazon-provided IPv6", o, o.ok() ? o.value().ipv6CidrBlock() : null);
        f.mustHaveOwned(p, "AssociateVpcCidrBlock", o, arg);
        if (o.ok()) {
            // AWS answers while the block is still being allocated (associating, no block yet); Describe has it.
            String block = o.value().ipv6CidrBlock();
            if (block == null || block.isEmpty()) {
                block = f.read("DescribeVpcs", () -> ec2(p).describeVpcs(b -> b.vpcIds(vpc.id)).vpcs()).get(0)
                        .ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
            }
            if (block == null || block.isEmpty()) {
                throw new Violation("DescribeVpcs shows no IPv6 block for " + vpc.id + " after AssociateVpcCidrBlock");
            }
            vpc.with("ipv6", block);
        }
    }

    private String hex4() {
        return Integer.toHexString(rnd.nextInt(0x10000));
    }

    /** The caller's live network interfaces in subnets of {@code vpcId}. */
    private List<Res> interfacesIn(Pair p, String vpcId) {
        return model.live(Type.ENI, p).stream().filter(e -> e.get("subnet") != null
                && model.get(e.get("subnet")) != null && model.get(e.get("subnet")).get("vpc").equals(vpcId)).toList();
    }

    /** What deleting a VPC did to its connections: pending and active ones were deleted with it. */
    void vpcDeleted(Pair p, String vpcId) {
        for (Res c : model.live(Type.PCX)) {
            String status = c.get("status");
            boolean joins = vpcId.equals(c.get("requesterVpc")) || vpcId.equals(c.get("accepterVpc"));
            if (!joins || !(status.equals("active") || status.equals("pending-acceptance"))) {
                continue;
            }
            if (status.equals("pending-acceptance") && vpcId.equals(c.get("accepterVpc"))
                    && !c.get("requester").startsWith(p.account() + "/")) {
                throw new Violation("DeleteVpc " + vpcId + " succeeded while another account's request waits: " + c);
            }
            c.with("status", "deleted");
        }
        for (Type t : List.of(Type.IGW, Type.EIGW)) {
            if (!model.liveWhere(t, "vpc", vpcId).isEmpty()) {
                throw new Violation("DeleteVpc " + vpcId + " succeeded while it still had "
                        + model.liveWhere(t, "vpc", vpcId));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    List<String> check(Check check, Pair p) {
        Ec2Client c = ec2(p);
        String name = "Describe" + check;
        List<String> out = new ArrayList<>();
        switch (check) {
            case ADDRESSES -> {
                List<Address> items = f.read(name, () -> c.describeAddresses().addresses());
                for (Address a : items) {
                    Res res = model.get(a.allocationId());
                    if (res == null || !res.pair.equals(p)) {
                        throw f.leak(p, name, a);
                    }
                    out.add(a.toString());
                    f.field(p, name, res, "ip", a.publicIp());
                    String target = target(res);
                    Res t = target.equals("-") ? null : model.get(target);
                    boolean shown = a.associationId() != null;
                    boolean right = t == null ? !shown : switch (t.type) {
                        case INSTANCE -> shown && t.id.equals(a.instanceId());
                        case ENI -> shown && t.id.equals(a.networkInterfaceId());
                        default -> shown && a.instanceId() == null; // A NAT gateway's own interface.
                    };
                    if (!right) {
                        throw new Violation(name + " by " + p + " shows " + a + " for " + res + " (target "
                                + target + ")");
                    }
                }
                f.sameIds(p, name, items.stream().map(Address::allocationId).collect(Collectors.toSet()),
                        f.liveIds(Type.EIP, p));
            }
            case INTERNET_GATEWAYS -> {
                List<InternetGateway> items = f.read(name, () -> c.describeInternetGateways().internetGateways());
                Set<String> sharedVpcs = f.sharing.sharedVpcs(p);
                for (InternetGateway g : items) {
                    Res res = model.get(g.internetGatewayId());
                    // A participant sees the gateway of a shared VPC (its owner's), read-only.
                    boolean shared = res != null && sharedVpcs.contains(res.get("vpc"))
                            && g.ownerId().equals(res.pair.account());
                    if (!shared && (!g.ownerId().equals(p.account()) || res == null || !res.pair.equals(p))) {
                        throw f.leak(p, name, g);
                    }
                    out.add(g.toString());
                    f.field(p, name, res, "vpc", g.attachments().isEmpty() ? "-" : g.attachments().get(0).vpcId());
                }
                Set<String> expected = f.liveIds(Type.IGW, p);
                model.live(Type.IGW).stream().filter(g -> sharedVpcs.contains(g.get("vpc"))
                        && model.get(g.get("vpc")).pair.equals(g.pair)).forEach(g -> expected.add(g.id));
                f.sameIds(p, name, items.stream().map(InternetGateway::internetGatewayId)
                        .collect(Collectors.toSet()), expected);
            }
            case EGRESS_ONLY_GATEWAYS -> {
                List<EgressOnlyInternetGateway> items = f.read(name, () -> c.describeEgressOnlyInternetGateways()
                        .egressOnlyInternetGateways());
                Set<String> sharedVpcs = f.sharing.sharedVpcs(p);
                for (EgressOnlyInternetGateway g : items) {
                    Res res = model.get(g.egressOnlyInternetGatewayId());
                    if (res == null || !res.pair.equals(p) && !sharedVpcs.contains(res.get("vpc"))) {
                        throw f.leak(p, name, g);
                    }
                    out.add(g.toString());
                    f.field(p, name, res, "vpc", g.attachments().get(0).vpcId());
                }
                Set<String> expected = f.liveIds(Type.EIGW, p);
                model.live(Type.EIGW).stream().filter(g -> sharedVpcs.contains(g.get("vpc"))
                        && model.get(g.get("vpc")).pair.equals(g.pair)).forEach(g -> expected.add(g.id));
                f.sameIds(p, name, items.stream().map(EgressOnlyInternetGateway::egressOnlyInternetGatewayId)
                        .collect(Collectors.toSet()), expected);
            }
            case DHCP_OPTIONS -> {
                List<DhcpOptions> items = f.read(name, () -> c.describeDhcpOptions().dhcpOptions());
                Set<String> listed = new TreeSet<>();
                for (DhcpOptions d : items) {
                    if (!d.ownerId().equals(p.account())) {
                        throw f.leak(p, name, d);
                    }
                    Res res = model.get(d.dhcpOptionsId());
                    if (res == null) {
                        // The region's default set, made by the server when a VPC first needed it.
                        res = model.add(Type.DHCP, d.dhcpOptionsId(), p, true);
                    }
                    if (!res.pair.equals(p) || res.deleted) {
                        throw f.leak(p, name, d);
                    }
                    listed.add(d.dhcpOptionsId());
                    out.add(d.toString());
                }
                Set<String> created = model.live(Type.DHCP, p).stream().filter(r -> !r.implicit).map(r -> r.id)
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!listed.containsAll(created)) {
                    created.removeAll(listed);
                    throw new Violation(name + " by " + p + " lost " + created);
                }
                for (Res implicit : model.live(Type.DHCP, p)) {
                    if (implicit.implicit && !listed.contains(implicit.id)) {
                        model.delete(implicit.id); // Deleted while no VPC used it; a new one comes when needed.
                    }
                }
                for (Vpc v : f.read("DescribeVpcs", () -> c.describeVpcs().vpcs())) {
                    Res vpc = model.get(v.vpcId());
                    if (vpc == null) {
                        throw f.leak(p, "DescribeVpcs", v);
                    }
                    if (!vpc.pair.equals(p)) {
                        continue; // A shared VPC: its options set is its owner's (the VPCS check has the rest).
                    }
                    if (!v.dhcpOptionsId().equals("default") && !listed.contains(v.dhcpOptionsId())) {
                        throw new Violation("DescribeVpcs by " + p + ": " + v.vpcId() + " uses the options set "
                                + v.dhcpOptionsId() + ", which DescribeDhcpOptions does not list");
                    }
                    if (vpc.get("dhcp") == null) {
                        vpc.with("dhcp", v.dhcpOptionsId());
                    }
                    f.field(p, "DescribeVpcs", vpc, "dhcp", v.dhcpOptionsId());
                }
            }
            case FLOW_LOGS -> {
                List<FlowLog> items = f.read(name, () -> c.describeFlowLogs().flowLogs());
                for (FlowLog l : items) {
                    Res res = model.get(l.flowLogId());
                    if (res == null || !res.pair.equals(p)) {
                        throw f.leak(p, name, l);
                    }
                    out.add(l.toString());
                    f.field(p, name, res, "resource", l.resourceId());
                    f.field(p, name, res, "traffic", l.trafficTypeAsString());
                    f.field(p, name, res, "destination", l.logDestination());
                    if (res.get("format") != null && !res.get("format").equals("?")) {
                        f.field(p, name, res, "format", l.logFormat());
                    }
                }
                f.sameIds(p, name, items.stream().map(FlowLog::flowLogId).collect(Collectors.toSet()),
                        liveFlowLogs(p).stream().map(r -> r.id).collect(Collectors.toSet()));
            }
            case PEERINGS -> {
                List<VpcPeeringConnection> items = f.read(name, () -> c.describeVpcPeeringConnections()
                        .vpcPeeringConnections());
                for (VpcPeeringConnection k : items) {
                    Res res = model.get(k.vpcPeeringConnectionId());
                    if (res == null || !visiblePeerings(p).contains(res)) {
                        throw f.leak(p, name, k);
                    }
                    out.add(k.toString());
                    f.field(p, name, res, "status", k.status().codeAsString());
                    f.field(p, name, res, "requesterVpc", k.requesterVpcInfo().vpcId());
                    f.field(p, name, res, "accepterVpc", k.accepterVpcInfo().vpcId());
                    if (res.get("requesterDns") != null && k.requesterVpcInfo().peeringOptions() != null) {
                        f.field(p, name, res, "requesterDns", String.valueOf(k.requesterVpcInfo().peeringOptions()
                                .allowDnsResolutionFromRemoteVpc()));
                    }
                    if (res.get("accepterDns") != null && k.accepterVpcInfo().peeringOptions() != null) {
                        f.field(p, name, res, "accepterDns", String.valueOf(k.accepterVpcInfo().peeringOptions()
                                .allowDnsResolutionFromRemoteVpc()));
                    }
                }
                f.sameIds(p, name, items.stream().map(VpcPeeringConnection::vpcPeeringConnectionId)
                        .collect(Collectors.toSet()),
                        visiblePeerings(p).stream().map(r -> r.id)
                                .collect(Collectors.toCollection(HashSet::new)));
                for (RouteTable t : f.read("DescribeRouteTables", () -> c.describeRouteTables().routeTables())) {
                    for (Route route : t.routes()) {
                        String id = route.vpcPeeringConnectionId();
                        if (id == null) {
                            continue;
                        }
                        Res pcx = model.get(id);
                        String expected = pcx != null && pcx.get("status").equals("active") ? "active" : "blackhole";
                        if (pcx == null || !t.vpcId().equals(pcx.get("requesterVpc"))
                                && !t.vpcId().equals(pcx.get("accepterVpc"))
                                || !route.stateAsString().equals(expected)) {
                            throw new Violation("DescribeRouteTables by " + p + ": " + t.routeTableId() + " has "
                                    + route + " through " + (pcx == null ? id : pcx));
                        }
                        out.add(t.routeTableId() + " " + route);
                    }
                }
            }
            default -> throw new IllegalStateException(check.toString());
        }
        return out;
    }
}
