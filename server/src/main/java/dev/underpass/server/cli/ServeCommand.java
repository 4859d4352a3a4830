package dev.underpass.server.cli;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.AzMapping;
import dev.underpass.model.Regions;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import dev.underpass.store.DataDirInUseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code underpass serve}: runs the emulator until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run underpass: the AWS EC2 API for private networking, on one machine.")
public final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "${env:UNDERPASS_HOST:-127.0.0.1}",
            description = "Address to listen on (env UNDERPASS_HOST; default ${DEFAULT-VALUE}). An address other "
                    + "than loopback (127.0.0.0/8, ::1, localhost) needs --admin-token.")
    String host;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:UNDERPASS_ADMIN_TOKEN}",
            description = "Require this token (at least 16 characters) on every control endpoint but health, as "
                    + "'Authorization: Bearer TOKEN' or 'X-Underpass-Admin-Token: TOKEN' (env "
                    + "UNDERPASS_ADMIN_TOKEN, which keeps it out of the process list). Needed to listen on a "
                    + "non-loopback --host.")
    String adminToken;

    @Option(names = "--port", defaultValue = "${env:UNDERPASS_PORT:-4566}",
            description = "Port to listen on (env UNDERPASS_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:UNDERPASS_DATA_DIR:-.underpass}",
            description = "Directory of the durable store (env UNDERPASS_DATA_DIR; default ${DEFAULT-VALUE}). "
                    + "Use :memory: to keep nothing.")
    String dataDir;

    @Option(names = "--store", paramLabel = "URL", defaultValue = "${env:UNDERPASS_STORE}",
            description = "Keep the state in PostgreSQL instead of the data dir: postgresql://user:pass@host:5432/db "
                    + "(env UNDERPASS_STORE, which keeps the password out of the process list). Any number of "
                    + "servers may share one database; see docs/postgresql.md.")
    String store;

    @Option(names = "--region", defaultValue = "${env:UNDERPASS_REGION:-us-east-1}",
            description = "Region for requests signed for a global endpoint (aws-global) (env UNDERPASS_REGION; default "
                    + "${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--instance-transition", defaultValue = "${env:UNDERPASS_INSTANCE_TRANSITION:-PT0S}",
            description = "How long instances stay pending/stopping/shutting-down (and VPC endpoints pending, RAM "
                    + "associations ASSOCIATING/DISASSOCIATING), as an ISO-8601 duration "
                    + "(env UNDERPASS_INSTANCE_TRANSITION; default ${DEFAULT-VALUE}).")
    Duration instanceTransition;

    @Option(names = "--data-plane", paramLabel = "MODE", defaultValue = "${env:UNDERPASS_DATA_PLANE}",
            description = "loopback: carry real TCP through NLBs and interface endpoints on 127.0.0.0/8 (see "
                    + "docs/dataplane.md); off: records only (env UNDERPASS_DATA_PLANE; default loopback on Linux, "
                    + "off elsewhere, where 127.0.0.0/8 beyond 127.0.0.1 is not routed to loopback).")
    String dataPlane;

    @Option(names = "--dns-port", paramLabel = "PORT", defaultValue = "${env:UNDERPASS_DNS_PORT:-8053}",
            description = "With the data plane on: the port of its DNS server (UDP and TCP) on the --host address, "
                    + "answering endpoint, load balancer and instance names with loopback addresses (env "
                    + "UNDERPASS_DNS_PORT; default ${DEFAULT-VALUE}; 0 turns it off). See docs/dataplane.md.")
    int dnsPort;

    @Option(names = "--no-default-vpcs", defaultValue = "${env:UNDERPASS_NO_DEFAULT_VPCS:-false}",
            description = "Do not give each account a default VPC in each region on its first request there "
                    + "(env UNDERPASS_NO_DEFAULT_VPCS). CreateDefaultVpc still works.")
    boolean noDefaultVpcs;

    @Option(names = "--az-mapping", defaultValue = "${env:UNDERPASS_AZ_MAPPING:-aligned}", paramLabel = "MODE",
            description = "How Availability Zone names map to zone ids: aligned (every account the same, the "
                    + "default) or per-account (a deterministic permutation of each account's id, as AWS does; see "
                    + "the README) (env UNDERPASS_AZ_MAPPING).")
    String azMapping;

    @Option(names = "--quota", split = ",", paramLabel = "NAME=VALUE",
            description = "Change a service quota, e.g. --quota vpcs-per-region=50.")
    List<String> quotas = List.of();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "${env:UNDERPASS_SEED}",
            description = "Draw ids, tokens and request ids from a deterministic stream of this seed instead of at "
                    + "random (env UNDERPASS_SEED), so that the same requests, sent one at a time to a fresh store, "
                    + "get the same ids: for reproducible tests and demos, never for a shared server.")
    Long seed;

    @Option(names = "--access-key", paramLabel = "AKID[:SECRET]=ARN",
            description = "A static access key that acts as an IAM user (or an account's root), e.g. "
                    + "--access-key AKIAALICE=arn:aws:iam::123456789012:user/alice. With :SECRET, requests signed "
                    + "with the key must carry a valid SigV4 signature for that secret; without, any secret works. "
                    + "Repeatable; env UNDERPASS_ACCESS_KEYS takes the same pairs separated by commas.")
    List<String> accessKeys = List.of();

    @Option(names = "--service-upstream", paramLabel = "SERVICE=URL",
            description = "Serve an AWS service through the data plane, enforcing VPC endpoint policies, SCPs, RCPs "
                    + "and bucket policies, with this S3-compatible server behind it, e.g. "
                    + "--service-upstream s3=http://127.0.0.1:9000 (s3 or dynamodb; repeatable). See "
                    + "docs/service-endpoints.md.")
    List<String> serviceUpstreams = List.of();

    @Option(names = "--resource-policy", paramLabel = "s3:BUCKET=FILE",
            description = "The bucket policy (JSON file) of a bucket served through --service-upstream. Repeatable.")
    List<String> resourcePolicies = List.of();

    @Option(names = "--service-port", paramLabel = "PORT", defaultValue = "${env:UNDERPASS_SERVICE_PORT:-8080}",
            description = "The port the service addresses listen on (plain HTTP; env UNDERPASS_SERVICE_PORT; "
                    + "default ${DEFAULT-VALUE}).")
    int servicePort;

    /** The service endpoints' settings from the options; null when no upstream is given. */
    dev.underpass.dataplane.service.ServiceEndpoints.Settings serviceSettings(boolean loopback) {
        if (serviceUpstreams.isEmpty()) {
            if (!resourcePolicies.isEmpty()) {
                throw usageError("--resource-policy needs a --service-upstream for its service");
            }
            return null;
        }
        if (!loopback) {
            throw usageError("--service-upstream needs the data plane (--data-plane loopback)");
        }
        java.util.Map<String, java.net.URI> upstreams = new java.util.LinkedHashMap<>();
        for (String u : serviceUpstreams) {
            int eq = u.indexOf('=');
            String service = eq < 0 ? "" : u.substring(0, eq).strip();
            if (!service.equals("s3") && !service.equals("dynamodb")) {
                throw usageError("--service-upstream takes s3=URL or dynamodb=URL (http://HOST:PORT), got " + u);
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(u.substring(eq + 1).strip());
            } catch (java.net.URISyntaxException e) {
                throw usageError("--service-upstream " + u + ": " + e.getMessage());
            }
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw usageError("--service-upstream " + u + ": the upstream must be an http://HOST[:PORT] URL");
            }
            upstreams.put(service, uri);
        }
        java.util.Map<String, String> buckets = new java.util.LinkedHashMap<>();
        for (String r : resourcePolicies) {
            int eq = r.indexOf('=');
            if (!r.startsWith("s3:") || eq < 4) {
                throw usageError("--resource-policy takes s3:BUCKET=FILE, got " + r);
            }
            String bucket = r.substring(3, eq);
            String json;
            try {
                json = java.nio.file.Files.readString(Path.of(r.substring(eq + 1)));
                dev.underpass.policy.PolicyParser.parse(json);
            } catch (java.io.IOException e) {
                throw usageError("--resource-policy " + r + ": cannot read " + r.substring(eq + 1) + ": " + e);
            } catch (dev.underpass.policy.PolicyParseException e) {
                throw usageError("--resource-policy " + r + ": " + e.getMessage());
            }
            buckets.put(bucket, json);
        }
        if (servicePort < 1 || servicePort > 65535) {
            throw usageError("--service-port must be 1-65535, not " + servicePort);
        }
        return new dev.underpass.dataplane.service.ServiceEndpoints.Settings(upstreams, buckets, servicePort,
                instanceTransition);
    }

    @Override
    public Integer call() throws InterruptedException {
        // Main started it before parsing: nothing below runs while it still loads classes.
        dev.underpass.server.Prestart.await();
        UnderpassServer server;
        try {
            boolean loopback = dataPlaneOn();
            var services = serviceSettings(loopback);
            server = UnderpassServer.start(config());
            if (loopback) {
                var dp = server.startDataPlane();
                if (dnsPort > 0) {
                    try {
                        dp.startDns(server.config().host(), dnsPort);
                    } catch (Exception e) {
                        // Netty rethrows the BindException unchecked: the API and the data plane go on without DNS.
                        System.err.println("underpass: no DNS server: cannot listen on port " + dnsPort + ": " + e);
                    }
                }
                if (services != null) {
                    server.startServiceEndpoints(services);
                }
            }
        } catch (DataDirInUseException e) {
            System.err.println("underpass: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            if (store == null || store.isEmpty()) {
                throw e;
            }
            System.err.println("underpass: " + e.getMessage()); // The store's messages never quote the password.
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "underpass-shutdown"));
        stopped.await();
        return 0;
    }

    /** Whether {@code --data-plane} (or its default for this OS) turns the loopback data plane on. */
    boolean dataPlaneOn() {
        String mode = dataPlane == null || dataPlane.isBlank()
                ? (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                        ? "loopback" : "off")
                : dataPlane.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "loopback" -> true;
            case "off" -> false;
            default -> throw usageError("--data-plane must be loopback or off, not '" + dataPlane + "'");
        };
    }

    /** The {@code --az-mapping} mode; anything but its two values is a usage error. */
    AzMapping azMapping() {
        try {
            return AzMapping.fromWire(azMapping);
        } catch (IllegalArgumentException e) {
            throw usageError("--az-mapping: " + e.getMessage());
        }
    }

    /** A usage error (exit code 2), reported on this command's own error stream with its usage. */
    private picocli.CommandLine.ParameterException usageError(String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * The server's configuration from the options, checked before anything is opened or bound: a bad option (a
     * non-loopback {@code --host} without {@code --admin-token} among them) is a usage error, exit code 2.
     */
    ServerConfig config() {
        if (!Regions.exists(region)) {
            throw usageError("--region " + region + " is not an AWS commercial region");
        }
        Quotas q = Quotas.defaults();
        for (String quota : quotas) {
            int eq = quota.indexOf('=');
            if (eq < 0) {
                throw usageError("--quota takes NAME=VALUE, got " + quota);
            }
            try {
                q = q.with(quota.substring(0, eq), Integer.parseInt(quota.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw usageError(e.getMessage());
            }
        }
        // Keys given as options replace keys of the same id from the environment.
        String fromEnv = System.getenv("UNDERPASS_ACCESS_KEYS");
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> secrets = new java.util.LinkedHashMap<>();
        try {
            List<ServerConfig.AccessKeySpec> specs = new java.util.ArrayList<>(ServerConfig.parseAccessKeySpecs(
                    fromEnv == null ? List.of() : List.of(fromEnv.split(","))));
            specs.addAll(ServerConfig.parseAccessKeySpecs(accessKeys));
            for (ServerConfig.AccessKeySpec k : specs) {
                keys.put(k.id(), k.arn());
                if (k.secret() == null) {
                    secrets.remove(k.id());
                } else {
                    secrets.put(k.id(), k.secret());
                }
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        if (store != null && !store.isEmpty() && !store.matches("(?i)(jdbc:)?postgres(ql)?://.+")) {
            throw usageError("--store takes postgresql://user:pass@host:port/db");
        }
        // With a shared store the data dir is not used.
        Path dir = dataDir.equals(":memory:") || (store != null && !store.isEmpty()) ? null
                : Path.of(dataDir).toAbsolutePath();
        String token = adminToken == null || adminToken.isEmpty() ? null : adminToken;
        try {
            return new ServerConfig(host, port, dir, region,
                    new Ec2Api.Settings(instanceTransition, !noDefaultVpcs, q, azMapping()), keys, secrets, token,
                    seed == null ? ServerConfig.Sources.system() : ServerConfig.Sources.seeded(seed),
                    store == null || store.isEmpty() ? null : store);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }
}
