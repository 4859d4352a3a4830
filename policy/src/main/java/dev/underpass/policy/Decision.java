package dev.underpass.policy;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a request, and why.
 *
 * @param outcome Allowed, ImplicitlyDenied or ExplicitlyDenied
 * @param blockedBy for a denial, the layers that denied (with a Deny statement, or by not allowing); empty when allowed
 * @param statements for an explicit deny, the matching Deny statements; when allowed, the Allow statements that
 *     granted the request in each layer that had to allow; empty for an implicit deny
 */
public record Decision(Outcome outcome, List<Layer> blockedBy, List<StatementRef> statements) {
    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        blockedBy = List.copyOf(blockedBy);
        statements = List.copyOf(statements);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }
}
