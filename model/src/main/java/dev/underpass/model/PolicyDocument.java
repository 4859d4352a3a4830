package dev.underpass.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import java.util.Objects;

/**
 * A policy document the model keeps (an endpoint's policy, an organization's SCP or RCP): the text exactly as the
 * caller sent it (AWS answers with that text, spacing and all) and the policy parsed from it when it came in, so that
 * the authorizer, the analyzer and the data plane evaluate it without parsing it again.
 *
 * <p>The store keeps the text alone; reading a stored document parses it once. Two documents are equal when their
 * texts are: the parsed policy follows from the text, and its compiled patterns have no equality of their own.
 */
public record PolicyDocument(String text, Policy policy) {
    /** What the engines evaluate for an endpoint with no policy: AWS's full-access default. */
    public static final PolicyDocument DEFAULT = of(Policy.DEFAULT_VPC_ENDPOINT_POLICY);

    public PolicyDocument {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(policy, "policy");
    }

    /**
     * A document known to parse: a default AWS attaches or one read back from the store, where it was validated when
     * it was first accepted.
     *
     * @throws IllegalArgumentException when it does not parse
     */
    public static PolicyDocument of(String text) {
        try {
            return new PolicyDocument(text, PolicyParser.parse(text));
        } catch (PolicyParseException e) {
            throw new IllegalArgumentException("a stored policy does not parse: " + e.getMessage(), e);
        }
    }

    /** The text, as the store writes it and the API answers it. */
    @JsonValue
    @Override
    public String text() {
        return text;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static PolicyDocument stored(String text) {
        return of(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyDocument d && d.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
