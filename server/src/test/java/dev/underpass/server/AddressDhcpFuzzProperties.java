package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the Elastic IP, DHCP options and egress-only gateway actions with random parameters, well-formed and not,
 * among real resources of the caller: every answer is 200 or an EC2 error with a 4xx status, never a 500.
 */
class AddressDhcpFuzzProperties extends ServerProperties {
    private static final List<String> ACTIONS = List.of("AllocateAddress", "DescribeAddresses", "AssociateAddress",
            "DisassociateAddress", "ReleaseAddress", "DescribeAddressesAttribute", "CreateDhcpOptions",
            "DescribeDhcpOptions", "DeleteDhcpOptions", "AssociateDhcpOptions", "CreateEgressOnlyInternetGateway",
            "DescribeEgressOnlyInternetGateways", "DeleteEgressOnlyInternetGateway", "CreateNatGateway",
            "RunInstances", "StopInstances", "StartInstances", "TerminateInstances", "CreateRoute", "CreateVpc");
    private static final List<String> KEYS = List.of("AllocationId", "AllocationId.1", "PublicIp", "PublicIp.1",
            "InstanceId", "InstanceId.1", "NetworkInterfaceId", "PrivateIpAddress", "AllowReassociation",
            "AssociationId", "Domain", "Address", "PublicIpv4Pool", "NetworkBorderGroup", "Attribute", "MaxResults",
            "DhcpConfiguration.1.Key", "DhcpConfiguration.1.Value.1", "DhcpConfiguration.1.Value.2",
            "DhcpConfiguration.2.Key", "DhcpOptionsId", "DhcpOptionsId.1", "VpcId", "EgressOnlyInternetGatewayId",
            "EgressOnlyInternetGatewayId.1", "SubnetId", "ImageId", "MinCount", "MaxCount", "CidrBlock",
            "DestinationIpv6CidrBlock", "RouteTableId", "Filter.1.Name", "Filter.1.Value.1",
            "TagSpecification.1.ResourceType", "TagSpecification.1.Tag.1.Key", "NetworkInterface.1.DeviceIndex",
            "NetworkInterface.1.AssociatePublicIpAddress", "NetworkInterface.1.SubnetId");

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("eipalloc-0123456789abcdef0", "eipalloc-", "eipassoc-0123456789abcdef0",
                        "dopt-0123456789abcdef0", "default", "eigw-0123456789abcdef0", "i-0123456789abcdef0",
                        "eni-0123456789abcdef0", "198.18.0.1", "198.18.0.0", "10.0.0.5", "::/0", "2001:db8::/32",
                        "domain-name", "domain-name-servers", "netbios-node-type", "ntp-servers",
                        "ipv6-address-preferred-lease-time", "AmazonProvidedDNS", "2", "vpc", "standard", "amazon",
                        "us-east-1", "true", "false", "0", "5", "-1", "ami-12345678", "10.0.0.0/16", "elastic-ip",
                        "allocation-id", "instance-id", "key", "value", ""),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(KEYS), values)
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of(ACTIONS), pair.list().ofMaxSize(7))
                .as((action, pairs) -> "Action=" + action + "&Version=2016-11-15"
                        + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs)));
    }

    @Property(tries = 500)
    void anyRequest_getsAnAwsShapedAnswer_neverA500(@ForAll("bodies") String body) {
        HttpResponse<String> r = RawHttp.post(URI.create(server.endpoint()), body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400, 401, 403, 412);
        if (r.statusCode() != 200) {
            assertThat(RawHttp.code(r)).as(body).isNotBlank().isNotEqualTo("InternalError");
        }
        assertThat(r.body()).as(body).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
