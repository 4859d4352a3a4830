package dev.underpass.server.fuzz;

import dev.underpass.server.fuzz.Fuzzer.Arg;
import dev.underpass.server.fuzz.Fuzzer.Kind;
import dev.underpass.server.fuzz.Fuzzer.Outcome;
import dev.underpass.server.fuzz.Fuzzer.Violation;
import dev.underpass.server.fuzz.Model.Pair;
import dev.underpass.server.fuzz.Model.Res;
import dev.underpass.server.fuzz.Model.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ram.model.Resource;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;

/**
 * Shared VPCs in the stateful fuzzer: an organization of the first two accounts (the third joins in half the
 * sequences, else stays outside), RAM shares of subnets and prefix lists created, changed and deleted by their
 * owners, invitations to the outside account accepted or rejected, and participants launching instances, interfaces
 * and groups in shared subnets (and being refused the owner's default group and VPC endpoints there), while owners
 * are refused changing participants' resources.
 *
 * <p>The model of shares here ({@link Share}, {@link Invitation}) records only what the server acknowledged; from it
 * {@link #sharedWith} says which subnets and prefix lists each account and region must see, and the fuzzer's
 * Describe checks use it for visibility: a participant sees shared subnets, their VPCs and the VPC's route tables,
 * ACLs and gateways; an owner sees participants' interfaces and groups in its VPCs; nobody else sees any of it.
 * {@link Check}s compare RAM's own views (shares, resources shared with the caller, invitations, prefix lists) with
 * the model, and join every sweep, so a restart or a kill -9 must load the shares exactly.
 */
final class SharingSteps {
    enum Check { SHARES, SHARED_RESOURCES, INVITATIONS, PREFIX_LISTS }

    static final String MANAGEMENT = Fuzzer.ACCOUNTS.get(0);
    static final String MEMBER = Fuzzer.ACCOUNTS.get(1);
    static final String THIRD = Fuzzer.ACCOUNTS.get(2);
    static final String ASSOCIATED = "ASSOCIATED";
    static final String ASSOCIATING = "ASSOCIATING";

    /** A resource share as acknowledged: its resources (ids) and principals with their association status. */
    static final class Share {
        final String arn;
        final Pair owner;
        boolean active = true;
        final Set<String> resources = new LinkedHashSet<>();
        final Map<String, String> principals = new LinkedHashMap<>();

        Share(String arn, Pair owner) {
            this.arn = arn;
            this.owner = owner;
        }

        @Override
        public String toString() {
            return arn + " of " + owner + (active ? "" : " (deleted)") + " " + resources + " " + principals;
        }
    }

    /** An invitation to an account outside the owner's organization. */
    static final class Invitation {
        final Share share;
        final String receiver;
        String status = "PENDING";

        Invitation(Share share, String receiver) {
            this.share = share;
            this.receiver = receiver;
        }

        Pair receiverPair() {
            return new Pair(receiver, share.owner.region());
        }
    }

    private final Fuzzer f;
    private final Model model;
    private final Random rnd;
    private final Map<Pair, RamClient> ram = new HashMap<>();
    private final Map<String, OrganizationsClient> orgs = new HashMap<>();
    final List<Share> shares = new ArrayList<>();
    final List<Invitation> invitations = new ArrayList<>();
    private boolean enabled;
    private boolean thirdInOrg;
    private String orgArn;

    SharingSteps(Fuzzer f) {
        this.f = f;
        this.model = f.model;
        this.rnd = f.rnd;
    }

    void connect(URI endpoint) {
        close();
        for (Pair p : Fuzzer.pairs()) {
            var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(p.account(), "secret"));
            ram.put(p, RamClient.builder().endpointOverride(endpoint).region(Region.of(p.region()))
                    .credentialsProvider(creds).httpClient(Fuzzer.HTTP)
                    .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
            orgs.computeIfAbsent(p.account(), a -> OrganizationsClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).credentialsProvider(creds).httpClient(Fuzzer.HTTP)
                    .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build());
        }
    }

    void close() {
        ram.values().forEach(RamClient::close);
        orgs.values().forEach(OrganizationsClient::close);
        ram.clear();
        orgs.clear();
    }

    boolean enabled() {
        return enabled;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the model says each account sees

    boolean inOrg(String account) {
        return enabled && (account.equals(MANAGEMENT) || account.equals(MEMBER) || thirdInOrg && account.equals(THIRD));
    }

    private boolean external(String principal, String owner) {
        return !(principal.equals(orgArn) || inOrg(owner) && inOrg(principal));
    }

    /** Whether the share reaches the account now (an associated principal names it, or its organization). */
    boolean reaches(Share s, String account) {
        if (!s.active || s.owner.account().equals(account)) {
            return false;
        }
        for (var e : s.principals.entrySet()) {
            if (e.getValue().equals(ASSOCIATED)
                    && (e.getKey().equals(account) || e.getKey().equals(orgArn) && inOrg(account))) {
                return true;
            }
        }
        return false;
    }

    /** Whether another account's live subnet or prefix list is shared with {@code p} now. */
    boolean sharedWith(Res r, Pair p) {
        if (r == null || r.deleted || r.pair.equals(p) || !r.pair.region().equals(p.region())) {
            return false;
        }
        for (Share s : shares) {
            if (s.owner.equals(r.pair) && s.resources.contains(r.id) && reaches(s, p.account())) {
                return true;
            }
        }
        return false;
    }

    Set<String> sharedSubnets(Pair p) {
        if (shares.isEmpty()) {
            return Set.of();
        }
        return model.live(Type.SUBNET).stream().filter(s -> sharedWith(s, p)).map(s -> s.id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The VPCs of other accounts with a subnet shared with {@code p}. */
    Set<String> sharedVpcs(Pair p) {
        if (shares.isEmpty()) {
            return Set.of();
        }
        return model.live(Type.SUBNET).stream().filter(s -> sharedWith(s, p)).map(s -> s.get("vpc"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Steps

    private RamClient ram(Pair p) {
        return ram.get(p);
    }

    private Ec2Client ec2(Pair p) {
        return f.ec2.get(p);
    }

    /** One sharing call by {@code p}; the first sets up the organization. */
    void step(Pair p) {
        if (!enabled) {
            setUp();
            return;
        }
        if (invitations.stream().anyMatch(i -> i.status.equals("PENDING")) && rnd.nextInt(4) == 0) {
            answerInvitation(p);
            return;
        }
        int r = rnd.nextInt(100);
        boolean noShare = shares.stream().noneMatch(s -> s.owner.equals(p) && s.active);
        if (r < 12 || noShare && r < 42 && rnd.nextInt(4) > 0) {
            createShare(p);
        } else if (r < 24) {
            associate(p);
        } else if (r < 32) {
            disassociate(p);
        } else if (r < 36) {
            deleteShare(p);
        } else if (r < 42) {
            createPrefixList(p);
        } else if (r < 50) {
            answerInvitation(p);
        } else if (r < 88) {
            participant(p);
        } else {
            ownerMeddles(p);
        }
    }

    private void setUp() {
        OrganizationsClient mgmt = orgs.get(MANAGEMENT);
        var created = f.read("CreateOrganization", () -> mgmt.createOrganization(b -> b.featureSet("ALL"))
                .organization());
        orgArn = created.arn();
        thirdInOrg = rnd.nextBoolean();
        for (String member : thirdInOrg ? List.of(MEMBER, THIRD) : List.of(MEMBER)) {
            var h = f.read("InviteAccountToOrganization", () -> mgmt.inviteAccountToOrganization(b -> b
                    .target(t -> t.id(member).type("ACCOUNT"))).handshake());
            f.read("AcceptHandshake", () -> orgs.get(member).acceptHandshake(b -> b.handshakeId(h.id())));
        }
        f.read("EnableSharingWithAwsOrganization", () -> ram(new Pair(MANAGEMENT, "us-east-1"))
                .enableSharingWithAwsOrganization(b -> {}));
        enabled = true;
        f.log.add("organization " + created.id() + " of " + MANAGEMENT + " with " + MEMBER
                + (thirdInOrg ? " and " + THIRD : "") + ", sharing enabled");
    }

    private String arnOf(Arg a, Pair p) {
        String owner = a.res() == null ? p.account() : a.res().pair.account();
        String region = a.res() == null ? p.region() : a.res().pair.region();
        String kind = a.res() != null && a.res().type == Type.PREFIX_LIST || a.id().startsWith("pl-")
                ? "prefix-list/" : "subnet/";
        return "arn:aws:ec2:" + region + ":" + owner + ":" + kind + a.id();
    }

    private List<Arg> pickResources(Pair p, int n) {
        List<Arg> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rnd.nextInt(4) == 0 ? f.pick(Type.PREFIX_LIST, p) : f.pick(Type.SUBNET, p));
        }
        return out;
    }

    private String pickPrincipal(Pair p) {
        int r = rnd.nextInt(10);
        if (r < 2 && orgArn != null) {
            return orgArn;
        }
        if (r == 2) {
            return p.account();
        }
        return Fuzzer.ACCOUNTS.get(rnd.nextInt(Fuzzer.ACCOUNTS.size()));
    }

    /** What a successful create or associate must have been allowed to do; else a violation. */
    private void mustHaveBeenShareable(Pair p, String action, Share share, List<Arg> resources,
            List<String> principals) {
        for (Arg a : resources) {
            if (a.kind() != Kind.OWN) {
                throw new Violation(action + " by " + p + " shared " + a.kind() + " " + a.id() + " " + a.res());
            }
            if (a.res().type == Type.SUBNET) {
                Res vpc = model.get(a.res().get("vpc"));
                if (vpc != null && "true".equals(vpc.get("default"))) {
                    throw new Violation(action + " by " + p + " shared the default VPC's subnet " + a.res());
                }
            }
        }
        for (String pr : principals) {
            if (pr.equals(p.account())) {
                throw new Violation(action + " by " + p + " made the owner a principal of " + share);
            }
        }
        boolean subnets = share.resources.stream().anyMatch(id -> id.startsWith("subnet-"))
                || resources.stream().anyMatch(a -> a.res().type == Type.SUBNET);
        Set<String> all = new LinkedHashSet<>(share.principals.keySet());
        all.addAll(principals);
        if (subnets && all.stream().anyMatch(pr -> external(pr, p.account()))) {
            throw new Violation(action + " by " + p + " shares a subnet outside the organization: " + share
                    + " + " + principals);
        }
    }

    /** Records resources and principals a successful create or associate added. */
    private void added(Share share, List<Arg> resources, List<String> principals) {
        resources.forEach(a -> share.resources.add(a.id()));
        for (String pr : principals) {
            if (!share.principals.containsKey(pr)) {
                boolean ext = external(pr, share.owner.account());
                share.principals.put(pr, ext ? ASSOCIATING : ASSOCIATED);
                if (ext) {
                    invitations.add(new Invitation(share, pr));
                }
            }
        }
    }

    private void createShare(Pair p) {
        List<Arg> resources;
        List<String> principals = new ArrayList<>();
        if (rnd.nextInt(4) == 0) {
            // A prefix list for another account, often the third: by invitation when it is outside.
            if (model.live(Type.PREFIX_LIST, p).isEmpty()) {
                createPrefixList(p);
                return;
            }
            resources = List.of(f.pick(Type.PREFIX_LIST, p));
            principals.add(rnd.nextBoolean() && !p.account().equals(THIRD) ? THIRD : pickPrincipal(p));
        } else {
            resources = pickResources(p, rnd.nextInt(6) == 0 ? 0 : 1 + rnd.nextInt(2));
            for (int i = 1 + rnd.nextInt(2); i > 0; i--) {
                principals.add(pickPrincipal(p));
            }
        }
        List<String> arns = resources.stream().map(a -> arnOf(a, p)).toList();
        String name = "share-" + rnd.nextInt(3);
        var o = f.call("CreateResourceShare", () -> ram(p).createResourceShare(b -> b.name(name).resourceArns(arns)
                .principals(principals)).resourceShare());
        f.note(p, "CreateResourceShare", Fuzzer.ids(resources) + " " + principals, o,
                o.ok() ? o.value().resourceShareArn() : null);
        if (o.ok()) {
            Share share = new Share(o.value().resourceShareArn(), p);
            List<String> distinct = principals.stream().distinct().toList();
            mustHaveBeenShareable(p, "CreateResourceShare", share, resources, distinct);
            shares.add(share);
            added(share, resources, distinct);
        }
    }

    /** Mostly one of the caller's active shares; sometimes any share, or none (a made-up ARN). */
    private Share pickShare(Pair p) {
        List<Share> own = shares.stream().filter(s -> s.owner.equals(p) && s.active).toList();
        if (!own.isEmpty() && rnd.nextInt(8) > 0) {
            return own.get(rnd.nextInt(own.size()));
        }
        return shares.isEmpty() ? null : shares.get(rnd.nextInt(shares.size()));
    }

    private String arnOf(Share s, Pair p) {
        return s != null ? s.arn : "arn:aws:ram:" + p.region() + ":" + p.account()
                + ":resource-share/00000000-0000-4000-8000-" + f.hex(12);
    }

    private void associate(Pair p) {
        Share share = pickShare(p);
        String arn = arnOf(share, p);
        boolean resource = rnd.nextBoolean();
        List<Arg> resources = resource ? pickResources(p, 1) : List.of();
        List<String> principals = resource ? List.of() : List.of(pickPrincipal(p));
        List<String> arns = resources.stream().map(a -> arnOf(a, p)).toList();
        var o = f.call("AssociateResourceShare", () -> ram(p).associateResourceShare(b -> {
            b.resourceShareArn(arn);
            if (resource) {
                b.resourceArns(arns);
            } else {
                b.principals(principals);
            }
        }).resourceShareAssociations());
        f.note(p, "AssociateResourceShare", arn + " " + Fuzzer.ids(resources) + principals, o, null);
        if (o.ok()) {
            if (share == null || !share.owner.equals(p) || !share.active) {
                throw new Violation("AssociateResourceShare by " + p + " changed " + (share == null ? arn : share));
            }
            mustHaveBeenShareable(p, "AssociateResourceShare", share, resources, principals);
            added(share, resources, principals);
        }
    }

    private void disassociate(Pair p) {
        Share share = pickShare(p);
        String arn = arnOf(share, p);
        List<String> members = new ArrayList<>();
        if (share != null) {
            share.resources.forEach(id -> members.add("r " + id));
            share.principals.keySet().forEach(pr -> members.add("p " + pr));
        }
        String member = members.isEmpty() || rnd.nextInt(8) == 0 ? "p " + pickPrincipal(p)
                : members.get(rnd.nextInt(members.size()));
        boolean resource = member.startsWith("r ");
        String entity = member.substring(2);
        Res res = resource ? model.get(entity) : null;
        String resourceArn = resource ? "arn:aws:ec2:" + share.owner.region() + ":" + share.owner.account() + ":"
                + (res != null && res.type == Type.PREFIX_LIST ? "prefix-list/" : "subnet/") + entity : null;
        var o = f.call("DisassociateResourceShare", () -> ram(p).disassociateResourceShare(b -> {
            b.resourceShareArn(arn);
            if (resource) {
                b.resourceArns(resourceArn);
            } else {
                b.principals(entity);
            }
        }).resourceShareAssociations());
        f.note(p, "DisassociateResourceShare", arn + " " + member, o, null);
        if (o.ok()) {
            boolean member2 = share != null && (resource ? share.resources.contains(entity)
                    : share.principals.containsKey(entity));
            if (share == null || !share.owner.equals(p) || !share.active || !member2) {
                throw new Violation("DisassociateResourceShare by " + p + " removed " + member + " from "
                        + (share == null ? arn : share));
            }
            if (resource) {
                share.resources.remove(entity);
            } else {
                share.principals.remove(entity);
            }
        }
    }

    private void deleteShare(Pair p) {
        Share share = pickShare(p);
        String arn = arnOf(share, p);
        var o = f.call("DeleteResourceShare", () -> ram(p).deleteResourceShare(b -> b.resourceShareArn(arn)));
        f.note(p, "DeleteResourceShare", arn, o, null);
        if (o.ok()) {
            if (share == null || !share.owner.equals(p) || !share.active) {
                throw new Violation("DeleteResourceShare by " + p + " deleted " + (share == null ? arn : share));
            }
            share.active = false;
        }
    }

    private void createPrefixList(Pair p) {
        String name = "corp-" + rnd.nextInt(3);
        var o = f.call("CreateManagedPrefixList", () -> ec2(p).createManagedPrefixList(b -> b.prefixListName(name)
                .addressFamily("IPv4").maxEntries(5).entries(e -> e.cidr("10.99.0.0/16"))).prefixList());
        f.note(p, "CreateManagedPrefixList", name, o, o.ok() ? o.value().prefixListId() : null);
        if (o.ok()) {
            model.add(Type.PREFIX_LIST, o.value().prefixListId(), p, false).with("name", name);
        }
    }

    private void answerInvitation(Pair caller) {
        // Mostly the receiver of a pending invitation answers it; sometimes the caller looks for one of its own.
        List<Invitation> open = invitations.stream().filter(i -> i.status.equals("PENDING")).toList();
        Pair p = open.isEmpty() || rnd.nextInt(4) == 0 ? caller : open.get(rnd.nextInt(open.size())).receiverPair();
        List<ResourceShareInvitation> pending = f.read("GetResourceShareInvitations", () -> ram(p)
                .getResourceShareInvitations(b -> {}).resourceShareInvitations()).stream()
                .filter(i -> i.statusAsString().equals("PENDING")).toList();
        boolean accept = rnd.nextInt(3) > 0;
        String action = accept ? "AcceptResourceShareInvitation" : "RejectResourceShareInvitation";
        if (pending.isEmpty()) {
            f.log.add("# " + p + " (no invitation to answer)");
            return;
        }
        ResourceShareInvitation inv = pending.get(rnd.nextInt(pending.size()));
        Outcome<?> o = f.call(action, () -> accept
                ? ram(p).acceptResourceShareInvitation(b -> b.resourceShareInvitationArn(
                        inv.resourceShareInvitationArn())).resourceShareInvitation()
                : ram(p).rejectResourceShareInvitation(b -> b.resourceShareInvitationArn(
                        inv.resourceShareInvitationArn())).resourceShareInvitation());
        f.note(p, action, inv.resourceShareInvitationArn() + " of " + inv.resourceShareArn(), o, null);
        if (!o.ok()) {
            throw new Violation(action + " by " + p + " of its pending invitation answered " + o.error());
        }
        Invitation mine = invitations.stream().filter(i -> i.share.arn.equals(inv.resourceShareArn())
                && i.receiver.equals(p.account()) && i.status.equals("PENDING")).findFirst()
                .orElseThrow(() -> new Violation("GetResourceShareInvitations by " + p + " shows " + inv));
        mine.status = accept ? "ACCEPTED" : "REJECTED";
        // As the server does: the principal's current association follows the answer.
        if (mine.share.principals.containsKey(p.account())) {
            if (accept) {
                mine.share.principals.put(p.account(), ASSOCIATED);
            } else {
                mine.share.principals.remove(p.account());
            }
        }
    }

    /** A participant works in a subnet shared with it: a group, an instance or an interface; or is refused. */
    private void participant(Pair p) {
        List<Res> subnets = model.live(Type.SUBNET).stream().filter(s -> sharedWith(s, p)).toList();
        if (subnets.isEmpty()) {
            if (rnd.nextBoolean()) {
                createShare(p);
            } else {
                associate(p);
            }
            return;
        }
        Res subnet = subnets.get(rnd.nextInt(subnets.size()));
        String vpc = subnet.get("vpc");
        List<Res> groups = model.live(Type.SG, p).stream().filter(g -> vpc.equals(g.get("vpc"))).toList();
        int r = rnd.nextInt(10);
        if (groups.isEmpty() || r < 2) {
            String name = "part-" + rnd.nextInt(4);
            var o = f.call("CreateSecurityGroup", () -> ec2(p).createSecurityGroup(b -> b.vpcId(vpc).groupName(name)
                    .description("participant")).groupId());
            f.note(p, "CreateSecurityGroup", vpc + "(shared) " + name, o, o.value());
            if (o.ok()) {
                model.add(Type.SG, o.value(), p, false).with("vpc", vpc).with("name", name);
            } else if (!o.error().equals("InvalidGroup.Duplicate")) {
                tolerable(p, "CreateSecurityGroup", subnet, o.error());
            }
            return;
        }
        Res sg = groups.get(rnd.nextInt(groups.size()));
        if (r < 6) {
            String image = f.catalogueImage(p, p.region(), "x86_64");
            var o = f.call("RunInstances", () -> ec2(p).runInstances(b -> b.imageId(image).instanceType("t3.micro")
                    .minCount(1).maxCount(1).subnetId(subnet.id).securityGroupIds(sg.id)).instances());
            f.note(p, "RunInstances", subnet.id + "(shared) " + sg.id, o,
                    o.ok() ? o.value().stream().map(Instance::instanceId).toList().toString() : null);
            if (!o.ok()) {
                tolerable(p, "RunInstances", subnet, o.error());
                return;
            }
            for (Instance i : o.value()) {
                model.add(Type.INSTANCE, i.instanceId(), p, false).with("subnet", subnet.id).with("state", "running");
            }
        } else if (r < 8) {
            var o = f.call("CreateNetworkInterface", () -> ec2(p).createNetworkInterface(b -> b.subnetId(subnet.id)
                    .groups(sg.id).description("participant")).networkInterface());
            f.note(p, "CreateNetworkInterface", subnet.id + "(shared) " + sg.id, o,
                    o.ok() ? o.value().networkInterfaceId() : null);
            if (!o.ok()) {
                tolerable(p, "CreateNetworkInterface", subnet, o.error());
                return;
            }
            model.add(Type.ENI, o.value().networkInterfaceId(), p, false).with("subnet", subnet.id)
                    .with("instance", "-");
        } else if (r < 9) {
            // The VPC's default group is the owner's: a participant cannot launch with it.
            Res owners = model.live(Type.SG).stream().filter(g -> vpc.equals(g.get("vpc")) && !g.pair.equals(p))
                    .findFirst().orElse(null);
            if (owners == null) {
                return;
            }
            String image = f.catalogueImage(p, p.region(), "x86_64");
            var o = f.call("RunInstances", () -> ec2(p).runInstances(b -> b.imageId(image).instanceType("t3.micro")
                    .minCount(1).maxCount(1).subnetId(subnet.id).securityGroupIds(owners.id)).instances());
            f.note(p, "RunInstances", subnet.id + "(shared) " + owners.id + "(not its own)", o, null);
            if (o.ok()) {
                throw new Violation("RunInstances by participant " + p + " launched with " + owners);
            }
        } else {
            var o = f.call("CreateVpcEndpoint", () -> ec2(p).createVpcEndpoint(b -> b.vpcId(vpc)
                    .serviceName("com.amazonaws." + p.region() + ".s3").vpcEndpointType("Gateway")));
            f.note(p, "CreateVpcEndpoint", vpc + "(shared) s3", o, null);
            if (o.ok()) {
                throw new Violation("CreateVpcEndpoint by participant " + p + " in the shared " + vpc);
            }
        }
    }

    /** A participant's call in a shared subnet may fail only for want of room, never for want of access. */
    private static void tolerable(Pair p, String action, Res subnet, String error) {
        if (!error.startsWith("Insufficient") && !error.contains("LimitExceeded")) {
            throw new Violation(action + " by participant " + p + " in " + subnet + " answered " + error);
        }
    }

    /** An owner tries to terminate a participant's instance, delete its group, or delete a subnet it uses. */
    private void ownerMeddles(Pair p) {
        List<Res> theirs = new ArrayList<>();
        for (Type t : List.of(Type.INSTANCE, Type.SG, Type.ENI)) {
            for (Res r : model.live(t)) {
                Res subnet = r.get("subnet") == null ? null : model.get(r.get("subnet"));
                String vpc = t == Type.SG ? r.get("vpc") : subnet == null ? null : subnet.get("vpc");
                Res v = vpc == null ? null : model.get(vpc);
                if (!r.pair.equals(p) && v != null && v.pair.equals(p)
                        && !(t == Type.INSTANCE && r.get("state").equals("terminated"))) {
                    theirs.add(r);
                }
            }
        }
        if (theirs.isEmpty()) {
            f.log.add("# " + p + " (no participant resources to meddle with)");
            return;
        }
        Res r = theirs.get(rnd.nextInt(theirs.size()));
        Outcome<?> o = switch (r.type) {
            case INSTANCE -> f.call("TerminateInstances", () -> ec2(p).terminateInstances(b -> b.instanceIds(r.id)));
            case SG -> f.call("DeleteSecurityGroup", () -> ec2(p).deleteSecurityGroup(b -> b.groupId(r.id)));
            default -> {
                String subnet = r.get("subnet");
                yield f.call("DeleteSubnet", () -> ec2(p).deleteSubnet(b -> b.subnetId(subnet)));
            }
        };
        f.note(p, r.type == Type.ENI ? "DeleteSubnet" : "change", "participant's " + r, o, null);
        if (o.ok()) {
            throw new Violation("the VPC owner " + p + " changed the participant's " + r);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    List<String> check(Check check, Pair p) {
        List<String> out = new ArrayList<>();
        if (!enabled) {
            return out;
        }
        String name = check.toString();
        switch (check) {
            case SHARES -> {
                List<ResourceShare> own = new ArrayList<>();
                f.read("GetResourceShares", () -> {
                    ram(p).getResourceSharesPaginator(b -> b.resourceOwner("SELF").maxResults(5))
                            .forEach(page -> own.addAll(page.resourceShares()));
                    return own;
                });
                Set<String> active = own.stream().filter(s -> s.statusAsString().equals("ACTIVE"))
                        .map(ResourceShare::resourceShareArn).collect(Collectors.toCollection(TreeSet::new));
                f.sameIds(p, "GetResourceShares SELF", active, shares.stream().filter(s -> s.owner.equals(p)
                        && s.active).map(s -> s.arn).collect(Collectors.toSet()));
                own.forEach(s -> out.add("self " + s.resourceShareArn() + " " + s.statusAsString()));
                List<ResourceShare> others = f.read("GetResourceShares", () -> ram(p).getResourceShares(b -> b
                        .resourceOwner("OTHER-ACCOUNTS")).resourceShares());
                f.sameIds(p, "GetResourceShares OTHER-ACCOUNTS", others.stream().map(ResourceShare::resourceShareArn)
                        .collect(Collectors.toSet()),
                        shares.stream().filter(s -> s.owner.region().equals(p.region())
                                && reaches(s, p.account())).map(s -> s.arn).collect(Collectors.toSet()));
                others.forEach(s -> {
                    if (!s.tags().isEmpty()) {
                        throw f.leak(p, "GetResourceShares OTHER-ACCOUNTS (owner's tags)", s);
                    }
                    out.add("other " + s.resourceShareArn());
                });
            }
            case SHARED_RESOURCES -> {
                List<Resource> items = f.read("ListResources", () -> ram(p).listResources(b -> b
                        .resourceOwner("OTHER-ACCOUNTS")).resources());
                Set<String> seen = items.stream().map(r -> r.arn().substring(r.arn().lastIndexOf('/') + 1) + " in "
                        + r.resourceShareArn()).collect(Collectors.toCollection(TreeSet::new));
                Set<String> expected = new TreeSet<>();
                for (Share s : shares) {
                    if (s.owner.region().equals(p.region()) && reaches(s, p.account())) {
                        s.resources.forEach(id -> expected.add(id + " in " + s.arn));
                    }
                }
                if (!seen.equals(expected)) {
                    throw new Violation("ListResources OTHER-ACCOUNTS by " + p + " shows " + seen + ", the model "
                            + expected);
                }
                out.addAll(seen);
            }
            case INVITATIONS -> {
                List<ResourceShareInvitation> items = f.read("GetResourceShareInvitations", () -> ram(p)
                        .getResourceShareInvitations(b -> {}).resourceShareInvitations());
                List<String> seen = items.stream().map(i -> i.resourceShareArn() + " " + i.statusAsString()).sorted()
                        .toList();
                List<String> expected = invitations.stream().filter(i -> i.receiver.equals(p.account())
                        && i.share.owner.region().equals(p.region())).map(i -> i.share.arn + " " + i.status).sorted()
                        .toList();
                if (!seen.equals(expected)) {
                    throw new Violation("GetResourceShareInvitations by " + p + " shows " + seen + ", the model "
                            + expected);
                }
                items.forEach(i -> out.add(i.resourceShareInvitationArn() + " " + i.statusAsString()));
            }
            case PREFIX_LISTS -> {
                List<ManagedPrefixList> items = f.read("DescribeManagedPrefixLists", () -> ec2(p)
                        .describeManagedPrefixLists(b -> {}).prefixLists()).stream()
                        .filter(l -> !l.ownerId().equals("AWS")).toList();
                for (ManagedPrefixList l : items) {
                    Res res = model.get(l.prefixListId());
                    if (res == null || !res.pair.equals(p) && !sharedWith(res, p)) {
                        throw f.leak(p, "DescribeManagedPrefixLists", l);
                    }
                    out.add(l.toString());
                }
                f.sameIds(p, "DescribeManagedPrefixLists", items.stream().map(ManagedPrefixList::prefixListId)
                        .collect(Collectors.toSet()),
                        model.live(Type.PREFIX_LIST).stream()
                                .filter(l -> l.pair.equals(p) || sharedWith(l, p)).map(l -> l.id)
                                .collect(Collectors.toSet()));
            }
            default -> throw new IllegalStateException(name);
        }
        return out;
    }
}
