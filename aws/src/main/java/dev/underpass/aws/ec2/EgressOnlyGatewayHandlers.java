package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.EgressOnlyInternetGatewayId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.EgressOnlyInternetGateways;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Visibility;
import software.amazon.awssdk.services.ec2.model.AttachmentStatus;
import software.amazon.awssdk.services.ec2.model.CreateEgressOnlyInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.CreateEgressOnlyInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DeleteEgressOnlyInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DeleteEgressOnlyInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DescribeEgressOnlyInternetGatewaysRequest;
import software.amazon.awssdk.services.ec2.model.DescribeEgressOnlyInternetGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.EgressOnlyInternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;

/**
 * Egress-only internet gateways: create, delete, describe (tag filters, as AWS documents). The rules live in
 * {@link EgressOnlyInternetGateways}; this class maps the wire shapes.
 */
record EgressOnlyGatewayHandlers(Ec2Registry api) {
    private static final FilterSpec<dev.underpass.model.ec2.EgressOnlyInternetGateway> FILTERS =
            FilterSpec.<dev.underpass.model.ec2.EgressOnlyInternetGateway>resources().build();

    void register(Ec2Registry registry) {
        registry.write("CreateEgressOnlyInternetGateway", CreateEgressOnlyInternetGatewayRequest::builder,
                this::create);
        registry.write("DeleteEgressOnlyInternetGateway", DeleteEgressOnlyInternetGatewayRequest::builder,
                this::delete);
        registry.read("DescribeEgressOnlyInternetGateways", DescribeEgressOnlyInternetGatewaysRequest::builder,
                this::describe);
    }

    private CreateEgressOnlyInternetGatewayResponse create(CreateEgressOnlyInternetGatewayRequest req, Tx tx) {
        var eigw = EgressOnlyInternetGateways.create(tx, api.settings().quotas(),
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")),
                Shapes.tagsFor(req.tagSpecifications(), "egress-only-internet-gateway"));
        return CreateEgressOnlyInternetGatewayResponse.builder().egressOnlyInternetGateway(shape(eigw))
                .clientToken(req.clientToken()).build();
    }

    private DeleteEgressOnlyInternetGatewayResponse delete(DeleteEgressOnlyInternetGatewayRequest req, Tx tx) {
        EgressOnlyInternetGateways.delete(tx, EgressOnlyInternetGatewayId.of(Shapes.required(
                req.egressOnlyInternetGatewayId(), "EgressOnlyInternetGatewayId")));
        return DeleteEgressOnlyInternetGatewayResponse.builder().returnCode(true).build();
    }

    private DescribeEgressOnlyInternetGatewaysResponse describe(DescribeEgressOnlyInternetGatewaysRequest req,
            Ec2Api.ReadContext ctx) {
        var page = Describe.visible(ctx, dev.underpass.model.ec2.EgressOnlyInternetGateway.class,
                Kind.EGRESS_ONLY_INTERNET_GATEWAY, req.egressOnlyInternetGatewayIds()).filter(FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(5, 255));
        return DescribeEgressOnlyInternetGatewaysResponse.builder()
                .egressOnlyInternetGateways(page.map(EgressOnlyGatewayHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    static EgressOnlyInternetGateway shape(dev.underpass.model.ec2.EgressOnlyInternetGateway g) {
        return EgressOnlyInternetGateway.builder().egressOnlyInternetGatewayId(g.id())
                .attachments(InternetGatewayAttachment.builder().vpcId(VpcId.text(g.vpcId()))
                        .state(AttachmentStatus.ATTACHED).build())
                .tags(Shapes.tags(g.tags())).build();
    }
}
