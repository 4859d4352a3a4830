package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Who may use the control endpoints: on loopback without an admin token, unsigned calls act for every account (as
 * before) and SigV4-signed calls act for their signer's account only; with an admin token every control endpoint but
 * health needs it, and health no longer shows the data directory to those without it. Requests are raw HTTP, signed
 * by the AWS SDK's own SigV4 signer where signed.
 */
class ControlSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROVIDER = "510000000001";
    private static final String CONSUMER = "510000000002";
    private static final String STRANGER = "510000000003";
    private static final String OPS_KEY = "AKIAOPSCONTROL";
    private static final String OPS_SECRET = "opsSecretForControlCalls0123456789";
    private static final String TOKEN = "t0k3n-for-the-control-endpoints-7f3a";

    @RegisterExtension
    static final UnderpassExtension OPEN = new UnderpassExtension(ServerConfig.forTests().withAccessKeys(
            Map.of(OPS_KEY, "arn:aws:iam::" + PROVIDER + ":user/ops"), Map.of(OPS_KEY, OPS_SECRET)));

    @RegisterExtension
    static final UnderpassExtension GUARDED = new UnderpassExtension(ServerConfig.forTests().withAdminToken(TOKEN));

    private static ServiceConfiguration service;
    private static String endpointId;

    /** An answer of a control endpoint: status and JSON body. */
    private record Answer(int status, JsonNode body, String raw) {}

    /**
     * A provider's endpoint service (with a private DNS name, a notification on Connect and Delete) and a consumer's
     * endpoint to it (with its own notification on Delete), connected and deleted: three events, two of them the
     * provider's and one the consumer's.
     */
    @BeforeAll
    static void privateLinkWithNotificationsOnBothSides() {
        Ec2Client provider = OPEN.ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = OPEN.elbv2(PROVIDER);
        String vpc = provider.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = provider.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String b = provider.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        String nlb = elb.createLoadBalancer(r -> r.name("ctl").type("network").scheme("internal").subnets(a, b))
                .loadBalancers().get(0).loadBalancerArn();
        service = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(false).privateDnsName("api.control-test.example")).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + CONSUMER + ":root"));
        provider.createVpcEndpointConnectionNotification(r -> r.serviceId(service.serviceId())
                .connectionNotificationArn("arn:aws:sns:us-east-1:" + PROVIDER + ":provider-topic")
                .connectionEvents("Connect", "Delete"));

        Ec2Client consumer = OPEN.ec2(CONSUMER);
        String cvpc = consumer.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String cs = consumer.createSubnet(r -> r.vpcId(cvpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        endpointId = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(cs)).vpcEndpoint().vpcEndpointId();
        consumer.createVpcEndpointConnectionNotification(r -> r.vpcEndpointId(endpointId)
                .connectionNotificationArn("arn:aws:sns:us-east-1:" + CONSUMER + ":consumer-topic")
                .connectionEvents("Delete"));
        consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(endpointId));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Requests

    /** An unsigned control call with {@code headers}. */
    private static Answer call(URI endpoint, String method, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return answer(RawHttp.send(b.build()));
    }

    private static Answer call(URI endpoint, String method, String pathAndQuery) {
        return call(endpoint, method, pathAndQuery, Map.of());
    }

    /**
     * A control call signed by the SDK's SigV4 signer as {@code accessKey} with {@code secret} (for EC2 in
     * us-east-1), plus {@code headers} added after signing, as a proxy would add them.
     */
    private static Answer signed(URI endpoint, String method, String pathAndQuery, String accessKey, String secret,
            Map<String, String> headers) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(endpoint.resolve(pathAndQuery)).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(""))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri())
                .method(method, HttpRequest.BodyPublishers.noBody());
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        headers.forEach(b::header);
        return answer(RawHttp.send(b.build()));
    }

    /** Signed as {@code account}'s root user (the access key id is the account; underpass knows no secret). */
    private static Answer signed(URI endpoint, String method, String pathAndQuery, String account) {
        return signed(endpoint, method, pathAndQuery, account, "any-secret", Map.of());
    }

    private static Answer answer(HttpResponse<String> r) {
        try {
            return new Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events' {@code type notificationOwner} pairs, in order. */
    private static List<String> events(Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        a.body().forEach(e -> out.add(e.get("type").asText() + " " + e.get("notificationOwner").asText()));
        return out;
    }

    private static String privateDnsState(String serviceId) {
        return OPEN.ec2(PROVIDER).describeVpcEndpointServiceConfigurations(r -> r.serviceIds(serviceId))
                .serviceConfigurations().get(0).privateDnsNameConfiguration().stateAsString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events

    @Test
    void events_unsignedOnLoopback_listEveryAccountsEvents_asBefore() {
        assertThat(events(call(OPEN.endpoint(), "GET", "/_underpass/events?serviceId=" + service.serviceId())))
                .containsExactlyInAnyOrder("Connect " + PROVIDER, "Delete " + PROVIDER, "Delete " + CONSUMER);
    }

    @Test
    void events_signed_listOnlyTheEventsOfTheSignersOwnNotifications() {
        String byService = "/_underpass/events?serviceId=" + service.serviceId();
        assertThat(events(signed(OPEN.endpoint(), "GET", byService, PROVIDER)))
                .containsExactly("Connect " + PROVIDER, "Delete " + PROVIDER);
        assertThat(events(signed(OPEN.endpoint(), "GET", byService, CONSUMER)))
                .containsExactly("Delete " + CONSUMER);
        assertThat(events(signed(OPEN.endpoint(), "GET", "/_underpass/events", CONSUMER)))
                .containsExactly("Delete " + CONSUMER);
        // A stranger learns nothing, not even that the service or endpoint exists: the same empty list as for ids
        // that name nothing.
        assertThat(events(signed(OPEN.endpoint(), "GET", byService, STRANGER))).isEmpty();
        assertThat(events(signed(OPEN.endpoint(), "GET", "/_underpass/events?endpointId=" + endpointId, STRANGER)))
                .isEmpty();
        assertThat(events(signed(OPEN.endpoint(), "GET", "/_underpass/events", STRANGER))).isEmpty();
        assertThat(events(signed(OPEN.endpoint(), "GET",
                "/_underpass/events?serviceId=vpce-svc-0123456789abcdef0", STRANGER))).isEmpty();
    }

    @Test
    void events_signedByAStaticKey_actForItsAccount_andAWrongSecretIsRefusedWithAuthFailure() {
        String byService = "/_underpass/events?serviceId=" + service.serviceId();
        assertThat(events(signed(OPEN.endpoint(), "GET", byService, OPS_KEY, OPS_SECRET, Map.of())))
                .containsExactly("Connect " + PROVIDER, "Delete " + PROVIDER);

        Answer wrong = signed(OPEN.endpoint(), "GET", byService, OPS_KEY, "not-the-secret", Map.of());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).isEqualTo("AuthFailure");
        assertThat(wrong.raw()).doesNotContain("Connect");
    }

    @Test
    void events_presigned_areScopedLikeSignedOnes() {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(OPEN.endpoint().resolve("/_underpass/events?serviceId=" + service.serviceId())).build();
        URI presigned = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(CONSUMER, "any-secret"))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, java.time.Duration.ofMinutes(5)))
                .request().getUri();

        assertThat(presigned.getQuery()).contains("X-Amz-Credential=" + CONSUMER);
        assertThat(events(answer(RawHttp.send(HttpRequest.newBuilder(presigned).GET().build()))))
                .containsExactly("Delete " + CONSUMER);
    }

    @Test
    void events_withAMalformedSignature_areRefused_neverTreatedAsUnsigned() {
        Answer a = call(OPEN.endpoint(), "GET", "/_underpass/events", Map.of("Authorization",
                "AWS4-HMAC-SHA256 Credential=garbage", "X-Amz-Date", RawHttp.amzDate()));
        assertThat(a.status()).isBetween(400, 499);
        assertThat(a.body().isObject()).as(a.raw()).isTrue();
        assertThat(a.body().get("error").asText()).isNotBlank();
        assertThat(a.raw()).doesNotContain("Connect");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Private DNS verification

    @Test
    void verify_signedByAnotherAccount_answersAsForAServiceThatDoesNotExist_andVerifiesNothing() {
        String missing = "vpce-svc-0123456789abcdef0";
        Answer foreign = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?serviceId="
                + service.serviceId(), STRANGER);
        Answer absent = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?serviceId=" + missing,
                STRANGER);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().get("error").asText()).isEqualTo("InvalidVpcEndpointServiceId.NotFound");
        assertThat(absent.status()).isEqualTo(foreign.status());
        assertThat(absent.raw().replace(missing, "ID")).isEqualTo(foreign.raw().replace(service.serviceId(), "ID"));

        OPEN.ec2(PROVIDER).startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(service.serviceId()));
        assertThat(privateDnsState(service.serviceId())).isEqualTo("pendingVerification");
        // Nor can a stranger act in the provider's name by naming its account.
        Answer named = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?domain=control-test.example"
                + "&account=" + PROVIDER, STRANGER);
        assertThat(named.status()).isEqualTo(403);
        assertThat(named.body().get("error").asText()).isEqualTo("AccessDenied");
    }

    @Test
    void verify_signedByTheOwner_verifiesItsService() {
        Ec2Client provider = OPEN.ec2(PROVIDER);
        String elbArn = OPEN.elbv2(PROVIDER).describeLoadBalancers().loadBalancers().get(0).loadBalancerArn();
        ServiceConfiguration own = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(elbArn).privateDnsName("api.owner-verifies.example")).serviceConfiguration();

        Answer a = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?serviceId=" + own.serviceId(),
                PROVIDER);

        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(a.body().get("verified").asText()).isEqualTo("api.owner-verifies.example");
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(own.serviceId()));
        assertThat(privateDnsState(own.serviceId())).isEqualTo("verified");
    }

    @Test
    void verify_signedDomain_provesItForTheSignersOwnServicesOnly() {
        Ec2Client provider = OPEN.ec2(PROVIDER);
        String elbArn = OPEN.elbv2(PROVIDER).describeLoadBalancers().loadBalancers().get(0).loadBalancerArn();
        Answer strangers = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?domain=proven.example",
                STRANGER);
        assertThat(strangers.status()).as(strangers.raw()).isEqualTo(200);

        ServiceConfiguration s = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(elbArn)
                .privateDnsName("api.proven.example")).serviceConfiguration();
        assertThat(s.privateDnsNameConfiguration().stateAsString()).isEqualTo("pendingVerification");
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(s.serviceId()));
        assertThat(privateDnsState(s.serviceId())).isEqualTo("pendingVerification");

        Answer owners = signed(OPEN.endpoint(), "POST", "/_underpass/private-dns/verify?domain=proven.example",
                PROVIDER);
        assertThat(owners.status()).as(owners.raw()).isEqualTo(200);
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(s.serviceId()));
        assertThat(privateDnsState(s.serviceId())).isEqualTo("verified");
        ServiceConfiguration later = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(elbArn).privateDnsName("www.proven.example")).serviceConfiguration();
        assertThat(later.privateDnsNameConfiguration().stateAsString()).isEqualTo("verified");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reset

    @Test
    void reset_signed_emptiesTheSignersAccountOnly_andRefusesToNameAnother() {
        String a = "520000000001";
        String b = "520000000002";
        String aVpc = OPEN.ec2(a).createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();
        String bVpc = OPEN.ec2(b).createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();

        for (String path : List.of("/_underpass/reset?account=" + b, "/moto-api/reset?account=" + b)) {
            Answer refused = signed(OPEN.endpoint(), "POST", path, a);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body().get("error").asText()).isEqualTo("AccessDenied");
        }
        assertThat(OPEN.ec2(b).describeVpcs().vpcs()).extracting(Vpc::vpcId).contains(bVpc);

        Answer reset = signed(OPEN.endpoint(), "POST", "/_underpass/reset", a);

        assertThat(reset.status()).as(reset.raw()).isEqualTo(200);
        assertThat(reset.body().get("account").asText()).isEqualTo(a);
        assertThat(OPEN.server().store().world().everything()).noneMatch(r -> r.ownerId().equals(a));
        assertThat(OPEN.ec2(b).describeVpcs().vpcs()).extracting(Vpc::vpcId).contains(bVpc);
        assertThat(OPEN.ec2(a).describeVpcs().vpcs()).extracting(Vpc::vpcId).doesNotContain(aVpc);
        // The provider's service, in another account, is untouched.
        assertThat(OPEN.ec2(PROVIDER).describeVpcEndpointServiceConfigurations(r -> r.serviceIds(
                service.serviceId())).serviceConfigurations()).hasSize(1);

        Answer own = signed(OPEN.endpoint(), "POST", "/moto-api/reset?account=" + b, b);
        assertThat(own.status()).isEqualTo(200);
        assertThat(OPEN.server().store().world().everything()).noneMatch(r -> r.ownerId().equals(b));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Admin token

    @Test
    void adminToken_missing_isRefusedWith401_onEveryControlEndpointButHealth_andChangesNothing() {
        String vpc = GUARDED.ec2("530000000001").createVpc(r -> r.cidrBlock("10.6.0.0/16")).vpc().vpcId();
        int size = GUARDED.server().store().world().size();
        for (String[] call : List.of(new String[] {"POST", "/_underpass/reset"},
                new String[] {"POST", "/moto-api/reset"}, new String[] {"GET", "/_underpass/events"},
                new String[] {"POST", "/_underpass/private-dns/verify?domain=example.com"},
                new String[] {"GET", "/_underpass/no-such-thing"})) {
            Answer a = call(GUARDED.endpoint(), call[0], call[1]);
            assertThat(a.status()).as("%s %s", call[0], call[1]).isEqualTo(401);
            assertThat(a.body().get("error").asText()).isEqualTo("AdminTokenRequired");
            // Signed is not enough either: the signature says who, the token says whether at all.
            Answer s = signed(GUARDED.endpoint(), call[0], call[1], "530000000001");
            assertThat(s.status()).as("signed %s %s", call[0], call[1]).isEqualTo(401);
        }
        assertThat(GUARDED.server().store().world().size()).isEqualTo(size);
        assertThat(GUARDED.ec2("530000000001").describeVpcs().vpcs()).extracting(Vpc::vpcId).contains(vpc);
    }

    @Test
    void adminToken_wrong_isRefusedWith403_andChangesNothing() {
        GUARDED.ec2("530000000002").describeVpcs();
        int size = GUARDED.server().store().world().size();
        for (Map<String, String> wrong : List.of(Map.of("Authorization", "Bearer " + TOKEN + "x"),
                Map.of("Authorization", "Bearer " + TOKEN.substring(1)),
                Map.of("Authorization", "Bearer x"), Map.of("X-Underpass-Admin-Token", TOKEN.toUpperCase()))) {
            Answer a = call(GUARDED.endpoint(), "POST", "/_underpass/reset", wrong);
            assertThat(a.status()).as("%s", wrong).isEqualTo(403);
            assertThat(a.body().get("error").asText()).isEqualTo("InvalidAdminToken");
            assertThat(a.raw()).doesNotContain(TOKEN);
        }
        assertThat(GUARDED.server().store().world().size()).isEqualTo(size);
    }

    @Test
    void adminToken_right_opensTheControlEndpoints_asBearerOrItsOwnHeader() {
        String account = "530000000003";
        GUARDED.ec2(account).createVpc(r -> r.cidrBlock("10.7.0.0/16"));
        Answer events = call(GUARDED.endpoint(), "GET", "/_underpass/events",
                Map.of("Authorization", "bearer " + TOKEN));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body().isArray()).isTrue();

        Answer reset = call(GUARDED.endpoint(), "POST", "/_underpass/reset?account=" + account,
                Map.of("X-Underpass-Admin-Token", TOKEN));
        assertThat(reset.status()).as(reset.raw()).isEqualTo(200);
        assertThat(reset.body().get("removed").asInt()).isPositive();
        assertThat(GUARDED.server().store().world().everything()).noneMatch(r -> r.ownerId().equals(account));
    }

    @Test
    void adminToken_withASignature_isStillScopedToTheSigner() {
        String a = "530000000004";
        String b = "530000000005";
        GUARDED.ec2(a).createVpc(r -> r.cidrBlock("10.8.0.0/16"));
        String bVpc = GUARDED.ec2(b).createVpc(r -> r.cidrBlock("10.8.0.0/16")).vpc().vpcId();
        Map<String, String> token = Map.of("X-Underpass-Admin-Token", TOKEN);

        Answer other = signed(GUARDED.endpoint(), "POST", "/_underpass/reset?account=" + b, a, "s", token);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().get("error").asText()).isEqualTo("AccessDenied");

        Answer own = signed(GUARDED.endpoint(), "POST", "/_underpass/reset", a, "s", token);
        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(GUARDED.server().store().world().everything()).noneMatch(r -> r.ownerId().equals(a));
        assertThat(GUARDED.ec2(b).describeVpcs().vpcs()).extracting(Vpc::vpcId).contains(bVpc);
    }

    @Test
    void health_staysOpen_butShowsTheDataDirOnlyWithTheAdminToken(@TempDir Path dir) {
        try (UnderpassServer server = TestStore.start(ServerConfig.forTests().withDataDir(dir)
                .withAdminToken(TOKEN))) {
            URI endpoint = URI.create(server.endpoint());
            Answer open = call(endpoint, "GET", "/_underpass/health");
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.body().get("status").asText()).isEqualTo("ok");
            assertThat(open.body().has("dataDir")).isFalse();
            // The store's kind for anyone; where it is (file or database) for the administrator only.
            assertThat(open.body().get("store").asText()).isEqualTo(TestStore.postgresql() ? "postgresql" : "sqlite");
            assertThat(open.raw()).doesNotContain(dir.getFileName().toString());

            Answer wrong = call(endpoint, "GET", "/_underpass/health", Map.of("Authorization", "Bearer nope"));
            assertThat(wrong.status()).isEqualTo(200);
            assertThat(wrong.body().has("dataDir")).isFalse();

            Answer admin = call(endpoint, "GET", "/_underpass/health", Map.of("Authorization", "Bearer " + TOKEN));
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.body().get("dataDir").asText()).isEqualTo(dir.toString());
            assertThat(admin.body().get("store").asText())
                    .contains(TestStore.postgresql() ? "postgresql://postgres@127.0.0.1:" : dir.toString());
        }
        // Without a token (loopback only), health shows it as before.
        Answer plain = call(OPEN.endpoint(), "GET", "/_underpass/health");
        assertThat(plain.body().has("dataDir")).isTrue();
    }
}
