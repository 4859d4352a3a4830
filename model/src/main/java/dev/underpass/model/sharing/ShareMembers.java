package dev.underpass.model.sharing;

import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Parses what {@link Sharing#associate} is asked to add to a share: resource ARNs the caller may share and
 * principals the share may take. Kept apart from {@link Sharing} so the share lifecycle reads on its own; these are
 * the per-member checks and the AWS errors each refusal maps to.
 */
final class ShareMembers {
    private ShareMembers() {}

    record ParsedResource(String arn, String type, String id) {}

    record ParsedPrincipal(String entity, String accountId, boolean external) {}

    /** A resource Sharing.ARN the caller may share: well formed, of a shareable type, its own, and not excluded. */
    static ParsedResource requireShareable(World world, Caller caller, String arn) {
        Matcher m = arn == null ? null : Sharing.ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw RamError.MALFORMED_ARN.with("The specified resource Sharing.ARN " + arn + " is not valid.");
        }
        String service = m.group(2);
        String resource = m.group(5);
        String type;
        String id;
        if (service.equals("ec2") && resource.startsWith("subnet/")) {
            type = Sharing.SUBNET;
            id = resource.substring("subnet/".length());
        } else if (service.equals("ec2") && resource.startsWith("prefix-list/")) {
            type = Sharing.PREFIX_LIST;
            id = resource.substring("prefix-list/".length());
        } else {
            throw RamError.INVALID_PARAMETER.with("The resource type of " + arn + " cannot be shared (underpass "
                    + "shares ec2:Subnet and ec2:PrefixList).");
        }
        RuntimeException unknown = RamError.UNKNOWN_RESOURCE.with("The resource " + arn + " could not be found "
                + "in your account.");
        if (!m.group(4).equals(caller.accountId()) || !m.group(3).equals(caller.region())) {
            throw unknown;
        }
        if (type.equals(Sharing.SUBNET)) {
            Subnet subnet = world.find(Subnet.class, id)
                    .filter(s -> s.ownerId().equals(caller.accountId()) && s.region().equals(caller.region()))
                    .orElseThrow(() -> unknown);
            if (world.find(Vpc.class, subnet.vpcId()).map(Vpc::isDefault).orElse(false)) {
                throw RamError.INVALID_PARAMETER.with("The subnet " + id + " belongs to a default VPC; subnets "
                        + "of a default VPC cannot be shared.");
            }
        } else {
            world.find(ManagedPrefixList.class, id)
                    .filter(p -> p.ownerId().equals(caller.accountId()) && p.region().equals(caller.region()))
                    .orElseThrow(() -> unknown);
        }
        return new ParsedResource(arn, type, id);
    }

    /** A principal the share may take: an account, an OU of the owner's organization, or that organization. */
    static ParsedPrincipal principal(World world, ResourceShare share, String principal) {
        String owner = share.ownerId();
        Optional<Organization> org = Organizations.orgOf(world, owner);
        boolean enabled = Sharing.sharingEnabled(world, owner);
        if (principal == null || principal.isEmpty()) {
            throw RamError.INVALID_PARAMETER.with("A principal cannot be empty.");
        }
        if (Sharing.ACCOUNT.matcher(principal).matches()) {
            if (principal.equals(owner)) {
                throw RamError.INVALID_PARAMETER.with("The resource share owner " + owner
                        + " cannot be a principal of its own resource share.");
            }
            boolean inside = enabled && org.isPresent()
                    && Organizations.orgIdOf(world, principal).map(o -> o.equals(org.get().id())).orElse(false);
            return new ParsedPrincipal(principal, principal, !inside);
        }
        Matcher o = Sharing.ORG_ARN.matcher(principal);
        Matcher u = Sharing.OU_ARN.matcher(principal);
        if (o.matches() || u.matches()) {
            String orgId = o.matches() ? o.group(2) : u.group(2);
            if (org.isEmpty() || !org.get().id().equals(orgId)) {
                throw RamError.UNKNOWN_RESOURCE.with("The principal " + principal + " is not in your organization.");
            }
            if (!enabled) {
                throw RamError.OPERATION_NOT_PERMITTED.with("Sharing with AWS Organizations is not enabled; the "
                        + "management account enables it with EnableSharingWithAwsOrganization.");
            }
            if (u.matches() && world.find(OrganizationalUnit.class, u.group(3))
                    .filter(ou -> ou.orgId().equals(orgId)).isEmpty()) {
                throw RamError.UNKNOWN_RESOURCE.with("The organizational unit " + principal + " could not be found.");
            }
            return new ParsedPrincipal(principal, null, false);
        }
        if (principal.startsWith("arn:") && Sharing.ARN.matcher(principal).matches()) {
            throw RamError.INVALID_PARAMETER.with("The principal " + principal + " is not supported: underpass "
                    + "shares with account ids, OUs and organizations.");
        }
        throw RamError.MALFORMED_ARN.with("The specified principal " + principal + " is not a valid account id or "
                + "Sharing.ARN.");
    }
}
