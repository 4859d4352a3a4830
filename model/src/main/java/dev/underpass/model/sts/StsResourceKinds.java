package dev.underpass.model.sts;

import dev.underpass.model.ResourceKind;
import java.util.List;

/** The stored records of STS and their on-disk names (see {@link ResourceKind}; never rename one). */
public final class StsResourceKinds {
    private StsResourceKinds() {}

    public static final List<ResourceKind> ALL = List.of(
            new ResourceKind(IssuedCredential.class, "sts-credential"));
}
