package dev.underpass.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.underpass.model.ec2.ConnectionEvent;
import dev.underpass.model.ec2.ConnectionNotification;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.VerifiedDomain;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.sts.IssuedCredential;
import dev.underpass.model.ec2.VpcEndpoint;
import java.util.Map;

/**
 * Every stored AWS resource. Records only; each lives in one (account, region) and carries its tags. The store
 * persists them as JSON named by {@code @kind}, so a kind's name is part of the on-disk format: never rename one.
 * (The set is closed by the list below rather than by {@code sealed}: records live in other packages and the
 * project is not modularised.)
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Vpc.class, name = "vpc"),
    @JsonSubTypes.Type(value = Subnet.class, name = "subnet"),
    @JsonSubTypes.Type(value = RouteTable.class, name = "route-table"),
    @JsonSubTypes.Type(value = SecurityGroup.class, name = "security-group"),
    @JsonSubTypes.Type(value = NetworkAcl.class, name = "network-acl"),
    @JsonSubTypes.Type(value = NetworkInterface.class, name = "network-interface"),
    @JsonSubTypes.Type(value = Instance.class, name = "instance"),
    @JsonSubTypes.Type(value = InternetGateway.class, name = "internet-gateway"),
    @JsonSubTypes.Type(value = NatGateway.class, name = "natgateway"),
    @JsonSubTypes.Type(value = AccountRegion.class, name = "account-region"),
    @JsonSubTypes.Type(value = LoadBalancer.class, name = "load-balancer"),
    @JsonSubTypes.Type(value = TargetGroup.class, name = "target-group"),
    @JsonSubTypes.Type(value = Listener.class, name = "listener"),
    @JsonSubTypes.Type(value = VpcEndpoint.class, name = "vpc-endpoint"),
    @JsonSubTypes.Type(value = ManagedPrefixList.class, name = "prefix-list"),
    @JsonSubTypes.Type(value = EndpointService.class, name = "vpc-endpoint-service"),
    @JsonSubTypes.Type(value = ConnectionNotification.class, name = "vpc-endpoint-connection-notification"),
    @JsonSubTypes.Type(value = ConnectionEvent.class, name = "vpc-endpoint-connection-event"),
    @JsonSubTypes.Type(value = VerifiedDomain.class, name = "verified-domain"),
    @JsonSubTypes.Type(value = IssuedCredential.class, name = "sts-credential"),
    @JsonSubTypes.Type(value = PeeringConnection.class, name = "vpc-peering-connection"),
    @JsonSubTypes.Type(value = FlowLog.class, name = "flow-log"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.Organization.class, name = "organization"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.OrganizationalUnit.class, name = "organizational-unit"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.MemberAccount.class, name = "organization-account"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.ControlPolicy.class, name = "organization-policy"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.PolicyAttachment.class,
            name = "organization-policy-attachment"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.Handshake.class, name = "organization-handshake"),
    @JsonSubTypes.Type(value = dev.underpass.model.org.CreateAccountStatus.class,
            name = "organization-create-account-status"),
})
public interface Resource {

    String id();

    String ownerId();

    String region();

    /** Tags in insertion order. */
    Map<String, String> tags();

    Resource withTags(Map<String, String> tags);

    /** AWS's resource-type name as DescribeTags reports it ({@code vpc}, {@code subnet}, ...). */
    String resourceType();
}
