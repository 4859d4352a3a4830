package dev.underpass.policy;

/** The kinds of policy that take part in a decision, with the names used in decisions and on the command line. */
public enum Layer {
    IDENTITY("identity"),
    RESOURCE("resource"),
    SCP("scp"),
    RCP("rcp"),
    BOUNDARY("boundary"),
    SESSION("session"),
    VPC_ENDPOINT("vpcEndpoint");

    private final String wireName;

    Layer(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
