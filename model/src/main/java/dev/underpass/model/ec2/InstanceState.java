package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/** An instance's state, by AWS's name and code (the low byte of the state code). */
public enum InstanceState implements AwsNamed {
    PENDING(0),
    RUNNING(16),
    SHUTTING_DOWN(32),
    TERMINATED(48),
    STOPPING(64),
    STOPPED(80);

    private final int code;

    InstanceState(int code) {
        this.code = code;
    }

    /** AWS's state code. */
    public int code() {
        return code;
    }

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }

    /** The state AWS calls {@code name}, or null when there is none by that name. */
    public static InstanceState fromWire(String name) {
        return AwsNamed.find(values(), name);
    }
}
