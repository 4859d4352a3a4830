package dev.underpass.model.ec2;

import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import java.util.ArrayList;
import java.util.List;

/** Network-ACL rules shared with the subnet life cycle. */
public final class NetworkAcls {
    private NetworkAcls() {}

    /** Every new subnet starts associated with its VPC's default network ACL. */
    public static void associateDefault(Tx tx, Subnet subnet) {
        for (NetworkAcl acl : tx.all(NetworkAcl.class, a -> a.vpcId().equals(subnet.vpcId()) && a.isDefault())) {
            List<NetworkAcl.Association> associations = new ArrayList<>(acl.associations());
            associations.add(new NetworkAcl.Association(Ids.next("aclassoc"), subnet.id()));
            tx.put(acl.withAssociations(associations));
        }
    }
}
