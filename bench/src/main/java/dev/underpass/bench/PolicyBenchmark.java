package dev.underpass.bench;

import dev.underpass.policy.Decision;
import dev.underpass.policy.EndpointKind;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Outcome;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.Request;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the policy evaluator ({@link Evaluator#evaluate}), single-threaded.
 *
 * <p>Workloads, each on inputs built once in {@link #setUp()} (parsing is not measured):
 * <ul>
 *   <li>{@code simple}: one identity policy with one Allow statement ({@code s3:GetObject} on
 *       {@code arn:aws:s3:::bucket/*}) and a request from an IAM user. Target: at least 1,000,000 per second.</li>
 *   <li>{@code endpointPolicy}: a typical 10-statement VPC endpoint policy with conditions (organization ids,
 *       endpoint and VPC ids, ARN and string patterns, a Deny with a negated operator) plus one identity policy; the
 *       request matches the last Allow statement.</li>
 *   <li>{@code fullRequest}: two identity policies, a bucket policy (Deny unless through the endpoint, Allow for the
 *       organization), SCPs on three levels (FullAWSAccess at each, a region Deny at the OU) and the 10-statement
 *       endpoint policy, for a role session.</li>
 *   <li>{@code naiveRegexBaseline}: what a naive evaluator does per statement of {@code simple}: translate the
 *       action and resource patterns to regular expressions and match them, for scale.</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/underpass-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main PolicyBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyBenchmark {
    static final String ROLE_SESSION = "arn:aws:sts::111122223333:assumed-role/app/i-0abc";
    static final String USER = "arn:aws:iam::111122223333:user/alice";

    static final String ENDPOINT_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "DenyOutsideOrg", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
               "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}},
              {"Sid": "DenyOtherVpcs", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-0123456789abcdef0"]}}},
              {"Sid": "Logs", "Effect": "Allow", "Principal": "*", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
               "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/app/*"},
              {"Sid": "Ecr", "Effect": "Allow", "Principal": "*", "Action": ["ecr:GetAuthorizationToken",
               "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Resource": "*"},
              {"Sid": "Ssm", "Effect": "Allow", "Principal": "*", "Action": "ssm:GetParameter*",
               "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/app/*"},
              {"Sid": "Kms", "Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
               "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
              {"Sid": "Sqs", "Effect": "Allow", "Principal": "*", "Action": "sqs:*",
               "Resource": "arn:aws:sqs:us-east-1:111122223333:app-*"},
              {"Sid": "DynamoRead", "Effect": "Allow", "Principal": "*", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
               "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/app"},
              {"Sid": "BucketsOfTheOrg", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
               "Resource": "arn:aws:s3:::app-data-*/*", "Condition": {"StringEquals": {"aws:ResourceOrgID": "o-a1b2c3d4e5"},
               "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/app*"}}},
              {"Sid": "ListBuckets", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket",
               "Resource": "arn:aws:s3:::app-data-*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
            ]}""";

    static final String IDENTITY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
               "Resource": ["arn:aws:s3:::app-data-*", "arn:aws:s3:::app-data-*/*"]}]}""";

    static final String IDENTITY_2 = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "*"},
              {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}""";

    static final String BUCKET_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "OnlyThroughEndpoint", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Resource": ["arn:aws:s3:::app-data-eu", "arn:aws:s3:::app-data-eu/*"],
               "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f60718"}}},
              {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::app-data-eu/*",
               "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}""";

    static final String FULL_ACCESS = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*",
             "Resource": "*"}]}""";

    static final String REGION_SCP = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "Regions", "Effect": "Deny",
             "NotAction": ["iam:*", "sts:*", "organizations:*", "route53:*", "cloudfront:*"], "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]}""";

    static final Map<String, Object> CONTEXT = Map.of(
            "aws:SourceVpce", "vpce-0a1b2c3d4e5f60718",
            "aws:SourceVpc", "vpc-0123456789abcdef0",
            "aws:VpcSourceIp", "10.0.1.25",
            "aws:PrincipalOrgID", "o-a1b2c3d4e5",
            "aws:ResourceOrgID", "o-a1b2c3d4e5",
            "aws:SecureTransport", "true",
            "aws:RequestedRegion", "eu-west-1");

    EvaluationInput simple;
    EvaluationInput endpointPolicy;
    EvaluationInput fullRequest;
    List<String> naiveActions;
    List<String> naiveResources;

    @Setup
    public void setUp() {
        Policy allowGet = parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::bucket/*"}]}""");
        simple = EvaluationInput.builder(Request.of(USER, "s3:GetObject", "arn:aws:s3:::bucket/key"))
                .identityPolicy(allowGet).build();

        Policy endpoint = parse(ENDPOINT_POLICY);
        Request throughEndpoint = Request.of(ROLE_SESSION, "s3:GetObject", "arn:aws:s3:::app-data-eu/report.csv",
                "111122223333", CONTEXT);
        endpointPolicy = EvaluationInput.builder(throughEndpoint).identityPolicy(parse(IDENTITY))
                .vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build();

        Policy full = parse(FULL_ACCESS);
        fullRequest = EvaluationInput.builder(throughEndpoint)
                .identityPolicy(parse(IDENTITY)).identityPolicy(parse(IDENTITY_2))
                .resourcePolicy(parse(BUCKET_POLICY))
                .scpLevel(List.of(full)).scpLevel(List.of(full, parse(REGION_SCP))).scpLevel(List.of(full))
                .vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build();

        for (EvaluationInput in : List.of(simple, endpointPolicy, fullRequest)) {
            Decision d = Evaluator.evaluate(in);
            if (d.outcome() != Outcome.ALLOWED) {
                throw new IllegalStateException("benchmark input should be allowed, got " + d);
            }
        }
        naiveActions = List.of("s3:GetObject");
        naiveResources = List.of("arn:aws:s3:::bucket/*");
    }

    static Policy parse(String json) {
        try {
            return PolicyParser.parse(json);
        } catch (PolicyParseException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Benchmark
    public Decision simple() {
        return Evaluator.evaluate(simple);
    }

    @Benchmark
    public Decision endpointPolicy() {
        return Evaluator.evaluate(endpointPolicy);
    }

    @Benchmark
    public Decision fullRequest() {
        return Evaluator.evaluate(fullRequest);
    }

    @Benchmark
    public boolean naiveRegexBaseline() {
        boolean action = false;
        for (String a : naiveActions) {
            action |= Pattern.compile(globToRegex(a), Pattern.CASE_INSENSITIVE).matcher("s3:GetObject").matches();
        }
        boolean resource = false;
        for (String r : naiveResources) {
            resource |= Pattern.compile(globToRegex(r)).matcher("arn:aws:s3:::bucket/key").matches();
        }
        return action && resource;
    }

    static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }
}
