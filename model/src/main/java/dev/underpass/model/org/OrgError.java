package dev.underpass.model.org;

import dev.underpass.model.AwsError;

/**
 * AWS Organizations error codes underpass answers. The wire code is the {@code __type} of the JSON error body, the
 * model's shape name; all are 400 but the service's own failure. {@code ConstraintViolationException},
 * {@code HandshakeConstraintViolationException} and {@code InvalidInputException} also carry a {@code Reason}.
 */
public enum OrgError implements AwsError {
    /** The caller's account is in no organization (DescribeOrganization by a standalone account). */
    NOT_IN_USE("AWSOrganizationsNotInUseException", 400),
    /** A member account calls what only the management account may (CreateOrganizationalUnit, ListAccounts, …). */
    ACCESS_DENIED("AccessDeniedException", 400),
    /** CreateOrganization by an account that already belongs to one. */
    ALREADY_IN_ORGANIZATION("AlreadyInOrganizationException", 400),
    /** An account id that is not in the caller's organization. */
    ACCOUNT_NOT_FOUND("AccountNotFoundException", 400),
    /** A ListParents child that is neither an OU nor an account of the organization. */
    CHILD_NOT_FOUND("ChildNotFoundException", 400),
    /** A parent (root or OU) that the organization does not have. */
    PARENT_NOT_FOUND("ParentNotFoundException", 400),
    /** MoveAccount from a parent the organization does not have. */
    SOURCE_PARENT_NOT_FOUND("SourceParentNotFoundException", 400),
    /** MoveAccount to a parent the organization does not have. */
    DESTINATION_PARENT_NOT_FOUND("DestinationParentNotFoundException", 400),
    /** MoveAccount to the parent the account is already in. */
    DUPLICATE_ACCOUNT("DuplicateAccountException", 400),
    /** An OU id the organization does not have. */
    OU_NOT_FOUND("OrganizationalUnitNotFoundException", 400),
    /** DeleteOrganizationalUnit of an OU that still holds accounts or OUs. */
    OU_NOT_EMPTY("OrganizationalUnitNotEmptyException", 400),
    /** CreateOrganizationalUnit (or a rename) to a name a sibling OU already has. */
    DUPLICATE_OU("DuplicateOrganizationalUnitException", 400),
    /** DeleteOrganization while member accounts remain. */
    ORGANIZATION_NOT_EMPTY("OrganizationNotEmptyException", 400),
    /** A root id the organization does not have. */
    ROOT_NOT_FOUND("RootNotFoundException", 400),
    /** An attach or detach target (root, OU, account) the organization does not have. */
    TARGET_NOT_FOUND("TargetNotFoundException", 400),
    /** A policy id the organization does not have. */
    POLICY_NOT_FOUND("PolicyNotFoundException", 400),
    /** CreatePolicy with the name of a policy of the organization. */
    DUPLICATE_POLICY("DuplicatePolicyException", 400),
    /** AttachPolicy of a policy already attached to the target. */
    DUPLICATE_POLICY_ATTACHMENT("DuplicatePolicyAttachmentException", 400),
    /** DetachPolicy of a policy not attached to the target. */
    POLICY_NOT_ATTACHED("PolicyNotAttachedException", 400),
    /** DeletePolicy of a policy still attached somewhere. */
    POLICY_IN_USE("PolicyInUseException", 400),
    /** AttachPolicy or DisablePolicyType of a type not enabled on the root. */
    POLICY_TYPE_NOT_ENABLED("PolicyTypeNotEnabledException", 400),
    /** EnablePolicyType of a type already enabled. */
    POLICY_TYPE_ALREADY_ENABLED("PolicyTypeAlreadyEnabledException", 400),
    /** A policy document that does not parse or breaks the policy grammar. */
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocumentException", 400),
    /** A limit of the service, named by the {@code Reason}. */
    CONSTRAINT_VIOLATION("ConstraintViolationException", 400),
    /** An invitation the rules forbid, named by the {@code Reason} ({@code ALREADY_IN_AN_ORGANIZATION}, …). */
    HANDSHAKE_CONSTRAINT_VIOLATION("HandshakeConstraintViolationException", 400),
    /** An open invitation to the same account already exists. */
    DUPLICATE_HANDSHAKE("DuplicateHandshakeException", 400),
    /** A handshake id the caller cannot see. */
    HANDSHAKE_NOT_FOUND("HandshakeNotFoundException", 400),
    /** Accepting or declining a handshake already in that state. */
    HANDSHAKE_ALREADY_IN_STATE("HandshakeAlreadyInStateException", 400),
    /** Accepting or declining a handshake that is no longer open. */
    INVALID_HANDSHAKE_TRANSITION("InvalidHandshakeTransitionException", 400),
    /** The management account cannot leave (or be removed from) its own organization. */
    MASTER_CANNOT_LEAVE("MasterCannotLeaveOrganizationException", 400),
    /** A CreateAccount request id the organization does not have. */
    CREATE_ACCOUNT_STATUS_NOT_FOUND("CreateAccountStatusNotFoundException", 400),
    /** A malformed or missing member, named by the {@code Reason}. */
    INVALID_INPUT("InvalidInputException", 400),
    /** An Organizations action that underpass does not serve. */
    UNSUPPORTED_API_ENDPOINT("UnsupportedAPIEndpointException", 400),
    /** A failure of underpass itself. */
    SERVICE_EXCEPTION("ServiceException", 500);

    private final String wire;
    private final int status;

    OrgError(String wire, int status) {
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
