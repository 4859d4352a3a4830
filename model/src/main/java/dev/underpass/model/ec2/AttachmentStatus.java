package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/**
 * The state of a network interface's attachment, by AWS's names ({@code attaching}, {@code attached}, …). underpass
 * attaches and detaches at once, so a stored attachment is {@link #ATTACHED}; the other names are AWS's, kept so that
 * a row written by another tool reads back.
 */
public enum AttachmentStatus implements AwsNamed {
    ATTACHING,
    ATTACHED,
    DETACHING,
    DETACHED;

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }
}
