package dev.underpass.policy;

/** Where a policy is attached, which decides the checks that apply to it and its size limit. */
public enum PolicyType {
    IDENTITY("identity", SizeLimit.MANAGED_POLICY),
    RESOURCE("resource", null),
    SERVICE_CONTROL("scp", SizeLimit.CONTROL_POLICY),
    RESOURCE_CONTROL("rcp", SizeLimit.CONTROL_POLICY),
    VPC_ENDPOINT("vpc-endpoint", SizeLimit.VPC_ENDPOINT_POLICY),
    ROLE_TRUST("trust", SizeLimit.ROLE_TRUST_POLICY);

    private final String wireName;
    private final SizeLimit sizeLimit;

    PolicyType(String wireName, SizeLimit sizeLimit) {
        this.wireName = wireName;
        this.sizeLimit = sizeLimit;
    }

    /** The name used on the command line. */
    public String wireName() {
        return wireName;
    }

    /** The size limit, or null when none is known. */
    public SizeLimit sizeLimit() {
        return sizeLimit;
    }

    /** Whether statements name a principal (resource-based policies, trust policies, endpoint policies, RCPs). */
    public boolean requiresPrincipal() {
        return this == RESOURCE || this == VPC_ENDPOINT || this == ROLE_TRUST || this == RESOURCE_CONTROL;
    }

    /** Whether Sids follow IAM's rules (unique, letters and digits only). */
    public boolean strictSids() {
        return this == IDENTITY || this == SERVICE_CONTROL || this == RESOURCE_CONTROL;
    }

    public static PolicyType fromWire(String text) {
        for (PolicyType t : values()) {
            if (t.wireName.equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("\"" + text
                + "\" is not a policy type; use identity, resource, scp, rcp, vpc-endpoint or trust");
    }
}
