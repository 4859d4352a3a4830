package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.DefaultVpcs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** {@code POST /_underpass/reset} and its moto alias: atomic, durable, per account or whole. */
class ResetTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static final String A = "300000000001";
    private static final String B = "300000000002";

    private String endpoint;

    @BeforeEach
    void start() {
        endpoint = UNDERPASS.server().endpoint();
        // Each test starts from nothing; this is also what a suite would do between its tests.
        assertThat(TestClients.reset(endpoint, "/_underpass/reset").status()).isEqualTo(200);
    }

    private static void assertVpcNotFound(Ec2Client ec2, String vpcId) {
        assertThatThrownBy(() -> ec2.describeVpcs(r -> r.vpcIds(vpcId))).isInstanceOfSatisfying(Ec2Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidVpcID.NotFound"));
    }

    private static String defaultVpcId(Ec2Client ec2) {
        return ec2.describeVpcs().vpcs().stream().filter(Vpc::isDefault).map(Vpc::vpcId).findFirst().orElseThrow();
    }

    @Test
    void reset_emptiesEverything_andTheNextRequestGetsAFreshDefaultVpc() {
        Ec2Client a = UNDERPASS.ec2(A);
        String oldDefault = defaultVpcId(a);
        String custom = a.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        int before = UNDERPASS.server().store().world().size();

        TestClients.Answer answer = TestClients.reset(endpoint, "/_underpass/reset");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("reset").asBoolean()).isTrue();
        assertThat(answer.body().get("account").isNull()).isTrue();
        assertThat(answer.body().get("removed").asInt()).isEqualTo(before);
        assertThat(UNDERPASS.server().store().world().size()).isZero();

        List<Vpc> vpcs = a.describeVpcs().vpcs();
        assertThat(vpcs).singleElement().satisfies(v -> {
            assertThat(v.isDefault()).isTrue();
            assertThat(v.vpcId()).isNotEqualTo(oldDefault);
        });
        assertVpcNotFound(a, custom);
    }

    @Test
    void reset_ofOneAccount_leavesOtherAccountsResources() {
        Ec2Client a = UNDERPASS.ec2(A);
        Ec2Client b = UNDERPASS.ec2(B);
        String aCustom = a.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String bCustom = b.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String bDefault = defaultVpcId(b);
        World before = UNDERPASS.server().store().world();
        long aResources = before.everything().stream().filter(r -> r.ownerId().equals(A)).count();

        TestClients.Answer answer = TestClients.reset(endpoint, "/_underpass/reset?account=" + A);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("account").asText()).isEqualTo(A);
        assertThat(answer.body().get("removed").asLong()).isEqualTo(aResources);
        World after = UNDERPASS.server().store().world();
        assertThat(after.everything()).noneMatch(r -> r.ownerId().equals(A));
        assertThat(after.everything()).extracting(Resource::id)
                .containsExactlyInAnyOrderElementsOf(before.everything().stream()
                        .filter(r -> r.ownerId().equals(B)).map(Resource::id).toList());

        assertThat(b.describeVpcs().vpcs()).extracting(Vpc::vpcId).containsExactlyInAnyOrder(bDefault, bCustom);
        assertVpcNotFound(a, aCustom);
        assertThat(a.describeVpcs().vpcs()).singleElement().satisfies(v -> assertThat(v.isDefault()).isTrue());
    }

    @Test
    void reset_withAnInvalidAccount_isRefusedWith400_andChangesNothing() {
        UNDERPASS.ec2(A).describeVpcs();
        int size = UNDERPASS.server().store().world().size();

        for (String bad : List.of("12345", "abcdefghijkl", "1234567890123", "")) {
            TestClients.Answer answer = TestClients.reset(endpoint, "/_underpass/reset?account=" + bad);
            assertThat(answer.status()).as("account '%s'", bad).isEqualTo(400);
            assertThat(answer.body().get("error").asText()).isEqualTo("InvalidParameterValue");
            assertThat(answer.body().get("message").asText()).contains("'" + bad + "'");
        }
        TestClients.Answer get = TestClients.call("GET", endpoint, "/_underpass/reset");
        assertThat(get.status()).isEqualTo(405);
        assertThat(UNDERPASS.server().store().world().size()).isEqualTo(size);
    }

    @Test
    void motoReset_isAnAliasOfReset() {
        String custom = UNDERPASS.ec2(A).createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();

        TestClients.Answer answer = TestClients.reset(endpoint, "/moto-api/reset");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("reset").asBoolean()).isTrue();
        assertThat(UNDERPASS.server().store().world().size()).isZero();
        assertVpcNotFound(UNDERPASS.ec2(A), custom);
    }

    /**
     * Readers list the subnets of an account over and over while the account is reset. Each answer must come from
     * one world: before, the default VPC's three subnets plus four in each of three VPCs of the reader's; after, a
     * fresh default VPC's three. Anything else (a VPC with some of its subnets, the custom VPCs without the default
     * one) would be a half-reset world.
     */
    @Test
    void reset_underConcurrentReaders_isSeenWholeOrNotAtAll() throws Exception {
        String region = "eu-west-1";
        Ec2Client a = UNDERPASS.ec2(A, region);
        String oldDefault = defaultVpcId(a);
        Set<String> custom = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            String vpc = a.createVpc(r -> r.cidrBlock("10.1" + n + ".0.0/16")).vpc().vpcId();
            custom.add(vpc);
            for (int j = 0; j < 4; j++) {
                int m = j;
                a.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1" + n + "." + m + ".0/24"));
            }
        }
        Map<String, Integer> old = new java.util.HashMap<>();
        old.put(oldDefault, 3);
        custom.forEach(id -> old.put(id, 4));

        int readers = 4;
        CountDownLatch warmedUp = new CountDownLatch(readers);
        AtomicBoolean resetDone = new AtomicBoolean();
        ConcurrentLinkedQueue<Map<String, Integer>> views = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < readers; t++) {
                running.add(pool.submit(() -> {
                    Ec2Client reader = UNDERPASS.ec2(A, region);
                    int afterReset = 0;
                    for (int i = 0; afterReset < 20 && i < 5_000; i++) {
                        boolean done = resetDone.get();
                        List<Subnet> subnets = reader.describeSubnets().subnets();
                        views.add(subnets.stream().collect(Collectors.groupingBy(Subnet::vpcId,
                                Collectors.collectingAndThen(Collectors.counting(), Long::intValue))));
                        if (i == 4) {
                            warmedUp.countDown();
                        }
                        if (done) {
                            afterReset++;
                        }
                    }
                    return null;
                }));
            }
            assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
            TestClients.Answer answer = TestClients.reset(endpoint, "/_underpass/reset?account=" + A);
            resetDone.set(true);
            assertThat(answer.status()).isEqualTo(200);
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> defaults = a.describeVpcs().vpcs().stream().map(Vpc::vpcId).toList();
        assertThat(defaults).hasSize(1).doesNotContain(oldDefault);
        Map<String, Integer> fresh = Map.of(defaults.get(0), 3);
        assertThat(views).allSatisfy(view -> assertThat(view).isIn(old, fresh));
        assertThat(views).contains(old, fresh);
    }

    @Test
    void restart_afterReset_showsTheResetState(@TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests().withDataDir(dir);
        String aCustom;
        String bCustom;
        try (UnderpassServer server = TestStore.start(config)) {
            Ec2Client a = TestClients.ec2(server.endpoint(), A, "us-east-1");
            Ec2Client b = TestClients.ec2(server.endpoint(), B, "us-east-1");
            aCustom = a.createVpc(r -> r.cidrBlock("10.3.0.0/16")).vpc().vpcId();
            bCustom = b.createVpc(r -> r.cidrBlock("10.3.0.0/16")).vpc().vpcId();
            assertThat(TestClients.reset(server.endpoint(), "/_underpass/reset?account=" + A).status())
                    .isEqualTo(200);
        }
        try (UnderpassServer server = TestStore.start(config)) {
            World w = server.store().world();
            assertThat(w.everything()).isNotEmpty().noneMatch(r -> r.ownerId().equals(A));
            assertThat(DefaultVpcs.isSetUp(w, Caller.of(A, "us-east-1"))).isFalse();
            assertThat(w.find(dev.underpass.model.ec2.Vpc.class, bCustom)).isPresent();

            Ec2Client a = TestClients.ec2(server.endpoint(), A, "us-east-1");
            assertVpcNotFound(a, aCustom);
            assertThat(a.describeVpcs().vpcs()).singleElement().satisfies(v -> assertThat(v.isDefault()).isTrue());

            assertThat(TestClients.reset(server.endpoint(), "/_underpass/reset").status()).isEqualTo(200);
        }
        try (UnderpassServer server = TestStore.start(config)) {
            assertThat(server.store().world().size()).isZero();
        }
    }
}
