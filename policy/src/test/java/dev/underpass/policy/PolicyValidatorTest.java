package dev.underpass.policy;

import static dev.underpass.policy.TestPolicies.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Findings after IAM Access Analyzer "Access Analyzer policy check reference" (reference §6). */
class PolicyValidatorTest {

    private static List<Finding> validate(PolicyType type, String singleQuoted) {
        return PolicyValidator.validate(json(singleQuoted), type);
    }

    private static String endpointPolicyWithCondition(String condition) {
        return "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:*',"
                + "'Resource':'*','Condition':" + condition + "}]}";
    }

    private static List<String> codes(List<Finding> findings) {
        return findings.stream().map(Finding::issueCode).toList();
    }

    @Test
    void defaultEndpointPolicy_hasOnlyTheEmptySidSuggestion() {
        List<Finding> f = PolicyValidator.validate(Policy.DEFAULT_VPC_ENDPOINT_POLICY, PolicyType.VPC_ENDPOINT);
        assertThat(f).extracting(Finding::type, Finding::issueCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingType.SUGGESTION, "EMPTY_SID_VALUE"));
    }

    @Test
    void invalidJson_isOneErrorWithItsLine() {
        List<Finding> f = PolicyValidator.validate("{\n  \"Statement\": [\n}", PolicyType.IDENTITY);
        assertThat(f).hasSize(1);
        assertThat(f.getFirst().type()).isEqualTo(FindingType.ERROR);
        assertThat(f.getFirst().issueCode()).isEqualTo("JSON_SYNTAX_ERROR");
        assertThat(f.getFirst().message()).contains("line 3, column 1");
    }

    @Test
    void grammarError_isReportedAtItsPathWithLineAndColumn() {
        List<Finding> f = PolicyValidator.validate("{\"Statement\": [\n  {\"Effect\": \"Permit\", \"Action\": \"*\"}]}",
                PolicyType.IDENTITY);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.issueCode()).isEqualTo("INVALID_EFFECT");
            assertThat(x.location()).isEqualTo(new Finding.Location("Statement[0].Effect", 2, 4));
        });
    }

    @Test
    void privateRangesInSourceIp_areAnError() {
        List<Finding> f = validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'IpAddress':{'aws:SourceIp':['10.0.0.0/8','192.168.1.0/24']}}"));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo(FindingType.ERROR);
            assertThat(x.issueCode()).isEqualTo("PRIVATE_IP_ADDRESS");
            assertThat(x.location().path()).isEqualTo("Statement[0].Condition.IpAddress.aws:SourceIp");
            assertThat(x.message()).contains("aws:VpcSourceIp");
        });
        assertThat(codes(validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'NotIpAddress':{'aws:SourceIp':'172.16.0.0/12'}}")))).containsExactly("PRIVATE_NOT_IP_ADDRESS");
    }

    @Test
    void mixedPrivateAndPublicRangesInSourceIp_areASuggestion() {
        List<Finding> f = validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'IpAddress':{'aws:SourceIp':['10.0.0.0/8','203.0.113.0/24']}}"));
        assertThat(f).extracting(Finding::type, Finding::issueCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FindingType.SUGGESTION, "PRIVATE_IP_ADDRESS_SUBSET"));
    }

    @Test
    void privateRangesInVpcSourceIp_areFine() {
        assertThat(validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'IpAddress':{'aws:VpcSourceIp':'10.0.0.0/8'},'StringEquals':{'aws:SourceVpc':'vpc-1a2b3c4d'}}")))
                .isEmpty();
    }

    @Test
    void vpcSourceIpWithoutSourceVpc_isASecurityWarning() {
        List<Finding> f = validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'IpAddress':{'aws:VpcSourceIp':'10.0.0.0/8'}}"));
        assertThat(f).extracting(Finding::type, Finding::issueCode).containsExactly(org.assertj.core.groups.Tuple
                .tuple(FindingType.SECURITY_WARNING, "MISSING_PAIRED_CONDITION_KEYS"));
    }

    @Test
    void hostBitsAfterThePrefix_suggestImprovingTheRange() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'IpAddress':{'aws:SourceIp':'203.0.113.7/24'}}")))).containsExactly("IMPROVE_IP_RANGE");
    }

    @Test
    void malformedVpcAndEndpointIds_areErrorsQuotingTheValue() {
        List<Finding> f = validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'StringEquals':{'aws:SourceVpc':['vpc-1a2b3c4d','vpc-123','vpc-0123456789abcdef0'],"
                        + "'aws:SourceVpce':['vpce-1a2b3c4d5','vpce-0a1b2c3d4e5f60718']}}"));
        assertThat(f).extracting(Finding::issueCode, x -> x.location().path()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("INVALID_VPC_FORMAT",
                        "Statement[0].Condition.StringEquals.aws:SourceVpc[1]"),
                org.assertj.core.groups.Tuple.tuple("INVALID_VPCE_FORMAT",
                        "Statement[0].Condition.StringEquals.aws:SourceVpce[0]"));
        assertThat(f.getFirst().message()).startsWith("\"vpc-123\" is not a VPC id");
        assertThat(f).allMatch(x -> x.type() == FindingType.ERROR);
    }

    @Test
    void forAllValuesOnASingleValuedKey_isASecurityWarning() {
        List<Finding> f = validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'ForAllValues:StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}"));
        assertThat(f).extracting(Finding::type, Finding::issueCode).containsExactly(org.assertj.core.groups.Tuple
                .tuple(FindingType.SECURITY_WARNING, "FORALLVALUES_WITH_SINGLE_VALUED_KEY"));
    }

    @Test
    void multivaluedKeyWithoutQualifier_isAnError() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'StringEquals':{'aws:TagKeys':'a'}}")))).containsExactly("MISSING_QUALIFIER");
    }

    @Test
    void nullWithIfExists_isAnErrorAndNullWithAQualifierASuggestion() {
        List<Finding> f = validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'NullIfExists':{'aws:TokenIssueTime':'true'},'ForAllValues:Null':{'aws:TagKeys':'false'}}"));
        assertThat(f).extracting(Finding::type, Finding::issueCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FindingType.ERROR, "NULL_WITH_IF_EXISTS"),
                org.assertj.core.groups.Tuple.tuple(FindingType.SUGGESTION, "NULL_WITH_QUALIFIER"));
    }

    @Test
    void endpointPolicyOverTheSizeLimit_isAnError() {
        String statement = json("{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket-with-a-long-name-for-padding/*'}");
        StringBuilder b = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; b.length() < 20_600; i++) {
            b.append(i == 0 ? "" : ",").append(statement);
        }
        String big = b.append("]}").toString();
        List<Finding> f = PolicyValidator.validate(big, PolicyType.VPC_ENDPOINT);
        assertThat(f).first().satisfies(x -> {
            assertThat(x.type()).isEqualTo(FindingType.ERROR);
            assertThat(x.issueCode()).isEqualTo("POLICY_SIZE_EXCEEDS_VPC_ENDPOINT_POLICY_QUOTA");
            assertThat(x.message()).contains("at most 20,480");
        });
        assertThat(PolicyValidator.hasErrors(PolicyValidator.validate(big, PolicyType.RESOURCE))).isFalse();
    }

    @Test
    void endpointPolicyWithoutPrincipal_isAnError_andIdentityPolicyWithOne_too() {
        String noPrincipal = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'}]}";
        assertThat(codes(validate(PolicyType.VPC_ENDPOINT, noPrincipal))).containsExactly("MISSING_PRINCIPAL");
        assertThat(validate(PolicyType.IDENTITY, noPrincipal)).isEmpty();
        assertThat(codes(validate(PolicyType.IDENTITY, endpointPolicyWithCondition("{}"))))
                .containsExactly("UNSUPPORTED_PRINCIPAL", "EMPTY_OBJECT_CONDITION");
    }

    @Test
    void wildcardInsidePrincipalArn_isAnError() {
        List<Finding> f = validate(PolicyType.RESOURCE, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'Principal':{'AWS':'arn:aws:iam::111122223333:role/*'},'Action':'s3:*','Resource':'*'}]}");
        assertThat(codes(f)).containsExactly("UNSUPPORTED_WILDCARD_IN_PRINCIPAL");
    }

    @Test
    void allowWithNotPrincipal_isASecurityWarning() {
        List<Finding> f = validate(PolicyType.RESOURCE, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'NotPrincipal':{'AWS':'111122223333'},'Action':'s3:*','Resource':'*'}]}");
        assertThat(codes(f)).containsExactly("ALLOW_WITH_NOT_PRINCIPAL");
    }

    @Test
    void missingVersionAndDuplicateSids_areWarningsOrErrorsByPolicyType() {
        String p = "{'Statement':[{'Sid':'A','Effect':'Allow','Action':'s3:*','Resource':'*'},"
                + "{'Sid':'A','Effect':'Deny','Action':'iam:*','Resource':'*'}]}";
        assertThat(validate(PolicyType.IDENTITY, p)).extracting(Finding::type, Finding::issueCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FindingType.WARNING, "MISSING_VERSION"),
                org.assertj.core.groups.Tuple.tuple(FindingType.ERROR, "UNIQUE_SIDS_REQUIRED"));
        String withPrincipal = p.replace("'Effect'", "'Principal':'*','Effect'");
        assertThat(codes(validate(PolicyType.RESOURCE, withPrincipal)))
                .containsExactly("MISSING_VERSION", "UNIQUE_SIDS_RECOMMENDED");
    }

    @Test
    void wildcardWithoutLikeOperator_isAWarning() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'StringEquals':{'aws:PrincipalArn':'arn:aws:iam::*:role/app'}}"))))
                .containsExactly("WILDCARD_WITHOUT_LIKE_OPERATOR");
    }

    @Test
    void typeMismatches_areWarnings() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'NumericLessThan':{'s3:max-keys':'ten'},'DateLessThan':{'aws:CurrentTime':'tomorrow'},"
                        + "'IpAddress':{'aws:VpcSourceIp':'10.0.0.300'},'Bool':{'aws:SecureTransport':'yes'},"
                        + "'StringEquals':{'aws:SourceVpc':'vpc-1a2b3c4d'}}"))))
                .containsExactly("TYPE_MISMATCH_NUMBER", "INVALID_DATE_VALUE", "TYPE_MISMATCH_IP_RANGE",
                        "TYPE_MISMATCH_BOOLEAN");
    }

    @Test
    void boolWithBothValues_isAnError() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'Bool':{'aws:SecureTransport':['true','false']}}"))))
                .containsExactly("INVALID_CONDITION_MULTIPLE_BOOLEAN");
    }

    @Test
    void sourceIpWithAStringOperator_isADataTypeMismatch() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'StringEquals':{'aws:SourceIp':'203.0.113.1'}}")))).containsExactly("DATA_TYPE_MISMATCH");
    }

    @Test
    void sameKeyInTwoCases_isAnError() {
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'StringEquals':{'aws:SourceVpc':'vpc-1a2b3c4d','AWS:SOURCEVPC':'vpc-11112222'}}"))))
                .containsExactly("DUPLICATE_KEYS_WITH_DIFFERENT_CASE");
    }

    @Test
    void variableProblems_areErrors() {
        String p = "{'Version':'2008-10-17','Statement':[{'Effect':'Allow','Action':'s3:*',"
                + "'Resource':'arn:aws:s3:::bucket/${aws:username}/*'}]}";
        assertThat(codes(validate(PolicyType.IDENTITY, p))).containsExactly("VARIABLE_UNSUPPORTED_IN_VERSION");
        String early = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:*',"
                + "'Resource':'arn:aws:s3:::${aws:username}x/${aws:userid'}]}";
        assertThat(codes(validate(PolicyType.IDENTITY, early))).containsExactly("MISSING_BRACE_IN_VARIABLE");
        String account = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:*',"
                + "'Resource':'arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q'}]}";
        assertThat(codes(validate(PolicyType.IDENTITY, account))).containsExactly("VARIABLE_UNSUPPORTED_IN_ELEMENT");
        assertThat(codes(validate(PolicyType.RESOURCE, endpointPolicyWithCondition(
                "{'NumericEquals':{'s3:max-keys':'${aws:username}'}}"))))
                .containsExactly("INVALID_VARIABLE_FOR_OPERATOR", "TYPE_MISMATCH_NUMBER");
    }

    @Test
    void actionsAndResources_areChecked() {
        String p =
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['s3:*','s3:GetObject','getobject'],"
                        + "'Resource':['arn:aws:s3:::b/*','arn:aws:s3:::b/k','bucket','arn:aws:s3']}]}";
        assertThat(codes(validate(PolicyType.IDENTITY, p))).containsExactly("REDUNDANT_ACTION", "INVALID_ACTION",
                "REDUNDANT_RESOURCE", "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD");
        assertThat(codes(validate(PolicyType.IDENTITY,
                "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:*'}]}")))
                .containsExactly("MISSING_RESOURCE");
        assertThat(validate(PolicyType.ROLE_TRUST, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}]}")).isEmpty();
    }

    @Test
    void passRoleOnEveryRole_isASecurityWarning() {
        assertThat(codes(validate(PolicyType.IDENTITY, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'Action':'iam:PassRole','Resource':'*'}]}"))).containsExactly("PASS_ROLE_WITH_STAR_IN_RESOURCE");
    }

    @Test
    void endpointPolicyWildcardRules_areEnforced() {
        // PrivateLink guide: no wildcards on generated-id keys; six literal characters around each wildcard.
        assertThat(codes(validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'StringLike':{'aws:PrincipalAccount':'1111*'}}")))).containsExactly("ENDPOINT_POLICY_WILDCARD_ON_ID");
        assertThat(codes(validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'StringLike':{'aws:PrincipalArn':'arn*'}}")))).containsExactly("ENDPOINT_POLICY_SHORT_WILDCARD");
        assertThat(validate(PolicyType.VPC_ENDPOINT, endpointPolicyWithCondition(
                "{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/app-*'}}"))).isEmpty();
        assertThat(codes(validate(PolicyType.VPC_ENDPOINT, "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
                + "'Principal':'*','Action':'sqs:*','Resource':'arn:aws:sqs:us-east-1:1111*:q'}]}")))
                .containsExactly("INVALID_ARN_ACCOUNT");
    }

    @Test
    void inferredType_isResourceWhenAStatementNamesAPrincipal() {
        assertThat(PolicyValidator.validate(json(endpointPolicyWithCondition("{}")))).extracting(Finding::issueCode)
                .containsExactly("EMPTY_OBJECT_CONDITION");
    }
}
