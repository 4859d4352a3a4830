package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/**
 * A DHCP options set ({@code dopt-…}): the options a VPC's DHCP server hands out, in the order they were given.
 * {@code regionDefault} marks the set AWS creates for an account in a region and gives every new VPC; it looks like
 * any other set on the wire.
 */
public record DhcpOptions(String id, String ownerId, String region, List<Configuration> configurations,
        boolean regionDefault, Map<String, String> tags) implements Resource {

    /** One option ({@code domain-name}, {@code domain-name-servers}, …) and its values in order. */
    public record Configuration(String key, List<String> values) {
        public Configuration {
            values = List.copyOf(values);
        }
    }

    public DhcpOptions {
        configurations = List.copyOf(configurations);
        tags = Tags.copy(tags);
    }

    /** The set's id, typed. */
    public DhcpOptionsId dhcpOptionsId() {
        return new DhcpOptionsId(id);
    }

    @Override
    public DhcpOptions withTags(Map<String, String> tags) {
        return new DhcpOptions(id, ownerId, region, configurations, regionDefault, tags);
    }

    @Override
    public String resourceType() {
        return "dhcp-options";
    }
}
