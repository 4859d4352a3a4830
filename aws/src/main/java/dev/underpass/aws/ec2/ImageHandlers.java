package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ImageId;
import dev.underpass.aws.wire.XmlEncoder;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.ec2.Images;
import dev.underpass.model.ec2.InstanceTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.EbsInfo;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.MemoryInfo;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInfo;
import software.amazon.awssdk.services.ec2.model.PlacementGroupInfo;
import software.amazon.awssdk.services.ec2.model.ProcessorInfo;
import software.amazon.awssdk.services.ec2.model.VCpuInfo;

/**
 * DescribeImages over the built-in public catalogue ({@link Images}) and DescribeInstanceTypes over
 * {@link InstanceTypes}. Both are reads of fixed data: nothing here touches the store.
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html">DescribeImages</a>
 * ({@code Owners} takes {@code self}, {@code amazon}, {@code aws-marketplace}, {@code aws-backup-vault} or account
 * ids; {@code ExecutableUsers} {@code all}, {@code self} or account ids; {@code MaxResults} 1–1000 and not with
 * {@code ImageIds}) and <a
 * href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypes.html">DescribeInstanceTypes</a>
 * ({@code MaxResults} 5–100, pages of 100 when not given, unknown names answered {@code InvalidInstanceType}).
 */
final class ImageHandlers {
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final List<String> OWNER_ALIASES = List.of("amazon", "aws-marketplace", "aws-backup-vault");

    private static final Map<String, Function<Images.Image, Collection<String>>> IMAGE_FILTERS = imageFilters();
    private static final Map<String, Function<InstanceTypes.InstanceType, Collection<String>>> TYPE_FILTERS =
            typeFilters();

    void register(Ec2Registry api) {
        api.read("DescribeImages", DescribeImagesRequest::builder, this::describeImages);
        api.read("DescribeInstanceTypes", DescribeInstanceTypesRequest::builder, this::describeInstanceTypes);
    }

    private DescribeImagesResponse describeImages(DescribeImagesRequest req, Ec2Api.ReadContext ctx) {
        String region = ctx.caller().region();
        if (req.maxResults() != null && req.hasImageIds() && !req.imageIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameter imageIdsSet cannot be used with the parameter maxResults");
        }
        List<String> missing = new ArrayList<>();
        for (String id : req.imageIds()) {
            Ids.require("ami", id, ErrorCode.INVALID_AMI_ID_MALFORMED);
            if (Images.find(region, ImageId.of(id)).isEmpty()) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw Images.notFound(missing);
        }
        Predicate<Images.Image> owners = owners(req.owners(), ctx.caller().accountId());
        Predicate<Images.Image> users = executableUsers(req.executableUsers());
        Predicate<Images.Image> filters = compile(req.filters(), IMAGE_FILTERS);
        Pages.Page<Images.Image> page = Describe.of(Images.catalogue(region), Images.Image::id)
                .where(i -> req.imageIds().isEmpty() || req.imageIds().contains(i.id()))
                .where(owners).where(users).where(filters)
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 1000));
        return DescribeImagesResponse.builder().images(page.map(ImageHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    /** {@code Owners}: aliases match the image's alias, {@code self} and account ids its owner. */
    private static Predicate<Images.Image> owners(List<String> owners, String caller) {
        if (owners.isEmpty()) {
            return i -> true;
        }
        for (String o : owners) {
            if (!o.equals("self") && !OWNER_ALIASES.contains(o) && !ACCOUNT.matcher(o).matches()) {
                throw ErrorCode.INVALID_USER_ID_MALFORMED.format("Invalid user id: \"%s\"", o);
            }
        }
        return i -> owners.contains(i.ownerId()) || i.ownerAlias() != null && owners.contains(i.ownerAlias())
                || owners.contains("self") && i.ownerId().equals(caller);
    }

    /**
     * {@code ExecutableUsers}: {@code all} is every public image; {@code self} and account ids are images shared
     * with them explicitly, which the public catalogue has none of.
     */
    private static Predicate<Images.Image> executableUsers(List<String> users) {
        if (users.isEmpty()) {
            return i -> true;
        }
        for (String u : users) {
            if (!u.equals("all") && !u.equals("self") && !ACCOUNT.matcher(u).matches()) {
                throw ErrorCode.INVALID_USER_ID_MALFORMED.format("Invalid user id: \"%s\"", u);
            }
        }
        return i -> users.contains("all") && i.isPublic();
    }

    private static Image shape(Images.Image i) {
        EbsBlockDevice.Builder ebs = EbsBlockDevice.builder().deleteOnTermination(true).snapshotId(i.snapshotId())
                .volumeSize(i.volumeSize()).volumeType(i.volumeType()).encrypted(false);
        if (i.volumeType().equals("gp3")) {
            ebs.iops(3000).throughput(125);
        }
        Image.Builder b = Image.builder().imageId(i.id()).imageLocation(i.imageLocation()).state(i.state())
                .ownerId(i.ownerId()).creationDate(XmlEncoder.time(i.creationDate()))
                .publicLaunchPermissions(i.isPublic()).architecture(i.architecture()).imageType("machine")
                .platform(i.platform()).platformDetails(i.platformDetails()).usageOperation(i.usageOperation())
                .enaSupport(true).hypervisor("xen").imageOwnerAlias(i.ownerAlias()).name(i.name())
                .description(i.description()).rootDeviceName(i.rootDeviceName()).rootDeviceType("ebs")
                .sriovNetSupport("simple").virtualizationType("hvm").productCodes(List.of())
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(i.rootDeviceName()).ebs(ebs.build())
                        .build())
                .bootMode(i.bootMode()).imdsSupport(i.imdsSupport());
        return b.build();
    }

    private static Map<String, Function<Images.Image, Collection<String>>> imageFilters() {
        Map<String, Function<Images.Image, Collection<String>>> f = new LinkedHashMap<>();
        f.put("architecture", i -> List.of(i.architecture()));
        f.put("block-device-mapping.delete-on-termination", i -> List.of("true"));
        f.put("block-device-mapping.device-name", i -> List.of(i.rootDeviceName()));
        f.put("block-device-mapping.snapshot-id", i -> List.of(i.snapshotId()));
        f.put("block-device-mapping.volume-size", i -> List.of(Integer.toString(i.volumeSize())));
        f.put("block-device-mapping.volume-type", i -> List.of(i.volumeType()));
        f.put("block-device-mapping.encrypted", i -> List.of("false"));
        f.put("creation-date", i -> List.of(XmlEncoder.time(i.creationDate())));
        f.put("description", i -> List.of(i.description()));
        f.put("ena-support", i -> List.of("true"));
        f.put("free-tier-eligible", i -> List.of(Boolean.toString(i.platform() == null)));
        f.put("hypervisor", i -> List.of("xen"));
        f.put("image-id", i -> List.of(i.id()));
        f.put("image-type", i -> List.of("machine"));
        f.put("is-public", i -> List.of(Boolean.toString(i.isPublic())));
        f.put("kernel-id", i -> List.of());
        f.put("manifest-location", i -> List.of(i.imageLocation()));
        f.put("name", i -> List.of(i.name()));
        f.put("owner-alias", i -> i.ownerAlias() == null ? List.of() : List.of(i.ownerAlias()));
        f.put("owner-id", i -> List.of(i.ownerId()));
        f.put("platform", i -> i.platform() == null ? List.of() : List.of(i.platform()));
        f.put("platform-details", i -> List.of(i.platformDetails()));
        f.put("product-code", i -> List.of());
        f.put("product-code.type", i -> List.of());
        f.put("ramdisk-id", i -> List.of());
        f.put("root-device-name", i -> List.of(i.rootDeviceName()));
        f.put("root-device-type", i -> List.of("ebs"));
        f.put("source-image-id", i -> List.of());
        f.put("source-image-region", i -> List.of());
        f.put("source-instance-id", i -> List.of());
        f.put("state", i -> List.of(i.state()));
        f.put("state-reason-code", i -> List.of());
        f.put("state-reason-message", i -> List.of());
        f.put("sriov-net-support", i -> List.of("simple"));
        f.put("usage-operation", i -> List.of(i.usageOperation()));
        f.put("virtualization-type", i -> List.of("hvm"));
        // Public images carry no tags visible to other accounts.
        f.put("tag-key", i -> List.of());
        f.put("tag-value", i -> List.of());
        return Map.copyOf(f);
    }

    private DescribeInstanceTypesResponse describeInstanceTypes(DescribeInstanceTypesRequest req,
            Ec2Api.ReadContext ctx) {
        List<String> names = req.instanceTypesAsStrings();
        List<String> missing = names.stream().filter(n -> InstanceTypes.find(n).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw ErrorCode.INVALID_INSTANCE_TYPE.format("The following supplied instance types do not exist: [%s]",
                    String.join(", ", missing));
        }
        Predicate<InstanceTypes.InstanceType> filters = compile(req.filters(), TYPE_FILTERS);
        // AWS answers at most 100 types per page even when MaxResults is not given.
        Pages.Page<InstanceTypes.InstanceType> page = Describe.of(InstanceTypes.all(), InstanceTypes.InstanceType::name)
                .where(t -> names.isEmpty() || names.contains(t.name())).where(filters)
                .page(req.maxResults() == null ? Integer.valueOf(100) : req.maxResults(), req.nextToken(),
                        Describe.Limits.of(5, 100));
        return DescribeInstanceTypesResponse.builder()
                .instanceTypes(page.map(ImageHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    private static InstanceTypeInfo shape(InstanceTypes.InstanceType t) {
        boolean nitro = t.nitro();
        boolean burstable = t.burstable();
        List<String> strategies = burstable ? List.of("partition", "spread") : List.of("cluster", "partition",
                "spread");
        List<String> bootModes = t.architectures().contains("arm64") ? List.of("uefi")
                : nitro ? List.of("legacy-bios", "uefi") : List.of("legacy-bios");
        InstanceTypeInfo.Builder b = InstanceTypeInfo.builder().instanceType(t.name())
                .currentGeneration(t.currentGeneration()).freeTierEligible(t.freeTierEligible())
                .supportedUsageClassesWithStrings("on-demand", "spot")
                .supportedRootDeviceTypesWithStrings(t.name().equals("m1.small") ? List.of("ebs", "instance-store")
                        : List.of("ebs"))
                .supportedVirtualizationTypesWithStrings(t.name().equals("m1.small") ? List.of("hvm", "paravirtual")
                        : List.of("hvm"))
                .bareMetal(t.bareMetal()).hypervisor(t.hypervisor())
                .processorInfo(ProcessorInfo.builder().supportedArchitecturesWithStrings(t.architectures()).build())
                .vCpuInfo(VCpuInfo.builder().defaultVCpus(t.vcpus()).defaultCores(t.cores())
                        .defaultThreadsPerCore(t.threadsPerCore()).build())
                .memoryInfo(MemoryInfo.builder().sizeInMiB(t.memoryMiB()).build())
                .instanceStorageSupported(t.name().equals("m1.small"))
                .ebsInfo(EbsInfo.builder().ebsOptimizedSupport(nitro ? "default" : "unsupported")
                        .encryptionSupport("supported").nvmeSupport(nitro ? "required" : "unsupported").build())
                .networkInfo(NetworkInfo.builder().networkPerformance(t.networkPerformance())
                        .maximumNetworkInterfaces(t.maxInterfaces()).maximumNetworkCards(1).defaultNetworkCardIndex(0)
                        .networkCards(NetworkCardInfo.builder().networkCardIndex(0)
                                .networkPerformance(t.networkPerformance())
                                .maximumNetworkInterfaces(t.maxInterfaces()).build())
                        .ipv4AddressesPerInterface(t.ipv4PerInterface())
                        .ipv6AddressesPerInterface(t.ipv6PerInterface()).ipv6Supported(t.ipv6PerInterface() > 0)
                        .enaSupport(nitro ? "required" : "unsupported").efaSupported(false).build())
                .placementGroupInfo(PlacementGroupInfo.builder().supportedStrategiesWithStrings(strategies).build())
                .burstablePerformanceSupported(burstable).dedicatedHostsSupported(!burstable && nitro)
                .autoRecoverySupported(!t.bareMetal()).supportedBootModesWithStrings(bootModes);
        return b.build();
    }

    private static Map<String, Function<InstanceTypes.InstanceType, Collection<String>>> typeFilters() {
        Map<String, Function<InstanceTypes.InstanceType, Collection<String>>> f = new LinkedHashMap<>();
        f.put("instance-type", t -> List.of(t.name()));
        f.put("current-generation", t -> List.of(Boolean.toString(t.currentGeneration())));
        f.put("free-tier-eligible", t -> List.of(Boolean.toString(t.freeTierEligible())));
        f.put("burstable-performance-supported", t -> List.of(Boolean.toString(t.burstable())));
        f.put("bare-metal", t -> List.of(Boolean.toString(t.bareMetal())));
        f.put("hypervisor", t -> t.hypervisor() == null ? List.of() : List.of(t.hypervisor()));
        f.put("instance-storage-supported", t -> List.of(Boolean.toString(t.name().equals("m1.small"))));
        f.put("processor-info.supported-architecture", InstanceTypes.InstanceType::architectures);
        f.put("vcpu-info.default-vcpus", t -> List.of(Integer.toString(t.vcpus())));
        f.put("vcpu-info.default-cores", t -> List.of(Integer.toString(t.cores())));
        f.put("vcpu-info.default-threads-per-core", t -> List.of(Integer.toString(t.threadsPerCore())));
        f.put("memory-info.size-in-mib", t -> List.of(Long.toString(t.memoryMiB())));
        f.put("network-info.network-performance", t -> List.of(t.networkPerformance()));
        f.put("network-info.maximum-network-interfaces", t -> List.of(Integer.toString(t.maxInterfaces())));
        f.put("network-info.maximum-network-cards", t -> List.of("1"));
        f.put("network-info.ipv4-addresses-per-interface", t -> List.of(Integer.toString(t.ipv4PerInterface())));
        f.put("network-info.ipv6-addresses-per-interface", t -> List.of(Integer.toString(t.ipv6PerInterface())));
        f.put("network-info.ipv6-supported", t -> List.of(Boolean.toString(t.ipv6PerInterface() > 0)));
        f.put("network-info.ena-support", t -> List.of(t.nitro() ? "required" : "unsupported"));
        f.put("network-info.efa-supported", t -> List.of("false"));
        f.put("supported-usage-class", t -> List.of("on-demand", "spot"));
        f.put("supported-root-device-type", t -> t.name().equals("m1.small") ? List.of("ebs", "instance-store")
                : List.of("ebs"));
        f.put("supported-virtualization-type", t -> t.name().equals("m1.small") ? List.of("hvm", "paravirtual")
                : List.of("hvm"));
        return Map.copyOf(f);
    }

    /**
     * EC2's filter semantics (see {@link FilterSpec}) over catalogue values rather than stored resources: filters
     * ANDed, values ORed with {@code *}/{@code ?} wildcards, unknown names refused.
     */
    private static <T> Predicate<T> compile(List<Filter> filters, Map<String, Function<T, Collection<String>>> fields) {
        FilterSpec.requireNames(filters);
        Predicate<T> all = x -> true;
        for (Filter f : filters) {
            Function<T, Collection<String>> field = f.name().startsWith("tag:") ? x -> List.of()
                    : fields.get(f.name());
            if (field == null) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The filter '%s' is invalid", f.name());
            }
            List<Pattern> patterns = f.values().stream().map(FilterSpec::wildcard).toList();
            all = all.and(x -> field.apply(x).stream().anyMatch(v -> patterns.stream()
                    .anyMatch(p -> p.matcher(v).matches())));
        }
        return all;
    }
}
