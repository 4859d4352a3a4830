package dev.underpass.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * An enum whose constants AWS writes by names of its own ({@code pendingAcceptance}, {@code shutting-down}): the
 * API answers and the store keeps those names, and messages quote them.
 *
 * <p>Each API spells all the names of one enum the same way, so an enum names its {@link Spelling} once, in a
 * {@code toString()} marked {@code @JsonValue}, and the names follow from its constants: Jackson writes and reads
 * the constant by it, and so does the store's own decoder.
 */
public interface AwsNamed {

    /** AWS's name for the constant: its {@code toString()}. */
    default String wire() {
        return toString();
    }

    /** The constant of {@code values} that AWS calls {@code name}, or null when none is. */
    static <E extends Enum<E> & AwsNamed> E find(E[] values, String name) {
        for (E e : values) {
            if (e.wire().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** AWS's name of {@code constant}, or null for none (the API then leaves the member out). */
    static String wireOf(AwsNamed constant) {
        return constant == null ? null : constant.wire();
    }

    /** AWS's names of {@code constants}, in their order. */
    static List<String> names(Collection<? extends AwsNamed> constants) {
        return constants.stream().map(AwsNamed::wire).toList();
    }

    /** How AWS spells a constant's name, from the Java name ({@code PENDING_ACCEPTANCE}). */
    enum Spelling {
        /** {@code pending-acceptance}, {@code shutting-down}, {@code active}. */
        KEBAB,
        /** {@code pendingAcceptance}. */
        CAMEL,
        /** {@code Available}, {@code CreateRouteTable}. */
        PASCAL,
        /** {@code active_impaired}. */
        SNAKE,
        /** {@code unhealthy.draining}. */
        DOTTED,
        /** {@code TCP_UDP}: the Java name as it is. */
        UPPER,
        /** {@code Target.NotInUse}: the first word, a dot, then the rest in PascalCase (ELB's reason codes). */
        QUALIFIED;

        private final ClassValue<String[]> names = new ClassValue<>() {
            @Override
            protected String[] computeValue(Class<?> type) {
                Object[] constants = type.getEnumConstants();
                String[] out = new String[constants.length];
                for (int i = 0; i < constants.length; i++) {
                    out[i] = spell(((Enum<?>) constants[i]).name());
                }
                return out;
            }
        };

        /** {@code e}'s name spelled this way (worked out once per enum). */
        public String of(Enum<?> e) {
            return names.get(e.getDeclaringClass())[e.ordinal()];
        }

        String spell(String javaName) {
            String lower = javaName.toLowerCase(Locale.ROOT);
            return switch (this) {
                case UPPER -> javaName;
                case KEBAB -> lower.replace('_', '-');
                case SNAKE -> lower;
                case DOTTED -> lower.replace('_', '.');
                case QUALIFIED -> {
                    int cut = javaName.indexOf('_');
                    yield PASCAL.spell(javaName.substring(0, cut)) + "." + PASCAL.spell(javaName.substring(cut + 1));
                }
                case CAMEL, PASCAL -> {
                    StringBuilder out = new StringBuilder(lower.length());
                    boolean upper = this == PASCAL;
                    for (char c : lower.toCharArray()) {
                        if (c == '_') {
                            upper = true;
                        } else {
                            out.append(upper ? Character.toUpperCase(c) : c);
                            upper = false;
                        }
                    }
                    yield out.toString();
                }
            };
        }
    }
}
