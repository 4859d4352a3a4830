package dev.underpass.server;

import static dev.underpass.server.AwsAssertions.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.OrganizationalUnit;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ram.model.GetResourceSharesResponse;
import software.amazon.awssdk.services.ram.model.InvalidMaxResultsException;
import software.amazon.awssdk.services.ram.model.InvalidNextTokenException;
import software.amazon.awssdk.services.ram.model.InvalidParameterException;
import software.amazon.awssdk.services.ram.model.InvalidResourceTypeException;
import software.amazon.awssdk.services.ram.model.MalformedArnException;
import software.amazon.awssdk.services.ram.model.OperationNotPermittedException;
import software.amazon.awssdk.services.ram.model.RamException;
import software.amazon.awssdk.services.ram.model.Resource;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitationAlreadyAcceptedException;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitationArnNotFoundException;
import software.amazon.awssdk.services.ram.model.UnknownResourceException;

/**
 * AWS RAM through the SDK's RamClient (restJson1): shares of subnets and prefix lists inside an organization and,
 * for prefix lists, with outside accounts by invitation; every operation and AWS's errors, with nothing changed by
 * a refused call. Each test builds its own organization from fresh account ids, so the tests share one server.
 */
class RamApiTest {
    private static final AtomicLong NEXT = new AtomicLong(620_000_000_000L);

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    static RamClient ram(URI endpoint, String account) {
        return UnderpassExtension.client(RamClient.builder(), endpoint, account, Region.US_EAST_1);
    }

    private static RamClient ram(String account) {
        return ram(UNDERPASS.endpoint(), account);
    }

    private static OrganizationsClient org(String account) {
        return OrganizationsApiTest.client(UNDERPASS.endpoint(), account, "us-east-1");
    }

    private static String account() {
        return Long.toString(NEXT.getAndIncrement());
    }

    /** An organization with two members, sharing enabled, and a VPC with two subnets in the management account. */
    record Org(String owner, String a, String b, String orgArn, String ouArn, String vpc, String subnet1,
            String subnet2) {
        String subnetArn(String subnet) {
            return "arn:aws:ec2:us-east-1:" + owner + ":subnet/" + subnet;
        }
    }

    static Org organization(URI endpoint, boolean enableSharing) {
        String owner = Long.toString(NEXT.getAndIncrement());
        String a = Long.toString(NEXT.getAndIncrement());
        String b = Long.toString(NEXT.getAndIncrement());
        OrganizationsClient mgmt = OrganizationsApiTest.client(endpoint, owner, "us-east-1");
        var o = mgmt.createOrganization(r -> r.featureSet("ALL")).organization();
        String root = mgmt.listRoots(r -> {}).roots().get(0).id();
        OrganizationalUnit ou = mgmt.createOrganizationalUnit(r -> r.parentId(root).name("workloads"))
                .organizationalUnit();
        for (String member : List.of(a, b)) {
            Handshake h = mgmt.inviteAccountToOrganization(r -> r.target(t -> t.id(member).type("ACCOUNT")))
                    .handshake();
            OrganizationsApiTest.client(endpoint, member, "us-east-1").acceptHandshake(r -> r.handshakeId(h.id()));
        }
        mgmt.moveAccount(r -> r.accountId(a).sourceParentId(root).destinationParentId(ou.id()));
        if (enableSharing) {
            ram(endpoint, owner).enableSharingWithAwsOrganization(r -> {});
        }
        Ec2Client ec2 = TestClients.ec2(endpoint.toString(), owner, "us-east-1");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        String s1 = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String s2 = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        return new Org(owner, a, b, o.arn(), ou.arn(), vpc, s1, s2);
    }

    private static List<ResourceShare> ownShares(String account) {
        return ram(account).getResourceShares(r -> r.resourceOwner("SELF")).resourceShares();
    }

    // ------------------------------------------------------------------ organization sharing

    @Test
    void enableSharingWithAwsOrganization_managementAccountOnly() {
        Org o = organization(UNDERPASS.endpoint(), false);
        assertAwsError(() -> ram(o.a()).enableSharingWithAwsOrganization(r -> {}),
                OperationNotPermittedException.class, "OperationNotPermittedException", 400);
        assertAwsError(() -> ram(account()).enableSharingWithAwsOrganization(r -> {}),
                OperationNotPermittedException.class, "OperationNotPermittedException", 400);
        assertThat(ram(o.owner()).enableSharingWithAwsOrganization(r -> {}).returnValue()).isTrue();
        assertThat(org(o.owner()).listAWSServiceAccessForOrganization(r -> {}).enabledServicePrincipals())
                .anySatisfy(p -> assertThat(p.servicePrincipal()).isEqualTo("ram.amazonaws.com"));
    }

    @Test
    void shareSubnetsWithOu_withoutSharingEnabled_isRefused_andNothingIsCreated() {
        Org o = organization(UNDERPASS.endpoint(), false);
        assertAwsError(() -> ram(o.owner()).createResourceShare(r -> r.name("subnets")
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.ouArn())),
                OperationNotPermittedException.class, "OperationNotPermittedException", 400);
        assertThat(ownShares(o.owner())).isEmpty();
    }

    // ------------------------------------------------------------------ shares

    @Test
    void createResourceShare_subnetsWithOu_isActive_andParticipantSeesIt() {
        Org o = organization(UNDERPASS.endpoint(), true);
        ResourceShare share = ram(o.owner()).createResourceShare(r -> r.name("subnets")
                .resourceArns(o.subnetArn(o.subnet1()), o.subnetArn(o.subnet2())).principals(o.ouArn())
                .tags(t -> t.key("team").value("net")).clientToken("tok-1")).resourceShare();
        assertThat(share.resourceShareArn()).matches("arn:aws:ram:us-east-1:" + o.owner()
                + ":resource-share/[0-9a-f-]{36}");
        assertThat(share.statusAsString()).isEqualTo("ACTIVE");
        assertThat(share.owningAccountId()).isEqualTo(o.owner());
        assertThat(share.allowExternalPrincipals()).isTrue();
        assertThat(share.tags()).singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("net"));

        List<ResourceShareAssociation> principals = ram(o.owner()).getResourceShareAssociations(r -> r
                .associationType("PRINCIPAL").resourceShareArns(share.resourceShareArn()))
                .resourceShareAssociations();
        assertThat(principals).singleElement().satisfies(a -> {
            assertThat(a.associatedEntity()).isEqualTo(o.ouArn());
            assertThat(a.statusAsString()).isEqualTo("ASSOCIATED");
            assertThat(a.external()).isFalse();
            assertThat(a.resourceShareName()).isEqualTo("subnets");
        });
        assertThat(ram(o.owner()).getResourceShareAssociations(r -> r.associationType("RESOURCE"))
                .resourceShareAssociations()).extracting(ResourceShareAssociation::associatedEntity)
                .containsExactlyInAnyOrder(o.subnetArn(o.subnet1()), o.subnetArn(o.subnet2()));

        // Participant A (in the OU) sees the share without its owner's tags, and its resources.
        List<ResourceShare> seen = ram(o.a()).getResourceShares(r -> r.resourceOwner("OTHER-ACCOUNTS"))
                .resourceShares();
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.resourceShareArn()).isEqualTo(share.resourceShareArn());
            assertThat(s.tags()).isEmpty();
        });
        List<Resource> resources = ram(o.a()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources();
        assertThat(resources).extracting(Resource::arn)
                .containsExactlyInAnyOrder(o.subnetArn(o.subnet1()), o.subnetArn(o.subnet2()));
        assertThat(resources).allSatisfy(r -> assertThat(r.type()).isEqualTo("ec2:Subnet"));
        // B is in the organization but not in the OU: nothing.
        assertThat(ram(o.b()).getResourceShares(r -> r.resourceOwner("OTHER-ACCOUNTS")).resourceShares())
                .isEmpty();
        assertThat(ram(o.owner()).listPrincipals(r -> r.resourceOwner("SELF")).principals())
                .singleElement().satisfies(p -> assertThat(p.id()).isEqualTo(o.ouArn()));
        // OTHER-ACCOUNTS: who shares with the caller.
        assertThat(ram(o.a()).listPrincipals(r -> r.resourceOwner("OTHER-ACCOUNTS")).principals())
                .singleElement().satisfies(p -> {
                    assertThat(p.id()).isEqualTo(o.owner());
                    assertThat(p.resourceShareArn()).isEqualTo(share.resourceShareArn());
                    assertThat(p.external()).isFalse();
                });
        assertThat(ram(o.owner()).listResources(r -> r.resourceOwner("SELF").resourceType("ec2:Subnet"))
                .resources()).hasSize(2);
    }

    @Test
    void shareWithOrganizationArn_reachesEveryMember() {
        Org o = organization(UNDERPASS.endpoint(), true);
        ram(o.owner()).createResourceShare(r -> r.name("all").resourceArns(o.subnetArn(o.subnet1()))
                .principals(o.orgArn()));
        for (String member : List.of(o.a(), o.b())) {
            assertThat(ram(member).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources())
                    .extracting(Resource::arn).containsExactly(o.subnetArn(o.subnet1()));
        }
    }

    @Test
    void createResourceShare_badInput_answersRamErrors_andChangesNothing() {
        Org o = organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns("not-an-arn")),
                MalformedArnException.class, "MalformedArnException", 400);
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").principals("arn:aws:organizations::x")),
                MalformedArnException.class, "MalformedArnException", 400);
        // A subnet of another account.
        Org other = organization(UNDERPASS.endpoint(), true);
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns(other.subnetArn(other.subnet1()))),
                UnknownResourceException.class, "UnknownResourceException", 400);
        // A subnet that does not exist.
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x")
                .resourceArns("arn:aws:ec2:us-east-1:" + o.owner() + ":subnet/subnet-0123456789abcdef0")),
                UnknownResourceException.class, "UnknownResourceException", 400);
        // A default VPC's subnet.
        Ec2Client ec2 = UNDERPASS.ec2(o.owner());
        String defaultSubnet = ec2.describeSubnets(r -> r.filters(f -> f.name("default-for-az").values("true")))
                .subnets().get(0).subnetId();
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns(o.subnetArn(defaultSubnet))
                .principals(o.a())), InvalidParameterException.class, "InvalidParameterException", 400);
        // A subnet with an account outside the organization.
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns(o.subnetArn(o.subnet1()))
                .principals(account())), OperationNotPermittedException.class, "OperationNotPermittedException", 400);
        // Another organization's OU.
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns(o.subnetArn(o.subnet1()))
                .principals(other.ouArn())), UnknownResourceException.class, "UnknownResourceException", 400);
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").resourceArns(
                "arn:aws:s3:::my-bucket")), InvalidParameterException.class, "InvalidParameterException", 400);
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").permissionArns(
                "arn:aws:ram::aws:permission/NoSuchPermission")), UnknownResourceException.class,
                "UnknownResourceException", 400);
        assertAwsError(() -> ram.createResourceShare(r -> r.name("x").sources("ec2.amazonaws.com")),
                InvalidParameterException.class, "InvalidParameterException", 400);
        assertThat(ownShares(o.owner())).isEmpty();
    }

    @Test
    void getResourceShares_filtersAndPages() {
        Org o = organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        for (String name : List.of("one", "two", "three")) {
            ram.createResourceShare(r -> r.name(name).tags(t -> t.key("env").value(name.equals("two") ? "prod"
                    : "dev")));
        }
        GetResourceSharesResponse first = ram.getResourceShares(r -> r.resourceOwner("SELF").maxResults(2));
        assertThat(first.resourceShares()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        GetResourceSharesResponse second = ram.getResourceShares(r -> r.resourceOwner("SELF").maxResults(2)
                .nextToken(first.nextToken()));
        assertThat(second.resourceShares()).hasSize(1);
        assertThat(second.nextToken()).isNull();
        assertThat(ram.getResourceShares(r -> r.resourceOwner("SELF").name("two")).resourceShares()).hasSize(1);
        assertThat(ram.getResourceShares(r -> r.resourceOwner("SELF").tagFilters(f -> f.tagKey("env")
                .tagValues("dev"))).resourceShares()).extracting(ResourceShare::name)
                .containsExactlyInAnyOrder("one", "three");
        assertAwsError(() -> ram.getResourceShares(r -> r.resourceOwner("SELF").maxResults(0)),
                InvalidMaxResultsException.class, "InvalidMaxResultsException", 400);
        assertAwsError(() -> ram.getResourceShares(r -> r.resourceOwner("SELF").nextToken("bogus")),
                InvalidNextTokenException.class, "InvalidNextTokenException", 400);
        assertAwsError(() -> ram.getResourceShares(r -> r.resourceOwner("SOMEONE")),
                InvalidParameterException.class, "InvalidParameterException", 400);
    }

    @Test
    void updateTagUntagDelete_shareLifecycle() {
        Org o = organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        String arn = ram.createResourceShare(r -> r.name("s").resourceArns(o.subnetArn(o.subnet1()))
                .principals(o.a())).resourceShare().resourceShareArn();
        ResourceShare updated = ram.updateResourceShare(r -> r.resourceShareArn(arn).name("renamed")
                .allowExternalPrincipals(false)).resourceShare();
        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(updated.allowExternalPrincipals()).isFalse();
        ram.tagResource(r -> r.resourceShareArn(arn).tags(t -> t.key("k").value("v")));
        assertThat(ownShares(o.owner()).get(0).tags()).singleElement()
                .satisfies(t -> assertThat(t.key()).isEqualTo("k"));
        ram.untagResource(r -> r.resourceShareArn(arn).tagKeys("k"));
        assertThat(ownShares(o.owner()).get(0).tags()).isEmpty();

        // DELETE /deleteresourceshare?resourceShareArn=…: the share is DELETED, its associations DISASSOCIATED.
        assertThat(ram.deleteResourceShare(r -> r.resourceShareArn(arn).clientToken("c1")).returnValue()).isTrue();
        assertThat(ownShares(o.owner())).singleElement()
                .satisfies(s -> assertThat(s.statusAsString()).isEqualTo("DELETED"));
        assertThat(ram.getResourceShareAssociations(r -> r.associationType("RESOURCE")).resourceShareAssociations())
                .allSatisfy(a -> assertThat(a.statusAsString()).isEqualTo("DISASSOCIATED"));
        assertThat(ram(o.a()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();
        // The status and type filters take AWS's names only, and a deleted share is found by its status.
        assertThat(ram.getResourceShares(r -> r.resourceOwner("SELF").resourceShareStatus("DELETED"))
                .resourceShares()).extracting(ResourceShare::resourceShareArn).containsExactly(arn);
        assertThat(ram.getResourceShares(r -> r.resourceOwner("SELF").resourceShareStatus("ACTIVE"))
                .resourceShares()).isEmpty();
        assertAwsError(() -> ram.getResourceShares(r -> r.resourceOwner("SELF").resourceShareStatus("deleted")),
                InvalidParameterException.class, "InvalidParameterException", 400);
        assertAwsError(() -> ram.getResourceShareAssociations(r -> r.associationType("resource")),
                InvalidParameterException.class, "InvalidParameterException", 400);
        assertAwsError(() -> ram.deleteResourceShare(r -> r.resourceShareArn(arn)), UnknownResourceException.class,
                "UnknownResourceException", 400);
        assertAwsError(() -> ram.updateResourceShare(r -> r.resourceShareArn(arn.replace(o.owner(), o.a()))
                .name("x")), UnknownResourceException.class, "UnknownResourceException", 400);
        assertAwsError(() -> ram.deleteResourceShare(r -> r.resourceShareArn("arn:aws:ram:bad")),
                MalformedArnException.class, "MalformedArnException", 400);
    }

    @Test
    void associateAndDisassociate_resourcesAndPrincipals() {
        Org o = organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        String arn = ram.createResourceShare(r -> r.name("s")).resourceShare().resourceShareArn();
        List<ResourceShareAssociation> added = ram.associateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.b())).resourceShareAssociations();
        assertThat(added).extracting(ResourceShareAssociation::associationTypeAsString)
                .containsExactlyInAnyOrder("RESOURCE", "PRINCIPAL");
        assertThat(ram(o.b()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).hasSize(1);
        List<ResourceShareAssociation> removed = ram.disassociateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet1()))).resourceShareAssociations();
        assertThat(removed).singleElement().satisfies(a -> assertThat(a.statusAsString())
                .isEqualTo("DISASSOCIATED"));
        assertThat(ram(o.b()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();
        assertAwsError(() -> ram.disassociateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet2()))), UnknownResourceException.class,
                "UnknownResourceException", 400);
        assertAwsError(() -> ram.associateResourceShare(r -> r.resourceShareArn(arn)),
                RamException.class, "MissingRequiredParameterException", 400);
    }

    // ------------------------------------------------------------------ invitations (prefix lists)

    @Test
    void prefixList_sharedOutsideOrganization_byInvitation_acceptAndReject() {
        Org o = organization(UNDERPASS.endpoint(), true);
        String outsider = account();
        String other = account();
        String pl = UNDERPASS.ec2(o.owner()).createManagedPrefixList(r -> r.prefixListName("corp")
                .addressFamily("IPv4").maxEntries(5)).prefixList().prefixListId();
        String plArn = "arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl;
        String arn = ram(o.owner()).createResourceShare(r -> r.name("pl").resourceArns(plArn)
                .principals(outsider, other)).resourceShare().resourceShareArn();
        assertThat(ram(o.owner()).getResourceShareAssociations(r -> r.associationType("PRINCIPAL"))
                .resourceShareAssociations()).allSatisfy(a -> {
                    assertThat(a.statusAsString()).isEqualTo("ASSOCIATING");
                    assertThat(a.external()).isTrue();
                });
        // Until it accepts, the outsider has an invitation and no resources.
        ResourceShareInvitation inv = ram(outsider).getResourceShareInvitations(r -> {})
                .resourceShareInvitations().get(0);
        assertThat(inv.statusAsString()).isEqualTo("PENDING");
        assertThat(inv.senderAccountId()).isEqualTo(o.owner());
        assertThat(inv.receiverAccountId()).isEqualTo(outsider);
        assertThat(inv.resourceShareArn()).isEqualTo(arn);
        assertThat(ram(outsider).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();

        assertThat(ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(
                inv.resourceShareInvitationArn())).resourceShareInvitation().statusAsString()).isEqualTo("ACCEPTED");
        assertThat(ram(outsider).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources())
                .extracting(Resource::arn).containsExactly(plArn);
        assertAwsError(() -> ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(
                inv.resourceShareInvitationArn())), ResourceShareInvitationAlreadyAcceptedException.class,
                "ResourceShareInvitationAlreadyAcceptedException", 400);
        // Another account cannot answer it.
        assertAwsError(() -> ram(other).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(
                inv.resourceShareInvitationArn())), ResourceShareInvitationArnNotFoundException.class,
                "ResourceShareInvitationArnNotFoundException", 400);

        ResourceShareInvitation otherInv = ram(other).getResourceShareInvitations(r -> {})
                .resourceShareInvitations().get(0);
        assertThat(ram(other).rejectResourceShareInvitation(r -> r.resourceShareInvitationArn(
                otherInv.resourceShareInvitationArn())).resourceShareInvitation().statusAsString())
                .isEqualTo("REJECTED");
        assertThat(ram(other).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();

        // What a pending invitation would give is listed before answering.
        String third = account();
        String arn3 = ram(o.owner()).createResourceShare(r -> r.name("pl3").resourceArns(plArn).principals(third))
                .resourceShare().resourceShareArn();
        String inv3 = ram(third).getResourceShareInvitations(r -> r.resourceShareArns(arn3))
                .resourceShareInvitations().get(0).resourceShareInvitationArn();
        assertThat(ram(third).listPendingInvitationResources(r -> r.resourceShareInvitationArn(inv3)).resources())
                .extracting(Resource::arn).containsExactly(plArn);
        assertAwsError(() -> ram(outsider).listPendingInvitationResources(r -> r.resourceShareInvitationArn(
                inv.resourceShareInvitationArn())), ResourceShareInvitationAlreadyAcceptedException.class,
                "ResourceShareInvitationAlreadyAcceptedException", 400);
        assertThat(ram(o.owner()).listResourceSharePermissions(r -> r.resourceShareArn(arn)).permissions())
                .singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("AWSRAMDefaultPermissionPrefixList"));
        assertThat(ram(o.owner()).associateResourceSharePermission(r -> r.resourceShareArn(arn).permissionArn(
                "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionPrefixList")).returnValue()).isTrue();
        assertAwsError(() -> ram(o.owner()).associateResourceSharePermission(r -> r.resourceShareArn(arn).permissionArn(
                "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet")),
                InvalidParameterException.class, "InvalidParameterException", 400);

        // A share that does not allow external principals refuses the outsider.
        assertAwsError(() -> ram(o.owner()).createResourceShare(r -> r.name("closed").resourceArns(plArn)
                .principals(account()).allowExternalPrincipals(false)),
                OperationNotPermittedException.class, "OperationNotPermittedException", 400);
        // A subnet added to a share with outside principals is refused.
        assertAwsError(() -> ram(o.owner()).associateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet1()))),
                OperationNotPermittedException.class, "OperationNotPermittedException", 400);
    }

    // ------------------------------------------------------------------ catalogue

    @Test
    void listResourceTypes_listPermissions_getPermission() {
        RamClient ram = ram(account());
        assertThat(ram.listResourceTypes(r -> {}).resourceTypes())
                .extracting(t -> t.resourceType() + "/" + t.serviceName())
                .containsExactly("ec2:PrefixList/ec2", "ec2:Subnet/ec2");
        assertThat(ram.listPermissions(r -> r.resourceType("ec2:Subnet")).permissions()).singleElement()
                .satisfies(p -> {
                    assertThat(p.arn()).isEqualTo("arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet");
                    assertThat(p.isResourceTypeDefault()).isTrue();
                    assertThat(p.permissionTypeAsString()).isEqualTo("AWS_MANAGED");
                });
        assertThat(ram.listPermissions(r -> {}).permissions()).hasSize(2);
        assertThat(ram.getPermission(r -> r.permissionArn(
                "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionPrefixList")).permission().resourceType())
                .isEqualTo("ec2:PrefixList");
        assertAwsError(() -> ram.getPermission(r -> r.permissionArn("arn:aws:ram::aws:permission/Nope")),
                UnknownResourceException.class, "UnknownResourceException", 400);
        assertAwsError(() -> ram.getPermission(r -> r.permissionArn("nope")),
                MalformedArnException.class, "MalformedArnException", 400);
        assertAwsError(() -> ram.listPermissions(r -> r.resourceType("s3:Bucket")),
                InvalidResourceTypeException.class, "InvalidResourceTypeException", 400);
    }

    // ------------------------------------------------------------------ wire

    private static HttpResponse<String> raw(String method, String pathAndQuery, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(UNDERPASS.endpoint().resolve(pathAndQuery))
                .header("Content-Type", "application/json")
                .header("Authorization", RawHttp.authorization(account(), "us-east-1", "ram"))
                .header("X-Amz-Date", RawHttp.amzDate())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return RawHttp.send(b.build());
    }

    @Test
    void errors_carryTheirCodeInXAmznErrorType_andAMessageBody() throws Exception {
        HttpResponse<String> r = raw("POST", "/getresourceshares", "{\"resourceOwner\":\"NOPE\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains("InvalidParameterException");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("message").asText()).contains("NOPE");
        assertThat(body.has("__type")).isFalse();

        HttpResponse<String> unknown = raw("POST", "/nosuchoperation", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");

        HttpResponse<String> notJson = raw("POST", "/getresourceshares", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("x-amzn-ErrorType")).contains("SerializationException");

        // DELETE carries its members in the query string.
        HttpResponse<String> delete = raw("DELETE", "/deleteresourceshare?resourceShareArn=arn%3Aaws%3Aram%3Aus-east-1"
                + "%3A123456789012%3Aresource-share%2F00000000-0000-0000-0000-000000000000", null);
        assertThat(delete.statusCode()).isEqualTo(400);
        assertThat(delete.headers().firstValue("x-amzn-ErrorType")).contains("UnknownResourceException");
        // A method the operation is not bound to is no operation.
        assertThat(raw("GET", "/createresourceshare", null).statusCode()).isEqualTo(404);
    }

    @Test
    void sharesAndGrants_surviveARestart(@TempDir Path dir) {
        record Made(Org o, String arn) {}
        TestStore.acrossARestart(dir, first -> {
            URI endpoint = URI.create(first.endpoint());
            Org o = organization(endpoint, true);
            return new Made(o, ram(endpoint, o.owner()).createResourceShare(r -> r.name("kept")
                    .resourceArns(o.subnetArn(o.subnet1())).principals(o.ouArn())).resourceShare()
                    .resourceShareArn());
        }, (second, made) -> {
            URI endpoint = URI.create(second.endpoint());
            Org o = made.o();
            assertThat(ram(endpoint, o.owner()).getResourceShares(r -> r.resourceOwner("SELF")).resourceShares())
                    .singleElement().satisfies(s -> assertThat(s.resourceShareArn()).isEqualTo(made.arn()));
            assertThat(ram(endpoint, o.a()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources())
                    .extracting(Resource::arn).containsExactly(o.subnetArn(o.subnet1()));
            assertThat(TestClients.ec2(endpoint.toString(), o.a(), "us-east-1")
                    .describeSubnets(r -> r.subnetIds(o.subnet1())).subnets()).hasSize(1);
        });
    }

    @Test
    void participant_seesASharedPrefixList() {
        Org o = organization(UNDERPASS.endpoint(), true);
        String pl = UNDERPASS.ec2(o.owner()).createManagedPrefixList(r -> r.prefixListName("corp")
                .addressFamily("IPv4").maxEntries(5).entries(e -> e.cidr("10.9.0.0/16"))).prefixList()
                .prefixListId();
        ram(o.owner()).createResourceShare(r -> r.name("pl").principals(o.b())
                .resourceArns("arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl));
        assertThat(UNDERPASS.ec2(o.b()).describeManagedPrefixLists(r -> r.prefixListIds(pl)).prefixLists())
                .singleElement().satisfies(p -> assertThat(p.ownerId()).isEqualTo(o.owner()));
        assertThat(UNDERPASS.ec2(o.a()).describeManagedPrefixLists(r -> r.filters(f -> f.name("prefix-list-id")
                .values(pl))).prefixLists()).isEmpty();
    }

    @Test
    void shareWithOu_followsAccountsMovingInAndOut() {
        Org o = organization(UNDERPASS.endpoint(), true);
        ram(o.owner()).createResourceShare(r -> r.name("ou").resourceArns(o.subnetArn(o.subnet1()))
                .principals(o.ouArn()));
        OrganizationsClient mgmt = org(o.owner());
        String root = mgmt.listRoots(r -> {}).roots().get(0).id();
        String ou = o.ouArn().substring(o.ouArn().lastIndexOf('/') + 1);
        mgmt.moveAccount(r -> r.accountId(o.b()).sourceParentId(root).destinationParentId(ou));
        mgmt.moveAccount(r -> r.accountId(o.a()).sourceParentId(ou).destinationParentId(root));
        assertThat(ram(o.b()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).hasSize(1);
        assertThat(UNDERPASS.ec2(o.b()).describeSubnets(r -> r.subnetIds(o.subnet1())).subnets()).hasSize(1);
        assertThat(ram(o.a()).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();
        assertThat(UNDERPASS.ec2(o.a()).describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .subnets()).isEmpty();
        // Leaving the organization ends what a share with the organization gave.
        ram(o.owner()).createResourceShare(r -> r.name("org").resourceArns(o.subnetArn(o.subnet2()))
                .principals(o.orgArn()));
        assertThat(UNDERPASS.ec2(o.a()).describeSubnets(r -> r.subnetIds(o.subnet2())).subnets()).hasSize(1);
        mgmt.removeAccountFromOrganization(r -> r.accountId(o.a()));
        assertThat(UNDERPASS.ec2(o.a()).describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .subnets()).isEmpty();
    }

    @Test
    void isolation_anotherAccountsShareIsUnknown_andSharingStaysInItsRegion() {
        Org o = organization(UNDERPASS.endpoint(), true);
        String arn = ram(o.owner()).createResourceShare(r -> r.name("s").resourceArns(o.subnetArn(o.subnet1()))
                .principals(o.a())).resourceShare().resourceShareArn();
        String stranger = account();
        assertThat(ram(stranger).getResourceShares(r -> r.resourceOwner("SELF").resourceShareArns(arn))
                .resourceShares()).isEmpty();
        assertThat(ram(stranger).getResourceShares(r -> r.resourceOwner("OTHER-ACCOUNTS")).resourceShares())
                .isEmpty();
        assertAwsError(() -> ram(stranger).getResourceShareAssociations(r -> r.associationType("RESOURCE")
                .resourceShareArns(arn)), UnknownResourceException.class, "UnknownResourceException", 400);
        // Even the participant cannot change or list the owner's share's associations.
        assertAwsError(() -> ram(o.a()).associateResourceShare(r -> r.resourceShareArn(arn).principals(o.b())),
                UnknownResourceException.class, "UnknownResourceException", 400);
        assertAwsError(() -> ram(o.a()).deleteResourceShare(r -> r.resourceShareArn(arn)),
                UnknownResourceException.class, "UnknownResourceException", 400);
        // The participant sees the subnet in the share's region only.
        assertThat(UNDERPASS.ec2(o.a(), "eu-west-1").describeSubnets(r -> r.filters(f -> f.name("vpc-id")
                .values(o.vpc()))).subnets()).isEmpty();
        assertThat(UNDERPASS.ec2(o.a()).describeSubnets(r -> r.subnetIds(o.subnet1())).subnets()).hasSize(1);
    }

    @Test
    void remainingErrors_stateTransitionTagLimitAndRejectedInvitation() {
        Org o = organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        String arn = ram.createResourceShare(r -> r.name("s")).resourceShare().resourceShareArn();
        List<software.amazon.awssdk.services.ram.model.Tag> many = new java.util.ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(software.amazon.awssdk.services.ram.model.Tag.builder().key("k" + i).value("v").build());
        }
        assertAwsError(() -> ram.tagResource(r -> r.resourceShareArn(arn).tags(many)),
                software.amazon.awssdk.services.ram.model.TagLimitExceededException.class,
                "TagLimitExceededException", 400);
        assertThat(ownShares(o.owner()).get(0).tags()).isEmpty();
        ram.deleteResourceShare(r -> r.resourceShareArn(arn));
        assertAwsError(() -> ram.updateResourceShare(r -> r.resourceShareArn(arn).name("again")),
                software.amazon.awssdk.services.ram.model.InvalidStateTransitionException.class,
                "InvalidStateTransitionException", 400);

        String pl = UNDERPASS.ec2(o.owner()).createManagedPrefixList(r -> r.prefixListName("p").addressFamily("IPv4")
                .maxEntries(2)).prefixList().prefixListId();
        String outsider = account();
        ram.createResourceShare(r -> r.name("pl").principals(outsider)
                .resourceArns("arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl));
        String inv = ram(outsider).getResourceShareInvitations(r -> {}).resourceShareInvitations().get(0)
                .resourceShareInvitationArn();
        ram(outsider).rejectResourceShareInvitation(r -> r.resourceShareInvitationArn(inv));
        assertAwsError(() -> ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(inv)),
                software.amazon.awssdk.services.ram.model.ResourceShareInvitationAlreadyRejectedException.class,
                "ResourceShareInvitationAlreadyRejectedException", 400);
        assertAwsError(() -> ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn("nope")),
                MalformedArnException.class, "MalformedArnException", 400);
    }
}
