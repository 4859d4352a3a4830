package dev.underpass.policy;

import static dev.underpass.policy.TestPolicies.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Condition operators, following IAM User Guide "IAM JSON policy elements: Condition operators", "Condition
 * keys with multiple values" (set operators) and "IAM policy elements: Variables and tags".
 */
class ConditionTest {

    /** Evaluates one condition block (single-quoted JSON) against a context, in a 2012-10-17 policy. */
    private static boolean holds(String conditionBlock, Map<String, ?> context) {
        return holds("2012-10-17", conditionBlock, context);
    }

    private static boolean holds(String version, String conditionBlock, Map<String, ?> context) {
        String versionPart = version == null ? "" : "'Version':'" + version + "',";
        // A backquote stands for a single quote that must survive the quote conversion.
        Policy p = TestPolicies.policy("{" + versionPart + "'Statement':[{'Effect':'Allow','Action':'*',"
                + "'Resource':'*','Condition':" + conditionBlock + "}]}", '`');
        return p.statements().getFirst().conditionsHold(RequestContext.of(context));
    }

    private static Map<String, Object> ctx(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // --- String operators

    @Test
    void stringEquals_isCaseSensitiveAndAnyValueMayMatch() {
        String c = "{'StringEquals':{'aws:SourceVpce':['vpce-1a2b3c4d','vpce-11112222']}}";
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-11112222"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceVpce", "VPCE-11112222"))).isFalse();
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-99999999"))).isFalse();
    }

    @Test
    void stringEquals_treatsWildcardsLiterally() {
        assertThat(holds("{'StringEquals':{'s3:prefix':'home/*'}}", ctx("s3:prefix", "home/a"))).isFalse();
        assertThat(holds("{'StringEquals':{'s3:prefix':'home/*'}}", ctx("s3:prefix", "home/*"))).isTrue();
    }

    @Test
    void stringNotEquals_needsTheValueToDifferFromEveryListedValue() {
        // Condition operators page: for negated operators several values act like AND.
        String c = "{'StringNotEquals':{'aws:SourceVpce':['vpce-1a2b3c4d','vpce-11112222']}}";
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-11112222"))).isFalse();
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-99999999"))).isTrue();
    }

    @Test
    void stringEqualsIgnoreCase_ignoresCase() {
        assertThat(holds("{'StringEqualsIgnoreCase':{'aws:PrincipalTag/team':'Blue'}}",
                ctx("aws:PrincipalTag/team", "BLUE"))).isTrue();
        assertThat(holds("{'StringNotEqualsIgnoreCase':{'aws:PrincipalTag/team':'Blue'}}",
                ctx("aws:PrincipalTag/team", "blue"))).isFalse();
    }

    @Test
    void stringLike_usesStarAndQuestionMarkAnywhere() {
        String c = "{'StringLike':{'s3:prefix':['home/*/docs','tmp?']}}";
        assertThat(holds(c, ctx("s3:prefix", "home/alice/docs"))).isTrue();
        assertThat(holds(c, ctx("s3:prefix", "tmp1"))).isTrue();
        assertThat(holds(c, ctx("s3:prefix", "tmp12"))).isFalse();
        assertThat(holds("{'StringNotLike':{'s3:prefix':'home/*'}}", ctx("s3:prefix", "home/x"))).isFalse();
        assertThat(holds("{'StringNotLike':{'s3:prefix':'home/*'}}", ctx("s3:prefix", "etc/x"))).isTrue();
    }

    // --- Numeric, date, bool, binary

    @Test
    void numericOperators_compareDecimals() {
        assertThat(holds("{'NumericEquals':{'s3:max-keys':'10'}}", ctx("s3:max-keys", "10.0"))).isTrue();
        assertThat(holds("{'NumericNotEquals':{'s3:max-keys':10}}", ctx("s3:max-keys", "10"))).isFalse();
        assertThat(holds("{'NumericLessThan':{'s3:max-keys':10}}", ctx("s3:max-keys", "9.5"))).isTrue();
        assertThat(holds("{'NumericLessThan':{'s3:max-keys':10}}", ctx("s3:max-keys", "10"))).isFalse();
        assertThat(holds("{'NumericLessThanEquals':{'s3:max-keys':10}}", ctx("s3:max-keys", "10"))).isTrue();
        assertThat(holds("{'NumericGreaterThan':{'s3:max-keys':10}}", ctx("s3:max-keys", "11"))).isTrue();
        assertThat(holds("{'NumericGreaterThanEquals':{'s3:max-keys':10}}", ctx("s3:max-keys", "9"))).isFalse();
    }

    @Test
    void numericOperator_withANonNumberRequestValue_doesNotMatch() {
        assertThat(holds("{'NumericEquals':{'s3:max-keys':10}}", ctx("s3:max-keys", "ten"))).isFalse();
    }

    @Test
    void dateOperators_acceptIsoDatesAndEpochSeconds() {
        // Condition operators page, "Date condition operators": W3C ISO 8601 or epoch (UNIX) time.
        String before = "{'DateLessThan':{'aws:CurrentTime':'2024-06-30T00:00:00Z'}}";
        assertThat(holds(before, ctx("aws:CurrentTime", "2024-06-29T23:59:59Z"))).isTrue();
        assertThat(holds(before, ctx("aws:CurrentTime", "2024-06-30T00:00:00Z"))).isFalse();
        assertThat(holds("{'DateLessThanEquals':{'aws:CurrentTime':'2024-06-30'}}",
                ctx("aws:CurrentTime", "2024-06-30T00:00:00Z"))).isTrue();
        assertThat(holds("{'DateGreaterThan':{'aws:EpochTime':1719705600}}",
                ctx("aws:EpochTime", "2024-06-30T00:00:01Z"))).isTrue();
        assertThat(holds("{'DateEquals':{'aws:TokenIssueTime':'2024-06-30T02:00:00+02:00'}}",
                ctx("aws:TokenIssueTime", "1719705600"))).isTrue();
        assertThat(holds("{'DateNotEquals':{'aws:TokenIssueTime':'2024-06-30T00:00:00Z'}}",
                ctx("aws:TokenIssueTime", "2024-06-30T00:00:00.000Z"))).isFalse();
        assertThat(holds("{'DateGreaterThanEquals':{'aws:CurrentTime':'2024-06-30T00:00:00Z'}}",
                ctx("aws:CurrentTime", "2024-06-29T00:00:00Z"))).isFalse();
    }

    @Test
    void bool_comparesTrueAndFalse() {
        assertThat(holds("{'Bool':{'aws:SecureTransport':'false'}}", ctx("aws:SecureTransport", "false"))).isTrue();
        assertThat(holds("{'Bool':{'aws:SecureTransport':false}}", ctx("aws:SecureTransport", "true"))).isFalse();
        assertThat(holds("{'Bool':{'aws:SecureTransport':'true'}}", ctx())).isFalse();
    }

    @Test
    void binaryEquals_comparesDecodedBytes() {
        assertThat(holds("{'BinaryEquals':{'k':'QmluYXJ5VmFsdWU='}}", ctx("k", "QmluYXJ5VmFsdWU="))).isTrue();
        assertThat(holds("{'BinaryEquals':{'k':'QmluYXJ5VmFsdWU='}}", ctx("k", "QmluYXJ5"))).isFalse();
    }

    // --- IP

    @Test
    void ipAddress_matchesCidrBlocksOfBothFamilies() {
        String c = "{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','2001:DB8:1234:5678::/64','198.51.100.7']}}";
        assertThat(holds(c, ctx("aws:SourceIp", "203.0.113.77"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceIp", "203.0.114.1"))).isFalse();
        assertThat(holds(c, ctx("aws:SourceIp", "2001:db8:1234:5678:abcd::1"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceIp", "2001:db8:1234:5679::1"))).isFalse();
        // No prefix means /32.
        assertThat(holds(c, ctx("aws:SourceIp", "198.51.100.7"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceIp", "198.51.100.8"))).isFalse();
    }

    @Test
    void notIpAddress_isTrueOutsideEveryBlockAndWhenTheKeyIsMissing() {
        String c = "{'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}}";
        assertThat(holds(c, ctx("aws:SourceIp", "198.51.100.1"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceIp", "203.0.113.1"))).isFalse();
        // Through a VPC endpoint aws:SourceIp is absent, so a negated operator is true.
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-1a2b3c4d"))).isTrue();
    }

    // --- ARN

    @Test
    void arnLike_keepsEachWildcardInsideOnePartWhereStringLikeDoesNot() {
        // Condition operators page, ARN condition operators: the someservice example.
        String value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        String pattern = "arn:aws:someservice:*:111122223333:finance/*";
        assertThat(holds("{'StringLike':{'aws:SourceArn':'" + pattern + "'}}", ctx("aws:SourceArn", value)))
                .isTrue();
        assertThat(holds("{'ArnLike':{'aws:SourceArn':'" + pattern + "'}}", ctx("aws:SourceArn", value)))
                .isFalse();
    }

    @Test
    void arnEqualsAndNotLike_matchPartByPart() {
        String arn = "arn:aws:iam::111122223333:role/app";
        assertThat(holds("{'ArnEquals':{'aws:PrincipalArn':'arn:aws:iam::*:role/app'}}",
                ctx("aws:PrincipalArn", arn))).isTrue();
        assertThat(holds("{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/*'}}",
                ctx("aws:PrincipalArn", arn))).isFalse();
        assertThat(holds("{'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::444455556666:role/*'}}",
                ctx("aws:PrincipalArn", arn))).isTrue();
        assertThat(holds("{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/*'}}",
                ctx("aws:PrincipalArn", "not-an-arn"))).isFalse();
    }

    // --- Missing keys, IfExists, Null

    @Test
    void missingKey_makesPositiveOperatorsFalseAndNegatedOnesTrue() {
        // Condition operators page: a negated operator on an absent key evaluates to true.
        for (String positive : List.of("StringEquals", "StringLike", "StringEqualsIgnoreCase", "NumericEquals",
                "DateEquals", "Bool", "BinaryEquals", "IpAddress", "ArnLike", "ArnEquals")) {
            assertThat(holds("{'" + positive + "':{'k':'1'}}", ctx())).as(positive).isFalse();
        }
        for (String negated : List.of("StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
                "NumericNotEquals", "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike")) {
            assertThat(holds("{'" + negated + "':{'k':'1'}}", ctx())).as(negated).isTrue();
        }
    }

    @Test
    void ifExists_isTrueWhenTheKeyIsMissingAndOtherwiseAppliesTheOperator() {
        String c = "{'StringNotEqualsIfExists':{'aws:SourceVpce':'vpce-1a2b3c4d'}}";
        assertThat(holds(c, ctx())).isTrue();
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-99999999"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-1a2b3c4d"))).isFalse();
        assertThat(holds("{'NumericLessThanIfExists':{'s3:max-keys':'10'}}", ctx())).isTrue();
        assertThat(holds("{'NumericLessThanIfExists':{'s3:max-keys':'10'}}", ctx("s3:max-keys", "11"))).isFalse();
    }

    @Test
    void null_trueMeansAbsentAndFalseMeansPresent() {
        assertThat(holds("{'Null':{'aws:TokenIssueTime':'true'}}", ctx())).isTrue();
        assertThat(holds("{'Null':{'aws:TokenIssueTime':'true'}}", ctx("aws:TokenIssueTime", "1"))).isFalse();
        assertThat(holds("{'Null':{'aws:TokenIssueTime':false}}", ctx("aws:TokenIssueTime", "1"))).isTrue();
        assertThat(holds("{'Null':{'aws:TokenIssueTime':'false'}}", ctx())).isFalse();
    }

    @Test
    void conditionKeys_areCaseInsensitive() {
        // Grammar page: aws:CurrentTime and AWS:currenttime are the same key.
        assertThat(holds("{'StringEquals':{'AWS:SOURCEVPCE':'vpce-1a2b3c4d'}}",
                ctx("aws:sourceVpce", "vpce-1a2b3c4d"))).isTrue();
        assertThat(holds("{'StringEquals':{'aws:ResourceTag/Team':'blue'}}",
                ctx("aws:resourcetag/team", "blue"))).isTrue();
    }

    @Test
    void severalOperatorsAndKeys_areAnded() {
        String c = "{'StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d','aws:PrincipalAccount':'111122223333'},"
                + "'Bool':{'aws:SecureTransport':'true'}}";
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-1a2b3c4d", "aws:PrincipalAccount", "111122223333",
                "aws:SecureTransport", "true"))).isTrue();
        assertThat(holds(c, ctx("aws:SourceVpce", "vpce-1a2b3c4d", "aws:PrincipalAccount", "111122223333",
                "aws:SecureTransport", "false"))).isFalse();
    }

    // --- Set operators

    @Test
    void forAllValues_isTrueWhenEveryRequestValueMatchesAndVacuouslyWhenMissing() {
        // "Condition keys with multiple values": ForAllValues returns true for a missing key or an empty set.
        String c = "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment','cost-center']}}";
        assertThat(holds(c, ctx("aws:TagKeys", List.of("environment")))).isTrue();
        assertThat(holds(c, ctx("aws:TagKeys", List.of("environment", "cost-center")))).isTrue();
        assertThat(holds(c, ctx("aws:TagKeys", List.of("environment", "owner")))).isFalse();
        assertThat(holds(c, ctx())).isTrue();
        assertThat(holds(c, ctx("aws:TagKeys", List.of()))).isTrue();
        assertThat(holds(c, ctx("aws:TagKeys", ""))).isTrue();
    }

    @Test
    void forAnyValue_isTrueWhenOneRequestValueMatchesAndFalseWhenMissing() {
        String c = "{'ForAnyValue:StringEquals':{'aws:TagKeys':['environment','cost-center']}}";
        assertThat(holds(c, ctx("aws:TagKeys", List.of("owner", "environment")))).isTrue();
        assertThat(holds(c, ctx("aws:TagKeys", List.of("owner")))).isFalse();
        assertThat(holds(c, ctx())).isFalse();
        assertThat(holds(c, ctx("aws:TagKeys", List.of()))).isFalse();
        assertThat(holds("{'ForAnyValue:StringEqualsIfExists':{'aws:TagKeys':'x'}}", ctx())).isTrue();
    }

    @Test
    void negatedOperatorsWithQualifiers_applyTheNegationToEachRequestValue() {
        // Reference §3.3 [derived]: ForAllValues:StringNotEquals = no request value is in the list;
        // ForAnyValue:StringNotEquals = at least one request value is outside the list.
        String all = "{'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret']}}";
        assertThat(holds(all, ctx("aws:TagKeys", List.of("a", "b")))).isTrue();
        assertThat(holds(all, ctx("aws:TagKeys", List.of("a", "secret")))).isFalse();
        String any = "{'ForAnyValue:StringNotEquals':{'aws:TagKeys':['a','b']}}";
        assertThat(holds(any, ctx("aws:TagKeys", List.of("a", "c")))).isTrue();
        assertThat(holds(any, ctx("aws:TagKeys", List.of("a", "b")))).isFalse();
    }

    @Test
    void forAnyValueStringLike_matchesOrgPaths() {
        // Global condition keys page, aws:PrincipalOrgPaths: use ForAnyValue:StringLike.
        String c = "{'ForAnyValue:StringLike':{'aws:PrincipalOrgPaths':['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*']}}";
        assertThat(holds(c, ctx("aws:PrincipalOrgPaths",
                List.of("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/")))).isTrue();
        assertThat(holds(c, ctx("aws:PrincipalOrgPaths", List.of("o-a1b2c3d4e5/r-ab12/ou-ab12-33333333/"))))
                .isFalse();
    }

    @Test
    void nullWithQualifiers_isAlwaysTrueForAllValuesAndAlwaysFalseForAnyValue() {
        assertThat(holds("{'ForAllValues:Null':{'aws:TagKeys':'false'}}", ctx())).isTrue();
        assertThat(holds("{'ForAllValues:Null':{'aws:TagKeys':'true'}}", ctx("aws:TagKeys", List.of("a"))))
                .isTrue();
        assertThat(holds("{'ForAnyValue:Null':{'aws:TagKeys':'true'}}", ctx())).isFalse();
        assertThat(holds("{'ForAnyValue:Null':{'aws:TagKeys':'false'}}", ctx("aws:TagKeys", List.of("a"))))
                .isFalse();
    }

    // --- Policy variables

    @Test
    void variable_isSubstitutedInStringConditions() {
        // Variables page: the SCP example comparing aws:SourceVpc with ${aws:Ec2InstanceSourceVpc}.
        String c = "{'StringNotEquals':{'aws:SourceVpc':'${aws:Ec2InstanceSourceVpc}'}}";
        assertThat(holds(c, ctx("aws:SourceVpc", "vpc-11112222", "aws:Ec2InstanceSourceVpc", "vpc-11112222")))
                .isFalse();
        assertThat(holds(c, ctx("aws:SourceVpc", "vpc-11112222", "aws:Ec2InstanceSourceVpc", "vpc-33334444")))
                .isTrue();
    }

    @Test
    void variableOfAMissingKey_isNullAndMatchesOnlyNegatedOperators() {
        // Variables page: a missing key's variable is null; StringEquals does not match it, StringNotEquals does.
        assertThat(holds("{'StringEquals':{'s3:prefix':'home/${aws:username}'}}", ctx("s3:prefix", "home/")))
                .isFalse();
        assertThat(holds("{'StringNotEquals':{'s3:prefix':'home/${aws:username}'}}", ctx("s3:prefix", "home/")))
                .isTrue();
    }

    @Test
    void variableDefault_isUsedWhenTheKeyIsMissing() {
        String c = "{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team, `company-wide`}'}}";
        assertThat(holds(c, ctx("aws:ResourceTag/team", "company-wide"))).isTrue();
        assertThat(holds(c, ctx("aws:ResourceTag/team", "company-wide", "aws:PrincipalTag/team", "blue")))
                .isFalse();
    }

    @Test
    void specialVariables_giveLiteralCharactersThatAreNotWildcards() {
        String c = "{'StringLike':{'s3:prefix':'a${*}b${?}c${$}*'}}";
        assertThat(holds(c, ctx("s3:prefix", "a*b?c$anything"))).isTrue();
        assertThat(holds(c, ctx("s3:prefix", "axxbyc$"))).isFalse();
    }

    @Test
    void variableValues_areTakenLiterally() {
        String c = "{'StringLike':{'s3:prefix':'home/${aws:username}/*'}}";
        assertThat(holds(c, ctx("s3:prefix", "home/a*/x", "aws:username", "a*"))).isTrue();
        assertThat(holds(c, ctx("s3:prefix", "home/ab/x", "aws:username", "a*"))).isFalse();
    }

    @Test
    void variablesInOlderOrUnversionedPolicies_areLiteralText() {
        // Grammar page: without Version 2012-10-17, ${...} is literal.
        String c = json("{'StringEquals':{'s3:prefix':'${aws:username}'}}");
        assertThat(holds(null, c, ctx("s3:prefix", "${aws:username}", "aws:username", "bob"))).isTrue();
        assertThat(holds("2008-10-17", c, ctx("s3:prefix", "bob", "aws:username", "bob"))).isFalse();
        assertThat(holds("2012-10-17", c, ctx("s3:prefix", "bob", "aws:username", "bob"))).isTrue();
    }

    @Test
    void numericOperators_doNotTakeVariables() {
        assertThat(holds("{'NumericEquals':{'s3:max-keys':'${aws:n}'}}", ctx("s3:max-keys", "1", "aws:n", "1")))
                .isFalse();
    }

    @Test
    void multivaluedKeyAsVariable_resolvesToNull() {
        assertThat(holds("{'StringEquals':{'k':'${aws:TagKeys}'}}", ctx("k", "a", "aws:TagKeys", List.of("a"))))
                .isFalse();
    }
}
