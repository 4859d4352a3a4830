package dev.underpass.server;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Vpc;

class TagApiTest {
    private static final String ACCOUNT = "777777777777";
    private static final String OTHER = "777777777778";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private List<TagDescription> tagsOf(String resourceId) {
        return ec2.describeTags(r -> r.filters(Filter.builder().name("resource-id").values(resourceId).build()))
                .tags();
    }

    private Map<String, String> keyValues(String resourceId) {
        Map<String, String> out = new LinkedHashMap<>();
        tagsOf(resourceId).forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static World world() {
        return UNDERPASS.server().store().world();
    }

    @Test
    void createTags_worksOnEveryResourceType_andDescribeTagsNamesTheType() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.100.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.100.0.0/24")).subnet();
        String eni = ec2.createNetworkInterface(r -> r.subnetId(subnet.subnetId())).networkInterface()
                .networkInterfaceId();
        String instance = ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())).instances().get(0).instanceId();
        String group = world().all(SecurityGroup.class, g -> g.vpcId().value().equals(vpc.vpcId())).get(0).id();
        String table = world().all(RouteTable.class, t -> t.vpcId().value().equals(vpc.vpcId())).get(0).id();
        String acl = world().all(NetworkAcl.class, a -> a.vpcId().value().equals(vpc.vpcId())).get(0).id();
        // Gateways are created directly in the store: their APIs belong to another handler family.
        String[] gateways = UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> {
            var igw = tx.put(new InternetGateway("igw-0123456789abcdef1", ACCOUNT, "us-east-1", List.of(),
                    Map.of()));
            var nat =
                    tx.put(new NatGateway("nat-0123456789abcdef1", ACCOUNT, "us-east-1", SubnetId.of(subnet.subnetId()),
                            VpcId.of(vpc.vpcId()), NatGateway.ConnectivityType.PRIVATE, null, null, null, null,
                            NatGateway.State.AVAILABLE, Instant.now(), null,
                            Map.of()));
            return new String[] {igw.id(), nat.id()};
        });

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(vpc.vpcId(), "vpc");
        expected.put(subnet.subnetId(), "subnet");
        expected.put(group, "security-group");
        expected.put(table, "route-table");
        expected.put(acl, "network-acl");
        expected.put(eni, "network-interface");
        expected.put(instance, "instance");
        expected.put(gateways[0], "internet-gateway");
        expected.put(gateways[1], "natgateway");

        ec2.createTags(r -> r.resources(new ArrayList<>(expected.keySet())).tags(tag("team", "net"), tag("env", "")));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<TagDescription> tags = tagsOf(e.getKey());
            assertThat(tags).as(e.getValue()).extracting(TagDescription::key).containsExactly("env", "team");
            assertThat(tags).allSatisfy(t -> {
                assertThat(t.resourceTypeAsString()).isEqualTo(e.getValue());
                assertThat(t.resourceId()).isEqualTo(e.getKey());
            });
            assertThat(keyValues(e.getKey())).containsEntry("team", "net").containsEntry("env", "");
        }
        assertThat(ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId())).vpcs().get(0).tags()).contains(tag("team", "net"));
        assertThat(ec2.describeInstances(r -> r.instanceIds(instance)).reservations().get(0).instances().get(0)
                .tags()).contains(tag("team", "net"));
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .tagSet()).contains(tag("team", "net"));

        ec2.terminateInstances(r -> r.instanceIds(instance));
        ec2.deleteNetworkInterface(r -> r.networkInterfaceId(eni));
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> {
            tx.remove(tx.find(InternetGateway.class, gateways[0]).orElseThrow());
            tx.remove(tx.find(NatGateway.class, gateways[1]).orElseThrow());
            return null;
        });
        ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void createTags_badIds_failWithInvalidIdOrTheKindsNotFound_andChangeNothing() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.101.0.0/16")).vpc();
        assertError(() -> ec2.createTags(r -> r.resources("banana-0123456789abcdef0").tags(tag("a", "b"))),
                "InvalidID");
        assertError(() -> ec2.createTags(r -> r.resources("vpc-nothex").tags(tag("a", "b"))), "InvalidID");
        assertError(() -> ec2.createTags(r -> r.resources(vpc.vpcId(), "subnet-0123456789abcdef0")
                .tags(tag("a", "b"))), "InvalidSubnetID.NotFound");
        assertThat(tagsOf(vpc.vpcId())).isEmpty();
        assertError(() -> ec2.createTags(r -> r.resources("i-0123456789abcdef0").tags(tag("a", "b"))),
                "InvalidInstanceID.NotFound");
        assertError(() -> ec2.createTags(r -> r.resources(vpc.vpcId())), "MissingParameter");
        assertError(() -> ec2.createTags(r -> r.tags(tag("a", "b"))), "MissingParameter");
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void createTags_awsPrefixAndTooManyTags_areRefused() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.102.0.0/16")).vpc();
        assertError(() -> ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("aws:owner", "me"))),
                "InvalidParameterValue");
        assertError(() -> ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("AWS:owner", "me"))),
                "InvalidParameterValue");
        List<Tag> fortyNine = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            fortyNine.add(tag("k" + i, "v"));
        }
        ec2.createTags(r -> r.resources(vpc.vpcId()).tags(fortyNine));
        ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("k50", "v"), tag("k0", "overwritten")));
        assertThat(tagsOf(vpc.vpcId())).hasSize(50);
        assertThat(keyValues(vpc.vpcId())).containsEntry("k0", "overwritten");
        assertError(() -> ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("k51", "v"))), "TagLimitExceeded");
        assertThat(tagsOf(vpc.vpcId())).hasSize(50);
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void deleteTags_withValueDeletesOnlyOnMatch_withoutValueDeletesTheKey_withoutTagsDeletesAll() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.103.0.0/16")).vpc();
        ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("a", "1"), tag("b", "2"), tag("c", ""),
                tag("d", "4")));
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(tag("a", "wrong")));
        assertThat(keyValues(vpc.vpcId())).containsKey("a");
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(tag("a", "1")));
        assertThat(keyValues(vpc.vpcId())).doesNotContainKey("a");
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(Tag.builder().key("b").build()));
        assertThat(keyValues(vpc.vpcId())).doesNotContainKey("b");
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(tag("d", "")));
        assertThat(keyValues(vpc.vpcId())).containsOnlyKeys("c", "d");
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(tag("c", "")));
        assertThat(keyValues(vpc.vpcId())).containsOnlyKeys("d");
        ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(Tag.builder().key("absent").build()));
        assertThat(keyValues(vpc.vpcId())).containsOnlyKeys("d");
        ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("e", "5")));
        ec2.deleteTags(r -> r.resources(vpc.vpcId()));
        assertThat(tagsOf(vpc.vpcId())).isEmpty();
        assertError(() -> ec2.deleteTags(r -> r.resources("vpc-0123456789abcdef0").tags(tag("d", "4"))),
                "InvalidVpcID.NotFound");
        assertError(() -> ec2.deleteTags(r -> r.resources(vpc.vpcId()).tags(tag("aws:x", "1"))),
                "InvalidParameterValue");
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void describeTags_filtersAndPagination() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.104.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.104.0.0/24")).subnet();
        ec2.createTags(r -> r.resources(vpc.vpcId(), subnet.subnetId()).tags(tag("stage", "prod"),
                tag("owner", "alice")));
        ec2.createTags(r -> r.resources(subnet.subnetId()).tags(tag("tier", "web"), tag("x1", "a"), tag("x2", "b")));
        Filter mine = Filter.builder().name("resource-id").values(vpc.vpcId(), subnet.subnetId()).build();
        assertThat(ec2.describeTags(r -> r.filters(mine)).tags()).hasSize(7);
        assertThat(ec2.describeTags(r -> r.filters(mine, Filter.builder().name("resource-type").values("subnet")
                .build())).tags()).hasSize(5);
        assertThat(ec2.describeTags(r -> r.filters(mine, Filter.builder().name("key").values("stage").build()))
                .tags()).extracting(TagDescription::resourceId)
                .containsExactlyInAnyOrder(vpc.vpcId(), subnet.subnetId());
        assertThat(ec2.describeTags(r -> r.filters(mine, Filter.builder().name("value").values("al*").build()))
                .tags()).extracting(TagDescription::key).containsOnly("owner");
        assertThat(ec2.describeTags(r -> r.filters(mine, Filter.builder().name("key").values("x?").build()))
                .tags()).hasSize(2);
        assertThat(ec2.describeTags(r -> r.filters(mine, Filter.builder().name("tag:tier").values("web").build()))
                .tags()).singleElement().satisfies(t -> assertThat(t.resourceId()).isEqualTo(subnet.subnetId()));
        assertError(() -> ec2.describeTags(r -> r.filters(Filter.builder().name("colour").values("x").build())),
                "InvalidParameterValue");
        assertError(() -> ec2.describeTags(r -> r.maxResults(4)), "InvalidParameterValue");
        var first = ec2.describeTags(r -> r.filters(mine).maxResults(5));
        assertThat(first.tags()).hasSize(5);
        assertThat(first.nextToken()).isNotNull();
        List<TagDescription> all = ec2.describeTagsPaginator(r -> r.filters(mine).maxResults(5)).tags().stream()
                .toList();
        assertThat(all).hasSize(7).doesNotHaveDuplicates();
        ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void anotherAccount_cannotTagUntagOrSeeTheTags() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.105.0.0/16")).vpc();
        ec2.createTags(r -> r.resources(vpc.vpcId()).tags(tag("secret", "yes")));
        assertError(() -> other.createTags(r -> r.resources(vpc.vpcId()).tags(tag("mine", "now"))),
                "InvalidVpcID.NotFound");
        assertError(() -> other.deleteTags(r -> r.resources(vpc.vpcId())), "InvalidVpcID.NotFound");
        assertThat(other.describeTags().tags()).extracting(TagDescription::resourceId).doesNotContain(vpc.vpcId());
        assertThat(keyValues(vpc.vpcId())).containsExactly(Map.entry("secret", "yes"));
        // The same account in another region does not see it either.
        assertError(() -> UNDERPASS.ec2(ACCOUNT, "eu-west-1").createTags(r -> r.resources(vpc.vpcId())
                .tags(tag("a", "b"))), "InvalidVpcID.NotFound");
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }
}
