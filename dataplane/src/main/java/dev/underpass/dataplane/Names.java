package dev.underpass.dataplane;

import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterfaces;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names the data plane's DNS server answers, as a pure function of a world and its loopback addresses:
 *
 * <ul>
 *   <li>an interface endpoint's Regional name → all its interfaces' addresses, and each zonal name → the interface
 *       in that zone (public names: answered to any asker, as AWS's are);
 *   <li>an endpoint service's private DNS name → the endpoint's interfaces, only to askers inside the endpoint's VPC,
 *       when the endpoint has private DNS enabled and the VPC has DNS support and DNS hostnames;
 *   <li>a Network Load Balancer's DNS name → its nodes' addresses;
 *   <li>an instance interface's private DNS name ({@code ip-10-0-1-5.ec2.internal}) → its address, only to askers
 *       in the same VPC.
 * </ul>
 *
 * Anything else is NXDOMAIN. The asker is known by its source address: the interface it stands for, hence its VPC
 * (an asker at 127.0.0.1 is in no VPC and gets the public names only).
 */
public final class Names {
    /** One answer: an address, visible to askers in {@code vpcId} only, or to everyone when it is null. */
    record Entry(String loopback, String vpcId) {}

    private final Map<String, List<Entry>> byName;

    private Names(Map<String, List<Entry>> byName) {
        this.byName = byName;
    }

    public static Names of(World world, LoopbackAddresses book) {
        Map<String, List<Entry>> out = new HashMap<>();
        for (VpcEndpoint e : world.all(VpcEndpoint.class)) {
            if (!e.isInterface()) {
                continue;
            }
            List<LoopbackAddresses.Address> enis = new ArrayList<>();
            for (String id : e.networkInterfaceIds()) {
                book.ofInterface(id).ifPresent(enis::add);
            }
            if (enis.isEmpty()) {
                continue;
            }
            Vpc vpc = world.find(Vpc.class, e.vpcId()).orElse(null);
            boolean vpcDns = vpc != null && vpc.enableDnsSupport() && vpc.enableDnsHostnames();
            for (VpcEndpoint.DnsEntry entry : e.dnsEntries()) {
                String name = normalize(entry.dnsName());
                if (!name.endsWith(".vpce.amazonaws.com")) {
                    // The service's private DNS name (or an AWS service's), in the endpoint's private hosted zone.
                    if (e.privateDnsEnabled() && vpcDns) {
                        for (LoopbackAddresses.Address a : enis) {
                            add(out, name, new Entry(a.loopback(), e.vpcId()));
                        }
                    }
                    continue;
                }
                boolean zonal = false;
                for (LoopbackAddresses.Address a : enis) {
                    if (a.availabilityZone() != null && name.startsWith(normalize(e.id()) + "-")
                            && name.contains("-" + a.availabilityZone() + ".")) {
                        add(out, name, new Entry(a.loopback(), null));
                        zonal = true;
                    }
                }
                if (!zonal) {
                    for (LoopbackAddresses.Address a : enis) {
                        add(out, name, new Entry(a.loopback(), null));
                    }
                }
            }
        }
        for (LoadBalancer lb : world.all(LoadBalancer.class)) {
            if (lb.isApplication()) {
                continue;
            }
            for (LoadBalancer.Zone z : lb.zones()) {
                book.ofInterface(z.networkInterfaceId()).ifPresent(a ->
                        add(out, normalize(lb.dnsName()), new Entry(a.loopback(), null)));
            }
        }
        for (LoopbackAddresses.Address a : book.all()) {
            if (a.role() == LoopbackAddresses.Role.INSTANCE) {
                add(out, normalize(NetworkInterfaces.privateDnsName(a.region(), a.privateIp())),
                        new Entry(a.loopback(), a.vpcId()));
            }
        }
        return new Names(out);
    }

    private static void add(Map<String, List<Entry>> out, String name, Entry e) {
        List<Entry> list = out.computeIfAbsent(name, k -> new ArrayList<>());
        if (!list.contains(e)) {
            list.add(e);
        }
    }

    static String normalize(String name) {
        if (name == null) {
            return "";
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * The addresses {@code name} has for an asker at {@code askerLoopback}; null when the name does not exist for
     * it (NXDOMAIN).
     */
    public List<String> resolve(String name, LoopbackAddresses book, String askerLoopback) {
        List<Entry> entries = byName.get(normalize(name));
        if (entries == null) {
            return null;
        }
        String vpc = book.atLoopback(askerLoopback).map(LoopbackAddresses.Address::vpcId).orElse(null);
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.vpcId() == null || e.vpcId().equals(vpc)) {
                out.add(e.loopback());
            }
        }
        return out.isEmpty() ? null : out;
    }
}
