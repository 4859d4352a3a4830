package dev.underpass.model.elb;

import dev.underpass.model.ResourceKind;
import java.util.List;

/** The stored records of ELBv2 and their on-disk names (see {@link ResourceKind}; never rename one). */
public final class ElbResourceKinds {
    private ElbResourceKinds() {}

    public static final List<ResourceKind> ALL = List.of(
            new ResourceKind(LoadBalancer.class, "load-balancer"),
            new ResourceKind(TargetGroup.class, "target-group"),
            new ResourceKind(Listener.class, "listener"),
            new ResourceKind(Rule.class, "listener-rule"));
}
