package dev.underpass.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.TargetType;
import dev.underpass.model.ec2.ConnectionNotification;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.net.IpFamily;
import dev.underpass.model.elb.TargetHealths;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS's names, spelled from the constants: every enum answers the names the API documents, and finds them back. */
class AwsNamedTest {
    private static List<String> names(AwsNamed[] values) {
        return Arrays.stream(values).map(AwsNamed::wire).toList();
    }

    @Test
    void eachEnumSpellsAwsNames() {
        assertThat(names(VpcEndpoint.Type.values())).containsExactly("Gateway", "Interface");
        assertThat(names(VpcEndpoint.State.values())).containsExactly("pendingAcceptance", "pending", "available",
                "deleting", "deleted", "rejected");
        assertThat(names(InstanceState.values())).containsExactly("pending", "running", "shutting-down",
                "terminated", "stopping", "stopped");
        assertThat(names(NatGateway.ConnectivityType.values())).containsExactly("private", "public");
        assertThat(names(FlowLog.TrafficType.values())).containsExactly("ACCEPT", "REJECT", "ALL");
        assertThat(names(NatGateway.State.values())).containsExactly("pending", "failed", "available", "deleting",
                "deleted");
        assertThat(names(PeeringConnection.Status.values())).containsExactly("initiating-request",
                "pending-acceptance", "provisioning", "active", "rejected", "failed", "expired", "deleted");
        assertThat(names(EndpointService.State.values())).containsExactly("Pending", "Available", "Deleting",
                "Deleted", "Failed");
        assertThat(names(RouteTable.Route.Origin.values())).containsExactly("CreateRouteTable", "CreateRoute",
                "EnableVgwRoutePropagation");
        assertThat(names(RouteTable.Route.State.values())).containsExactly("active", "blackhole");
        assertThat(names(LoadBalancer.State.values())).containsExactly("provisioning", "active",
                "active_impaired", "failed");
        assertThat(names(EndpointService.PrivateDns.State.values())).containsExactly("pendingVerification",
                "verified", "failed");
        assertThat(names(ConnectionNotification.State.values())).containsExactly("Enabled", "Disabled");
        assertThat(names(CidrAssociationState.values())).containsExactly("associating", "associated",
                "disassociating", "disassociated", "failing", "failed");
        assertThat(names(ManagedPrefixList.State.values())).containsExactly("create-in-progress", "create-complete",
                "create-failed", "modify-in-progress", "modify-complete", "modify-failed", "restore-in-progress",
                "restore-complete", "restore-failed", "delete-in-progress", "delete-complete", "delete-failed");
        assertThat(names(Protocol.values())).containsExactly("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE",
                "QUIC", "TCP_QUIC");
        assertThat(names(LoadBalancer.Type.values())).containsExactly("application", "network", "gateway");
        assertThat(names(LoadBalancer.Scheme.values())).containsExactly("internet-facing", "internal");
        assertThat(LoadBalancer.Type.NETWORK.arnPrefix()).isEqualTo("net");
        assertThat(names(LoadBalancer.IpAddressType.values())).containsExactly("ipv4", "dualstack",
                "dualstack-without-public-ipv4");
        assertThat(names(VpcEndpoint.IpAddressType.values())).containsExactly("ipv4", "dualstack", "ipv6");
        assertThat(names(VpcEndpoint.DnsRecordIpType.values())).containsExactly("ipv4", "dualstack", "ipv6",
                "service-defined");
        assertThat(names(IpFamily.values())).containsExactly("ipv4", "ipv6");
        assertThat(names(TargetType.values())).containsExactly("instance", "ip", "lambda", "alb");
        assertThat(names(TargetHealths.State.values())).containsExactly("initial", "healthy", "unhealthy",
                "unhealthy.draining", "unused", "draining", "unavailable");
        assertThat(names(TargetHealths.Reason.values())).containsExactly("Elb.RegistrationInProgress",
                "Elb.InitialHealthChecking", "Target.ResponseCodeMismatch", "Target.Timeout",
                "Target.FailedHealthChecks", "Target.NotRegistered", "Target.NotInUse",
                "Target.DeregistrationInProgress", "Target.InvalidState", "Target.IpUnusable",
                "Target.HealthCheckDisabled", "Elb.InternalError");
    }

    @Test
    void aFlowLogRecordsTheFlowsOfItsTrafficType() {
        assertThat(FlowLog.TrafficType.ALL.records(FlowLog.TrafficType.REJECT)).isTrue();
        assertThat(FlowLog.TrafficType.ACCEPT.records(FlowLog.TrafficType.ACCEPT)).isTrue();
        assertThat(FlowLog.TrafficType.ACCEPT.records(FlowLog.TrafficType.REJECT)).isFalse();
        assertThat(FlowLog.TrafficType.REJECT.records(FlowLog.TrafficType.ACCEPT)).isFalse();
    }

    @Test
    void toStringIsTheName_andFindReadsItBack() {
        assertThat(InstanceState.SHUTTING_DOWN).hasToString("shutting-down");
        assertThat(InstanceState.SHUTTING_DOWN.code()).isEqualTo(32);
        assertThat("is " + VpcEndpoint.State.PENDING_ACCEPTANCE).isEqualTo("is pendingAcceptance");
        for (TargetHealths.State s : TargetHealths.State.values()) {
            assertThat(AwsNamed.find(TargetHealths.State.values(), s.wire())).isSameAs(s);
        }
        assertThat(AwsNamed.find(VpcEndpoint.State.values(), "PENDING_ACCEPTANCE")).isNull();
        assertThat(VpcEndpoint.Type.fromWire("GatewayLoadBalancer")).isNull();
    }
}
