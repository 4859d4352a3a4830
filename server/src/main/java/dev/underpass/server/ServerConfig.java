package dev.underpass.server;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.IdSource;
import dev.underpass.model.sts.Principal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to run a server: where to listen, where to keep data ({@code null} data dir means in memory, for tests), the
 * region unsigned requests default to, the EC2 behaviour settings, and static access keys that act as given IAM
 * principals (access key id to {@code arn:aws:iam::<account>:user/<name>} or {@code ...:root}), with the secret of
 * those static keys given one ({@code accessKeySecrets}: requests signed with them are verified; the others are
 * accepted with any signature), the admin token of the control endpoints ({@code null}: none), and where ids and
 * time come from ({@link Sources}: random and the system clock unless a seed or a test clock is given), and the
 * shared store to use instead of the data dir ({@code storeUrl}, {@code postgresql://user:pass@host:port/db}, or
 * {@code null} for the data dir; see docs/postgresql.md).
 *
 * <p>The control endpoints ({@code /_underpass/*}) can read every account's events and wipe any account, so a config
 * that listens anywhere but loopback must carry an admin token; the constructor refuses one that does not, so no
 * code path can bind such a server unprotected.
 */
public record ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
        Map<String, String> accessKeys, Map<String, String> accessKeySecrets, String adminToken, Sources sources,
        String storeUrl) {
    /** The shortest admin token accepted: a guessable token would protect nothing. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;

    /**
     * Where the server's ids and time come from. Without a seed, ids, tokens and request ids are random; with one
     * ({@code --seed N}, {@code UNDERPASS_SEED}) they are drawn from deterministic streams of it, so the same
     * requests, one at a time, get the same ids and request ids. The clock is the system's unless a test gives a
     * fixed or stepping one; with a seed and a fixed clock a replayed scenario gets byte-identical responses.
     *
     * @param seed null for random ids
     */
    public record Sources(Long seed, Clock clock) {
        public Sources {
            clock = clock == null ? Clock.systemUTC() : clock;
        }

        /** Random ids and the system clock, as in production. */
        public static Sources system() {
            return new Sources(null, Clock.systemUTC());
        }

        public static Sources seeded(long seed) {
            return new Sources(seed, Clock.systemUTC());
        }

        public Sources withClock(Clock newClock) {
            return new Sources(seed, newClock);
        }

        /**
         * A fresh source of the ids of a store at {@code worldVersion}. A new store starts the seed's stream from
         * the beginning; a store that already holds commits (a restart on a data dir) gets a stream of its own
         * version, so that it does not hand out again the ids it handed out before the restart.
         */
        public IdSource storeIds(long worldVersion) {
            if (seed == null) {
                return IdSource.random();
            }
            return worldVersion == 0 ? IdSource.seeded(seed) : IdSource.seeded(seed, "store@" + worldVersion);
        }

        /** A fresh source of request ids, independent of the store's so that errors do not shift resource ids. */
        public IdSource requestIds() {
            return seed == null ? IdSource.random() : IdSource.seeded(seed, "requests");
        }
    }

    public ServerConfig {
        sources = sources == null ? Sources.system() : sources;
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
        if (adminToken != null) {
            checkAdminToken(adminToken);
        } else if (!isLoopback(host)) {
            throw new IllegalArgumentException("refusing to listen on '" + host + "', which is not a loopback "
                    + "address, without an admin token: anyone who can reach it could read every account's events "
                    + "and reset any account. Listen on 127.0.0.1 (the default), or set an admin token of at least "
                    + MIN_ADMIN_TOKEN_LENGTH + " characters (--admin-token or UNDERPASS_ADMIN_TOKEN)");
        }
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
            Map<String, String> accessKeys, Map<String, String> accessKeySecrets, String adminToken, Sources sources) {
        this(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken, sources, null);
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
            Map<String, String> accessKeys, Map<String, String> accessKeySecrets, String adminToken) {
        this(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken, Sources.system());
    }

    public ServerConfig(String host, int port, Path dataDir, String defaultRegion, Ec2Api.Settings ec2,
            Map<String, String> accessKeys, Map<String, String> accessKeySecrets) {
        this(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, null);
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
        return new ServerConfig(host, port, dir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken,
                sources, storeUrl);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken,
                sources, storeUrl);
    }

    public ServerConfig withEc2(Ec2Api.Settings settings) {
        return new ServerConfig(host, port, dataDir, defaultRegion, settings, accessKeys, accessKeySecrets,
                adminToken, sources, storeUrl);
    }

    /** The same config with accounts naming zones by {@code mapping} ({@code --az-mapping}). */
    public ServerConfig withAzMapping(dev.underpass.model.AzMapping mapping) {
        return withEc2(ec2.withAzMapping(mapping));
    }

    /**
     * The same config on the shared store at {@code url} ({@code postgresql://user:pass@host:port/db}), or on its
     * data dir again with {@code null}.
     */
    public ServerConfig withStoreUrl(String url) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken,
                sources, url);
    }

    /** Without the secrets: the admin token and the access keys' secrets are never printed. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", defaultRegion="
                + defaultRegion + ", ec2=" + ec2 + ", accessKeys=" + accessKeys + ", accessKeySecrets="
                + accessKeySecrets.keySet() + ", adminToken=" + (adminToken == null ? "none" : "<set>") + ", sources="
                + sources + ", storeUrl="
                + (storeUrl == null ? "none" : storeUrl.replaceFirst(":[^:@/]*@", ":<password>@")) + "]";
    }

    /**
     * The same config with ids drawn from {@code newSources} (a seed) and time from its clock: the hook for golden
     * tests and {@code --seed}.
     */
    public ServerConfig withSources(Sources newSources) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, adminToken,
                newSources, storeUrl);
    }

    /** The same config with {@code token} as the admin token of the control endpoints ({@code null}: none). */
    public ServerConfig withAdminToken(String token) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, accessKeys, accessKeySecrets, token, sources,
                storeUrl);
    }

    /**
     * Whether {@code host} is a loopback address by its spelling alone: {@code localhost}, an IPv4 literal in
     * {@code 127.0.0.0/8}, or {@code ::1} (also bracketed, or as an IPv4-mapped loopback). Nothing is looked up:
     * another name is not loopback even if it resolves to one today, since it may resolve elsewhere tomorrow.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost") || h.equalsIgnoreCase("localhost.")) {
            return true;
        }
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(h);
        if (literal == null) {
            return false;
        }
        try {
            // From bytes, so no lookup; an IPv4-mapped IPv6 address comes back as its IPv4 address.
            return java.net.InetAddress.getByAddress(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void checkAdminToken(String token) {
        if (token.length() < MIN_ADMIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("the admin token must be at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces (e.g. the output of `openssl rand -hex 32`)");
        }
    }

    /**
     * The same config with static access keys (access key id to principal ARN) replacing any given before; none of
     * them has a known secret.
     */
    public ServerConfig withAccessKeys(Map<String, String> keys) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, keys, Map.of(), adminToken, sources,
                storeUrl);
    }

    /**
     * The same config with static access keys (access key id to principal ARN) and the secrets of some of them
     * (access key id to secret access key) replacing any given before.
     */
    public ServerConfig withAccessKeys(Map<String, String> keys, Map<String, String> secrets) {
        return new ServerConfig(host, port, dataDir, defaultRegion, ec2, keys, secrets, adminToken, sources,
                storeUrl);
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
        Principal principal = Principal.parse(arn).orElse(null);
        if (!(principal instanceof Principal.User || principal instanceof Principal.Root)) {
            throw new IllegalArgumentException("the access key " + id + " must map to an IAM user ARN "
                    + "(arn:aws:iam::123456789012:user/name) or an account root ARN, got '" + arn + "'");
        }
    }
}
