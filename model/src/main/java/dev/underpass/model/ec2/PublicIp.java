package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.Map;

/**
 * A public IPv4 address that Amazon lends an instance's primary network interface while the instance runs (the
 * subnet's {@code MapPublicIpOnLaunch}): it is not an Elastic IP, is owned by {@code amazon} on the wire, and goes
 * back to the pool when the instance stops or terminates or an Elastic IP takes its place. {@code publicIp} is null
 * while the instance is stopped or an Elastic IP holds the private address; the record remembers that the interface
 * gets a public address when the instance runs. Its id ({@code pubip-…}) never appears on the wire.
 */
public record PublicIp(String id, String ownerId, String region, String publicIp, NetworkInterfaceId networkInterfaceId,
        String privateIpAddress, Map<String, String> tags) implements Resource {

    public PublicIp {
        tags = Tags.copy(tags);
    }

    @Override
    public PublicIp withTags(Map<String, String> tags) {
        return new PublicIp(id, ownerId, region, publicIp, networkInterfaceId, privateIpAddress, tags);
    }

    public PublicIp withPublicIp(String address) {
        return new PublicIp(id, ownerId, region, address, networkInterfaceId, privateIpAddress, tags);
    }

    @Override
    public String resourceType() {
        return "public-ip";
    }
}
