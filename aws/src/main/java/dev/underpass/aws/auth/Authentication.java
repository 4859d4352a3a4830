package dev.underpass.aws.auth;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;

/**
 * What {@link Authenticator#authenticate} makes of a request: who is calling, or the AWS error that refuses it.
 * Both name the service of the credential scope, which routes the request and chooses the envelope its error is
 * rendered in.
 */
public sealed interface Authentication {
    /**
     * The service of the request's credential scope ({@code ec2}, {@code sts}, ...), or null when the request was
     * refused before its scope could be accepted (no or a malformed signature, a region AWS does not serve): such an
     * error leaves in EC2's envelope.
     */
    String service();

    /** The request acts as {@code caller}. */
    record Authenticated(Caller caller, String service) implements Authentication {}

    /** The request is refused with {@code error}, in the code and status of its service (see {@link AuthErrors}). */
    record Refused(AwsException error, String service) implements Authentication {}
}
