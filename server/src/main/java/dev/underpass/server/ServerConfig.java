package dev.underpass.server;

import dev.underpass.aws.ec2.Ec2Api;
import java.nio.file.Path;

/**
 * How to run a server: where to listen, where to keep data ({@code null} data dir means in memory, for tests), the
 * region unsigned requests default to, and the EC2 behaviour settings.
 */
public record ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2) {
    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, null, "us-east-1", Ec2Api.Settings.defaults());
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(host, port, dir, defaultRegion, ec2);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, defaultRegion, ec2);
    }

    public ServerConfig withEc2(Ec2Api.Settings settings) {
        return new ServerConfig(host, port, dataDir, defaultRegion, settings);
    }
}
