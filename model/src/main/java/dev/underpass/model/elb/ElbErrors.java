package dev.underpass.model.elb;

import java.util.Arrays;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.AwsException;
import java.util.List;

/**
 * Factories for the ELBv2 {@code ValidationError}s that follow the service's fixed sentence ("1 validation error
 * detected: Value … at … failed to satisfy constraint: Member must …"), which ELB answers when a member breaks a
 * constraint of the API model (range, enum, pattern, presence) before any rule runs. Written once here so the throw
 * sites name only the member and the constraint; messages are byte-identical to AWS's and to what the tests pin.
 */
public final class ElbErrors {
    private ElbErrors() {}

    /** A value that breaks the member's constraint, e.g. {@code validation(70000, "port", "have value ...")}. */
    public static AwsException validation(Object value, String member, String constraint) {
        return ElbError.VALIDATION_ERROR.format(
                "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must %s", value,
                member, constraint);
    }

    /**
     * The constant of {@code values} the API calls {@code name}; any other name is refused as the API's enum
     * constraint refuses it, listing the names in the API's order ({@code ValidationError} naming {@code member}).
     */
    public static <E extends Enum<E> & AwsNamed> E oneOf(E[] values, String name, String member) {
        E e = AwsNamed.find(values, name);
        if (e == null) {
            throw validation(name, member, "satisfy enum value set: " + Arrays.toString(values));
        }
        return e;
    }

    /** A number outside {@code min}-{@code max} (absent is fine): {@code member} as the wire names it, e.g. port. */
    public static void requireRange(Integer value, String member, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw validation(value, member, value < min ? "have value greater than or equal to " + min
                    : "have value less than or equal to " + max);
        }
    }

    /** A value outside the member's enum (absent is fine); returns it. */
    public static String requireOneOf(String value, String member, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw validation(value, member, "satisfy enum value set: " + allowed);
        }
        return value;
    }

    /** A required member that is absent. */
    public static AwsException notNull(String member) {
        return ElbError.VALIDATION_ERROR.format(
                "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
                member);
    }
}
