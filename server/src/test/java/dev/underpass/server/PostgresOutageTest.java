package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * PostgreSQL stops under a node and comes back: meanwhile writes are refused with ServiceUnavailable and change
 * nothing, the node reports itself degraded and keeps serving reads of the last world it saw; afterwards it recovers
 * by itself, without a restart.
 */
class PostgresOutageTest {
    @TempDir
    Path pgData;

    private EmbeddedPostgres startPostgres(int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("still not true at the deadline: " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static int health(UnderpassServer node) {
        return TestClients.call("GET", node.endpoint(), "/_underpass/health").status();
    }

    @Test
    void postgresStoppedAndStarted_refusesWritesMeanwhile_andRecoversByItself() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = startPostgres(port);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE outage");
        }
        String url = "postgresql://postgres:postgres@127.0.0.1:" + port + "/outage";
        try (UnderpassServer node = UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url));
                Ec2Client ec2 = TestClients.ec2(node.endpoint(), "111111111111", "us-east-1")) {
            String before = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
            assertThat(health(node)).isEqualTo(200);

            pg.close();
            Ec2Assertions.assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")), "ServiceUnavailable", 503);
            eventually("the node reports itself degraded", () -> health(node) == 503);
            assertThat(TestClients.call("GET", node.endpoint(), "/_underpass/health").body().path("status").asText())
                    .isEqualTo("degraded");
            // Reads go on from the last world the node saw.
            assertThat(ec2.describeVpcs(r -> r.vpcIds(before)).vpcs()).extracting(Vpc::cidrBlock)
                    .containsExactly("10.1.0.0/16");

            pg = startPostgres(port);
            eventually("the node is healthy again", () -> health(node) == 200);
            String after = ec2.createVpc(r -> r.cidrBlock("10.3.0.0/16")).vpc().vpcId();
            assertThat(ec2.describeVpcs(r -> r.filters(f -> f.name("is-default").values("false"))).vpcs())
                    .extracting(Vpc::vpcId).containsExactlyInAnyOrder(before, after);
        } finally {
            pg.close();
        }
    }
}
