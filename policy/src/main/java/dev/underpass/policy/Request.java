package dev.underpass.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The request being authorised: who calls, which action on which resource, in which account the resource lives,
 * and the condition keys of the request.
 *
 * <p>The compact constructor adds the keys AWS derives from the caller and the resource when the context does not
 * already hold them ({@code aws:PrincipalAccount}, {@code aws:PrincipalArn}, {@code aws:PrincipalType},
 * {@code aws:username}, {@code aws:ResourceAccount}, ...; see {@link Caller#derivedKeys()}), so evaluation itself
 * never builds anything. Keys given in the context always win.
 *
 * @param principal the caller
 * @param action {@code service:Action}, matched case-insensitively
 * @param resource the resource ARN (or {@code *}), matched case-sensitively
 * @param resourceAccount the account that owns the resource; when null it is taken from the ARN's account field,
 *     and when that is empty too (S3 buckets) the resource is assumed to be in the caller's account
 * @param context condition keys
 */
public record Request(Caller principal, String action, String resource, String resourceAccount,
        RequestContext context) {

    public Request {
        Objects.requireNonNull(principal, "principal");
        if (action == null || action.isEmpty()) {
            throw new IllegalArgumentException("a request needs an action, got \"" + action + "\"");
        }
        if (resource == null || resource.isEmpty()) {
            throw new IllegalArgumentException("a request needs a resource, got \"" + resource + "\"");
        }
        if (resourceAccount == null || resourceAccount.isEmpty()) {
            Arn arn = Arn.parse(resource);
            resourceAccount = arn != null && !arn.account().isEmpty() ? arn.account() : principal.account();
        }
        context = context == null ? RequestContext.empty() : context;
        context = context.withDefaults(principal.derivedKeys(), "aws:ResourceAccount", resourceAccount);
    }

    /** A request with no context beyond what is derived from the principal and the resource. */
    public static Request of(String principal, String action, String resource) {
        return new Request(Caller.parse(principal), action, resource, null, RequestContext.empty());
    }

    /** A request from a principal string (see {@link Caller#parse}) with the given context. */
    public static Request of(String principal, String action, String resource, String resourceAccount,
            Map<String, ?> context) {
        return new Request(Caller.parse(principal), action, resource, resourceAccount, RequestContext.of(context));
    }

    /** Whether caller and resource are in the same account (an anonymous or service caller never is). */
    public boolean sameAccount() {
        return principal.account() != null && principal.account().equals(resourceAccount);
    }
}
