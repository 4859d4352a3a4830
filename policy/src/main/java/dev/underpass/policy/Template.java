package dev.underpass.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy string that may contain policy variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team, 'x'}})
 * and the escapes {@code ${*}}, {@code ${?}} and {@code ${$}}, compiled once when the policy is parsed.
 *
 * <p>Variables are only recognised in policies of version 2012-10-17; elsewhere the text is literal. A variable's
 * value is always taken literally (a {@code *} in a user name is not a wildcard), which is the reason the escapes
 * exist at all. A variable whose key is absent from the request and has no default resolves to null, and a pattern
 * containing a null variable matches nothing.
 *
 * <p>Text between variables is compiled either with wildcards ({@code StringLike}, {@code ArnLike}, Resource) or
 * literally ({@code StringEquals}). A template without variables is compiled to a single {@link Glob} up front.
 */
final class Template {
    private sealed interface Part permits Literal, Variable {}

    private record Literal(int[] tokens) implements Part {}

    private record Variable(String lookupKey, String defaultValue) implements Part {}

    private final String raw;
    private final List<Part> parts;
    private final Glob compiled;
    private final boolean ignoreCase;
    private final List<Problem> problems;

    /** A malformed {@code ${...}}, kept as literal text. */
    record Problem(String issueCode, String message) {}

    private Template(String raw, List<Part> parts, boolean ignoreCase, List<Problem> problems) {
        this.raw = raw;
        this.parts = parts;
        this.ignoreCase = ignoreCase;
        this.problems = List.copyOf(problems);
        boolean hasVariables = parts.stream().anyMatch(p -> p instanceof Variable);
        this.compiled = hasVariables ? null : Glob.ofTokens(tokensOf(parts), ignoreCase);
    }

    /**
     * Compiles {@code raw}.
     *
     * @param variables whether {@code ${...}} is a variable (policy version 2012-10-17) or literal text
     * @param wildcards whether {@code *} and {@code ?} in the literal text are wildcards
     */
    static Template compile(String raw, boolean variables, boolean wildcards, boolean ignoreCase) {
        List<Part> parts = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        IntList current = new IntList();
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (variables && c == '$' && i + 1 < n && raw.charAt(i + 1) == '{') {
                int close = raw.indexOf('}', i + 2);
                if (close < 0) {
                    problems.add(new Problem("MISSING_BRACE_IN_VARIABLE",
                            "the variable starting at character " + i + " has no closing brace"));
                    appendLiteral(current, raw.substring(i), wildcards);
                    break;
                }
                String body = raw.substring(i + 2, close);
                switch (body) {
                    case "*" -> current.add('*');
                    case "?" -> current.add('?');
                    case "$" -> current.add('$');
                    default -> {
                        Variable v = parseVariable(body, problems);
                        if (v == null) {
                            appendLiteral(current, raw.substring(i, close + 1), wildcards);
                        } else {
                            if (current.size() > 0) {
                                parts.add(new Literal(current.toArray()));
                                current = new IntList();
                            }
                            parts.add(v);
                        }
                    }
                }
                i = close + 1;
            } else {
                current.add(wildcards && c == '*' ? Glob.STAR : wildcards && c == '?' ? Glob.ANY_CHAR : c);
                i++;
            }
        }
        if (current.size() > 0 || parts.isEmpty()) {
            parts.add(new Literal(current.toArray()));
        }
        return new Template(raw, List.copyOf(parts), ignoreCase, problems);
    }

    private static Variable parseVariable(String body, List<Problem> problems) {
        if (body.isBlank()) {
            problems.add(new Problem("EMPTY_VARIABLE", "the variable ${" + body + "} is empty"));
            return null;
        }
        String key = body;
        String def = null;
        int comma = body.indexOf(',');
        if (comma >= 0) {
            key = body.substring(0, comma).trim();
            String rest = body.substring(comma + 1).trim();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                problems.add(new Problem("MISSING_QUOTE_IN_VARIABLE",
                        "the default value in ${" + body + "} must be written in single quotes"));
                return null;
            }
            def = rest.substring(1, rest.length() - 1);
        }
        if (key.isEmpty()) {
            problems.add(new Problem("EMPTY_VARIABLE", "the variable ${" + body + "} has no key"));
            return null;
        }
        if (key.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new Problem("UNSUPPORTED_SPACE_IN_VARIABLE",
                    "the variable ${" + body + "} contains a space in its key"));
            return null;
        }
        return new Variable(ConditionKey.normalize(key), def);
    }

    private static void appendLiteral(IntList into, String text, boolean wildcards) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            into.add(wildcards && c == '*' ? Glob.STAR : wildcards && c == '?' ? Glob.ANY_CHAR : c);
        }
    }

    private static int[] tokensOf(List<Part> parts) {
        IntList all = new IntList();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                all.addAll(l.tokens());
            }
        }
        return all.toArray();
    }

    String raw() {
        return raw;
    }

    boolean hasVariables() {
        return compiled == null;
    }

    /** Problems with {@code ${...}} syntax found while compiling; such text was kept literally. */
    List<Problem> problems() {
        return problems;
    }

    /** Lookup keys (lower case) of the variables used. */
    List<String> variableKeys() {
        List<String> keys = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Variable v) {
                keys.add(v.lookupKey());
            }
        }
        return keys;
    }

    /** Character offset in {@link #raw()} of the first variable, or -1. */
    int firstVariableOffset() {
        if (!hasVariables()) {
            return -1;
        }
        int at = raw.indexOf("${");
        while (at >= 0) {
            int close = raw.indexOf('}', at);
            String body = close < 0 ? "" : raw.substring(at + 2, close);
            if (!body.equals("*") && !body.equals("?") && !body.equals("$")) {
                return at;
            }
            at = raw.indexOf("${", at + 2);
        }
        return -1;
    }

    /** The pattern compiled at parse time, or null when it depends on the request. */
    Glob compiled() {
        return compiled;
    }

    /** The pattern for this request, or null when a variable resolves to null. */
    Glob resolve(RequestContext context) {
        if (compiled != null) {
            return compiled;
        }
        int[] tokens = resolveTokens(context);
        return tokens == null ? null : Glob.ofTokens(tokens, ignoreCase);
    }

    /** The tokens for this request (see {@link Glob#STAR}), or null when a variable resolves to null. */
    int[] resolveTokens(RequestContext context) {
        IntList tokens = new IntList();
        for (Part p : parts) {
            switch (p) {
                case Literal l -> tokens.addAll(l.tokens());
                case Variable v -> {
                    String value = context.single(v.lookupKey());
                    if (value == null) {
                        value = v.defaultValue();
                    }
                    if (value == null) {
                        return null;
                    }
                    for (int k = 0; k < value.length(); k++) {
                        tokens.add(value.charAt(k));
                    }
                }
            }
        }
        return tokens.toArray();
    }

    boolean matches(String value, RequestContext context) {
        Glob g = compiled != null ? compiled : resolve(context);
        return g != null && g.matches(value);
    }

    @Override
    public String toString() {
        return raw;
    }

    /** A growable int array, to build token lists without boxing. */
    static final class IntList {
        private int[] data = new int[16];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
