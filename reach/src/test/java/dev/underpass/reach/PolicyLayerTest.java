package dev.underpass.reach;

import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.keys;
import static dev.underpass.reach.Net.outAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy layer: a request through an interface endpoint to S3, evaluated with the context the path gives it
 * against the endpoint policy, the organization's SCPs and the policies the caller supplies; every layer that
 * denies is listed beside the network blockers.
 */
class PolicyLayerTest {
    static final String MGMT = "999999999999";
    static final String APP = "111111111111";
    static final String ROLE = "arn:aws:iam::" + APP + ":role/app";

    static final String ENDPOINT_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "OnlyOurBucket", "Effect": "Allow", "Principal": "*",
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ours/*",
              "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abcd1234"}}}]}""";

    static Net network(String endpointPolicy) {
        return new Net().vpc(APP, "vpc-a", "10.1.0.0/16")
                .subnet("subnet-a1", "vpc-a", "10.1.1.0/24", "us-east-1a", "use1-az1")
                .sg("sg-client", "vpc-a", outAll())
                .sg("sg-vpce", "vpc-a", in("tcp", 443, 443, "10.1.0.0/16"))
                .instance("i-client", "subnet-a1", "10.1.1.10", "sg-client")
                .awsEndpoint("vpce-s3", "vpc-a", "com.amazonaws.us-east-1.s3", endpointPolicy, "eni-s3",
                        "subnet-a1", "10.1.1.30", "sg-vpce");
    }

    static Analysis trace(Net n, PolicyQuestion pq) {
        return Analyzer.analyze(n.world, new Query(APP, Net.REGION, "i-client", "vpce-s3", "tcp", 443, pq), Net.LATER);
    }

    @Test
    void endpointPolicy_allowsOurBucketFromTheOrg_andNothingElse() {
        Net n = network(ENDPOINT_POLICY).organization(MGMT, APP, null);
        Analysis ok = trace(n, new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::ours/k", null, null));
        assertThat(ok.blockers()).isEmpty();
        assertThat(ok.reachable()).isTrue();
        assertThat(ok.forward().get(ok.forward().size() - 1).matched()).startsWith("Allowed");

        Analysis other = trace(n, new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::theirs/k", null, null));
        assertThat(keys(other)).containsExactly("POLICY_ENDPOINT_DENIES vpce-s3 null forward");
        assertThat(other.blockers().get(0).message()).contains("allows no s3:GetObject on arn:aws:s3:::theirs/k");

        // Outside the organization the condition fails: the same request is denied.
        Net noOrg = network(ENDPOINT_POLICY);
        assertThat(keys(trace(noOrg, new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::ours/k", null, null))))
                .containsExactly("POLICY_ENDPOINT_DENIES vpce-s3 null forward");
    }

    @Test
    void scpDeny_andNetworkBlocker_areListedTogether() {
        Net n = network(null).organization(MGMT, APP, """
                {"Version": "2012-10-17", "Statement": [{"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*",
                  "Resource": "*"}]}""").sg("sg-vpce", "vpc-a", in("tcp", 80, 80, "10.1.0.0/16"));
        Analysis a = trace(n, new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::ours/k", null, null));
        assertThat(keys(a)).containsExactly("ENI_SG_RULES_MISMATCH sg-vpce ingress forward",
                "POLICY_SCP_DENIES p-denys3abcd null forward");
        assertThat(a.blockers().get(1).message()).contains("'NoS3'").contains("p-denys3abcd");
    }

    @Test
    void suppliedIdentityPolicy_mustAllow_andAMalformedOneIsRefused() {
        Net n = network(null);
        String identity = """
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
                  "Resource": "*"}]}""";
        Analysis a = trace(n, new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::ours/k", identity, null));
        assertThat(keys(a)).containsExactly("POLICY_IDENTITY_DENIES " + ROLE + " null forward");
        assertThatThrownBy(() -> new PolicyQuestion(ROLE, "s3:GetObject", "arn:aws:s3:::ours/k", "{not json", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity policy");
    }
}
