package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.org.Organizations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AccountNotFoundException;
import software.amazon.awssdk.services.organizations.model.AlreadyInOrganizationException;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.Child;
import software.amazon.awssdk.services.organizations.model.ChildNotFoundException;
import software.amazon.awssdk.services.organizations.model.ConstraintViolationException;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.DestinationParentNotFoundException;
import software.amazon.awssdk.services.organizations.model.DuplicateAccountException;
import software.amazon.awssdk.services.organizations.model.DuplicateHandshakeException;
import software.amazon.awssdk.services.organizations.model.DuplicateOrganizationalUnitException;
import software.amazon.awssdk.services.organizations.model.DuplicatePolicyAttachmentException;
import software.amazon.awssdk.services.organizations.model.DuplicatePolicyException;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.HandshakeAlreadyInStateException;
import software.amazon.awssdk.services.organizations.model.HandshakeConstraintViolationException;
import software.amazon.awssdk.services.organizations.model.HandshakeNotFoundException;
import software.amazon.awssdk.services.organizations.model.InvalidHandshakeTransitionException;
import software.amazon.awssdk.services.organizations.model.InvalidInputException;
import software.amazon.awssdk.services.organizations.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.organizations.model.MasterCannotLeaveOrganizationException;
import software.amazon.awssdk.services.organizations.model.Organization;
import software.amazon.awssdk.services.organizations.model.OrganizationNotEmptyException;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnitNotEmptyException;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnitNotFoundException;
import software.amazon.awssdk.services.organizations.model.OrganizationsException;
import software.amazon.awssdk.services.organizations.model.ParentNotFoundException;
import software.amazon.awssdk.services.organizations.model.Policy;
import software.amazon.awssdk.services.organizations.model.PolicyInUseException;
import software.amazon.awssdk.services.organizations.model.PolicyNotAttachedException;
import software.amazon.awssdk.services.organizations.model.PolicyNotFoundException;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyTypeAlreadyEnabledException;
import software.amazon.awssdk.services.organizations.model.PolicyTypeNotEnabledException;
import software.amazon.awssdk.services.organizations.model.PolicyTypeSummary;
import software.amazon.awssdk.services.organizations.model.Root;
import software.amazon.awssdk.services.organizations.model.RootNotFoundException;
import software.amazon.awssdk.services.organizations.model.SourceParentNotFoundException;
import software.amazon.awssdk.services.organizations.model.TargetNotFoundException;

/**
 * AWS Organizations through the SDK's OrganizationsClient (awsJson1.1): each operation as the management account,
 * a member account and an outsider see it, AWS's errors with their {@code Reason}, and the state surviving a
 * restart. Every test builds its own organization from fresh account ids, so the tests share one server.
 */
class OrganizationsApiTest {
    private static final AtomicLong NEXT = new AtomicLong(510_000_000_000L);
    private static final String SCP_DENY_VPCE = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoEndpoints","Effect":"Deny",
            "Action":"ec2:CreateVpcEndpoint","Resource":"*"}]}""";
    private static final String RCP = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
            "Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    static OrganizationsClient client(URI endpoint, String account, String region) {
        return UnderpassExtension.client(OrganizationsClient.builder(), endpoint, account, Region.of(region));
    }

    private static OrganizationsClient org(String account) {
        return client(UNDERPASS.endpoint(), account, "us-east-1");
    }

    private static String account() {
        return Long.toString(NEXT.getAndIncrement());
    }

    /** A management account with an organization. */
    private record Fixture(String management, OrganizationsClient client, Organization organization, Root root) {}

    private static Fixture organization() {
        String management = account();
        OrganizationsClient client = org(management);
        Organization o = client.createOrganization(r -> r.featureSet("ALL")).organization();
        Root root = client.listRoots(r -> {}).roots().get(0);
        return new Fixture(management, client, o, root);
    }

    /** Invites {@code account} and has it accept. */
    private static void join(Fixture f, String account) {
        Handshake h = f.client().inviteAccountToOrganization(r -> r.target(t -> t.id(account).type("ACCOUNT")))
                .handshake();
        org(account).acceptHandshake(r -> r.handshakeId(h.id()));
    }

    private static void assertError(Runnable call, Class<? extends OrganizationsException> type, String code) {
        AwsAssertions.assertAwsError(call, type, code, 400);
    }

    // ------------------------------------------------------------------ organization

    @Test
    void tags_onRootOuAccountAndPolicy_areKeptListedAndRemoved_byTheManagementAccountOnly() {
        Fixture f = organization();
        OrganizationsClient c = f.client();
        String ou = c.createOrganizationalUnit(r -> r.parentId(f.root().id()).name("tagged")).organizationalUnit()
                .id();
        String member = account();
        join(f, member);
        String policy = c.createPolicy(r -> r.name("deny-vpce").description("d").type("SERVICE_CONTROL_POLICY")
                .content(SCP_DENY_VPCE)).policy().policySummary().id();
        for (String id : List.of(f.root().id(), ou, member, policy)) {
            c.tagResource(r -> r.resourceId(id).tags(t -> t.key("team").value("net"), t -> t.key("env").value("dev")));
            c.untagResource(r -> r.resourceId(id).tagKeys("env", "absent"));
            assertThat(c.listTagsForResource(r -> r.resourceId(id)).tags()).extracting(
                    software.amazon.awssdk.services.organizations.model.Tag::key,
                    software.amazon.awssdk.services.organizations.model.Tag::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "net"));
        }
        // Replacing a value keeps one tag of that key.
        c.tagResource(r -> r.resourceId(ou).tags(t -> t.key("team").value("platform")));
        assertThat(c.listTagsForResource(r -> r.resourceId(ou)).tags()).singleElement()
                .satisfies(t -> assertThat(t.value()).isEqualTo("platform"));

        assertError(() -> c.listTagsForResource(r -> r.resourceId("ou-zzzz-zzzzzzzz")), TargetNotFoundException.class,
                "TargetNotFoundException");
        assertError(() -> c.tagResource(r -> r.resourceId("p-FullAWSAccess").tags(t -> t.key("k").value("v"))),
                TargetNotFoundException.class, "TargetNotFoundException");
        assertError(() -> c.tagResource(r -> r.resourceId("not an id").tags(t -> t.key("k").value("v"))),
                InvalidInputException.class, "InvalidInputException");
        assertError(() -> org(member).listTagsForResource(r -> r.resourceId(ou)), AccessDeniedException.class,
                "AccessDeniedException");
        assertError(() -> org(account()).listTagsForResource(r -> r.resourceId(ou)),
                AwsOrganizationsNotInUseException.class, "AWSOrganizationsNotInUseException");
        List<software.amazon.awssdk.services.organizations.model.Tag> many = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(software.amazon.awssdk.services.organizations.model.Tag.builder().key("k" + i).value("v")
                    .build());
        }
        assertThatThrownBy(() -> c.tagResource(r -> r.resourceId(member).tags(many)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("MAX_TAG_LIMIT_EXCEEDED"));
        assertThat(c.listTagsForResource(r -> r.resourceId(member)).tags()).hasSize(1); // Nothing changed.
    }

    @Test
    void closeAccount_suspendsAMemberOnce_neverTheManagementAccount_andOnlyForTheManagementAccount() {
        Fixture f = organization();
        String request = f.client().createAccount(r -> r.accountName("closing").email("closing@example.com"))
                .createAccountStatus().id();
        String created = f.client().describeCreateAccountStatus(r -> r.createAccountRequestId(request))
                .createAccountStatus().accountId();
        assertError(() -> org(created).closeAccount(r -> r.accountId(created)), AccessDeniedException.class,
                "AccessDeniedException");
        f.client().closeAccount(r -> r.accountId(created));
        var shown = f.client().describeAccount(r -> r.accountId(created)).account();
        assertThat(List.of(shown.statusAsString(), shown.stateAsString())).containsExactly("SUSPENDED", "SUSPENDED");
        assertError(() -> f.client().closeAccount(r -> r.accountId(created)),
                software.amazon.awssdk.services.organizations.model.AccountAlreadyClosedException.class,
                "AccountAlreadyClosedException");
        assertThatThrownBy(() -> f.client().closeAccount(r -> r.accountId(f.management())))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("CANNOT_CLOSE_MANAGEMENT_ACCOUNT"));
        assertError(() -> f.client().closeAccount(r -> r.accountId("999999999999")),
                software.amazon.awssdk.services.organizations.model.AccountNotFoundException.class,
                "AccountNotFoundException");
        assertThat(f.client().describeAccount(r -> r.accountId(f.management())).account().statusAsString())
                .isEqualTo("ACTIVE");
    }

    @Test
    void createOrganization_callerBecomesManagementAccount_withAwsShapedIds() {
        Fixture f = organization();
        Organization o = f.organization();
        assertThat(o.id()).matches("o-[a-z0-9]{10}");
        assertThat(o.arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":organization/" + o.id());
        assertThat(o.featureSetAsString()).isEqualTo("ALL");
        assertThat(o.masterAccountId()).isEqualTo(f.management());
        assertThat(o.masterAccountArn()).isEqualTo("arn:aws:organizations::" + f.management() + ":account/"
                + o.id() + "/" + f.management());
        assertThat(f.root().id()).matches("r-[a-z0-9]{4}");
        assertThat(f.root().arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":root/" + o.id() + "/"
                + f.root().id());
        assertThat(f.root().name()).isEqualTo("Root");
        assertThat(f.root().policyTypes()).isEmpty();
        assertThat(f.client().describeOrganization(r -> {}).organization()).isEqualTo(o);
        List<Account> accounts = f.client().listAccounts(r -> {}).accounts();
        assertThat(accounts).extracting(Account::id).containsExactly(f.management());
        assertThat(accounts.get(0).statusAsString()).isEqualTo("ACTIVE");
    }

    @Test
    void createOrganization_twice_failsWithAlreadyInOrganization() {
        Fixture f = organization();
        assertError(() -> f.client().createOrganization(r -> r.featureSet("ALL")),
                AlreadyInOrganizationException.class, "AlreadyInOrganizationException");
    }

    @Test
    void createOrganization_badFeatureSet_failsWithInvalidInputAndItsReason() {
        String outsider = account();
        assertThatThrownBy(() -> org(outsider).createOrganization(r -> r.featureSet("SOME")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("INVALID_ENUM"));
        assertError(() -> org(outsider).describeOrganization(r -> {}), AwsOrganizationsNotInUseException.class,
                "AWSOrganizationsNotInUseException");
    }

    @Test
    void organization_isGlobal_whateverRegionTheRequestIsSignedFor() {
        Fixture f = organization();
        OrganizationsClient west = client(UNDERPASS.endpoint(), f.management(), "eu-west-1");
        assertThat(west.describeOrganization(r -> {}).organization().id()).isEqualTo(f.organization().id());
        assertError(() -> west.createOrganization(r -> {}), AlreadyInOrganizationException.class,
                "AlreadyInOrganizationException");
    }

    @Test
    void outsider_getsNotInUse_andMember_getsAccessDenied_onManagementCalls() {
        Fixture f = organization();
        String member = account();
        join(f, member);
        String outsider = account();
        assertError(() -> org(outsider).listAccounts(r -> {}), AwsOrganizationsNotInUseException.class,
                "AWSOrganizationsNotInUseException");
        assertError(() -> org(outsider).listRoots(r -> {}), AwsOrganizationsNotInUseException.class,
                "AWSOrganizationsNotInUseException");
        OrganizationsClient m = org(member);
        assertThat(m.describeOrganization(r -> {}).organization().masterAccountId()).isEqualTo(f.management());
        assertError(() -> m.listAccounts(r -> {}), AccessDeniedException.class, "AccessDeniedException");
        assertError(() -> m.listRoots(r -> {}), AccessDeniedException.class, "AccessDeniedException");
        assertError(() -> m.createOrganizationalUnit(r -> r.parentId(f.root().id()).name("x")),
                AccessDeniedException.class, "AccessDeniedException");
        assertError(() -> m.enablePolicyType(r -> r.rootId(f.root().id()).policyType("SERVICE_CONTROL_POLICY")),
                AccessDeniedException.class, "AccessDeniedException");
        assertError(() -> m.createAccount(r -> r.accountName("x").email("x@example.com")),
                AccessDeniedException.class, "AccessDeniedException");
        assertError(() -> m.deleteOrganization(r -> {}), AccessDeniedException.class, "AccessDeniedException");
        assertThat(f.client().listOrganizationalUnitsForParent(r -> r.parentId(f.root().id())).organizationalUnits())
                .isEmpty();
    }

    @Test
    void deleteOrganization_withMembers_failsUntilTheyAreRemoved() {
        Fixture f = organization();
        String member = account();
        join(f, member);
        f.client().createOrganizationalUnit(r -> r.parentId(f.root().id()).name("left-behind"));
        assertError(() -> f.client().deleteOrganization(r -> {}), OrganizationNotEmptyException.class,
                "OrganizationNotEmptyException");
        f.client().removeAccountFromOrganization(r -> r.accountId(member));
        f.client().deleteOrganization(r -> {});
        assertError(() -> f.client().describeOrganization(r -> {}), AwsOrganizationsNotInUseException.class,
                "AWSOrganizationsNotInUseException");
        // Both accounts may start or join another organization afterwards.
        assertThat(org(member).createOrganization(r -> {}).organization().masterAccountId()).isEqualTo(member);
        assertThat(f.client().createOrganization(r -> {}).organization().id()).isNotEqualTo(f.organization().id());
    }

    // ------------------------------------------------------------------ OUs

    @Test
    void organizationalUnits_createDescribeUpdateListDelete() {
        Fixture f = organization();
        String rootId = f.root().id();
        OrganizationalUnit prod = f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("prod"))
                .organizationalUnit();
        assertThat(prod.id()).matches("ou-" + rootId.substring(2) + "-[a-z0-9]{8}");
        assertThat(prod.arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":ou/"
                + f.organization().id() + "/" + prod.id());
        OrganizationalUnit team = f.client().createOrganizationalUnit(r -> r.parentId(prod.id()).name("team"))
                .organizationalUnit();
        assertThat(f.client().describeOrganizationalUnit(r -> r.organizationalUnitId(team.id()))
                .organizationalUnit()).isEqualTo(team);
        assertThat(f.client().updateOrganizationalUnit(r -> r.organizationalUnitId(team.id()).name("team-a"))
                .organizationalUnit().name()).isEqualTo("team-a");
        assertThat(f.client().listOrganizationalUnitsForParent(r -> r.parentId(rootId)).organizationalUnits())
                .extracting(OrganizationalUnit::id).containsExactly(prod.id());
        assertThat(f.client().listChildren(r -> r.parentId(prod.id()).childType("ORGANIZATIONAL_UNIT"))
                .children()).extracting(Child::id).containsExactly(team.id());
        assertThat(f.client().listParents(r -> r.childId(team.id())).parents())
                .singleElement().satisfies(p -> {
                    assertThat(p.id()).isEqualTo(prod.id());
                    assertThat(p.typeAsString()).isEqualTo("ORGANIZATIONAL_UNIT");
                });
        assertThat(f.client().listParents(r -> r.childId(prod.id())).parents().get(0).typeAsString())
                .isEqualTo("ROOT");
        assertError(() -> f.client().deleteOrganizationalUnit(r -> r.organizationalUnitId(prod.id())),
                OrganizationalUnitNotEmptyException.class, "OrganizationalUnitNotEmptyException");
        f.client().deleteOrganizationalUnit(r -> r.organizationalUnitId(team.id()));
        f.client().deleteOrganizationalUnit(r -> r.organizationalUnitId(prod.id()));
        assertError(() -> f.client().describeOrganizationalUnit(r -> r.organizationalUnitId(prod.id())),
                OrganizationalUnitNotFoundException.class, "OrganizationalUnitNotFoundException");
        assertThat(f.client().listChildren(r -> r.parentId(rootId).childType("ORGANIZATIONAL_UNIT")).children())
                .isEmpty();
    }

    @Test
    void organizationalUnits_badInput_failsWithAwsErrorsAndChangesNothing() {
        Fixture f = organization();
        String rootId = f.root().id();
        f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("dup"));
        assertError(() -> f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("dup")),
                DuplicateOrganizationalUnitException.class, "DuplicateOrganizationalUnitException");
        assertError(() -> f.client().createOrganizationalUnit(r -> r.parentId("ou-zzzz-abcdefgh").name("x")),
                ParentNotFoundException.class, "ParentNotFoundException");
        assertThatThrownBy(() -> f.client().createOrganizationalUnit(r -> r.parentId("nonsense").name("x")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("INVALID_PATTERN"));
        assertError(() -> f.client().listParents(r -> r.childId("999999999999")), ChildNotFoundException.class,
                "ChildNotFoundException");
        // Five levels under the root at most.
        String parent = rootId;
        for (int i = 1; i <= 5; i++) {
            String p = parent;
            int n = i;
            parent = f.client().createOrganizationalUnit(r -> r.parentId(p).name("level" + n)).organizationalUnit()
                    .id();
        }
        String deepest = parent;
        assertThatThrownBy(() -> f.client().createOrganizationalUnit(r -> r.parentId(deepest).name("level6")))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("OU_DEPTH_LIMIT_EXCEEDED"));
        assertThat(f.client().listOrganizationalUnitsForParent(r -> r.parentId(rootId)).organizationalUnits())
                .extracting(OrganizationalUnit::name).containsExactlyInAnyOrder("dup", "level1");
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void createAccount_addsAMemberThatCanThenSignRequests() {
        Fixture f = organization();
        CreateAccountStatus started = f.client().createAccount(r -> r.accountName("workload")
                .email("workload@example.com")).createAccountStatus();
        assertThat(started.id()).matches("car-[a-z0-9]{32}");
        assertThat(started.stateAsString()).isEqualTo("IN_PROGRESS");
        CreateAccountStatus done = f.client().describeCreateAccountStatus(r -> r.createAccountRequestId(
                started.id())).createAccountStatus();
        assertThat(done.stateAsString()).isEqualTo("SUCCEEDED");
        assertThat(done.accountId()).matches("[1-9]\\d{11}");
        assertThat(f.client().listCreateAccountStatus(r -> r.statesWithStrings("SUCCEEDED")).createAccountStatuses())
                .extracting(CreateAccountStatus::id).containsExactly(started.id());
        assertThat(f.client().listCreateAccountStatus(r -> r.statesWithStrings("FAILED", "IN_PROGRESS"))
                .createAccountStatuses()).isEmpty();
        Account a = f.client().describeAccount(r -> r.accountId(done.accountId())).account();
        assertThat(a.name()).isEqualTo("workload");
        assertThat(a.email()).isEqualTo("workload@example.com");
        assertThat(a.joinedMethodAsString()).isEqualTo("CREATED");
        assertThat(a.arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":account/"
                + f.organization().id() + "/" + done.accountId());
        // The new account signs with its id as access key and sees itself in the organization.
        assertThat(org(done.accountId()).describeOrganization(r -> {}).organization().id())
                .isEqualTo(f.organization().id());
        assertThat(UNDERPASS.ec2(done.accountId()).describeVpcs().vpcs()).isNotNull();
        assertThat(f.client().listAccountsForParent(r -> r.parentId(f.root().id())).accounts())
                .extracting(Account::id).containsExactlyInAnyOrder(f.management(), done.accountId());
    }

    @Test
    void createAccount_badEmail_failsWithInvalidInput() {
        Fixture f = organization();
        assertThatThrownBy(() -> f.client().createAccount(r -> r.accountName("x").email("not-an-email")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("INVALID_EMAIL_ADDRESS_TARGET"));
        assertThat(f.client().listAccounts(r -> {}).accounts()).hasSize(1);
    }

    @Test
    void invitation_acceptedByTheInvitedAccount_makesItAMember() {
        Fixture f = organization();
        String invited = account();
        Handshake h = f.client().inviteAccountToOrganization(r -> r.target(t -> t.id(invited).type("ACCOUNT"))
                .notes("welcome")).handshake();
        assertThat(h.id()).matches("h-[a-z0-9]{10}");
        assertThat(h.arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":handshake/"
                + f.organization().id() + "/invite/" + h.id());
        assertThat(h.stateAsString()).isEqualTo("OPEN");
        assertThat(h.actionAsString()).isEqualTo("INVITE");
        assertThat(h.expirationTimestamp()).isEqualTo(h.requestedTimestamp().plus(Duration.ofDays(15)));
        assertThat(h.parties()).extracting(p -> p.typeAsString() + ":" + p.id())
                .containsExactly("ORGANIZATION:" + f.organization().id(), "ACCOUNT:" + invited);
        OrganizationsClient guest = org(invited);
        assertThat(guest.listHandshakesForAccount(r -> {}).handshakes()).extracting(Handshake::id)
                .containsExactly(h.id());
        assertThat(f.client().listHandshakesForOrganization(r -> {}).handshakes()).extracting(Handshake::id)
                .containsExactly(h.id());
        assertError(() -> f.client().inviteAccountToOrganization(r -> r.target(t -> t.id(invited)
                .type("ACCOUNT"))), DuplicateHandshakeException.class, "DuplicateHandshakeException");
        // Only the invited account answers it.
        assertError(() -> f.client().acceptHandshake(r -> r.handshakeId(h.id())), AccessDeniedException.class,
                "AccessDeniedException");
        assertError(() -> org(account()).acceptHandshake(r -> r.handshakeId(h.id())),
                HandshakeNotFoundException.class, "HandshakeNotFoundException");
        Handshake accepted = guest.acceptHandshake(r -> r.handshakeId(h.id())).handshake();
        assertThat(accepted.stateAsString()).isEqualTo("ACCEPTED");
        assertError(() -> guest.acceptHandshake(r -> r.handshakeId(h.id())), HandshakeAlreadyInStateException.class,
                "HandshakeAlreadyInStateException");
        assertError(() -> guest.declineHandshake(r -> r.handshakeId(h.id())),
                InvalidHandshakeTransitionException.class, "InvalidHandshakeTransitionException");
        Account member = f.client().describeAccount(r -> r.accountId(invited)).account();
        assertThat(member.joinedMethodAsString()).isEqualTo("INVITED");
        assertThat(guest.describeOrganization(r -> {}).organization().id()).isEqualTo(f.organization().id());
    }

    @Test
    void invitation_declined_leavesTheAccountOutside() {
        Fixture f = organization();
        String invited = account();
        Handshake h = f.client().inviteAccountToOrganization(r -> r.target(t -> t.id(invited).type("ACCOUNT")))
                .handshake();
        assertThat(org(invited).declineHandshake(r -> r.handshakeId(h.id())).handshake().stateAsString())
                .isEqualTo("DECLINED");
        assertError(() -> org(invited).describeOrganization(r -> {}), AwsOrganizationsNotInUseException.class,
                "AWSOrganizationsNotInUseException");
        assertError(() -> f.client().describeAccount(r -> r.accountId(invited)), AccountNotFoundException.class,
                "AccountNotFoundException");
    }

    @Test
    void invitation_ofAnAccountInAnOrganization_failsWithItsReason() {
        Fixture f = organization();
        Fixture other = organization();
        assertThatThrownBy(() -> f.client().inviteAccountToOrganization(r -> r.target(t -> t.id(other.management())
                .type("ACCOUNT")))).isInstanceOfSatisfying(HandshakeConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("ALREADY_IN_AN_ORGANIZATION"));
        assertThatThrownBy(() -> f.client().inviteAccountToOrganization(r -> r.target(t -> t.id("a@example.com")
                .type("EMAIL")))).isInstanceOf(InvalidInputException.class);
        assertThat(f.client().listHandshakesForOrganization(r -> {}).handshakes()).isEmpty();
    }

    @Test
    void removeAndLeave_takeTheAccountOut_butNeverTheManagementAccount() {
        Fixture f = organization();
        String a = account();
        String b = account();
        join(f, a);
        join(f, b);
        assertError(() -> f.client().removeAccountFromOrganization(r -> r.accountId(f.management())),
                MasterCannotLeaveOrganizationException.class, "MasterCannotLeaveOrganizationException");
        assertError(() -> f.client().leaveOrganization(r -> {}), MasterCannotLeaveOrganizationException.class,
                "MasterCannotLeaveOrganizationException");
        assertError(() -> org(a).removeAccountFromOrganization(r -> r.accountId(b)), AccessDeniedException.class,
                "AccessDeniedException");
        f.client().removeAccountFromOrganization(r -> r.accountId(a));
        org(b).leaveOrganization(r -> {});
        assertThat(f.client().listAccounts(r -> {}).accounts()).extracting(Account::id)
                .containsExactly(f.management());
        assertError(() -> f.client().removeAccountFromOrganization(r -> r.accountId(a)),
                AccountNotFoundException.class, "AccountNotFoundException");
    }

    @Test
    void moveAccount_betweenRootAndOus() {
        Fixture f = organization();
        String a = account();
        join(f, a);
        String rootId = f.root().id();
        String ou = f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("apps")).organizationalUnit()
                .id();
        f.client().moveAccount(r -> r.accountId(a).sourceParentId(rootId).destinationParentId(ou));
        assertThat(f.client().listAccountsForParent(r -> r.parentId(ou)).accounts()).extracting(Account::id)
                .containsExactly(a);
        assertThat(f.client().listParents(r -> r.childId(a)).parents().get(0).id()).isEqualTo(ou);
        assertError(() -> f.client().moveAccount(r -> r.accountId(a).sourceParentId(ou).destinationParentId(ou)),
                DuplicateAccountException.class, "DuplicateAccountException");
        assertError(() -> f.client().moveAccount(r -> r.accountId(a).sourceParentId(rootId)
                .destinationParentId(ou)), AccountNotFoundException.class, "AccountNotFoundException");
        assertError(() -> f.client().moveAccount(r -> r.accountId(a).sourceParentId("ou-zzzz-abcdefgh")
                .destinationParentId(rootId)), SourceParentNotFoundException.class, "SourceParentNotFoundException");
        assertError(() -> f.client().moveAccount(r -> r.accountId(a).sourceParentId(ou)
                .destinationParentId("ou-zzzz-abcdefgh")), DestinationParentNotFoundException.class,
                "DestinationParentNotFoundException");
        assertThat(f.client().listChildren(r -> r.parentId(ou).childType("ACCOUNT")).children())
                .extracting(Child::id).containsExactly(a);
    }

    @Test
    void serviceAccess_enableListDisable() {
        Fixture f = organization();
        f.client().enableAWSServiceAccess(r -> r.servicePrincipal("ram.amazonaws.com"));
        f.client().enableAWSServiceAccess(r -> r.servicePrincipal("ram.amazonaws.com"));
        assertThat(f.client().listAWSServiceAccessForOrganization(r -> {}).enabledServicePrincipals())
                .singleElement().satisfies(p -> {
                    assertThat(p.servicePrincipal()).isEqualTo("ram.amazonaws.com");
                    assertThat(p.dateEnabled()).isNotNull();
                });
        assertThatThrownBy(() -> f.client().enableAWSServiceAccess(r -> r.servicePrincipal("not a principal")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("UNRECOGNIZED_SERVICE_PRINCIPAL"));
        f.client().disableAWSServiceAccess(r -> r.servicePrincipal("ram.amazonaws.com"));
        assertThat(f.client().listAWSServiceAccessForOrganization(r -> {}).enabledServicePrincipals()).isEmpty();
    }

    // ------------------------------------------------------------------ policies

    @Test
    void enablePolicyType_attachesFullAwsAccessEverywhere_andShowsOnTheRoot() {
        Fixture f = organization();
        String rootId = f.root().id();
        String a = account();
        join(f, a);
        String ou = f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("before")).organizationalUnit()
                .id();
        Root root = f.client().enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY")).root();
        assertThat(root.policyTypes()).extracting(PolicyTypeSummary::typeAsString, PolicyTypeSummary::statusAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SERVICE_CONTROL_POLICY", "ENABLED"));
        assertThat(f.client().listRoots(r -> {}).roots().get(0).policyTypes()).hasSize(1);
        String after = f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("after"))
                .organizationalUnit().id();
        for (String target : List.of(rootId, a, f.management(), ou, after)) {
            assertThat(f.client().listPoliciesForTarget(r -> r.targetId(target).filter("SERVICE_CONTROL_POLICY"))
                    .policies()).extracting(PolicySummary::id).as(target).containsExactly("p-FullAWSAccess");
        }
        PolicySummary full = f.client().listPolicies(r -> r.filter("SERVICE_CONTROL_POLICY")).policies().get(0);
        assertThat(full.name()).isEqualTo("FullAWSAccess");
        assertThat(full.awsManaged()).isTrue();
        assertThat(full.arn()).isEqualTo("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess");
        assertThat(f.client().listTargetsForPolicy(r -> r.policyId("p-FullAWSAccess")).targets()).hasSize(5);
        assertError(() -> f.client().enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY")),
                PolicyTypeAlreadyEnabledException.class, "PolicyTypeAlreadyEnabledException");
        assertError(() -> f.client().enablePolicyType(r -> r.rootId("r-zzzz").policyType("SERVICE_CONTROL_POLICY")),
                RootNotFoundException.class, "RootNotFoundException");
        f.client().enablePolicyType(r -> r.rootId(rootId).policyType("RESOURCE_CONTROL_POLICY"));
        assertThat(f.client().listPoliciesForTarget(r -> r.targetId(a).filter("RESOURCE_CONTROL_POLICY"))
                .policies()).extracting(PolicySummary::id).containsExactly("p-RCPFullAWSAccess");
        f.client().disablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
        assertThat(f.client().listRoots(r -> {}).roots().get(0).policyTypes())
                .extracting(PolicyTypeSummary::typeAsString).containsExactly("RESOURCE_CONTROL_POLICY");
        assertThat(f.client().listTargetsForPolicy(r -> r.policyId("p-FullAWSAccess")).targets()).isEmpty();
        assertError(() -> f.client().disablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY")),
                PolicyTypeNotEnabledException.class, "PolicyTypeNotEnabledException");
    }

    @Test
    void policies_createDescribeUpdateAttachDetachDelete() {
        Fixture f = organization();
        String rootId = f.root().id();
        String a = account();
        join(f, a);
        Policy created = f.client().createPolicy(r -> r.name("deny-vpce").description("no endpoints")
                .type("SERVICE_CONTROL_POLICY").content(SCP_DENY_VPCE)).policy();
        PolicySummary s = created.policySummary();
        assertThat(s.id()).matches("p-[a-z0-9]{8}");
        assertThat(s.arn()).isEqualTo("arn:aws:organizations::" + f.management() + ":policy/"
                + f.organization().id() + "/service_control_policy/" + s.id());
        assertThat(s.awsManaged()).isFalse();
        assertThat(f.client().describePolicy(r -> r.policyId(s.id())).policy()).isEqualTo(created);
        assertError(() -> f.client().attachPolicy(r -> r.policyId(s.id()).targetId(a)),
                PolicyTypeNotEnabledException.class, "PolicyTypeNotEnabledException");
        f.client().enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
        f.client().attachPolicy(r -> r.policyId(s.id()).targetId(a));
        assertError(() -> f.client().attachPolicy(r -> r.policyId(s.id()).targetId(a)),
                DuplicatePolicyAttachmentException.class, "DuplicatePolicyAttachmentException");
        assertError(() -> f.client().attachPolicy(r -> r.policyId(s.id()).targetId("999999999999")),
                TargetNotFoundException.class, "TargetNotFoundException");
        assertError(() -> f.client().attachPolicy(r -> r.policyId("p-abcdefgh").targetId(a)),
                PolicyNotFoundException.class, "PolicyNotFoundException");
        assertThat(f.client().listPoliciesForTarget(r -> r.targetId(a).filter("SERVICE_CONTROL_POLICY")).policies())
                .extracting(PolicySummary::id).containsExactlyInAnyOrder("p-FullAWSAccess", s.id());
        assertThat(f.client().listTargetsForPolicy(r -> r.policyId(s.id())).targets())
                .singleElement().satisfies(t -> {
                    assertThat(t.targetId()).isEqualTo(a);
                    assertThat(t.typeAsString()).isEqualTo("ACCOUNT");
                });
        assertError(() -> f.client().deletePolicy(r -> r.policyId(s.id())), PolicyInUseException.class,
                "PolicyInUseException");
        Policy updated = f.client().updatePolicy(r -> r.policyId(s.id()).name("deny-endpoints")).policy();
        assertThat(updated.policySummary().name()).isEqualTo("deny-endpoints");
        assertThat(updated.content()).isEqualTo(SCP_DENY_VPCE);
        f.client().detachPolicy(r -> r.policyId(s.id()).targetId(a));
        assertError(() -> f.client().detachPolicy(r -> r.policyId(s.id()).targetId(a)),
                PolicyNotAttachedException.class, "PolicyNotAttachedException");
        // The last SCP of a target stays.
        assertThatThrownBy(() -> f.client().detachPolicy(r -> r.policyId("p-FullAWSAccess").targetId(a)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"));
        assertThatThrownBy(() -> f.client().deletePolicy(r -> r.policyId("p-FullAWSAccess")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("IMMUTABLE_POLICY"));
        f.client().deletePolicy(r -> r.policyId(s.id()));
        assertError(() -> f.client().describePolicy(r -> r.policyId(s.id())), PolicyNotFoundException.class,
                "PolicyNotFoundException");
    }

    @Test
    void createPolicy_badDocuments_failWithAwsErrors() {
        Fixture f = organization();
        assertError(() -> f.client().createPolicy(r -> r.name("bad").description("").type("SERVICE_CONTROL_POLICY")
                .content("{not json")), MalformedPolicyDocumentException.class, "MalformedPolicyDocumentException");
        assertError(() -> f.client().createPolicy(r -> r.name("bad").description("").type("SERVICE_CONTROL_POLICY")
                .content("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}]}")),
                MalformedPolicyDocumentException.class,
                "MalformedPolicyDocumentException");
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 120; i++) {
            big.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Deny\","
                    + "\"Action\":\"ec2:CreateVpcEndpoint\",\"Resource\":\"*\"}");
        }
        big.append("]}");
        assertThat(big.length()).isGreaterThan(5_120);
        assertThatThrownBy(() -> f.client().createPolicy(r -> r.name("big").description("")
                .type("SERVICE_CONTROL_POLICY").content(big.toString())))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("POLICY_CONTENT_LIMIT_EXCEEDED"));
        // Through the API whitespace counts: a short document padded with leading spaces to 5,121 characters.
        String padded = SCP_DENY_VPCE.replace("{\"Version\"", " ".repeat(5_121 - SCP_DENY_VPCE.length())
                + "{\"Version\"");
        assertThat(padded).hasSize(5_121);
        assertThatThrownBy(() -> f.client().createPolicy(r -> r.name("padded").description("")
                .type("SERVICE_CONTROL_POLICY").content(padded)))
                .isInstanceOfSatisfying(ConstraintViolationException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("POLICY_CONTENT_LIMIT_EXCEEDED"));
        f.client().createPolicy(r -> r.name("padded").description("").type("SERVICE_CONTROL_POLICY")
                .content(padded.substring(1)));
        f.client().createPolicy(r -> r.name("rcp").description("tls only").type("RESOURCE_CONTROL_POLICY")
                .content(RCP));
        assertError(() -> f.client().createPolicy(r -> r.name("rcp").description("").type("RESOURCE_CONTROL_POLICY")
                .content(RCP)), DuplicatePolicyException.class, "DuplicatePolicyException");
        assertThat(f.client().listPolicies(r -> r.filter("SERVICE_CONTROL_POLICY")).policies())
                .extracting(PolicySummary::name).containsExactly("FullAWSAccess", "padded");
        assertThat(f.client().listPolicies(r -> r.filter("RESOURCE_CONTROL_POLICY")).policies())
                .extracting(PolicySummary::name).containsExactly("RCPFullAWSAccess", "rcp");
    }

    @Test
    void listAccounts_pagesWithNextToken() {
        Fixture f = organization();
        for (int i = 0; i < 4; i++) {
            join(f, account());
        }
        var first = f.client().listAccounts(r -> r.maxResults(2));
        assertThat(first.accounts()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        var second = f.client().listAccounts(r -> r.maxResults(2).nextToken(first.nextToken()));
        var third = f.client().listAccounts(r -> r.maxResults(2).nextToken(second.nextToken()));
        assertThat(third.accounts()).hasSize(1);
        assertThat(third.nextToken()).isNull();
        assertThatThrownBy(() -> f.client().listAccounts(r -> r.nextToken("garbage")))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.reasonAsString()).isEqualTo("INVALID_NEXT_TOKEN"));
        assertThatThrownBy(() -> f.client().listAccounts(r -> r.maxResults(21)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void pathOf_givesTheRootToAccountChainWithAttachedPolicies() {
        Fixture f = organization();
        String rootId = f.root().id();
        String a = account();
        join(f, a);
        String ou = f.client().createOrganizationalUnit(r -> r.parentId(rootId).name("apps")).organizationalUnit()
                .id();
        f.client().moveAccount(r -> r.accountId(a).sourceParentId(rootId).destinationParentId(ou));
        f.client().enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
        String p = f.client().createPolicy(r -> r.name("deny").description("").type("SERVICE_CONTROL_POLICY")
                .content(SCP_DENY_VPCE)).policy().policySummary().id();
        f.client().attachPolicy(r -> r.policyId(p).targetId(ou));
        var path = Organizations.pathOf(UNDERPASS.server().store().world(), a).orElseThrow();
        assertThat(path.orgPath()).isEqualTo(f.organization().id() + "/" + rootId + "/" + ou + "/");
        assertThat(path.managementAccount()).isFalse();
        assertThat(path.nodes()).extracting(Organizations.PathNode::id).containsExactly(rootId, ou, a);
        assertThat(path.nodes().get(1).serviceControlPolicies()).extracting(c -> c.id())
                .containsExactly("p-FullAWSAccess", p);
        assertThat(path.nodes().get(1).resourceControlPolicies()).isEmpty();
        assertThat(Organizations.orgIdOf(UNDERPASS.server().store().world(), a)).contains(f.organization().id());
        assertThat(Organizations.pathOf(UNDERPASS.server().store().world(), account())).isEmpty();
    }

    @Test
    void organization_survivesARestart(@TempDir Path dir) {
        String management = "520000000001";
        String member = "520000000002";
        record Made(String orgId, String ou, String policy, String created) {}
        TestStore.acrossARestart(dir, first -> {
            try (OrganizationsClient c = client(URI.create(first.endpoint()), management, "us-east-1")) {
                String orgId = c.createOrganization(r -> {}).organization().id();
                String rootId = c.listRoots(r -> {}).roots().get(0).id();
                String ou = c.createOrganizationalUnit(r -> r.parentId(rootId).name("kept")).organizationalUnit()
                        .id();
                String h = c.inviteAccountToOrganization(r -> r.target(t -> t.id(member).type("ACCOUNT")))
                        .handshake().id();
                client(URI.create(first.endpoint()), member, "us-east-1").acceptHandshake(r -> r.handshakeId(h));
                c.moveAccount(r -> r.accountId(member).sourceParentId(rootId).destinationParentId(ou));
                c.enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
                String policy = c.createPolicy(r -> r.name("kept").description("d").type("SERVICE_CONTROL_POLICY")
                        .content(SCP_DENY_VPCE)).policy().policySummary().id();
                c.attachPolicy(r -> r.policyId(policy).targetId(member));
                c.enableAWSServiceAccess(r -> r.servicePrincipal("ram.amazonaws.com"));
                String created = c.createAccount(r -> r.accountName("made").email("made@example.com"))
                        .createAccountStatus().id();
                return new Made(orgId, ou, policy, created);
            }
        }, (second, made) -> {
            try (OrganizationsClient c = client(URI.create(second.endpoint()), management, "us-east-1")) {
                assertThat(c.describeOrganization(r -> {}).organization().id()).isEqualTo(made.orgId());
                assertThat(c.listAccountsForParent(r -> r.parentId(made.ou())).accounts()).extracting(Account::id)
                        .containsExactly(member);
                assertThat(c.listPoliciesForTarget(r -> r.targetId(member).filter("SERVICE_CONTROL_POLICY")).policies())
                        .extracting(PolicySummary::id).containsExactlyInAnyOrder("p-FullAWSAccess", made.policy());
                assertThat(c.listRoots(r -> {}).roots().get(0).policyTypes()).hasSize(1);
                assertThat(c.listAWSServiceAccessForOrganization(r -> {}).enabledServicePrincipals())
                        .extracting(p -> p.servicePrincipal()).containsExactly("ram.amazonaws.com");
                String madeId = c.describeCreateAccountStatus(r -> r.createAccountRequestId(made.created()))
                        .createAccountStatus().accountId();
                assertThat(c.describeAccount(r -> r.accountId(madeId)).account().joinedMethodAsString())
                        .isEqualTo("CREATED");
                assertThat(c.listHandshakesForOrganization(r -> {}).handshakes()).extracting(Handshake::stateAsString)
                        .containsExactly("ACCEPTED");
            }
        });
    }

    // ------------------------------------------------------------------ wire

    private static HttpResponse<String> raw(String account, String target, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(UNDERPASS.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", RawHttp.authorization(account, "us-east-1", "organizations"))
                .header("X-Amz-Date", RawHttp.amzDate())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return RawHttp.send(b.build());
    }

    @Test
    void rawJson_errorsCarryTypeMessageAndReason_andUnservedActionsAreNamed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Fixture f = organization();
        HttpResponse<String> r = raw(f.management(), "AWSOrganizationsV20161128.CreateOrganizationalUnit",
                "{\"ParentId\":\"" + f.root().id() + "\",\"Name\":\"\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("__type").asText()).isEqualTo("InvalidInputException");
        assertThat(body.path("Reason").asText()).isEqualTo("MIN_LENGTH_EXCEEDED");
        assertThat(body.path("message").asText()).isNotEmpty();
        HttpResponse<String> unserved = raw(f.management(), "AWSOrganizationsV20161128.DescribeEffectivePolicy",
                "{}");
        assertThat(unserved.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unserved.body()).path("__type").asText())
                .isEqualTo("UnsupportedAPIEndpointException");
        HttpResponse<String> unknown = raw(f.management(), "AWSOrganizationsV20161128.MakeCoffee", "{}");
        assertThat(json.readTree(unknown.body()).path("__type").asText()).isEqualTo("UnknownOperationException");
        HttpResponse<String> notJson = raw(f.management(), "AWSOrganizationsV20161128.CreateOrganizationalUnit",
                "[1]");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notJson.body()).path("__type").asText()).isEqualTo("SerializationException");
        assertThat(f.client().listOrganizationalUnitsForParent(q -> q.parentId(f.root().id())).organizationalUnits())
                .isEmpty();
    }
}
