package dev.underpass.policy;

/** A statement's {@code Effect}. The wire names are case-sensitive. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String wireName;

    Effect(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The effect spelled exactly {@code text}, or null. */
    static Effect fromWire(String text) {
        for (Effect e : values()) {
            if (e.wireName.equals(text)) {
                return e;
            }
        }
        return null;
    }
}
