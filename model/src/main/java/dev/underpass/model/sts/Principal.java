package dev.underpass.model.sts;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * An IAM principal named by its ARN, parsed once: an account's root user, an IAM user, an IAM role, or a session of
 * an assumed role. This is the one reader of principal ARNs for static access keys ({@code --access-key}), STS
 * ({@code AssumeRole}'s role, the caller of {@code GetCallerIdentity}) and endpoint-service permissions; each of
 * them decides what it accepts by matching on the type rather than on its own regular expression.
 *
 * <p>Names follow IAM's grammar ({@code [\w+=,.@-]}, 1 to 64 characters; session names 2 to 64); a user's or role's
 * path is kept as written, with its trailing slash ({@code ""} when there is none), so {@link #arn()} gives back the
 * ARN that was parsed. The policy engine has its own, more lenient classifier ({@code dev.underpass.policy.Caller}),
 * since a policy may name principals of any partition and kinds underpass never authenticates.
 */
public sealed interface Principal {
    /** The 12-digit account the principal belongs to. */
    String account();

    /** The principal's ARN. */
    String arn();

    /** {@code arn:aws:iam::<account>:root}. */
    record Root(String account) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account + ":root";
        }
    }

    /** {@code arn:aws:iam::<account>:user/<path/>name}. */
    record User(String account, String path, String name) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account + ":user/" + path + name;
        }
    }

    /** {@code arn:aws:iam::<account>:role/<path/>name}. */
    record Role(String account, String path, String name) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:iam::" + account + ":role/" + path + name;
        }
    }

    /** {@code arn:aws:sts::<account>:assumed-role/<role name>/<session>}: the role's path is not part of it. */
    record AssumedRole(String account, String roleName, String sessionName) implements Principal {
        @Override
        public String arn() {
            return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
        }
    }

    /** The principal {@code arn} names, or empty when it is none of the four kinds (or null). */
    static Optional<Principal> parse(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        Matcher m = Principals.IAM_ARN.matcher(arn);
        if (m.matches()) {
            String account = m.group(1);
            if (m.group(2) != null) {
                return Optional.of(new Root(account));
            }
            return Optional.of(m.group(3).equals("user") ? new User(account, m.group(4), m.group(5))
                    : new Role(account, m.group(4), m.group(5)));
        }
        m = Principals.ASSUMED_ROLE_ARN.matcher(arn);
        if (m.matches()) {
            return Optional.of(new AssumedRole(m.group(1), m.group(2), m.group(3)));
        }
        return Optional.empty();
    }
}
