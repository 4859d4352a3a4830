package dev.underpass.model;

import java.util.Objects;

/**
 * An enum whose constants AWS writes by names of its own ({@code pendingAcceptance}, {@code shutting-down}): the
 * API answers and the store keeps those names, and messages quote them.
 */
public interface AwsNamed {

    /** AWS's name for the constant. */
    String wire();

    /** The constant of {@code values} that AWS calls {@code name}, or null when none is. */
    static <E extends Enum<E> & AwsNamed> E find(E[] values, String name) {
        for (E e : values) {
            if (e.wire().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The constant a stored row names; a name no constant has is a broken row, reported with {@code what}. */
    static <E extends Enum<E> & AwsNamed> E stored(E[] values, String name, String what) {
        return Objects.requireNonNull(find(values, name), () -> "not " + what + ": " + name);
    }
}
