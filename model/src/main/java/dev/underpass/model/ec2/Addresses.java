package dev.underpass.model.ec2;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.HashSet;
import java.util.Set;

/**
 * Private IPv4 allocation within a subnet. The first four addresses (network, VPC router, DNS, future use) and the
 * last (broadcast) are never handed out. Allocation takes the lowest free address, which is deterministic; all
 * allocation happens on the store's single writer, so two concurrent creates can never get the same address.
 */
public final class Addresses {
    private Addresses() {}

    /** Every private address held by a network interface in the subnet. */
    public static Set<Integer> used(World world, SubnetId subnetId) {
        Set<Integer> used = new HashSet<>();
        for (NetworkInterface eni : Scoped.interfacesIn(world, subnetId)) {
            for (NetworkInterface.PrivateIp ip : eni.privateIps()) {
                used.add(Ipv4.parse(ip.address()));
            }
        }
        return used;
    }

    /** Whether the address is one of the five AWS reserves in this block. */
    public static boolean reserved(Cidr block, int address) {
        long offset = Integer.toUnsignedLong(address) - Integer.toUnsignedLong(block.first());
        return offset < 4 || address == block.last();
    }

    /** The lowest free address, or {@code InsufficientFreeAddressesInSubnet}. */
    public static String allocate(World world, Subnet subnet, Set<Integer> alsoTaken) {
        requireIpv4(subnet);
        Cidr block = Cidr.parse(subnet.cidrBlock());
        Set<Integer> used = used(world, subnet.subnetId());
        for (long a = Integer.toUnsignedLong(block.first()) + 4; a < Integer.toUnsignedLong(block.last()); a++) {
            int address = (int) a;
            if (!used.contains(address) && !alsoTaken.contains(address)) {
                return Ipv4.format(address);
            }
        }
        throw ErrorCode.INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET.format(
                "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.",
                subnet.subnetId());
    }

    /**
     * Checks a caller-chosen address: inside the subnet, not reserved, not in use. Returns it normalised.
     */
    public static String claim(World world, Subnet subnet, String requested, Set<Integer> alsoTaken) {
        int address;
        try {
            address = Ipv4.parse(requested);
        } catch (IllegalArgumentException e) {
            throw Ec2Errors.invalidValue(requested, "privateIpAddress", "This is not a valid IPv4 address.");
        }
        requireIpv4(subnet);
        Cidr block = Cidr.parse(subnet.cidrBlock());
        if (!block.contains(address)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Address %s does not fall within the subnet's address range", requested);
        }
        if (reserved(block, address)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Address %s is in subnet's reserved address range", requested);
        }
        if (used(world, subnet.subnetId()).contains(address) || alsoTaken.contains(address)) {
            throw ErrorCode.INVALID_IP_ADDRESS_IN_USE.format("Address %s is in use.", requested);
        }
        return Ipv4.format(address);
    }

    /** An IPv6-only subnet has no private IPv4 addresses to give. */
    private static void requireIpv4(Subnet subnet) {
        if (subnet.cidrBlock() == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Subnet %s is an IPv6-only subnet and has no IPv4 addresses.", subnet.subnetId());
        }
    }
}
