package dev.underpass.policy;

/** The severities of IAM Access Analyzer policy validation, most severe first. */
public enum FindingType {
    /** The policy will be rejected or does not work as written. */
    ERROR,
    /** The policy grants more than it seems to. */
    SECURITY_WARNING,
    /** The policy works but does not follow good practice. */
    WARNING,
    /** The policy could be simpler. */
    SUGGESTION
}
