package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Keeps {@code docs/actions.md}, the table of every AWS action underpass answers, equal to what the code registers.
 * The full list of each service's actions comes from the AWS SDK's client interface (one method per operation), so
 * the table also counts what is not answered. Regenerate with
 * {@code ./mvnw -B -pl server -am verify -Dtest=ActionTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dunderpass.regen=true}.
 */
class ActionTableTest {
    private static final Path TABLE = Path.of("..", "docs", "actions.md");

    /** One service as the table shows it. */
    record Service(String name, String protocol, Set<String> answered, Class<? extends SdkClient> client,
            String otherwise) {}

    @Test
    void actionTableMatchesTheCode() throws IOException {
        String generated;
        try (UnderpassServer server = TestStore.start(ServerConfig.forTests())) {
            generated = render(services(server));
        }
        if (Boolean.getBoolean("underpass.regen")) {
            Files.writeString(TABLE, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(TABLE, StandardCharsets.UTF_8))
                .as("docs/actions.md is stale; regenerate it (see ActionTableTest's comment)")
                .isEqualTo(generated);
    }

    @Test
    void everyAnsweredActionIsARealOperationOfItsService() {
        try (UnderpassServer server = TestStore.start(ServerConfig.forTests())) {
            for (Service service : services(server)) {
                // The SDK spells AWS as Aws in class names (EnableAWSServiceAccess: EnableAwsServiceAccessRequest).
                assertThat(modelOperations(service.client()).stream().map(String::toLowerCase).toList())
                        .as("operations of %s", service.name())
                        .containsAll(service.answered().stream().map(String::toLowerCase).toList());
            }
        }
    }

    static List<Service> services(UnderpassServer server) {
        return List.of(
                new Service("Amazon EC2", "ec2Query", server.ec2().actions(), Ec2Client.class,
                        "`UnsupportedOperation` (400) naming the action; a name that is no EC2 action: `InvalidAction`"),
                new Service("Elastic Load Balancing v2", "awsQuery", server.elbv2().actions(),
                        ElasticLoadBalancingV2Client.class, "`InvalidAction` (400)"),
                new Service("AWS STS", "awsQuery", server.sts().actions(), StsClient.class, "`InvalidAction` (400)"),
                new Service("AWS Systems Manager (public parameters only)", "awsJson1.1", server.ssm().actions(),
                        SsmClient.class, "`UnsupportedOperationException` (400); a target that is no SSM action: "
                                + "`UnknownOperationException`"),
                new Service("AWS Organizations", "awsJson1.1", server.organizations().actions(),
                        OrganizationsClient.class, "`UnsupportedAPIEndpointException` (400); a target that is no "
                                + "Organizations action: `UnknownOperationException`"),
                new Service("AWS RAM", "restJson1", server.ram().actions(), RamClient.class,
                        "`UnknownOperationException` (404), as for a path that is no RAM operation"));
    }

    /** The operations of a service, by the request classes its SDK client's methods take. */
    static Set<String> modelOperations(Class<? extends SdkClient> client) {
        Set<String> operations = new TreeSet<>();
        for (Method method : client.getMethods()) {
            if (method.getParameterCount() == 1) {
                String type = method.getParameterTypes()[0].getSimpleName();
                if (type.endsWith("Request") && !type.equals("Request")
                        && method.getName().equalsIgnoreCase(type.substring(0, type.length() - "Request".length()))) {
                    operations.add(type.substring(0, type.length() - "Request".length()));
                }
            }
        }
        return operations;
    }

    static String render(List<Service> services) {
        StringBuilder out = new StringBuilder();
        out.append("# AWS actions underpass answers\n\n")
                .append("Generated from the code by `ActionTableTest` (it fails when this page is stale). An action\n")
                .append("listed here is decoded and encoded through the AWS SDK's model of it and answered with AWS's\n")
                .append("rules; the README's \"Known differences\" says where an answer is narrower than AWS's.\n\n")
                .append("| service | protocol | answered | operations in the AWS model | any other action |\n")
                .append("|---|---|---|---|---|\n");
        for (Service s : services) {
            out.append("| ").append(s.name()).append(" | ").append(s.protocol()).append(" | ")
                    .append(s.answered().size()).append(" | ").append(modelOperations(s.client()).size())
                    .append(" | ").append(s.otherwise()).append(" |\n");
        }
        for (Service s : services) {
            out.append("\n## ").append(s.name()).append(" (").append(s.answered().size()).append(")\n\n");
            for (String action : new TreeSet<>(s.answered())) {
                out.append("- ").append(action).append('\n');
            }
        }
        return out.toString();
    }
}
