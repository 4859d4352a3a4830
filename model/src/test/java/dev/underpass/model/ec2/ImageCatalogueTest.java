package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in image and instance-type catalogues and RunInstances' checks against them. */
class ImageCatalogueTest {
    @Test
    void images_haveWellFormedDistinctIdsPerRegion_andThePlaceholdersEverywhere() {
        List<Images.Image> east = Images.catalogue("us-east-1");
        List<Images.Image> west = Images.catalogue("eu-west-1");

        assertThat(east).extracting(Images.Image::id).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("ami-[0-9a-f]{8}|ami-[0-9a-f]{17}"))
                .containsAll(Images.PLACEHOLDER_IDS);
        assertThat(Images.id("us-east-1", Images.AL2023_X86)).isEqualTo(Images.id("us-east-1", Images.AL2023_X86))
                .isNotEqualTo(Images.id("eu-west-1", Images.AL2023_X86));
        assertThat(west).extracting(Images.Image::name).containsExactlyInAnyOrderElementsOf(
                east.stream().map(Images.Image::name).toList());
    }

    @Test
    void require_malformedAndUnknownIds_failWithAwsCodes() {
        assertThatThrownBy(() -> Images.require("us-east-1", ImageId.of("ami-nothex"))).isInstanceOfSatisfying(
                AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidAMIID.Malformed"));
        assertThatThrownBy(() -> Images.require("us-east-1", ImageId.of("ami-0fffffffffffffff1")))
                .isInstanceOfSatisfying(
                        AwsException.class, e -> assertThat(e.getMessage())
                                .isEqualTo("The image id '[ami-0fffffffffffffff1]' does not exist"));
    }

    @Test
    void instanceTypes_followAwsNetworkLimits() {
        record Row(String type, int enis, int ipv4) {}
        for (Row r : List.of(new Row("t2.nano", 2, 2), new Row("t3.small", 3, 4), new Row("t3a.xlarge", 4, 15),
                new Row("t4g.large", 3, 12), new Row("m5.large", 3, 10), new Row("m5.4xlarge", 8, 30),
                new Row("m5.16xlarge", 15, 50), new Row("c5.9xlarge", 8, 30), new Row("c5.metal", 15, 50),
                new Row("m6i.32xlarge", 15, 50), new Row("m7g.medium", 2, 4), new Row("r6i.12xlarge", 8, 30),
                new Row("m1.small", 2, 4))) {
            InstanceTypes.InstanceType t = InstanceTypes.require(r.type());
            assertThat(t.maxInterfaces()).as(r.type()).isEqualTo(r.enis());
            assertThat(t.ipv4PerInterface()).as(r.type()).isEqualTo(r.ipv4());
        }
        assertThat(InstanceTypes.all()).extracting(InstanceTypes.InstanceType::family).containsOnly("t2", "t3",
                "t3a", "t4g", "m5", "m6i", "m7g", "c5", "c6i", "c7g", "r5", "r6i", "m1");
        assertThat(InstanceTypes.require("r5.large").memoryMiB()).isEqualTo(16384);
        assertThat(InstanceTypes.require("c7g.16xlarge").architectures()).containsExactly("arm64");
    }

    @Test
    void requireCompatible_refusesAnArmImageOnAnIntelType() {
        Images.Image arm =
                Images.find("us-east-1", ImageId.of(Images.id("us-east-1", Images.AL2023_ARM))).orElseThrow();

        InstanceTypes.requireCompatible(InstanceTypes.require("t4g.micro"), arm);
        assertThatThrownBy(() -> InstanceTypes.requireCompatible(InstanceTypes.require("t3.micro"), arm))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterValue");
                    assertThat(e.getMessage()).startsWith("The architecture 'x86_64' of the specified instance type "
                            + "does not match the architecture 'arm64' of the specified AMI.");
                });
        assertThatThrownBy(() -> InstanceTypes.require("t3.huge")).hasMessage(
                "Invalid value 't3.huge' for InstanceType.");
    }
}
