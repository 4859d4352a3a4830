package dev.underpass.policy;

/**
 * What a VPC endpoint connects to, which decides how its policy applies.
 */
public enum EndpointKind {
    /** An interface endpoint to an AWS service: the policy limits requests. */
    INTERFACE("Interface"),
    /**
     * A gateway endpoint (S3, DynamoDB): the policy limits requests, and an account principal ({@code "AWS":
     * "123456789012"}) matches only that account's root user.
     */
    GATEWAY("Gateway"),
    /** An endpoint to a customer's endpoint service (PrivateLink to an NLB): endpoint policies are not evaluated. */
    CUSTOMER_ENDPOINT_SERVICE("CustomerEndpointService");

    private final String wireName;

    EndpointKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EndpointKind fromWire(String text) {
        for (EndpointKind k : values()) {
            if (k.wireName.equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an endpoint kind; use Interface, Gateway or"
                + " CustomerEndpointService");
    }
}
