package dev.underpass.model;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * Every stored AWS resource. Records only; each lives in one (account, region) and carries its tags. The store
 * persists them as JSON named by {@code @kind}, so a kind's name is part of the on-disk format: never rename one.
 * The kinds are listed by each family, not here, so that this kernel depends on no family: a new record type is
 * registered in its family's list ({@code ec2.Ec2ResourceKinds}, {@code elb.ElbResourceKinds},
 * {@code sts.StsResourceKinds}; see {@link ResourceKind}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@kind")
public interface Resource {

    String id();

    String ownerId();

    String region();

    /** Tags in insertion order. */
    Map<String, String> tags();

    Resource withTags(Map<String, String> tags);

    /** AWS's resource-type name as DescribeTags reports it ({@code vpc}, {@code subnet}, ...). */
    String resourceType();
}
