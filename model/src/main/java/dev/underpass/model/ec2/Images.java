package dev.underpass.model.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public machine images (AMIs) underpass knows: a small built-in catalogue per region of the images
 * infrastructure code most often looks up (Amazon Linux 2023 and Amazon Linux 2, Ubuntu 22.04 and 24.04 from
 * Canonical, Windows Server 2022), plus three placeholder ids that AWS's documentation, and scripts copied from it,
 * use as examples. underpass cannot create images, so this list is all there is: RunInstances launches only these.
 *
 * <p>Names follow AWS's real naming patterns ({@code al2023-ami-2023.…-kernel-6.1-x86_64},
 * {@code ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-…}, {@code Windows_Server-2022-English-Full-Base-…})
 * and owners are the real ones (Amazon Linux {@code 137112412989}, Windows {@code 801119661308}, both with the alias
 * {@code amazon}; Canonical {@code 099720109477}, no alias). Versions, dates and ids are illustrative: ids are
 * {@code ami-} and 17 hex digits derived from the region and the image, so they are stable across restarts and
 * differ between regions, as AWS's do. See
 * <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html">Image</a>.
 */
public final class Images {
    /** The Amazon Linux images' owner account. */
    public static final String AMAZON_LINUX_OWNER = "137112412989";
    /** The Windows images' owner account. */
    public static final String WINDOWS_OWNER = "801119661308";
    /** Canonical, the Ubuntu images' owner account. */
    public static final String CANONICAL_OWNER = "099720109477";

    /**
     * The ids of AWS's documentation examples, accepted in every region so that copied scripts and existing suites
     * keep launching; they behave as Amazon Linux 2023 on x86_64.
     */
    public static final List<String> PLACEHOLDER_IDS = List.of("ami-0123456789abcdef0", "ami-12345678",
            "ami-00000000");

    /** One public image as DescribeImages shows it. {@code ownerAlias} and {@code platform} may be null. */
    public record Image(String id, String region, String name, String description, String ownerId,
            String ownerAlias, String architecture, String platform, String platformDetails, String usageOperation,
            Instant creationDate, String rootDeviceName, int volumeSize, String volumeType, String snapshotId,
            String bootMode, String imdsSupport) {
        public String state() {
            return "available";
        }

        /** The image's id, typed as an instance refers to it. */
        public ImageId imageId() {
            return new ImageId(id);
        }

        public boolean isPublic() {
            return true;
        }

        /** The location DescribeImages reports: owner (or alias) and name. */
        public String imageLocation() {
            return (ownerAlias != null ? ownerAlias : ownerId) + "/" + name;
        }
    }

    /** A kind of image in the catalogue; {@link #of} makes the region's copy. */
    private record Template(String key, String name, String description, String ownerId, String ownerAlias,
            String architecture, String platform, String platformDetails, String usageOperation, String created,
            String rootDeviceName, int volumeSize, String volumeType, String bootMode, String imdsSupport) {
        Image of(String region, String id) {
            return new Image(id, region, name, description, ownerId, ownerAlias, architecture, platform,
                    platformDetails, usageOperation, Instant.parse(created), rootDeviceName, volumeSize, volumeType,
                    "snap-0" + digest("snap/" + region + "/" + key), bootMode, imdsSupport);
        }
    }

    /** Keys of the SSM public parameters' targets (see {@code PublicParameters}). */
    public static final String AL2023_X86 = "al2023-x86_64";
    public static final String AL2023_ARM = "al2023-arm64";
    public static final String AL2_X86 = "amzn2-x86_64";
    public static final String AL2_ARM = "amzn2-arm64";

    private static final String AL2023 = "2023.9.20251110.1";
    private static final String AL2 = "2.0.20251108.0";
    private static final String LINUX = "Linux/UNIX";

    private static final List<Template> TEMPLATES = List.of(
            new Template(AL2023_X86, "al2023-ami-" + AL2023 + "-kernel-6.1-x86_64",
                    "Amazon Linux 2023 AMI " + AL2023 + " x86_64 HVM kernel-6.1", AMAZON_LINUX_OWNER, "amazon",
                    "x86_64", null, LINUX, "RunInstances", "2025-11-10T21:32:05Z", "/dev/xvda", 8, "gp3",
                    "uefi-preferred", "v2.0"),
            new Template(AL2023_ARM, "al2023-ami-" + AL2023 + "-kernel-6.1-arm64",
                    "Amazon Linux 2023 AMI " + AL2023 + " arm64 HVM kernel-6.1", AMAZON_LINUX_OWNER, "amazon",
                    "arm64", null, LINUX, "RunInstances", "2025-11-10T21:32:11Z", "/dev/xvda", 8, "gp3", "uefi",
                    "v2.0"),
            new Template(AL2_X86, "amzn2-ami-hvm-" + AL2 + "-x86_64-gp2",
                    "Amazon Linux 2 AMI " + AL2 + " x86_64 HVM gp2", AMAZON_LINUX_OWNER, "amazon", "x86_64", null,
                    LINUX, "RunInstances", "2025-11-08T03:14:52Z", "/dev/xvda", 8, "gp2", null, null),
            new Template(AL2_ARM, "amzn2-ami-hvm-" + AL2 + "-arm64-gp2",
                    "Amazon Linux 2 LTS Arm64 AMI " + AL2 + " arm64 HVM gp2", AMAZON_LINUX_OWNER, "amazon",
                    "arm64", null, LINUX, "RunInstances", "2025-11-08T03:15:40Z", "/dev/xvda", 8, "gp2", "uefi",
                    null),
            new Template("ubuntu-noble-amd64", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20251112",
                    "Canonical, Ubuntu, 24.04, amd64 noble image", CANONICAL_OWNER, null, "x86_64", null, LINUX,
                    "RunInstances", "2025-11-12T09:41:20Z", "/dev/sda1", 8, "gp3", "uefi-preferred", null),
            new Template("ubuntu-noble-arm64", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20251112",
                    "Canonical, Ubuntu, 24.04, arm64 noble image", CANONICAL_OWNER, null, "arm64", null, LINUX,
                    "RunInstances", "2025-11-12T09:41:33Z", "/dev/sda1", 8, "gp3", "uefi", null),
            new Template("ubuntu-jammy-amd64", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20251105",
                    "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-11-05", CANONICAL_OWNER, null,
                    "x86_64", null, LINUX, "RunInstances", "2025-11-05T18:02:47Z", "/dev/sda1", 8, "gp2",
                    "uefi-preferred", null),
            new Template("windows-2022", "Windows_Server-2022-English-Full-Base-2025.11.12",
                    "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", WINDOWS_OWNER,
                    "amazon", "x86_64", "windows", "Windows", "RunInstances:0002", "2025-11-12T20:05:31Z",
                    "/dev/sda1", 30, "gp2", null, "v2.0"));

    private static final Template PLACEHOLDER = new Template("placeholder", "underpass-placeholder-al2023-x86_64",
            "Placeholder for an id used in AWS documentation examples; behaves as Amazon Linux 2023 x86_64",
            AMAZON_LINUX_OWNER, "amazon", "x86_64", null, LINUX, "RunInstances", "2025-11-10T21:32:05Z",
            "/dev/xvda", 8, "gp3", "uefi-preferred", "v2.0");

    private static final Map<String, List<Image>> BY_REGION = new ConcurrentHashMap<>();

    private Images() {}

    /** Every image in {@code region}, by id. */
    public static List<Image> catalogue(String region) {
        return BY_REGION.computeIfAbsent(region, Images::build);
    }

    private static List<Image> build(String region) {
        List<Image> out = new ArrayList<>();
        for (Template t : TEMPLATES) {
            out.add(t.of(region, id(region, t.key())));
        }
        for (String id : PLACEHOLDER_IDS) {
            Image p = PLACEHOLDER.of(region, id);
            out.add(new Image(id, region, p.name() + "-" + id.substring(4), p.description(), p.ownerId(),
                    p.ownerAlias(), p.architecture(), p.platform(), p.platformDetails(), p.usageOperation(),
                    p.creationDate(), p.rootDeviceName(), p.volumeSize(), p.volumeType(),
                    "snap-0" + digest("snap/" + region + "/" + id), p.bootMode(), p.imdsSupport()));
        }
        out.sort(Comparator.comparing(Image::id));
        return List.copyOf(out);
    }

    /** The id of catalogue image {@code key} (one of the {@code AL…} constants) in {@code region}. */
    public static String id(String region, String key) {
        return "ami-0" + digest("ami/" + region + "/" + key);
    }

    public static Optional<Image> find(String region, ImageId id) {
        for (Image i : catalogue(region)) {
            if (i.imageId().equals(id)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * The image RunInstances launches: {@code InvalidAMIID.Malformed} for a malformed id,
     * {@code InvalidAMIID.NotFound} for one the region does not have.
     */
    public static Image require(String region, ImageId id) {
        Ids.require(ImageId.PREFIX, ImageId.text(id), ErrorCode.INVALID_AMI_ID_MALFORMED);
        return find(region, id).orElseThrow(() -> notFound(List.of(id.value())));
    }

    /** AWS's wording, which lists the ids in brackets. */
    public static dev.underpass.model.AwsException notFound(List<String> ids) {
        return ids.size() == 1
                ? ErrorCode.INVALID_AMI_ID_NOT_FOUND.format("The image id '[%s]' does not exist", ids.get(0))
                : ErrorCode.INVALID_AMI_ID_NOT_FOUND.format("The image ids '[%s]' do not exist",
                        String.join(", ", ids));
    }

    /** 16 hex digits from SHA-256: the variable part of an id, stable for the same input. */
    private static String digest(String input) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
