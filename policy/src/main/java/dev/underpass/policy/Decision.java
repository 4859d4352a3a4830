package dev.underpass.policy;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

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

    /** The first Deny statement among {@link #statements}, or null when the refusal is implicit (or none). */
    public StatementRef firstDeny() {
        return statements.stream().filter(s -> s.effect() == Effect.DENY).findFirst().orElse(null);
    }

    /**
     * What decided a refusal, as the service endpoints' decision log and {@code underpass trace} name it: the first
     * Deny statement as {@code layer[policy].Sid} ({@code Statement[i]} when it has no Sid), or
     * {@code scp:p-….Sid} / {@code rcp:p-….Sid} when {@code controlPolicyId} knows the control policy's id (given
     * the layer and the engine's policy index, which counts across levels; null when unknown); without a Deny,
     * the layer that allowed nothing. Null when allowed.
     */
    public String blocking(BiFunction<Layer, Integer, String> controlPolicyId) {
        if (allowed()) {
            return null;
        }
        StatementRef deny = firstDeny();
        if (deny == null) {
            return (blockedBy.isEmpty() ? Layer.IDENTITY : blockedBy.get(0)).wireName();
        }
        String statement = deny.sid() == null || deny.sid().isEmpty() ? "Statement[" + deny.statement() + "]"
                : deny.sid();
        String control = deny.layer() == Layer.SCP || deny.layer() == Layer.RCP
                ? controlPolicyId.apply(deny.layer(), deny.policy()) : null;
        return control != null ? deny.layer().wireName() + ":" + control + "." + statement
                : deny.layer().wireName() + "[" + deny.policy() + "]." + statement;
    }
}
