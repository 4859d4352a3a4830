package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Two servers on one PostgreSQL database, as two nodes behind a load balancer would be: what one node commits the
 * other serves shortly after, a rule that spans resources holds across them, and concurrent writes spread over
 * both lose nothing.
 */
class TwoNodeTest {
    private static final String ACCOUNT = "111111111111";

    private UnderpassServer a;
    private UnderpassServer b;

    @BeforeEach
    void startTwoNodes() {
        String url = TestPostgres.newDatabase();
        a = UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url));
        b = UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still not true at the deadline: " + what).isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    @Test
    void aVpcCreatedOnOneNode_isDescribedOnTheOther_andTheHealthNamesTheStore() throws Exception {
        try (Ec2Client onA = TestClients.ec2(a.endpoint(), ACCOUNT, "us-east-1");
                Ec2Client onB = TestClients.ec2(b.endpoint(), ACCOUNT, "us-east-1")) {
            Vpc vpc = onA.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc();
            // Read-your-writes on the node that wrote.
            assertThat(onA.describeVpcs(r -> r.vpcIds(vpc.vpcId())).vpcs()).extracting(Vpc::cidrBlock)
                    .containsExactly("10.20.0.0/16");
            eventually("node B sees " + vpc.vpcId(), () -> onB.describeVpcs().vpcs().stream()
                    .anyMatch(v -> v.vpcId().equals(vpc.vpcId())));
            assertThat(onB.describeVpcs(r -> r.vpcIds(vpc.vpcId())).vpcs()).extracting(Vpc::cidrBlock)
                    .containsExactly("10.20.0.0/16");

            onB.deleteVpc(r -> r.vpcId(vpc.vpcId()));
            eventually("node A sees the delete", () -> onA.describeVpcs().vpcs().stream()
                    .noneMatch(v -> v.vpcId().equals(vpc.vpcId())));
        }
        TestClients.Answer health = TestClients.call("GET", b.endpoint(), "/_underpass/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("ok");
        assertThat(health.body().path("store").asText()).startsWith("postgresql");
        assertThat(health.body().path("store").asText()).doesNotContain("postgres:postgres@");
    }

    @Test
    void overlappingSubnetsCreatedAtOnceOnBothNodes_exactlyOneWins() throws Exception {
        try (Ec2Client onA = TestClients.ec2(a.endpoint(), ACCOUNT, "us-east-1");
                Ec2Client onB = TestClients.ec2(b.endpoint(), ACCOUNT, "us-east-1")) {
            String vpcId = onA.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
            eventually("node B sees the VPC", () -> onB.describeVpcs().vpcs().stream()
                    .anyMatch(v -> v.vpcId().equals(vpcId)));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 10; round++) {
                    String wide = "10.30." + (round * 8) + ".0/21";
                    String narrow = "10.30." + (round * 8 + 2) + ".0/24";
                    CountDownLatch go = new CountDownLatch(1);
                    Future<String> fromA = pool.submit(createSubnet(onA, vpcId, wide, go));
                    Future<String> fromB = pool.submit(createSubnet(onB, vpcId, narrow, go));
                    go.countDown();
                    List<String> outcomes = List.of(fromA.get(), fromB.get());
                    assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder("ok",
                            "InvalidSubnet.Conflict");
                }
            } finally {
                pool.shutdownNow();
            }
            // Both nodes end with the same ten subnets.
            eventually("both nodes hold the ten winners", () -> subnets(onA, vpcId) == 10 && subnets(onB, vpcId) == 10);
        }
    }

    private static int subnets(Ec2Client ec2, String vpcId) {
        return ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(vpcId))).subnets().size();
    }

    private static Callable<String> createSubnet(Ec2Client ec2, String vpcId, String cidr, CountDownLatch go) {
        return () -> {
            go.await();
            try {
                ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr));
                return "ok";
            } catch (Ec2Exception e) {
                return e.awsErrorDetails().errorCode();
            }
        };
    }

    @Test
    void eightClientsWritingOverTwoNodes_loseNothing() throws Exception {
        int clients = 8;
        int perClient = 12;
        List<String> accounts = List.of("111111111111", "222222222222");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Ec2Client> opened = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int c = 0; c < clients; c++) {
                UnderpassServer node = c % 2 == 0 ? a : b;
                Ec2Client ec2 = TestClients.ec2(node.endpoint(), accounts.get((c / 2) % 2), "us-east-1");
                opened.add(ec2);
                int client = c;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perClient; i++) {
                        String name = "c" + client + "-" + i;
                        // Into each account's default VPC, which both nodes may set up at once on first use.
                        ec2.createSecurityGroup(r -> r.groupName(name).description(name));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try {
            for (UnderpassServer node : List.of(a, b)) {
                for (String account : accounts) {
                    try (Ec2Client ec2 = TestClients.ec2(node.endpoint(), account, "us-east-1")) {
                        eventually(account + " complete on " + node.endpoint(),
                                () -> groupNames(ec2).size() == clients / 2 * perClient + 1);
                        assertThat(ec2.describeVpcs(r -> r.filters(f -> f.name("is-default").values("true")))
                                .vpcs()).as("one default VPC, set up once across nodes").hasSize(1);
                    }
                }
            }
        } finally {
            opened.forEach(Ec2Client::close);
        }
    }

    private static List<String> groupNames(Ec2Client ec2) {
        return ec2.describeSecurityGroups().securityGroups().stream().map(SecurityGroup::groupName).toList();
    }
}
