package dev.underpass.model;

/**
 * Factories for the EC2 errors whose message follows one of AWS's fixed sentences, so that the sentence is written
 * once and every throw site reads as what went wrong ({@code throw Ec2Errors.missingParameter("CidrBlock")}). The
 * messages are byte-identical to what AWS answers (and to what the tests pin). Codes whose message is particular to
 * one rule keep using {@link ErrorCode} directly; NotFound and Malformed id errors come from
 * {@code ec2.Kind#notFound} and {@code ec2.Kind#malformed}.
 */
public final class Ec2Errors {
    private Ec2Errors() {}

    /**
     * {@code MissingParameter}: a member the action requires is absent. AWS names the member as its API spells it
     * (sometimes lower camel case, sometimes two alternatives joined by "or").
     */
    public static AwsException missingParameter(String name) {
        return ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter " + name);
    }

    /** {@code InvalidParameterValue} for a value AWS refuses without saying why. */
    public static AwsException invalidValue(Object value, String parameter) {
        return ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter %s is invalid.", value, parameter);
    }

    /** {@code InvalidParameterValue} for a value AWS refuses, followed by its reason (one or more sentences). */
    public static AwsException invalidValue(Object value, String parameter, String reason) {
        return ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter %s is invalid. %s", value, parameter,
                reason);
    }
}
