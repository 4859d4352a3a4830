package dev.underpass.policy;

import java.util.Arrays;

/**
 * A compiled IAM wildcard pattern: {@code *} matches any run of characters (including none) and {@code ?} matches
 * exactly one character. There is no escape syntax in the policy language; a literal {@code *} comes from the
 * policy variable {@code ${*}}, which is why a pattern is compiled from tokens rather than from text.
 *
 * <p>Why not {@link java.util.regex.Pattern}: patterns in policies are short and almost always of the shapes
 * {@code literal}, {@code prefix*}, {@code *suffix} or {@code *}. Those are answered with one
 * {@link String#regionMatches} call and no allocation; the general case uses the classic two-pointer matcher with
 * one backtrack point, which is linear in practice and never allocates.
 */
final class Glob {
    /** Token for {@code *}. Other tokens are UTF-16 code units (0..65535). */
    static final int STAR = -1;
    /** Token for {@code ?}. */
    static final int ANY_CHAR = -2;

    private enum Shape { EVERYTHING, EXACT, PREFIX, SUFFIX, GENERAL }

    private final int[] tokens;
    private final boolean ignoreCase;
    private final Shape shape;
    private final String literal;

    private Glob(int[] tokens, boolean ignoreCase) {
        this.tokens = tokens;
        this.ignoreCase = ignoreCase;
        int stars = 0;
        int anyChars = 0;
        for (int t : tokens) {
            if (t == STAR) {
                stars++;
            } else if (t == ANY_CHAR) {
                anyChars++;
            }
        }
        int n = tokens.length;
        if (n > 0 && stars == n) {
            shape = Shape.EVERYTHING;
            literal = "";
        } else if (stars == 0 && anyChars == 0) {
            shape = Shape.EXACT;
            literal = text(tokens, 0, n);
        } else if (anyChars == 0 && stars == 1 && tokens[n - 1] == STAR) {
            shape = Shape.PREFIX;
            literal = text(tokens, 0, n - 1);
        } else if (anyChars == 0 && stars == 1 && tokens[0] == STAR) {
            shape = Shape.SUFFIX;
            literal = text(tokens, 1, n);
        } else {
            shape = Shape.GENERAL;
            literal = "";
        }
    }

    /** Compiles text in which {@code *} and {@code ?} are wildcards. */
    static Glob wildcard(String pattern, boolean ignoreCase) {
        int[] tokens = new int[pattern.length()];
        for (int i = 0; i < tokens.length; i++) {
            char c = pattern.charAt(i);
            tokens[i] = c == '*' ? STAR : c == '?' ? ANY_CHAR : c;
        }
        return new Glob(tokens, ignoreCase);
    }

    /** Compiles text in which every character stands for itself. */
    static Glob literal(String text, boolean ignoreCase) {
        int[] tokens = new int[text.length()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = text.charAt(i);
        }
        return new Glob(tokens, ignoreCase);
    }

    static Glob ofTokens(int[] tokens, boolean ignoreCase) {
        return new Glob(tokens.clone(), ignoreCase);
    }

    boolean matchesEverything() {
        return shape == Shape.EVERYTHING;
    }

    boolean hasWildcards() {
        return shape != Shape.EXACT;
    }

    /** The pattern as text, with wildcards written as {@code *} and {@code ?}. */
    String pattern() {
        StringBuilder b = new StringBuilder(tokens.length);
        for (int t : tokens) {
            b.append(t == STAR ? '*' : t == ANY_CHAR ? '?' : (char) t);
        }
        return b.toString();
    }

    boolean matches(String s) {
        return matches(s, 0, s.length());
    }

    /** Matches the region {@code s[from, to)} without copying it. */
    boolean matches(String s, int from, int to) {
        int len = to - from;
        return switch (shape) {
            case EVERYTHING -> true;
            case EXACT -> len == literal.length() && s.regionMatches(ignoreCase, from, literal, 0, len);
            case PREFIX -> len >= literal.length() && s.regionMatches(ignoreCase, from, literal, 0, literal.length());
            case SUFFIX -> len >= literal.length()
                    && s.regionMatches(ignoreCase, to - literal.length(), literal, 0, literal.length());
            case GENERAL -> general(s, from, to);
        };
    }

    private boolean general(String s, int from, int to) {
        int[] p = tokens;
        int m = p.length;
        int pi = 0;
        int si = from;
        int starP = -1;
        int starS = from;
        while (si < to) {
            if (pi < m && p[pi] != STAR && (p[pi] == ANY_CHAR || same((char) p[pi], s.charAt(si)))) {
                pi++;
                si++;
            } else if (pi < m && p[pi] == STAR) {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                si = ++starS;
            } else {
                return false;
            }
        }
        while (pi < m && p[pi] == STAR) {
            pi++;
        }
        return pi == m;
    }

    private boolean same(char a, char b) {
        if (a == b) {
            return true;
        }
        if (!ignoreCase) {
            return false;
        }
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }

    private static String text(int[] tokens, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            b.append((char) tokens[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.ignoreCase == ignoreCase && Arrays.equals(g.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + (ignoreCase ? 1 : 0);
    }

    @Override
    public String toString() {
        return pattern();
    }
}
