package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.Caller;
import dev.underpass.model.ec2.PrefixLists;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ManagedPrefixList;
import software.amazon.awssdk.services.ec2.model.PrefixList;
import software.amazon.awssdk.services.ec2.model.PrefixListEntry;

/** AWS-managed and customer-managed prefix lists through the AWS SDK. */
class PrefixListApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2("111111111111");
    private final Ec2Client other = UNDERPASS.ec2("222222222222");

    private static AddPrefixListEntry entry(String cidr, String description) {
        return AddPrefixListEntry.builder().cidr(cidr).description(description).build();
    }

    private ManagedPrefixList create(String name, int max, AddPrefixListEntry... entries) {
        return ec2.createManagedPrefixList(r -> r.prefixListName(name).addressFamily("IPv4").maxEntries(max)
                .entries(entries)).prefixList();
    }

    @Test
    void describePrefixLists_showsTheAwsManagedS3AndDynamoDbListsWithCidrs() {
        List<PrefixList> lists = ec2.describePrefixLists().prefixLists();
        assertThat(lists).extracting(PrefixList::prefixListName)
                .containsExactlyInAnyOrder("com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.dynamodb");
        PrefixList s3 = ec2.describePrefixLists(r -> r.filters(Filter.builder().name("prefix-list-name")
                .values("com.amazonaws.us-east-1.s3").build())).prefixLists().get(0);
        assertThat(s3.prefixListId()).isEqualTo("pl-63a5400a");
        assertThat(s3.cidrs()).isNotEmpty().allMatch(c -> c.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+"));

        var eu = UNDERPASS.ec2("111111111111", "eu-west-1").describePrefixLists().prefixLists();
        assertThat(eu).extracting(PrefixList::prefixListName).contains("com.amazonaws.eu-west-1.s3");
        assertThat(eu).extracting(PrefixList::prefixListId).allMatch(id -> id.matches("pl-[0-9a-f]{8}"))
                .doesNotContain("pl-63a5400a");
    }

    @Test
    void describeManagedPrefixLists_ownerAws_listsTheAwsManagedLists_andTheirEntriesCanBeRead() {
        var aws = ec2.describeManagedPrefixLists(r -> r.filters(Filter.builder().name("owner-id").values("AWS")
                .build())).prefixLists();
        assertThat(aws).extracting(ManagedPrefixList::prefixListId).containsExactly("pl-02cd2c6b", "pl-63a5400a");
        assertThat(aws).allSatisfy(p -> {
            assertThat(p.ownerId()).isEqualTo("AWS");
            assertThat(p.stateAsString()).isEqualTo("create-complete");
            assertThat(p.addressFamily()).isEqualTo("IPv4");
            assertThat(p.prefixListArn()).isEqualTo("arn:aws:ec2:us-east-1:aws:prefix-list/" + p.prefixListId());
        });
        assertThat(ec2.getManagedPrefixListEntries(r -> r.prefixListId("pl-63a5400a")).entries())
                .extracting(PrefixListEntry::cidr).contains("54.231.0.0/16");
        assertError(() -> ec2.modifyManagedPrefixList(r -> r.prefixListId("pl-63a5400a").currentVersion(1L)
                .addEntries(entry("10.0.0.0/8", null))), "InvalidParameterValue");
        assertError(() -> ec2.deleteManagedPrefixList(r -> r.prefixListId("pl-63a5400a")), "InvalidParameterValue");
    }

    @Test
    void createManagedPrefixList_answersCreateInProgress_thenDescribesCreateComplete() {
        ManagedPrefixList created = create("vpc-cidrs", 10, entry("10.0.0.0/16", "vpc-a"),
                entry("10.2.0.0/16", "vpc-b"));
        assertThat(created.prefixListId()).matches("pl-[0-9a-f]{17}");
        assertThat(created.stateAsString()).isEqualTo("create-in-progress");
        assertThat(created.version()).isEqualTo(1L);
        assertThat(created.maxEntries()).isEqualTo(10);
        assertThat(created.ownerId()).isEqualTo("111111111111");
        assertThat(created.prefixListArn()).isEqualTo("arn:aws:ec2:us-east-1:111111111111:prefix-list/"
                + created.prefixListId());

        ManagedPrefixList described = ec2.describeManagedPrefixLists(r -> r.prefixListIds(created.prefixListId()))
                .prefixLists().get(0);
        assertThat(described.stateAsString()).isEqualTo("create-complete");
        assertThat(ec2.getManagedPrefixListEntries(r -> r.prefixListId(created.prefixListId())).entries())
                .containsExactly(PrefixListEntry.builder().cidr("10.0.0.0/16").description("vpc-a").build(),
                        PrefixListEntry.builder().cidr("10.2.0.0/16").description("vpc-b").build());
        assertThat(PrefixLists.exists(UNDERPASS.server().store().world(), Caller.of("111111111111", "us-east-1"),
                dev.underpass.model.ec2.PrefixListId.of(created.prefixListId()))).isTrue();
        assertThat(PrefixLists.exists(UNDERPASS.server().store().world(), Caller.of("222222222222", "us-east-1"),
                dev.underpass.model.ec2.PrefixListId.of(created.prefixListId()))).isFalse();
    }

    @Test
    void createManagedPrefixList_badInput_failsAsAws() {
        assertError(() -> create("too-many", 1, entry("10.0.0.0/16", null), entry("10.1.0.0/16", null)),
                "PrefixListMaxEntriesExceeded");
        assertError(() -> create("bad-cidr", 5, entry("10.0.0.300/16", null)), "InvalidParameterValue");
        assertError(() -> create("com.amazonaws.mine", 5), "InvalidParameterValue");
        assertError(() -> create("zero", 0), "InvalidParameterValue");
        assertError(() -> ec2.createManagedPrefixList(r -> r.prefixListName("fam").addressFamily("IPv5")
                .maxEntries(5)), "InvalidParameterValue");
        assertError(() -> ec2.createManagedPrefixList(r -> r.prefixListName("v6").addressFamily("IPv6")
                .maxEntries(5).entries(entry("10.0.0.0/16", null))), "InvalidParameterValue");
        ManagedPrefixList v6 = ec2.createManagedPrefixList(r -> r.prefixListName("v6").addressFamily("IPv6")
                .maxEntries(5).entries(entry("2001:db8::/32", null))).prefixList();
        assertThat(v6.addressFamily()).isEqualTo("IPv6");
    }

    @Test
    void modifyManagedPrefixList_makesVersions_checksCurrentVersion_andRestoreBringsAnOldVersionBack() {
        ManagedPrefixList list = create("versions", 3, entry("10.0.0.0/16", "a"));
        String id = list.prefixListId();

        ManagedPrefixList modifying = ec2.modifyManagedPrefixList(r -> r.prefixListId(id).currentVersion(1L)
                .addEntries(entry("10.1.0.0/16", "b"))).prefixList();
        assertThat(modifying.stateAsString()).isEqualTo("modify-in-progress");
        assertThat(modifying.version()).isEqualTo(1L);
        ManagedPrefixList v2 = ec2.describeManagedPrefixLists(r -> r.prefixListIds(id)).prefixLists().get(0);
        assertThat(v2.version()).isEqualTo(2L);
        assertThat(v2.stateAsString()).isEqualTo("modify-complete");

        assertError(() -> ec2.modifyManagedPrefixList(r -> r.prefixListId(id).currentVersion(1L)
                .addEntries(entry("10.2.0.0/16", null))), "PrefixListVersionMismatch");
        assertError(() -> ec2.modifyManagedPrefixList(r -> r.prefixListId(id).currentVersion(2L)
                .addEntries(entry("10.2.0.0/16", null), entry("10.3.0.0/16", null))), "PrefixListMaxEntriesExceeded");
        assertError(() -> ec2.modifyManagedPrefixList(r -> r.prefixListId(id).currentVersion(2L).maxEntries(5)
                .addEntries(entry("10.2.0.0/16", null))), "InvalidParameterCombination");

        ec2.modifyManagedPrefixList(
                r -> r.prefixListId(id).currentVersion(2L).removeEntries(e -> e.cidr("10.0.0.0/16")));
        assertThat(ec2.getManagedPrefixListEntries(r -> r.prefixListId(id)).entries())
                .extracting(PrefixListEntry::cidr).containsExactly("10.1.0.0/16");
        assertThat(ec2.getManagedPrefixListEntries(r -> r.prefixListId(id).targetVersion(1L)).entries())
                .extracting(PrefixListEntry::cidr).containsExactly("10.0.0.0/16");
        assertError(() -> ec2.getManagedPrefixListEntries(r -> r.prefixListId(id).targetVersion(9L)),
                "InvalidParameterValue");

        ManagedPrefixList restoring = ec2.restoreManagedPrefixListVersion(r -> r.prefixListId(id).previousVersion(1L)
                .currentVersion(3L)).prefixList();
        assertThat(restoring.stateAsString()).isEqualTo("restore-in-progress");
        assertThat(restoring.version()).isEqualTo(3L);
        ManagedPrefixList v4 = ec2.describeManagedPrefixLists(r -> r.prefixListIds(id)).prefixLists().get(0);
        assertThat(v4.version()).isEqualTo(4L);
        assertThat(v4.stateAsString()).isEqualTo("restore-complete");
        assertThat(ec2.getManagedPrefixListEntries(r -> r.prefixListId(id)).entries())
                .extracting(PrefixListEntry::cidr).containsExactly("10.0.0.0/16");
        assertError(() -> ec2.restoreManagedPrefixListVersion(r -> r.prefixListId(id).previousVersion(1L)
                .currentVersion(3L)), "PrefixListVersionMismatch");

        // A rename and a resize change no entries and keep the version.
        ec2.modifyManagedPrefixList(r -> r.prefixListId(id).prefixListName("renamed").maxEntries(7));
        ManagedPrefixList renamed = ec2.describeManagedPrefixLists(r -> r.prefixListIds(id)).prefixLists().get(0);
        assertThat(renamed.prefixListName()).isEqualTo("renamed");
        assertThat(renamed.maxEntries()).isEqualTo(7);
        assertThat(renamed.version()).isEqualTo(4L);
    }

    @Test
    void deleteManagedPrefixList_removesTheList_andAnotherAccountCannotSeeOrTouchIt() {
        ManagedPrefixList list = create("doomed", 2, entry("192.168.0.0/24", null));
        String id = list.prefixListId();
        assertError(() -> other.describeManagedPrefixLists(r -> r.prefixListIds(id)), "InvalidPrefixListID.NotFound");
        assertError(() -> other.getManagedPrefixListEntries(r -> r.prefixListId(id)), "InvalidPrefixListID.NotFound");
        assertError(() -> other.deleteManagedPrefixList(r -> r.prefixListId(id)), "InvalidPrefixListID.NotFound");
        assertThat(other.describeManagedPrefixLists(r -> {}).prefixLists()).extracting(ManagedPrefixList::prefixListId)
                .doesNotContain(id);
        assertThat(ec2.getManagedPrefixListAssociations(r -> r.prefixListId(id)).prefixListAssociations()).isEmpty();

        ManagedPrefixList deleting = ec2.deleteManagedPrefixList(r -> r.prefixListId(id)).prefixList();
        assertThat(deleting.stateAsString()).isEqualTo("delete-in-progress");
        assertError(() -> ec2.describeManagedPrefixLists(r -> r.prefixListIds(id)), "InvalidPrefixListID.NotFound");
        assertError(() -> ec2.describeManagedPrefixLists(r -> r.prefixListIds("pl-bad")),
                "InvalidPrefixListId.Malformed");
    }

    @Test
    void getManagedPrefixListAssociations_listsRouteTablesThatReferenceTheS3List() {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        String rtb = ec2.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id").values(vpc).build()))
                .routeTables().get(0).routeTableId();
        ec2.createVpcEndpoint(r -> r.vpcId(vpc).serviceName("com.amazonaws.us-east-1.s3").routeTableIds(rtb));
        assertThat(ec2.getManagedPrefixListAssociations(r -> r.prefixListId("pl-63a5400a")).prefixListAssociations())
                .singleElement().satisfies(a -> {
                    assertThat(a.resourceId()).isEqualTo(rtb);
                    assertThat(a.resourceOwner()).isEqualTo("111111111111");
                });
        assertThat(other.getManagedPrefixListAssociations(r -> r.prefixListId("pl-63a5400a"))
                .prefixListAssociations()).isEmpty();
    }

    @Test
    void describeManagedPrefixLists_pages() {
        Ec2Client pager = UNDERPASS.ec2("555555555555");
        for (int i = 0; i < 3; i++) {
            int n = i;
            pager.createManagedPrefixList(r -> r.prefixListName("p" + n).addressFamily("IPv4").maxEntries(1));
        }
        var first = pager.describeManagedPrefixLists(r -> r.maxResults(2));
        assertThat(first.prefixLists()).hasSize(2);
        var rest = pager.describeManagedPrefixLists(r -> r.maxResults(2).nextToken(first.nextToken()));
        assertThat(rest.prefixLists()).hasSize(2);
        var last = pager.describeManagedPrefixLists(r -> r.maxResults(2).nextToken(rest.nextToken()));
        assertThat(last.prefixLists()).hasSize(1);
        assertThat(last.nextToken()).isNull();
        assertError(() -> pager.describeManagedPrefixLists(r -> r.maxResults(101)), "InvalidParameterValue");
    }
}
