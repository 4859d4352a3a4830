package dev.underpass.policy;

import java.util.List;

/**
 * A statement's {@code Resource} or {@code NotResource}, or their absence (role trust policies have none, and the
 * statement then applies to the resource the policy is attached to). Resources match case-sensitively, and an entry
 * whose policy variable resolves to null matches no resource.
 */
public sealed interface ResourceElement {

    /** One resource pattern as written and compiled (it may depend on policy variables). */
    record Pattern(String text, Template template) {
        boolean matches(String resource, RequestContext context) {
            return template.matches(resource, context);
        }
    }

    record None() implements ResourceElement {}

    record Resource(List<Pattern> patterns) implements ResourceElement {
        public Resource {
            patterns = List.copyOf(patterns);
        }
    }

    record NotResource(List<Pattern> patterns) implements ResourceElement {
        public NotResource {
            patterns = List.copyOf(patterns);
        }
    }
}
