package dev.underpass.policy;

import java.util.HashSet;
import java.util.Set;

/**
 * What the validator knows about AWS's global condition keys: which hold one value per request, which several,
 * which hold IP addresses and which hold identifiers AWS generates. Names are stored normalized (lower case), as
 * {@link ConditionKey#lookup()} gives them.
 */
final class KnownConditionKeys {
    /** Global keys that can hold several values in one request (they need ForAllValues/ForAnyValue). */
    static final Set<String> MULTIVALUED_KEYS = lower(Set.of("aws:TagKeys", "aws:PrincipalOrgPaths",
            "aws:ResourceOrgPaths", "aws:CalledVia", "aws:PrincipalServiceNamesList", "aws:VpceOrgPaths",
            "aws:SourceOrgPaths"));

    /** Global keys that hold one value per request. */
    static final Set<String> SINGLE_VALUED_KEYS = lower(Set.of("aws:SourceVpce", "aws:SourceVpc",
            "aws:SourceVpcArn", "aws:VpcSourceIp", "aws:SourceIp", "aws:Ec2InstanceSourceVpc",
            "aws:Ec2InstanceSourcePrivateIPv4", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID",
            "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalType", "aws:ResourceAccount",
            "aws:ResourceOrgID", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:ViaAWSService",
            "aws:CalledViaFirst", "aws:CalledViaLast", "aws:SecureTransport", "aws:RequestedRegion", "aws:userid",
            "aws:username", "aws:TokenIssueTime", "aws:CurrentTime", "aws:EpochTime", "aws:MultiFactorAuthPresent",
            "aws:MultiFactorAuthAge", "aws:UserAgent", "aws:Referer", "aws:VpceAccount", "aws:VpceOrgID",
            "aws:FederatedProvider", "aws:SourceIdentity"));

    /** Keys whose values are IP addresses. */
    static final Set<String> IP_KEYS = lower(Set.of("aws:SourceIp", "aws:VpcSourceIp",
            "aws:Ec2InstanceSourcePrivateIPv4"));

    /** Keys holding identifiers AWS generates; endpoint policies may not use wildcards or numeric operators on them. */
    static final Set<String> GENERATED_ID_KEYS = lower(Set.of("aws:PrincipalAccount", "aws:SourceVpc",
            "aws:SourceVpce", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:SourceAccount",
            "aws:SourceOrgID", "aws:VpceAccount", "aws:VpceOrgID", "aws:userid", "aws:Ec2InstanceSourceVpc"));

    private KnownConditionKeys() {}

    private static Set<String> lower(Set<String> keys) {
        Set<String> out = new HashSet<>();
        for (String k : keys) {
            out.add(ConditionKey.normalize(k));
        }
        return Set.copyOf(out);
    }
}
