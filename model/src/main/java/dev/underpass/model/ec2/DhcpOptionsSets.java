package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.net.Ipv4;
import dev.underpass.model.net.Ipv6Cidrs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DHCP options sets, after the VPC guide's
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_DHCP_Options.html">DHCP option sets</a> chapter and
 * the API reference for CreateDhcpOptions, AssociateDhcpOptions and DeleteDhcpOptions.
 *
 * <p>Each account has a default set per region ({@code domain-name} {@code ec2.internal} in us-east-1 and
 * {@code <region>.compute.internal} elsewhere, {@code domain-name-servers} {@code AmazonProvidedDNS}), created with
 * its first VPC; every new VPC, the default VPC included, uses it. Sets never change once created. A VPC may be given
 * another set, or none ({@code default}, which DescribeVpcs then shows as the VPC's {@code DhcpOptionsId}). A set a
 * VPC uses cannot be deleted; the default set can be once no VPC uses it, and the next VPC gets a new one.
 *
 * <p>Validation follows CreateDhcpOptions' documented limits: known keys only, each key once, up to four servers per
 * server option ({@code AmazonProvidedDNS} or IPv4 addresses for DNS, IPv4 or IPv6 addresses for NTP), one
 * {@code netbios-node-type} of 1, 2, 4 or 8, one {@code domain-name}, and a preferred IPv6 lease time of 140 to
 * 2147483647 seconds.
 */
public final class DhcpOptionsSets {
    /** The DNS server value naming Amazon's resolver. */
    public static final String AMAZON_PROVIDED_DNS = "AmazonProvidedDNS";
    /** The pseudo-id that associates no options set with a VPC. */
    public static final String NONE = "default";

    private static final List<String> KEYS = List.of("domain-name", "domain-name-servers", "ntp-servers",
            "netbios-name-servers", "netbios-node-type", "ipv6-address-preferred-lease-time");
    private static final int MAX_SERVERS = 4;

    private DhcpOptionsSets() {}

    /** Creates a set from (key, values) pairs in the order given. */
    public static DhcpOptions create(Tx tx, List<DhcpOptions.Configuration> configurations, Map<String, String> tags) {
        Caller caller = tx.caller();
        if (configurations == null || configurations.isEmpty()) {
            throw Ec2Errors.missingParameter("dhcpConfiguration");
        }
        Set<String> seen = new HashSet<>();
        List<DhcpOptions.Configuration> checked = new ArrayList<>();
        for (DhcpOptions.Configuration c : configurations) {
            if (c.key() == null || c.key().isEmpty()) {
                throw Ec2Errors.missingParameter("dhcpConfiguration.N.Key");
            }
            if (!KEYS.contains(c.key())) {
                throw Ec2Errors.invalidValue(c.key(), "name", "Unknown DHCP option");
            }
            if (!seen.add(c.key())) {
                throw Ec2Errors.invalidValue(c.key(), "name", "The DHCP option is specified more than once");
            }
            if (c.values().isEmpty() || c.values().stream().anyMatch(v -> v == null || v.isEmpty())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value for parameter %s is invalid. A value must be specified", c.key());
            }
            checkValues(c.key(), c.values());
            checked.add(c);
        }
        return tx.put(new DhcpOptions(Ids.next("dopt"), caller.accountId(), caller.region(), checked, false, tags));
    }

    private static void checkValues(String key, List<String> values) {
        switch (key) {
            case "domain-name" -> single(key, values);
            case "domain-name-servers" -> {
                atMostFour(key, values);
                for (String v : values) {
                    if (!v.equals(AMAZON_PROVIDED_DNS) && !Ipv4.isValid(v)) {
                        throw invalid(key, v, "It must be AmazonProvidedDNS or an IPv4 address");
                    }
                }
            }
            case "ntp-servers" -> {
                atMostFour(key, values);
                for (String v : values) {
                    if (!Ipv4.isValid(v) && Ipv6Cidrs.canonical(v + "/128", false) == null) {
                        throw invalid(key, v, "It must be an IPv4 or IPv6 address");
                    }
                }
            }
            case "netbios-name-servers" -> {
                atMostFour(key, values);
                for (String v : values) {
                    if (!Ipv4.isValid(v)) {
                        throw invalid(key, v, "It must be an IPv4 address");
                    }
                }
            }
            case "netbios-node-type" -> {
                single(key, values);
                if (!List.of("1", "2", "4", "8").contains(values.get(0))) {
                    throw invalid(key, values.get(0), "Valid values: 1, 2, 4, 8");
                }
            }
            case "ipv6-address-preferred-lease-time" -> {
                single(key, values);
                long seconds;
                try {
                    seconds = Long.parseLong(values.get(0));
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (seconds < 140 || seconds > Integer.MAX_VALUE) {
                    throw invalid(key, values.get(0), "It must be between 140 and 2147483647 seconds");
                }
            }
            default -> throw new IllegalStateException(key);
        }
    }

    private static void single(String key, List<String> values) {
        if (values.size() > 1) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value for parameter %s is invalid. Only one value may be specified", key);
        }
    }

    private static void atMostFour(String key, List<String> values) {
        if (values.size() > MAX_SERVERS) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value for parameter %s is invalid. At most %d servers may be specified", key, MAX_SERVERS);
        }
    }

    private static dev.underpass.model.AwsException invalid(String key, String value, String why) {
        return Ec2Errors.invalidValue(value, key, why);
    }

    /** Deletes a set no VPC uses. */
    public static void delete(Tx tx, DhcpOptionsId id) {
        DhcpOptions set = owned(tx, id);
        // Only the set's owner can associate it, so only its own VPCs in the region can use it.
        if (!Scoped.owned(tx.world(), tx.caller(), Vpc.class, v -> set.dhcpOptionsId().equals(v.dhcpOptionsId()))
                .isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The dhcpOptions '%s' has dependencies and cannot be deleted.", set.id());
        }
        tx.remove(set);
    }

    /** Gives a VPC a set of the caller's, or none ({@code default}). */
    public static void associate(Tx tx, DhcpOptionsId dhcpOptionsId, VpcId vpcId) {
        if (ResourceId.absent(dhcpOptionsId)) {
            throw Ec2Errors.missingParameter("DhcpOptionsId");
        }
        DhcpOptionsId id =
                NONE.equals(dhcpOptionsId.value()) ? dhcpOptionsId : owned(tx, dhcpOptionsId).dhcpOptionsId();
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        tx.put(vpc.withDhcpOptionsId(id));
    }

    /** The id of the caller's default set in its region, creating the set when there is none (yet, or any more). */
    static DhcpOptionsId regionDefault(Tx tx) {
        Caller caller = tx.caller();
        for (DhcpOptions d : Scoped.owned(tx.world(), caller, DhcpOptions.class, DhcpOptions::regionDefault)) {
            return d.dhcpOptionsId();
        }
        // The first default set keeps the id VPCs stored before sets were modelled already name.
        String id = Vpcs.defaultDhcpOptions(caller);
        if (tx.world().findAny(id).isPresent()) {
            id = Ids.next("dopt");
        }
        String domain = caller.region().equals("us-east-1") ? "ec2.internal" : caller.region() + ".compute.internal";
        tx.put(new DhcpOptions(id, caller.accountId(), caller.region(), List.of(
                new DhcpOptions.Configuration("domain-name", List.of(domain)),
                new DhcpOptions.Configuration("domain-name-servers", List.of(AMAZON_PROVIDED_DNS))), true, Map.of()));
        return new DhcpOptionsId(id);
    }

    private static DhcpOptions owned(Tx tx, DhcpOptionsId id) {
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.DHCP_OPTIONS, DhcpOptions.class, id);
    }
}
