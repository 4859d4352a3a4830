package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.NetworkAclAssociationId;
import dev.underpass.model.ec2.NetworkAclId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NetworkAcls;
import dev.underpass.model.ec2.Scoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryResponse;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclRequest;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkAclEntryResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkAclRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkAclResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkAclsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkAclsResponse;
import software.amazon.awssdk.services.ec2.model.IcmpTypeCode;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PortRange;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclAssociationRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclAssociationResponse;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclEntryResponse;

/**
 * Network ACLs: create, delete, describe (entries in AWS's order, catch-all entries included), entries, and moving
 * a subnet between ACLs. Domain rules live in {@link NetworkAcls}.
 */
record NetworkAclHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("CreateNetworkAcl", CreateNetworkAclRequest::builder, this::create);
        registry.write("DeleteNetworkAcl", DeleteNetworkAclRequest::builder, this::delete);
        registry.read("DescribeNetworkAcls", DescribeNetworkAclsRequest::builder, this::describe);
        registry.write("CreateNetworkAclEntry", CreateNetworkAclEntryRequest::builder, this::createEntry);
        registry.write("ReplaceNetworkAclEntry", ReplaceNetworkAclEntryRequest::builder, this::replaceEntry);
        registry.write("DeleteNetworkAclEntry", DeleteNetworkAclEntryRequest::builder, this::deleteEntry);
        registry.write("ReplaceNetworkAclAssociation", ReplaceNetworkAclAssociationRequest::builder,
                this::replaceAssociation);
    }

    private CreateNetworkAclResponse create(CreateNetworkAclRequest req, Tx tx) {
        var acl = NetworkAcls.create(tx, api.settings().quotas(), VpcId.of(Shapes.required(req.vpcId(), "VpcId")),
                Shapes.tagsFor(req.tagSpecifications(), "network-acl"));
        return CreateNetworkAclResponse.builder().networkAcl(shape(acl)).clientToken(req.clientToken()).build();
    }

    private DeleteNetworkAclResponse delete(DeleteNetworkAclRequest req, Tx tx) {
        NetworkAcls.delete(tx, NetworkAclId.of(Shapes.required(req.networkAclId(), "NetworkAclId")));
        return DeleteNetworkAclResponse.builder().build();
    }

    private DescribeNetworkAclsResponse describe(DescribeNetworkAclsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.NetworkAcl.class, Kind.NETWORK_ACL,
                req.networkAclIds())
                .filter(FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeNetworkAclsResponse.builder()
                .networkAcls(page.map(NetworkAclHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    private static final FilterSpec<dev.underpass.model.ec2.NetworkAcl> FILTERS =
            FilterSpec.<dev.underpass.model.ec2.NetworkAcl>resources()
                    .many("association.association-id",
                            associations(a -> NetworkAclAssociationId.text(a.associationId())))
                    .many("association.network-acl-id", a -> a.associations().isEmpty() ? List.of() : List.of(a.id()))
                    .many("association.subnet-id", associations(a -> SubnetId.text(a.subnetId())))
                    .one("default", dev.underpass.model.ec2.NetworkAcl::isDefault)
                    .many("entry.cidr", entries(e -> nullable(e.fields().cidrBlock())))
                    .many("entry.ipv6-cidr", entries(e -> nullable(e.fields().ipv6CidrBlock())))
                    .many("entry.icmp.code", entries(e -> nullable(text(e.icmpCode()))))
                    .many("entry.icmp.type", entries(e -> nullable(text(e.icmpType()))))
                    .many("entry.port-range.from", entries(e -> nullable(text(e.portFrom()))))
                    .many("entry.port-range.to", entries(e -> nullable(text(e.portTo()))))
                    .many("entry.protocol", entries(e -> nullable(e.protocol().aclNumber(),
                            e.protocol().commonName())))
                    .many("entry.rule-action", entries(e -> nullable(e.fields().ruleAction())))
                    .many("entry.egress", entries(e -> nullable(Boolean.toString(e.egress()))))
                    .many("entry.rule-number", entries(e -> nullable(Integer.toString(e.ruleNumber()))))
                    .one("network-acl-id", dev.underpass.model.ec2.NetworkAcl::id)
                    .one("owner-id", dev.underpass.model.ec2.NetworkAcl::ownerId)
                    .one("vpc-id", dev.underpass.model.ec2.NetworkAcl::vpcId)
                    .build();

    private static Function<dev.underpass.model.ec2.NetworkAcl, Collection<String>> associations(
            Function<dev.underpass.model.ec2.NetworkAcl.Association, String> value) {
        return a -> a.associations().stream().map(value).toList();
    }

    private static Function<dev.underpass.model.ec2.NetworkAcl, Collection<String>> entries(
            Function<dev.underpass.model.ec2.NetworkAcl.Entry, List<String>> values) {
        return a -> {
            Set<String> out = new LinkedHashSet<>();
            for (var e : a.entries()) {
                for (String v : values.apply(e)) {
                    if (v != null) {
                        out.add(v);
                    }
                }
            }
            return out;
        };
    }

    /** A list that may hold nulls (entries lack the fields their protocol does not use); the filter skips them. */
    private static List<String> nullable(String... values) {
        return Arrays.asList(values);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    /** The entry CreateNetworkAclEntry and ReplaceNetworkAclEntry both describe, from their (same) members. */
    private static NetworkAcls.EntrySpec entry(String aclId, Integer ruleNumber, String protocol, String action,
            Boolean egress, String cidr, String ipv6Cidr, IcmpTypeCode icmp, PortRange ports) {
        return new NetworkAcls.EntrySpec(NetworkAclId.of(Shapes.required(aclId, "NetworkAclId")), ruleNumber, protocol,
                action, egress,
                cidr, ipv6Cidr, icmp == null ? null : icmp.type(), icmp == null ? null : icmp.code(),
                ports == null ? null : ports.from(), ports == null ? null : ports.to());
    }

    private CreateNetworkAclEntryResponse createEntry(CreateNetworkAclEntryRequest req, Tx tx) {
        NetworkAcls.createEntry(tx, api.settings().quotas(), entry(req.networkAclId(), req.ruleNumber(), req.protocol(),
                req.ruleActionAsString(), req.egress(), req.cidrBlock(), req.ipv6CidrBlock(), req.icmpTypeCode(),
                req.portRange()));
        return CreateNetworkAclEntryResponse.builder().build();
    }

    private ReplaceNetworkAclEntryResponse replaceEntry(ReplaceNetworkAclEntryRequest req, Tx tx) {
        NetworkAcls.replaceEntry(tx, api.settings().quotas(), entry(req.networkAclId(), req.ruleNumber(),
                req.protocol(), req.ruleActionAsString(), req.egress(), req.cidrBlock(), req.ipv6CidrBlock(),
                req.icmpTypeCode(), req.portRange()));
        return ReplaceNetworkAclEntryResponse.builder().build();
    }

    private DeleteNetworkAclEntryResponse deleteEntry(DeleteNetworkAclEntryRequest req, Tx tx) {
        NetworkAcls.deleteEntry(tx, NetworkAclId.of(Shapes.required(req.networkAclId(), "NetworkAclId")),
                req.ruleNumber(),
                req.egress());
        return DeleteNetworkAclEntryResponse.builder().build();
    }

    private ReplaceNetworkAclAssociationResponse replaceAssociation(ReplaceNetworkAclAssociationRequest req, Tx tx) {
        var newId = NetworkAcls.replaceAssociation(tx, NetworkAclAssociationId.of(req.associationId()),
                NetworkAclId.of(Shapes.required(req.networkAclId(), "NetworkAclId")));
        return ReplaceNetworkAclAssociationResponse.builder().newAssociationId(NetworkAclAssociationId.text(newId))
                .build();
    }

    static NetworkAcl shape(dev.underpass.model.ec2.NetworkAcl a) {
        List<NetworkAclEntry> entries = new ArrayList<>();
        for (var entry : NetworkAcls.sorted(a.entries())) {
            var e = entry.fields();
            var b = NetworkAclEntry.builder().ruleNumber(e.ruleNumber()).egress(e.egress())
                    .protocol(e.protocol())
                    .ruleAction(e.ruleAction()).cidrBlock(e.cidrBlock()).ipv6CidrBlock(e.ipv6CidrBlock());
            if (e.icmpType() != null) {
                b.icmpTypeCode(IcmpTypeCode.builder().type(e.icmpType()).code(e.icmpCode()).build());
            }
            if (e.portFrom() != null) {
                b.portRange(PortRange.builder().from(e.portFrom()).to(e.portTo()).build());
            }
            entries.add(b.build());
        }
        return NetworkAcl.builder().networkAclId(a.id()).vpcId(VpcId.text(a.vpcId())).ownerId(a.ownerId())
                .isDefault(a.isDefault())
                .entries(entries)
                .associations(a.associations().stream().map(s -> NetworkAclAssociation.builder()
                        .networkAclAssociationId(NetworkAclAssociationId.text(s.associationId())).networkAclId(a.id())
                        .subnetId(SubnetId.text(s.subnetId()))
                        .build()).toList())
                .tags(Shapes.tags(a.tags())).build();
    }
}
