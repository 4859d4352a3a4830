package dev.underpass.model.elb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How a Modify*Attributes call of a Network Load Balancer or of its target groups changes the stored attributes:
 * the changes apply one by one in request order, and the first one that breaks a rule throws, so nothing changes.
 * The Application Load Balancer families collect their changes first instead ({@link AlbAttributes}); both orders
 * are kept as they were so that no client sees a different first error.
 */
public final class AttributeChanges {
    private AttributeChanges() {}

    /** One key and value of a request; a null value is stored as the empty string, a null key is refused. */
    public record Change(String key, String value) {}

    /** A family's own rule for one attribute being set, given the attributes as they are before it. */
    @FunctionalInterface
    public interface Check {
        void check(Map<String, String> before, String key, String value);
    }

    /** A load balancer's log kind ({@code access_logs}, ...) as a new one has it: off, no bucket, no prefix. */
    static void putLogsOff(Map<String, String> attributes, String logs) {
        attributes.put(logs + ".s3.enabled", "false");
        attributes.put(logs + ".s3.bucket", "");
        attributes.put(logs + ".s3.prefix", "");
    }

    /** Each of these log kinds that is on names its bucket (InvalidConfigurationRequest otherwise). */
    static void requireLogBuckets(Map<String, String> attributes, List<String> logKinds) {
        for (String logs : logKinds) {
            if ("true".equals(attributes.get(logs + ".s3.enabled"))
                    && Objects.requireNonNullElse(attributes.get(logs + ".s3.bucket"), "").isEmpty()) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "The attribute '%s.s3.bucket' is required when %s are enabled", logs,
                        logs.replace('_', ' '));
            }
        }
    }

    /**
     * The attributes after {@code changes}: every key must be present and one {@code known} accepts, a boolean one
     * must be {@code true} or {@code false} (InvalidConfigurationRequest naming the {@code resource}, e.g. "Load
     * balancer"), and {@code check} adds the family's own rules.
     */
    static Map<String, String> applied(Map<String, String> current, List<Change> changes, String resource,
            Predicate<String> known, Set<String> booleans, Check check) {
        if (changes == null || changes.isEmpty()) {
            throw ElbErrors.notNull("attributes");
        }
        Map<String, String> attrs = new LinkedHashMap<>(current);
        for (Change c : changes) {
            if (c.key() == null || c.key().isEmpty()) {
                throw ElbErrors.notNull("attributes.member.N.Key");
            }
            String k = c.key();
            String v = c.value() == null ? "" : c.value();
            if (!known.test(k)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format("%s attribute key '%s' is not recognized",
                        resource, k);
            }
            if (booleans.contains(k) && !v.equals("true") && !v.equals("false")) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "%s attribute '%s' must be 'true' or 'false', not '%s'", resource, k, v);
            }
            check.check(attrs, k, v);
            attrs.put(k, v);
        }
        return attrs;
    }
}
