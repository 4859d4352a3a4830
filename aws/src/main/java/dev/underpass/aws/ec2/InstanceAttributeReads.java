package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.NetworkInterfaces;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceCreditSpecificationsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceCreditSpecificationsResponse;
import software.amazon.awssdk.services.ec2.model.EnclaveOptions;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.InstanceCreditSpecification;

/**
 * DescribeInstanceAttribute and DescribeInstanceCreditSpecifications, which Terraform's {@code aws_instance} reads on
 * every refresh. Termination and stop protection, the shutdown behavior and the user data are the instance's own
 * ({@link dev.underpass.model.ec2.Instance.Settings}); the type, the root device, the groups and the
 * source/destination check come from the instance and its primary interface; the rest (kernel, RAM disk, product
 * codes, block devices) is what an instance without them shows.
 */
final class InstanceAttributeReads {
    /** The attribute names DescribeInstanceAttribute takes (the model's enum). */
    private static final Set<String> ATTRIBUTES = Set.of("instanceType", "kernel", "ramdisk", "userData",
            "disableApiTermination", "instanceInitiatedShutdownBehavior", "rootDeviceName", "blockDeviceMapping",
            "productCodes", "sourceDestCheck", "groupSet", "ebsOptimized", "sriovNetSupport", "enaSupport",
            "enclaveOptions", "disableApiStop");

    private final Ec2Registry api;

    InstanceAttributeReads(Ec2Registry api) {
        this.api = api;
    }

    private dev.underpass.model.ec2.Instance visible(Ec2Api.ReadContext ctx, String id) {
        return Describe.visible(ctx, dev.underpass.model.ec2.Instance.class, Kind.INSTANCE, List.of(id),
                i -> InstanceStates.listed(i, ctx.now(), api.settings().instanceTransition())).items().get(0);
    }

    DescribeInstanceAttributeResponse describeAttribute(DescribeInstanceAttributeRequest req,
            Ec2Api.ReadContext ctx) {
        String id = Shapes.required(req.instanceId(), "InstanceId");
        String attribute = Shapes.required(req.attributeAsString(), "Attribute");
        if (!ATTRIBUTES.contains(attribute)) {
            throw Ec2Errors.invalidValue(attribute, "attribute", "Unknown attribute.");
        }
        dev.underpass.model.ec2.Instance i = visible(ctx, id);
        World world = ctx.world();
        dev.underpass.model.ec2.Instance.Settings settings = i.settingsOrDefaults();
        var b = DescribeInstanceAttributeResponse.builder().instanceId(i.id());
        switch (attribute) {
            case "instanceType" -> b.instanceType(AttributeValue.builder().value(i.instanceType()).build());
            case "kernel" -> b.kernelId(AttributeValue.builder().build());
            case "ramdisk" -> b.ramdiskId(AttributeValue.builder().build());
            case "userData" -> b.userData(AttributeValue.builder().value(settings.userData()).build());
            case "disableApiTermination" -> b.disableApiTermination(AttributeBooleanValue.builder()
                    .value(settings.disableApiTermination()).build());
            case "disableApiStop" -> b.disableApiStop(AttributeBooleanValue.builder().value(settings.disableApiStop())
                    .build());
            case "instanceInitiatedShutdownBehavior" -> b.instanceInitiatedShutdownBehavior(AttributeValue.builder()
                    .value(settings.shutdownBehavior()).build());
            case "rootDeviceName" -> b.rootDeviceName(AttributeValue.builder().value(
                    dev.underpass.model.ec2.Images.find(i.region(), i.imageId()).map(m -> m.rootDeviceName())
                            .orElse("/dev/xvda"))
                    .build());
            case "blockDeviceMapping" -> b.blockDeviceMappings(List.of());
            case "productCodes" -> b.productCodes(List.of());
            case "sourceDestCheck" -> b.sourceDestCheck(AttributeBooleanValue.builder()
                    .value(InstanceShapes.sourceDestCheck(i, NetworkInterfaces.attachedTo(world, i.instanceId())))
                    .build());
            case "groupSet" -> b.groups(i.groupIds().stream()
                    .map(g -> GroupIdentifier.builder().groupId(SecurityGroupId.text(g))
                            .groupName(world.find(dev.underpass.model.ec2.SecurityGroup.class, g)
                                    .map(dev.underpass.model.ec2.SecurityGroup::groupName).orElse(null))
                            .build())
                    .toList());
            case "ebsOptimized" -> b.ebsOptimized(off());
            case "sriovNetSupport" -> b.sriovNetSupport(AttributeValue.builder().build());
            case "enaSupport" -> b.enaSupport(AttributeBooleanValue.builder().value(true).build());
            case "enclaveOptions" -> b.enclaveOptions(EnclaveOptions.builder().enabled(false).build());
            default -> throw new IllegalStateException(attribute);
        }
        return b.build();
    }

    private static AttributeBooleanValue off() {
        return AttributeBooleanValue.builder().value(false).build();
    }

    /**
     * The CPU credit option of the caller's burstable instances (T2 {@code standard}, later T families
     * {@code unlimited}, AWS's launch defaults); other instance types have none and are left out.
     */
    DescribeInstanceCreditSpecificationsResponse describeCreditSpecifications(
            DescribeInstanceCreditSpecificationsRequest req, Ec2Api.ReadContext ctx) {
        FilterSpec<dev.underpass.model.ec2.Instance> filters = FilterSpec.<dev.underpass.model.ec2.Instance>resources()
                .one("instance-id", dev.underpass.model.ec2.Instance::id).build();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.Instance.class, Kind.INSTANCE, req.instanceIds(),
                i -> InstanceStates.listed(i, ctx.now(), api.settings().instanceTransition()))
                .where(i -> credits(i.instanceType()) != null).filter(filters, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeInstanceCreditSpecificationsResponse.builder().instanceCreditSpecifications(page.map(
                i -> InstanceCreditSpecification.builder().instanceId(i.id()).cpuCredits(credits(i.instanceType()))
                        .build()))
                .nextToken(page.nextToken()).build();
    }

    /** {@code standard} for T2, {@code unlimited} for T3, T3a and T4g; null for a type without CPU credits. */
    static String credits(String instanceType) {
        if (instanceType == null) {
            return null;
        }
        if (instanceType.startsWith("t2.")) {
            return "standard";
        }
        return instanceType.startsWith("t3.") || instanceType.startsWith("t3a.") || instanceType.startsWith("t4g.")
                ? "unlimited" : null;
    }
}
