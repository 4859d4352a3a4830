package dev.underpass.model.org;

import dev.underpass.model.AwsError;

/**
 * AWS Organizations error codes underpass answers. The wire code is the {@code __type} of the JSON error body, the
 * model's shape name; all are 400 but the service's own failure. {@code ConstraintViolationException},
 * {@code HandshakeConstraintViolationException} and {@code InvalidInputException} also carry a {@code Reason}.
 */
public final class OrgError {
    /** The caller's account is in no organization (DescribeOrganization by a standalone account). */
    public static final AwsError NOT_IN_USE = new AwsError("AWSOrganizationsNotInUseException", 400);
    /** A member account calls what only the management account may (CreateOrganizationalUnit, ListAccounts, …). */
    public static final AwsError ACCESS_DENIED = new AwsError("AccessDeniedException", 400);
    /** CreateOrganization by an account that already belongs to one. */
    public static final AwsError ALREADY_IN_ORGANIZATION = new AwsError("AlreadyInOrganizationException", 400);
    /** An account id that is not in the caller's organization. */
    public static final AwsError ACCOUNT_NOT_FOUND = new AwsError("AccountNotFoundException", 400);
    /** CloseAccount of an account that is already closed. */
    public static final AwsError ACCOUNT_ALREADY_CLOSED = new AwsError("AccountAlreadyClosedException", 400);
    /** A ListParents child that is neither an OU nor an account of the organization. */
    public static final AwsError CHILD_NOT_FOUND = new AwsError("ChildNotFoundException", 400);
    /** A parent (root or OU) that the organization does not have. */
    public static final AwsError PARENT_NOT_FOUND = new AwsError("ParentNotFoundException", 400);
    /** MoveAccount from a parent the organization does not have. */
    public static final AwsError SOURCE_PARENT_NOT_FOUND = new AwsError("SourceParentNotFoundException", 400);
    /** MoveAccount to a parent the organization does not have. */
    public static final AwsError DESTINATION_PARENT_NOT_FOUND = new AwsError("DestinationParentNotFoundException", 400);
    /** MoveAccount to the parent the account is already in. */
    public static final AwsError DUPLICATE_ACCOUNT = new AwsError("DuplicateAccountException", 400);
    /** An OU id the organization does not have. */
    public static final AwsError OU_NOT_FOUND = new AwsError("OrganizationalUnitNotFoundException", 400);
    /** DeleteOrganizationalUnit of an OU that still holds accounts or OUs. */
    public static final AwsError OU_NOT_EMPTY = new AwsError("OrganizationalUnitNotEmptyException", 400);
    /** CreateOrganizationalUnit (or a rename) to a name a sibling OU already has. */
    public static final AwsError DUPLICATE_OU = new AwsError("DuplicateOrganizationalUnitException", 400);
    /** DeleteOrganization while member accounts remain. */
    public static final AwsError ORGANIZATION_NOT_EMPTY = new AwsError("OrganizationNotEmptyException", 400);
    /** A root id the organization does not have. */
    public static final AwsError ROOT_NOT_FOUND = new AwsError("RootNotFoundException", 400);
    /** An attach or detach target (root, OU, account) the organization does not have. */
    public static final AwsError TARGET_NOT_FOUND = new AwsError("TargetNotFoundException", 400);
    /** A policy id the organization does not have. */
    public static final AwsError POLICY_NOT_FOUND = new AwsError("PolicyNotFoundException", 400);
    /** CreatePolicy with the name of a policy of the organization. */
    public static final AwsError DUPLICATE_POLICY = new AwsError("DuplicatePolicyException", 400);
    /** AttachPolicy of a policy already attached to the target. */
    public static final AwsError DUPLICATE_POLICY_ATTACHMENT = new AwsError("DuplicatePolicyAttachmentException", 400);
    /** DetachPolicy of a policy not attached to the target. */
    public static final AwsError POLICY_NOT_ATTACHED = new AwsError("PolicyNotAttachedException", 400);
    /** DeletePolicy of a policy still attached somewhere. */
    public static final AwsError POLICY_IN_USE = new AwsError("PolicyInUseException", 400);
    /** AttachPolicy or DisablePolicyType of a type not enabled on the root. */
    public static final AwsError POLICY_TYPE_NOT_ENABLED = new AwsError("PolicyTypeNotEnabledException", 400);
    /** EnablePolicyType of a type already enabled. */
    public static final AwsError POLICY_TYPE_ALREADY_ENABLED = new AwsError("PolicyTypeAlreadyEnabledException", 400);
    /** A policy document that does not parse or breaks the policy grammar. */
    public static final AwsError MALFORMED_POLICY_DOCUMENT = new AwsError("MalformedPolicyDocumentException", 400);
    /** A limit of the service, named by the {@code Reason}. */
    public static final AwsError CONSTRAINT_VIOLATION = new AwsError("ConstraintViolationException", 400);
    /** An invitation the rules forbid, named by the {@code Reason} ({@code ALREADY_IN_AN_ORGANIZATION}, …). */
    public static final AwsError HANDSHAKE_CONSTRAINT_VIOLATION =
            new AwsError("HandshakeConstraintViolationException", 400);
    /** An open invitation to the same account already exists. */
    public static final AwsError DUPLICATE_HANDSHAKE = new AwsError("DuplicateHandshakeException", 400);
    /** A handshake id the caller cannot see. */
    public static final AwsError HANDSHAKE_NOT_FOUND = new AwsError("HandshakeNotFoundException", 400);
    /** Accepting or declining a handshake already in that state. */
    public static final AwsError HANDSHAKE_ALREADY_IN_STATE = new AwsError("HandshakeAlreadyInStateException", 400);
    /** Accepting or declining a handshake that is no longer open. */
    public static final AwsError INVALID_HANDSHAKE_TRANSITION =
            new AwsError("InvalidHandshakeTransitionException", 400);
    /** The management account cannot leave (or be removed from) its own organization. */
    public static final AwsError MASTER_CANNOT_LEAVE = new AwsError("MasterCannotLeaveOrganizationException", 400);
    /** A CreateAccount request id the organization does not have. */
    public static final AwsError CREATE_ACCOUNT_STATUS_NOT_FOUND =
            new AwsError("CreateAccountStatusNotFoundException", 400);
    /** A malformed or missing member, named by the {@code Reason}. */
    public static final AwsError INVALID_INPUT = new AwsError("InvalidInputException", 400);
    /** An Organizations action that underpass does not serve. */
    public static final AwsError UNSUPPORTED_API_ENDPOINT = new AwsError("UnsupportedAPIEndpointException", 400);
    /** A failure of underpass itself. */
    public static final AwsError SERVICE_EXCEPTION = new AwsError("ServiceException", 500);

    private OrgError() {}
}
