package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Managed prefix lists: the AWS-managed ones of a region (read-only, owner {@code AWS}, from {@link AwsServices})
 * and the caller's customer-managed ones, with AWS's versioning: every change of entries makes a new version,
 * {@code CurrentVersion} must name the version a change starts from, and an old version can be restored (which
 * makes yet another version). Route tables and security group rules reference lists by id through
 * {@link #exists}; {@link #associations} finds those references.
 *
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html">Managed prefix lists</a>
 */
public final class PrefixLists {
    public static final String AWS_OWNER = "AWS";
    public static final int MAX_ENTRIES_LIMIT = 1000;
    /** AWS keeps the last 1,000 versions of a list. */
    public static final int KEPT_VERSIONS = 1000;

    private PrefixLists() {}

    /**
     * A prefix list as the Describe and Get calls show it, whichever kind: {@code stored} is null for AWS-managed
     * lists, which have no version, size or tags.
     */
    public record View(String id, String name, String ownerId, String addressFamily, ManagedPrefixList.State state,
            String arn,
            Integer maxEntries, Long version, Map<String, String> tags, List<ManagedPrefixList.Entry> entries,
            ManagedPrefixList stored) {

        public boolean awsManaged() {
            return stored == null;
        }

        /** The list's id, typed. */
        public PrefixListId prefixListId() {
            return new PrefixListId(id);
        }

        static View of(AwsServices.PrefixList p) {
            return new View(p.id(), p.name(), AWS_OWNER, "IPv4", ManagedPrefixList.State.CREATE_COMPLETE, p.arn(), null,
                    null, Map.of(),
                    p.cidrs().stream().map(c -> new ManagedPrefixList.Entry(c, null)).toList(), null);
        }

        public static View of(ManagedPrefixList p) {
            return new View(p.id(), p.name(), p.ownerId(), p.addressFamily(), p.state(), p.arn(), p.maxEntries(),
                    p.version(), p.tags(), p.entries(), p);
        }
    }

    /** A request to create a customer-managed list. */
    public record Create(String name, String addressFamily, Integer maxEntries, List<ManagedPrefixList.Entry> entries,
            Map<String, String> tags) {}

    /** A request to modify a list; null members leave that part alone. */
    public record Modify(PrefixListId id, Long currentVersion, String name, List<ManagedPrefixList.Entry> add,
            List<String> remove, Integer maxEntries) {}

    /** A reference to a list from a route table or security group. */
    public record Association(String resourceId, String resourceOwner) {}

    /** Every list the caller can see (its own and those shared with it), AWS-managed first, each group in id order. */
    public static List<View> visible(World world, Caller caller) {
        List<View> out = new ArrayList<>();
        AwsServices.prefixLists(caller.region()).forEach(p -> out.add(View.of(p)));
        Scoped.visible(world, caller, ManagedPrefixList.class).forEach(p -> out.add(View.of(p)));
        return out;
    }

    /** The list, AWS-managed or the caller's, or AWS's Malformed/NotFound error. */
    public static View require(World world, Caller caller, PrefixListId id) {
        if (ResourceId.absent(id)) {
            throw Ec2Errors.missingParameter("PrefixListId");
        }
        Ids.require("pl", id.value(), ErrorCode.INVALID_PREFIX_LIST_ID_MALFORMED);
        Optional<AwsServices.PrefixList> aws = AwsServices.prefixList(caller.region(), id);
        if (aws.isPresent()) {
            return View.of(aws.get());
        }
        return View.of(Lookup.require(world, caller, Kind.PREFIX_LIST, ManagedPrefixList.class, id));
    }

    /**
     * Whether the caller may reference the list (in a route or a security group rule): an AWS-managed list of the
     * caller's region or a customer-managed list it can see. For the route-table and security-group handlers.
     */
    public static boolean exists(World world, Caller caller, PrefixListId id) {
        if (id == null || !Ids.wellFormed("pl", id.value())) {
            return false;
        }
        return AwsServices.prefixList(caller.region(), id).isPresent()
                || world.find(ManagedPrefixList.class, id).filter(p -> Visibility.visible(world, caller, p))
                        .isPresent();
    }

    /** The CIDRs of the current version of a list the caller can see, or empty when it cannot. */
    public static List<String> cidrs(World world, Caller caller, PrefixListId id) {
        if (!exists(world, caller, id)) {
            return List.of();
        }
        return require(world, caller, id).entries().stream().map(ManagedPrefixList.Entry::cidr).toList();
    }

    public static ManagedPrefixList create(Tx tx, Create cmd) {
        Caller caller = tx.caller();
        String name = cmd.name();
        if (name == null || name.isEmpty()) {
            throw Ec2Errors.missingParameter("PrefixListName");
        }
        checkName(name);
        String family = cmd.addressFamily();
        if (family == null || family.isEmpty()) {
            throw Ec2Errors.missingParameter("AddressFamily");
        }
        if (!family.equals("IPv4") && !family.equals("IPv6")) {
            throw Ec2Errors.invalidValue(family, "AddressFamily", "Valid values: IPv4, IPv6.");
        }
        if (cmd.maxEntries() == null) {
            throw Ec2Errors.missingParameter("MaxEntries");
        }
        int max = checkMaxEntries(cmd.maxEntries());
        Map<String, ManagedPrefixList.Entry> entries = new LinkedHashMap<>();
        for (ManagedPrefixList.Entry e : cmd.entries()) {
            ManagedPrefixList.Entry checked = checkEntry(e, family);
            if (entries.putIfAbsent(checked.cidr(), checked) != null) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The CIDR %s is given more than once.", e.cidr());
            }
        }
        checkCount(entries.size(), max, null);
        ManagedPrefixList list = new ManagedPrefixList(Ids.next("pl"), caller.accountId(), caller.region(), name,
                family, max, 1, ManagedPrefixList.State.CREATE_COMPLETE,
                List.of(new ManagedPrefixList.Version(1, List.copyOf(entries.values()))), tx.now(), cmd.tags());
        return tx.put(list);
    }

    public static ManagedPrefixList modify(Tx tx, Modify cmd) {
        ManagedPrefixList list = requireOwnedCustomer(tx, cmd.id());
        boolean entryChange = !cmd.add().isEmpty() || !cmd.remove().isEmpty();
        if (cmd.maxEntries() != null && entryChange) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "You cannot modify the entries of a prefix list and modify the size of a prefix list at the same "
                            + "time.");
        }
        if (cmd.currentVersion() != null) {
            checkVersion(list, cmd.currentVersion());
        } else if (entryChange) {
            throw Ec2Errors.missingParameter("CurrentVersion");
        }
        String name = list.name();
        if (cmd.name() != null && !cmd.name().isEmpty()) {
            checkName(cmd.name());
            name = cmd.name();
        }
        int max = list.maxEntries();
        if (cmd.maxEntries() != null) {
            max = checkMaxEntries(cmd.maxEntries());
            if (max < list.entries().size()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The prefix list %s has %d entries, more than the "
                        + "requested MaxEntries of %d.", list.id(), list.entries().size(), max);
            }
        }
        long version = list.version();
        List<ManagedPrefixList.Version> versions = list.versions();
        if (entryChange) {
            Map<String, ManagedPrefixList.Entry> entries = new LinkedHashMap<>();
            list.entries().forEach(e -> entries.put(e.cidr(), e));
            for (String cidr : cmd.remove()) {
                String key = normalise(cidr, list.addressFamily());
                if (entries.remove(key) == null) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "The CIDR %s is not an entry of prefix list %s.", cidr, list.id());
                }
            }
            for (ManagedPrefixList.Entry e : cmd.add()) {
                ManagedPrefixList.Entry checked = checkEntry(e, list.addressFamily());
                entries.put(checked.cidr(), checked);
            }
            checkCount(entries.size(), max, list.id());
            version = list.version() + 1;
            versions = appendVersion(list, new ManagedPrefixList.Version(version, List.copyOf(entries.values())));
        }
        return tx.put(list.with(name, max, version, ManagedPrefixList.State.MODIFY_COMPLETE, versions));
    }

    public static ManagedPrefixList restore(Tx tx, PrefixListId id, Long previousVersion, Long currentVersion) {
        ManagedPrefixList list = requireOwnedCustomer(tx, id);
        if (previousVersion == null) {
            throw Ec2Errors.missingParameter("PreviousVersion");
        }
        if (currentVersion == null) {
            throw Ec2Errors.missingParameter("CurrentVersion");
        }
        checkVersion(list, currentVersion);
        List<ManagedPrefixList.Entry> old = list.entriesAt(previousVersion);
        if (old == null || previousVersion >= list.version()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Version %d of prefix list %s is not a previous version of it.", previousVersion, list.id());
        }
        checkCount(old.size(), list.maxEntries(), list.id());
        long version = list.version() + 1;
        return tx.put(list.with(list.name(), list.maxEntries(), version, ManagedPrefixList.State.RESTORE_COMPLETE,
                appendVersion(list, new ManagedPrefixList.Version(version, old))));
    }

    /** Deletes a list nothing references any more. */
    public static ManagedPrefixList delete(Tx tx, PrefixListId id) {
        ManagedPrefixList list = requireOwnedCustomer(tx, id);
        List<Association> uses = associations(tx.world(), list.ownerId(), list.region(), list.prefixListId());
        if (!uses.isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format("The prefix list %s is referenced by %s and cannot be "
                    + "deleted.", list.id(), String.join(", ", uses.stream().map(Association::resourceId).toList()));
        }
        tx.remove(list);
        return list;
    }

    /**
     * The route tables and security groups of one account in one region that reference the list, in id order. A
     * customer-managed list can only be referenced by its owner's resources (sharing lists is not modelled); an
     * AWS-managed one by anyone's, and each account sees its own references.
     */
    public static List<Association> associations(World world, String accountId, String region, PrefixListId id) {
        List<Association> out = new ArrayList<>();
        for (RouteTable t : Index.owned(world, RouteTable.class, accountId, region)) {
            if (t.routes().stream()
                    .anyMatch(
                            r -> r.destination() instanceof AddressSet.PrefixList pl && id.equals(pl.prefixListId()))) {
                out.add(new Association(t.id(), t.ownerId()));
            }
        }
        for (SecurityGroup g : Index.owned(world, SecurityGroup.class, accountId, region)) {
            if (g.rules().stream().anyMatch(r -> r.peer().equals(new AddressSet.PrefixList(id)))) {
                out.add(new Association(g.id(), g.ownerId()));
            }
        }
        return out;
    }

    private static ManagedPrefixList requireOwnedCustomer(Tx tx, PrefixListId id) {
        if (id != null && Ids.wellFormed("pl", id.value())
                && AwsServices.prefixList(tx.caller().region(), id).isPresent()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "The prefix list %s is managed by AWS and cannot be modified or deleted.", id);
        }
        if (ResourceId.absent(id)) {
            throw Ec2Errors.missingParameter("PrefixListId");
        }
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.PREFIX_LIST, ManagedPrefixList.class, id);
    }

    private static void checkVersion(ManagedPrefixList list, long currentVersion) {
        if (currentVersion != list.version()) {
            throw ErrorCode.PREFIX_LIST_VERSION_MISMATCH.format("The prefix list %s has version %d, but the request "
                    + "gives CurrentVersion %d.", list.id(), list.version(), currentVersion);
        }
    }

    private static List<ManagedPrefixList.Version> appendVersion(ManagedPrefixList list,
            ManagedPrefixList.Version next) {
        List<ManagedPrefixList.Version> versions = new ArrayList<>(list.versions());
        versions.add(next);
        while (versions.size() > KEPT_VERSIONS) {
            versions.remove(0);
        }
        return versions;
    }

    private static void checkName(String name) {
        if (name.length() > 255) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with("The prefix list name may be at most 255 characters long.");
        }
        if (name.startsWith("com.amazonaws")) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "The prefix list name '%s' is invalid: names may not start with com.amazonaws.", name);
        }
    }

    private static int checkMaxEntries(int max) {
        if (max < 1 || max > MAX_ENTRIES_LIMIT) {
            throw Ec2Errors.invalidValue(max, "MaxEntries",
                    String.format("It must be between 1 and %d.", MAX_ENTRIES_LIMIT));
        }
        return max;
    }

    private static void checkCount(int count, int max, String id) {
        if (count > max) {
            throw ErrorCode.PREFIX_LIST_MAX_ENTRIES_EXCEEDED.format("The prefix list%s would have %d entries, more "
                    + "than its MaxEntries of %d.", id == null ? "" : " " + id, count, max);
        }
    }

    private static ManagedPrefixList.Entry checkEntry(ManagedPrefixList.Entry e, String family) {
        if (e.cidr() == null || e.cidr().isEmpty()) {
            throw Ec2Errors.missingParameter("Entry.N.Cidr");
        }
        if (e.description() != null && e.description().length() > 255) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "The description of entry %s may be at most 255 characters long.", e.cidr());
        }
        return new ManagedPrefixList.Entry(normalise(e.cidr(), family), e.description());
    }

    /** The CIDR in canonical form, or InvalidParameterValue when it is not a block of the list's family. */
    private static String normalise(String cidr, String family) {
        if (family.equals("IPv4")) {
            try {
                Cidr parsed = Cidr.parse(cidr);
                return parsed.toString();
            } catch (IllegalArgumentException e) {
                throw invalidCidr(cidr, family);
            }
        }
        int slash = cidr.indexOf('/');
        if (slash < 0 || cidr.indexOf(':') < 0) {
            throw invalidCidr(cidr, family);
        }
        try {
            int prefix = dev.underpass.model.AsciiDigits.parseUnsigned(cidr.substring(slash + 1), 128);
            String literal = cidr.substring(0, slash);
            // ASCII hex, colons and dots only: such a literal is parsed, never looked up in DNS.
            if (literal.isEmpty() || !literal.chars().allMatch(
                    c -> dev.underpass.model.AsciiDigits.hexValue((char) c) >= 0 || c == ':' || c == '.')) {
                throw invalidCidr(cidr, family);
            }
            byte[] bytes = java.net.InetAddress.getByName(literal).getAddress();
            if (bytes.length != 16 || prefix < 0 || prefix > 128) {
                throw invalidCidr(cidr, family);
            }
            for (int bit = prefix; bit < 128; bit++) {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                    throw invalidCidr(cidr, family);
                }
            }
            // IPv6 blocks are kept as written (lower-cased); AWS's own compression is not reproduced.
            return cidr.toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw invalidCidr(cidr, family);
        }
    }

    private static dev.underpass.model.AwsException invalidCidr(String cidr, String family) {
        return ErrorCode.INVALID_PARAMETER_VALUE.format("The CIDR '%s' is not a valid %s CIDR block.", cidr, family);
    }
}
