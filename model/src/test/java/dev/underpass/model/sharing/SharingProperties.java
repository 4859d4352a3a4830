package dev.underpass.model.sharing;

import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Visibility;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.org.OrgAccounts;
import dev.underpass.model.org.OrgUnits;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of RAM commands (create, associate, disassociate, delete shares of two subnets with accounts,
 * an OU and the organization) and account moves, against a reference model of who a subnet is shared with: after
 * every command, each account sees a subnet (by id and in its Describe list) exactly when an active share holds it
 * with a principal covering that account. Refused commands change nothing.
 */
class SharingProperties {
    private static final String OWNER = "300000000000";
    private static final String A = "300000000001";
    private static final String B = "300000000002";
    private static final String OUTSIDER = "300000000009";
    private static final String REGION = "us-east-1";
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> SUBNETS = List.of("subnet-1", "subnet-2");
    private static final List<String> ACCOUNTS = List.of(A, B, OUTSIDER);

    /** One command: kind, a share index, resources (subnet indexes) and principals (indexes into the pool). */
    record Command(int kind, int share, List<Integer> resources, List<Integer> principals) {}

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<List<Integer>> resources = Arbitraries.integers().between(0, 1).set().ofMaxSize(2)
                .map(ArrayList::new);
        Arbitrary<List<Integer>> principals = Arbitraries.integers().between(0, 4).set().ofMaxSize(2)
                .map(ArrayList::new);
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 2),
                resources, principals).as(Command::new).list().ofMaxSize(25);
    }

    private World world;
    private Organization org;
    private OrganizationalUnit ou;

    private boolean run(String account, Consumer<Tx> command) {
        Tx tx = new Tx(world, Caller.of(account, REGION), NOW);
        try {
            command.accept(tx);
        } catch (AwsException refused) {
            return false;
        }
        world = tx.world();
        return true;
    }

    private static String subnetArn(int i) {
        return "arn:aws:ec2:" + REGION + ":" + OWNER + ":subnet/" + SUBNETS.get(i);
    }

    @Property(tries = 200)
    void participantsSeeExactlyWhatActiveSharesGiveThem(@ForAll("commands") List<Command> commands) {
        world = World.of(List.of(
                new Vpc("vpc-1", OWNER, REGION, "10.0.0.0/16", List.of(), DhcpOptionsId.of("dopt-1"), "default", false,
                        true, false,
                        NOW, Map.of()),
                new Subnet("subnet-1", OWNER, REGION, VpcId.of("vpc-1"), "10.0.1.0/24", "us-east-1a", "use1-az1", false,
                        false,
                        NOW, Map.of()),
                new Subnet("subnet-2", OWNER, REGION, VpcId.of("vpc-1"), "10.0.2.0/24", "us-east-1b", "use1-az2", false,
                        false,
                        NOW, Map.of())));
        run(OWNER, tx -> org = Organizations.createOrganization(tx, "ALL"));
        run(OWNER, tx -> ou = OrgUnits.createOrganizationalUnit(tx, org.rootId(), "ou", Map.of()));
        for (String member : List.of(A, B)) {
            run(OWNER, tx -> tx.put(new dev.underpass.model.org.MemberAccount(member, OWNER,
                    Organization.REGION, org.id(), org.rootId(), member, member + "@example.com", "INVITED", NOW,
                    Map.of())));
        }
        run(OWNER, Sharing::enableSharingWithOrganization);
        List<String> pool = List.of(A, B, OUTSIDER, ou.arn(), org.arn());

        // The reference model.
        List<String> shares = new ArrayList<>();
        Map<String, Set<String>> resourcesOf = new HashMap<>();
        Map<String, Set<String>> principalsOf = new HashMap<>();
        Set<String> deleted = new TreeSet<>();
        Map<String, String> parent = new HashMap<>(Map.of(A, org.rootId(), B, org.rootId()));

        for (Command c : commands) {
            String share = shares.isEmpty() ? null : shares.get(c.share() % shares.size());
            List<String> res = c.resources().stream().map(SharingProperties::subnetArn).toList();
            List<String> prin = c.principals().stream().map(pool::get).toList();
            switch (c.kind()) {
                case 0 -> {
                    String[] made = new String[1];
                    if (run(OWNER, tx -> made[0] = Sharing.create(tx, "s", res, prin, true, Map.of()).arn())) {
                        shares.add(made[0]);
                        resourcesOf.put(made[0], new LinkedHashSet<>(res));
                        principalsOf.put(made[0], new LinkedHashSet<>(prin));
                    }
                }
                case 1 -> {
                    if (share != null && run(OWNER, tx -> Sharing.associate(tx, share, res, prin))) {
                        resourcesOf.get(share).addAll(res);
                        principalsOf.get(share).addAll(prin);
                    }
                }
                case 2 -> {
                    if (share != null && run(OWNER, tx -> Sharing.disassociate(tx, share, res, prin))) {
                        resourcesOf.get(share).removeAll(res);
                        principalsOf.get(share).removeAll(prin);
                    }
                }
                case 3 -> {
                    if (share != null && run(OWNER, tx -> Sharing.delete(tx, share))) {
                        deleted.add(share);
                    }
                }
                default -> {
                    String who = c.share() % 2 == 0 ? A : B;
                    String to = parent.get(who).equals(org.rootId()) ? ou.id() : org.rootId();
                    if (run(OWNER, tx -> {
                        OrgAccounts.moveAccount(tx, who, parent.get(who), to);
                        ShareReach.refreshOrganization(tx, org.id());
                    })) {
                        parent.put(who, to);
                    }
                }
            }
            for (String account : ACCOUNTS) {
                Set<String> expected = new TreeSet<>();
                for (String s : shares) {
                    if (deleted.contains(s)) {
                        continue;
                    }
                    boolean covers = principalsOf.get(s).stream().anyMatch(p -> p.equals(account)
                            && !account.equals(OUTSIDER)
                            || p.equals(org.arn()) && !account.equals(OUTSIDER)
                            || p.equals(ou.arn()) && ou.id().equals(parent.get(account)));
                    if (covers) {
                        resourcesOf.get(s).forEach(r -> expected.add(r.substring(r.lastIndexOf('/') + 1)));
                    }
                }
                Caller caller = Caller.of(account, REGION);
                Set<String> seen = new TreeSet<>();
                Scoped.visible(world, caller, Subnet.class).forEach(s -> seen.add(s.id()));
                assertThat(seen).as("%s after %s", account, c).isEqualTo(expected);
                for (String id : SUBNETS) {
                    Subnet subnet = world.find(Subnet.class, id).orElseThrow();
                    assertThat(Visibility.visible(world, caller, subnet)).as("%s sees %s after %s", account, id, c)
                            .isEqualTo(expected.contains(id));
                }
            }
        }
    }
}
