package dev.underpass.server;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.sts.Principals;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to run a server: where to listen, where to keep data ({@code null} data dir means in memory, for tests), the
 * region unsigned requests default to, the EC2 behaviour settings, and static access keys that act as given IAM
 * principals (access key id to {@code arn:aws:iam::<account>:user/<name>} or {@code ...:root}).
 */
public record ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
        Map<String, String> accessKeys) {
    public ServerConfig {
        accessKeys = accessKeys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(accessKeys));
        accessKeys.forEach(ServerConfig::checkAccessKey);
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2) {
        this(host, port, dataDir, defaultRegion, ec2, Map.of());
    }

    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, null, "us-east-1", Ec2Api.Settings.defaults());
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(host, port, dir, defaultRegion, ec2, accessKeys);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, defaultRegion, ec2, accessKeys);
    }

    public ServerConfig withEc2(Ec2Api.Settings settings) {
        return new ServerConfig(host, port, dataDir, defaultRegion, settings, accessKeys);
    }

    /** The same config with static access keys (access key id to principal ARN) replacing any given before. */
    public ServerConfig withAccessKeys(Map<String, String> keys) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, keys);
    }

    /**
     * Parses {@code AKID=ARN} pairs, as {@code --access-key} and {@code UNDERPASS_ACCESS_KEYS} give them.
     *
     * @throws IllegalArgumentException naming the first pair that is not of that form
     */
    public static Map<String, String> parseAccessKeys(Iterable<String> specs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String spec : specs) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("an access key is given as AKID=ARN, got '" + spec + "'");
            }
            String id = s.substring(0, eq);
            String arn = s.substring(eq + 1);
            checkAccessKey(id, arn);
            if (keys.putIfAbsent(id, arn) != null) {
                throw new IllegalArgumentException("the access key " + id + " is given twice");
            }
        }
        return keys;
    }

    private static void checkAccessKey(String id, String arn) {
        if (!id.matches("[A-Za-z0-9]{1,128}")) {
            throw new IllegalArgumentException("the access key id '" + id + "' is not 1 to 128 letters and digits");
        }
        if (!Principals.USER.matcher(arn).matches() && !Principals.ROOT.matcher(arn).matches()) {
            throw new IllegalArgumentException("the access key " + id + " must map to an IAM user ARN "
                    + "(arn:aws:iam::123456789012:user/name) or an account root ARN, got '" + arn + "'");
        }
    }

    /** The account of a principal ARN that {@link #parseAccessKeys} accepted. */
    static String accountOf(String principalArn) {
        return principalArn.substring("arn:aws:iam::".length(), "arn:aws:iam::".length() + 12);
    }
}
