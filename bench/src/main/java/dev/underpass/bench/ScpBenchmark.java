package dev.underpass.bench;

import dev.underpass.model.PolicyDocument;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.PolicyAttachment;
import dev.underpass.policy.Decision;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;

/**
 * What service control policies add to a request on the EC2 request path ({@link OrgGuard}), in microseconds per
 * request, single-threaded.
 *
 * <p>Workload: an organization whose member account sits in an OU under the root, with five customer SCPs of ten
 * statements each on its path (two on the root, one on the OU, two on the account; conditions on the region, the
 * source address, tags, the endpoint service name and owner, instance types, principal ARNs) besides
 * {@code FullAWSAccess} at each of the three levels. The request is a member's {@code CreateVpcEndpoint} to an
 * approved service, which every statement has to be tested against and which is allowed.
 * <ul>
 *   <li>{@code memberRequest}: the whole added cost: derive the check from the SDK request
 *       ({@link RequestFacts#ec2}) and evaluate it ({@link OrgGuard#check}) against the path (computed once per
 *       committed world). Target: under 20 µs.</li>
 *   <li>{@code refusedRequest}: the same with a service not on the list: the refusal, its decision JSON and its
 *       encoded message.</li>
 *   <li>{@code outsideAnyOrganization}: the cost for an account in no organization (one memoised lookup).</li>
 *   <li>{@code naiveReparseBaseline}: what a guard without the per-world cache would do: walk the organization's
 *       records and parse the eight policies of the path on every request, then evaluate.</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/underpass-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main ScpBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScpBenchmark {
    static final String MANAGEMENT = "111111111111";
    static final String MEMBER = "222222222222";
    static final String OUTSIDER = "333333333333";
    static final String ORG = "o-abcdefghij";
    static final String ROOT = "r-abcd";
    static final String OU = "ou-abcd-efghijkl";
    static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    World world;
    Caller member;
    Caller outsider;
    CreateVpcEndpointRequest approved;
    CreateVpcEndpointRequest unapproved;

    /** Ten statements, none of which refuses an approved endpoint from 127.0.0.1 in us-east-1. */
    static String scp(int n) {
        String s = """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"Endpoints%1$d","Effect":"Deny","Action":"ec2:CreateVpcEndpoint","Resource":"*",
                  "Condition":{"StringNotEquals":{"ec2:VpceServiceName":["com.amazonaws.us-east-1.s3",
                   "com.amazonaws.us-east-1.dynamodb","com.amazonaws.us-east-1.sqs"]}}},
                 {"Sid":"Regions%1$d","Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*"],"Resource":"*",
                  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}},
                 {"Sid":"Logs%1$d","Effect":"Deny","Action":["ec2:DeleteFlowLogs","logs:DeleteLogGroup"],"Resource":"*"},
                 {"Sid":"AdminRole%1$d","Effect":"Deny","Action":"iam:*",
                  "Resource":"arn:aws:iam::*:role/OrganizationAccountAccessRole",
                  "Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}},
                 {"Sid":"Types%1$d","Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*",
                  "Condition":{"StringNotLike":{"ec2:InstanceType":["t3.*","m6i.*"]}}},
                 {"Sid":"PublicBuckets%1$d","Effect":"Deny","Action":"s3:PutBucketPublicAccessBlock","Resource":"*"},
                 {"Sid":"TagVpcs%1$d","Effect":"Deny","Action":"ec2:CreateVpc","Resource":"*",
                  "Condition":{"Null":{"aws:RequestTag/team":"true"}}},
                 {"Sid":"StayInOrg%1$d","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"},
                 {"Sid":"FromKnownNetworks%1$d","Effect":"Deny","Action":"ec2:*","Resource":"*",
                  "Condition":{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","203.0.113.0/24"]}}},
                 {"Sid":"EndpointOwners%1$d","Effect":"Deny","Action":"ec2:CreateVpcEndpoint","Resource":"*",
                  "Condition":{"StringNotEquals":{"ec2:VpceServiceOwner":["amazon","%2$s"]}}}]}""";
        return s.formatted(n, MANAGEMENT);
    }

    @Setup
    public void setUp() {
        List<Resource> records = new ArrayList<>();
        records.add(new Organization(ORG, MANAGEMENT, Organization.REGION, "ALL", ROOT,
                List.of(ControlPolicy.SCP), Map.of(), NOW));
        records.add(new MemberAccount(MANAGEMENT, MANAGEMENT, Organization.REGION, ORG, ROOT, "management",
                "m@example.com", "CREATED", NOW, Map.of()));
        records.add(new OrganizationalUnit(OU, MANAGEMENT, Organization.REGION, ORG, ROOT, "workloads", Map.of()));
        records.add(new MemberAccount(MEMBER, MANAGEMENT, Organization.REGION, ORG, OU, "member",
                "a@example.com", "INVITED", NOW, Map.of()));
        String[] targets = {ROOT, ROOT, OU, MEMBER, MEMBER};
        for (int i = 0; i < 5; i++) {
            String id = "p-bench000" + i;
            records.add(new ControlPolicy(id, MANAGEMENT, Organization.REGION, ORG, "guard-rails-" + i, "bench",
                    ControlPolicy.SCP, PolicyDocument.of(scp(i)), false, Map.of()));
            records.add(attachment(id, targets[i]));
        }
        for (String t : List.of(ROOT, OU, MEMBER)) {
            records.add(attachment(Organizations.FULL_AWS_ACCESS.id(), t));
        }
        world = World.of(records);
        member = new Caller(MEMBER, "us-east-1", null, null, "127.0.0.1");
        outsider = new Caller(OUTSIDER, "us-east-1", null, null, "127.0.0.1");
        approved = CreateVpcEndpointRequest.builder().vpcId("vpc-0123456789abcdef0").vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.sqs").subnetIds("subnet-0123456789abcdef0").build();
        unapproved = approved.toBuilder().serviceName("com.amazonaws.us-east-1.kinesis-streams").build();
        if (memberRequest().isPresent() || refusedRequest().isEmpty() || !naiveReparseBaseline()) {
            throw new IllegalStateException("the workload does not decide as described");
        }
    }

    private static PolicyAttachment attachment(String policyId, String target) {
        return new PolicyAttachment(PolicyAttachment.idOf(ORG, policyId, target), MANAGEMENT, Organization.REGION,
                ORG, policyId, ControlPolicy.SCP, target);
    }

    @Benchmark
    public Optional<OrgGuard.Denial> memberRequest() {
        return OrgGuard.check(world, member, NOW, RequestFacts.ec2("CreateVpcEndpoint", approved, world, member));
    }

    @Benchmark
    public Optional<OrgGuard.Denial> refusedRequest() {
        return OrgGuard.check(world, member, NOW, RequestFacts.ec2("CreateVpcEndpoint", unapproved, world, member));
    }

    @Benchmark
    public boolean outsideAnyOrganization() {
        return OrgGuard.restricted(world, outsider.accountId());
    }

    @Benchmark
    public boolean naiveReparseBaseline() {
        Organizations.OrgPath path = Organizations.pathOf(world, MEMBER).orElseThrow();
        Request request = Request.of("arn:aws:iam::" + MEMBER + ":root", "ec2:CreateVpcEndpoint",
                "arn:aws:ec2:us-east-1:" + MEMBER + ":vpc-endpoint/*", MEMBER,
                Map.of("ec2:VpceServiceName", "com.amazonaws.us-east-1.sqs", "ec2:VpceServiceOwner", "amazon",
                        "aws:SourceIp", "127.0.0.1", "aws:RequestedRegion", "us-east-1"));
        EvaluationInput.Builder b = EvaluationInput.builder(request);
        for (Organizations.PathNode node : path.nodes()) {
            List<Policy> level = new ArrayList<>();
            for (ControlPolicy p : node.serviceControlPolicies()) {
                level.add(p.content().policy());
            }
            b.scpLevel(level);
        }
        Decision d = Evaluator.evaluate(b.build());
        return d.allowed();
    }
}
