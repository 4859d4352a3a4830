package dev.underpass.policy;

import static dev.underpass.policy.TestPolicies.json;
import static dev.underpass.policy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar of IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language". */
class PolicyParserTest {

    private static PolicyParseException failure(String singleQuoted) {
        try {
            PolicyParser.parse(json(singleQuoted));
        } catch (PolicyParseException e) {
            return e;
        }
        throw new AssertionError("expected a parse failure for " + singleQuoted);
    }

    @Test
    void defaultEndpointPolicy_parsesAsOneAllowEverythingStatement() throws Exception {
        // PrivateLink guide, "Control access to VPC endpoints using endpoint policies": the default policy.
        Policy p = PolicyParser.parse(Policy.DEFAULT_VPC_ENDPOINT_POLICY);
        assertThat(p.version()).isEqualTo(PolicyVersion.V2008_10_17);
        assertThat(p.statements()).hasSize(1);
        Statement s = p.statements().getFirst();
        assertThat(s.sid()).isEmpty();
        assertThat(s.effect()).isEqualTo(Effect.ALLOW);
        assertThat(s.principal()).isEqualTo(new PrincipalElement.Principal(List.of(new PrincipalId.AnyPrincipal("*"))));
        assertThat(s.action().patterns()).extracting(ActionElement.Pattern::text).containsExactly("*");
    }

    @Test
    void statementObject_isAListOfOne() {
        Policy p = policy("{'Statement':{'Effect':'Deny','Action':'s3:*','Resource':'*'}}");
        assertThat(p.version()).isEqualTo(PolicyVersion.UNSPECIFIED);
        assertThat(p.statements()).singleElement().extracting(Statement::effect).isEqualTo(Effect.DENY);
    }

    @Test
    void principalForms_areClassified() {
        Policy p = policy("""
                {'Version':'2012-10-17','Id':'x','Statement':[{'Effect':'Allow','Action':'s3:GetObject',
                 'Resource':'*','Principal':{'AWS':['111122223333','arn:aws:iam::111122223333:root',
                 'arn:aws:iam::111122223333:user/team/alice','arn:aws:iam::111122223333:role/app',
                 'arn:aws:sts::111122223333:assumed-role/app/s1','arn:aws:sts::111122223333:federated-user/bob','*'],
                 'Service':'ec2.amazonaws.com','Federated':'cognito-identity.amazonaws.com',
                 'CanonicalUser':'79a59df900b949e55d96a1e698fbaced'}}]}""");
        PrincipalElement.Principal pe = (PrincipalElement.Principal) p.statements().getFirst().principal();
        assertThat(pe.principals()).containsExactly(
                new PrincipalId.Account("111122223333", "111122223333"),
                new PrincipalId.Account("arn:aws:iam::111122223333:root", "111122223333"),
                new PrincipalId.User("arn:aws:iam::111122223333:user/team/alice", "111122223333", "alice"),
                new PrincipalId.Role("arn:aws:iam::111122223333:role/app", "111122223333", "app"),
                new PrincipalId.AssumedRoleSession("arn:aws:sts::111122223333:assumed-role/app/s1", "111122223333"),
                new PrincipalId.FederatedUser("arn:aws:sts::111122223333:federated-user/bob", "111122223333"),
                new PrincipalId.AnyPrincipal("*"),
                new PrincipalId.Service("ec2.amazonaws.com"),
                new PrincipalId.Federated("cognito-identity.amazonaws.com"),
                new PrincipalId.CanonicalUser("79a59df900b949e55d96a1e698fbaced"));
        assertThat(p.id()).isEqualTo("x");
    }

    @Test
    void conditionOperators_parseQualifierBaseAndIfExists() {
        Policy p = policy("""
                {'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*','Condition':{
                 'ForAnyValue:StringLikeIfExists':{'aws:TagKeys':['a*','b']},
                 'NumericLessThan':{'s3:max-keys':10},
                 'Bool':{'aws:SecureTransport':true}}}]}""");
        List<Condition> cs = p.statements().getFirst().conditions();
        assertThat(cs).extracting(c -> c.operator().wireName())
                .containsExactly("ForAnyValue:StringLikeIfExists", "NumericLessThan", "Bool");
        assertThat(cs.get(0).operator()).isEqualTo(
                new ConditionOperator(SetQualifier.FOR_ANY_VALUE, Operator.STRING_LIKE, true));
        assertThat(cs.get(0).values()).extracting(ConditionValue::text).containsExactly("a*", "b");
        assertThat(cs.get(1).values()).extracting(ConditionValue::text).containsExactly("10");
        assertThat(cs.get(2).values()).extracting(ConditionValue::text).containsExactly("true");
    }

    @Test
    void invalidJson_failsWithJsonSyntaxErrorNamingLineAndColumn() {
        PolicyParseException e = failure("{'Statement': [}");
        assertThat(e.issueCode()).isEqualTo("JSON_SYNTAX_ERROR");
        assertThat(e.getMessage()).startsWith("the policy is not valid JSON: ").contains("line 1, column 16");
    }

    @Test
    void emptyDocument_failsSayingItIsEmpty() {
        assertThatThrownBy(() -> PolicyParser.parse("  ")).isInstanceOf(PolicyParseException.class)
                .hasMessage("the policy document is empty");
    }

    @Test
    void duplicateKey_failsNamingTheKey() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Effect':'Deny','Action':'*'}]}");
        assertThat(e.issueCode()).isEqualTo("JSON_SYNTAX_ERROR");
        assertThat(e.getMessage()).contains("\"Effect\"");
    }

    @Test
    void lowerCaseEffect_failsNamingStatementAndValue() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':'*'},"
                + "{'Effect':'allow','Action':'*'}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_EFFECT");
        assertThat(e.path()).isEqualTo("Statement[1].Effect");
        assertThat(e.getMessage())
                .isEqualTo("Statement[1].Effect: \"allow\" is not an effect; write \"Allow\" or \"Deny\"");
    }

    @Test
    void unknownVersion_failsQuotingIt() {
        PolicyParseException e = failure("{'Version':'2012-10-18','Statement':[]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_VERSION");
        assertThat(e.getMessage()).isEqualTo(
                "Version: \"2012-10-18\" is not a policy language version; write \"2012-10-17\"");
    }

    @Test
    void missingStatement_fails() {
        assertThat(failure("{'Version':'2012-10-17'}").getMessage()).isEqualTo("the policy has no Statement");
    }

    @Test
    void missingEffectOrAction_failsNamingTheStatement() {
        assertThat(failure("{'Statement':[{'Action':'*'}]}").getMessage())
                .isEqualTo("Statement[0]: the statement has no Effect");
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Resource':'*'}]}");
        assertThat(e.issueCode()).isEqualTo("MISSING_ACTION");
        assertThat(e.getMessage()).isEqualTo("Statement[0]: the statement has no Action or NotAction");
    }

    @Test
    void actionAndNotAction_together_fail() {
        assertThat(failure("{'Statement':[{'Effect':'Allow','Action':'*','NotAction':'s3:*'}]}").getMessage())
                .isEqualTo("Statement[0].NotAction: a statement may have Action or NotAction, not both");
    }

    @Test
    void unknownElement_failsNamingIt() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Actions':'*'}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_POLICY_ELEMENT");
        assertThat(e.getMessage()).startsWith("Statement[0].Actions: unknown statement element \"Actions\"");
        assertThat(failure("{'Statement':[],'Foo':1}").getMessage())
                .startsWith("Foo: unknown policy element \"Foo\"");
    }

    @Test
    void unknownConditionOperator_failsQuotingIt() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':'*','Resource':'*',"
                + "'Condition':{'StringEqual':{'aws:SourceVpce':'vpce-1a2b3c4d'}}}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_CONDITION_OPERATOR");
        assertThat(e.getMessage())
                .isEqualTo("Statement[0].Condition.StringEqual: \"StringEqual\" is not a condition operator");
    }

    @Test
    void unknownQualifier_isAnUnknownOperator() {
        assertThat(failure("{'Statement':[{'Effect':'Allow','Action':'*','Condition':"
                + "{'ForSomeValues:StringLike':{'aws:TagKeys':'a'}}}]}").issueCode())
                .isEqualTo("INVALID_CONDITION_OPERATOR");
    }

    @Test
    void objectAsConditionValue_failsNamingKey() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':'*','Condition':"
                + "{'StringEquals':{'aws:SourceVpc':{'a':1}}}}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_CONDITION_DATA_TYPE");
        assertThat(e.getMessage()).isEqualTo("Statement[0].Condition.StringEquals.aws:SourceVpc: expected a"
                + " string, number or boolean or a list of them, not an object");
    }

    @Test
    void principalStringOtherThanStar_fails() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':'*','Principal':'111122223333'}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_PRINCIPAL_FORMAT");
        assertThat(e.path()).isEqualTo("Statement[0].Principal");
    }

    @Test
    void unknownPrincipalKey_failsNamingIt() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':'*','Principal':{'Aws':'*'}}]}");
        assertThat(e.issueCode()).isEqualTo("INVALID_PRINCIPAL_KEY");
        assertThat(e.getMessage()).startsWith("Statement[0].Principal.Aws: \"Aws\" is not a principal type");
    }

    @Test
    void numberInAction_failsNamingTheListEntry() {
        PolicyParseException e = failure("{'Statement':[{'Effect':'Allow','Action':['s3:GetObject',3]}]}");
        assertThat(e.path()).isEqualTo("Statement[0].Action[1]");
        assertThat(e.detail()).isEqualTo("expected a string, not the number 3");
    }

    @Test
    void sizeLimit_rejectsEndpointPolicyOverTwentyThousandCharacters() {
        // PrivateLink guide: endpoint policies may be at most 20,480 characters, whitespace included.
        String base = json("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*',"
                + "'Action':'*','Resource':'*'}]}");
        String padded = base + " ".repeat(20_480 - base.length());
        assertThat(padded).hasSize(20_480);
        assertThat(SizeLimit.VPC_ENDPOINT_POLICY.exceededBy(padded)).isFalse();
        assertThatThrownBy(() -> PolicyParser.parse(padded + " ", SizeLimit.VPC_ENDPOINT_POLICY))
                .isInstanceOf(PolicyParseException.class)
                .hasMessage("the policy is 20,481 characters long, over the VPC endpoint policy limit of 20,480");
    }

    @Test
    void iamSizeLimit_ignoresWhitespaceOutsideStrings() {
        assertThat(SizeLimit.MANAGED_POLICY.measure("{ \"a b\" :\n 1 }")).isEqualTo(9);
    }
}
