package dev.underpass.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.VpcEndpoints;
import dev.underpass.policy.Effect;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {
    private static final String DENY_PUT = """
            {"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}""";

    @Test
    void keepsTheTextAsGiven_andThePolicyParsedFromIt() {
        PolicyDocument d = PolicyDocument.of(DENY_PUT);
        assertThat(d.text()).isEqualTo(DENY_PUT);
        assertThat(d.toString()).isEqualTo(DENY_PUT);
        assertThat(d.policy().statements()).singleElement().extracting(s -> s.effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void twoDocumentsAreEqual_exactlyWhenTheirTextsAre() {
        assertThat(PolicyDocument.of(DENY_PUT)).isEqualTo(PolicyDocument.of(DENY_PUT))
                .hasSameHashCodeAs(PolicyDocument.of(DENY_PUT));
        // The same policy spelled differently is another document: AWS answers with the text it was given.
        assertThat(PolicyDocument.of(DENY_PUT.replace(",", ", "))).isNotEqualTo(PolicyDocument.of(DENY_PUT));
    }

    @Test
    void aTextThatDoesNotParse_isRefused() {
        assertThatThrownBy(() -> PolicyDocument.of("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a stored policy does not parse: ");
    }

    @Test
    void anEndpointWithoutAPolicy_appliesAwsFullAccessDefault() {
        assertThat(PolicyDocument.DEFAULT.policy().statements()).singleElement()
                .extracting(s -> s.effect()).isEqualTo(Effect.ALLOW);
        assertThat(VpcEndpoints.DEFAULT_GATEWAY_POLICY.policy().statements()).hasSize(1);
        assertThat(VpcEndpoints.DEFAULT_INTERFACE_POLICY.text()).startsWith("{\n  \"Statement\": [\n");
    }
}
