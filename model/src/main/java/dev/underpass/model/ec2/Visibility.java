package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.World;

/**
 * Who may see a resource. Today: its owner, in its region. VPC sharing will add one rule here and nowhere else: a
 * participant sees a subnet shared with it and that subnet's VPC (and creates its own interfaces, instances and
 * groups in it), which is why every lookup and describe goes through this class rather than comparing owners.
 */
public final class Visibility {
    private Visibility() {}

    public static boolean owns(Caller caller, Resource r) {
        return r.ownerId().equals(caller.accountId()) && r.region().equals(caller.region());
    }

    public static boolean visible(World world, Caller caller, Resource r) {
        return owns(caller, r);
    }
}
