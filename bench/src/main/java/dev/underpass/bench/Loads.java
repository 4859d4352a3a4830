package dev.underpass.bench;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import java.time.Duration;

/**
 * What the HTTP loads set up alike: a test server whose resources are ready at once (no provisioning delay) under the
 * load's own quotas, and whole-number arguments with defaults. Kept in one place so that every load measures the
 * same server.
 */
final class Loads {
    private Loads() {}

    /** A test server's configuration: no provisioning delay, no default VPCs, these quotas. */
    static ServerConfig instant(Quotas quotas) {
        return ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, false, quotas));
    }

    /** The {@code i}th argument as a whole number, or {@code otherwise} when there are fewer. */
    static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }
}
