package dev.underpass.server;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The other half of the AWS CLI scenarios ({@link CliSmokeTest} explains the split): endpoints, PrivateLink, the
 * Application Load Balancer and VPC sharing, on a server of their own.
 */
@Execution(ExecutionMode.CONCURRENT)
class CliSmokeServicesTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @Execution(ExecutionMode.SAME_THREAD)
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cli-smoke-endpoints.sh", "cli-smoke-privatelink.sh",
        "cli-smoke-alb.sh", "cli-smoke-sharing.sh"})
    void scenario_throughAwsCliV2_printsWhatAwsWould(String script) throws Exception {
        CliSmokeTest.run(UNDERPASS, script);
    }
}
