package dev.underpass.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Starts one underpass on a free loopback port for a test class, and makes real AWS SDK clients for it. The server
 * keeps its state in memory, or on a fresh PostgreSQL database when the tests run on PostgreSQL ({@link TestStore}).
 * Clients make one attempt only, so an error a test provokes is seen as it is, not retried.
 *
 * <pre>{@code
 * @RegisterExtension static final UnderpassExtension UNDERPASS = new UnderpassExtension();
 * Ec2Client ec2 = UNDERPASS.ec2("111111111111");
 * }</pre>
 */
public final class UnderpassExtension implements BeforeAllCallback, AfterAllCallback {
    private final ServerConfig config;
    private final boolean loopbackDataPlane;
    private UnderpassServer server;

    public UnderpassExtension() {
        this(ServerConfig.forTests());
    }

    public UnderpassExtension(ServerConfig config) {
        this(config, false);
    }

    private UnderpassExtension(ServerConfig config, boolean loopbackDataPlane) {
        this.config = config;
        this.loopbackDataPlane = loopbackDataPlane;
    }

    /**
     * A server for a class that runs the loopback data plane: the class is skipped, server and all, where
     * 127.0.0.0/8 beyond 127.0.0.1 is not routed to loopback (anywhere but Linux).
     */
    public static UnderpassExtension onLoopback() {
        return onLoopback(ServerConfig.forTests());
    }

    public static UnderpassExtension onLoopback(ServerConfig config) {
        return new UnderpassExtension(config, true);
    }

    /** A server of the test configuration but for EC2's quotas (instances start at once, default VPCs on). */
    public static UnderpassExtension withQuotas(Quotas quotas) {
        return new UnderpassExtension(
                ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas)));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (loopbackDataPlane) {
            assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                    "the loopback data plane needs Linux");
        }
        server = TestStore.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public UnderpassServer server() {
        return server;
    }

    public URI endpoint() {
        return URI.create(server.endpoint());
    }

    /** An EC2 client signed as {@code account} (the access key id is the account id) in us-east-1. */
    public Ec2Client ec2(String account) {
        return ec2(account, "us-east-1");
    }

    public Ec2Client ec2(String account, String region) {
        return client(Ec2Client.builder(), endpoint(), account, Region.of(region));
    }

    /** An ELBv2 client signed as {@code account} in us-east-1. */
    public ElasticLoadBalancingV2Client elbv2(String account) {
        return client(ElasticLoadBalancingV2Client.builder(), endpoint(), account, Region.US_EAST_1);
    }

    /**
     * {@code builder} made into a client as every test's is: calling {@code endpoint}, signed with {@code account} as
     * the access key id (underpass takes any secret for it), one attempt per call and a 30-second socket timeout.
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, URI endpoint,
            String account, Region region) {
        return builder.endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(b -> b.maxAttempts(1))
                        .build())
                .build();
    }
}
