package dev.underpass.policy;

/**
 * One entry of a {@code Principal} or {@code NotPrincipal} element, classified when the policy is parsed so that
 * matching compares a few strings.
 */
public sealed interface PrincipalId {

    /** The entry as written in the policy. */
    String text();

    /** {@code "AWS": "*"}: every principal, anonymous callers included (the same as {@code "Principal": "*"}). */
    record AnyPrincipal(String text) implements PrincipalId {}

    /**
     * {@code "AWS": "123456789012"} or {@code "AWS": "arn:aws:iam::123456789012:root"}. In a resource policy this
     * delegates to the account; it does not name only its root user.
     */
    record Account(String text, String account) implements PrincipalId {}

    /** An IAM user, matched by account and user name (names are unique in an account; the path is not compared). */
    record User(String text, String account, String userName) implements PrincipalId {}

    /** A role; it matches the role's sessions, compared by account and role name (the path is not part of a session ARN). */
    record Role(String text, String account, String roleName) implements PrincipalId {}

    record AssumedRoleSession(String text, String account) implements PrincipalId {}

    record FederatedUser(String text, String account) implements PrincipalId {}

    /** Any other AWS principal text (a malformed ARN, a wildcard inside an ARN): matched by exact text only. */
    record OtherAws(String text) implements PrincipalId {}

    record Service(String text) implements PrincipalId {}

    record Federated(String text) implements PrincipalId {}

    record CanonicalUser(String text) implements PrincipalId {}

    /** Classifies a value of the {@code AWS} key. */
    static PrincipalId aws(String text) {
        if (text.equals("*")) {
            return new AnyPrincipal(text);
        }
        if (Arn.isAccountId(text)) {
            return new Account(text, text);
        }
        if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0) {
            return new OtherAws(text);
        }
        return switch (Caller.parse(text)) {
            case Caller.AccountRoot r -> new Account(text, r.account());
            case Caller.User u -> new User(text, u.account(), u.name());
            case Caller.Role r -> new Role(text, r.account(), r.roleName());
            case Caller.AssumedRole s -> new AssumedRoleSession(text, s.account());
            case Caller.FederatedUser f -> new FederatedUser(text, f.account());
            case Caller.Anonymous a -> new OtherAws(text);
            case Caller.Service s -> new OtherAws(text);
            case Caller.Other o -> new OtherAws(text);
        };
    }
}
