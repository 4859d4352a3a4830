package dev.underpass.policy;

import static dev.underpass.policy.TestPolicies.statements;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Combination of policy types, written from IAM User Guide "Policy evaluation logic" (single account, with its
 * resource-policy table), "Cross-account policy evaluation logic", "Service control policies" / "Resource control
 * policies" (AWS Organizations User Guide) and the PrivateLink guide on endpoint policies.
 */
class EvaluatorTest {
    static final String ACCOUNT = "111122223333";
    static final String OTHER = "444455556666";
    static final String USER = "arn:aws:iam::111122223333:user/alice";
    static final String ROLE = "arn:aws:iam::111122223333:role/app";
    static final String SESSION = "arn:aws:sts::111122223333:assumed-role/app/s1";
    static final String FEDERATED = "arn:aws:sts::111122223333:federated-user/bob";
    static final String ROOT = "arn:aws:iam::111122223333:root";
    static final String OBJECT = "arn:aws:s3:::bucket/key";

    static final Policy ALLOW_GET = statements(
            "{'Sid':'Get','Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket/*'}");
    static final Policy ALLOW_ALL = statements("{'Sid':'All','Effect':'Allow','Action':'*','Resource':'*'}");
    static final Policy DENY_ALL = statements("{'Sid':'No','Effect':'Deny','Action':'*','Resource':'*'}");
    static final Policy NOTHING = statements();

    static Policy resourcePolicyNaming(String principal) {
        return statements("{'Sid':'Bucket','Effect':'Allow','Principal':{'AWS':'" + principal + "'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket/*'}");
    }

    static EvaluationInput.Builder input(String principal) {
        return EvaluationInput.builder(Request.of(principal, "s3:GetObject", OBJECT, ACCOUNT, Map.of()));
    }

    static void assertDecision(Decision d, Outcome outcome, Layer... blockedBy) {
        assertThat(d.outcome()).as("outcome of %s", d).isEqualTo(outcome);
        assertThat(d.blockedBy()).as("blockedBy of %s", d).containsExactly(blockedBy);
    }

    // --- Single account basics (Policy evaluation logic, "Determining whether a request is allowed or denied")

    @Test
    void noPolicies_areAnImplicitDenyByIdentity() {
        Decision d = Evaluator.evaluate(input(USER).build());
        assertDecision(d, Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
        assertThat(d.statements()).isEmpty();
    }

    @Test
    void identityAllow_allowsAndNamesTheStatement() {
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(NOTHING).identityPolicy(ALLOW_GET).build());
        assertDecision(d, Outcome.ALLOWED);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.IDENTITY, 1, 0, "Get", Effect.ALLOW));
    }

    @Test
    void actionsMatchIgnoringCase_resourcesDoNot() {
        Policy p = statements("{'Effect':'Allow','Action':'S3:getobject','Resource':'arn:aws:s3:::Bucket/*'}");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject",
                "arn:aws:s3:::Bucket/k")).identityPolicy(p).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject",
                "arn:aws:s3:::bucket/k")).identityPolicy(p).build()), Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    @Test
    void explicitDeny_overridesEveryAllow() {
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).identityPolicy(DENY_ALL)
                .resourcePolicy(resourcePolicyNaming(USER)).build());
        assertDecision(d, Outcome.EXPLICITLY_DENIED, Layer.IDENTITY);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.IDENTITY, 1, 0, "No", Effect.DENY));
    }

    @Test
    void notActionAndNotResource_coverEverythingExceptTheirLists() {
        Policy p = statements("{'Effect':'Allow','NotAction':'iam:*','NotResource':'arn:aws:s3:::secret/*'}");
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(p).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "iam:CreateUser", "*"))
                .identityPolicy(p).build()), Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject",
                "arn:aws:s3:::secret/x")).identityPolicy(p).build()), Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    @Test
    void rootUser_hasFullAccessInItsAccountButSCPsStillLimitIt() {
        assertDecision(Evaluator.evaluate(input(ROOT).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(input(ROOT).scpLevel(List.of(DENY_ALL)).build()),
                Outcome.EXPLICITLY_DENIED, Layer.SCP);
    }

    // --- Same-account resource-based policies: the table in "Policy evaluation logic"

    @Test
    void resourcePolicyNamingTheUser_allowsDespiteImplicitDenyInIdentityAndBoundary() {
        Decision d = Evaluator.evaluate(input(USER).permissionsBoundary(NOTHING)
                .resourcePolicy(resourcePolicyNaming(USER)).build());
        assertDecision(d, Outcome.ALLOWED);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.RESOURCE, 0, 0, "Bucket", Effect.ALLOW));
    }

    @Test
    void resourcePolicyNamingTheRoleSession_allowsDespiteBoundaryAndSessionPolicy() {
        assertDecision(Evaluator.evaluate(input(SESSION).permissionsBoundary(NOTHING).sessionPolicy(NOTHING)
                .resourcePolicy(resourcePolicyNaming(SESSION)).build()), Outcome.ALLOWED);
    }

    @Test
    void resourcePolicyNamingTheRole_isLimitedByBoundaryAndSessionPolicyButNotByIdentity() {
        Policy bucket = resourcePolicyNaming(ROLE);
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(bucket).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(bucket).permissionsBoundary(NOTHING).build()),
                Outcome.IMPLICITLY_DENIED, Layer.BOUNDARY);
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(bucket).sessionPolicy(NOTHING).build()),
                Outcome.IMPLICITLY_DENIED, Layer.SESSION);
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(bucket).permissionsBoundary(ALLOW_GET)
                .sessionPolicy(ALLOW_GET).build()), Outcome.ALLOWED);
    }

    @Test
    void roleWithAPath_stillMatchesItsSessions() {
        // A session ARN carries no role path; AWS matches by the role's unique id.
        Policy bucket = resourcePolicyNaming("arn:aws:iam::111122223333:role/team/app");
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(bucket).build()), Outcome.ALLOWED);
    }

    @Test
    void resourcePolicyNamingTheFederatedUserSession_allowsWithoutASessionPolicy() {
        assertDecision(Evaluator.evaluate(input(FEDERATED).resourcePolicy(resourcePolicyNaming(FEDERATED)).build()),
                Outcome.ALLOWED);
    }

    @Test
    void federatedUserWithoutSessionPolicy_hasNoIdentityPermissions() {
        // Session policy step: GetFederationToken without a policy gives a session that identity policies cannot use.
        assertDecision(Evaluator.evaluate(input(FEDERATED).identityPolicy(ALLOW_ALL).build()),
                Outcome.IMPLICITLY_DENIED, Layer.SESSION);
        assertDecision(Evaluator.evaluate(input(FEDERATED).identityPolicy(ALLOW_ALL).sessionPolicy(ALLOW_GET).build()),
                Outcome.ALLOWED);
    }

    @Test
    void resourcePolicyNamingTheAccount_inTheSameAccount_delegatesToIdentityPolicies() {
        Policy bucket = resourcePolicyNaming(ACCOUNT);
        assertDecision(Evaluator.evaluate(input(USER).resourcePolicy(bucket).build()),
                Outcome.IMPLICITLY_DENIED, Layer.RESOURCE, Layer.IDENTITY);
        assertDecision(Evaluator.evaluate(input(USER).resourcePolicy(bucket).identityPolicy(ALLOW_GET).build()),
                Outcome.ALLOWED);
    }

    @Test
    void identityAllow_isLimitedByBoundaryAndSessionPolicy() {
        Policy putOnly = statements("{'Effect':'Allow','Action':'s3:PutObject','Resource':'*'}");
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).permissionsBoundary(putOnly).build()),
                Outcome.IMPLICITLY_DENIED, Layer.BOUNDARY);
        assertDecision(Evaluator.evaluate(input(SESSION).identityPolicy(ALLOW_ALL).sessionPolicy(putOnly).build()),
                Outcome.IMPLICITLY_DENIED, Layer.SESSION);
        Decision d = Evaluator.evaluate(input(SESSION).identityPolicy(ALLOW_ALL).permissionsBoundary(ALLOW_GET)
                .sessionPolicy(ALLOW_GET).build());
        assertDecision(d, Outcome.ALLOWED);
        assertThat(d.statements()).extracting(StatementRef::layer)
                .containsExactly(Layer.IDENTITY, Layer.BOUNDARY, Layer.SESSION);
    }

    @Test
    void denyInABoundary_isAnExplicitDenyEvenWithAResourceGrant() {
        assertDecision(Evaluator.evaluate(input(USER).resourcePolicy(resourcePolicyNaming(USER))
                .permissionsBoundary(DENY_ALL).build()), Outcome.EXPLICITLY_DENIED, Layer.BOUNDARY);
    }

    // --- Cross account ("Cross-account policy evaluation logic")

    static EvaluationInput.Builder crossAccount(String principal) {
        return EvaluationInput.builder(Request.of(principal, "s3:GetObject", OBJECT, OTHER, Map.of()));
    }

    @Test
    void crossAccount_needsBothTheIdentityPolicyAndTheResourcePolicy() {
        Policy bucket = resourcePolicyNaming(ACCOUNT);
        assertDecision(Evaluator.evaluate(crossAccount(USER).identityPolicy(ALLOW_GET).resourcePolicy(bucket).build()),
                Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(crossAccount(USER).resourcePolicy(bucket).build()),
                Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
        assertDecision(Evaluator.evaluate(crossAccount(USER).identityPolicy(ALLOW_GET).build()),
                Outcome.IMPLICITLY_DENIED, Layer.RESOURCE);
    }

    @Test
    void crossAccount_resourcePolicyNamingTheUserDirectly_stillNeedsTheIdentityPolicy() {
        assertDecision(Evaluator.evaluate(crossAccount(USER).resourcePolicy(resourcePolicyNaming(USER)).build()),
                Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    @Test
    void crossAccount_resourcePolicyNamingAnotherAccount_doesNotMatch() {
        assertDecision(Evaluator.evaluate(crossAccount(USER).identityPolicy(ALLOW_GET)
                .resourcePolicy(resourcePolicyNaming(OTHER)).build()), Outcome.IMPLICITLY_DENIED, Layer.RESOURCE);
    }

    @Test
    void resourceAccount_isTakenFromTheArnWhenNotGiven() {
        Request r = Request.of(USER, "sqs:SendMessage", "arn:aws:sqs:us-east-1:444455556666:q");
        assertThat(r.resourceAccount()).isEqualTo(OTHER);
        assertThat(r.sameAccount()).isFalse();
        assertThat(Request.of(USER, "s3:GetObject", OBJECT).sameAccount()).isTrue();
    }

    // --- Anonymous and service callers

    @Test
    void anonymousCaller_isAllowedOnlyByAResourcePolicyForEveryone() {
        Policy publicRead = statements("{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket/*'}");
        assertDecision(Evaluator.evaluate(input("anonymous").resourcePolicy(publicRead).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(input("anonymous").identityPolicy(ALLOW_ALL).build()),
                Outcome.IMPLICITLY_DENIED, Layer.RESOURCE);
        assertDecision(Evaluator.evaluate(input("anonymous").resourcePolicy(resourcePolicyNaming(ACCOUNT)).build()),
                Outcome.IMPLICITLY_DENIED, Layer.RESOURCE);
    }

    @Test
    void servicePrincipal_isMatchedByName_andSCPsDoNotApplyToIt() {
        Policy bucket = statements("{'Effect':'Allow','Principal':{'Service':'cloudtrail.amazonaws.com'},"
                + "'Action':'s3:GetObject','Resource':'*'}");
        assertDecision(Evaluator.evaluate(input("cloudtrail.amazonaws.com").resourcePolicy(bucket)
                .scpLevel(List.of(NOTHING)).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(input("config.amazonaws.com").resourcePolicy(bucket).build()),
                Outcome.IMPLICITLY_DENIED, Layer.RESOURCE);
    }

    // --- NotPrincipal ("AWS JSON policy elements: NotPrincipal")

    @Test
    void notPrincipalWithDeny_excludesASessionOnlyWhenAccountRoleAndSessionAreListed() {
        Policy all = statements("{'Effect':'Deny','NotPrincipal':{'AWS':['" + SESSION + "','" + ROLE + "','"
                + ROOT + "']},'Action':'*','Resource':'*'}",
                "{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}");
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(all).build()), Outcome.ALLOWED);
        Policy sessionOnly = statements("{'Effect':'Deny','NotPrincipal':{'AWS':'" + SESSION + "'},"
                + "'Action':'*','Resource':'*'}", "{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}");
        assertDecision(Evaluator.evaluate(input(SESSION).resourcePolicy(sessionOnly).build()),
                Outcome.EXPLICITLY_DENIED, Layer.RESOURCE);
        assertDecision(Evaluator.evaluate(input(USER).resourcePolicy(all).build()),
                Outcome.EXPLICITLY_DENIED, Layer.RESOURCE);
    }

    // --- SCPs and RCPs (AWS Organizations User Guide)

    @Test
    void scps_mustAllowAtEveryLevelFromRootToAccount() {
        Policy fullAccess = statements("{'Sid':'FullAWSAccess','Effect':'Allow','Action':'*','Resource':'*'}");
        Policy ec2Only = statements("{'Effect':'Allow','Action':'ec2:*','Resource':'*'}");
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).scpLevel(List.of(fullAccess))
                .scpLevel(List.of(fullAccess)).scpLevel(List.of(fullAccess)).build()), Outcome.ALLOWED);
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).scpLevel(List.of(fullAccess))
                .scpLevel(List.of(ec2Only)).scpLevel(List.of(fullAccess)).build());
        assertDecision(d, Outcome.IMPLICITLY_DENIED, Layer.SCP);
        assertThat(d.statements()).isEmpty();
    }

    @Test
    void scps_neverGrant() {
        assertDecision(Evaluator.evaluate(input(USER).scpLevel(List.of(ALLOW_ALL)).build()),
                Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    @Test
    void scpDeny_isReportedWithItsIndexCountedAcrossLevels() {
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).scpLevel(List.of(ALLOW_ALL))
                .scpLevel(List.of(ALLOW_ALL, DENY_ALL)).build());
        assertDecision(d, Outcome.EXPLICITLY_DENIED, Layer.SCP);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.SCP, 2, 0, "No", Effect.DENY));
    }

    @Test
    void rcps_onlyDeny_becauseRCPFullAWSAccessIsAlwaysAttached() {
        Policy rcpDeny = statements("{'Sid':'OrgOnly','Effect':'Deny','Principal':'*','Action':'s3:*',"
                + "'Resource':'*','Condition':{'StringNotEqualsIfExists':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}");
        // A customer RCP with no Allow does not block: the implicit RCPFullAWSAccess allows at every level.
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).rcpLevel(List.of(NOTHING))
                .build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT,
                ACCOUNT, Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5"))).identityPolicy(ALLOW_ALL)
                .rcpLevel(List.of(rcpDeny)).build()), Outcome.ALLOWED);
        Decision d = Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT,
                ACCOUNT, Map.of("aws:PrincipalOrgID", "o-99999999"))).identityPolicy(ALLOW_ALL)
                .rcpLevel(List.of(rcpDeny)).build());
        assertDecision(d, Outcome.EXPLICITLY_DENIED, Layer.RCP);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.RCP, 0, 0, "OrgOnly", Effect.DENY));
        // And RCPs never grant.
        assertDecision(Evaluator.evaluate(input(USER).rcpLevel(List.of(ALLOW_ALL)).build()),
                Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    // --- VPC endpoint policies (PrivateLink guide, "Control access to VPC endpoints using endpoint policies")

    static final Policy DEFAULT_ENDPOINT = policyOf(Policy.DEFAULT_VPC_ENDPOINT_POLICY);

    static Policy policyOf(String json) {
        try {
            return PolicyParser.parse(json);
        } catch (PolicyParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaultEndpointPolicy_allowsWhatTheOtherPoliciesAllow() {
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(ALLOW_GET).vpcEndpointPolicy(DEFAULT_ENDPOINT)
                .build());
        assertDecision(d, Outcome.ALLOWED);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.IDENTITY, 0, 0, "Get", Effect.ALLOW),
                new StatementRef(Layer.VPC_ENDPOINT, 0, 0, "", Effect.ALLOW));
    }

    @Test
    void endpointPolicy_grantsNothingOnItsOwn() {
        assertDecision(Evaluator.evaluate(input(USER).vpcEndpointPolicy(DEFAULT_ENDPOINT).build()),
                Outcome.IMPLICITLY_DENIED, Layer.IDENTITY);
    }

    @Test
    void endpointPolicyWithoutMatchingAllow_limitsAnIdentityAllow() {
        Policy otherBucket = statements("{'Effect':'Allow','Principal':'*','Action':'s3:*',"
                + "'Resource':'arn:aws:s3:::other/*'}");
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).vpcEndpointPolicy(otherBucket)
                .build()), Outcome.IMPLICITLY_DENIED, Layer.VPC_ENDPOINT);
        assertDecision(Evaluator.evaluate(input(USER).resourcePolicy(resourcePolicyNaming(USER))
                .vpcEndpointPolicy(otherBucket).build()), Outcome.IMPLICITLY_DENIED, Layer.VPC_ENDPOINT);
    }

    @Test
    void endpointPolicyDeny_isAnExplicitDeny() {
        Policy deny = statements("{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}",
                "{'Sid':'NoPut','Effect':'Deny','Principal':'*','Action':'s3:GetObject','Resource':'*'}");
        Decision d = Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL).vpcEndpointPolicy(deny).build());
        assertDecision(d, Outcome.EXPLICITLY_DENIED, Layer.VPC_ENDPOINT);
        assertThat(d.statements()).containsExactly(new StatementRef(Layer.VPC_ENDPOINT, 0, 1, "NoPut", Effect.DENY));
    }

    @Test
    void endpointPolicyOfACustomerEndpointService_isNotApplied() {
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL)
                .vpcEndpointPolicy(DENY_ALL, EndpointKind.CUSTOMER_ENDPOINT_SERVICE).build()), Outcome.ALLOWED);
    }

    @Test
    void gatewayEndpoint_accountPrincipalMatchesOnlyTheRootUser() {
        // Gateway endpoints guide: "AWS": "<account>" in an endpoint policy means that account's root user only.
        Policy endpoint = statements("{'Effect':'Allow','Principal':{'AWS':'" + ACCOUNT + "'},'Action':'*',"
                + "'Resource':'*'}");
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL)
                .vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build()), Outcome.IMPLICITLY_DENIED,
                Layer.VPC_ENDPOINT);
        assertDecision(Evaluator.evaluate(input(ROOT).vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build()),
                Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(input(USER).identityPolicy(ALLOW_ALL)
                .vpcEndpointPolicy(endpoint, EndpointKind.INTERFACE).build()), Outcome.ALLOWED);
    }

    @Test
    void bucketPolicyDenyingRequestsNotThroughTheEndpoint_deniesInternetCallersToo() {
        // Reference §5.3 / S3 guide "Restricting access to a specific VPC endpoint".
        Policy bucket = TestPolicies.policy("""
                {'Version':'2012-10-17','Statement':[{'Sid':'OnlyThroughEndpoint','Effect':'Deny','Principal':'*',
                 'Action':'s3:*','Resource':['arn:aws:s3:::bucket','arn:aws:s3:::bucket/*'],
                 'Condition':{'StringNotEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}}]}""");
        Decision internet = Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT,
                null, Map.of("aws:SourceIp", "203.0.113.9"))).identityPolicy(ALLOW_ALL).resourcePolicy(bucket).build());
        assertDecision(internet, Outcome.EXPLICITLY_DENIED, Layer.RESOURCE);
        assertThat(internet.statements()).containsExactly(
                new StatementRef(Layer.RESOURCE, 0, 0, "OnlyThroughEndpoint", Effect.DENY));
        Decision endpoint = Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT,
                null, Map.of("aws:SourceVpce", "vpce-1a2b3c4d"))).identityPolicy(ALLOW_ALL).resourcePolicy(bucket)
                .vpcEndpointPolicy(DEFAULT_ENDPOINT, EndpointKind.GATEWAY).build());
        assertDecision(endpoint, Outcome.ALLOWED);
    }

    @Test
    void organizationEndpointPolicy_admitsOnlyPrincipalsAndBucketsOfTheOrganization() {
        // Reference §5.3: endpoint policy with aws:PrincipalOrgID and aws:ResourceOrgID.
        Policy endpoint = TestPolicies.policy("""
                {'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:*',
                 'Resource':'*','Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5',
                 'aws:ResourceOrgID':'o-a1b2c3d4e5'}}}]}""");
        EvaluationInput inside = EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT, null,
                Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5", "aws:ResourceOrgID", "o-a1b2c3d4e5")))
                .identityPolicy(ALLOW_ALL).vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build();
        assertDecision(Evaluator.evaluate(inside), Outcome.ALLOWED);
        EvaluationInput foreignBucket = EvaluationInput.builder(Request.of(USER, "s3:GetObject", OBJECT, null,
                Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5", "aws:ResourceOrgID", "o-zzzzzzzzzz")))
                .identityPolicy(ALLOW_ALL).vpcEndpointPolicy(endpoint, EndpointKind.GATEWAY).build();
        assertDecision(Evaluator.evaluate(foreignBucket), Outcome.IMPLICITLY_DENIED, Layer.VPC_ENDPOINT);
    }

    @Test
    void instanceCredentialsSCP_deniesUseFromAnotherVpcButExemptsServiceCalls() {
        // Reference §4: the SCP comparing aws:SourceVpc with ${aws:Ec2InstanceSourceVpc}.
        Policy scp = TestPolicies.policy("""
                {'Version':'2012-10-17','Statement':[{'Sid':'PinVpc','Effect':'Deny','Action':'*','Resource':'*',
                 'Condition':{'StringNotEquals':{'aws:SourceVpc':'${aws:Ec2InstanceSourceVpc}'},
                 'Null':{'ec2:SourceInstanceARN':'false'},'BoolIfExists':{'aws:ViaAWSService':'false'}}},
                 {'Effect':'Allow','Action':'*','Resource':'*'}]}""");
        Map<String, Object> stolen = Map.of("aws:SourceVpc", "vpc-99998888", "aws:Ec2InstanceSourceVpc",
                "vpc-11112222", "ec2:SourceInstanceARN", "arn:aws:ec2:us-east-1:111122223333:instance/i-1");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(SESSION, "s3:GetObject", OBJECT, null,
                stolen)).identityPolicy(ALLOW_ALL).scpLevel(List.of(scp)).build()), Outcome.EXPLICITLY_DENIED,
                Layer.SCP);
        Map<String, Object> home = Map.of("aws:SourceVpc", "vpc-11112222", "aws:Ec2InstanceSourceVpc",
                "vpc-11112222", "ec2:SourceInstanceARN", "arn:aws:ec2:us-east-1:111122223333:instance/i-1");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(SESSION, "s3:GetObject", OBJECT, null,
                home)).identityPolicy(ALLOW_ALL).scpLevel(List.of(scp)).build()), Outcome.ALLOWED);
        Map<String, Object> viaService = Map.of("aws:SourceVpc", "vpc-99998888", "aws:Ec2InstanceSourceVpc",
                "vpc-11112222", "ec2:SourceInstanceARN", "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
                "aws:ViaAWSService", "true");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(SESSION, "s3:GetObject", OBJECT, null,
                viaService)).identityPolicy(ALLOW_ALL).scpLevel(List.of(scp)).build()), Outcome.ALLOWED);
    }

    // --- Policy variables in Resource ("IAM policy elements: Variables and tags")

    @Test
    void usernameVariableInResource_givesEachUserTheirOwnPrefix() {
        Policy home = statements("{'Effect':'Allow','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket/home/${aws:username}/*'}");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject",
                "arn:aws:s3:::bucket/home/alice/a.txt")).identityPolicy(home).build()), Outcome.ALLOWED);
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(USER, "s3:GetObject",
                "arn:aws:s3:::bucket/home/bob/a.txt")).identityPolicy(home).build()), Outcome.IMPLICITLY_DENIED,
                Layer.IDENTITY);
    }

    @Test
    void resourceWithANullVariable_matchesNoResource() {
        // Roles have no aws:username: the entry matches nothing, in Resource and in NotResource alike.
        Policy home = statements("{'Effect':'Allow','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket/home/${aws:username}/*'}");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(SESSION, "s3:GetObject",
                "arn:aws:s3:::bucket/home//a.txt")).identityPolicy(home).build()), Outcome.IMPLICITLY_DENIED,
                Layer.IDENTITY);
        Policy notHome = statements("{'Effect':'Allow','Action':'s3:GetObject',"
                + "'NotResource':'arn:aws:s3:::bucket/home/${aws:username}/*'}");
        assertDecision(Evaluator.evaluate(EvaluationInput.builder(Request.of(SESSION, "s3:GetObject",
                "arn:aws:s3:::bucket/home//a.txt")).identityPolicy(notHome).build()), Outcome.ALLOWED);
    }

    @Test
    void derivedKeys_areAvailableButTheContextWins() {
        Request r = Request.of(SESSION, "s3:GetObject", OBJECT);
        assertThat(r.context().values("aws:PrincipalArn")).containsExactly(ROLE);
        assertThat(r.context().values("aws:PrincipalAccount")).containsExactly(ACCOUNT);
        assertThat(r.context().values("aws:username")).isEmpty();
        assertThat(Request.of(USER, "s3:GetObject", OBJECT).context().values("aws:username"))
                .containsExactly("alice");
        assertThat(Request.of(USER, "s3:GetObject", OBJECT, null, Map.of("AWS:USERNAME", "x")).context()
                .values("aws:username")).containsExactly("x");
        assertThat(Request.of("anonymous", "s3:GetObject", OBJECT).context().values("aws:PrincipalAccount"))
                .containsExactly("anonymous");
    }
}
