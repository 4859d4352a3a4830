package dev.underpass.model.ec2;

import dev.underpass.model.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The instance types underpass launches and describes: the common current families (t2, t3, t3a, t4g, m5, m6i,
 * m7g, c5, c6i, c7g, r5, r6i) in every size, plus {@code m1.small}, RunInstances' documented default type. Every
 * type is offered in every region (AWS offers some families only in some regions).
 *
 * <p>vCPUs, memory, network performance and the network-interface and per-interface address limits are AWS's
 * published figures (<a href="https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html">general purpose</a>,
 * <a href="https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html">compute optimized</a>,
 * <a href="https://docs.aws.amazon.com/ec2/latest/instancetypes/mo.html">memory optimized</a> specifications, and
 * <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html">IP addresses per network
 * interface per instance type</a>); the m5 and c5 network-performance strings match a captured DescribeInstanceTypes
 * answer (m5.12xlarge and c5.9xlarge say "10 Gigabit"). The interface limits are what a future per-instance ENI
 * quota would check.
 */
public final class InstanceTypes {
    /**
     * One instance type. {@code hypervisor} is null for bare metal; {@code ipv6PerInterface} is 0 where IPv6 is not
     * supported.
     */
    public record InstanceType(String name, int vcpus, int cores, int threadsPerCore, long memoryMiB,
            List<String> architectures, String networkPerformance, int maxInterfaces, int ipv4PerInterface,
            int ipv6PerInterface, String hypervisor, boolean burstable, boolean currentGeneration,
            boolean freeTierEligible) {
        public InstanceType {
            architectures = List.copyOf(architectures);
        }

        public String family() {
            return name.substring(0, name.indexOf('.'));
        }

        public boolean bareMetal() {
            return name.endsWith(".metal");
        }

        public boolean nitro() {
            return "nitro".equals(hypervisor) || bareMetal();
        }
    }

    /** A size row of a family table: name suffix, vCPUs, GiB, network performance, ENIs, IPv4 addresses per ENI. */
    private record Size(String size, int vcpus, double memoryGiB, String network, int enis, int ipv4) {}

    private static final String X86 = "x86_64";
    private static final String ARM = "arm64";

    private static final Map<String, InstanceType> ALL;

    static {
        List<InstanceType> all = new ArrayList<>();
        // t2: one thread per core, Xen, burstable; t2.micro is the free-tier type.
        List<Size> t2 = List.of(new Size("nano", 1, 0.5, "Low to Moderate", 2, 2),
                new Size("micro", 1, 1, "Low to Moderate", 2, 2), new Size("small", 1, 2, "Low to Moderate", 3, 4),
                new Size("medium", 2, 4, "Low to Moderate", 3, 6), new Size("large", 2, 8, "Low to Moderate", 3, 12),
                new Size("xlarge", 4, 16, "Moderate", 3, 15), new Size("2xlarge", 8, 32, "Moderate", 3, 15));
        for (Size s : t2) {
            all.add(new InstanceType("t2." + s.size(), s.vcpus(), s.vcpus(), 1, mib(s.memoryGiB()),
                    List.of(X86), s.network(), s.enis(), s.ipv4(), s.ipv4(), "xen", true, true,
                    s.size().equals("micro")));
        }
        // t3, t3a (x86, two threads per core) and t4g (Graviton2): the same sizes and limits.
        List<Size> t3 = List.of(new Size("nano", 2, 0.5, "Up to 5 Gigabit", 2, 2),
                new Size("micro", 2, 1, "Up to 5 Gigabit", 2, 2), new Size("small", 2, 2, "Up to 5 Gigabit", 3, 4),
                new Size("medium", 2, 4, "Up to 5 Gigabit", 3, 6), new Size("large", 2, 8, "Up to 5 Gigabit", 3, 12),
                new Size("xlarge", 4, 16, "Up to 5 Gigabit", 4, 15),
                new Size("2xlarge", 8, 32, "Up to 5 Gigabit", 4, 15));
        family(all, "t3", t3, X86, true);
        family(all, "t3a", t3, X86, true);
        family(all, "t4g", t3, ARM, true);
        // Fifth generation Intel (Nitro): m5, c5, r5.
        family(all, "m5", fifth(4), X86, false);
        family(all, "r5", fifth(8), X86, false);
        family(all, "c5", List.of(new Size("large", 2, 4, "Up to 10 Gigabit", 3, 10),
                new Size("xlarge", 4, 8, "Up to 10 Gigabit", 4, 15),
                new Size("2xlarge", 8, 16, "Up to 10 Gigabit", 4, 15),
                new Size("4xlarge", 16, 32, "Up to 10 Gigabit", 8, 30),
                new Size("9xlarge", 36, 72, "10 Gigabit", 8, 30),
                new Size("12xlarge", 48, 96, "12 Gigabit", 8, 30), new Size("18xlarge", 72, 144, "25 Gigabit", 15, 50),
                new Size("24xlarge", 96, 192, "25 Gigabit", 15, 50), new Size("metal", 96, 192, "25 Gigabit", 15, 50)),
                X86, false);
        // Sixth generation Intel: m6i, c6i, r6i.
        family(all, "m6i", sixth(4), X86, false);
        family(all, "c6i", sixth(2), X86, false);
        family(all, "r6i", sixth(8), X86, false);
        // Seventh generation Graviton3: m7g, c7g.
        family(all, "m7g", seventh(4), ARM, false);
        family(all, "c7g", seventh(2), ARM, false);
        // RunInstances' default type: previous generation, Xen, 1.7 GiB, 32- and 64-bit, no IPv6.
        all.add(new InstanceType("m1.small", 1, 1, 1, 1740, List.of("i386", X86), "Low", 2, 4, 0, "xen", false,
                false, false));
        ALL = all.stream().collect(Collectors.toUnmodifiableMap(InstanceType::name, Function.identity()));
    }

    private InstanceTypes() {}

    private static long mib(double gib) {
        return Math.round(gib * 1024);
    }

    /** m5 and r5 sizes; memory is {@code gibPerVcpu} per vCPU. */
    private static List<Size> fifth(int gibPerVcpu) {
        return sizes(gibPerVcpu, new String[][] {{"large", "2", "Up to 10 Gigabit", "3", "10"},
            {"xlarge", "4", "Up to 10 Gigabit", "4", "15"}, {"2xlarge", "8", "Up to 10 Gigabit", "4", "15"},
            {"4xlarge", "16", "Up to 10 Gigabit", "8", "30"}, {"8xlarge", "32", "10 Gigabit", "8", "30"},
            {"12xlarge", "48", "10 Gigabit", "8", "30"}, {"16xlarge", "64", "20 Gigabit", "15", "50"},
            {"24xlarge", "96", "25 Gigabit", "15", "50"}, {"metal", "96", "25 Gigabit", "15", "50"}});
    }

    /** m6i, c6i and r6i sizes. */
    private static List<Size> sixth(int gibPerVcpu) {
        return sizes(gibPerVcpu, new String[][] {{"large", "2", "Up to 12.5 Gigabit", "3", "10"},
            {"xlarge", "4", "Up to 12.5 Gigabit", "4", "15"}, {"2xlarge", "8", "Up to 12.5 Gigabit", "4", "15"},
            {"4xlarge", "16", "Up to 12.5 Gigabit", "8", "30"}, {"8xlarge", "32", "12.5 Gigabit", "8", "30"},
            {"12xlarge", "48", "18.75 Gigabit", "8", "30"}, {"16xlarge", "64", "25 Gigabit", "15", "50"},
            {"24xlarge", "96", "37.5 Gigabit", "15", "50"}, {"32xlarge", "128", "50 Gigabit", "15", "50"},
            {"metal", "128", "50 Gigabit", "15", "50"}});
    }

    /** m7g and c7g sizes. */
    private static List<Size> seventh(int gibPerVcpu) {
        return sizes(gibPerVcpu, new String[][] {{"medium", "1", "Up to 12.5 Gigabit", "2", "4"},
            {"large", "2", "Up to 12.5 Gigabit", "3", "10"}, {"xlarge", "4", "Up to 12.5 Gigabit", "4", "15"},
            {"2xlarge", "8", "Up to 15 Gigabit", "4", "15"}, {"4xlarge", "16", "Up to 15 Gigabit", "8", "30"},
            {"8xlarge", "32", "15 Gigabit", "8", "30"}, {"12xlarge", "48", "22.5 Gigabit", "8", "30"},
            {"16xlarge", "64", "30 Gigabit", "15", "50"}, {"metal", "64", "30 Gigabit", "15", "50"}});
    }

    private static List<Size> sizes(int gibPerVcpu, String[][] rows) {
        List<Size> out = new ArrayList<>();
        for (String[] r : rows) {
            int vcpus = Integer.parseInt(r[1]);
            out.add(new Size(r[0], vcpus, (double) vcpus * gibPerVcpu, r[2], Integer.parseInt(r[3]),
                    Integer.parseInt(r[4])));
        }
        return out;
    }

    private static void family(List<InstanceType> out, String family, List<Size> sizes, String arch,
            boolean burstable) {
        int threads = arch.equals(ARM) ? 1 : 2;
        for (Size s : sizes) {
            int cores = Math.max(1, s.vcpus() / threads);
            out.add(new InstanceType(family + "." + s.size(), s.vcpus(), cores, threads, mib(s.memoryGiB()),
                    List.of(arch), s.network(), s.enis(), s.ipv4(), s.ipv4(),
                    s.size().equals("metal") ? null : "nitro", burstable, true, false));
        }
    }

    /** Every type, by name. */
    public static List<InstanceType> all() {
        return ALL.values().stream().sorted(Comparator.comparing(InstanceType::name)).toList();
    }

    public static Optional<InstanceType> find(String name) {
        return Optional.ofNullable(name == null ? null : ALL.get(name));
    }

    /** The type RunInstances (or ModifyInstanceAttribute) may use; AWS's wording for any other. */
    public static InstanceType require(String name) {
        return find(name).orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.format(
                "Invalid value '%s' for InstanceType.", name));
    }

    /**
     * RunInstances refuses an image whose architecture the type cannot run, with AWS's wording.
     */
    public static void requireCompatible(InstanceType type, Images.Image image) {
        if (!type.architectures().contains(image.architecture())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The architecture '%s' of the specified instance type "
                    + "does not match the architecture '%s' of the specified AMI. Specify an instance type and an "
                    + "AMI that have matching architectures, and try again. You can use 'describe-instance-types' or "
                    + "'describe-images' to discover the architecture of the instance type or AMI.",
                    String.join(", ", type.architectures()), image.architecture());
        }
    }
}
