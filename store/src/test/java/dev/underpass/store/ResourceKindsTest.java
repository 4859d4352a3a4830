package dev.underpass.store;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.LoadBalancer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every stored record type is registered once, under the name older data directories hold. */
class ResourceKindsTest {

    /** The names on disk before the kinds moved out of {@code Resource}: none may change. */
    private static final Map<String, String> ON_DISK = Map.ofEntries(
            Map.entry("dev.underpass.model.AccountRegion", "account-region"),
            Map.entry("dev.underpass.model.ec2.Vpc", "vpc"),
            Map.entry("dev.underpass.model.ec2.Subnet", "subnet"),
            Map.entry("dev.underpass.model.ec2.RouteTable", "route-table"),
            Map.entry("dev.underpass.model.ec2.SecurityGroup", "security-group"),
            Map.entry("dev.underpass.model.ec2.NetworkAcl", "network-acl"),
            Map.entry("dev.underpass.model.ec2.NetworkInterface", "network-interface"),
            Map.entry("dev.underpass.model.ec2.Instance", "instance"),
            Map.entry("dev.underpass.model.ec2.InternetGateway", "internet-gateway"),
            Map.entry("dev.underpass.model.ec2.NatGateway", "natgateway"),
            Map.entry("dev.underpass.model.ec2.VpcEndpoint", "vpc-endpoint"),
            Map.entry("dev.underpass.model.ec2.ManagedPrefixList", "prefix-list"),
            Map.entry("dev.underpass.model.ec2.EndpointService", "vpc-endpoint-service"),
            Map.entry("dev.underpass.model.ec2.ConnectionNotification", "vpc-endpoint-connection-notification"),
            Map.entry("dev.underpass.model.ec2.ConnectionEvent", "vpc-endpoint-connection-event"),
            Map.entry("dev.underpass.model.ec2.VerifiedDomain", "verified-domain"),
            Map.entry("dev.underpass.model.ec2.PeeringConnection", "vpc-peering-connection"),
            Map.entry("dev.underpass.model.elb.LoadBalancer", "load-balancer"),
            Map.entry("dev.underpass.model.elb.TargetGroup", "target-group"),
            Map.entry("dev.underpass.model.elb.Listener", "listener"),
            Map.entry("dev.underpass.model.ec2.FlowLog", "flow-log"),
            Map.entry("dev.underpass.model.ec2.ElasticIp", "elastic-ip"),
            Map.entry("dev.underpass.model.ec2.PublicIp", "public-ip"),
            Map.entry("dev.underpass.model.ec2.DhcpOptions", "dhcp-options"),
            Map.entry("dev.underpass.model.ec2.EgressOnlyInternetGateway", "egress-only-internet-gateway"),
            Map.entry("dev.underpass.model.elb.Rule", "listener-rule"),
            Map.entry("dev.underpass.model.org.Organization", "organization"),
            Map.entry("dev.underpass.model.org.OrganizationalUnit", "organizational-unit"),
            Map.entry("dev.underpass.model.org.MemberAccount", "organization-account"),
            Map.entry("dev.underpass.model.org.ControlPolicy", "organization-policy"),
            Map.entry("dev.underpass.model.org.PolicyAttachment", "organization-policy-attachment"),
            Map.entry("dev.underpass.model.org.Handshake", "organization-handshake"),
            Map.entry("dev.underpass.model.org.CreateAccountStatus", "organization-create-account-status"),
            Map.entry("dev.underpass.model.ec2.ResourceGrant", "resource-grant"),
            Map.entry("dev.underpass.model.sharing.ResourceShare", "resource-share"),
            Map.entry("dev.underpass.model.sharing.ShareAssociation", "resource-share-association"),
            Map.entry("dev.underpass.model.sharing.ShareInvitation", "resource-share-invitation"),
            Map.entry("dev.underpass.model.sts.IssuedCredential", "sts-credential"));

    private static Map<String, String> registered() {
        return Json.KINDS.stream().collect(Collectors.toMap(k -> k.type().getName(), ResourceKind::name,
                (a, b) -> a + "," + b, TreeMap::new));
    }

    @Test
    void everyRecordImplementingResource_isRegistered() {
        List<String> records = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.underpass.model")
                .stream()
                .filter(c -> c.isAssignableTo(Resource.class) && c.isRecord())
                .map(JavaClass::getName)
                .toList();
        assertThat(records).contains("dev.underpass.model.ec2.Vpc", "dev.underpass.model.elb.LoadBalancer");
        assertThat(registered().keySet()).containsAll(records);
    }

    @Test
    void existingKinds_keepTheirOnDiskNames() {
        assertThat(registered()).containsAllEntriesOf(ON_DISK);
    }

    @Test
    void aNameOrTypeRegisteredTwice_isRefused() {
        assertThatThrownBy(() -> Json.namedTypes(List.of(new ResourceKind(Vpc.class, "vpc"),
                new ResourceKind(LoadBalancer.class, "vpc"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'vpc'");
        assertThatThrownBy(() -> Json.namedTypes(List.of(new ResourceKind(Vpc.class, "vpc"),
                new ResourceKind(Vpc.class, "vpc2"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registered twice");
    }

    @Test
    void loadBalancer_isWrittenUnderItsKind_withoutItsEndpointServiceView() {
        LoadBalancer lb = new LoadBalancer(
                "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/web/0123456789abcdef",
                "111111111111", "us-east-1", "web", LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNAL,
                VpcId.of("vpc-0123456789abcdef0"), LoadBalancer.IpAddressType.IPV4,
                List.of(new LoadBalancer.Zone(SubnetId.of("subnet-0123456789abcdef0"), "us-east-1a", "use1-az1",
                        NetworkInterfaceId.of("eni-0123456789abcdef0"), "10.0.1.4", false)),
                List.of(), Map.of(), Instant.parse("2024-01-01T00:00:00Z"), Map.of());
        String json = Json.write(lb);
        assertThat(json).startsWith("{\"@kind\":\"load-balancer\"").doesNotContain("serviceZones")
                .contains("\"type\":\"network\",\"scheme\":\"internal\"")
                .contains("\"ipAddressType\":\"ipv4\"");
        assertThat(Json.read(json)).isEqualTo(lb);
        LoadBalancer dual = lb.withIpAddressType(LoadBalancer.IpAddressType.DUALSTACK_WITHOUT_PUBLIC_IPV4);
        String dualJson = Json.write(dual);
        assertThat(dualJson).contains("\"ipAddressType\":\"dualstack-without-public-ipv4\"");
        assertThat(Json.read(dualJson)).isEqualTo(dual);
        assertThat(Json.read(dualJson.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(dual);
        assertThat(Json.readWithJackson(dualJson)).isEqualTo(dual);
    }

    @Test
    void aVpcWrittenBeforeTheMove_stillLoads() {
        String old = "{\"@kind\":\"vpc\",\"id\":\"vpc-0123456789abcdef0\",\"ownerId\":\"111111111111\","
                + "\"region\":\"us-east-1\",\"cidrBlock\":\"10.0.0.0/16\",\"cidrAssociations\":[],"
                + "\"dhcpOptionsId\":\"dopt-0123456789abcdef0\",\"instanceTenancy\":\"default\",\"isDefault\":false,"
                + "\"enableDnsSupport\":true,\"enableDnsHostnames\":false,"
                + "\"createdAt\":\"2024-01-01T00:00:00Z\",\"tags\":{\"Name\":\"a\"}}";
        Vpc vpc = (Vpc) Json.read(old);
        assertThat(vpc.id()).isEqualTo("vpc-0123456789abcdef0");
        assertThat(vpc.cidrBlock()).isEqualTo("10.0.0.0/16");
        assertThat(vpc.tags()).containsEntry("Name", "a");
    }
}
