package dev.underpass.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides a request the way AWS combines its policy types, and says which layers and statements decided.
 *
 * <p>Follows the IAM User Guide's evaluation logic (single account and cross-account) and the PrivateLink guide on
 * endpoint policies:
 * <ol>
 *   <li>A matching {@code Deny} in any applicable layer is final: ExplicitlyDenied.</li>
 *   <li>SCPs (caller's account, IAM callers only): every level from the root to the account must have a matching
 *       Allow. RCPs (resource's account): AWS's RCPFullAWSAccess allows at every level, so only Deny counts.</li>
 *   <li>A VPC endpoint policy only limits: without a matching Allow the request is implicitly denied. It is not
 *       applied to endpoints of customer endpoint services.</li>
 *   <li>Same account: identity ∪ resource policy. An Allow in the resource policy naming the caller's user,
 *       role-session or federated-user ARN (or {@code *}) is enough on its own; one naming the role is enough
 *       unless the boundary or session policy does not allow; one naming the account delegates, so the identity
 *       policies must allow.</li>
 *   <li>Cross account: both the caller's side (identity ∩ boundary ∩ session) and the resource policy must
 *       allow.</li>
 *   <li>The permissions boundary and the session policy intersect with identity policies; a federated-user session
 *       without a session policy has no identity permissions.</li>
 * </ol>
 * An anonymous or service caller has no identity side: only a resource policy can grant it anything.
 *
 * <p>Performance: patterns were compiled when the policies were parsed and the request context was normalised when
 * the request was built, so evaluation is a walk over statements that allocates only the result (and the resolved
 * pattern of a statement that uses policy variables). Statements are tested action first, as the action is the most
 * selective and cheapest test.
 */
public final class Evaluator {
    private static final int NO_MATCH = 0;
    /** A resource policy names the caller's account: delegation, the identity policies must allow too. */
    private static final int ACCOUNT = 1;
    /** A resource policy names the role of the caller's session. */
    private static final int ROLE = 2;
    /** A resource policy names the caller itself (or everyone); for statements without principal, "applies". */
    private static final int DIRECT = 3;

    private Evaluator() {}

    /** Accumulates matching statements while the layers are scanned. */
    private static final class Tally {
        List<StatementRef> denies;
        List<StatementRef> allows;

        void add(StatementRef ref) {
            if (ref.effect() == Effect.DENY) {
                if (denies == null) {
                    denies = new ArrayList<>(2);
                }
                denies.add(ref);
            } else {
                if (allows == null) {
                    allows = new ArrayList<>(4);
                }
                allows.add(ref);
            }
        }
    }

    public static Decision evaluate(EvaluationInput input) {
        Request request = input.request();
        Caller caller = request.principal();
        boolean iam = caller.isIamIdentity();
        Tally tally = new Tally();
        List<Layer> blocked = new ArrayList<>(2);

        // Service control policies: the caller's account, each level must allow.
        boolean scpApplies = iam && !input.serviceControlPolicies().isEmpty();
        boolean scpAllowed = true;
        if (scpApplies) {
            int policyIndex = 0;
            for (List<Policy> level : input.serviceControlPolicies()) {
                boolean levelAllowed = false;
                for (Policy p : level) {
                    levelAllowed |= scan(Layer.SCP, policyIndex++, p, request, tally, false) > NO_MATCH;
                }
                scpAllowed &= levelAllowed;
            }
        }

        // Resource control policies: RCPFullAWSAccess allows at every level, only Deny statements count.
        int rcpIndex = 0;
        for (List<Policy> level : input.resourceControlPolicies()) {
            for (Policy p : level) {
                scanDenies(Layer.RCP, rcpIndex++, p, request, tally);
            }
        }

        int resourceGrant = NO_MATCH;
        if (input.resourcePolicy() != null) {
            resourceGrant = scan(Layer.RESOURCE, 0, input.resourcePolicy(), request, tally, false);
        }

        boolean identityAllowed = caller instanceof Caller.AccountRoot;
        boolean boundaryAllowed = true;
        boolean sessionAllowed = !(caller instanceof Caller.FederatedUser);
        if (iam) {
            List<Policy> identity = input.identityPolicies();
            for (int i = 0; i < identity.size(); i++) {
                identityAllowed |= scan(Layer.IDENTITY, i, identity.get(i), request, tally, false) > NO_MATCH;
            }
            if (input.permissionsBoundary() != null) {
                boundaryAllowed =
                        scan(Layer.BOUNDARY, 0, input.permissionsBoundary(), request, tally, false) > NO_MATCH;
            }
            if (input.sessionPolicy() != null) {
                sessionAllowed = scan(Layer.SESSION, 0, input.sessionPolicy(), request, tally, false) > NO_MATCH;
            }
        }

        boolean endpointApplies = input.vpcEndpointPolicy() != null
                && input.endpointKind() != EndpointKind.CUSTOMER_ENDPOINT_SERVICE;
        boolean endpointAllowed = true;
        if (endpointApplies) {
            endpointAllowed = scan(Layer.VPC_ENDPOINT, 0, input.vpcEndpointPolicy(), request, tally,
                    input.endpointKind() == EndpointKind.GATEWAY) > NO_MATCH;
        }

        if (tally.denies != null) {
            List<Layer> denying = new ArrayList<>(2);
            for (StatementRef ref : tally.denies) {
                if (!denying.contains(ref.layer())) {
                    denying.add(ref.layer());
                }
            }
            return new Decision(Outcome.EXPLICITLY_DENIED, denying, tally.denies);
        }

        if (!scpAllowed) {
            blocked.add(Layer.SCP);
        }
        if (!iam) {
            if (resourceGrant == NO_MATCH) {
                blocked.add(Layer.RESOURCE);
            }
        } else if (request.sameAccount()) {
            if (resourceGrant == DIRECT) {
                // Granted to the caller itself: identity, boundary and session policy do not matter.
            } else if (resourceGrant == ROLE) {
                addUnless(boundaryAllowed, Layer.BOUNDARY, blocked);
                addUnless(sessionAllowed, Layer.SESSION, blocked);
            } else {
                if (!identityAllowed && input.resourcePolicy() != null) {
                    blocked.add(Layer.RESOURCE);
                }
                addUnless(identityAllowed, Layer.IDENTITY, blocked);
                addUnless(boundaryAllowed, Layer.BOUNDARY, blocked);
                addUnless(sessionAllowed, Layer.SESSION, blocked);
            }
        } else {
            addUnless(resourceGrant != NO_MATCH, Layer.RESOURCE, blocked);
            addUnless(identityAllowed, Layer.IDENTITY, blocked);
            addUnless(boundaryAllowed, Layer.BOUNDARY, blocked);
            addUnless(sessionAllowed, Layer.SESSION, blocked);
        }
        addUnless(endpointAllowed, Layer.VPC_ENDPOINT, blocked);

        if (!blocked.isEmpty()) {
            return new Decision(Outcome.IMPLICITLY_DENIED, blocked, List.of());
        }
        return new Decision(Outcome.ALLOWED, List.of(), tally.allows == null ? List.of() : tally.allows);
    }

    private static void addUnless(boolean ok, Layer layer, List<Layer> blocked) {
        if (!ok) {
            blocked.add(layer);
        }
    }

    /**
     * Scans one policy, recording matching statements, and returns the strongest principal match among its
     * matching Allow statements ({@link #NO_MATCH} when none).
     */
    private static int scan(Layer layer, int policyIndex, Policy policy, Request request, Tally tally,
            boolean gateway) {
        int best = NO_MATCH;
        List<Statement> statements = policy.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            int strength = applies(s, request, gateway);
            if (strength != NO_MATCH) {
                tally.add(new StatementRef(layer, policyIndex, i, s.sid(), s.effect()));
                if (s.effect() == Effect.ALLOW && strength > best) {
                    best = strength;
                }
            }
        }
        return best;
    }

    private static void scanDenies(Layer layer, int policyIndex, Policy policy, Request request, Tally tally) {
        List<Statement> statements = policy.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.effect() == Effect.DENY && applies(s, request, false) != NO_MATCH) {
                tally.add(new StatementRef(layer, policyIndex, i, s.sid(), s.effect()));
            }
        }
    }

    /** Whether the statement applies to the request, as the strength of its principal match. */
    private static int applies(Statement s, Request request, boolean gateway) {
        if (!s.coversAction(request.action())) {
            return NO_MATCH;
        }
        if (!s.coversResource(request.resource(), request.context())) {
            return NO_MATCH;
        }
        int strength = switch (s.principal()) {
            case PrincipalElement.None n -> DIRECT;
            case PrincipalElement.Principal p -> strongest(p.principals(), request.principal(), gateway);
            case PrincipalElement.NotPrincipal n -> excludes(n.principals(), request.principal()) ? NO_MATCH : DIRECT;
        };
        if (strength == NO_MATCH || !s.conditionsHold(request.context())) {
            return NO_MATCH;
        }
        return strength;
    }

    private static int strongest(List<PrincipalId> ids, Caller caller, boolean gateway) {
        int best = NO_MATCH;
        for (int i = 0; i < ids.size() && best < DIRECT; i++) {
            best = Math.max(best, strength(ids.get(i), caller, gateway));
        }
        return best;
    }

    /** How strongly one principal entry names the caller. */
    private static int strength(PrincipalId id, Caller caller, boolean gateway) {
        return switch (id) {
            case PrincipalId.AnyPrincipal a -> DIRECT;
            case PrincipalId.Account a -> {
                if (!a.account().equals(caller.account())) {
                    yield NO_MATCH;
                }
                if (caller instanceof Caller.AccountRoot) {
                    yield DIRECT;
                }
                // A gateway endpoint policy's account principal means only the root user.
                yield gateway ? NO_MATCH : ACCOUNT;
            }
            case PrincipalId.User u -> caller instanceof Caller.User c && c.account().equals(u.account())
                    && c.name().equals(u.userName()) ? DIRECT : NO_MATCH;
            case PrincipalId.Role r -> switch (caller) {
                case Caller.AssumedRole s when s.account().equals(r.account()) && s.roleName().equals(r.roleName()) ->
                    ROLE;
                case Caller.Role c when c.account().equals(r.account()) && c.roleName().equals(r.roleName()) -> ROLE;
                default -> NO_MATCH;
            };
            case PrincipalId.AssumedRoleSession s -> caller instanceof Caller.AssumedRole c
                    && c.arn().equals(s.text()) ? DIRECT : NO_MATCH;
            case PrincipalId.FederatedUser f -> caller instanceof Caller.FederatedUser c
                    && c.arn().equals(f.text()) ? DIRECT : NO_MATCH;
            case PrincipalId.Service s -> caller instanceof Caller.Service c
                    && c.name().equalsIgnoreCase(s.text()) ? DIRECT : NO_MATCH;
            case PrincipalId.OtherAws o -> caller.text().equals(o.text()) ? DIRECT : NO_MATCH;
            case PrincipalId.Federated f -> caller instanceof Caller.Other c && c.text().equals(f.text())
                    ? DIRECT : NO_MATCH;
            case PrincipalId.CanonicalUser c -> caller instanceof Caller.Other o && o.text().equals(c.text())
                    ? DIRECT : NO_MATCH;
        };
    }

    /**
     * Whether a {@code NotPrincipal} list excludes the caller. AWS evaluates such a statement for each identity the
     * request carries (the account, the role of a session, the session or user itself), so the caller escapes the
     * statement only when every one of them is listed: a role session needs its account, its role and its session
     * ARN in the list.
     */
    private static boolean excludes(List<PrincipalId> ids, Caller caller) {
        boolean own = false;
        boolean account = caller.account() == null || caller instanceof Caller.AccountRoot;
        boolean role = !(caller instanceof Caller.AssumedRole);
        for (PrincipalId id : ids) {
            if (id instanceof PrincipalId.AnyPrincipal) {
                return true;
            }
            int s = strength(id, caller, false);
            if (s == DIRECT) {
                own = true;
            } else if (s == ROLE) {
                role = true;
                if (caller instanceof Caller.Role) {
                    own = true;
                }
            } else if (s == ACCOUNT) {
                account = true;
            }
        }
        return own && account && role;
    }
}
