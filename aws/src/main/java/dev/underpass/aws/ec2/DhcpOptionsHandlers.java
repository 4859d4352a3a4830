package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.DhcpOptions.Configuration;
import dev.underpass.model.ec2.DhcpOptionsSets;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Visibility;
import software.amazon.awssdk.services.ec2.model.AssociateDhcpOptionsRequest;
import software.amazon.awssdk.services.ec2.model.AssociateDhcpOptionsResponse;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.CreateDhcpOptionsRequest;
import software.amazon.awssdk.services.ec2.model.CreateDhcpOptionsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteDhcpOptionsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteDhcpOptionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeDhcpOptionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeDhcpOptionsResponse;
import software.amazon.awssdk.services.ec2.model.DhcpConfiguration;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;

/**
 * DHCP options sets: create, describe, delete, and associate with a VPC (or {@code default} for none). The rules
 * live in {@link DhcpOptionsSets}; this class maps the wire shapes.
 */
final class DhcpOptionsHandlers {
    private static final FilterSpec<dev.underpass.model.ec2.DhcpOptions> FILTERS =
            FilterSpec.<dev.underpass.model.ec2.DhcpOptions>resources()
                    .one("dhcp-options-id", dev.underpass.model.ec2.DhcpOptions::id)
                    .each("key", d -> d.configurations(), Configuration::key)
                    .many("value", d -> d.configurations().stream().flatMap(c -> c.values().stream()).toList())
                    .one("owner-id", dev.underpass.model.ec2.DhcpOptions::ownerId)
                    .build();

    void register(Ec2Registry registry) {
        registry.write("CreateDhcpOptions", CreateDhcpOptionsRequest::builder, this::create);
        registry.read("DescribeDhcpOptions", DescribeDhcpOptionsRequest::builder, this::describe);
        registry.write("DeleteDhcpOptions", DeleteDhcpOptionsRequest::builder, this::delete);
        registry.write("AssociateDhcpOptions", AssociateDhcpOptionsRequest::builder, this::associate);
    }

    private CreateDhcpOptionsResponse create(CreateDhcpOptionsRequest req, Tx tx) {
        var set = DhcpOptionsSets.create(tx, req.dhcpConfigurations().stream()
                .map(c -> new dev.underpass.model.ec2.DhcpOptions.Configuration(c.key(), c.values())).toList(),
                Shapes.tagsFor(req.tagSpecifications(), "dhcp-options"));
        return CreateDhcpOptionsResponse.builder().dhcpOptions(shape(set)).build();
    }

    private DescribeDhcpOptionsResponse describe(DescribeDhcpOptionsRequest req, Ec2Api.ReadContext ctx) {
        var page = Describe.visible(ctx, dev.underpass.model.ec2.DhcpOptions.class, Kind.DHCP_OPTIONS,
                req.dhcpOptionsIds()).filter(FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeDhcpOptionsResponse.builder()
                .dhcpOptions(page.map(DhcpOptionsHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    private DeleteDhcpOptionsResponse delete(DeleteDhcpOptionsRequest req, Tx tx) {
        DhcpOptionsSets.delete(tx, DhcpOptionsId.of(Shapes.required(req.dhcpOptionsId(), "DhcpOptionsId")));
        return DeleteDhcpOptionsResponse.builder().build();
    }

    private AssociateDhcpOptionsResponse associate(AssociateDhcpOptionsRequest req, Tx tx) {
        DhcpOptionsSets.associate(tx, DhcpOptionsId.of(req.dhcpOptionsId()),
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")));
        return AssociateDhcpOptionsResponse.builder().build();
    }

    static DhcpOptions shape(dev.underpass.model.ec2.DhcpOptions d) {
        return DhcpOptions.builder().dhcpOptionsId(d.id()).ownerId(d.ownerId())
                .dhcpConfigurations(d.configurations().stream().map(c -> DhcpConfiguration.builder().key(c.key())
                        .values(c.values().stream().map(v -> AttributeValue.builder().value(v).build()).toList())
                        .build()).toList())
                .tags(Shapes.tags(d.tags())).build();
    }
}
