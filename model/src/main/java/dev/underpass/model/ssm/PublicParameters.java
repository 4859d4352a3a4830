package dev.underpass.model.ssm;

import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.Images;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public Systems Manager parameters underpass answers: AWS's
 * <a href="https://docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-via-ssm">latest Amazon Linux AMI</a>
 * parameters under {@code /aws/service/ami-amazon-linux-latest/}, each pointing at the region's image in the
 * built-in catalogue ({@link Images}). They are read-only and the same for every account, as AWS's are; nothing else
 * exists in underpass's SSM.
 */
public final class PublicParameters {
    /** The path every parameter here lives under. */
    public static final String PATH = "/aws/service/ami-amazon-linux-latest";

    /** One parameter as GetParameter shows it. */
    public record Parameter(String name, String value, long version, Instant lastModified, String region) {
        public String type() {
            return "String";
        }

        /** AWS marks parameters whose value is an AMI id as {@code aws:ec2:image}; these public ones say text. */
        public String dataType() {
            return "text";
        }

        /** Public parameters have no account in their ARN. */
        public String arn() {
            return "arn:aws:ssm:" + region + "::parameter" + name;
        }
    }

    /** Parameter name (under {@link #PATH}) to the catalogue image it names and its version. */
    private static final Map<String, String> TARGETS = Map.of(
            "al2023-ami-kernel-default-x86_64", Images.AL2023_X86,
            "al2023-ami-kernel-6.1-x86_64", Images.AL2023_X86,
            "al2023-ami-kernel-default-arm64", Images.AL2023_ARM,
            "al2023-ami-kernel-6.1-arm64", Images.AL2023_ARM,
            "amzn2-ami-hvm-x86_64-gp2", Images.AL2_X86,
            "amzn2-ami-hvm-arm64-gp2", Images.AL2_ARM);

    private PublicParameters() {}

    /** Every parameter in {@code region}, by name. */
    public static List<Parameter> all(String region) {
        List<Parameter> out = new ArrayList<>();
        for (Map.Entry<String, String> e : TARGETS.entrySet()) {
            Images.Image image = Images.find(region, ImageId.of(Images.id(region, e.getValue()))).orElseThrow();
            // The parameter moved to this image shortly after it was published; earlier versions are not kept.
            out.add(new Parameter(PATH + "/" + e.getKey(), image.id(), version(e.getValue()),
                    image.creationDate().plus(Duration.ofHours(6)), region));
        }
        out.sort(java.util.Comparator.comparing(Parameter::name));
        return List.copyOf(out);
    }

    private static long version(String imageKey) {
        return imageKey.startsWith("al2023") ? 97 : 142;
    }

    public static Optional<Parameter> find(String region, String name) {
        return all(region).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The parameters directly under {@code path} or, when {@code recursive}, anywhere below it. A trailing slash
     * is ignored.
     */
    public static List<Parameter> underPath(String region, String path, boolean recursive) {
        String base = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        String prefix = base.equals("/") ? "/" : base + "/";
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : all(region)) {
            if (!p.name().startsWith(prefix)) {
                continue;
            }
            String rest = p.name().substring(prefix.length());
            if (recursive || rest.indexOf('/') < 0) {
                out.add(p);
            }
        }
        return out;
    }
}
