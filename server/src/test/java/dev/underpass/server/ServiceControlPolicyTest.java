package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.server.cli.PolicyCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ram.model.RamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.InvalidAuthorizationMessageException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Service control policies enforced on the EC2 and ELBv2 request path, through the SDKs: an organization with a
 * management account and a member, SCPs created and attached through Organizations, and the member's requests
 * refused (EC2 {@code UnauthorizedOperation} 403 with an encoded message, ELBv2 {@code AccessDenied} 403) with
 * nothing changed; the message decoded by STS and by {@code underpass policy decode}. Each test builds its own
 * organization from fresh account ids.
 */
class ServiceControlPolicyTest {
    private static final AtomicLong NEXT = new AtomicLong(530_000_000_000L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQS = "com.amazonaws.us-east-1.sqs";
    private static final String S3 = "com.amazonaws.us-east-1.s3";
    private static final String ONLY_APPROVED_ENDPOINTS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"OnlyApprovedEndpointServices","Effect":"Deny",
            "Action":"ec2:CreateVpcEndpoint","Resource":"*",
            "Condition":{"StringNotEquals":{"ec2:VpceServiceName":["com.amazonaws.us-east-1.s3",
            "com.amazonaws.us-east-1.dynamodb"]}}}]}""";
    private static final String NO_LOAD_BALANCERS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoLoadBalancers","Effect":"Deny",
            "Action":"elasticloadbalancing:CreateLoadBalancer","Resource":"*"}]}""";
    private static final String MESSAGE_PREFIX =
            "You are not authorized to perform this operation. Encoded authorization failure message: ";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private record Org(String management, String member, OrganizationsClient client, String rootId, String id) {
        /** Creates an SCP and attaches it to {@code target}; returns its id. */
        String attach(String name, String content, String target) {
            String id = client.createPolicy(r -> r.name(name).description(name).type("SERVICE_CONTROL_POLICY")
                    .content(content)).policy().policySummary().id();
            client.attachPolicy(r -> r.policyId(id).targetId(target));
            return id;
        }
    }

    private static String account() {
        return Long.toString(NEXT.getAndIncrement());
    }

    private static OrganizationsClient org(String account) {
        return UnderpassExtension.client(OrganizationsClient.builder(),
                UNDERPASS.endpoint(), account, Region.US_EAST_1);
    }

    private static StsClient sts(String account) {
        return UnderpassExtension.client(StsClient.builder(), UNDERPASS.endpoint(), account, Region.US_EAST_1);
    }

    /** A management account, its organization with SCPs enabled, and a member that accepted the invitation. */
    private static Org organization(boolean enableScps) {
        String management = account();
        String member = account();
        OrganizationsClient client = org(management);
        String id = client.createOrganization(r -> r.featureSet("ALL")).organization().id();
        String rootId = client.listRoots(r -> {}).roots().get(0).id();
        Handshake h = client.inviteAccountToOrganization(r -> r.target(t -> t.id(member).type("ACCOUNT")))
                .handshake();
        org(member).acceptHandshake(r -> r.handshakeId(h.id()));
        if (enableScps) {
            client.enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
        }
        return new Org(management, member, client, rootId, id);
    }

    private static String vpc(Ec2Client ec2) {
        return ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    /**
     * What the endpoint-policy tests build in an account before asking for an endpoint: its EC2 client, a VPC
     * (10.40.0.0/16) and a subnet in us-east-1a.
     */
    private record Network(Ec2Client ec2, String vpc, String subnet) {
        static Network of(String account) {
            Ec2Client ec2 = UNDERPASS.ec2(account);
            String vpc = ServiceControlPolicyTest.vpc(ec2);
            return new Network(ec2, vpc, ServiceControlPolicyTest.subnet(ec2, vpc, "10.40.1.0/24", "us-east-1a"));
        }

        /** Creates an interface endpoint to {@code service} in the subnet; its id. */
        String interfaceEndpoint(String service) {
            return ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface").serviceName(service)
                    .subnetIds(subnet).privateDnsEnabled(false)).vpcEndpoint().vpcEndpointId();
        }
    }

    private static Ec2Exception refused(Runnable call) {
        Ec2Exception[] caught = new Ec2Exception[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnauthorizedOperation");
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith(MESSAGE_PREFIX);
            caught[0] = e;
        });
        return caught[0];
    }

    private static String token(Ec2Exception e) {
        return e.awsErrorDetails().errorMessage().substring(MESSAGE_PREFIX.length());
    }

    @Test
    void scpDenyingUnapprovedEndpointServices_refusesTheMemberInItsOwnVpc_withNothingCreated() {
        Org o = organization(true);
        o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.member());
        Network n = Network.of(o.member());
        Ec2Client ec2 = n.ec2();

        refused(() -> n.interfaceEndpoint(SQS));

        Filter inVpc = Filter.builder().name("vpc-id").values(n.vpc()).build();
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(inVpc)).vpcEndpoints()).isEmpty();
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc)).networkInterfaces()).isEmpty();
        // A service on the list passes.
        String main = ec2.describeRouteTables(r -> r.filters(inVpc)).routeTables().get(0).routeTableId();
        assertThat(ec2.createVpcEndpoint(r -> r.vpcId(n.vpc()).serviceName(S3).routeTableIds(main)).vpcEndpoint()
                .stateAsString()).isEqualTo("available");
        // Reads are not affected by a policy about CreateVpcEndpoint.
        assertThat(ec2.describeVpcEndpoints(r -> r.filters(inVpc)).vpcEndpoints()).hasSize(1);
    }

    @Test
    void managementAccount_isNeverRestricted_evenWithTheScpOnTheRoot() {
        Org o = organization(true);
        o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.rootId());
        assertThat(Network.of(o.management()).interfaceEndpoint(SQS)).startsWith("vpce-");
        // The member, under the root, is refused.
        Network member = Network.of(o.member());
        refused(() -> member.interfaceEndpoint(SQS));
    }

    @Test
    void detachingTheScp_liftsTheRefusal() {
        Org o = organization(true);
        String policy = o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.member());
        Network n = Network.of(o.member());
        refused(() -> n.interfaceEndpoint(SQS));

        o.client().detachPolicy(r -> r.policyId(policy).targetId(o.member()));

        assertThat(n.interfaceEndpoint(SQS)).startsWith("vpce-");
    }

    @Test
    void fullAwsAccessByDefault_allowsEverything_andNoOrganizationOrNoScpTypeRestrictsNothing() {
        Org o = organization(true);
        assertThat(Network.of(o.member()).interfaceEndpoint(SQS)).startsWith("vpce-");

        // SCPs not enabled on the root: a policy cannot even be attached, and nothing is refused.
        Org off = organization(false);
        assertThat(Network.of(off.member()).interfaceEndpoint(SQS)).startsWith("vpce-");
    }

    @Test
    void dryRun_refusedByAnScp_answersUnauthorizedOperation_notDryRunOperation() {
        Org o = organization(true);
        o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.member());
        Network n = Network.of(o.member());
        refused(() -> n.ec2().createVpcEndpoint(r -> r.dryRun(true).vpcId(n.vpc()).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(n.subnet()).privateDnsEnabled(false)));
        assertThatThrownBy(() -> n.ec2().createVpc(r -> r.dryRun(true).cidrBlock("10.41.0.0/16")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("DryRunOperation"));
    }

    @Test
    void elbv2_refusedByAnScp_answersAccessDenied403_withNothingCreated() {
        Org o = organization(true);
        o.attach("no-load-balancers", NO_LOAD_BALANCERS, o.member());
        Ec2Client ec2 = UNDERPASS.ec2(o.member());
        String vpc = vpc(ec2);
        String a = subnet(ec2, vpc, "10.40.1.0/24", "us-east-1a");
        String b = subnet(ec2, vpc, "10.40.2.0/24", "us-east-1b");
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(o.member());

        assertThatThrownBy(() -> elb.createLoadBalancer(r -> r.name("blocked").type("network").scheme("internal")
                .subnets(a, b))).isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains(
                            "is not authorized to perform: elasticloadbalancing:CreateLoadBalancer",
                            "with an explicit deny in a service control policy");
                });
        assertThat(elb.describeLoadBalancers(r -> {}).loadBalancers()).isEmpty();
        // Other ELBv2 actions pass.
        assertThat(elb.createTargetGroup(r -> r.name("allowed").protocol("TCP").port(80).vpcId(vpc))
                .targetGroups()).hasSize(1);
    }

    @Test
    void stsDecodeAuthorizationMessage_namesTheBlockingScpAndStatement_forTheRefusedAccountOnly() throws Exception {
        Org o = organization(true);
        String policyId = o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.member());
        Network n = Network.of(o.member());
        String token = token(refused(() -> n.interfaceEndpoint(SQS)));

        JsonNode decoded = JSON.readTree(sts(o.member()).decodeAuthorizationMessage(r -> r.encodedMessage(token))
                .decodedMessage());

        assertThat(decoded.get("allowed").asBoolean()).isFalse();
        assertThat(decoded.get("explicitDeny").asBoolean()).isTrue();
        JsonNode statement = decoded.at("/matchedStatements/items/0");
        assertThat(statement.get("statementId").asText()).isEqualTo("OnlyApprovedEndpointServices");
        assertThat(statement.get("effect").asText()).isEqualTo("DENY");
        assertThat(statement.get("policyId").asText()).isEqualTo(policyId);
        assertThat(statement.get("policyName").asText()).isEqualTo("approved-endpoints");
        assertThat(statement.get("attachedTo").asText()).isEqualTo(o.member());
        assertThat(statement.at("/actions/items/0/value").asText()).isEqualTo("ec2:CreateVpcEndpoint");
        assertThat(statement.at("/conditions/items/0/key").asText()).isEqualTo("ec2:VpceServiceName");
        JsonNode context = decoded.get("context");
        assertThat(context.get("action").asText()).isEqualTo("ec2:CreateVpcEndpoint");
        assertThat(context.get("resource").asText())
                .isEqualTo("arn:aws:ec2:us-east-1:" + o.member() + ":vpc-endpoint/*");
        assertThat(context.at("/principal/arn").asText()).isEqualTo("arn:aws:iam::" + o.member() + ":root");
        assertThat(conditionValue(context, "ec2:VpceServiceName")).isEqualTo(SQS);
        assertThat(conditionValue(context, "ec2:VpceServiceOwner")).isEqualTo("amazon");
        assertThat(conditionValue(context, "ec2:Vpc")).isEqualTo("arn:aws:ec2:us-east-1:" + o.member() + ":vpc/"
                + n.vpc());
        assertThat(conditionValue(context, "aws:PrincipalOrgID")).startsWith("o-");
        assertThat(conditionValue(context, "aws:SourceIp")).isEqualTo("127.0.0.1");
        assertThat(conditionValue(context, "aws:RequestedRegion")).isEqualTo("us-east-1");

        // Another account, even the management account, cannot read it; nor can anyone read a damaged token.
        for (String other : List.of(o.management(), account())) {
            assertThatThrownBy(() -> sts(other).decodeAuthorizationMessage(r -> r.encodedMessage(token)))
                    .isInstanceOfSatisfying(InvalidAuthorizationMessageException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
        }
        String damaged = token.substring(0, token.length() - 6) + "AAAAAA";
        assertThatThrownBy(() -> sts(o.member()).decodeAuthorizationMessage(r -> r.encodedMessage(damaged)))
                .isInstanceOf(InvalidAuthorizationMessageException.class);
    }

    @Test
    void policyDecodeCommand_printsTheSameDecision_offline() throws Exception {
        Org o = organization(true);
        o.attach("approved-endpoints", ONLY_APPROVED_ENDPOINTS, o.member());
        Network n = Network.of(o.member());
        Ec2Exception e = refused(() -> n.interfaceEndpoint(SQS));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PolicyCommand()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        assertThat(cli.execute("decode", token(e))).isZero();
        JsonNode decoded = JSON.readTree(out.toString());
        assertThat(decoded.at("/matchedStatements/items/0/statementId").asText())
                .isEqualTo("OnlyApprovedEndpointServices");
        assertThat(decoded).isEqualTo(JSON.readTree(sts(o.member())
                .decodeAuthorizationMessage(r -> r.encodedMessage(token(e))).decodedMessage()));
        // The whole error message works too; garbage is a usage error (2).
        StringWriter out2 = new StringWriter();
        assertThat(new CommandLine(new PolicyCommand()).setOut(new PrintWriter(out2))
                .execute("decode", e.awsErrorDetails().errorMessage())).isZero();
        assertThat(JSON.readTree(out2.toString())).isEqualTo(decoded);
        StringWriter err3 = new StringWriter();
        assertThat(new CommandLine(new PolicyCommand()).setErr(new PrintWriter(err3)).execute("decode", "not!a!token"))
                .isEqualTo(2);
        assertThat(err3.toString()).contains("underpass policy decode:");
    }

    @Test
    void implicitDeny_whenFullAwsAccessIsReplacedByANarrowAllow_namesTheLevelThatAllowsNothing() throws Exception {
        Org o = organization(true);
        // The OU allows only reads (and decoding, which an SCP can refuse too); the root keeps FullAWSAccess.
        String ou = o.client().createOrganizationalUnit(r -> r.parentId(o.rootId()).name("readers"))
                .organizationalUnit().id();
        o.client().moveAccount(r -> r.accountId(o.member()).sourceParentId(o.rootId()).destinationParentId(ou));
        o.attach("read-only", """
                {"Version":"2012-10-17","Statement":[{"Sid":"Reads","Effect":"Allow",
                "Action":["ec2:Describe*","sts:DecodeAuthorizationMessage"],"Resource":"*"}]}""", ou);
        o.client().detachPolicy(r -> r.policyId("p-FullAWSAccess").targetId(ou));
        Ec2Client ec2 = UNDERPASS.ec2(o.member());

        assertThat(ec2.describeVpcs().vpcs()).isNotNull();
        Ec2Exception e = refused(() -> ec2.createVpc(r -> r.cidrBlock("10.42.0.0/16")));

        JsonNode decoded = JSON.readTree(sts(o.member()).decodeAuthorizationMessage(r -> r.encodedMessage(token(e)))
                .decodedMessage());
        assertThat(decoded.get("explicitDeny").asBoolean()).isFalse();
        assertThat(decoded.at("/matchedStatements/items")).isEmpty();
        assertThat(decoded.at("/failures/items/0/targetId").asText()).isEqualTo(ou);
        assertThat(conditionValue(decoded.get("context"), "aws:PrincipalOrgPaths")).endsWith(ou + "/");
    }

    @Test
    void requestTagsResourceTagsSourceIpAndRegion_areConditionKeys() {
        Org o = organization(true);
        o.attach("guard-rails", """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"TagNewVpcs","Effect":"Deny","Action":"ec2:CreateVpc","Resource":"*",
                  "Condition":{"Null":{"aws:RequestTag/team":"true"}}},
                 {"Sid":"KeepProtectedVpcs","Effect":"Deny","Action":"ec2:DeleteVpc","Resource":"*",
                  "Condition":{"StringEquals":{"ec2:ResourceTag/protected":"yes"}}},
                 {"Sid":"OnlyFromTheOffice","Effect":"Deny","Action":"ec2:CreateSubnet","Resource":"*",
                  "Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
                 {"Sid":"OnlyUsEast1","Effect":"Deny","Action":"ec2:*","Resource":"*",
                  "Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}]}""", o.rootId());
        Ec2Client ec2 = UNDERPASS.ec2(o.member());

        refused(() -> ec2.createVpc(r -> r.cidrBlock("10.43.0.0/16")));
        String tagged = ec2.createVpc(r -> r.cidrBlock("10.43.0.0/16").tagSpecifications(t -> t
                .resourceType("vpc").tags(g -> g.key("team").value("net")))).vpc().vpcId();
        String keep = ec2.createVpc(r -> r.cidrBlock("10.44.0.0/16").tagSpecifications(t -> t
                .resourceType("vpc").tags(g -> g.key("team").value("net"), g -> g.key("protected").value("yes"))))
                .vpc().vpcId();

        refused(() -> ec2.deleteVpc(r -> r.vpcId(keep)));
        // The client is on 127.0.0.1, outside 203.0.113.0/24.
        refused(() -> ec2.createSubnet(r -> r.vpcId(tagged).cidrBlock("10.43.1.0/24")));
        refused(() -> UNDERPASS.ec2(o.member(), "eu-west-1").describeVpcs());
        ec2.deleteVpc(r -> r.vpcId(tagged));
        assertThat(ec2.describeVpcs(r -> r.vpcIds(keep)).vpcs()).hasSize(1);
    }

    @Test
    void scpOnAssumeRole_refusesTheMember_withStsAccessDenied() {
        Org o = organization(true);
        o.attach("no-roles", """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoAssumeRole","Effect":"Deny","Action":"sts:AssumeRole",
                "Resource":"*"}]}""", o.member());
        String role = "arn:aws:iam::" + o.member() + ":role/app";
        assertThatThrownBy(() -> sts(o.member()).assumeRole(r -> r.roleArn(role).roleSessionName("ci-session")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("sts:AssumeRole",
                            "explicit deny in a service control policy");
                });
        // The management account is not restricted.
        assertThat(sts(o.management()).assumeRole(r -> r.roleArn(role).roleSessionName("ci-session")).credentials())
                .isNotNull();
    }

    @Test
    void rcpOnAMembersRoles_refusesAssumeRoleFromOutsideTheOrganization_butNotOnManagementRoles() {
        Org o = organization(false);
        o.client().enablePolicyType(r -> r.rootId(o.rootId()).policyType("RESOURCE_CONTROL_POLICY"));
        String rcp = o.client().createPolicy(r -> r.name("org-only").description("org-only")
                .type("RESOURCE_CONTROL_POLICY").content("""
                        {"Version":"2012-10-17","Statement":[{"Sid":"OrgOnlyRoles","Effect":"Deny","Principal":"*",
                        "Action":"sts:AssumeRole","Resource":"*",
                        "Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"%s"}}}]}""".formatted(o.id())))
                .policy().policySummary().id();
        o.client().attachPolicy(r -> r.policyId(rcp).targetId(o.rootId()));
        String outsider = account();
        String memberRole = "arn:aws:iam::" + o.member() + ":role/app";

        assertThatThrownBy(() -> sts(outsider).assumeRole(r -> r.roleArn(memberRole).roleSessionName("ci-session")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains(
                            "explicit deny in a resource control policy", rcp);
                });
        // Principals of the organization pass; RCPs do not apply to the management account's resources.
        assertThat(
                sts(o.management()).assumeRole(r -> r.roleArn(memberRole).roleSessionName("ci-session")).credentials())
                .isNotNull();
        assertThat(sts(outsider).assumeRole(r -> r.roleArn("arn:aws:iam::" + o.management() + ":role/app")
                .roleSessionName("ci-session")).credentials()).isNotNull();
    }

    @Test
    void refusalNamingAnotherAccountsResource_revealsNothingOfIt() throws Exception {
        Org o = organization(true);
        o.attach("no-subnets", """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoSubnets","Effect":"Deny","Action":"ec2:CreateSubnet",
                "Resource":"*"}]}""", o.member());
        String stranger = account();
        String theirs = UNDERPASS.ec2(stranger).createVpc(r -> r.cidrBlock("10.45.0.0/16").tagSpecifications(t -> t
                .resourceType("vpc").tags(g -> g.key("secret").value("project-x")))).vpc().vpcId();

        Ec2Exception e = refused(() -> UNDERPASS.ec2(o.member()).createSubnet(r -> r.vpcId(theirs)
                .cidrBlock("10.45.1.0/24")));

        String decoded = sts(o.member()).decodeAuthorizationMessage(r -> r.encodedMessage(token(e)))
                .decodedMessage();
        assertThat(decoded).doesNotContain(stranger).doesNotContain("project-x").doesNotContain("secret");
        assertThat(JSON.readTree(decoded).at("/context/resource").asText())
                .isEqualTo("arn:aws:ec2:us-east-1:" + o.member() + ":subnet/*");
    }

    @Test
    void ram_refusedByAnScp_answersAccessDeniedException403_withNothingCreated() {
        Org o = organization(true);
        o.attach("no-external-sharing", """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoExternalSharing","Effect":"Deny",
                "Action":["ram:CreateResourceShare","ram:UpdateResourceShare"],"Resource":"*",
                "Condition":{"StringEquals":{"ram:RequestedAllowsExternalPrincipals":"true"}}}]}""", o.member());
        RamClient ram = RamApiTest.ram(UNDERPASS.endpoint(), o.member());

        assertThatThrownBy(() -> ram.createResourceShare(r -> r.name("open").allowExternalPrincipals(true)))
                .isInstanceOfSatisfying(RamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ram:CreateResourceShare",
                            "explicit deny in a service control policy");
                });
        assertThat(ram.getResourceShares(r -> r.resourceOwner("SELF")).resourceShares()).isEmpty();
        assertThat(ram.createResourceShare(r -> r.name("closed").allowExternalPrincipals(false)).resourceShare()
                .name()).isEqualTo("closed");
    }

    @Test
    void organizations_leaveOrganizationDeniedByAnScp_answersAccessDeniedException_andTheMemberStays() {
        Org o = organization(true);
        o.attach("stay", """
                {"Version":"2012-10-17","Statement":[{"Sid":"StayInTheOrganization","Effect":"Deny",
                "Action":"organizations:LeaveOrganization","Resource":"*"}]}""", o.rootId());

        assertThatThrownBy(() -> org(o.member()).leaveOrganization(r -> {}))
                .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.awsErrorDetails()
                        .errorMessage()).contains("organizations:LeaveOrganization",
                                "explicit deny in a service control policy"));
        assertThat(o.client().listAccounts(r -> {}).accounts()).extracting(a -> a.id()).contains(o.member());
        // Other Organizations calls of the member are unaffected.
        assertThat(org(o.member()).describeOrganization(r -> {}).organization().masterAccountId())
                .isEqualTo(o.management());
    }

    @Test
    void aRefusedFirstRequest_createsNotEvenTheDefaultVpc() {
        Org o = organization(true);
        o.attach("deny-all-ec2", """
                {"Version":"2012-10-17","Statement":[{"Sid":"NoEc2","Effect":"Deny","Action":"ec2:*",
                "Resource":"*"}]}""", o.member());
        refused(() -> UNDERPASS.ec2(o.member()).describeVpcs());

        String policy = o.client().listPoliciesForTarget(r -> r.targetId(o.member())
                .filter("SERVICE_CONTROL_POLICY")).policies().stream().filter(p -> p.name().equals("deny-all-ec2"))
                .findFirst().orElseThrow().id();
        o.client().detachPolicy(r -> r.policyId(policy).targetId(o.member()));
        // The first allowed request sets the default VPC up, as for any new account.
        assertThat(UNDERPASS.ec2(o.member()).describeVpcs().vpcs()).extracting(v -> v.isDefault())
                .containsExactly(true);
    }

    private static String conditionValue(JsonNode context, String key) {
        for (JsonNode item : context.at("/conditions/items")) {
            if (item.get("key").asText().equals(key)) {
                return item.at("/values/items/0/value").asText();
            }
        }
        return null;
    }
}
