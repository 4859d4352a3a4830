import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The seed's scenario, running on underpass's loopback data plane: a provider's application on three instances in
 * three Availability Zones behind a Network Load Balancer, offered as an endpoint service; N consumer accounts, each
 * with a VPC, a client instance and an interface endpoint (accepted by the provider). Every consumer resolves its
 * endpoint's DNS name with underpass's DNS server (asking from its own instance's address) and calls the service
 * through it. Then one zone's server is stopped: the health checks notice, and every consumer keeps getting answers
 * from the other zones. Then one consumer's endpoint security group rule is revoked: it is refused, and its VPC's
 * flow log shows the REJECT. A summary table at the end.
 *
 * <p>Run by {@code examples/health-data/run.sh [N]}; by hand: {@code java -cp "server/target/lib/*"
 * examples/health-data/HealthData.java http://127.0.0.1:4566 8053 50}.
 */
public class HealthData {
    static final String PROVIDER = "100000000001";
    static final String[] ZONES = {"us-east-1a", "us-east-1b", "us-east-1c"};
    static final int LISTENER = 8080;
    static final int APP = 9000;
    static final int INTERVAL = 5;
    static final int UNHEALTHY = 2;

    static String endpoint;
    static int dnsPort;
    static final Map<String, String> zoneOf = new ConcurrentHashMap<>();

    record Consumer(String account, String clientInstance, String clientAddress, String endpointId,
            String endpointDns, String endpointGroup, String zone) {}

    record Round(String phase, int asked, int answered, Map<String, Integer> byZone, double seconds) {}

    @SuppressWarnings("unchecked") // the SDK's varargs of filter builders
    public static void main(String[] args) throws Exception {
        endpoint = args[0];
        dnsPort = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        long t0 = System.nanoTime();
        Ec2Client provider = ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1).credentialsProvider(credentials(PROVIDER)).httpClient(new JdkHttp()).build();

        say("provider %s: VPC, three private subnets and three application instances in %s", PROVIDER,
                String.join(", ", ZONES));
        String vpc = provider.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        List<String> subnets = new ArrayList<>();
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String zone = ZONES[i];
            String cidr = "10.0." + (i + 1) + ".0/24";
            String subnet = provider.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet()
                    .subnetId();
            subnets.add(subnet);
            String app = provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                    .maxCount(1).subnetId(subnet)).instances().get(0).instanceId();
            apps.add(app);
            zoneOf.put(app, zone);
        }
        String group = provider.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        provider.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(APP).toPort(APP)
                .cidrIp("10.0.0.0/16"));
        say("an internal NLB in the three zones, TCP %d -> instances on %d, HTTP health checks every %d s", LISTENER,
                APP, INTERVAL);
        String nlb = elb.createLoadBalancer(r -> r.name("health-data").type("network").scheme("internal")
                .subnets(subnets)).loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("health-data").protocol("TCP").port(APP).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("HTTP").healthCheckPath("/health")
                .healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2).healthyThresholdCount(2)
                .unhealthyThresholdCount(UNHEALTHY)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(apps.stream()
                .map(id -> TargetDescription.builder().id(id).build()).toList()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(LISTENER).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
        var service = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(true)).serviceConfiguration();
        List<String> principals = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            principals.add("arn:aws:iam::" + account(k) + ":root");
        }
        for (int from = 0; from < principals.size(); from += 100) {
            List<String> batch = principals.subList(from, Math.min(principals.size(), from + 100));
            provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                    .addAllowedPrincipals(batch));
        }

        Map<String, HttpServer> servers = new LinkedHashMap<>();
        for (String app : apps) {
            servers.put(app, startApp(app, address(app)));
        }
        say("the application runs on each instance's loopback address, port %d", APP);

        say("%d consumer accounts: VPC, client instance, endpoint security group, interface endpoint", n);
        List<Consumer> consumers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Consumer>> made = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            int index = k;
            made.add(pool.submit(() -> consumer(index, service.serviceName())));
        }
        for (Future<Consumer> f : made) {
            consumers.add(f.get());
        }
        String flowLog = ec2(consumers.get(0).account()).createFlowLogs(r -> r.resourceType(FlowLogsResourceType.VPC)
                .resourceIds(vpcOf(consumers.get(0))).trafficType(TrafficType.ALL)
                .logDestinationType(LogDestinationType.S3).logDestination("arn:aws:s3:::consumer-1-flow-logs")
                .maxAggregationInterval(60)).flowLogIds().get(0);
        List<String> ids = consumers.stream().map(Consumer::endpointId).toList();
        for (int from = 0; from < ids.size(); from += 100) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 100));
            provider.acceptVpcEndpointConnections(r -> r.serviceId(service.serviceId()).vpcEndpointIds(batch));
        }
        say("provider accepted %d endpoint connections; flow log %s on consumer 1's VPC", ids.size(), flowLog);

        long healthyAt = System.nanoTime();
        waitFor(Duration.ofSeconds(60), () -> states(elb, tg).values().stream().allMatch("healthy"::equals));
        say("all three targets healthy after %.1f s of real health checks", secs(healthyAt));

        List<Round> rounds = new ArrayList<>();
        rounds.add(round("all zones healthy", consumers, pool, null));

        String down = apps.get(0);
        servers.remove(down).stop(0);
        long stoppedAt = System.nanoTime();
        say("stopped the application on %s (%s)", down, zoneOf.get(down));
        rounds.add(round(zoneOf.get(down) + " stopped, not yet noticed", consumers, pool, null));
        waitFor(Duration.ofSeconds(INTERVAL * UNHEALTHY + 5), () -> "unhealthy".equals(states(elb, tg).get(down)));
        double noticed = secs(stoppedAt);
        say("health checks marked %s unhealthy %.1f s after it stopped (interval %d s x threshold %d)", down, noticed,
                INTERVAL, UNHEALTHY);
        rounds.add(round("after health checks noticed", consumers, pool, null));

        Consumer revoked = consumers.get(0);
        ec2(revoked.account()).revokeSecurityGroupIngress(r -> r.groupId(revoked.endpointGroup()).ipProtocol("tcp")
                .fromPort(LISTENER).toPort(LISTENER).cidrIp("10.1.0.0/16"));
        say("consumer %s: revoked its endpoint security group's ingress rule", revoked.account());
        rounds.add(round("consumer 1's endpoint SG revoked", consumers, pool, revoked));
        pool.shutdown();

        String rejects = control("/_underpass/flow-logs?flowLogId=" + flowLog + "&action=REJECT");
        String accepts = control("/_underpass/flow-logs?flowLogId=" + flowLog + "&action=ACCEPT");
        int rejectCount = count(rejects, "\"action\":\"REJECT\"");
        int acceptCount = count(accepts, "\"action\":\"ACCEPT\"");

        System.out.println();
        System.out.printf("%-36s %9s %9s %8s %11s %11s %11s%n", "phase", "consumers", "answered", "refused",
                ZONES[0], ZONES[1], ZONES[2]);
        for (Round r : rounds) {
            System.out.printf("%-36s %9d %9d %8d %11d %11d %11d%n", r.phase(), r.asked(), r.answered(),
                    r.asked() - r.answered(), r.byZone().getOrDefault(ZONES[0], 0),
                    r.byZone().getOrDefault(ZONES[1], 0), r.byZone().getOrDefault(ZONES[2], 0));
        }
        System.out.println();
        System.out.printf("failover: %s unhealthy %.1f s after its server stopped (bound: %d s x %d + 1 s)%n",
                down, noticed, INTERVAL, UNHEALTHY);
        System.out.printf("flow log %s (consumer 1's VPC): %d ACCEPT, %d REJECT records%n", flowLog, acceptCount,
                rejectCount);
        String line = firstRecord(rejects);
        if (line != null) {
            System.out.println("  REJECT record: " + line);
        }
        System.out.printf("total %.1f s%n", secs(t0));
        servers.values().forEach(s -> s.stop(0));
        boolean ok = rounds.get(0).answered() == n && rounds.get(2).answered() == n
                && rounds.get(2).byZone().getOrDefault(zoneOf.get(down), 0) == 0
                && rounds.get(3).answered() == n - 1 && rejectCount >= 1;
        System.out.println(ok ? "RESULT ok" : "RESULT FAILED");
        System.exit(ok ? 0 : 1);
    }

    static String account(int k) {
        return String.format("2%011d", k);
    }

    static Consumer consumer(int k, String serviceName) throws Exception {
        String account = account(k);
        String zone = ZONES[(k - 1) % 3];
        Ec2Client ec2 = ec2(account);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone(zone))
                .subnet().subnetId();
        String client = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(subnet)).instances().get(0).instanceId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("endpoint").description("endpoint"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(LISTENER)
                .toPort(LISTENER).cidrIp("10.1.0.0/16"));
        var e = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface").serviceName(serviceName)
                .subnetIds(subnet).securityGroupIds(group)).vpcEndpoint();
        return new Consumer(account, client, null, e.vpcEndpointId(), e.dnsEntries().get(0).dnsName(), group, zone);
    }

    static String vpcOf(Consumer c) {
        return ec2(c.account()).describeVpcEndpoints(r -> r.vpcEndpointIds(c.endpointId())).vpcEndpoints().get(0)
                .vpcId();
    }

    /** Every consumer (in parallel) resolves its endpoint's name and calls the service once. */
    static Round round(String phase, List<Consumer> consumers, ExecutorService pool, Consumer expectRefused)
            throws Exception {
        long start = System.nanoTime();
        List<Future<String>> answers = new ArrayList<>();
        for (Consumer c : consumers) {
            answers.add(pool.submit(() -> call(c)));
        }
        Map<String, Integer> byZone = new TreeMap<>();
        int answered = 0;
        for (Future<String> f : answers) {
            String a = f.get();
            if (a != null) {
                answered++;
                String instance = a.split(" ")[2];
                byZone.merge(zoneOf.getOrDefault(instance, "?"), 1, Integer::sum);
            }
        }
        return new Round(phase, consumers.size(), answered, byZone, secs(start));
    }

    /** Resolve the endpoint's Regional DNS name, asking from the client's address; then GET / from that address. */
    static String call(Consumer c) {
        String from = address(c.clientInstance());
        try {
            SimpleResolver dns = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
            dns.setLocalAddress(new InetSocketAddress(from, 0));
            dns.setTimeout(Duration.ofSeconds(5));
            Message m = dns.send(Message.newQuery(org.xbill.DNS.Record.newRecord(
                    Name.fromString(c.endpointDns() + "."), Type.A, DClass.IN)));
            var records = m.getSection(Section.ANSWER);
            if (records.isEmpty()) {
                return null;
            }
            String to = ((ARecord) records.get(0)).getAddress().getHostAddress();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress(to, LISTENER), 5_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + c.endpointDns() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int body = answer.indexOf("\r\n\r\n");
                return body < 0 || !answer.startsWith("HTTP/1.1 200") ? null : answer.substring(body + 4);
            }
        } catch (IOException e) {
            return null;
        }
    }

    static HttpServer startApp(String instance, String address) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address, APP), 200);
        http.createContext("/", exchange -> {
            byte[] body = ("hello from " + instance + " in " + zoneOf.get(instance)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        return http;
    }

    static final Map<String, String> addresses = new ConcurrentHashMap<>();

    /** The loopback address of an instance, from {@code GET /_underpass/addresses?id=}. */
    static String address(String instanceId) {
        return addresses.computeIfAbsent(instanceId, id -> {
            String body = control("/_underpass/addresses?id=" + id);
            int i = body.indexOf("\"loopback\":\"");
            return body.substring(i + 12, body.indexOf('"', i + 12));
        });
    }

    static Map<String, String> states(ElasticLoadBalancingV2Client elb, String tg) {
        Map<String, String> m = new TreeMap<>();
        elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions()
                .forEach(d -> m.put(d.target().id(), d.targetHealth().stateAsString()));
        return m;
    }

    static String control(String path) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The first record of a flow-logs answer, as AWS would print it: its values, space separated. */
    static String firstRecord(String body) {
        int i = body.indexOf("\"records\":[{");
        if (i < 0) {
            return null;
        }
        String rec = body.substring(i + 12, body.indexOf('}', i));
        StringBuilder b = new StringBuilder();
        for (String kv : rec.split(",")) {
            String v = kv.substring(kv.indexOf(':') + 1).replace("\"", "");
            b.append(b.isEmpty() ? "" : " ").append(v);
        }
        return b.toString();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not reached within " + limit);
            }
            Thread.sleep(200);
        }
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void say(String format, Object... args) {
        System.out.println("* " + String.format(format, args));
    }

    static StaticCredentialsProvider credentials(String account) {
        // underpass's default: the access key id names the account, any secret.
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret"));
    }

    static final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();

    static Ec2Client ec2(String account) {
        return clients.computeIfAbsent(account, a -> Ec2Client.builder().endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1).credentialsProvider(credentials(a)).httpClient(new JdkHttp()).build());
    }

    /**
     * The SDK's HTTP client over java.net.http, so that the example needs nothing beyond what the server ships
     * (the server carries the SDK's model classes but none of its HTTP clients).
     */
    static final class JdkHttp implements SdkHttpClient {
        private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    var req = request.httpRequest();
                    byte[] body = new byte[0];
                    if (request.contentStreamProvider().isPresent()) {
                        try (InputStream in = request.contentStreamProvider().get().newStream()) {
                            body = in.readAllBytes();
                        }
                    }
                    HttpRequest.Builder b = HttpRequest.newBuilder(req.getUri()).timeout(Duration.ofSeconds(60))
                            .method(req.method().name(), HttpRequest.BodyPublishers.ofByteArray(body));
                    req.headers().forEach((k, vs) -> {
                        if (!RESTRICTED.contains(k.toLowerCase())) {
                            vs.forEach(v -> b.header(k, v));
                        }
                    });
                    try {
                        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                        SdkHttpResponse.Builder resp = SdkHttpResponse.builder().statusCode(r.statusCode());
                        r.headers().map().forEach(resp::putHeader);
                        return HttpExecuteResponse.builder().response(resp.build())
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(r.body()))).build();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public void close() {
            http.close();
        }
    }
}
