package dev.underpass.model.sharing;

import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ResourceGrant;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Visibility;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.org.OrgAccounts;
import dev.underpass.model.org.OrgUnits;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** RAM's rules over a {@link Tx}: who a share reaches, the grants EC2 reads, and what is refused. */
class SharingTest {
    private static final String OWNER = "111100002222";
    private static final String REGION = "us-east-1";
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private World world = World.of(List.of(
            new Vpc("vpc-1", OWNER, REGION, "10.0.0.0/16", List.of(), DhcpOptionsId.of("dopt-1"), "default", false,
                    true, false, NOW,
                    Map.of()),
            new Vpc("vpc-default", OWNER, REGION, "172.31.0.0/16", List.of(), DhcpOptionsId.of("dopt-1"), "default",
                    true, true, false,
                    NOW, Map.of()),
            new Subnet("subnet-1", OWNER, REGION, VpcId.of("vpc-1"), "10.0.1.0/24", "us-east-1a", "use1-az1", false,
                    false, NOW,
                    Map.of()),
            new Subnet("subnet-d", OWNER, REGION, VpcId.of("vpc-default"), "172.31.0.0/20", "us-east-1a", "use1-az1",
                    true,
                    true, NOW, Map.of())));

    private <T> T as(String account, Function<Tx, T> command) {
        Tx tx = new Tx(world, Caller.of(account, REGION), NOW);
        T result = command.apply(tx);
        world = tx.world();
        return result;
    }

    private static String arn(String subnet) {
        return "arn:aws:ec2:" + REGION + ":" + OWNER + ":subnet/" + subnet;
    }

    @Test
    void shareWithANestedOu_reachesItsAccounts_andGrantsFollowDisassociation() {
        Organization org = as(OWNER, tx -> Organizations.createOrganization(tx, "ALL"));
        String outer = as(OWNER, tx -> OrgUnits.createOrganizationalUnit(tx, org.rootId(), "outer", Map.of()))
                .id();
        var inner = as(OWNER, tx -> OrgUnits.createOrganizationalUnit(tx, outer, "inner", Map.of()));
        String member = as(OWNER, tx -> OrgAccounts.createAccount(tx, "m", "m@example.com", Map.of())).accountId();
        String elsewhere = as(OWNER, tx -> OrgAccounts.createAccount(tx, "e", "e@example.com", Map.of()))
                .accountId();
        as(OWNER, tx -> {
            OrgAccounts.moveAccount(tx, member, org.rootId(), inner.id());
            Sharing.enableSharingWithOrganization(tx);
            return null;
        });
        String outerArn = world.find(dev.underpass.model.org.OrganizationalUnit.class, outer).orElseThrow().arn();
        ResourceShare share = as(OWNER, tx -> Sharing.create(tx, "s", List.of(arn("subnet-1")), List.of(outerArn),
                null, Map.of()));

        assertThat(ShareReach.participants(world, share)).containsExactly(member);
        assertThat(world.all(ResourceGrant.class)).singleElement().satisfies(g -> {
            assertThat(g.resourceId()).isEqualTo("subnet-1");
            assertThat(g.participantId()).isEqualTo(member);
        });
        assertThat(Visibility.granted(world, "subnet-1", member)).isTrue();
        assertThat(Visibility.granted(world, "subnet-1", elsewhere)).isFalse();

        as(OWNER, tx -> Sharing.disassociate(tx, share.arn(), List.of(arn("subnet-1")), List.of()));
        assertThat(world.all(ResourceGrant.class)).singleElement().satisfies(g -> assertThat(g.revoked()).isTrue());
        assertThat(Visibility.granted(world, "subnet-1", member)).isFalse();
        assertThat(Sharing.associations(world, share.arn())).filteredOn(a -> a.sharedType() != null)
                .singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(ShareAssociation.Status.DISASSOCIATED));
    }

    @Test
    void defaultVpcSubnets_andOutsidersForSubnets_areRefused() {
        as(OWNER, tx -> Organizations.createOrganization(tx, "ALL"));
        as(OWNER, tx -> {
            Sharing.enableSharingWithOrganization(tx);
            return null;
        });
        assertThatThrownBy(() -> as(OWNER, tx -> Sharing.create(tx, "d", List.of(arn("subnet-d")), List.of(),
                null, Map.of()))).isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterException"));
        assertThatThrownBy(() -> as(OWNER, tx -> Sharing.create(tx, "x", List.of(arn("subnet-1")),
                List.of("999988887777"), null, Map.of()))).isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("OperationNotPermittedException"));
        assertThatThrownBy(() -> as("999988887777", tx -> Sharing.create(tx, "x", List.of(arn("subnet-1")),
                List.of(), null, Map.of()))).isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("UnknownResourceException"));
    }
}
