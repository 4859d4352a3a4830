package dev.underpass.policy;

import java.util.List;

/** A statement's {@code Principal} or {@code NotPrincipal}, or their absence (identity-based policies, SCPs). */
public sealed interface PrincipalElement {

    /** No principal element: the statement applies to whoever the policy is attached to. */
    record None() implements PrincipalElement {}

    /** {@code "Principal": ...}; {@code "*"} is a list holding one {@link PrincipalId.AnyPrincipal}. */
    record Principal(List<PrincipalId> principals) implements PrincipalElement {
        public Principal {
            principals = List.copyOf(principals);
        }
    }

    /** {@code "NotPrincipal": ...}. */
    record NotPrincipal(List<PrincipalId> principals) implements PrincipalElement {
        public NotPrincipal {
            principals = List.copyOf(principals);
        }
    }
}
