package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/** An instance's state, by AWS's name and code (the low byte of the state code). */
public enum InstanceState implements AwsNamed {
    PENDING("pending", 0),
    RUNNING("running", 16),
    SHUTTING_DOWN("shutting-down", 32),
    TERMINATED("terminated", 48),
    STOPPING("stopping", 64),
    STOPPED("stopped", 80);

    private final String wire;
    private final int code;

    InstanceState(String wire, int code) {
        this.wire = wire;
        this.code = code;
    }

    /** AWS's name for the state, as the API and the store write it. */
    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    /** AWS's state code. */
    public int code() {
        return code;
    }

    /** AWS's name, so that messages quote the state as AWS does. */
    @Override
    public String toString() {
        return wire;
    }

    /** The state AWS calls {@code name}, or null when there is none by that name. */
    public static InstanceState fromWire(String name) {
        return AwsNamed.find(values(), name);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static InstanceState stored(String name) {
        return AwsNamed.stored(values(), name, "an instance state");
    }
}
