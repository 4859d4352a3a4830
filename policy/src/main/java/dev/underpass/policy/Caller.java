package dev.underpass.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who makes a request, classified from the principal string of the request: an IAM user, a role session, a
 * federated-user session, an account's root user, a role (when a caller names the role rather than one of its
 * sessions), an AWS service principal, or an anonymous caller.
 *
 * <p>The classification drives principal matching: a role session is matched by its role (as AWS does, since it
 * compares unique ids rather than ARN text) and by its own session ARN, and every IAM identity belongs to its account.
 */
public sealed interface Caller {

    /** The principal as given in the request. */
    String text();

    /** The account the caller belongs to, or null for anonymous and service callers. */
    default String account() {
        return null;
    }

    /** Whether the caller is an IAM identity (so that SCPs, boundaries and session policies can apply). */
    default boolean isIamIdentity() {
        return account() != null;
    }

    /** A caller named by an IAM or STS ARN, which is also its text. */
    sealed interface Named extends Caller permits AccountRoot, User, Role, AssumedRole, FederatedUser {
        String arn();

        @Override
        default String text() {
            return arn();
        }
    }

    record Anonymous() implements Caller {
        @Override
        public String text() {
            return "anonymous";
        }
    }

    record AccountRoot(String arn, String account) implements Named {}

    record User(String arn, String account, String name) implements Named {}

    /** A role named directly as the caller; treated like a session of that role with an unknown session name. */
    record Role(String arn, String account, String roleName) implements Named {}

    record AssumedRole(String arn, String account, String roleName, String sessionName) implements Named {
        /** The role's ARN as AWS reports it in {@code aws:PrincipalArn}, without the role's path (unknown here). */
        public String roleArn() {
            String partition = arn.substring(4, arn.indexOf(':', 4));
            return "arn:" + partition + ":iam::" + account + ":role/" + roleName;
        }
    }

    record FederatedUser(String arn, String account, String name) implements Named {}

    record Service(String name) implements Caller {
        @Override
        public String text() {
            return name;
        }
    }

    /** Anything else (a web-identity provider, a canonical user id): matched only by exact text. */
    record Other(String text) implements Caller {}

    /**
     * Classifies a principal string. Null, empty, {@code anonymous} and {@code *} mean an anonymous caller; a
     * 12-digit account id means that account's root user.
     */
    static Caller parse(String principal) {
        if (principal == null) {
            return new Anonymous();
        }
        return ParsedCallers.of(principal);
    }

    /** Parses {@code principal} (not null) without the cache of {@link ParsedCallers}. */
    static Caller parseNew(String principal) {
        if (principal == null || principal.isEmpty() || principal.equals("anonymous") || principal.equals("*")) {
            return new Anonymous();
        }
        if (Arn.isAccountId(principal)) {
            return new AccountRoot("arn:aws:iam::" + principal + ":root", principal);
        }
        Arn arn = Arn.parse(principal);
        if (arn == null) {
            if (principal.indexOf(':') < 0
                    && (principal.endsWith(".amazonaws.com") || principal.endsWith(".amazonaws.com.cn"))) {
                return new Service(principal);
            }
            return new Other(principal);
        }
        String account = arn.account();
        String resource = arn.resource();
        if (arn.service().equals("iam") && Arn.isAccountId(account)) {
            if (resource.equals("root")) {
                return new AccountRoot(principal, account);
            }
            if (resource.startsWith("user/")) {
                return new User(principal, account, lastSegment(resource));
            }
            if (resource.startsWith("role/")) {
                return new Role(principal, account, lastSegment(resource));
            }
        }
        if (arn.service().equals("sts") && Arn.isAccountId(account)) {
            if (resource.startsWith("assumed-role/")) {
                String rest = resource.substring("assumed-role/".length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    return new AssumedRole(principal, account, rest.substring(0, slash), rest.substring(slash + 1));
                }
            }
            if (resource.startsWith("federated-user/")) {
                return new FederatedUser(principal, account, resource.substring("federated-user/".length()));
            }
        }
        return new Other(principal);
    }

    private static String lastSegment(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /**
     * The global condition keys AWS derives from the caller, used when the request context does not give them:
     * {@code aws:PrincipalAccount}, {@code aws:PrincipalArn}, {@code aws:PrincipalType}, {@code aws:username},
     * {@code aws:PrincipalIsAWSService} and {@code aws:PrincipalServiceName}.
     */
    default Map<String, String> derivedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        switch (this) {
            case Anonymous a -> {
                keys.put("aws:PrincipalAccount", "anonymous");
                keys.put("aws:PrincipalType", "Anonymous");
            }
            case AccountRoot r -> iamKeys(keys, r.account(), r.arn(), "Account", null);
            case User u -> iamKeys(keys, u.account(), u.arn(), "User", u.name());
            case Role r -> iamKeys(keys, r.account(), r.arn(), "AssumedRole", null);
            case AssumedRole s -> iamKeys(keys, s.account(), s.roleArn(), "AssumedRole", null);
            case FederatedUser f -> iamKeys(keys, f.account(), f.arn(), "FederatedUser", null);
            case Service s -> {
                keys.put("aws:PrincipalIsAWSService", "true");
                keys.put("aws:PrincipalServiceName", s.name());
            }
            case Other o -> {
                // Nothing can be derived from an unclassified principal.
            }
        }
        return keys;
    }

    /** The keys of an IAM identity, in the order AWS lists them; {@code userName} only for IAM users. */
    private static void iamKeys(Map<String, String> keys, String account, String arn, String type, String userName) {
        keys.put("aws:PrincipalAccount", account);
        keys.put("aws:PrincipalArn", arn);
        keys.put("aws:PrincipalType", type);
        if (userName != null) {
            keys.put("aws:username", userName);
        }
        keys.put("aws:PrincipalIsAWSService", "false");
    }
}
