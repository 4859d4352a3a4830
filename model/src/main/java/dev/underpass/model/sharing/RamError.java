package dev.underpass.model.sharing;

import dev.underpass.model.AwsError;

/**
 * AWS RAM's error codes underpass answers, with the statuses of the service model's error shapes. The code travels
 * in the {@code x-amzn-ErrorType} header of a restJson error answer.
 */
public final class RamError {
    /** A share, invitation, resource or principal that does not exist or that the caller cannot see. */
    public static final AwsError UNKNOWN_RESOURCE = new AwsError("UnknownResourceException", 400);
    /** An ARN that does not parse ({@code arn:partition:service:region:account:resource}). */
    public static final AwsError MALFORMED_ARN = new AwsError("MalformedArnException", 400);
    /** A value outside what the operation accepts (an unknown resourceOwner, an empty name, …). */
    public static final AwsError INVALID_PARAMETER = new AwsError("InvalidParameterException", 400);
    /** A required member left out. */
    public static final AwsError MISSING_REQUIRED_PARAMETER = new AwsError("MissingRequiredParameterException", 400);
    /**
     * What the rules forbid: sharing outside the organization what may only be shared inside it, with external
     * principals on a share that does not allow them, enabling organization sharing from a member account, ….
     */
    public static final AwsError OPERATION_NOT_PERMITTED = new AwsError("OperationNotPermittedException", 400);
    /** A resource type RAM does not share (or underpass does not yet). */
    public static final AwsError INVALID_RESOURCE_TYPE = new AwsError("InvalidResourceTypeException", 400);
    /** A share in a state that does not allow the change (updating a deleted share). */
    public static final AwsError INVALID_STATE_TRANSITION = new AwsError("InvalidStateTransitionException", 400);
    /** MaxResults outside 1..500. */
    public static final AwsError INVALID_MAX_RESULTS = new AwsError("InvalidMaxResultsException", 400);
    /** A NextToken this call did not hand out. */
    public static final AwsError INVALID_NEXT_TOKEN = new AwsError("InvalidNextTokenException", 400);
    /** An invitation ARN that names no invitation to the caller. */
    public static final AwsError INVITATION_NOT_FOUND =
            new AwsError("ResourceShareInvitationArnNotFoundException", 400);
    /** Accepting or rejecting an invitation already accepted. */
    public static final AwsError INVITATION_ALREADY_ACCEPTED =
            new AwsError("ResourceShareInvitationAlreadyAcceptedException", 400);
    /** Accepting or rejecting an invitation already rejected. */
    public static final AwsError INVITATION_ALREADY_REJECTED =
            new AwsError("ResourceShareInvitationAlreadyRejectedException", 400);
    /** An invitation left unanswered past {@link Sharing#INVITATION_EXPIRY}. */
    public static final AwsError INVITATION_EXPIRED = new AwsError("ResourceShareInvitationExpiredException", 400);
    /** A clientToken reused with parameters other than those of its first call. */
    public static final AwsError IDEMPOTENT_PARAMETER_MISMATCH =
            new AwsError("IdempotentParameterMismatchException", 400);
    /** A resource ARN that names no resource (GetPermission of an unknown permission). */
    public static final AwsError RESOURCE_ARN_NOT_FOUND = new AwsError("ResourceArnNotFoundException", 400);
    /** More than 50 tags on a share. */
    public static final AwsError TAG_LIMIT_EXCEEDED = new AwsError("TagLimitExceededException", 400);

    private RamError() {}
}
