package dev.underpass.policy;

import java.util.Objects;

/**
 * One finding of policy validation, in the style of IAM Access Analyzer's {@code ValidatePolicy}.
 *
 * @param type the severity
 * @param issueCode the check, in upper snake case ({@code PRIVATE_IP_ADDRESS})
 * @param message what is wrong and what to do, in plain words
 * @param location where
 */
public record Finding(FindingType type, String issueCode, String message, Location location) {
    public Finding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issueCode, "issueCode");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(location, "location");
    }

    /**
     * A place in the policy document.
     *
     * @param path a JSON path such as {@code Statement[0].Condition.IpAddress.aws:SourceIp[1]}; empty for the whole
     *     document
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     */
    public record Location(String path, int line, int column) {
        public Location {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            String where = path.isEmpty() ? "policy" : path;
            return line > 0 ? where + " (line " + line + ", column " + column + ")" : where;
        }
    }

    @Override
    public String toString() {
        return type + " " + issueCode + " at " + location + ": " + message;
    }
}
