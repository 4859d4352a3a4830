package dev.underpass.model;

import java.util.ArrayList;
import java.util.List;

/**
 * How Availability Zone names map to zone ids for each account ({@code serve --az-mapping}).
 *
 * <p>{@link #ALIGNED} (the default): every account sees the same mapping, the one {@link Regions} lists
 * ({@code us-east-1a} is {@code use1-az1} for everyone). {@link #PER_ACCOUNT}: as AWS does for most accounts, the
 * names of a region are given to its zone ids in an order that depends on the account, so code that lines subnets
 * up across accounts by name instead of by zone id breaks as it would in AWS. The order is a documented,
 * deterministic permutation: start from the region's zone ids in the order {@link Regions} lists them, then for
 * {@code i} from {@code n-1} down to {@code 1} swap position {@code i} with position {@code j}, where {@code j} is
 * the first eight bytes of SHA-256 of the UTF-8 text {@code <accountId>/<region>/<i>}, read as an unsigned
 * big-endian number, modulo {@code i + 1} (a Fisher–Yates shuffle); the zone names, in their listed order, then
 * take the shuffled ids one by one. The set of names and the set of ids of a region never change.
 *
 * <p>The mapping in force belongs to the {@link World}: a store opens its world with the server's mapping and every
 * world derived from it keeps it, so each server (and each test's server) has its own, and readers see the one the
 * writer used.
 */
public enum AzMapping {
    ALIGNED("aligned"),
    PER_ACCOUNT("per-account");

    private final String wire;

    AzMapping(String wire) {
        this.wire = wire;
    }

    /** The spelling on the command line. */
    public String wire() {
        return wire;
    }

    public static AzMapping fromWire(String text) {
        for (AzMapping m : values()) {
            if (m.wire.equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an AZ mapping; use aligned or per-account");
    }

    /** The zones of {@code region} as {@code accountId} sees them (names in order, ids per this mapping). */
    public List<Regions.Zone> zones(String region, String accountId) {
        return apply(Regions.zones(region), accountId, region);
    }

    /** The zone in {@code region} whose name or id is {@code nameOrId}, as {@code accountId} sees the region. */
    public java.util.Optional<Regions.Zone> zone(String region, String accountId, String nameOrId) {
        if (nameOrId == null) {
            return java.util.Optional.empty();
        }
        return zones(region, accountId).stream()
                .filter(z -> z.name().equals(nameOrId) || z.zoneId().equals(nameOrId)).findFirst();
    }

    /** The id of the zone {@code accountId} calls {@code name} in {@code region}; null for no such zone. */
    public String zoneId(String region, String accountId, String name) {
        return zone(region, accountId, name).map(Regions.Zone::zoneId).orElse(null);
    }

    /** The zones of a region as {@code accountId} sees them under this mapping, in name order. */
    public List<Regions.Zone> apply(List<Regions.Zone> zones, String accountId, String region) {
        if (this == ALIGNED || accountId == null || zones.size() < 2) {
            return zones;
        }
        List<String> ids = new ArrayList<>(zones.stream().map(Regions.Zone::zoneId).toList());
        for (int i = ids.size() - 1; i >= 1; i--) {
            int j = (int) Long.remainderUnsigned(Digests.sha256Long(accountId + "/" + region + "/" + i), i + 1);
            String t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        List<Regions.Zone> out = new ArrayList<>(zones.size());
        for (int i = 0; i < zones.size(); i++) {
            out.add(new Regions.Zone(zones.get(i).name(), ids.get(i), region));
        }
        return List.copyOf(out);
    }
}
