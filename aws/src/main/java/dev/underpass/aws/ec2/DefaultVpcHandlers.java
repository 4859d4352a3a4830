package dev.underpass.aws.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.DefaultVpcs;
import software.amazon.awssdk.services.ec2.model.CreateDefaultSubnetRequest;
import software.amazon.awssdk.services.ec2.model.CreateDefaultSubnetResponse;
import software.amazon.awssdk.services.ec2.model.CreateDefaultVpcRequest;
import software.amazon.awssdk.services.ec2.model.CreateDefaultVpcResponse;

/**
 * CreateDefaultVpc and CreateDefaultSubnet: bringing back a default VPC, or a default subnet in one zone, after the
 * owner deleted it. The rules are in {@link DefaultVpcs}; the automatic creation on an account's first request is in
 * {@link Ec2Api#handle}.
 */
record DefaultVpcHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("CreateDefaultVpc", CreateDefaultVpcRequest::builder, this::createVpc);
        registry.write("CreateDefaultSubnet", CreateDefaultSubnetRequest::builder, this::createSubnet);
    }

    private CreateDefaultVpcResponse createVpc(CreateDefaultVpcRequest req, Tx tx) {
        var vpc = DefaultVpcs.create(tx, api.settings().quotas());
        // AWS answers while the VPC is still being built, as CreateVpc does.
        return CreateDefaultVpcResponse.builder().vpc(VpcHandlers.shape(vpc, "pending")).build();
    }

    private CreateDefaultSubnetResponse createSubnet(CreateDefaultSubnetRequest req, Tx tx) {
        if (Shapes.flag(req.ipv6Native())) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support IPv6-only subnets.");
        }
        var subnet = DefaultVpcs.createSubnet(tx, api.settings().quotas(), blankToNull(req.availabilityZone()),
                blankToNull(req.availabilityZoneId()));
        return CreateDefaultSubnetResponse.builder().subnet(SubnetHandlers.shape(tx.world(), subnet, "available"))
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
