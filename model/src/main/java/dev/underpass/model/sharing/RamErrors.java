package dev.underpass.model.sharing;

import dev.underpass.model.AwsException;

/**
 * Factories for the RAM errors whose message is one of AWS's fixed sentences, so that the sentence is written once
 * (messages byte-identical to what the tests pin). Errors particular to one rule keep using {@link RamError}.
 */
public final class RamErrors {
    private RamErrors() {}

    /** {@code MissingRequiredParameterException}: a member the action requires is absent (named in camel case). */
    public static AwsException missingParameter(String member) {
        return RamError.MISSING_REQUIRED_PARAMETER.with("The " + member + " parameter is required.");
    }
}
