package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.Quotas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** The endpoint quotas, lowered so that a test can reach them. */
class VpcEndpointQuotaTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.withQuotas(Quotas.defaults()
            .with("interface-endpoints-per-vpc", 3)
            .with("gateway-endpoints-per-region", 4));

    private static final String SQS = "com.amazonaws.us-east-1.sqs";
    private static final String S3 = "com.amazonaws.us-east-1.s3";

    @Test
    void createVpcEndpoint_beyondTheQuotas_failsWithVpcEndpointLimitExceeded() {
        Ec2Client quota = UNDERPASS.ec2("333333333333");
        String vpcId = quota.createVpc(r -> r.cidrBlock("10.27.0.0/16")).vpc().vpcId();
        String subnet = quota.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.27.1.0/24")).subnet().subnetId();
        for (int i = 0; i < 3; i++) {
            quota.createVpcEndpoint(r -> r.vpcId(vpcId).vpcEndpointType("Interface").serviceName(SQS)
                    .subnetIds(subnet).privateDnsEnabled(false));
        }
        assertThatThrownBy(() -> quota.createVpcEndpoint(r -> r.vpcId(vpcId).vpcEndpointType("Interface")
                .serviceName(SQS).subnetIds(subnet).privateDnsEnabled(false)))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("VpcEndpointLimitExceeded"));

        for (int i = 0; i < 4; i++) {
            String rtb = quota.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
            quota.createVpcEndpoint(r -> r.vpcId(vpcId).serviceName(S3).routeTableIds(rtb));
        }
        assertThatThrownBy(() -> quota.createVpcEndpoint(r -> r.vpcId(vpcId)
                .serviceName("com.amazonaws.us-east-1.dynamodb")))
                .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("VpcEndpointLimitExceeded"));
        // Another account has its own count.
        Ec2Client fresh = UNDERPASS.ec2("444444444444");
        String otherVpc = fresh.createVpc(r -> r.cidrBlock("10.28.0.0/16")).vpc().vpcId();
        assertThat(fresh.createVpcEndpoint(r -> r.vpcId(otherVpc).serviceName(S3)).vpcEndpoint().stateAsString())
                .isEqualTo("available");
    }
}
