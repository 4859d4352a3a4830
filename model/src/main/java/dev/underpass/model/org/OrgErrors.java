package dev.underpass.model.org;

import dev.underpass.model.AwsException;

/**
 * Factories for the Organizations errors raised from more than one place, so that each of AWS's sentences is written
 * once (messages byte-identical to what the tests pin). Errors particular to one rule keep using {@link OrgError}
 * directly, where the rule reads best.
 */
public final class OrgErrors {
    private OrgErrors() {}

    /** {@code InvalidInputException} {@code INPUT_REQUIRED}: a member the action needs is absent or empty. */
    public static AwsException inputRequired(String member) {
        return OrgError.INVALID_INPUT.because("INPUT_REQUIRED", "You must specify a value for " + member + ".");
    }

    /** {@code AccessDeniedException}: the caller is not the one party the action allows, named by {@code rule}. */
    public static AwsException accessDenied(String rule) {
        return OrgError.ACCESS_DENIED.with("You don't have permissions to access this resource. " + rule);
    }

    /** {@code ParentNotFoundException}: a ParentId that is neither the root nor an OU of the organization. */
    public static AwsException parentNotFound() {
        return OrgError.PARENT_NOT_FOUND.with("We can't find a root or OU with the ParentId that you specified.");
    }

    /** {@code TargetNotFoundException}: a TargetId that is not the root, an OU or an account of the organization. */
    public static AwsException targetNotFound() {
        return OrgError.TARGET_NOT_FOUND.with("We can't find a root, OU, account, or policy with the TargetId that "
                + "you specified.");
    }

    /** {@code PolicyTypeNotEnabledException}: attaching or disabling a policy type that is not enabled on the root. */
    public static AwsException policyTypeNotEnabled() {
        return OrgError.POLICY_TYPE_NOT_ENABLED.with("This operation can be performed only for enabled policy types.");
    }

    /** {@code HandshakeConstraintViolationException}: inviting, or accepting for, an account already in one. */
    public static AwsException alreadyInAnOrganization() {
        return OrgError.HANDSHAKE_CONSTRAINT_VIOLATION.because("ALREADY_IN_AN_ORGANIZATION", "The account is "
                + "already a member of an organization.");
    }

    /** {@code InvalidHandshakeTransitionException}: answering or cancelling a handshake that is no longer open. */
    public static AwsException invalidHandshakeTransition(String state) {
        return OrgError.INVALID_HANDSHAKE_TRANSITION.format("You can't perform the operation on the handshake in its "
                + "current state (%s).", state);
    }
}
