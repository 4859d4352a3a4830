package dev.underpass.policy;

/**
 * A statement that took part in a decision.
 *
 * @param layer the kind of policy
 * @param policy the index of the policy within its layer (identity policies in input order; SCPs and RCPs counted
 *     across levels, root first)
 * @param statement the index of the statement within its policy
 * @param sid its Sid, or null
 * @param effect its effect
 */
public record StatementRef(Layer layer, int policy, int statement, String sid, Effect effect) {}
