package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** {@code underpass export} and {@code import} move a store from SQLite to PostgreSQL and back, whole. */
class ExportImportCommandTest {
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static String newDatabase(String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "postgresql://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    private record Run(int status, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, err.toString());
    }

    private static Ec2Client ec2(UnderpassServer server) {
        return Ec2Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("111111111111", "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Test
    void sqliteToPostgresAndBack_keepsEveryResource_andRefusesANonEmptyTarget() throws Exception {
        Path sqlite = dir.resolve("sqlite");
        String vpcId;
        String subnetId;
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withDataDir(sqlite));
                Ec2Client ec2 = ec2(server)) {
            vpcId = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
            subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.9.1.0/24")).subnet().subnetId();
        }
        Path file = dir.resolve("backup.jsonl");
        Run export = run("export", "--data-dir", sqlite.toString(), "-o", file.toString());
        assertThat(export.status()).as(export.err()).isZero();
        assertThat(export.err()).contains("exported ").contains(" resources at version ");
        assertThat(Files.readAllLines(file).get(0)).startsWith("{\"underpass\":\"export\",\"format\":1,");

        String url = newDatabase("imported");
        Run imported = run("import", "--store", url, "-i", file.toString());
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("imported ").doesNotContain("postgres:postgres");
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url));
                Ec2Client ec2 = ec2(server)) {
            assertThat(ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs()).extracting(Vpc::cidrBlock)
                    .containsExactly("10.9.0.0/16");
            assertThat(ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets()).extracting(Subnet::vpcId)
                    .containsExactly(vpcId);
        }

        Run again = run("import", "--store", url, "-i", file.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("the target store is not empty");

        Path back = dir.resolve("back.jsonl");
        assertThat(run("export", "--store", url, "-o", back.toString()).status()).isZero();
        Path sqlite2 = dir.resolve("sqlite2");
        assertThat(run("import", "--data-dir", sqlite2.toString(), "-i", back.toString()).status()).isZero();
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withDataDir(sqlite2));
                Ec2Client ec2 = ec2(server)) {
            assertThat(ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets()).extracting(Subnet::cidrBlock)
                    .containsExactly("10.9.1.0/24");
        }
    }

    @Test
    void import_ofACutOrForeignFile_failsAndWritesNothing() throws Exception {
        Path foreign = dir.resolve("foreign.json");
        Files.writeString(foreign, "{\"hello\":1}\n");
        String url = newDatabase("refused");
        Run run = run("import", "--store", url, "-i", foreign.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("not an underpass export");

        Path cut = dir.resolve("cut.jsonl");
        Files.writeString(cut, "{\"underpass\":\"export\",\"format\":1,\"version\":3,\"resources\":2}\n");
        run = run("import", "--store", url, "-i", cut.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("cut short");

        Path empty = dir.resolve("empty.jsonl");
        assertThat(run("export", "--store", url, "-o", empty.toString()).status()).isZero();
        assertThat(Files.readAllLines(empty)).singleElement().asString().contains("\"version\":0,\"resources\":0");
    }
}
