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
 * principals (access key id to {@code arn:aws:iam::<account>:user/<name>} or {@code ...:root}), with the secret of
 * those static keys given one ({@code accessKeySecrets}: requests signed with them are verified; the others are
 * accepted with any signature).
 */
public record ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
        Map<String, String> accessKeys, Map<String, String> accessKeySecrets) {
    public ServerConfig {
        accessKeys = accessKeys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(accessKeys));
        accessKeys.forEach(ServerConfig::checkAccessKey);
        accessKeySecrets = accessKeySecrets == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(accessKeySecrets));
        for (Map.Entry<String, String> e : accessKeySecrets.entrySet()) {
            if (!accessKeys.containsKey(e.getKey())) {
                throw new IllegalArgumentException("a secret is given for " + e.getKey()
                        + ", which is not one of the static access keys");
            }
            checkSecret(e.getKey(), e.getValue());
        }
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
            Map<String, String> accessKeys) {
        this(host, port, dataDir, defaultRegion, ec2, accessKeys, Map.of());
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2) {
        this(host, port, dataDir, defaultRegion, ec2, Map.of());
    }

    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, null, "us-east-1", Ec2Api.Settings.defaults());
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(host, port, dir, defaultRegion, ec2, accessKeys, accessKeySecrets);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets);
    }

    public ServerConfig withEc2(Ec2Api.Settings settings) {
        return new ServerConfig(host, port, dataDir, defaultRegion, settings, accessKeys, accessKeySecrets);
    }

    /**
     * The same config with static access keys (access key id to principal ARN) replacing any given before; none of
     * them has a known secret.
     */
    public ServerConfig withAccessKeys(Map<String, String> keys) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, keys);
    }

    /**
     * The same config with static access keys (access key id to principal ARN) and the secrets of some of them
     * (access key id to secret access key) replacing any given before.
     */
    public ServerConfig withAccessKeys(Map<String, String> keys, Map<String, String> secrets) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, keys, secrets);
    }

    /** One {@code --access-key} spec: {@code AKID=ARN} or {@code AKID:SECRET=ARN} (secret null when not given). */
    public record AccessKeySpec(String id, String secret, String arn) {
        @Override
        public String toString() {
            return id + (secret == null ? "" : ":<secret>") + "=" + arn;
        }
    }

    /**
     * Parses {@code AKID=ARN} and {@code AKID:SECRET=ARN} pairs, as {@code --access-key} and
     * {@code UNDERPASS_ACCESS_KEYS} give them, in the order given.
     *
     * @throws IllegalArgumentException naming the first pair that is not of that form (never quoting a secret)
     */
    public static java.util.List<AccessKeySpec> parseAccessKeySpecs(Iterable<String> specs) {
        Map<String, AccessKeySpec> keys = new LinkedHashMap<>();
        for (String spec : specs) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("an access key is given as AKID=ARN or AKID:SECRET=ARN, got '"
                        + (s.indexOf(':') > 0 ? s.substring(0, s.indexOf(':')) + ":<secret>" : s) + "'");
            }
            String id = s.substring(0, eq);
            String secret = null;
            int colon = id.indexOf(':');
            if (colon >= 0) {
                secret = id.substring(colon + 1);
                id = id.substring(0, colon);
                checkSecret(id, secret);
            }
            String arn = s.substring(eq + 1);
            checkAccessKey(id, arn);
            if (keys.putIfAbsent(id, new AccessKeySpec(id, secret, arn)) != null) {
                throw new IllegalArgumentException("the access key " + id + " is given twice");
            }
        }
        return java.util.List.copyOf(keys.values());
    }

    /**
     * Parses pairs as {@link #parseAccessKeySpecs} does and keeps access key id to principal ARN (secrets dropped).
     *
     * @throws IllegalArgumentException naming the first pair that is not of that form
     */
    public static Map<String, String> parseAccessKeys(Iterable<String> specs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (AccessKeySpec k : parseAccessKeySpecs(specs)) {
            keys.put(k.id(), k.arn());
        }
        return keys;
    }

    private static void checkSecret(String id, String secret) {
        if (secret.isEmpty() || !secret.chars().allMatch(c -> c > ' ' && c < 127 && c != ',' && c != '=')) {
            throw new IllegalArgumentException("the secret of access key " + id
                    + " must be 1 or more printable ASCII characters other than ',' and '='");
        }
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
