package dev.underpass.server;

import dev.underpass.model.ec2.VpcId;
import static dev.underpass.server.Ec2Assertions.assertError;
import static dev.underpass.server.TestVpcs.cleanUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.Caller;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.ec2.Subnets;
import dev.underpass.model.ec2.Vpcs;
import dev.underpass.server.TestVpcs.Net;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

class InstanceApiTest {
    private static final String ACCOUNT = "666666666666";
    private static final String OTHER = "666666666667";
    private static final String AMI = "ami-0123456789abcdef0";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    /** No default VPCs and a visible transition delay, to watch pending and stopping settle. */
    @RegisterExtension
    static final UnderpassExtension SLOW = new UnderpassExtension(ServerConfig.forTests().withEc2(
            new Ec2Api.Settings(Duration.ofMillis(700), false, Quotas.defaults())));

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    private static Net net(Ec2Client client, String vpcCidr, String subnetCidr) {
        return TestVpcs.net(client, vpcCidr, subnetCidr, "us-east-1b");
    }

    private static String defaultGroup(UnderpassExtension server, String vpcId) {
        return server.server().store().world().all(dev.underpass.model.ec2.SecurityGroup.class,
                g -> g.vpcId().value().equals(vpcId) && g.isDefault()).get(0).id();
    }

    private Instance describe(Ec2Client client, String id) {
        return client.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private int available(Ec2Client client, String subnetId) {
        return client.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).availableIpAddressCount();
    }

    @Test
    void runInstances_inSubnet_returnsPendingInstanceWithPrimaryInterfaceAndAwsDefaults() {
        Net net = net(ec2, "10.80.0.0/16", "10.80.1.0/24");
        RunInstancesResponse run = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).keyName("k")
                .subnetId(net.subnet().subnetId()));
        assertThat(run.reservationId()).matches("r-[0-9a-f]{17}");
        assertThat(run.ownerId()).isEqualTo(ACCOUNT);
        Instance launched = run.instances().get(0);
        assertThat(launched.instanceId()).matches("i-[0-9a-f]{17}");
        assertThat(launched.state().nameAsString()).isEqualTo("pending");
        assertThat(launched.state().code()).isZero();
        assertThat(launched.stateReason().code()).isEqualTo("pending");

        Instance i = describe(ec2, launched.instanceId());
        assertThat(i.state().nameAsString()).isEqualTo("running");
        assertThat(i.state().code()).isEqualTo(16);
        assertThat(i.imageId()).isEqualTo(AMI);
        assertThat(i.instanceTypeAsString()).isEqualTo("m1.small");
        assertThat(i.keyName()).isEqualTo("k");
        assertThat(i.privateIpAddress()).isEqualTo("10.80.1.4");
        assertThat(i.privateDnsName()).isEqualTo("ip-10-80-1-4.ec2.internal");
        assertThat(i.subnetId()).isEqualTo(net.subnet().subnetId());
        assertThat(i.vpcId()).isEqualTo(net.vpc().vpcId());
        assertThat(i.placement().availabilityZone()).isEqualTo("us-east-1b");
        assertThat(i.placement().tenancyAsString()).isEqualTo("default");
        assertThat(i.architectureAsString()).isEqualTo("x86_64");
        assertThat(i.rootDeviceTypeAsString()).isEqualTo("ebs");
        assertThat(i.rootDeviceName()).isEqualTo("/dev/xvda");
        assertThat(i.hypervisorAsString()).isEqualTo("xen");
        assertThat(i.virtualizationTypeAsString()).isEqualTo("hvm");
        assertThat(i.monitoring().stateAsString()).isEqualTo("disabled");
        assertThat(i.amiLaunchIndex()).isZero();
        assertThat(i.sourceDestCheck()).isTrue();
        assertThat(i.stateTransitionReason()).isEmpty();
        assertThat(i.launchTime()).isNotNull();
        assertThat(i.securityGroups()).singleElement().satisfies(g -> {
            assertThat(g.groupName()).isEqualTo("default");
            assertThat(g.groupId()).isEqualTo(defaultGroup(UNDERPASS, net.vpc().vpcId()));
        });
        InstanceNetworkInterface nic = i.networkInterfaces().get(0);
        assertThat(i.networkInterfaces()).hasSize(1);
        assertThat(nic.networkInterfaceId()).matches("eni-[0-9a-f]{17}");
        assertThat(nic.interfaceType()).isEqualTo("interface");
        assertThat(nic.privateIpAddress()).isEqualTo("10.80.1.4");
        assertThat(nic.statusAsString()).isEqualTo("in-use");
        assertThat(nic.macAddress()).matches("02(:[0-9a-f]{2}){5}");
        assertThat(nic.attachment().deviceIndex()).isZero();
        assertThat(nic.attachment().deleteOnTermination()).isTrue();
        assertThat(nic.attachment().statusAsString()).isEqualTo("attached");
        assertThat(nic.attachment().attachmentId()).matches("eni-attach-[0-9a-f]{17}");

        NetworkInterface eni = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(nic.networkInterfaceId()))
                .networkInterfaces().get(0);
        assertThat(eni.statusAsString()).isEqualTo("in-use");
        assertThat(eni.attachment().instanceId()).isEqualTo(i.instanceId());
        assertThat(available(ec2, net.subnet().subnetId())).isEqualTo(250);
        cleanUp(ec2, net);
    }

    @Test
    void runInstances_badParameters_failWithAwsCodes() {
        Net net = net(ec2, "10.81.0.0/16", "10.81.0.0/24");
        String subnet = net.subnet().subnetId();
        assertError(() -> ec2.runInstances(r -> r.imageId("ami-xyz").minCount(1).maxCount(1).subnetId(subnet)),
                "InvalidAMIID.Malformed");
        assertError(() -> ec2.runInstances(r -> r.imageId("vpc-0123456789abcdef0").minCount(1).maxCount(1)
                .subnetId(subnet)), "InvalidAMIID.Malformed");
        assertError(() -> ec2.runInstances(r -> r.minCount(1).maxCount(1).subnetId(subnet)), "MissingParameter");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(3).maxCount(2).subnetId(subnet)),
                "InvalidParameterValue");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(0).maxCount(2).subnetId(subnet)),
                "InvalidParameterValue");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId("subnet-0123456789abcdef0")), "InvalidSubnetID.NotFound");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .securityGroupIds("sg-0123456789abcdef0")), "InvalidGroup.NotFound");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .privateIpAddress("10.81.0.2")), "InvalidParameterValue");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0).subnetId(subnet)
                        .build())),
                "InvalidParameterCombination");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC)
                        .tags(Tag.builder().key("a").value("b").build()).build())),
                "InvalidParameterValue");
        Net second = net(ec2, "10.82.0.0/16", "10.82.0.0/24");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)
                .securityGroupIds(defaultGroup(UNDERPASS, second.vpc().vpcId()))), "InvalidParameter");
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("subnet-id").values(subnet).build()))
                .reservations()).isEmpty();
        cleanUp(ec2, net);
        cleanUp(ec2, second);
    }

    @Test
    void runInstances_withNetworkInterfaceSpecAndTags_tagsInstanceAndInterface() {
        Net net = net(ec2, "10.83.0.0/16", "10.83.0.0/24");
        Instance i = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).instanceType("t3.micro")
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder().deviceIndex(0)
                        .subnetId(net.subnet().subnetId()).privateIpAddress("10.83.0.77").description("primary")
                        .groups(defaultGroup(UNDERPASS, net.vpc().vpcId())).build())
                .tagSpecifications(
                        TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                                .tags(Tag.builder().key("Name").value("web").build()).build(),
                        TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
                                .tags(Tag.builder().key("role").value("nic").build()).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME)
                                .tags(Tag.builder().key("disk").value("root").build()).build()))
                .instances().get(0);
        assertThat(i.privateIpAddress()).isEqualTo("10.83.0.77");
        assertThat(i.instanceTypeAsString()).isEqualTo("t3.micro");
        assertThat(i.tags()).containsExactly(Tag.builder().key("Name").value("web").build());
        NetworkInterface eni = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(
                i.networkInterfaces().get(0).networkInterfaceId())).networkInterfaces().get(0);
        assertThat(eni.tagSet()).containsExactly(Tag.builder().key("role").value("nic").build());
        assertThat(eni.description()).isEqualTo("primary");
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:Name").values("web").build(),
                Filter.builder().name("vpc-id").values(net.vpc().vpcId()).build())).reservations()).hasSize(1);
        cleanUp(ec2, net);
    }

    @Test
    void runInstances_withoutSubnetOrDefaultVpc_failsWithVpcIdNotSpecified() {
        Ec2Client slow = SLOW.ec2(ACCOUNT);
        assertError(() -> slow.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)), "VPCIdNotSpecified");
    }

    @Test
    void runInstances_withoutSubnet_usesTheDefaultSubnetOfTheDefaultVpc() {
        Caller caller = Caller.of(OTHER, "us-east-2");
        // The default VPC is created directly in the store: CreateDefaultVpc belongs to another handler family.
        String[] ids = SLOW.server().store().writeAndWait(caller, tx -> {
            var vpc = Vpcs.create(tx, Quotas.defaults(), new Vpcs.Create("172.31.0.0/16", null, true, Map.of()));
            var b = Subnets.create(tx, Quotas.defaults(), new Subnets.Create(vpc.vpcId(), "172.31.16.0/20",
                    "us-east-2b", null, true, true, Map.of()));
            var a = Subnets.create(tx, Quotas.defaults(), new Subnets.Create(vpc.vpcId(), "172.31.0.0/20",
                    "us-east-2a", null, true, true, Map.of()));
            return new String[] {vpc.id(), a.id(), b.id()};
        });
        Ec2Client client = SLOW.ec2(OTHER, "us-east-2");
        Instance i = client.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)).instances().get(0);
        assertThat(i.vpcId()).isEqualTo(ids[0]);
        assertThat(i.subnetId()).isEqualTo(ids[1]);
        assertThat(i.privateDnsName()).isEqualTo("ip-172-31-0-4.us-east-2.compute.internal");
        Instance placed = client.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .placement(p -> p.availabilityZone("us-east-2b"))).instances().get(0);
        assertThat(placed.subnetId()).isEqualTo(ids[2]);
        // An empty zone (Terraform's aws_instance sends one) is no zone: the subnet's stands.
        Instance unplaced = client.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(ids[2])
                .placement(p -> p.availabilityZone("").tenancy("default"))).instances().get(0);
        assertThat(unplaced.placement().availabilityZone()).isEqualTo("us-east-2b");

        SLOW.server().store().writeAndWait(caller, tx -> {
            tx.all(dev.underpass.model.ec2.Subnet.class, s -> s.vpcId().value().equals(ids[0])).forEach(tx::remove);
            return null;
        });
        assertError(() -> client.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)), "MissingInput");
    }

    @Test
    void describeInstanceAttribute_answersEachAttribute_andCreditSpecificationsListTheBurstableOnes() {
        Net net = net(ec2, "10.86.0.0/16", "10.86.0.0/24");
        String id = ec2.runInstances(r -> r.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        String big = ec2.runInstances(r -> r.imageId(AMI).instanceType("m5.large").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        java.util.function.Function<String, software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeResponse> attr =
                a -> ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute(a));
        assertThat(attr.apply("instanceType").instanceType().value()).isEqualTo("t3.micro");
        assertThat(attr.apply("instanceInitiatedShutdownBehavior").instanceInitiatedShutdownBehavior().value())
                .isEqualTo("stop");
        assertThat(attr.apply("disableApiTermination").disableApiTermination().value()).isFalse();
        assertThat(attr.apply("disableApiStop").disableApiStop().value()).isFalse();
        assertThat(attr.apply("sourceDestCheck").sourceDestCheck().value()).isTrue();
        assertThat(attr.apply("userData").userData().value()).isNull();
        assertThat(attr.apply("rootDeviceName").rootDeviceName().value()).isEqualTo("/dev/xvda");
        assertThat(attr.apply("groupSet").groups()).extracting(g -> g.groupName()).containsExactly("default");
        assertThat(attr.apply("enaSupport").enaSupport().value()).isTrue();
        assertThat(attr.apply("instanceType").instanceId()).isEqualTo(id);
        ec2.modifyInstanceAttribute(r -> r.instanceId(id).sourceDestCheck(b -> b.value(false)));
        assertThat(attr.apply("sourceDestCheck").sourceDestCheck().value()).isFalse();

        assertError(() -> ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("colour")),
                "InvalidParameterValue");
        assertError(() -> ec2.describeInstanceAttribute(r -> r.instanceId("i-0123456789abcdef0")
                .attribute("instanceType")), "InvalidInstanceID.NotFound");
        assertError(() -> ec2.describeInstanceAttribute(r -> r.instanceId(id)), "MissingParameter");
        assertError(() -> other.describeInstanceAttribute(r -> r.instanceId(id)
                .attribute("instanceType")), "InvalidInstanceID.NotFound");

        assertThat(ec2.describeInstanceCreditSpecifications(r -> r.instanceIds(id, big))
                .instanceCreditSpecifications()).singleElement().satisfies(c -> {
                    assertThat(c.instanceId()).isEqualTo(id);
                    assertThat(c.cpuCredits()).isEqualTo("unlimited");
                });
    }

    @Test
    void protections_refuseTerminateAndStop_untilTurnedOff_andUserDataAndShutdownBehaviorAreKept() {
        Net net = net(ec2, "10.87.0.0/16", "10.87.0.0/24");
        String script = java.util.Base64.getEncoder().encodeToString("#!/bin/sh\necho hi\n".getBytes());
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(net.subnet().subnetId())
                .disableApiTermination(true).disableApiStop(true).instanceInitiatedShutdownBehavior("terminate")
                .userData(script)).instances().get(0).instanceId();
        assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("userData")).userData().value())
                .isEqualTo(script);
        assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("instanceInitiatedShutdownBehavior"))
                .instanceInitiatedShutdownBehavior().value()).isEqualTo("terminate");
        assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("disableApiTermination"))
                .disableApiTermination().value()).isTrue();

        assertError(() -> ec2.terminateInstances(r -> r.instanceIds(id)), "OperationNotPermitted");
        assertError(() -> ec2.stopInstances(r -> r.instanceIds(id)), "OperationNotPermitted");
        assertThat(describe(ec2, id).state().nameAsString()).isEqualTo("running");
        // User data changes only on a stopped instance.
        assertError(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id).userData(b -> b.value(
                software.amazon.awssdk.core.SdkBytes.fromUtf8String("echo bye")))), "IncorrectInstanceState");
        assertError(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id).instanceInitiatedShutdownBehavior(b -> b
                .value("hibernate"))), "InvalidParameterValue");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId()).userData("not base64!")), "InvalidParameterValue");

        ec2.modifyInstanceAttribute(r -> r.instanceId(id).disableApiStop(b -> b.value(false)));
        ec2.stopInstances(r -> r.instanceIds(id));
        ec2.modifyInstanceAttribute(r -> r.instanceId(id).userData(b -> b.value(
                software.amazon.awssdk.core.SdkBytes.fromUtf8String("echo bye"))));
        assertThat(ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("userData")).userData().value())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("echo bye".getBytes()));
        assertError(() -> ec2.terminateInstances(r -> r.instanceIds(id)), "OperationNotPermitted");
        ec2.modifyInstanceAttribute(r -> r.instanceId(id).attribute("disableApiTermination").value("false"));
        assertThat(ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances()).singleElement()
                .satisfies(c -> assertThat(c.currentState().nameAsString()).isEqualTo("shutting-down"));
    }

    @Test
    void metadataOptions_comeFromTheImage_orTheRequest_andModifyInstanceMetadataOptionsChangesThem() {
        Net net = net(ec2, "10.88.0.0/16", "10.88.0.0/24");
        // The documentation placeholder AMI behaves as Amazon Linux 2023, whose images require IMDSv2.
        String byImage = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        var shown = describe(ec2, byImage).metadataOptions();
        assertThat(List.of(shown.stateAsString(), shown.httpTokensAsString(), String.valueOf(
                shown.httpPutResponseHopLimit()), shown.httpEndpointAsString(), shown.httpProtocolIpv6AsString(),
                shown.instanceMetadataTagsAsString()))
                .containsExactly("applied", "required", "2", "enabled", "disabled", "disabled");

        String asked = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId()).metadataOptions(m -> m.httpTokens("optional")
                        .httpPutResponseHopLimit(3).instanceMetadataTags("enabled")))
                .instances().get(0).instanceId();
        var mine = describe(ec2, asked).metadataOptions();
        assertThat(List.of(mine.httpTokensAsString(), String.valueOf(mine.httpPutResponseHopLimit()),
                mine.instanceMetadataTagsAsString())).containsExactly("optional", "3", "enabled");
        assertThat(ec2.describeInstances(r -> r.filters(f -> f.name("metadata-options.http-tokens")
                .values("optional"))).reservations()).flatExtracting(res -> res.instances())
                .extracting(software.amazon.awssdk.services.ec2.model.Instance::instanceId).contains(asked)
                .doesNotContain(byImage);

        var changed = ec2.modifyInstanceMetadataOptions(r -> r.instanceId(asked).httpTokens("required"));
        assertThat(changed.instanceId()).isEqualTo(asked);
        assertThat(changed.instanceMetadataOptions().stateAsString()).isEqualTo("pending");
        assertThat(changed.instanceMetadataOptions().httpTokensAsString()).isEqualTo("required");
        assertThat(describe(ec2, asked).metadataOptions().httpPutResponseHopLimit()).isEqualTo(3); // Kept.
        assertThat(describe(ec2, asked).metadataOptions().httpTokensAsString()).isEqualTo("required");

        assertError(() -> ec2.modifyInstanceMetadataOptions(r -> r.instanceId(asked).httpPutResponseHopLimit(65)),
                "InvalidParameterValue");
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId()).metadataOptions(m -> m.httpTokens("sometimes"))),
                "InvalidParameterValue");
        assertError(() -> other.modifyInstanceMetadataOptions(r -> r.instanceId(asked).httpTokens("optional")),
                "InvalidInstanceID.NotFound");
        assertThat(describe(ec2, asked).metadataOptions().httpTokensAsString()).isEqualTo("required");
    }

    @Test
    void runInstances_clientToken_isIdempotent_andRefusesDifferentParameters() {
        Net net = net(ec2, "10.84.0.0/16", "10.84.0.0/24");
        RunInstancesRequest request = RunInstancesRequest.builder().imageId(AMI).minCount(2).maxCount(2)
                .subnetId(net.subnet().subnetId()).clientToken("token-1").build();
        RunInstancesResponse first = ec2.runInstances(request);
        RunInstancesResponse again = ec2.runInstances(request);
        assertThat(again.reservationId()).isEqualTo(first.reservationId());
        assertThat(again.instances()).extracting(Instance::instanceId)
                .containsExactlyElementsOf(first.instances().stream().map(Instance::instanceId).toList());
        assertThat(first.instances()).extracting(Instance::amiLaunchIndex).containsExactly(0, 1);
        assertThat(first.instances().get(0).clientToken()).isEqualTo("token-1");
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("client-token").values("token-1")
                .build())).reservations().get(0).instances()).hasSize(2);
        assertError(() -> ec2.runInstances(request.toBuilder().maxCount(3).build()), "IdempotentParameterMismatch");
        cleanUp(ec2, net);
    }

    @Test
    void runInstances_notEnoughAddresses_failsAndCreatesNothing_orLaunchesUpToMaxCount() {
        Net net = net(ec2, "10.85.0.0/16", "10.85.0.0/28");
        String subnet = net.subnet().subnetId();
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(12).maxCount(12).subnetId(subnet)),
                "InsufficientFreeAddressesInSubnet");
        assertThat(available(ec2, subnet)).isEqualTo(11);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("subnet-id").values(subnet)
                .build())).networkInterfaces()).isEmpty();
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("subnet-id").values(subnet).build()))
                .reservations()).isEmpty();

        RunInstancesResponse run = ec2.runInstances(r -> r.imageId(AMI).minCount(2).maxCount(20).subnetId(subnet));
        assertThat(run.instances()).hasSize(11);
        assertThat(run.instances()).extracting(Instance::privateIpAddress).doesNotHaveDuplicates();
        assertThat(available(ec2, subnet)).isZero();
        assertError(() -> ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnet)),
                "InsufficientFreeAddressesInSubnet");
        cleanUp(ec2, net);
    }

    @Test
    void stopStartTerminate_followAwsLifecycle_andTerminationFreesTheAddress() {
        Net net = net(ec2, "10.86.0.0/16", "10.86.0.0/24");
        Instance i = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0);
        String id = i.instanceId();
        String eni = i.networkInterfaces().get(0).networkInterfaceId();

        InstanceStateChange stop = ec2.stopInstances(r -> r.instanceIds(id)).stoppingInstances().get(0);
        assertThat(stop.previousState().nameAsString()).isEqualTo("running");
        assertThat(stop.currentState().nameAsString()).isEqualTo("stopping");
        assertThat(stop.currentState().code()).isEqualTo(64);
        Instance stopped = describe(ec2, id);
        assertThat(stopped.state().nameAsString()).isEqualTo("stopped");
        assertThat(stopped.state().code()).isEqualTo(80);
        assertThat(stopped.stateReason().code()).isEqualTo("Client.UserInitiatedShutdown");
        assertThat(stopped.stateTransitionReason()).startsWith("User initiated (");
        assertThat(stopped.privateIpAddress()).isEqualTo(i.privateIpAddress());
        assertThat(ec2.stopInstances(r -> r.instanceIds(id)).stoppingInstances().get(0).currentState()
                .nameAsString()).isEqualTo("stopped");

        InstanceStateChange start = ec2.startInstances(r -> r.instanceIds(id)).startingInstances().get(0);
        assertThat(start.previousState().nameAsString()).isEqualTo("stopped");
        assertThat(start.currentState().nameAsString()).isEqualTo("pending");
        assertThat(describe(ec2, id).state().nameAsString()).isEqualTo("running");

        InstanceStateChange term = ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().get(0);
        assertThat(term.previousState().nameAsString()).isEqualTo("running");
        assertThat(term.currentState().nameAsString()).isEqualTo("shutting-down");
        Instance terminated = describe(ec2, id);
        assertThat(terminated.state().nameAsString()).isEqualTo("terminated");
        assertThat(terminated.state().code()).isEqualTo(48);
        assertThat(terminated.privateIpAddress()).isNull();
        assertThat(terminated.networkInterfaces()).isEmpty();
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)),
                "InvalidNetworkInterfaceID.NotFound");
        assertThat(available(ec2, net.subnet().subnetId())).isEqualTo(251);

        assertError(() -> ec2.startInstances(r -> r.instanceIds(id)), "IncorrectInstanceState",
                "The instance '" + id + "' is not in a state from which it can be started.");
        assertError(() -> ec2.stopInstances(r -> r.instanceIds(id)), "IncorrectInstanceState",
                "This instance '" + id + "' is not in a state from which it can be stopped.");
        InstanceStateChange again = ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances().get(0);
        assertThat(again.previousState().nameAsString()).isEqualTo("terminated");
        assertThat(again.currentState().nameAsString()).isEqualTo("terminated");
        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name")
                .values("terminated").build(), Filter.builder().name("instance-id").values(id).build()))
                .reservations()).hasSize(1);
        cleanUp(ec2, net);
    }

    @Test
    void stateChanges_withTransitionDelay_showIntermediateStatesUntilTheySettle() throws Exception {
        Ec2Client slow = SLOW.ec2(ACCOUNT);
        Net net = net(slow, "10.87.0.0/16", "10.87.0.0/24");
        String id = slow.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("pending");
        assertError(() -> slow.stopInstances(r -> r.instanceIds(id)), "IncorrectInstanceState");
        Thread.sleep(900);
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("running");
        slow.stopInstances(r -> r.instanceIds(id));
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("stopping");
        assertError(() -> slow.startInstances(r -> r.instanceIds(id)), "IncorrectInstanceState");
        Thread.sleep(900);
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("stopped");
        slow.terminateInstances(r -> r.instanceIds(id));
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("shutting-down");
        Thread.sleep(900);
        assertThat(describe(slow, id).state().nameAsString()).isEqualTo("terminated");
        cleanUp(slow, net);
    }

    @Test
    void terminatedInstance_disappearsFromDescribeAfterAnHour() {
        Net net = net(ec2, "10.88.0.0/16", "10.88.0.0/24");
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        ec2.terminateInstances(r -> r.instanceIds(id));
        assertThat(describe(ec2, id).state().nameAsString()).isEqualTo("terminated");
        // Move the termination back in time: the store's clock is the wall clock.
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> {
            var stored = tx.find(dev.underpass.model.ec2.Instance.class, id).orElseThrow();
            return tx.put(stored.withState(dev.underpass.model.ec2.InstanceState.TERMINATED,
                    Instant.now().minus(Duration.ofMinutes(61))));
        });
        assertError(() -> ec2.describeInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
        assertThat(ec2.describeInstances().reservations()).flatExtracting(Reservation::instances)
                .extracting(Instance::instanceId).doesNotContain(id);
        cleanUp(ec2, net);
    }

    @Test
    void describeInstances_filtersIdsPaginationAndReservations() {
        Net net = net(ec2, "10.89.0.0/16", "10.89.0.0/24");
        RunInstancesResponse three = ec2.runInstances(r -> r.imageId(AMI).minCount(3).maxCount(3).keyName("kp")
                .subnetId(net.subnet().subnetId()));
        RunInstancesResponse four = ec2.runInstances(r -> r.imageId("ami-00000000").instanceType("t3.nano")
                .minCount(4).maxCount(4).subnetId(net.subnet().subnetId()));
        Filter inVpc = Filter.builder().name("vpc-id").values(net.vpc().vpcId()).build();
        List<Reservation> all = ec2.describeInstances(r -> r.filters(inVpc)).reservations();
        assertThat(all).extracting(Reservation::reservationId)
                .containsExactlyInAnyOrder(three.reservationId(), four.reservationId());
        assertThat(all).allSatisfy(res -> assertThat(res.ownerId()).isEqualTo(ACCOUNT));
        String firstId = three.instances().get(0).instanceId();
        String firstIp = three.instances().get(0).privateIpAddress();
        String firstEni = three.instances().get(0).networkInterfaces().get(0).networkInterfaceId();
        Object[][] cases = {
            {"instance-id", firstId, 1}, {"instance-type", "t3.nano", 4}, {"instance-type", "m1.small", 3},
            {"image-id", "ami-00000000", 4}, {"subnet-id", net.subnet().subnetId(), 7},
            {"private-ip-address", firstIp, 1}, {"network-interface.network-interface-id", firstEni, 1},
            {"availability-zone", "us-east-1b", 7}, {"key-name", "kp", 3}, {"owner-id", ACCOUNT, 7},
            {"reservation-id", four.reservationId(), 4}, {"instance-state-name", "running", 7},
            {"instance-state-code", "16", 7}, {"instance.group-id", defaultGroup(UNDERPASS, net.vpc().vpcId()), 7},
            {"instance-type", "t3.*", 4}, {"instance.group-name", "default", 7}, {"source-dest-check", "true", 7},
            {"network-interface.status", "in-use", 7}, {"network-interface.attachment.device-index", "0", 7},
        };
        for (Object[] c : cases) {
            long n = ec2.describeInstances(r -> r.filters(inVpc, Filter.builder().name((String) c[0])
                    .values((String) c[1]).build())).reservations().stream().mapToLong(res -> res.instances().size())
                    .sum();
            assertThat(n).as("%s=%s", c[0], c[1]).isEqualTo(((Integer) c[2]).longValue());
        }
        assertError(() -> ec2.describeInstances(r -> r.filters(Filter.builder().name("flavour").values("x")
                .build())), "InvalidParameterValue");
        assertError(() -> ec2.describeInstances(r -> r.instanceIds(firstId).maxResults(5)),
                "InvalidParameterCombination");
        assertError(() -> ec2.describeInstances(r -> r.maxResults(4)), "InvalidParameterValue");
        assertError(() -> ec2.describeInstances(r -> r.instanceIds("i-0123456789abcdef0")),
                "InvalidInstanceID.NotFound");
        assertError(() -> ec2.describeInstances(r -> r.instanceIds("i-xyz")), "InvalidInstanceID.Malformed");
        var page = ec2.describeInstances(r -> r.filters(inVpc).maxResults(5));
        assertThat(page.reservations().stream().mapToInt(res -> res.instances().size()).sum()).isEqualTo(5);
        assertThat(page.nextToken()).isNotNull();
        assertThat(ec2.describeInstancesPaginator(r -> r.filters(inVpc).maxResults(5)).reservations().stream()
                .mapToInt(res -> res.instances().size()).sum()).isEqualTo(7);
        cleanUp(ec2, net);
    }

    @Test
    void describeInstanceStatus_showsRunningOnlyUnlessAllAreAsked() {
        Net net = net(ec2, "10.90.0.0/16", "10.90.0.0/24");
        List<String> ids = ec2.runInstances(r -> r.imageId(AMI).minCount(2).maxCount(2)
                .subnetId(net.subnet().subnetId())).instances().stream().map(Instance::instanceId).toList();
        ec2.stopInstances(r -> r.instanceIds(ids.get(1)));
        var running = ec2.describeInstanceStatus(r -> r.instanceIds(ids)).instanceStatuses();
        assertThat(running).singleElement().satisfies(s -> {
            assertThat(s.instanceId()).isEqualTo(ids.get(0));
            assertThat(s.instanceState().nameAsString()).isEqualTo("running");
            assertThat(s.availabilityZone()).isEqualTo("us-east-1b");
            assertThat(s.instanceStatus().statusAsString()).isEqualTo("ok");
            assertThat(s.systemStatus().statusAsString()).isEqualTo("ok");
        });
        var all = ec2.describeInstanceStatus(r -> r.instanceIds(ids).includeAllInstances(true)).instanceStatuses();
        assertThat(all).hasSize(2);
        assertThat(all).filteredOn(s -> s.instanceId().equals(ids.get(1))).singleElement()
                .satisfies(s -> {
                    assertThat(s.instanceState().nameAsString()).isEqualTo("stopped");
                    assertThat(s.instanceStatus().statusAsString()).isEqualTo("not-applicable");
                });
        assertError(() -> ec2.describeInstanceStatus(r -> r.instanceIds(ids).maxResults(5)),
                "InvalidParameterCombination");
        cleanUp(ec2, net);
    }

    @Test
    void modifyInstanceAttribute_groupsSourceDestCheckAndType() {
        Net net = net(ec2, "10.91.0.0/16", "10.91.0.0/24");
        Net second = net(ec2, "10.92.0.0/16", "10.92.0.0/24");
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        assertError(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id)
                .groups(defaultGroup(UNDERPASS, second.vpc().vpcId()))), "InvalidParameter");
        assertError(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id).groups("sg-0123456789abcdef0")),
                "InvalidGroup.NotFound");
        ec2.modifyInstanceAttribute(r -> r.instanceId(id).groups(defaultGroup(UNDERPASS, net.vpc().vpcId())));
        assertThat(describe(ec2, id).securityGroups()).extracting(g -> g.groupName()).containsExactly("default");

        ec2.modifyInstanceAttribute(r -> r.instanceId(id).sourceDestCheck(b -> b.value(false)));
        Instance changed = describe(ec2, id);
        assertThat(changed.sourceDestCheck()).isFalse();
        assertThat(changed.networkInterfaces().get(0).sourceDestCheck()).isFalse();

        assertError(() -> ec2.modifyInstanceAttribute(r -> r.instanceId(id).instanceType(v -> v.value("t3.large"))),
                "IncorrectInstanceState");
        ec2.stopInstances(r -> r.instanceIds(id));
        ec2.modifyInstanceAttribute(r -> r.instanceId(id).instanceType(v -> v.value("t3.large")));
        assertThat(describe(ec2, id).instanceTypeAsString()).isEqualTo("t3.large");
        assertError(() -> other.modifyInstanceAttribute(r -> r.instanceId(id).sourceDestCheck(b -> b.value(true))),
                "InvalidInstanceID.NotFound");
        cleanUp(ec2, net);
        cleanUp(ec2, second);
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheInstance() {
        Net net = net(ec2, "10.93.0.0/16", "10.93.0.0/24");
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        assertError(() -> other.describeInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
        assertThat(other.describeInstances().reservations()).flatExtracting(Reservation::instances)
                .extracting(Instance::instanceId).doesNotContain(id);
        assertError(() -> other.stopInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
        assertError(() -> other.terminateInstances(r -> r.instanceIds(id)), "InvalidInstanceID.NotFound");
        assertError(() -> other.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())), "InvalidSubnetID.NotFound");
        assertThat(describe(ec2, id).state().nameAsString()).isEqualTo("running");
        cleanUp(ec2, net);
    }

    @Test
    void instancesAndInterfaces_surviveARestart(@TempDir Path dir) {
        String token = "restart-token";
        record Made(String id, String eni, RunInstancesRequest request) {}
        TestStore.acrossARestart(dir, ACCOUNT, client -> {
            Vpc vpc = client.createVpc(r -> r.cidrBlock("10.95.0.0/16")).vpc();
            Subnet subnet = client.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.95.0.0/24")).subnet();
            RunInstancesRequest request = RunInstancesRequest.builder().imageId(AMI).minCount(1).maxCount(1)
                    .subnetId(subnet.subnetId()).clientToken(token).build();
            Instance i = client.runInstances(request).instances().get(0);
            String id = i.instanceId();
            client.createTags(r -> r.resources(id).tags(Tag.builder().key("k").value("v").build()));
            client.stopInstances(r -> r.instanceIds(id));
            return new Made(id, i.networkInterfaces().get(0).networkInterfaceId(), request);
        }, (client, made) -> {
            Instance i = describe(client, made.id());
            assertThat(i.state().nameAsString()).isEqualTo("stopped");
            assertThat(i.tags()).containsExactly(Tag.builder().key("k").value("v").build());
            assertThat(i.networkInterfaces()).extracting(InstanceNetworkInterface::networkInterfaceId)
                    .containsExactly(made.eni());
            assertThat(client.runInstances(made.request()).instances().get(0).instanceId()).isEqualTo(made.id());
            assertError(() -> client.runInstances(made.request().toBuilder().keyName("different").build()),
                    "IdempotentParameterMismatch");
        });
    }

    @Test
    void subnetAndVpc_withALiveInstance_cannotBeDeleted_untilItIsTerminated() {
        Net net = net(ec2, "10.94.0.0/16", "10.94.0.0/24");
        String id = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
        assertError(() -> ec2.deleteSubnet(r -> r.subnetId(net.subnet().subnetId())), "DependencyViolation");
        assertError(() -> ec2.deleteVpc(r -> r.vpcId(net.vpc().vpcId())), "DependencyViolation");
        ec2.terminateInstances(r -> r.instanceIds(id));
        ec2.deleteSubnet(r -> r.subnetId(net.subnet().subnetId()));
        ec2.deleteVpc(r -> r.vpcId(net.vpc().vpcId()));
    }
}
