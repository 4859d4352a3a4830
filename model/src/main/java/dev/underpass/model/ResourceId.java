package dev.underpass.model;

/**
 * A resource id of one kind, typed ({@code ec2.VpcId}, {@code ec2.SubnetId}, {@code ec2.SecurityGroupId}, the
 * others of {@code ec2} named {@code …Id}, and {@code elb}'s {@code LoadBalancerArn}, {@code TargetGroupArn} and
 * {@code ListenerArn}): the text AWS writes, in a type that only ids of that kind have.
 * {@link World#find(Class, ResourceId)}, {@link Tx#find(Class, ResourceId)} and the lookups that refuse an unknown id
 * take one where they take the text.
 *
 * <p>Each kind is a record of one component, {@code value}: its {@code toString()}, marked {@code @JsonValue}, is the
 * text, and a static {@code of(String)}, marked as Jackson's delegating creator, reads it (null for none), so stored
 * rows and messages are as they were with strings. The record holds whatever text a request named, well formed or
 * not: which error a malformed one gets is the rule's to say.
 */
public interface ResourceId extends Comparable<ResourceId> {
    /** The id as AWS writes it ({@code vpc-0a1b2c3d4e5f67890}). */
    String value();

    /** Whether the request named it empty ({@code VpcId=}): for most calls, as if it were missing. */
    default boolean isEmpty() {
        return value().isEmpty();
    }

    /** Ids order by their text, as the world orders records. */
    @Override
    default int compareTo(ResourceId o) {
        return value().compareTo(o.value());
    }

    /** Whether a request left the member out: no id, or an empty one ({@code VpcId=}), which most calls treat alike. */
    static boolean absent(ResourceId id) {
        return id == null || id.isEmpty();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    static String text(ResourceId id) {
        return id == null ? null : id.value();
    }
}
