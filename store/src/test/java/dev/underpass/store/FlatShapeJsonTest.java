package dev.underpass.store;

import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.PrefixListId;
import dev.underpass.model.ec2.EgressOnlyInternetGatewayId;
import dev.underpass.model.ec2.InternetGatewayId;
import dev.underpass.model.ec2.PeeringConnectionId;
import dev.underpass.model.ec2.NatGatewayId;
import dev.underpass.model.ec2.RouteTableId;

import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RouteTarget;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.PolicyDocument;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.net.IpFamily;
import dev.underpass.model.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routes and security-group rules are typed in memory and stored in AWS's flat shape, the one they were stored in
 * before the typed model: a table or group written before it reads as typed values and is written back byte for
 * byte, by the store's own decoder and by Jackson alike.
 */
class FlatShapeJsonTest {
    private static String route(String v4, String v6, String pl, String gateway, String nat, String eni,
            String instance, String owner, String origin, String pcx, String eigw) {
        return "{\"destinationCidrBlock\":" + q(v4) + ",\"destinationIpv6CidrBlock\":" + q(v6)
                + ",\"destinationPrefixListId\":" + q(pl) + ",\"gatewayId\":" + q(gateway) + ",\"natGatewayId\":"
                + q(nat) + ",\"networkInterfaceId\":" + q(eni) + ",\"instanceId\":" + q(instance)
                + ",\"instanceOwnerId\":" + q(owner) + ",\"origin\":" + q(origin) + ",\"state\":\"active\","
                + "\"vpcPeeringConnectionId\":" + q(pcx) + ",\"egressOnlyInternetGatewayId\":" + q(eigw) + "}";
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static final String STORED = "{\"@kind\":\"route-table\",\"id\":\"rtb-1\",\"ownerId\":\"111111111111\","
            + "\"region\":\"us-east-1\",\"vpcId\":\"vpc-1\",\"routes\":["
            + route("10.0.0.0/16", null, null, "local", null, null, null, null, "CreateRouteTable", null, null) + ","
            + route(null, "2600:1f18:1::/56", null, "local", null, null, null, null, "CreateRouteTable", null, null)
            + "," + route("0.0.0.0/0", null, null, "igw-1", null, null, null, null, "CreateRoute", null, null) + ","
            + route(null, null, "pl-63a5400a", "vpce-1", null, null, null, null, "CreateRoute", null, null) + ","
            + route("10.9.0.0/16", null, null, null, "nat-1", null, null, null, "CreateRoute", null, null) + ","
            + route("10.8.0.0/16", null, null, null, null, "eni-1", "i-1", "111111111111", "CreateRoute", null, null)
            + "," + route("10.7.0.0/16", null, null, null, null, null, null, null, "CreateRoute", "pcx-1", null) + ","
            + route(null, "::/0", null, null, null, null, null, null, "CreateRoute", null, "eigw-1") + ","
            + route("10.6.0.0/16", null, null, "vgw-1", null, null, null, null, "CreateRoute", null, null)
            + "],\"associations\":[],\"tags\":{},\"main\":false}";

    @Test
    void aTableStoredInTheFlatShape_readsAsTypedRoutes_andIsWrittenBackUnchanged() {
        RouteTable t = (RouteTable) Json.read(STORED.getBytes(StandardCharsets.UTF_8));
        assertThat(t.routes()).extracting(RouteTable.Route::destination).containsExactly(
                new AddressSet.Ipv4(Cidr.parse("10.0.0.0/16")), new AddressSet.Ipv6("2600:1f18:1::/56"),
                new AddressSet.Ipv4(Cidr.parse("0.0.0.0/0")), new AddressSet.PrefixList(PrefixListId.of("pl-63a5400a")),
                new AddressSet.Ipv4(Cidr.parse("10.9.0.0/16")), new AddressSet.Ipv4(Cidr.parse(
                        "10.8.0.0/16")),
                new AddressSet.Ipv4(Cidr.parse("10.7.0.0/16")), new AddressSet.Ipv6("::/0"),
                new AddressSet.Ipv4(Cidr.parse("10.6.0.0/16")));
        assertThat(t.routes()).extracting(RouteTable.Route::target).containsExactly(new RouteTarget.Local(),
                new RouteTarget.Local(), new RouteTarget.Igw(InternetGatewayId.of("igw-1")),
                new RouteTarget.GatewayEndpoint(VpcEndpointId.of("vpce-1")),
                new RouteTarget.Nat(NatGatewayId.of("nat-1")),
                new RouteTarget.Eni(NetworkInterfaceId.of("eni-1"), InstanceId.of("i-1"), "111111111111"),
                new RouteTarget.Peering(PeeringConnectionId.of("pcx-1")),
                new RouteTarget.EgressOnlyIgw(EgressOnlyInternetGatewayId.of("eigw-1")),
                new RouteTarget.OtherGateway("vgw-1"));
        assertThat(Json.decodedDirectly("route-table")).isTrue();
        assertThat(Json.readWithJackson(STORED)).isEqualTo(t);
        assertThat(Json.write(t)).isEqualTo(STORED);
    }

    private static String rule(String id, boolean egress, String v4, String v6, String pl, String group,
            String user) {
        return "{\"ruleId\":" + q(id) + ",\"egress\":" + egress + ",\"protocol\":\"tcp\",\"fromPort\":443,"
                + "\"toPort\":443,\"cidrIpv4\":" + q(v4) + ",\"cidrIpv6\":" + q(v6) + ",\"prefixListId\":" + q(pl)
                + ",\"referencedGroupId\":" + q(group) + ",\"referencedUserId\":" + q(user)
                + ",\"description\":null,\"tags\":{\"k\":\"v\"}}";
    }

    private static final String GROUP = "{\"@kind\":\"security-group\",\"id\":\"sg-1\",\"ownerId\":\"111111111111\","
            + "\"region\":\"us-east-1\",\"vpcId\":\"vpc-1\",\"groupName\":\"web\",\"description\":\"web\","
            + "\"rules\":[" + rule("sgr-1", false, "10.0.0.0/16", null, null, null, null) + ","
            + rule("sgr-2", false, null, "2600:1f18:1::/56", null, null, null) + ","
            + rule("sgr-3", false, null, null, "pl-1", null, null) + ","
            + rule("sgr-4", true, null, null, null, "sg-2", "222222222222") + "],\"tags\":{},\"default\":false}";

    @Test
    void aGroupStoredInTheFlatShape_readsAsTypedPeers_andIsWrittenBackUnchanged() {
        SecurityGroup g = (SecurityGroup) Json.read(GROUP.getBytes(StandardCharsets.UTF_8));
        assertThat(g.rules()).extracting(SecurityGroup.Rule::peer).containsExactly(
                new AddressSet.Ipv4(Cidr.parse("10.0.0.0/16")), new AddressSet.Ipv6("2600:1f18:1::/56"),
                new AddressSet.PrefixList(PrefixListId.of("pl-1")),
                new RulePeer.Group(SecurityGroupId.of("sg-2"), "222222222222"));
        assertThat(g.rules().get(3).tags()).containsEntry("k", "v");
        assertThat(Json.decodedDirectly("security-group")).isTrue();
        assertThat(Json.readWithJackson(GROUP)).isEqualTo(g);
        assertThat(Json.write(g)).isEqualTo(GROUP);
    }

    private static final String ACL = "{\"@kind\":\"network-acl\",\"id\":\"acl-1\",\"ownerId\":\"111111111111\","
            + "\"region\":\"us-east-1\",\"vpcId\":\"vpc-1\",\"isDefault\":false,\"entries\":["
            + "{\"ruleNumber\":100,\"egress\":false,\"protocol\":\"6\",\"ruleAction\":\"allow\","
            + "\"cidrBlock\":\"10.0.0.0/16\",\"ipv6CidrBlock\":null,\"icmpType\":null,\"icmpCode\":null,"
            + "\"portFrom\":443,\"portTo\":443},"
            + "{\"ruleNumber\":32767,\"egress\":true,\"protocol\":\"-1\",\"ruleAction\":\"deny\","
            + "\"cidrBlock\":null,\"ipv6CidrBlock\":\"::/0\",\"icmpType\":null,\"icmpCode\":null,"
            + "\"portFrom\":null,\"portTo\":null}],\"associations\":[],\"tags\":{}}";

    @Test
    void anAclStoredInTheFlatShape_readsAsTypedEntries_andIsWrittenBackUnchanged() {
        NetworkAcl acl = (NetworkAcl) Json.read(ACL.getBytes(StandardCharsets.UTF_8));
        assertThat(acl.entries()).extracting(NetworkAcl.Entry::allow, NetworkAcl.Entry::block).containsExactly(
                org.assertj.core.groups.Tuple.tuple(true, new AddressSet.Ipv4(Cidr.parse("10.0.0.0/16"))),
                org.assertj.core.groups.Tuple.tuple(false, AddressSet.ALL_IPV6));
        assertThat(Json.decodedDirectly("network-acl")).isTrue();
        assertThat(Json.readWithJackson(ACL)).isEqualTo(acl);
        assertThat(Json.write(acl)).isEqualTo(ACL);
        String unknown = ACL.replace("\"deny\"", "\"drop\"");
        String message = message(() -> Json.readWithJackson(unknown));
        assertThat(message).contains("rule action drop");
        assertThatThrownBy(() -> Json.read(unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    @Test
    void anEndpointPolicy_isStoredAsItsText_andReadBackParsed() {
        String text = "{\n  \"Statement\": [ {\"Effect\": \"Allow\", \"Principal\": \"*\", "
                + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"} ]\n}";
        VpcEndpoint e = new VpcEndpoint("vpce-1", "111111111111", "us-east-1", VpcId.of("vpc-1"),
                "com.amazonaws.us-east-1.s3", null, null, VpcEndpoint.Type.GATEWAY, VpcEndpoint.State.AVAILABLE,
                Instant.parse("2026-01-01T00:00:00Z"), PolicyDocument.of(text), RouteTableId.all(List.of("rtb-1")),
                List.of(),
                List.of(), List.of(), false, VpcEndpoint.IpAddressType.IPV4, null, null, null, List.of(),
                Instant.parse("2026-01-01T00:00:00Z"),
                Map.of());
        String json = Json.write(e);
        // The text exactly as given (AWS answers with it), as the rows written before the typed model hold it.
        assertThat(json).contains("\"policyDocument\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(text).toString());
        assertThat(Json.decodedDirectly("vpc-endpoint")).isTrue();
        for (VpcEndpoint read : List.of((VpcEndpoint) Json.read(json.getBytes(StandardCharsets.UTF_8)),
                (VpcEndpoint) Json.readWithJackson(json))) {
            assertThat(read).isEqualTo(e);
            assertThat(read.policyDocument().text()).isEqualTo(text);
            assertThat(read.policyDocument().policy().statements()).hasSize(1);
            assertThat(Json.write(read)).isEqualTo(json);
        }
    }

    @Test
    void anEndpointsTypeAndState_areStoredByAwsNames_andReadBackAsEnums() {
        VpcEndpoint e = interfaceEndpoint(VpcEndpoint.State.PENDING_ACCEPTANCE, VpcEndpoint.IpAddressType.IPV4, null);
        String json = Json.write(e);
        assertThat(json).contains("\"type\":\"Interface\",\"state\":\"pendingAcceptance\"");
        assertThat(Json.decodedDirectly("vpc-endpoint")).isTrue();
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(e);
        assertThat(Json.readWithJackson(json)).isEqualTo(e);
        String unknown = json.replace("\"pendingAcceptance\"", "\"partial\"");
        String message = message(() -> Json.readWithJackson(unknown));
        assertThat(message).contains("\"partial\"").contains("pendingAcceptance");
        assertThatThrownBy(() -> Json.read(unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    @Test
    void aNatGatewayStoredWithItsConnectivityTypeAsText_readsAsTheEnum_andIsWrittenBackUnchanged() {
        String json = "{\"@kind\":\"natgateway\",\"id\":\"nat-1\",\"ownerId\":\"111111111111\","
                + "\"region\":\"us-east-1\",\"subnetId\":\"subnet-1\",\"vpcId\":\"vpc-1\","
                + "\"connectivityType\":\"private\",\"networkInterfaceId\":\"eni-1\",\"privateIp\":\"10.0.0.5\","
                + "\"allocationId\":null,\"publicIp\":null,\"state\":\"available\","
                + "\"createTime\":\"2026-01-01T00:00:00Z\",\"deleteTime\":null,\"tags\":{}}";
        for (Resource read : List.of(Json.read(json.getBytes(StandardCharsets.UTF_8)), Json.readWithJackson(json))) {
            assertThat(((NatGateway) read).connectivityType()).isEqualTo(NatGateway.ConnectivityType.PRIVATE);
            assertThat(Json.write(read)).isEqualTo(json);
        }
    }

    @Test
    void aFlowLogsTrafficType_isStoredByAwsName() {
        FlowLog log = new FlowLog("fl-1", "111111111111", "us-east-1", "vpc-1", FlowLog.TrafficType.REJECT, "s3",
                "arn:aws:s3:::logs", null, null, null, "${version} ${action}", 600, "plain-text", false, false,
                Instant.parse("2026-01-01T00:00:00Z"), null, Map.of());
        String json = Json.write(log);
        assertThat(json).contains("\"resourceId\":\"vpc-1\",\"trafficType\":\"REJECT\",");
        for (Resource read : List.of(Json.read(json.getBytes(StandardCharsets.UTF_8)), Json.readWithJackson(json))) {
            assertThat(read).isEqualTo(log);
            assertThat(Json.write(read)).isEqualTo(json);
        }
    }

    @Test
    void anEndpointsIpAddressTypes_areStoredByAwsNames_asBeforeTheTypes() {
        VpcEndpoint e = interfaceEndpoint(VpcEndpoint.State.AVAILABLE, VpcEndpoint.IpAddressType.DUALSTACK,
                new VpcEndpoint.DnsOptions(VpcEndpoint.DnsRecordIpType.SERVICE_DEFINED, null));
        String json = Json.write(e);
        // The strings the rows written before these types hold, in the same places.
        assertThat(json).contains("\"ipAddressType\":\"dualstack\",\"dnsOptions\":{\"dnsRecordIpType\":"
                + "\"service-defined\",\"privateDnsOnlyForInboundResolverEndpoint\":null}");
        // The views the rules switch over are not stored.
        assertThat(json).doesNotContain("\"placement\"").doesNotContain("\"target\"");
        for (Resource read : List.of(Json.read(json.getBytes(StandardCharsets.UTF_8)), Json.readWithJackson(json))) {
            assertThat(read).isEqualTo(e);
            assertThat(Json.write(read)).isEqualTo(json);
        }
        String unknown = json.replace("\"dualstack\"", "\"dual-stack\"");
        String message = message(() -> Json.readWithJackson(unknown));
        assertThat(message).contains("\"dual-stack\"");
        assertThatThrownBy(() -> Json.read(unknown.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);

        EndpointService service = new EndpointService("vpce-svc-1", "222222222222", "us-east-1",
                "com.amazonaws.vpce.us-east-1.vpce-svc-1", EndpointService.State.AVAILABLE, List.of("arn:lb"),
                List.of(), true, List.of(IpFamily.IPV4, IpFamily.IPV6), List.of("us-east-1"), null, null, List.of(),
                Instant.parse("2026-01-01T00:00:00Z"), Map.of());
        String serviceJson = Json.write(service);
        assertThat(serviceJson).contains("\"supportedIpAddressTypes\":[\"ipv4\",\"ipv6\"]");
        for (Resource read : List.of(Json.read(serviceJson.getBytes(StandardCharsets.UTF_8)),
                Json.readWithJackson(serviceJson))) {
            assertThat(read).isEqualTo(service);
            assertThat(Json.write(read)).isEqualTo(serviceJson);
        }
    }

    @Test
    void aPrefixListStoredWithItsStateAsText_readsAsTheEnum_andIsWrittenBackUnchanged() {
        String json = "{\"@kind\":\"prefix-list\",\"id\":\"pl-1\",\"ownerId\":\"111111111111\","
                + "\"region\":\"us-east-1\",\"name\":\"corp\",\"addressFamily\":\"IPv4\",\"maxEntries\":5,"
                + "\"version\":2,\"state\":\"modify-complete\",\"versions\":[{\"version\":2,\"entries\":"
                + "[{\"cidr\":\"10.1.0.0/16\",\"description\":null}]}],\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"tags\":{}}";
        for (ManagedPrefixList read : List.of((ManagedPrefixList) Json.read(json.getBytes(StandardCharsets.UTF_8)),
                (ManagedPrefixList) Json.readWithJackson(json))) {
            assertThat(read.state()).isEqualTo(ManagedPrefixList.State.MODIFY_COMPLETE);
            assertThat(Json.write(read)).isEqualTo(json);
        }
    }

    @Test
    void anOrganizationPolicy_isStoredAsItsText_andReadBackParsed() {
        String text = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",  \"Resource\":\"*\"}]}";
        ControlPolicy p = new ControlPolicy("p-abcd1234", "111111111111", "global", "o-abcdefghij", "deny-s3", "",
                ControlPolicy.SCP, PolicyDocument.of(text), false, Map.of());
        String json = Json.write(p);
        assertThat(json).contains("\"content\":\"" + text.replace("\"", "\\\"") + "\"");
        for (ControlPolicy read : List.of((ControlPolicy) Json.read(json.getBytes(StandardCharsets.UTF_8)),
                (ControlPolicy) Json.readWithJackson(json))) {
            assertThat(read).isEqualTo(p);
            assertThat(read.content().text()).isEqualTo(text);
            assertThat(read.content().policy().statements()).hasSize(1);
            assertThat(Json.write(read)).isEqualTo(json);
        }
    }

    @Test
    void aStoredRouteWithNoTarget_isRefusedByBothReaders_withOneMessage() {
        String broken = STORED.replace("\"gatewayId\":\"igw-1\"", "\"gatewayId\":null");
        assertThatThrownBy(() -> Json.readWithJackson(broken)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no target");
        String message = message(() -> Json.readWithJackson(broken));
        assertThatThrownBy(() -> Json.read(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    /** An interface endpoint to a customer's service, in one subnet, with one interface and one group. */
    private static VpcEndpoint interfaceEndpoint(VpcEndpoint.State state, VpcEndpoint.IpAddressType ipType,
            VpcEndpoint.DnsOptions dns) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new VpcEndpoint("vpce-1", "111111111111", "us-east-1", VpcId.of("vpc-1"), "com.amazonaws.vpce.svc",
                EndpointServiceId.of("vpce-svc-1"), "222222222222", VpcEndpoint.Type.INTERFACE, state, at, null,
                List.of(), List.of(SubnetId.of("subnet-1")), NetworkInterfaceId.all(List.of("eni-1")),
                SecurityGroupId.all(List.of("sg-1")), false, ipType, dns, "tok", null, List.of(), at, Map.of());
    }
}
