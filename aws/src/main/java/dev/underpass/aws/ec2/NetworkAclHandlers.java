package dev.underpass.aws.ec2;

/** Placeholder: handlers of this resource family are being written. */
final class NetworkAclHandlers {
    private final Ec2Api api;

    NetworkAclHandlers(Ec2Api api) {
        this.api = api;
    }

    void register(Ec2Api registry) {
        // No operations yet.
    }
}
