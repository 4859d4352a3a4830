package dev.underpass.aws.org;

import static dev.underpass.aws.org.OrgInput.EMAIL;
import static dev.underpass.aws.org.OrgInput.PARENT_ID;
import static dev.underpass.aws.org.OrgInput.Page;
import static dev.underpass.aws.org.OrgInput.invalid;
import static dev.underpass.aws.org.OrgInput.page;
import static dev.underpass.aws.org.OrgInput.requireParent;
import static dev.underpass.aws.org.OrgInput.required;
import static dev.underpass.aws.org.OrgInput.servicePrincipal;
import static dev.underpass.aws.org.OrgInput.tags;
import static dev.underpass.aws.org.OrgShapes.shape;

import dev.underpass.model.Tx;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.OrgAccounts;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.OrgErrors;
import dev.underpass.model.org.OrgHandshakes;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.organizations.model.AcceptHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.AcceptHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.CancelHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.CancelHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.CreateAccountRequest;
import software.amazon.awssdk.services.organizations.model.CreateAccountResponse;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.DeclineHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.DeclineHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.DescribeAccountRequest;
import software.amazon.awssdk.services.organizations.model.DescribeAccountResponse;
import software.amazon.awssdk.services.organizations.model.DescribeCreateAccountStatusRequest;
import software.amazon.awssdk.services.organizations.model.DescribeCreateAccountStatusResponse;
import software.amazon.awssdk.services.organizations.model.DescribeHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.DescribeHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.DisableAwsServiceAccessRequest;
import software.amazon.awssdk.services.organizations.model.DisableAwsServiceAccessResponse;
import software.amazon.awssdk.services.organizations.model.EnableAwsServiceAccessRequest;
import software.amazon.awssdk.services.organizations.model.EnableAwsServiceAccessResponse;
import software.amazon.awssdk.services.organizations.model.EnabledServicePrincipal;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.HandshakeParty;
import software.amazon.awssdk.services.organizations.model.InviteAccountToOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.InviteAccountToOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.LeaveOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.LeaveOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.organizations.model.ListAwsServiceAccessForOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.ListAwsServiceAccessForOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListCreateAccountStatusRequest;
import software.amazon.awssdk.services.organizations.model.ListCreateAccountStatusResponse;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForAccountRequest;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForAccountResponse;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.MoveAccountRequest;
import software.amazon.awssdk.services.organizations.model.MoveAccountResponse;
import software.amazon.awssdk.services.organizations.model.RemoveAccountFromOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.RemoveAccountFromOrganizationResponse;

/**
 * Accounts and how they join or leave: CreateAccount and its status, invitations (handshakes), Remove/Leave,
 * MoveAccount, the account listings and trusted service access. Joining, leaving and moving refresh what RAM shares
 * with the organization give. One handler family of {@link OrganizationsApi}, which registers it.
 */
final class OrgAccountHandlers {
    private OrgAccountHandlers() {}

    static void register(OrgRegistry api) {
        api.write("CreateAccount", CreateAccountRequest::builder, OrgAccountHandlers::createAccount);
        api.write("CloseAccount", software.amazon.awssdk.services.organizations.model.CloseAccountRequest::builder,
                (req, tx) -> {
                    OrgAccounts.closeAccount(tx, required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId"));
                    return software.amazon.awssdk.services.organizations.model.CloseAccountResponse.builder().build();
                });
        api.read("DescribeCreateAccountStatus", DescribeCreateAccountStatusRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.createAccountRequestId(), Organizations.CREATE_ACCOUNT_REQUEST_ID,
                    "CreateAccountRequestId");
            var status = ctx.world().find(dev.underpass.model.org.CreateAccountStatus.class, id)
                    .filter(s -> s.orgId().equals(org.id()))
                    .orElseThrow(() -> OrgError.CREATE_ACCOUNT_STATUS_NOT_FOUND.with("We can't find a create "
                            + "account request with the CreateAccountRequestId that you specified."));
            return DescribeCreateAccountStatusResponse.builder().createAccountStatus(shape(status)).build();
        });
        api.read("ListCreateAccountStatus", ListCreateAccountStatusRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            List<String> states = req.hasStates() ? req.statesAsStrings() : List.of();
            Page<dev.underpass.model.org.CreateAccountStatus> page = page(ctx.world().all(
                    dev.underpass.model.org.CreateAccountStatus.class, s -> s.orgId().equals(org.id())
                            && (states.isEmpty() || states.contains(s.state().wire()))),
                    req.nextToken(),
                    req.maxResults());
            return ListCreateAccountStatusResponse.builder()
                    .createAccountStatuses(page.items().stream().map(OrgShapes::shape).toList())
                    .nextToken(page.next()).build();
        });
        api.write("InviteAccountToOrganization", InviteAccountToOrganizationRequest::builder,
                OrgAccountHandlers::invite);
        api.read("ListHandshakesForAccount", ListHandshakesForAccountRequest::builder, (req, ctx) -> {
            String action = req.filter() == null ? null : req.filter().actionTypeAsString();
            Page<dev.underpass.model.org.Handshake> page = page(Organizations.handshakesFor(ctx.world(),
                    ctx.caller().accountId()).stream().filter(h -> action == null || h.action().equals(action))
                    .toList(), req.nextToken(), req.maxResults());
            return ListHandshakesForAccountResponse.builder().handshakes(page.items().stream()
                    .map(h -> shape(ctx.world(), h, ctx.now())).toList()).nextToken(page.next()).build();
        });
        api.read("ListHandshakesForOrganization", ListHandshakesForOrganizationRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String action = req.filter() == null ? null : req.filter().actionTypeAsString();
            Page<dev.underpass.model.org.Handshake> page = page(Organizations.handshakes(ctx.world(), org).stream()
                    .filter(h -> action == null || h.action().equals(action)).toList(), req.nextToken(),
                    req.maxResults());
            return ListHandshakesForOrganizationResponse.builder().handshakes(page.items().stream()
                    .map(h -> shape(ctx.world(), h, ctx.now())).toList()).nextToken(page.next()).build();
        });
        api.read("DescribeHandshake", DescribeHandshakeRequest::builder, (req, ctx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return DescribeHandshakeResponse.builder().handshake(shape(ctx.world(),
                    OrgHandshakes.requireHandshake(ctx.world(), ctx.caller().accountId(), id), ctx.now())).build();
        });
        api.write("AcceptHandshake", AcceptHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            var answered = OrgHandshakes.answer(tx, id, true);
            refreshSharing(tx, Organizations.orgIdOf(tx.world(), tx.caller().accountId()));
            return AcceptHandshakeResponse.builder().handshake(shape(tx.world(), answered, tx.now())).build();
        });
        api.write("DeclineHandshake", DeclineHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return DeclineHandshakeResponse.builder()
                    .handshake(shape(tx.world(), OrgHandshakes.answer(tx, id, false), tx.now())).build();
        });
        api.write("CancelHandshake", CancelHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return CancelHandshakeResponse.builder()
                    .handshake(shape(tx.world(), OrgHandshakes.cancel(tx, id), tx.now())).build();
        });
        api.write("RemoveAccountFromOrganization", RemoveAccountFromOrganizationRequest::builder, (req, tx) -> {
            var org = Organizations.orgIdOf(tx.world(), tx.caller().accountId());
            OrgAccounts.removeAccount(tx, required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId"),
                    false);
            refreshSharing(tx, org);
            return RemoveAccountFromOrganizationResponse.builder().build();
        });
        api.write("LeaveOrganization", LeaveOrganizationRequest::builder, (req, tx) -> {
            var org = Organizations.orgIdOf(tx.world(), tx.caller().accountId());
            OrgAccounts.removeAccount(tx, tx.caller().accountId(), true);
            refreshSharing(tx, org);
            return LeaveOrganizationResponse.builder().build();
        });
        api.read("ListAccounts", ListAccountsRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            Page<MemberAccount> page = page(Organizations.accounts(ctx.world(), org), req.nextToken(),
                    req.maxResults());
            return ListAccountsResponse.builder().accounts(page.items().stream().map(OrgShapes::shape)
                    .toList()).nextToken(page.next()).build();
        });
        api.read("ListAccountsForParent", ListAccountsForParentRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String parent = requireParent(ctx.world(), org, req.parentId());
            Page<MemberAccount> page = page(Organizations.accounts(ctx.world(), org).stream()
                    .filter(m -> m.parentId().equals(parent)).toList(), req.nextToken(), req.maxResults());
            return ListAccountsForParentResponse.builder().accounts(page.items().stream()
                    .map(OrgShapes::shape).toList()).nextToken(page.next()).build();
        });
        api.read("DescribeAccount", DescribeAccountRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId");
            return DescribeAccountResponse.builder()
                    .account(shape(OrgAccounts.requireAccount(ctx.world(), org, id))).build();
        });
        api.write("MoveAccount", MoveAccountRequest::builder, (req, tx) -> {
            OrgAccounts.moveAccount(tx, required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId"),
                    required(req.sourceParentId(), PARENT_ID, "SourceParentId"),
                    required(req.destinationParentId(), PARENT_ID, "DestinationParentId"));
            refreshSharing(tx, Organizations.orgIdOf(tx.world(), tx.caller().accountId()));
            return MoveAccountResponse.builder().build();
        });
        api.write("EnableAWSServiceAccess", EnableAwsServiceAccessRequest::builder, (req, tx) -> {
            OrgAccounts.setServiceAccess(tx, servicePrincipal(req.servicePrincipal()), true);
            return EnableAwsServiceAccessResponse.builder().build();
        });
        api.write("DisableAWSServiceAccess", DisableAwsServiceAccessRequest::builder, (req, tx) -> {
            OrgAccounts.setServiceAccess(tx, servicePrincipal(req.servicePrincipal()), false);
            return DisableAwsServiceAccessResponse.builder().build();
        });
        api.read("ListAWSServiceAccessForOrganization", ListAwsServiceAccessForOrganizationRequest::builder,
                (req, ctx) -> {
                    Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
                    List<Map.Entry<String, Instant>> all = List.copyOf(org.serviceAccess().entrySet());
                    Page<Map.Entry<String, Instant>> page = page(all, req.nextToken(), req.maxResults());
                    return ListAwsServiceAccessForOrganizationResponse.builder()
                            .enabledServicePrincipals(page.items().stream().map(e -> EnabledServicePrincipal
                                    .builder().servicePrincipal(e.getKey()).dateEnabled(e.getValue()).build())
                                    .toList())
                            .nextToken(page.next()).build();
                });
    }

    private static CreateAccountResponse createAccount(CreateAccountRequest req, Tx tx) {
        String name = req.accountName();
        if (name == null) {
            throw OrgErrors.inputRequired("AccountName");
        }
        if (name.isEmpty() || name.length() > 50) {
            throw invalid(name.isEmpty() ? "MIN_LENGTH_EXCEEDED" : "MAX_LENGTH_EXCEEDED",
                    "AccountName must be between 1 and 50 characters long.");
        }
        String email = req.email();
        if (email == null) {
            throw OrgErrors.inputRequired("Email");
        }
        if (email.length() < 6 || email.length() > 64 || !EMAIL.matcher(email).matches()) {
            throw invalid("INVALID_EMAIL_ADDRESS_TARGET", "You specified an invalid email address for the "
                    + "invited account owner.");
        }
        var status = OrgAccounts.createAccount(tx, name, email, tags(req.tags()));
        // AWS answers CreateAccount before the account exists: the request reads IN_PROGRESS here, and
        // DescribeCreateAccountStatus then reports the outcome.
        return CreateAccountResponse.builder().createAccountStatus(CreateAccountStatus.builder().id(status.id())
                .accountName(status.accountName())
                .state(dev.underpass.model.org.CreateAccountStatus.State.IN_PROGRESS.wire())
                .requestedTimestamp(status.requestedAt())
                .build()).build();
    }

    private static InviteAccountToOrganizationResponse invite(InviteAccountToOrganizationRequest req,
            Tx tx) {
        HandshakeParty target = req.target();
        if (target == null || target.id() == null) {
            throw OrgErrors.inputRequired("Target");
        }
        String type = target.typeAsString() == null ? "ACCOUNT" : target.typeAsString();
        if (!type.equals("ACCOUNT")) {
            throw invalid("INVALID_PARTY_TYPE_TARGET", "underpass invites accounts by their 12-digit id only "
                    + "(Target Type ACCOUNT); it cannot resolve " + type + " " + target.id() + ".");
        }
        if (!Organizations.ACCOUNT_ID.matcher(target.id()).matches()) {
            throw invalid("INVALID_PATTERN", "You specified an invalid value for Target Id.");
        }
        if (req.notes() != null && req.notes().length() > 1024) {
            throw invalid("MAX_LENGTH_EXCEEDED", "Notes must be at most 1024 characters long.");
        }
        var h = OrgHandshakes.invite(tx, target.id(), req.notes());
        return InviteAccountToOrganizationResponse.builder().handshake(shape(tx.world(), h, tx.now())).build();
    }

    /** Shares with the organization or its OUs reach the accounts of the moment (RAM's grants follow moves). */
    private static void refreshSharing(Tx tx, java.util.Optional<String> orgId) {
        orgId.ifPresent(id -> dev.underpass.model.sharing.ShareReach.refreshOrganization(tx, id));
    }
}
