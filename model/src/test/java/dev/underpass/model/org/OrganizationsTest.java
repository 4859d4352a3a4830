package dev.underpass.model.org;

import dev.underpass.model.PolicyDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Organizations rules as pure functions over a {@link Tx}, and the queries later work builds on. */
class OrganizationsTest {
    private static final String MANAGEMENT = "111100001111";
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private World world = World.empty();

    private <T> T as(String account, Function<Tx, T> command) {
        Tx tx = new Tx(world, Caller.of(account, "eu-west-1"), NOW);
        T result = command.apply(tx);
        world = tx.world();
        return result;
    }

    @Test
    void pathOf_listsRootOusAndAccount_withTheSeparateScpAndRcpLists() {
        Organization org = as(MANAGEMENT, tx -> Organizations.createOrganization(tx, "ALL"));
        assertThat(org.region()).isEqualTo(Organization.REGION);
        String ou = as(MANAGEMENT, tx -> OrgUnits.createOrganizationalUnit(tx, org.rootId(), "apps", Map.of()))
                .id();
        String child = as(MANAGEMENT, tx -> OrgUnits.createOrganizationalUnit(tx, ou, "team", Map.of())).id();
        String account = as(MANAGEMENT, tx -> OrgAccounts.createAccount(tx, "w", "w@example.com", Map.of()))
                .accountId();
        as(MANAGEMENT, tx -> OrgAccounts.moveAccount(tx, account, org.rootId(), child));
        as(MANAGEMENT, tx -> OrgPolicies.enablePolicyType(tx, org.rootId(), ControlPolicy.SCP));
        as(MANAGEMENT, tx -> OrgPolicies.enablePolicyType(tx, org.rootId(), ControlPolicy.RCP));
        ControlPolicy deny = as(MANAGEMENT, tx -> OrgPolicies.createPolicy(tx, "deny", "", ControlPolicy.SCP,
                PolicyDocument.of("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}"),
                Map.of()));
        as(MANAGEMENT, tx -> {
            OrgPolicies.attachPolicy(tx, deny.id(), ou);
            return null;
        });

        Organizations.OrgPath path = Organizations.pathOf(world, account).orElseThrow();
        assertThat(path.nodes()).extracting(Organizations.PathNode::kind).containsExactly("ROOT",
                "ORGANIZATIONAL_UNIT", "ORGANIZATIONAL_UNIT", "ACCOUNT");
        assertThat(path.orgPath()).isEqualTo(org.id() + "/" + org.rootId() + "/" + ou + "/" + child + "/");
        assertThat(path.nodes().get(1).serviceControlPolicies()).containsExactly(Organizations.FULL_AWS_ACCESS,
                deny);
        assertThat(path.nodes()).allSatisfy(n -> assertThat(n.resourceControlPolicies())
                .containsExactly(Organizations.RCP_FULL_AWS_ACCESS));
        assertThat(Organizations.pathOf(world, MANAGEMENT).orElseThrow().managementAccount()).isTrue();
        assertThat(Organizations.orgIdOf(world, account)).contains(org.id());
        assertThat(Organizations.isManagement(world, account)).isFalse();
        assertThat(Organizations.isManagement(world, MANAGEMENT)).isTrue();
    }

    @Test
    void createAccount_idIsDerivedFromTheOrganizationAndEmail_andSkipsTakenIds() {
        Organization org = as(MANAGEMENT, tx -> Organizations.createOrganization(tx, "ALL"));
        String first = as(MANAGEMENT, tx -> OrgAccounts.createAccount(tx, "a", "same@example.com", Map.of()))
                .accountId();
        String second = as(MANAGEMENT, tx -> OrgAccounts.createAccount(tx, "b", "same@example.com", Map.of()))
                .accountId();
        assertThat(first).matches("[1-9]\\d{11}");
        assertThat(second).isNotEqualTo(first);
        assertThat(Organizations.accounts(world, org)).hasSize(3);
    }

    @Test
    void members_cannotManage_outsidersAreNotInUse_andInvitationsExpire() {
        as(MANAGEMENT, tx -> Organizations.createOrganization(tx, "ALL"));
        String member = "222200002222";
        Handshake h = as(MANAGEMENT, tx -> OrgHandshakes.invite(tx, member, null));
        as(member, tx -> OrgHandshakes.answer(tx, h.id(), true));
        assertThatThrownBy(() -> as(member, tx -> {
            Organizations.deleteOrganization(tx);
            return null;
        })).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.code()).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> as("333300003333", tx -> Organizations.requireOrg(tx.world(), "333300003333")))
                .isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("AWSOrganizationsNotInUseException"));
        assertThat(Organizations.stateAt(h, NOW.plus(Organizations.HANDSHAKE_LIFETIME)))
                .isEqualTo(Handshake.State.EXPIRED);
    }
}
