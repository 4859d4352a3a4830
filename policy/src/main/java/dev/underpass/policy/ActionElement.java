package dev.underpass.policy;

import java.util.List;

/** A statement's {@code Action} or {@code NotAction}. Actions match case-insensitively. */
public sealed interface ActionElement {

    List<Pattern> patterns();

    /** One action pattern as written ({@code s3:Get*}) and compiled. */
    record Pattern(String text, Glob glob) {
        static Pattern of(String text) {
            return new Pattern(text, Glob.wildcard(text, true));
        }

        boolean matches(String action) {
            return glob.matches(action);
        }
    }

    record Action(List<Pattern> patterns) implements ActionElement {
        public Action {
            patterns = List.copyOf(patterns);
        }
    }

    record NotAction(List<Pattern> patterns) implements ActionElement {
        public NotAction {
            patterns = List.copyOf(patterns);
        }
    }
}
