package dev.underpass.model;

import java.util.List;
import java.util.Objects;

/**
 * A stored record type and its {@code @kind}: the name the store writes next to each record so it can read it back.
 * The name is part of the on-disk format: never rename one.
 *
 * <p>Each family lists its own kinds ({@code ec2.Ec2ResourceKinds}, {@code elb.ElbResourceKinds},
 * {@code sts.StsResourceKinds}, and {@link #KERNEL} here), so the kernel depends on no family. A new record type is
 * added to its family's list; a new family's list is added to the store's {@code Json.KINDS}. The store refuses to
 * start when two kinds share a name or a type, and its {@code ResourceKindsTest} fails when a record implementing
 * {@link Resource} is in no list.
 */
public record ResourceKind(Class<? extends Resource> type, String name) {

    /** The kernel's own stored records. */
    public static final List<ResourceKind> KERNEL = List.of(
            new ResourceKind(AccountRegion.class, "account-region"));

    public ResourceKind {
        Objects.requireNonNull(type, "type");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a resource kind needs a name: " + type.getName());
        }
    }
}
