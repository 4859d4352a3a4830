package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.UnsupportedOperationException;

/** SSM's public AMI parameters through the SDK's SsmClient (awsJson1.1), and the JSON wire below it. */
class SsmApiTest {
    private static final String ACCOUNT = "747474747474";
    private static final String PATH = "/aws/service/ami-amazon-linux-latest";
    private static final String AL2023 = PATH + "/al2023-ami-kernel-default-x86_64";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static SsmClient ssm(String region) {
        return UnderpassExtension.client(SsmClient.builder(), UNDERPASS.endpoint(), ACCOUNT, Region.of(region));
    }

    private final SsmClient ssm = ssm("us-east-1");
    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);

    private Image image(Ec2Client client, String id) {
        return client.describeImages(r -> r.imageIds(id)).images().get(0);
    }

    @Test
    void getParameter_latestAmazonLinux2023_pointsAtTheCatalogueImageOfTheRegion() {
        Parameter p = ssm.getParameter(r -> r.name(AL2023)).parameter();

        assertThat(p.name()).isEqualTo(AL2023);
        assertThat(p.typeAsString()).isEqualTo("String");
        assertThat(p.dataType()).isEqualTo("text");
        assertThat(p.version()).isPositive();
        assertThat(p.lastModifiedDate()).isNotNull();
        assertThat(p.arn()).isEqualTo("arn:aws:ssm:us-east-1::parameter" + AL2023);
        Image image = image(ec2, p.value());
        assertThat(image.name()).startsWith("al2023-ami-2023.").endsWith("-kernel-6.1-x86_64");
        assertThat(image.ownerId()).isEqualTo("137112412989");

        String west = ssm("eu-west-1").getParameter(r -> r.name(AL2023)).parameter().value();
        assertThat(west).isNotEqualTo(p.value());
        assertThat(image(UNDERPASS.ec2(ACCOUNT, "eu-west-1"), west).name()).isEqualTo(image.name());

        Parameter arm = ssm.getParameter(r -> r.name(PATH + "/al2023-ami-kernel-default-arm64")).parameter();
        assertThat(image(ec2, arm.value()).architectureAsString()).isEqualTo("arm64");
        Parameter al2 = ssm.getParameter(r -> r.name(PATH + "/amzn2-ami-hvm-x86_64-gp2")).parameter();
        assertThat(image(ec2, al2.value()).name()).startsWith("amzn2-ami-hvm-2.0.").endsWith("-x86_64-gp2");
    }

    @Test
    void getParameter_byArnAndVersionSelector_answersTheSameValue() {
        Parameter plain = ssm.getParameter(r -> r.name(AL2023)).parameter();
        Parameter byArn = ssm.getParameter(r -> r.name(plain.arn())).parameter();
        Parameter byVersion = ssm.getParameter(r -> r.name(AL2023 + ":" + plain.version())).parameter();

        assertThat(byArn.value()).isEqualTo(plain.value());
        assertThat(byVersion.value()).isEqualTo(plain.value());
        assertThat(byVersion.selector()).isEqualTo(":" + plain.version());
        assertThatThrownBy(() -> ssm.getParameter(r -> r.name(AL2023 + ":1")))
                .isInstanceOfSatisfying(SsmException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterVersionNotFound");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void getParameter_unknownName_failsWithParameterNotFound() {
        assertThatThrownBy(() -> ssm.getParameter(r -> r.name(PATH + "/al2023-ami-kernel-default-sparc")))
                .isInstanceOfSatisfying(ParameterNotFoundException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterNotFound");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).isNotBlank();
                });
        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/my/own/parameter")))
                .isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void getParameters_listsUnknownNamesAsInvalid() {
        GetParametersResponse r = ssm.getParameters(q -> q.names(AL2023, PATH + "/nope",
                PATH + "/amzn2-ami-hvm-arm64-gp2"));

        assertThat(r.parameters()).extracting(Parameter::name).containsExactlyInAnyOrder(AL2023,
                PATH + "/amzn2-ami-hvm-arm64-gp2");
        assertThat(r.invalidParameters()).containsExactly(PATH + "/nope");

        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(AL2023 + i);
        }
        assertThatThrownBy(() -> ssm.getParameters(q -> q.names(eleven)))
                .isInstanceOfSatisfying(SsmException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void getParametersByPath_pagesThroughTheLatestAmiParameters() {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            GetParametersByPathResponse page = ssm.getParametersByPath(r -> r.path(PATH).maxResults(4).nextToken(t));
            assertThat(page.parameters().size()).isLessThanOrEqualTo(4);
            page.parameters().forEach(p -> names.add(p.name()));
            token = page.nextToken();
        } while (token != null);

        assertThat(names).doesNotHaveDuplicates().contains(AL2023, PATH + "/al2023-ami-kernel-default-arm64",
                PATH + "/amzn2-ami-hvm-x86_64-gp2").hasSize(6);
        assertThat(ssm.getParametersByPath(r -> r.path("/aws/service")).parameters()).isEmpty();
        assertThat(ssm.getParametersByPath(r -> r.path("/aws/service").recursive(true).maxResults(10))
                .parameters()).hasSize(6);
        assertThat(ssm.getParametersByPath(r -> r.path(PATH).parameterFilters(ParameterStringFilter.builder()
                .key("Type").values("SecureString").build())).parameters()).isEmpty();
        assertThatThrownBy(() -> ssm.getParametersByPath(r -> r.path(PATH).parameterFilters(
                ParameterStringFilter.builder().key("Name").values("x").build())))
                .isInstanceOfSatisfying(SsmException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidFilterKey"));
        assertThatThrownBy(() -> ssm.getParametersByPath(r -> r.path(PATH).maxResults(11)))
                .isInstanceOfSatisfying(SsmException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void otherSsmActions_failWithUnsupportedOperationException() {
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/app/db").value("x").type("String")))
                .isInstanceOfSatisfying(UnsupportedOperationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnsupportedOperationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void theParameterValue_launchesAnInstance() {
        String ami = ssm.getParameter(r -> r.name(AL2023)).parameter().value();
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.74.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.74.1.0/24")).subnet();

        String id = ec2.runInstances(r -> r.imageId(ami).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet.subnetId())).instances().get(0).instanceId();

        assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("image-id").values(ami).build()))
                .reservations()).flatExtracting(x -> x.instances()).extracting(i -> i.instanceId()).contains(id);
        TestVpcs.tearDown(ec2, vpc.vpcId());
    }

    /** A POST as the SDK sends it, with {@code target} as X-Amz-Target unless null. */
    private static HttpResponse<String> raw(String target, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(UNDERPASS.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", RawHttp.authorization(ACCOUNT, "us-east-1", "ssm"))
                .header("X-Amz-Date", RawHttp.amzDate())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            b.header("X-Amz-Target", target);
        }
        return RawHttp.send(b.build());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        return JSON.readTree(r.body());
    }

    @Test
    void rawJson_unreadableBodiesAndUnknownTargets_getJsonErrors() throws Exception {
        HttpResponse<String> ok = raw("AmazonSSM.GetParameter", "{\"Name\":\"" + AL2023 + "\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).at("/Parameter/Value").asText()).matches("ami-0[0-9a-f]{16}");
        assertThat(json(ok).at("/Parameter/LastModifiedDate").isNumber()).isTrue();

        HttpResponse<String> notJson = raw("AmazonSSM.GetParameter", "{\"Name\":");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("__type").asText()).isEqualTo("SerializationException");

        HttpResponse<String> wrongType = raw("AmazonSSM.GetParameter", "{\"Name\":42}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(json(wrongType).get("__type").asText()).isEqualTo("SerializationException");

        HttpResponse<String> array = raw("AmazonSSM.GetParameters", "[1,2]");
        assertThat(json(array).get("__type").asText()).isEqualTo("SerializationException");

        HttpResponse<String> unknown = raw("AmazonSSM.FlyToTheMoon", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<String> otherService = raw("AWSOrganizationsV20161128.ListAccounts", "{}");
        assertThat(json(otherService).get("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<String> noTarget = raw(null, "{}");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(json(noTarget).get("__type").asText()).isEqualTo("UnknownOperationException");
    }
}
