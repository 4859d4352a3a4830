package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.DhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NewDhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** DHCP options sets through the SDK: the default set, custom sets, associations and deletion. */
class DhcpOptionsApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static NewDhcpConfiguration option(String key, String... values) {
        return NewDhcpConfiguration.builder().key(key).values(values).build();
    }

    private static Map<String, List<String>> options(DhcpOptions d) {
        return d.dhcpConfigurations().stream().collect(Collectors.toMap(DhcpConfiguration::key,
                c -> c.values().stream().map(AttributeValue::value).toList()));
    }

    private static String dhcpOf(Ec2Client ec2, String vpcId) {
        return ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0).dhcpOptionsId();
    }

    @Test
    void defaultVpcAndNewVpcs_shareTheRegionsDefaultSet() {
        Ec2Client ec2 = UNDERPASS.ec2("430000000001");
        String defaultVpc = ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true")
                .build())).vpcs().get(0).vpcId();
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.100.0.0/16")).vpc().vpcId();
        try {
            String defaultSet = dhcpOf(ec2, defaultVpc);
            assertThat(defaultSet).matches("dopt-0[0-9a-f]{16}");
            assertThat(dhcpOf(ec2, vpcId)).isEqualTo(defaultSet);
            DhcpOptions set = ec2.describeDhcpOptions(r -> r.dhcpOptionsIds(defaultSet)).dhcpOptions().get(0);
            assertThat(set.ownerId()).isEqualTo("430000000001");
            assertThat(options(set)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "domain-name", List.of("ec2.internal"), "domain-name-servers", List.of("AmazonProvidedDNS")));
            assertThat(ec2.describeDhcpOptions().dhcpOptions()).extracting(DhcpOptions::dhcpOptionsId)
                    .containsExactly(defaultSet);

            // Elsewhere the domain is <region>.compute.internal, in a set of that region.
            Ec2Client west = UNDERPASS.ec2("430000000001", "eu-west-1");
            String westVpc = west.describeVpcs().vpcs().get(0).vpcId();
            DhcpOptions westSet = west.describeDhcpOptions(r -> r.dhcpOptionsIds(dhcpOf(west, westVpc)))
                    .dhcpOptions().get(0);
            assertThat(westSet.dhcpOptionsId()).isNotEqualTo(defaultSet);
            assertThat(options(westSet).get("domain-name")).containsExactly("eu-west-1.compute.internal");
            // A set in use cannot be deleted.
            assertError(() -> ec2.deleteDhcpOptions(r -> r.dhcpOptionsId(defaultSet)), "DependencyViolation");
        } finally {
            ec2.deleteVpc(r -> r.vpcId(vpcId));
        }
    }

    @Test
    void customSet_isCreatedDescribedAssociatedAndDeleted() {
        Ec2Client ec2 = UNDERPASS.ec2("430000000002");
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.101.0.0/16")).vpc().vpcId();
        String defaultSet = dhcpOf(ec2, vpcId);
        try {
            DhcpOptions created = ec2.createDhcpOptions(r -> r.dhcpConfigurations(
                    option("domain-name", "corp.example"),
                    option("domain-name-servers", "10.101.0.10", "AmazonProvidedDNS"),
                    option("ntp-servers", "169.254.169.123", "fd00:ec2::123"),
                    option("netbios-name-servers", "10.101.0.20"),
                    option("netbios-node-type", "2"))
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.DHCP_OPTIONS)
                            .tags(Tag.builder().key("Name").value("corp").build()).build()))
                    .dhcpOptions();
            String id = created.dhcpOptionsId();
            assertThat(id).matches("dopt-0[0-9a-f]{16}").isNotEqualTo(defaultSet);
            assertThat(created.ownerId()).isEqualTo("430000000002");
            assertThat(created.dhcpConfigurations()).extracting(DhcpConfiguration::key).containsExactly(
                    "domain-name", "domain-name-servers", "ntp-servers", "netbios-name-servers", "netbios-node-type");
            assertThat(options(created).get("domain-name-servers"))
                    .containsExactly("10.101.0.10", "AmazonProvidedDNS");
            assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("corp").build());
            assertThat(ec2.describeDhcpOptions(r -> r.dhcpOptionsIds(id)).dhcpOptions()).containsExactly(created);

            assertThat(ec2.describeDhcpOptions(r -> r.filters(Filter.builder().name("key").values("ntp-servers")
                    .build())).dhcpOptions()).extracting(DhcpOptions::dhcpOptionsId).containsExactly(id);
            assertThat(ec2.describeDhcpOptions(r -> r.filters(Filter.builder().name("value").values("corp.*")
                    .build())).dhcpOptions()).extracting(DhcpOptions::dhcpOptionsId).containsExactly(id);
            assertThat(ec2.describeDhcpOptions(r -> r.filters(Filter.builder().name("tag:Name").values("corp")
                    .build(), Filter.builder().name("owner-id").values("430000000002").build())).dhcpOptions())
                    .extracting(DhcpOptions::dhcpOptionsId).containsExactly(id);
            assertThat(ec2.describeDhcpOptions(r -> r.filters(Filter.builder().name("dhcp-options-id")
                    .values(defaultSet).build())).dhcpOptions()).extracting(DhcpOptions::dhcpOptionsId)
                    .containsExactly(defaultSet);

            ec2.associateDhcpOptions(r -> r.dhcpOptionsId(id).vpcId(vpcId));
            assertThat(dhcpOf(ec2, vpcId)).isEqualTo(id);
            assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("dhcp-options-id").values(id)
                    .build())).vpcs()).extracting(v -> v.vpcId()).containsExactly(vpcId);
            assertError(() -> ec2.deleteDhcpOptions(r -> r.dhcpOptionsId(id)), "DependencyViolation");

            // "default" means no options set at all.
            ec2.associateDhcpOptions(r -> r.dhcpOptionsId("default").vpcId(vpcId));
            assertThat(dhcpOf(ec2, vpcId)).isEqualTo("default");
            ec2.deleteDhcpOptions(r -> r.dhcpOptionsId(id));
            assertError(() -> ec2.describeDhcpOptions(r -> r.dhcpOptionsIds(id)), "InvalidDhcpOptionID.NotFound");
            assertError(() -> ec2.associateDhcpOptions(r -> r.dhcpOptionsId(id).vpcId(vpcId)),
                    "InvalidDhcpOptionID.NotFound");

            // The default set, once no VPC uses it (the default VPC did), can go too; the next VPC gets a new one.
            String defaultVpc = ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true")
                    .build())).vpcs().get(0).vpcId();
            ec2.associateDhcpOptions(r -> r.dhcpOptionsId("default").vpcId(defaultVpc));
            ec2.deleteDhcpOptions(r -> r.dhcpOptionsId(defaultSet));
            String next = ec2.createVpc(r -> r.cidrBlock("10.102.0.0/16")).vpc().vpcId();
            String nextSet = dhcpOf(ec2, next);
            assertThat(ec2.describeDhcpOptions(r -> r.dhcpOptionsIds(nextSet)).dhcpOptions()).singleElement()
                    .satisfies(d -> assertThat(options(d).get("domain-name-servers"))
                            .containsExactly("AmazonProvidedDNS"));
            ec2.deleteVpc(r -> r.vpcId(next));
        } finally {
            ec2.deleteVpc(r -> r.vpcId(vpcId));
        }
    }

    @Test
    void createDhcpOptions_badInput_isRefusedAndCreatesNothing() {
        Ec2Client ec2 = UNDERPASS.ec2("430000000003");
        List<DhcpOptions> before = ec2.describeDhcpOptions().dhcpOptions();
        assertError(() -> ec2.createDhcpOptions(r -> {}), "MissingParameter");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("colour", "blue"))),
                "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name-servers",
                "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"))), "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name-servers",
                "dns.example"))), "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("netbios-node-type", "3"))),
                "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("netbios-node-type", "1", "2"))),
                "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("ntp-servers", "time.example"))),
                "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name", "a.example"),
                option("domain-name", "b.example"))), "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(
                option("ipv6-address-preferred-lease-time", "10"))), "InvalidParameterValue");
        assertError(() -> ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name"))),
                "InvalidParameterValue");
        assertError(() -> ec2.deleteDhcpOptions(r -> r.dhcpOptionsId("dopt-x")), "InvalidDhcpOptionsId.Malformed");
        assertError(() -> ec2.deleteDhcpOptions(r -> r.dhcpOptionsId("dopt-0123456789abcdef0")),
                "InvalidDhcpOptionID.NotFound");
        assertError(() -> ec2.associateDhcpOptions(r -> r.dhcpOptionsId("default").vpcId("vpc-0123456789abcdef0")),
                "InvalidVpcID.NotFound");
        assertError(() -> ec2.describeDhcpOptions(r -> r.filters(Filter.builder().name("colour").values("x")
                .build())), "InvalidParameterValue");
        assertThat(ec2.describeDhcpOptions().dhcpOptions()).isEqualTo(before);
    }

    @Test
    void anotherAccount_cannotSeeOrUseTheSet() {
        Ec2Client owner = UNDERPASS.ec2("430000000004");
        Ec2Client stranger = UNDERPASS.ec2("430000000005");
        String id = owner.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name", "owner.example")))
                .dhcpOptions().dhcpOptionsId();
        assertThat(stranger.describeDhcpOptions().dhcpOptions()).extracting(DhcpOptions::dhcpOptionsId)
                .doesNotContain(id);
        assertError(() -> stranger.describeDhcpOptions(r -> r.dhcpOptionsIds(id)), "InvalidDhcpOptionID.NotFound");
        assertError(() -> stranger.deleteDhcpOptions(r -> r.dhcpOptionsId(id)), "InvalidDhcpOptionID.NotFound");
        String strangerVpc = stranger.describeVpcs().vpcs().get(0).vpcId();
        assertError(() -> stranger.associateDhcpOptions(r -> r.dhcpOptionsId(id).vpcId(strangerVpc)),
                "InvalidDhcpOptionID.NotFound");
        owner.deleteDhcpOptions(r -> r.dhcpOptionsId(id));
    }

    @Test
    void setsAndAssociations_surviveARestart(@TempDir Path dataDir) {
        record Made(String id, String vpcId) {}
        TestStore.acrossARestart(dataDir, "430000000006", ec2 -> {
            String id = ec2.createDhcpOptions(r -> r.dhcpConfigurations(option("domain-name", "durable.example")))
                    .dhcpOptions().dhcpOptionsId();
            String vpcId = ec2.createVpc(r -> r.cidrBlock("10.103.0.0/16")).vpc().vpcId();
            ec2.associateDhcpOptions(r -> r.dhcpOptionsId(id).vpcId(vpcId));
            return new Made(id, vpcId);
        }, (ec2, made) -> {
            assertThat(dhcpOf(ec2, made.vpcId())).isEqualTo(made.id());
            assertThat(options(ec2.describeDhcpOptions(r -> r.dhcpOptionsIds(made.id())).dhcpOptions().get(0))
                    .get("domain-name")).containsExactly("durable.example");
            assertThat(ec2.describeDhcpOptions().dhcpOptions()).hasSize(2);
        });
    }
}
