package dev.underpass.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commercial AWS regions with their Availability Zones. Each zone has a name ({@code us-east-1a}) and a zone
 * id ({@code use1-az1}). The lookups here give the mapping listed (the aligned one); AWS maps names to ids
 * differently per account, and how an account sees a region is its world's {@link AzMapping} ({@link
 * World#azMapping()}, chosen by {@code serve --az-mapping}).
 */
public final class Regions {
    /** One Availability Zone. */
    public record Zone(String name, String zoneId, String region) {}

    /** One region, its zones in name order, and whether it needs opting in. */
    public record Region(String name, String shortId, boolean optIn, List<Zone> zones) {
        public String endpoint() {
            return "ec2." + name + ".amazonaws.com";
        }
    }

    private static final Map<String, Region> REGIONS = new LinkedHashMap<>();

    static {
        add("us-east-1", "use1", false, "a:1", "b:2", "c:4", "d:6", "e:3", "f:5");
        add("us-east-2", "use2", false, "a:1", "b:2", "c:3");
        add("us-west-1", "usw1", false, "b:1", "c:3");
        add("us-west-2", "usw2", false, "a:1", "b:2", "c:3", "d:4");
        add("af-south-1", "afs1", true, "a:1", "b:2", "c:3");
        add("ap-east-1", "ape1", true, "a:1", "b:2", "c:3");
        add("ap-east-2", "ape2", true, "a:1", "b:2", "c:3");
        add("ap-south-1", "aps1", false, "a:1", "b:3", "c:2");
        add("ap-south-2", "aps2", true, "a:1", "b:2", "c:3");
        add("ap-southeast-1", "apse1", false, "a:1", "b:2", "c:3");
        add("ap-southeast-2", "apse2", false, "a:1", "b:3", "c:2");
        add("ap-southeast-3", "apse3", true, "a:1", "b:2", "c:3");
        add("ap-southeast-4", "apse4", true, "a:1", "b:2", "c:3");
        add("ap-southeast-5", "apse5", true, "a:1", "b:2", "c:3");
        add("ap-southeast-7", "apse7", true, "a:1", "b:2", "c:3");
        add("ap-northeast-1", "apne1", false, "a:4", "c:1", "d:2");
        add("ap-northeast-2", "apne2", false, "a:1", "b:2", "c:3", "d:4");
        add("ap-northeast-3", "apne3", false, "a:3", "b:1", "c:2");
        add("ca-central-1", "cac1", false, "a:1", "b:2", "d:4");
        add("ca-west-1", "caw1", true, "a:1", "b:2", "c:3");
        add("eu-central-1", "euc1", false, "a:1", "b:2", "c:3");
        add("eu-central-2", "euc2", true, "a:1", "b:2", "c:3");
        add("eu-west-1", "euw1", false, "a:1", "b:2", "c:3");
        add("eu-west-2", "euw2", false, "a:2", "b:3", "c:1");
        add("eu-west-3", "euw3", false, "a:1", "b:2", "c:3");
        add("eu-south-1", "eus1", true, "a:1", "b:2", "c:3");
        add("eu-south-2", "eus2", true, "a:1", "b:2", "c:3");
        add("eu-north-1", "eun1", false, "a:1", "b:2", "c:3");
        add("il-central-1", "ilc1", true, "a:1", "b:2", "c:3");
        add("me-south-1", "mes1", true, "a:1", "b:2", "c:3");
        add("me-central-1", "mec1", true, "a:1", "b:2", "c:3");
        add("mx-central-1", "mxc1", true, "a:1", "b:2", "c:3");
        add("sa-east-1", "sae1", false, "a:1", "b:2", "c:3");
    }

    private Regions() {}

    private static void add(String name, String shortId, boolean optIn, String... zones) {
        List<Zone> list = java.util.Arrays.stream(zones)
                .map(z -> new Zone(name + z.substring(0, 1), shortId + "-az" + z.substring(2), name))
                .toList();
        REGIONS.put(name, new Region(name, shortId, optIn, list));
    }

    public static List<Region> all() {
        return List.copyOf(REGIONS.values());
    }

    public static Optional<Region> find(String name) {
        return Optional.ofNullable(REGIONS.get(name));
    }

    public static boolean exists(String name) {
        return REGIONS.containsKey(name);
    }

    /** The zone in {@code region} whose name or zone id is {@code nameOrId}. */
    public static Optional<Zone> zone(String region, String nameOrId) {
        Region r = REGIONS.get(region);
        if (r == null || nameOrId == null) {
            return Optional.empty();
        }
        return r.zones().stream().filter(z -> z.name().equals(nameOrId) || z.zoneId().equals(nameOrId)).findFirst();
    }

    public static List<Zone> zones(String region) {
        Region r = REGIONS.get(region);
        return r == null ? List.of() : r.zones();
    }
}
