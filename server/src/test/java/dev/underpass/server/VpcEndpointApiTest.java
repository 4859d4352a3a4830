package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * VPC endpoints through the AWS SDK: the two seed diagrams (an interface endpoint to SQS in an instance's subnet; a
 * gateway endpoint to S3 on a subnet's route table, limited by a policy) and every rule with its error.
 */
class VpcEndpointApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS =
            UnderpassExtension.withQuotas(Quotas.defaults().with("vpcs-per-region", 100));

    private static final String ACCOUNT = "111111111111";
    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2("222222222222");

    private static final String SQS = "com.amazonaws.us-east-1.sqs";
    private static final String S3 = "com.amazonaws.us-east-1.s3";

    private static void assertErrorContaining(Runnable call, String code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).contains(messagePart);
        });
    }

    private List<Route> routes(String routeTableId) {
        return ec2.describeRouteTables(r -> r.routeTableIds(routeTableId)).routeTables().get(0).routes();
    }

    private Optional<NetworkInterface> eni(String id) {
        return ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("network-interface-id")
                .values(id).build())).networkInterfaces().stream().findFirst();
    }

    private List<NetworkInterface> enisIn(String vpcId) {
        return ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .networkInterfaces();
    }

    private record Net(String vpcId, String subnetA, String subnetB, String subnetA2, String sg, String mainRtb) {}

    private Net network(Ec2Client client, String cidr16, boolean dns) {
        String p = cidr16.substring(0, cidr16.indexOf(".0.0/16"));
        Vpc vpc = client.createVpc(r -> r.cidrBlock(cidr16)).vpc();
        if (dns) {
            client.modifyVpcAttribute(r -> r.vpcId(vpc.vpcId()).enableDnsHostnames(b -> b.value(true)));
        }
        Subnet a = client.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock(p + ".1.0/24")
                .availabilityZone("us-east-1a")).subnet();
        Subnet b = client.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock(p + ".2.0/24")
                .availabilityZone("us-east-1b")).subnet();
        Subnet a2 = client.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock(p + ".3.0/24")
                .availabilityZone("us-east-1a")).subnet();
        String mainRtb = client.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id")
                .values(vpc.vpcId()).build())).routeTables().get(0).routeTableId();
        String sg = client.describeSecurityGroups(r -> r.filters(Filter.builder().name("vpc-id")
                .values(vpc.vpcId()).build(), Filter.builder().name("group-name").values("default").build()))
                .securityGroups().get(0).groupId();
        return new Net(vpc.vpcId(), a.subnetId(), b.subnetId(), a2.subnetId(), sg, mainRtb);
    }

    private VpcEndpoint describe(String id) {
        return ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0);
    }

    // ---- Seed diagram 1: an instance's subnet with an interface endpoint to SQS, guarded by a security group.

    @Test
    void createVpcEndpoint_interfaceToSqs_putsOneRequesterManagedEniInTheSubnetWithAwsDnsEntries() {
        Net net = network(ec2, "10.10.0.0/16", true);
        VpcEndpoint created = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).securityGroupIds(net.sg())).vpcEndpoint();

        assertThat(created.vpcEndpointId()).matches("vpce-[0-9a-f]{17}");
        assertThat(created.stateAsString()).isEqualTo("pending");
        assertThat(created.vpcEndpointTypeAsString()).isEqualTo("Interface");
        assertThat(created.subnetIds()).containsExactly(net.subnetA());
        assertThat(created.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo(net.sg());
            assertThat(g.groupName()).isEqualTo("default");
        });
        assertThat(created.privateDnsEnabled()).isTrue();
        assertThat(created.requesterManaged()).isFalse();
        assertThat(created.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(created.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv4");
        assertThat(created.policyDocument()).isEqualTo("{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n"
                + "      \"Effect\": \"Allow\", \n      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}");
        String id = created.vpcEndpointId();
        List<DnsEntry> dns = created.dnsEntries();
        assertThat(dns).hasSize(3);
        assertThat(dns.get(0).dnsName()).matches(id + "-[a-z0-9]{8}\\.sqs\\.us-east-1\\.vpce\\.amazonaws\\.com");
        String token = dns.get(0).dnsName().substring(id.length() + 1, id.length() + 9);
        assertThat(dns.get(1).dnsName()).isEqualTo(id + "-" + token + "-us-east-1a.sqs.us-east-1.vpce.amazonaws.com");
        assertThat(dns.get(0).hostedZoneId()).isEqualTo("Z7HUB22UULQXV");
        assertThat(dns.get(1).hostedZoneId()).isEqualTo("Z7HUB22UULQXV");
        assertThat(dns.get(2).dnsName()).isEqualTo("sqs.us-east-1.amazonaws.com");
        assertThat(dns.get(2).hostedZoneId()).matches("Z[0-9A-Z]+").isNotEqualTo("Z7HUB22UULQXV");

        assertThat(created.networkInterfaceIds()).singleElement().satisfies(eniId -> {
            NetworkInterface eni = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eniId))
                    .networkInterfaces().get(0);
            assertThat(eni.interfaceTypeAsString()).isEqualTo("vpc_endpoint");
            assertThat(eni.requesterManaged()).isTrue();
            assertThat(eni.requesterId()).isEqualTo("727180483921");
            assertThat(eni.description()).isEqualTo("VPC Endpoint Interface " + id);
            assertThat(eni.subnetId()).isEqualTo(net.subnetA());
            assertThat(eni.groups()).extracting(g -> g.groupId()).containsExactly(net.sg());
            assertThat(eni.statusAsString()).isEqualTo("in-use");
            // A service's interface: attached under an ela-attach id, to no instance (as AWS shows it).
            assertThat(eni.attachment().attachmentId()).matches("ela-attach-[0-9a-f]{17}");
            assertThat(eni.attachment().instanceId()).isNull();
            assertThat(Cidr.parse("10.10.1.0/24").contains(Ipv4.parse(eni.privateIpAddress()))).isTrue();
            assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(eniId)),
                    "InvalidNetworkInterface.InUse");
        });

        VpcEndpoint described = describe(id);
        assertThat(described.stateAsString()).isEqualTo("available");
        assertThat(described.dnsEntries()).isEqualTo(dns);
        assertThat(ec2.describeSubnets(r -> r.subnetIds(net.subnetA())).subnets().get(0).availableIpAddressCount())
                .isEqualTo(250);
    }

    @Test
    void createVpcEndpoint_interfaceWithoutGroups_usesTheVpcsDefaultGroup_andS3NamesStartWithAWildcard() {
        Net net = network(ec2, "10.11.0.0/16", false);
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(S3).subnetIds(net.subnetA(), net.subnetB())).vpcEndpoint();
        assertThat(e.groups()).singleElement().satisfies(g -> assertThat(g.groupName()).isEqualTo("default"));
        assertThat(e.privateDnsEnabled()).isFalse();
        assertThat(e.dnsEntries()).hasSize(3)
                .allSatisfy(d -> assertThat(d.dnsName()).startsWith("*." + e.vpcEndpointId()));
        assertThat(e.dnsEntries().get(2).dnsName()).contains("-us-east-1b.s3.us-east-1.vpce.amazonaws.com");
        assertThat(e.networkInterfaceIds()).hasSize(2);
    }

    @Test
    void createVpcEndpoint_twoSubnetsInOneZone_failsWithDuplicateSubnetsInSameZone_andCreatesNothing() {
        Net net = network(ec2, "10.12.0.0/16", false);

        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).privateDnsEnabled(false).subnetIds(net.subnetA(), net.subnetA2())),
                "DuplicateSubnetsInSameZone", net.subnetA2());
        assertThat(enisIn(net.vpcId())).isEmpty();
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("vpc-id").values(net.vpcId())
                .build())).vpcEndpoints()).isEmpty();
    }

    @Test
    void createVpcEndpoint_privateDnsWithoutVpcDnsHostnames_failsWithInvalidParameter() {
        Net net = network(ec2, "10.13.0.0/16", false);
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA())), "InvalidParameter",
                "enableDnsSupport and enableDnsHostnames");
        VpcEndpoint ok = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)).vpcEndpoint();
        assertThat(ok.dnsEntries()).hasSize(2);
    }

    @Test
    void createVpcEndpoint_secondPrivateDnsEndpointForOneServiceInOneVpc_failsWithConflict() {
        Net net = network(ec2, "10.14.0.0/16", true);
        ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface").serviceName(SQS)
                .subnetIds(net.subnetA()));
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetB())), "InvalidParameter", "conflicting DNS domain");
        // Without private DNS a second endpoint is fine.
        ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface").serviceName(SQS)
                .subnetIds(net.subnetB()).privateDnsEnabled(false));
    }

    @Test
    void createVpcEndpoint_privateDnsForAServiceWithoutOne_failsWithInvalidParameter() {
        Net net = network(ec2, "10.15.0.0/16", true);
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.dynamodb").subnetIds(net.subnetA()).privateDnsEnabled(true)),
                "InvalidParameter", "does not provide a private DNS name");
    }

    @Test
    void createVpcEndpoint_dualstackOrIpv6OnIpv4Subnets_failsWithInvalidParameter() {
        Net net = network(ec2, "10.16.0.0/16", false);
        for (String type : List.of("dualstack", "ipv6")) {
            assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                    .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false).ipAddressType(type)),
                    "InvalidParameter", net.subnetA());
        }
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)
                .dnsOptions(d -> d.dnsRecordIpType("ipv6"))), "InvalidParameter", "DnsRecordIpType");
    }

    @Test
    void createVpcEndpoint_unknownServiceOrWrongType_failsAsAws() {
        Net net = network(ec2, "10.17.0.0/16", false);
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.nope").subnetIds(net.subnetA())), "InvalidServiceName",
                "com.amazonaws.us-east-1.nope");
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(SQS)
                .routeTableIds(net.mainRtb())), "InvalidParameter", "Endpoint type (Gateway)");
        assertErrorContaining(
                () -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("GatewayLoadBalancer")
                        .serviceName(SQS).subnetIds(net.subnetA())),
                "UnsupportedOperation", "GatewayLoadBalancer");
        assertError(() -> ec2.createVpcEndpoint(r -> r.vpcId("vpc-0123456789abcdef0").serviceName(S3)),
                "InvalidVpcID.NotFound");
        assertError(() -> ec2.createVpcEndpoint(r -> r.vpcId("abc").serviceName(S3)), "InvalidVpcId.Malformed");
    }

    @Test
    void modifyVpcEndpoint_addAndRemoveSubnets_createsAndDeletesTheirEnis() {
        Net net = network(ec2, "10.18.0.0/16", false);
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)).vpcEndpoint();
        String firstEni = e.networkInterfaceIds().get(0);

        assertThat(ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addSubnetIds(net.subnetB()))
                .returnValue()).isTrue();
        VpcEndpoint two = describe(e.vpcEndpointId());
        assertThat(two.subnetIds()).containsExactly(net.subnetA(), net.subnetB());
        assertThat(two.networkInterfaceIds()).hasSize(2);
        assertThat(two.dnsEntries()).hasSize(3);
        NetworkInterface added = eni(two.networkInterfaceIds().get(1)).orElseThrow();
        assertThat(added.subnetId()).isEqualTo(net.subnetB());
        assertThat(added.availabilityZone()).isEqualTo("us-east-1b");

        assertError(() -> ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addSubnetIds(net.subnetA2())),
                "DuplicateSubnetsInSameZone");

        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).removeSubnetIds(net.subnetA()));
        VpcEndpoint one = describe(e.vpcEndpointId());
        assertThat(one.subnetIds()).containsExactly(net.subnetB());
        assertThat(eni(firstEni)).isEmpty();
        assertThat(one.dnsEntries()).hasSize(2);
        assertThat(one.dnsEntries().get(1).dnsName()).contains("-us-east-1b.");

        // Now subnet A has no endpoint interface and can go; subnet B cannot.
        ec2.deleteSubnet(r -> r.subnetId(net.subnetA()));
        assertError(() -> ec2.deleteSubnet(r -> r.subnetId(net.subnetB())), "DependencyViolation");
    }

    @Test
    void modifyVpcEndpoint_securityGroupsAndPrivateDns_updateTheEndpointAndItsEnis() {
        Net net = network(ec2, "10.19.0.0/16", true);
        String web = ec2.createSecurityGroup(r -> r.groupName("endpoint").description("endpoint")
                .vpcId(net.vpcId())).groupId();
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)).vpcEndpoint();
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addSecurityGroupIds(web)
                .removeSecurityGroupIds(net.sg()).privateDnsEnabled(true));
        VpcEndpoint after = describe(e.vpcEndpointId());
        assertThat(after.groups()).singleElement().satisfies(g -> assertThat(g.groupId()).isEqualTo(web));
        assertThat(after.privateDnsEnabled()).isTrue();
        assertThat(after.dnsEntries()).last().satisfies(d -> assertThat(d.dnsName())
                .isEqualTo("sqs.us-east-1.amazonaws.com"));
        assertThat(eni(after.networkInterfaceIds().get(0)).orElseThrow().groups()).extracting(g -> g.groupId())
                .containsExactly(web);
    }

    // ---- Seed diagram 2: a gateway endpoint to S3 on a subnet's route table, limited by a policy.

    @Test
    void createVpcEndpoint_gatewayToS3_addsThePrefixListRouteAndKeepsTheCustomPolicy() {
        Net net = network(ec2, "10.20.0.0/16", false);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::my-bucket/*\"}]}";
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument(policy)).vpcEndpoint();

        assertThat(e.vpcEndpointTypeAsString()).isEqualTo("Gateway");
        assertThat(e.stateAsString()).isEqualTo("available");
        assertThat(e.routeTableIds()).containsExactly(net.mainRtb());
        assertThat(e.policyDocument()).isEqualTo(policy);
        assertThat(e.dnsEntries()).isEmpty();
        assertThat(e.networkInterfaceIds()).isEmpty();

        assertThat(routes(net.mainRtb())).anySatisfy(route -> {
            assertThat(route.destinationPrefixListId()).isEqualTo("pl-63a5400a");
            assertThat(route.gatewayId()).isEqualTo(e.vpcEndpointId());
            assertThat(route.originAsString()).isEqualTo("CreateRoute");
            assertThat(route.stateAsString()).isEqualTo("active");
        });
        assertError(() -> ec2.deleteRoute(r -> r.routeTableId(net.mainRtb()).destinationPrefixListId("pl-63a5400a")),
                "InvalidParameterValue");
        assertThat(describe(e.vpcEndpointId()).policyDocument()).isEqualTo(policy);
    }

    @Test
    void createVpcEndpoint_gatewayWithoutPolicy_getsAwsDefaultPolicy() {
        Net net = network(ec2, "10.21.0.0/16", false);
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId())
                .serviceName("com.amazonaws.us-east-1.dynamodb").routeTableIds(net.mainRtb())).vpcEndpoint();
        assertThat(e.policyDocument()).isEqualTo("{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        assertThat(routes(net.mainRtb()))
                .anySatisfy(route -> assertThat(route.destinationPrefixListId()).isEqualTo("pl-02cd2c6b"));
    }

    @Test
    void createVpcEndpoint_malformedPolicy_failsWithInvalidPolicyDocumentNamingTheProblem_andChangesNothing() {
        Net net = network(ec2, "10.22.0.0/16", false);
        String badEffect = "{\"Statement\":[{\"Effect\":\"Allw\",\"Principal\":\"*\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}]}";
        String noAction = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}]}";
        String noPrincipal = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        String tooLong = "{\"Statement\":[{\"Sid\":\"" + "x".repeat(20_500)
                + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument("{not json")), "InvalidPolicyDocument", "not valid JSON");
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument(badEffect)), "InvalidPolicyDocument", "Allw");
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument(noAction)), "InvalidPolicyDocument", "Action");
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument(noPrincipal)), "InvalidPolicyDocument", "Principal");
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).policyDocument(tooLong)), "InvalidPolicyDocument", "20,480");

        assertThat(ec2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("vpc-id").values(net.vpcId())
                .build())).vpcEndpoints()).isEmpty();
        assertThat(routes(net.mainRtb()))
                .noneMatch(route -> route.destinationPrefixListId() != null);
    }

    @Test
    void modifyVpcEndpoint_policyAndResetPolicy_storeAndRestoreTheDefault() {
        Net net = network(ec2, "10.23.0.0/16", false);
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())).vpcEndpoint();
        String policy = "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObject\","
                + "\"Resource\":\"*\"}]}";
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).policyDocument(policy));
        assertThat(describe(e.vpcEndpointId()).policyDocument()).isEqualTo(policy);
        assertError(() -> ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .policyDocument("{\"Statement\":[{\"Effect\":\"Maybe\"}]}")), "InvalidPolicyDocument");
        assertThat(describe(e.vpcEndpointId()).policyDocument()).isEqualTo(policy);
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).resetPolicy(true));
        assertThat(describe(e.vpcEndpointId()).policyDocument()).isEqualTo(e.policyDocument());
    }

    @Test
    void modifyVpcEndpoint_addAndRemoveRouteTables_addsAndRemovesTheirRoutes() {
        Net net = network(ec2, "10.24.0.0/16", false);
        String extra = ec2.createRouteTable(r -> r.vpcId(net.vpcId())).routeTable().routeTableId();
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())).vpcEndpoint();
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addRouteTableIds(extra)
                .removeRouteTableIds(net.mainRtb()));
        assertThat(describe(e.vpcEndpointId()).routeTableIds()).containsExactly(extra);
        assertThat(routes(net.mainRtb()))
                .noneMatch(route -> e.vpcEndpointId().equals(route.gatewayId()));
        assertThat(routes(extra))
                .anyMatch(route -> e.vpcEndpointId().equals(route.gatewayId())
                        && "pl-63a5400a".equals(route.destinationPrefixListId()));
    }

    @Test
    void createVpcEndpoint_secondS3GatewayOnTheSameRouteTable_failsWithRouteAlreadyExists() {
        Net net = network(ec2, "10.25.0.0/16", false);
        ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3).routeTableIds(net.mainRtb()));
        assertErrorContaining(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())), "RouteAlreadyExists", "pl-63a5400a");
    }

    @Test
    void deleteVpcEndpoints_removesRoutesAndEnis_andReportsUnknownIdsAsUnsuccessful() {
        Net net = network(ec2, "10.26.0.0/16", false);
        VpcEndpoint gw = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())).vpcEndpoint();
        VpcEndpoint ifc = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)).vpcEndpoint();

        assertError(() -> ec2.deleteVpc(r -> r.vpcId(net.vpcId())), "DependencyViolation");
        assertError(() -> ec2.deleteSubnet(r -> r.subnetId(net.subnetA())), "DependencyViolation");

        List<UnsuccessfulItem> failed = ec2.deleteVpcEndpoints(r -> r.vpcEndpointIds(gw.vpcEndpointId(),
                ifc.vpcEndpointId(), "vpce-0123456789abcdef0")).unsuccessful();
        assertThat(failed).singleElement().satisfies(f -> {
            assertThat(f.resourceId()).isEqualTo("vpce-0123456789abcdef0");
            assertThat(f.error().code()).isEqualTo("InvalidVpcEndpointId.NotFound");
            assertThat(f.error().message()).contains("vpce-0123456789abcdef0");
        });
        assertThat(routes(net.mainRtb()))
                .noneMatch(route -> route.destinationPrefixListId() != null);
        assertThat(eni(ifc.networkInterfaceIds().get(0))).isEmpty();
        assertError(() -> ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(gw.vpcEndpointId())),
                "InvalidVpcEndpointId.NotFound");

        ec2.deleteSubnet(r -> r.subnetId(net.subnetA()));
        ec2.deleteSubnet(r -> r.subnetId(net.subnetB()));
        ec2.deleteSubnet(r -> r.subnetId(net.subnetA2()));
        ec2.deleteVpc(r -> r.vpcId(net.vpcId()));
    }

    @Test
    void vpcEndpoints_anotherAccountsVpcSubnetRouteTableAndEndpoint_areNotFound() {
        Net net = network(ec2, "10.28.0.0/16", false);
        Net mine = network(other, "10.29.0.0/16", false);
        VpcEndpoint e = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())).vpcEndpoint();

        assertError(() -> other.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)),
                "InvalidVpcID.NotFound");
        assertError(() -> other.createVpcEndpoint(r -> r.vpcId(mine.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb())), "InvalidRouteTableID.NotFound");
        assertError(() -> other.createVpcEndpoint(r -> r.vpcId(mine.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)), "InvalidSubnetID.NotFound");
        assertError(() -> other.describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())),
                "InvalidVpcEndpointId.NotFound");
        assertError(() -> other.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).resetPolicy(true)),
                "InvalidVpcEndpointId.NotFound");
        assertThat(other.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())).unsuccessful())
                .singleElement().satisfies(f -> assertThat(f.error().code())
                        .isEqualTo("InvalidVpcEndpointId.NotFound"));
        assertThat(other.describeVpcEndpoints().vpcEndpoints()).extracting(VpcEndpoint::vpcEndpointId)
                .doesNotContain(e.vpcEndpointId());
        assertThat(describe(e.vpcEndpointId()).stateAsString()).isEqualTo("available");
    }

    @Test
    void describeVpcEndpoints_filtersByTypeStateAndService() {
        Net net = network(ec2, "10.30.0.0/16", false);
        VpcEndpoint gw = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).serviceName(S3)
                .routeTableIds(net.mainRtb()).tagSpecifications(t -> t.resourceType("vpc-endpoint")
                        .tags(tag -> tag.key("role").value("storage"))))
                .vpcEndpoint();
        VpcEndpoint ifc = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(net.subnetA()).privateDnsEnabled(false)).vpcEndpoint();
        Filter inVpc = Filter.builder().name("vpc-id").values(net.vpcId()).build();
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(inVpc, Filter.builder().name("vpc-endpoint-type")
                .values("Interface").build())).vpcEndpoints()).extracting(VpcEndpoint::vpcEndpointId)
                .containsExactly(ifc.vpcEndpointId());
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(inVpc, Filter.builder().name("service-name")
                .values("*.s3").build())).vpcEndpoints()).extracting(VpcEndpoint::vpcEndpointId)
                .containsExactly(gw.vpcEndpointId());
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(inVpc, Filter.builder().name("vpc-endpoint-state")
                .values("available").build())).vpcEndpoints()).hasSize(2);
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("tag:role").values("storage")
                .build())).vpcEndpoints()).extracting(VpcEndpoint::vpcEndpointId)
                .containsExactly(gw.vpcEndpointId());
        assertError(() -> ec2.describeVpcEndpoints(r -> r.filters(Filter.builder().name("colour").values("x")
                .build())), "InvalidParameterValue");
    }

    @Test
    void describeVpcEndpointServices_listsAwsServicesWithTheirDetails_filtersAndPages() {
        var all = ec2.describeVpcEndpointServices();
        assertThat(all.serviceNames()).contains(S3, SQS, "com.amazonaws.us-east-1.dynamodb",
                "com.amazonaws.us-east-1.ecr.dkr", "com.amazonaws.us-east-1.ssmmessages",
                "com.amazonaws.us-east-1.execute-api").doesNotHaveDuplicates();
        ServiceDetail s3Gateway = all.serviceDetails().stream().filter(d -> d.serviceName().equals(S3)
                && d.serviceType().get(0).serviceTypeAsString().equals("Gateway")).findFirst().orElseThrow();
        assertThat(s3Gateway.owner()).isEqualTo("amazon");
        assertThat(s3Gateway.acceptanceRequired()).isFalse();
        assertThat(s3Gateway.vpcEndpointPolicySupported()).isTrue();
        assertThat(s3Gateway.baseEndpointDnsNames()).containsExactly("s3.us-east-1.amazonaws.com");
        assertThat(s3Gateway.availabilityZones()).containsExactly("us-east-1a", "us-east-1b", "us-east-1c",
                "us-east-1d", "us-east-1e", "us-east-1f");
        ServiceDetail sqs = all.serviceDetails().stream().filter(d -> d.serviceName().equals(SQS)).findFirst()
                .orElseThrow();
        assertThat(sqs.serviceType()).singleElement().satisfies(t -> assertThat(t.serviceTypeAsString())
                .isEqualTo("Interface"));
        assertThat(sqs.privateDnsName()).isEqualTo("sqs.us-east-1.amazonaws.com");
        assertThat(sqs.baseEndpointDnsNames()).containsExactly("sqs.us-east-1.vpce.amazonaws.com");
        assertThat(sqs.serviceId()).matches("vpce-svc-[0-9a-f]{17}");

        var gateways = ec2.describeVpcEndpointServices(r -> r.filters(Filter.builder().name("service-type")
                .values("Gateway").build()));
        assertThat(gateways.serviceNames()).containsExactly("com.amazonaws.us-east-1.dynamodb", S3);

        var first = ec2.describeVpcEndpointServices(r -> r.maxResults(5));
        assertThat(first.serviceDetails()).hasSize(5);
        var second = ec2.describeVpcEndpointServices(r -> r.maxResults(5).nextToken(first.nextToken()));
        assertThat(second.serviceDetails().get(0)).isNotEqualTo(first.serviceDetails().get(4));
        assertThat(second.serviceDetails()).doesNotContainAnyElementsOf(first.serviceDetails());

        assertError(() -> ec2.describeVpcEndpointServices(r -> r.serviceNames("com.amazonaws.us-east-1.nope")),
                "InvalidServiceName");
        assertThat(UNDERPASS.ec2(ACCOUNT, "eu-west-1").describeVpcEndpointServices().serviceNames())
                .contains("com.amazonaws.eu-west-1.s3");
    }
}
