package dev.underpass.model.ec2;

import dev.underpass.model.net.IpFamily;
import dev.underpass.model.Regions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS services a VPC endpoint can reach, and the AWS-managed prefix lists of the gateway services, as static
 * data per region. Nothing here is stored: every region offers the same catalogue, in all of its Availability
 * Zones, and the ids AWS would show (service ids, prefix-list ids, hosted zone ids) are derived from the region
 * and service so that they stay the same from one run to the next.
 *
 * <p>To offer another service, add one line to {@link #CATALOG}. Where AWS's real ids are known (us-east-1's S3
 * and DynamoDB prefix lists, us-east-1's endpoint hosted zone) they are used; the CIDR blocks of the AWS-managed
 * prefix lists are illustrative, picked from ranges AWS publishes, not a copy of AWS's current lists.
 *
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html">AWS
 *     services that integrate with AWS PrivateLink</a>
 */
public final class AwsServices {

    /**
     * One AWS service as the catalogue describes it.
     *
     * @param shortName the last part of the service name ({@code ecr.api} in {@code com.amazonaws.us-east-1.ecr.api})
     * @param dnsLabel the label endpoint DNS names carry for it ({@code api.ecr})
     * @param gateway whether a gateway endpoint is offered
     * @param iface whether an interface endpoint is offered
     * @param privateDnsPattern the service's own host name with {@code %s} for the region, or null when an
     *     interface endpoint cannot take over its name
     * @param policySupported whether the service honours endpoint policies
     * @param wildcardDns whether the interface endpoint's DNS names start with {@code *.} (S3)
     */
    public record Service(String shortName, String dnsLabel, boolean gateway, boolean iface,
            String privateDnsPattern, boolean policySupported, boolean wildcardDns) {}

    /** One offering of a service in a region, as DescribeVpcEndpointServices lists it (one per endpoint type). */
    public record Offering(Service service, String region, VpcEndpoint.Type type) {
        public String serviceName() {
            return AwsServices.serviceName(region, service.shortName());
        }

        /** A stable {@code vpce-svc-…} id per region, service and type. */
        public EndpointServiceId serviceId() {
            return new EndpointServiceId(
                    "vpce-svc-" + hash(region + "/" + service.shortName() + "/" + type.wire()).substring(0, 17));
        }

        public String baseEndpointDnsName() {
            return type == VpcEndpoint.Type.GATEWAY ? service.shortName() + "." + region + ".amazonaws.com"
                    : service.dnsLabel() + "." + region + ".vpce.amazonaws.com";
        }

        /** The private DNS name, for interface offerings of services that have one. */
        public String privateDnsName() {
            return type == VpcEndpoint.Type.INTERFACE && service.privateDnsPattern() != null
                    ? String.format(service.privateDnsPattern(), region) : null;
        }

        public List<IpFamily> supportedIpAddressTypes() {
            return type == VpcEndpoint.Type.GATEWAY ? List.of(IpFamily.IPV4) : List.of(IpFamily.IPV4, IpFamily.IPV6);
        }

        public List<Regions.Zone> zones() {
            return Regions.zones(region);
        }
    }

    /** An AWS-managed prefix list ({@code OwnerId} {@code AWS}). */
    public record PrefixList(String id, String name, String region, List<String> cidrs) {
        /** The list's id, typed. */
        public PrefixListId prefixListId() {
            return new PrefixListId(id);
        }

        public String arn() {
            return "arn:aws:ec2:" + region + ":aws:prefix-list/" + id;
        }
    }

    private static final List<Service> CATALOG = List.of(
            new Service("dynamodb", "dynamodb", true, true, null, true, false),
            new Service("ec2", "ec2", false, true, "ec2.%s.amazonaws.com", true, false),
            new Service("ec2messages", "ec2messages", false, true, "ec2messages.%s.amazonaws.com", false, false),
            new Service("ecr.api", "api.ecr", false, true, "api.ecr.%s.amazonaws.com", true, false),
            new Service("ecr.dkr", "dkr.ecr", false, true, "*.dkr.ecr.%s.amazonaws.com", true, false),
            new Service("elasticloadbalancing", "elasticloadbalancing", false, true,
                    "elasticloadbalancing.%s.amazonaws.com", true, false),
            new Service("execute-api", "execute-api", false, true, "*.execute-api.%s.amazonaws.com", true, false),
            new Service("kms", "kms", false, true, "kms.%s.amazonaws.com", true, false),
            new Service("lambda", "lambda", false, true, "lambda.%s.amazonaws.com", true, false),
            new Service("logs", "logs", false, true, "logs.%s.amazonaws.com", true, false),
            new Service("monitoring", "monitoring", false, true, "monitoring.%s.amazonaws.com", true, false),
            new Service("s3", "s3", true, true, "*.s3.%s.amazonaws.com", true, true),
            new Service("secretsmanager", "secretsmanager", false, true, "secretsmanager.%s.amazonaws.com", true,
                    false),
            new Service("sns", "sns", false, true, "sns.%s.amazonaws.com", true, false),
            new Service("sqs", "sqs", false, true, "sqs.%s.amazonaws.com", true, false),
            new Service("ssm", "ssm", false, true, "ssm.%s.amazonaws.com", true, false),
            new Service("ssmmessages", "ssmmessages", false, true, "ssmmessages.%s.amazonaws.com", false, false),
            new Service("sts", "sts", false, true, "sts.%s.amazonaws.com", true, false));

    /** AWS's real prefix-list ids where known; others are derived. */
    private static final Map<String, String> KNOWN_PREFIX_LIST_IDS = Map.of(
            "us-east-1/s3", "pl-63a5400a",
            "us-east-1/dynamodb", "pl-02cd2c6b");

    /** Illustrative CIDRs per region and service; regions not listed get derived ones. */
    private static final Map<String, List<String>> KNOWN_CIDRS = Map.of(
            "us-east-1/s3", List.of("3.5.0.0/19", "16.182.0.0/16", "18.34.0.0/19", "52.216.0.0/15",
                    "54.231.0.0/16"),
            "us-east-1/dynamodb", List.of("3.218.180.0/22", "3.218.184.0/22", "52.94.0.0/22",
                    "52.119.224.0/20"),
            "us-west-2/s3", List.of("3.5.76.0/22", "52.92.16.0/20", "52.218.128.0/17"),
            "us-west-2/dynamodb", List.of("52.94.10.0/24", "52.119.232.0/21"),
            "eu-west-1/s3", List.of("3.5.64.0/21", "52.92.40.0/21", "52.218.0.0/17"),
            "eu-west-1/dynamodb", List.of("52.94.26.0/23", "52.119.240.0/21"));

    /** The hosted zone of endpoint DNS names per region, where AWS's id is known. */
    private static final Map<String, String> KNOWN_HOSTED_ZONES = Map.of("us-east-1", "Z7HUB22UULQXV");

    /** The services that have AWS-managed prefix lists. */
    private static final List<String> PREFIX_LIST_SERVICES = List.of("s3", "dynamodb");

    private AwsServices() {}

    /** The service and region a regional service host name stands for ({@link #serviceOfHost}). */
    public record ServiceHost(String service, String region) {}

    /**
     * The AWS service a host name of the public endpoints names, for the services underpass can stand in for
     * ({@code s3}, {@code dynamodb}), or null: {@code dynamodb.<region>.amazonaws.com}, {@code s3.<region>…},
     * {@code <bucket>.s3.<region>…}, the dash form {@code s3-<region>…}, and the global {@code s3.amazonaws.com}
     * (us-east-1). A trailing dot and a port are ignored; an endpoint's own {@code *.vpce.amazonaws.com} names are
     * not the service's.
     */
    public static ServiceHost serviceOfHost(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (!h.endsWith(".amazonaws.com") || h.contains(".vpce.")) {
            return null;
        }
        String[] parts = h.substring(0, h.length() - ".amazonaws.com".length()).split("\\.");
        String service = null;
        String region = null;
        if (parts.length == 2 && parts[0].equals("dynamodb")) {
            service = "dynamodb";
            region = parts[1];
        } else {
            for (int i = 0; i < parts.length && region == null; i++) {
                if (parts[i].equals("s3") && i + 1 < parts.length) {
                    region = parts[i + 1];
                } else if (parts[i].startsWith("s3-")) {
                    region = parts[i].substring(3);
                }
            }
            if (region == null && (h.equals("s3.amazonaws.com") || h.endsWith(".s3.amazonaws.com"))) {
                region = "us-east-1";
            }
            service = region == null ? null : "s3";
        }
        return service == null || region.isEmpty() ? null : new ServiceHost(service, region);
    }

    public static String serviceName(String region, String shortName) {
        return "com.amazonaws." + region + "." + shortName;
    }

    /** Every offering in a region, ordered by service name then type (Gateway before Interface). */
    public static List<Offering> offerings(String region) {
        List<Offering> out = new ArrayList<>();
        if (!Regions.exists(region)) {
            return out;
        }
        for (Service s : CATALOG) {
            if (s.gateway()) {
                out.add(new Offering(s, region, VpcEndpoint.Type.GATEWAY));
            }
            if (s.iface()) {
                out.add(new Offering(s, region, VpcEndpoint.Type.INTERFACE));
            }
        }
        return out;
    }

    /** The offering of {@code serviceName} of the given type in the region. */
    public static Optional<Offering> find(String region, String serviceName, VpcEndpoint.Type type) {
        return offerings(region).stream()
                .filter(o -> o.serviceName().equals(serviceName) && o.type() == type).findFirst();
    }

    /** Whether {@code serviceName} is an AWS service of this region, of any type. */
    public static boolean exists(String region, String serviceName) {
        return offerings(region).stream().anyMatch(o -> o.serviceName().equals(serviceName));
    }

    /** The AWS-managed prefix lists of a region, in id order. */
    public static List<PrefixList> prefixLists(String region) {
        if (!Regions.exists(region)) {
            return List.of();
        }
        List<PrefixList> out = new ArrayList<>();
        for (String svc : PREFIX_LIST_SERVICES) {
            String key = region + "/" + svc;
            String id = KNOWN_PREFIX_LIST_IDS.getOrDefault(key, "pl-" + hash(key).substring(0, 8));
            List<String> cidrs = KNOWN_CIDRS.getOrDefault(key, derivedCidrs(key));
            out.add(new PrefixList(id, serviceName(region, svc), region, cidrs));
        }
        out.sort(java.util.Comparator.comparing(PrefixList::id));
        return out;
    }

    /** The AWS-managed prefix list of a gateway service, e.g. {@code com.amazonaws.us-east-1.s3}. */
    public static Optional<PrefixList> prefixListFor(String region, String serviceName) {
        return prefixLists(region).stream().filter(p -> p.name().equals(serviceName)).findFirst();
    }

    public static Optional<PrefixList> prefixList(String region, PrefixListId id) {
        return prefixLists(region).stream().filter(p -> p.prefixListId().equals(id)).findFirst();
    }

    /** The Route 53 hosted zone that holds endpoint DNS names in a region. */
    public static String endpointHostedZone(String region) {
        String known = KNOWN_HOSTED_ZONES.get(region);
        if (known != null) {
            return known;
        }
        // Hosted zone ids are upper-case letters and digits; derive a stable one per region.
        String h = hash("hosted-zone/" + region).toUpperCase(java.util.Locale.ROOT);
        return "Z" + h.substring(0, 12);
    }

    private static List<String> derivedCidrs(String key) {
        byte[] b = digest(key);
        int second = 64 + (b[0] & 0x3f);
        int third = (b[1] & 0xfc);
        return List.of("52." + second + "." + third + ".0/22", "3.5." + (b[2] & 0xf8) + ".0/21");
    }

    static String hash(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
