package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** DescribeImages, DescribeInstanceTypes and RunInstances' checks of both, through the SDK. */
class ImageApiTest {
    private static final String ACCOUNT = "727272727272";
    private static final String AL2023_X86 = "al2023-ami-2023.*-kernel-6.1-x86_64";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private Image one(Ec2Client client, String nameFilter) {
        List<Image> images = client.describeImages(r -> r.owners("amazon").filters(filter("name", nameFilter)))
                .images();
        assertThat(images).hasSize(1);
        return images.get(0);
    }

    @Test
    void describeImages_ownerAmazonAndNameWildcard_returnsTheAmazonLinux2023Image() {
        Image image = one(ec2, AL2023_X86);

        assertThat(image.imageId()).matches("ami-0[0-9a-f]{16}");
        assertThat(image.name()).matches("al2023-ami-2023\\.[0-9.]+-kernel-6\\.1-x86_64");
        assertThat(image.ownerId()).isEqualTo("137112412989");
        assertThat(image.imageOwnerAlias()).isEqualTo("amazon");
        assertThat(image.architectureAsString()).isEqualTo("x86_64");
        assertThat(image.stateAsString()).isEqualTo("available");
        assertThat(image.publicLaunchPermissions()).isTrue();
        assertThat(image.virtualizationTypeAsString()).isEqualTo("hvm");
        assertThat(image.rootDeviceTypeAsString()).isEqualTo("ebs");
        assertThat(image.rootDeviceName()).isEqualTo("/dev/xvda");
        assertThat(image.imageTypeAsString()).isEqualTo("machine");
        assertThat(image.platformDetails()).isEqualTo("Linux/UNIX");
        assertThat(image.platform()).isNull();
        assertThat(image.creationDate()).matches("20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.000Z");
        assertThat(image.blockDeviceMappings()).singleElement().satisfies(m -> {
            assertThat(m.deviceName()).isEqualTo("/dev/xvda");
            assertThat(m.ebs().snapshotId()).matches("snap-0[0-9a-f]{16}");
            assertThat(m.ebs().volumeTypeAsString()).isEqualTo("gp3");
        });
    }

    @Test
    void describeImages_idsAreStableInARegionAndDifferBetweenRegions() {
        String east = one(ec2, AL2023_X86).imageId();
        String eastAgain = one(UNDERPASS.ec2("737373737373"), AL2023_X86).imageId();
        String west = one(UNDERPASS.ec2(ACCOUNT, "eu-west-1"), AL2023_X86).imageId();

        assertThat(eastAgain).isEqualTo(east);
        assertThat(west).isNotEqualTo(east).matches("ami-0[0-9a-f]{16}");
        assertError(() -> ec2.describeImages(r -> r.imageIds(west)), "InvalidAMIID.NotFound");
    }

    @Test
    void describeImages_canonicalOwner_returnsUbuntuWithoutAnOwnerAlias() {
        List<Image> ubuntu = ec2.describeImages(r -> r.owners("099720109477")).images();

        assertThat(ubuntu).extracting(Image::name).containsExactlyInAnyOrder(
                "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20251112",
                "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20251112",
                "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20251105");
        assertThat(ubuntu).allSatisfy(i -> {
            assertThat(i.imageOwnerAlias()).isNull();
            assertThat(i.rootDeviceName()).isEqualTo("/dev/sda1");
        });
        assertThat(ec2.describeImages(r -> r.filters(filter("owner-alias", "amazon"))).images())
                .extracting(Image::ownerId).doesNotContain("099720109477").isNotEmpty();
        assertThat(ec2.describeImages(r -> r.filters(filter("owner-id", "099720109477"),
                filter("architecture", "arm64"))).images()).extracting(Image::name)
                .containsExactly("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20251112");
    }

    @Test
    void describeImages_filters_matchPlatformArchitectureStateAndPublicness() {
        List<Image> windows = ec2.describeImages(r -> r.filters(filter("platform", "windows"))).images();
        assertThat(windows).singleElement().satisfies(i -> {
            assertThat(i.name()).startsWith("Windows_Server-2022-English-Full-Base-");
            assertThat(i.ownerId()).isEqualTo("801119661308");
            assertThat(i.imageOwnerAlias()).isEqualTo("amazon");
            assertThat(i.platformAsString()).isEqualTo("windows");
            assertThat(i.platformDetails()).isEqualTo("Windows");
        });
        List<Image> all = ec2.describeImages(r -> r.filters(filter("is-public", "true"))).images();
        assertThat(all).hasSizeGreaterThanOrEqualTo(8);
        assertThat(ec2.describeImages(r -> r.filters(filter("is-public", "false"))).images()).isEmpty();
        assertThat(ec2.describeImages(r -> r.filters(filter("state", "pending"))).images()).isEmpty();
        assertThat(ec2.describeImages(r -> r.filters(filter("state", "available"))).images()).hasSameSizeAs(all);
        assertThat(ec2.describeImages(r -> r.filters(filter("architecture", "arm64"))).images())
                .allSatisfy(i -> assertThat(i.architectureAsString()).isEqualTo("arm64")).hasSize(3);
        String id = one(ec2, AL2023_X86).imageId();
        assertThat(ec2.describeImages(r -> r.filters(filter("image-id", id))).images()).extracting(Image::imageId)
                .containsExactly(id);
        assertThat(ec2.describeImages(r -> r.owners("self")).images()).isEmpty();
        assertThat(ec2.describeImages(r -> r.executableUsers("all").owners("amazon")).images()).isNotEmpty();
    }

    @Test
    void describeImages_documentationPlaceholderIds_areInEveryRegion() {
        for (String region : List.of("us-east-1", "ap-southeast-2")) {
            DescribeImagesResponse r = UNDERPASS.ec2(ACCOUNT, region).describeImages(q -> q.imageIds(
                    "ami-0123456789abcdef0", "ami-12345678", "ami-00000000"));
            assertThat(r.images()).extracting(Image::imageId).containsExactlyInAnyOrder("ami-0123456789abcdef0",
                    "ami-12345678", "ami-00000000");
        }
    }

    @Test
    void describeImages_badInput_failsWithAwsCodes() {
        assertError(() -> ec2.describeImages(r -> r.imageIds("ami-0fffffffffffffff1")), "InvalidAMIID.NotFound",
                "The image id '[ami-0fffffffffffffff1]' does not exist");
        assertError(() -> ec2.describeImages(r -> r.imageIds("ami-xyz")), "InvalidAMIID.Malformed");
        assertError(() -> ec2.describeImages(r -> r.owners("nobody")), "InvalidUserID.Malformed");
        assertError(() -> ec2.describeImages(r -> r.filters(filter("colour", "blue"))), "InvalidParameterValue");
        assertError(() -> ec2.describeImages(r -> r.imageIds("ami-12345678").maxResults(5)),
                "InvalidParameterCombination");
    }

    @Test
    void describeImages_maxResults_pagesThroughEveryImageOnce() {
        int total = ec2.describeImages(r -> r.owners("amazon", "099720109477")).images().size();
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            DescribeImagesResponse page = ec2.describeImages(r -> r.owners("amazon", "099720109477").maxResults(3)
                    .nextToken(t));
            assertThat(page.images().size()).isLessThanOrEqualTo(3);
            page.images().forEach(i -> seen.add(i.imageId()));
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(seen).hasSize(total).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo((total + 2) / 3);
    }

    @Test
    void describeInstanceTypes_namedTypes_carryAwsFigures() {
        List<InstanceTypeInfo> types = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings("t3.micro",
                "m7g.large", "c5.9xlarge", "t2.micro")).instanceTypes();

        assertThat(types).hasSize(4);
        InstanceTypeInfo t3 = find(types, "t3.micro");
        assertThat(t3.vCpuInfo().defaultVCpus()).isEqualTo(2);
        assertThat(t3.vCpuInfo().defaultThreadsPerCore()).isEqualTo(2);
        assertThat(t3.memoryInfo().sizeInMiB()).isEqualTo(1024L);
        assertThat(t3.processorInfo().supportedArchitecturesAsStrings()).containsExactly("x86_64");
        assertThat(t3.networkInfo().networkPerformance()).isEqualTo("Up to 5 Gigabit");
        assertThat(t3.networkInfo().maximumNetworkInterfaces()).isEqualTo(2);
        assertThat(t3.networkInfo().ipv4AddressesPerInterface()).isEqualTo(2);
        assertThat(t3.burstablePerformanceSupported()).isTrue();
        assertThat(t3.hypervisorAsString()).isEqualTo("nitro");
        InstanceTypeInfo m7g = find(types, "m7g.large");
        assertThat(m7g.processorInfo().supportedArchitecturesAsStrings()).containsExactly("arm64");
        assertThat(m7g.memoryInfo().sizeInMiB()).isEqualTo(8192L);
        assertThat(m7g.networkInfo().maximumNetworkInterfaces()).isEqualTo(3);
        assertThat(m7g.networkInfo().ipv4AddressesPerInterface()).isEqualTo(10);
        InstanceTypeInfo c5 = find(types, "c5.9xlarge");
        assertThat(c5.vCpuInfo().defaultVCpus()).isEqualTo(36);
        assertThat(c5.memoryInfo().sizeInMiB()).isEqualTo(73728L);
        assertThat(c5.networkInfo().maximumNetworkInterfaces()).isEqualTo(8);
        assertThat(c5.networkInfo().ipv4AddressesPerInterface()).isEqualTo(30);
        InstanceTypeInfo t2 = find(types, "t2.micro");
        assertThat(t2.freeTierEligible()).isTrue();
        assertThat(t2.hypervisorAsString()).isEqualTo("xen");
    }

    private static InstanceTypeInfo find(List<InstanceTypeInfo> types, String name) {
        return types.stream().filter(t -> t.instanceTypeAsString().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void describeInstanceTypes_filtersAndPages() {
        List<String> arm = ec2.describeInstanceTypes(r -> r.filters(
                filter("processor-info.supported-architecture", "arm64"), filter("instance-type", "*.large")))
                .instanceTypes().stream().map(InstanceTypeInfo::instanceTypeAsString).toList();
        assertThat(arm).containsExactlyInAnyOrder("c7g.large", "m7g.large", "t4g.large");

        DescribeInstanceTypesResponse first = ec2.describeInstanceTypes(r -> {});
        assertThat(first.instanceTypes()).hasSize(100);
        assertThat(first.nextToken()).isNotNull();

        List<String> all = new ArrayList<>();
        ec2.describeInstanceTypesPaginator(r -> r.maxResults(7)).instanceTypes()
                .forEach(t -> all.add(t.instanceTypeAsString()));
        assertThat(all).doesNotHaveDuplicates().hasSizeGreaterThan(100).contains("m1.small", "r6i.metal", "t3a.nano");
        assertThat(new HashSet<>(all)).containsAll(first.instanceTypes().stream()
                .map(InstanceTypeInfo::instanceTypeAsString).toList());
    }

    @Test
    void describeInstanceTypes_unknownType_failsWithInvalidInstanceType() {
        assertError(() -> ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings("t3.micro", "t3.huge")),
                "InvalidInstanceType", "The following supplied instance types do not exist: [t3.huge]");
        assertError(() -> ec2.describeInstanceTypes(r -> r.maxResults(4)), "InvalidParameterValue");
    }

    @Test
    void runInstances_checksTheImageAndTheInstanceType_andLaunchesNothingOnError() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.72.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.72.1.0/24")).subnet();
        String x86 = one(ec2, AL2023_X86).imageId();
        String arm = one(ec2, "al2023-ami-2023.*-kernel-6.1-arm64").imageId();

        assertError(() -> ec2.runInstances(r -> r.imageId("ami-0fffffffffffffff1").instanceType("t3.micro")
                .minCount(1).maxCount(1).subnetId(subnet.subnetId())), "InvalidAMIID.NotFound",
                "The image id '[ami-0fffffffffffffff1]' does not exist");
        assertError(() -> ec2.runInstances(r -> r.imageId("ami-nothex").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())), "InvalidAMIID.Malformed");
        assertError(() -> ec2.runInstances(r -> r.imageId(x86).instanceType("t3.huge").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())), "InvalidParameterValue", "Invalid value 't3.huge' for InstanceType.");
        assertError(() -> ec2.runInstances(r -> r.imageId(arm).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())), "InvalidParameterValue");
        String westImage = one(UNDERPASS.ec2(ACCOUNT, "eu-west-1"), AL2023_X86).imageId();
        assertError(() -> ec2.runInstances(r -> r.imageId(westImage).minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())), "InvalidAMIID.NotFound");
        assertThat(ec2.describeInstances(r -> r.filters(filter("subnet-id", subnet.subnetId()))).reservations())
                .isEmpty();

        Instance graviton = ec2.runInstances(r -> r.imageId(arm).instanceType("t4g.micro").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())).instances().get(0);
        assertThat(graviton.architectureAsString()).isEqualTo("arm64");
        assertThat(graviton.imageId()).isEqualTo(arm);

        ec2.terminateInstances(r -> r.instanceIds(graviton.instanceId()));
        TestVpcs.tearDown(ec2, vpc.vpcId());
    }
}
