package dev.underpass.dataplane;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.Instances;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.NetworkInterfaces;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The names the data plane's DNS server answers, as a pure function of a world and its loopback addresses:
 *
 * <ul>
 *   <li>an interface endpoint's Regional name → all its interfaces' addresses, and each zonal name → the interface
 *       in that zone (public names: answered to any asker, as AWS's are);
 *   <li>an endpoint service's private DNS name → the endpoint's interfaces, only to askers inside the endpoint's VPC,
 *       when the endpoint has private DNS enabled and the VPC has DNS support and DNS hostnames;
 *   <li>a Network Load Balancer's DNS name → the addresses of its nodes that are up: a node is up while, for each
 *       target group its listeners forward to, it can send a new flow to a healthy target (one in its zone, or in
 *       any zone with cross-zone load balancing on). A zone with no registered target is down like a zone whose
 *       targets all failed, as AWS takes a zone out of DNS when a target group has no healthy target there. When
 *       no node is up, all of them (fail-open). Which nodes are up is asked of the caller ({@link NodeHealth}: the
 *       relay's own health test), so that this stays a function of the world;
 *   <li>an instance interface's private DNS name ({@code ip-10-0-1-5.ec2.internal}) → its address, only to askers
 *       in the same VPC;
 *   <li>an instance's resource name ({@code i-0123456789abcdef0.ec2.internal}, elsewhere
 *       {@code i-….<region>.compute.internal}) → its primary interface's address, only to askers in the same VPC,
 *       when the instance's own {@code PrivateDnsNameOptions} has the resource-name A record on. The instance took
 *       it at launch (from RunInstances or its subnet's {@code EnableResourceNameDnsARecordOnLaunch}) and keeps it
 *       when the subnet's setting changes; ModifyPrivateDnsNameOptions changes it. Instances stored before the
 *       option was kept read their subnet's current setting ({@link Instances#dnsNameOptions}). The name answers
 *       whatever the hostname type, as AWS's resolver does.
 * </ul>
 *
 * AAAA questions get the IPv6 addresses of the same interfaces, where there are some: an endpoint's names when its
 * DNS record IP type is {@code dualstack}, {@code ipv6} or {@code service-defined}, an instance's resource name when
 * its own AAAA switch is on. A name that exists without an address of the asked family answers NOERROR and no record.
 * Anything else is NXDOMAIN. The asker is known by its source address: the interface it stands for, hence its VPC
 * (an asker at 127.0.0.1 is in no VPC and gets the public names only).
 */
public final class Names {
    /**
     * One answer: an address, visible to askers in {@code vpcId} only, or to everyone when it is null; for a load
     * balancer's node, its ARN and zone name (else both null).
     */
    record Entry(String loopback, VpcId vpcId, String lbArn, String zone) {
        Entry(String loopback, VpcId vpcId) {
            this(loopback, vpcId, null, null);
        }
    }

    /** Every node is up: DNS answers without health (tests, a data plane with no checks). */
    public static final BiPredicate<String, String> ALL_UP = (lb, zone) -> true;

    private final Map<String, List<Entry>> byName;
    /**
     * AAAA answers: an endpoint's names and an instance's resource name → the interfaces' IPv6 addresses (their
     * VPC's, not loopback ones; an entry's {@code loopback} field holds the IPv6 address here).
     */
    private final Map<String, List<Entry>> ipv6ByName;

    private Names(Map<String, List<Entry>> byName, Map<String, List<Entry>> ipv6ByName) {
        this.ipv6ByName = ipv6ByName;
        this.byName = byName;
    }

    public static Names of(World world, LoopbackAddresses book) {
        Map<String, List<Entry>> out = new HashMap<>();
        Map<String, List<Entry>> out6 = new HashMap<>();
        for (VpcEndpoint e : world.all(VpcEndpoint.class)) {
            if (!(e.placement() instanceof VpcEndpoint.Placement.Interface placed)) {
                continue;
            }
            List<LoopbackAddresses.Address> enis = new ArrayList<>();
            for (String id : NetworkInterfaceId.texts(placed.networkInterfaceIds())) {
                book.ofInterface(id).ifPresent(enis::add);
            }
            if (enis.isEmpty()) {
                continue;
            }
            Vpc vpc = world.find(Vpc.class, e.vpcId()).orElse(null);
            boolean vpcDns = vpc != null && vpc.enableDnsSupport() && vpc.enableDnsHostnames();
            // AAAA records as the endpoint's DNS record IP type asks: dualstack, ipv6 (and a service's own choice,
            // when the interfaces have IPv6 addresses) answer AAAA with the interfaces' IPv6 addresses.
            VpcEndpoint.DnsRecordIpType recordType = placed.dnsRecordIpType();
            boolean v6 = recordType != null && recordType.answersAaaa();
            for (VpcEndpoint.DnsEntry entry : placed.dnsEntries()) {
                String name = normalize(entry.dnsName());
                if (!name.endsWith(".vpce.amazonaws.com")) {
                    // The service's private DNS name (or an AWS service's), in the endpoint's private hosted zone.
                    if (placed.privateDnsEnabled() && vpcDns) {
                        for (LoopbackAddresses.Address a : enis) {
                            add(out, name, new Entry(a.loopback(), e.vpcId()));
                            addIpv6(out6, world, name, a, e.vpcId(), v6);
                        }
                    }
                    continue;
                }
                boolean zonal = false;
                for (LoopbackAddresses.Address a : enis) {
                    if (a.availabilityZone() != null && name.startsWith(normalize(e.id()) + "-")
                            && name.contains("-" + a.availabilityZone() + ".")) {
                        add(out, name, new Entry(a.loopback(), null));
                        addIpv6(out6, world, name, a, null, v6);
                        zonal = true;
                    }
                }
                if (!zonal) {
                    for (LoopbackAddresses.Address a : enis) {
                        add(out, name, new Entry(a.loopback(), null));
                        addIpv6(out6, world, name, a, null, v6);
                    }
                }
            }
        }
        for (LoadBalancer lb : world.all(LoadBalancer.class)) {
            if (lb.isApplication()) {
                continue;
            }
            for (LoadBalancer.Zone z : lb.zones()) {
                book.ofInterface(NetworkInterfaceId.text(z.networkInterfaceId())).ifPresent(
                        a -> add(out, normalize(lb.dnsName()), new Entry(a.loopback(), null, lb.id(), z.zoneName())));
            }
        }
        for (LoopbackAddresses.Address a : book.all()) {
            if (a.role() != LoopbackAddresses.Role.INSTANCE) {
                continue;
            }
            add(out, normalize(NetworkInterfaces.privateDnsName(a.region(), a.privateIp())),
                    new Entry(a.loopback(), a.vpcId()));
            Instance i = world.find(Instance.class, a.resourceId()).orElse(null);
            boolean resourceName =
                    i != null && a.networkInterfaceId().equals(NetworkInterfaceId.text(i.primaryNetworkInterfaceId()))
                            && Instances.dnsNameOptions(world, i).enableResourceNameDnsARecord();
            if (resourceName) {
                add(out, normalize(NetworkInterfaces.resourceDnsName(a.region(), i.id())),
                        new Entry(a.loopback(), a.vpcId()));
            }
            boolean resourceName6 =
                    i != null && a.networkInterfaceId().equals(NetworkInterfaceId.text(i.primaryNetworkInterfaceId()))
                            && Instances.dnsNameOptions(world, i).enableResourceNameDnsAAAARecord();
            addIpv6(out6, world, normalize(NetworkInterfaces.resourceDnsName(a.region(), a.resourceId())), a,
                    a.vpcId(), resourceName6);
        }
        return new Names(out, out6);
    }

    /** When {@code on}, the IPv6 addresses of {@code a}'s interface as AAAA answers of {@code name}. */
    private static void addIpv6(Map<String, List<Entry>> out6, World world, String name, LoopbackAddresses.Address a,
            VpcId vpcId, boolean on) {
        if (on) {
            world.find(NetworkInterface.class, a.networkInterfaceId())
                    .ifPresent(n -> n.ipv6Addresses().forEach(v6 -> add(out6, name, new Entry(v6, vpcId))));
        }
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
     * The addresses {@code name} has for an asker at {@code askerLoopback}, every load balancer node counted up;
     * null when the name does not exist for it (NXDOMAIN).
     */
    public List<String> resolve(String name, LoopbackAddresses book, String askerLoopback) {
        return resolve(name, book, askerLoopback, ALL_UP);
    }

    /**
     * The addresses {@code name} has for an asker at {@code askerLoopback}, with the load balancer nodes that
     * {@code nodeUp} (load balancer ARN, zone name) says are up; null when the name does not exist for it (NXDOMAIN).
     */
    public List<String> resolve(String name, LoopbackAddresses book, String askerLoopback,
            BiPredicate<String, String> nodeUp) {
        VpcId vpc = book.atLoopback(askerLoopback).map(LoopbackAddresses.Address::vpcId).orElse(null);
        return resolveInVpc(name, vpc, nodeUp);
    }

    /**
     * The addresses {@code name} has for an asker in {@code askerVpcId} (null: in no VPC, public names only); null
     * when the name does not exist there.
     */
    public List<String> resolveInVpc(String name, VpcId askerVpcId, BiPredicate<String, String> nodeUp) {
        List<Entry> entries = byName.get(normalize(name));
        if (entries == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (Entry e : entries) {
            if (e.vpcId() != null && !e.vpcId().equals(askerVpcId)) {
                continue;
            }
            if (e.lbArn() == null) {
                out.add(e.loopback());
            } else {
                nodes.add(e.loopback());
                if (nodeUp.test(e.lbArn(), e.zone())) {
                    out.add(e.loopback());
                }
            }
        }
        if (out.isEmpty() && !nodes.isEmpty()) {
            return nodes; // no node is up: all of them (fail-open)
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * The IPv6 addresses (AAAA) {@code name} has for an asker in {@code askerVpcId} (see the class comment for which
     * names have them); null when it has none there. The addresses are the interfaces' own (their VPC's); the data
     * plane carries no IPv6, so nothing listens at them on this machine.
     */
    public List<String> resolve6InVpc(String name, VpcId askerVpcId) {
        List<Entry> entries = ipv6ByName.get(normalize(name));
        if (entries == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.vpcId() == null || e.vpcId().equals(askerVpcId)) {
                out.add(e.loopback());
            }
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * Every address {@code name} has for some asker, in whatever VPC (load balancer nodes all counted): what a
     * name standing for a source may be, before its owner is known. Empty when it is no name.
     */
    public List<String> anywhere(String name) {
        List<String> out = new ArrayList<>();
        for (Entry e : byName.getOrDefault(normalize(name), List.of())) {
            if (!out.contains(e.loopback())) {
                out.add(e.loopback());
            }
        }
        return out;
    }
}
