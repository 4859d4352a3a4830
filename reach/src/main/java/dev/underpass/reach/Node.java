package dev.underpass.reach;

import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.net.Ipv4;
import java.util.List;

/**
 * A place a packet leaves or arrives: a network interface, or a load balancer's interface in one zone (whose groups
 * are the load balancer's), or a NAT gateway. {@code eni} is null for the last two.
 */
record Node(String component, Hop.Kind type, int ip, Subnet subnet, Vpc vpc, List<SecurityGroupId> groups,
        NetworkInterface eni) {
    String ipText() {
        return Ipv4.format(ip);
    }
}
