package dev.underpass.model.sharing;

import dev.underpass.model.ResourceKind;
import java.util.List;

/** The stored records of AWS RAM and their on-disk names (see {@link ResourceKind}; never rename one). */
public final class SharingResourceKinds {
    private SharingResourceKinds() {}

    public static final List<ResourceKind> ALL = List.of(
            new ResourceKind(ResourceShare.class, "resource-share"),
            new ResourceKind(ShareAssociation.class, "resource-share-association"),
            new ResourceKind(ShareInvitation.class, "resource-share-invitation"),
            new ResourceKind(RamClientToken.class, "resource-share-client-token"));
}
