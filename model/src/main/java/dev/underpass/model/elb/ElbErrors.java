package dev.underpass.model.elb;

import dev.underpass.model.AwsException;

/**
 * Factories for the ELBv2 {@code ValidationError}s that follow the service's fixed sentence ("1 validation error
 * detected: Value … at … failed to satisfy constraint: Member must …"), which ELB answers when a member breaks a
 * constraint of the API model (range, enum, pattern, presence) before any rule runs. Written once here so the throw
 * sites name only the member and the constraint; messages are byte-identical to AWS's and to what the tests pin.
 */
public final class ElbErrors {
    private ElbErrors() {}

    /** A value that breaks the member's constraint, e.g. {@code validation(70000, "port", "have value ...")}. */
    public static AwsException validation(Object value, String member, String constraint) {
        return ElbError.VALIDATION_ERROR.format(
                "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must %s", value,
                member, constraint);
    }

    /** A required member that is absent. */
    public static AwsException notNull(String member) {
        return ElbError.VALIDATION_ERROR.format(
                "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
                member);
    }
}
