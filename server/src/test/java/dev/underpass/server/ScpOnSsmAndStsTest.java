package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.InvalidAuthorizationMessageException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Service control policies on SSM's parameter reads and on STS: a member's {@code GetParameter(s)} refused with
 * {@code AccessDeniedException} (400) on the parameters an SCP names, while other parameters, other actions and the
 * management account read as before; STS's {@code GetCallerIdentity} and {@code GetSessionToken}, which no policy
 * controls in AWS, answered even under an SCP denying {@code sts:*}, and {@code AssumeRole} and
 * {@code DecodeAuthorizationMessage} refused with {@code AccessDenied} (403).
 */
class ScpOnSsmAndStsTest {
    private static final AtomicLong NEXT = new AtomicLong(540_000_000_000L);
    private static final String PATH = "/aws/service/ami-amazon-linux-latest";
    private static final String AL2023 = PATH + "/al2023-ami-kernel-default-x86_64";
    private static final String AL2 = PATH + "/amzn2-ami-hvm-x86_64-gp2";
    private static final String NO_AMAZON_LINUX_2 = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoAmazonLinux2","Effect":"Deny",
            "Action":["ssm:GetParameter","ssm:GetParameters"],
            "Resource":"arn:aws:ssm:*::parameter/aws/service/ami-amazon-linux-latest/amzn2-*"}]}""";
    private static final String NO_STS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoSts","Effect":"Deny","Action":"sts:*","Resource":"*"}]}""";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static StaticCredentialsProvider creds(String account) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s"));
    }

    private static OrganizationsClient org(String account) {
        return OrganizationsApiTest.client(UNDERPASS.endpoint(), account, "us-east-1");
    }

    private static SsmClient ssm(String account) {
        return SsmClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds(account))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static StsClient sts(String account) {
        return StsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds(account))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    /** A management account and a member, SCPs enabled, {@code scp} attached to the member; returns both ids. */
    private static List<String> organizationWith(String name, String scp) {
        String management = Long.toString(NEXT.getAndIncrement());
        String member = Long.toString(NEXT.getAndIncrement());
        OrganizationsClient client = org(management);
        client.createOrganization(r -> r.featureSet("ALL"));
        String root = client.listRoots(r -> {}).roots().get(0).id();
        Handshake h = client.inviteAccountToOrganization(r -> r.target(t -> t.id(member).type("ACCOUNT")))
                .handshake();
        org(member).acceptHandshake(r -> r.handshakeId(h.id()));
        client.enablePolicyType(r -> r.rootId(root).policyType("SERVICE_CONTROL_POLICY"));
        String policy = client.createPolicy(r -> r.name(name).description(name).type("SERVICE_CONTROL_POLICY")
                .content(scp)).policy().policySummary().id();
        client.attachPolicy(r -> r.policyId(policy).targetId(member));
        return List.of(management, member);
    }

    private static void refused(Runnable call, Class<? extends AwsServiceException> type, String code, int status,
            String action) {
        assertThatThrownBy(call::run).isInstanceOf(type).satisfies(e -> {
            AwsServiceException a = (AwsServiceException) e;
            assertThat(a.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(a.statusCode()).isEqualTo(status);
            assertThat(a.awsErrorDetails().errorMessage()).contains("is not authorized to perform: " + action)
                    .contains("explicit deny in a service control policy");
        });
    }

    @Test
    void ssmRead_ofAParameterAnScpDenies_isAccessDenied400_otherReadsAndTheManagementAccountAreNot() {
        List<String> o = organizationWith("no-al2", NO_AMAZON_LINUX_2);
        SsmClient member = ssm(o.get(1));
        refused(() -> member.getParameter(r -> r.name(AL2)), SsmException.class, "AccessDeniedException", 400,
                "ssm:GetParameter on resource: arn:aws:ssm:us-east-1::parameter" + AL2);
        // By ARN and with a version selector it is the same parameter, and as refused.
        refused(() -> member.getParameter(r -> r.name("arn:aws:ssm:us-east-1::parameter" + AL2 + ":1")),
                SsmException.class, "AccessDeniedException", 400, "ssm:GetParameter");
        refused(() -> member.getParameters(r -> r.names(AL2023, AL2)), SsmException.class, "AccessDeniedException",
                400, "ssm:GetParameters");

        assertThat(member.getParameter(r -> r.name(AL2023)).parameter().value()).startsWith("ami-");
        GetParametersResponse both = member.getParameters(r -> r.names(AL2023, PATH + "/no-such-parameter"));
        assertThat(both.parameters()).hasSize(1);
        assertThat(both.invalidParameters()).containsExactly(PATH + "/no-such-parameter");
        // The SCP names GetParameter(s) only: reading the whole path is another action.
        assertThat(member.getParametersByPath(r -> r.path(PATH)).parameters()).isNotEmpty();
        // SCPs never restrict the management account.
        assertThat(ssm(o.get(0)).getParameter(r -> r.name(AL2)).parameter().name()).isEqualTo(AL2);
    }

    @Test
    void stsUnderAnScpDenyingEverything_callerIdentityAndSessionTokenAnswer_assumeRoleAndDecodeAreRefused() {
        List<String> o = organizationWith("no-sts", NO_STS);
        String memberId = o.get(1);
        StsClient member = sts(memberId);
        assertThat(member.getCallerIdentity(r -> {}).account()).isEqualTo(memberId);
        assertThat(member.getSessionToken(r -> r.durationSeconds(900)).credentials().accessKeyId()).isNotBlank();
        refused(() -> member.assumeRole(r -> r.roleArn("arn:aws:iam::" + memberId + ":role/ops")
                .roleSessionName("ops-session")), StsException.class, "AccessDenied", 403, "sts:AssumeRole");
        refused(() -> member.decodeAuthorizationMessage(r -> r.encodedMessage("bm90LWEtbWVzc2FnZQ")),
                StsException.class, "AccessDenied", 403, "sts:DecodeAuthorizationMessage");
        // The management account is not restricted: its garbage message is merely invalid.
        assertThatThrownBy(() -> sts(o.get(0)).decodeAuthorizationMessage(r -> r.encodedMessage("bm90LWEtbWVzc2FnZQ")))
                .isInstanceOfSatisfying(InvalidAuthorizationMessageException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }
}
