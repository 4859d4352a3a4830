package dev.underpass.policy;

/** The three results of an authorisation. */
public enum Outcome {
    ALLOWED("Allowed"),
    /** Nothing allowed the request (or a layer that must allow did not). */
    IMPLICITLY_DENIED("ImplicitlyDenied"),
    /** A matching Deny statement. */
    EXPLICITLY_DENIED("ExplicitlyDenied");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
