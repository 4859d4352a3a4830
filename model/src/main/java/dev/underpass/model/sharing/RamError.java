package dev.underpass.model.sharing;

import dev.underpass.model.AwsError;

/**
 * AWS RAM's error codes underpass answers, with the statuses of the service model's error shapes. The code travels
 * in the {@code x-amzn-ErrorType} header of a restJson error answer.
 */
public enum RamError implements AwsError {
    /** A share, invitation, resource or principal that does not exist or that the caller cannot see. */
    UNKNOWN_RESOURCE("UnknownResourceException", 400),
    /** An ARN that does not parse ({@code arn:partition:service:region:account:resource}). */
    MALFORMED_ARN("MalformedArnException", 400),
    /** A value outside what the operation accepts (an unknown resourceOwner, an empty name, …). */
    INVALID_PARAMETER("InvalidParameterException", 400),
    /** A required member left out. */
    MISSING_REQUIRED_PARAMETER("MissingRequiredParameterException", 400),
    /**
     * What the rules forbid: sharing outside the organization what may only be shared inside it, with external
     * principals on a share that does not allow them, enabling organization sharing from a member account, ….
     */
    OPERATION_NOT_PERMITTED("OperationNotPermittedException", 400),
    /** A resource type RAM does not share (or underpass does not yet). */
    INVALID_RESOURCE_TYPE("InvalidResourceTypeException", 400),
    /** A share in a state that does not allow the change (updating a deleted share). */
    INVALID_STATE_TRANSITION("InvalidStateTransitionException", 400),
    /** MaxResults outside 1..500. */
    INVALID_MAX_RESULTS("InvalidMaxResultsException", 400),
    /** A NextToken this call did not hand out. */
    INVALID_NEXT_TOKEN("InvalidNextTokenException", 400),
    /** An invitation ARN that names no invitation to the caller. */
    INVITATION_NOT_FOUND("ResourceShareInvitationArnNotFoundException", 400),
    /** Accepting or rejecting an invitation already accepted. */
    INVITATION_ALREADY_ACCEPTED("ResourceShareInvitationAlreadyAcceptedException", 400),
    /** Accepting or rejecting an invitation already rejected. */
    INVITATION_ALREADY_REJECTED("ResourceShareInvitationAlreadyRejectedException", 400),
    /** An invitation left unanswered past {@link Sharing#INVITATION_EXPIRY}. */
    INVITATION_EXPIRED("ResourceShareInvitationExpiredException", 400),
    /** A clientToken reused with parameters other than those of its first call. */
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatchException", 400),
    /** A resource ARN that names no resource (GetPermission of an unknown permission). */
    RESOURCE_ARN_NOT_FOUND("ResourceArnNotFoundException", 400),
    /** More than 50 tags on a share. */
    TAG_LIMIT_EXCEEDED("TagLimitExceededException", 400);

    private final String wire;
    private final int status;

    RamError(String wire, int status) {
        this.wire = wire;
        this.status = status;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public int status() {
        return status;
    }
}
