package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.server.TestVpcs.Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameOptionsOnLaunch;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameOptionsResponse;

/**
 * Per-instance DNS name options: taken at launch from RunInstances or the subnet's on-launch settings, kept when
 * the subnet's settings change, shown by DescribeInstances, and changed by ModifyPrivateDnsNameOptions (the
 * hostname type only while stopped).
 */
class PrivateDnsNameOptionsApiTest {
    private static final String ACCOUNT = "676767676767";
    private static final String OTHER = "676767676768";
    private static final String AMI = "ami-0123456789abcdef0";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    private String run(String subnetId) {
        return ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnetId)).instances().get(0)
                .instanceId();
    }

    private Instance describe(String id) {
        return ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private PrivateDnsNameOptionsOnLaunch onLaunch(String subnetId) {
        return ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).privateDnsNameOptionsOnLaunch();
    }

    @Test
    void launch_takesTheSubnetsOnLaunchOptions_andKeepsThemWhenTheSubnetChanges() {
        String subnet = TestVpcs.net(ec2, "10.91.0.0/16", "10.91.1.0/24", "us-east-1a").subnet().subnetId();
        assertThat(onLaunch(subnet).hostnameTypeAsString()).isEqualTo("ip-name");
        assertThat(onLaunch(subnet).enableResourceNameDnsAAAARecord()).isFalse();
        String plain = run(subnet);
        Instance before = describe(plain);
        assertThat(before.privateDnsNameOptions()).isEqualTo(PrivateDnsNameOptionsResponse.builder()
                .hostnameType("ip-name").enableResourceNameDnsARecord(false).enableResourceNameDnsAAAARecord(false)
                .build());
        assertThat(before.privateDnsName()).isEqualTo(
                "ip-" + before.privateIpAddress().replace('.', '-') + ".ec2.internal");

        ec2.modifySubnetAttribute(r -> r.subnetId(subnet).privateDnsHostnameTypeOnLaunch("resource-name"));
        ec2.modifySubnetAttribute(r -> r.subnetId(subnet).enableResourceNameDnsARecordOnLaunch(b -> b.value(true)));
        ec2.modifySubnetAttribute(
                r -> r.subnetId(subnet).enableResourceNameDnsAAAARecordOnLaunch(b -> b.value(true)));
        assertThat(onLaunch(subnet)).isEqualTo(PrivateDnsNameOptionsOnLaunch.builder().hostnameType("resource-name")
                .enableResourceNameDnsARecord(true).enableResourceNameDnsAAAARecord(true).build());

        String named = run(subnet);
        Instance launched = describe(named);
        assertThat(launched.privateDnsNameOptions().hostnameTypeAsString()).isEqualTo("resource-name");
        assertThat(launched.privateDnsNameOptions().enableResourceNameDnsARecord()).isTrue();
        assertThat(launched.privateDnsNameOptions().enableResourceNameDnsAAAARecord()).isTrue();
        assertThat(launched.privateDnsName()).isEqualTo(named + ".ec2.internal");
        // The interface keeps its address-based name.
        assertThat(launched.networkInterfaces().get(0).privateDnsName())
                .isEqualTo("ip-" + launched.privateIpAddress().replace('.', '-') + ".ec2.internal");
        // The instance launched before keeps what it had.
        assertThat(describe(plain).privateDnsNameOptions()).isEqualTo(before.privateDnsNameOptions());

        ec2.modifySubnetAttribute(r -> r.subnetId(subnet).enableResourceNameDnsARecordOnLaunch(b -> b.value(false)));
        assertThat(describe(named).privateDnsNameOptions().enableResourceNameDnsARecord()).isTrue();
    }

    @Test
    void launch_withRequestOptions_overridesTheSubnet_partByPart() {
        String subnet = TestVpcs.net(ec2, "10.92.0.0/16", "10.92.1.0/24", "us-east-1a").subnet().subnetId();
        ec2.modifySubnetAttribute(
                r -> r.subnetId(subnet).enableResourceNameDnsAAAARecordOnLaunch(b -> b.value(true)));
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .privateDnsNameOptions(o -> o.hostnameType("resource-name").enableResourceNameDnsARecord(true)))
                .instances().get(0).instanceId();
        assertThat(describe(id).privateDnsNameOptions()).isEqualTo(PrivateDnsNameOptionsResponse.builder()
                .hostnameType("resource-name").enableResourceNameDnsARecord(true)
                .enableResourceNameDnsAAAARecord(true).build());

        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .privateDnsNameOptions(o -> o.hostnameType("host-name"))), "InvalidParameterValue", 400);
        assertError(() -> ec2.modifySubnetAttribute(r -> r.subnetId(subnet).privateDnsHostnameTypeOnLaunch("x")),
                "InvalidParameterValue", 400);
    }

    @Test
    void modify_recordSwitchesAnyTime_hostnameTypeOnlyWhileStopped() {
        String subnet = TestVpcs.net(ec2, "10.93.0.0/16", "10.93.1.0/24", "us-east-1a").subnet().subnetId();
        String id = run(subnet);
        assertThat(ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).enableResourceNameDnsARecord(true))
                .returnValue()).isTrue();
        assertThat(describe(id).privateDnsNameOptions().enableResourceNameDnsARecord()).isTrue();
        assertThat(describe(id).privateDnsNameOptions().hostnameTypeAsString()).isEqualTo("ip-name");

        assertError(() -> ec2.modifyPrivateDnsNameOptions(
                r -> r.instanceId(id).privateDnsHostnameType("resource-name")), "IncorrectInstanceState", 400);
        // Asking for the type it already has is no change.
        assertThat(ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("ip-name"))
                .returnValue()).isTrue();

        ec2.stopInstances(r -> r.instanceIds(id));
        assertThat(ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("resource-name")
                .enableResourceNameDnsAAAARecord(true)).returnValue()).isTrue();
        Instance stopped = describe(id);
        assertThat(stopped.privateDnsNameOptions()).isEqualTo(PrivateDnsNameOptionsResponse.builder()
                .hostnameType("resource-name").enableResourceNameDnsARecord(true)
                .enableResourceNameDnsAAAARecord(true).build());
        assertThat(stopped.privateDnsName()).isEqualTo(id + ".ec2.internal");

        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("ip")),
                "InvalidParameterValue", 400);
        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.enableResourceNameDnsARecord(true)),
                "MissingParameter", 400);
        assertError(() -> ec2.modifyPrivateDnsNameOptions(
                r -> r.instanceId("i-0123456789abcdef0").enableResourceNameDnsARecord(true)),
                "InvalidInstanceID.NotFound", 400);
        assertError(() -> other.modifyPrivateDnsNameOptions(r -> r.instanceId(id).enableResourceNameDnsARecord(false)),
                "InvalidInstanceID.NotFound", 400);
        assertThat(describe(id).privateDnsNameOptions().enableResourceNameDnsARecord()).isTrue();

        ec2.terminateInstances(r -> r.instanceIds(id));
        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).enableResourceNameDnsARecord(false)),
                "IncorrectInstanceState", 400);
    }

    @Test
    void modify_withAnUnknownHostnameType_isInvalidParameterValue_inEveryState_andChangesNothing() {
        String subnet = TestVpcs.net(ec2, "10.94.0.0/16", "10.94.1.0/24", "us-east-1a").subnet().subnetId();
        String id = run(subnet);
        PrivateDnsNameOptionsResponse before = describe(id).privateDnsNameOptions();
        assertThat(describe(id).state().nameAsString()).isEqualTo("running");
        // The value is checked before the state: running is not what is wrong with "bogus".
        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("bogus")
                .enableResourceNameDnsARecord(true)), "InvalidParameterValue", 400);
        assertThat(describe(id).privateDnsNameOptions()).isEqualTo(before);

        ec2.stopInstances(r -> r.instanceIds(id));
        assertThat(describe(id).state().nameAsString()).isEqualTo("stopped");
        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("bogus")
                .enableResourceNameDnsAAAARecord(true)), "InvalidParameterValue", 400);
        assertThat(describe(id).privateDnsNameOptions()).isEqualTo(before);

        ec2.terminateInstances(r -> r.instanceIds(id));
        // A terminated instance shows no options any more; the value is still what is refused.
        assertError(() -> ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(id).privateDnsHostnameType("")),
                "InvalidParameterValue", 400);
    }
}
