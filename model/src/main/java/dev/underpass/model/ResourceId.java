package dev.underpass.model;

/**
 * A resource id of one kind, typed ({@code ec2.VpcId}): the text AWS writes, in a type that only ids of that kind
 * have. {@link World#find(Class, ResourceId)} and {@link Tx#find(Class, ResourceId)} take one where they take the text.
 */
public interface ResourceId {
    /** The id as AWS writes it ({@code vpc-0a1b2c3d4e5f67890}). */
    String value();
}
