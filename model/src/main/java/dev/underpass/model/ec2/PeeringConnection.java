package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A VPC peering connection ({@code pcx-…}): a one-to-one link between a requester VPC and an accepter VPC, which may
 * belong to another account and lie in another region. Both sides are typed values (account, region, VPC, its
 * blocks, its options), so that the reachability analyzer can follow a route to a {@code pcx-} into the far VPC
 * without knowing anything of the wire.
 *
 * <p>The connection is stored once, under the requester's account and region ({@link #ownerId()}, {@link #region()});
 * {@link PeeringConnections} decides which side a caller is and what it may see and do. {@code status} holds the last
 * status a call set ({@code pending-acceptance}, {@code active}, {@code rejected}, {@code failed}, {@code deleted});
 * {@code expired} is derived when read, seven days after creation, like the other time-driven states.
 *
 * <p>AWS applies tags only on the side that creates them, so each side has its own: {@link #tags()} are the
 * requester's, {@link #accepterTags()} the accepter's.
 *
 * @param changedBy the account that rejected or deleted the connection (who sees it for how long depends on it)
 * @param statusChangedAt when {@code status} was last set
 */
public record PeeringConnection(
        String id,
        String ownerId,
        String region,
        Side requester,
        Side accepter,
        Status status,
        String changedBy,
        Instant createdAt,
        Instant statusChangedAt,
        Map<String, String> tags,
        Map<String, String> accepterTags)
        implements Resource {

    /**
     * A connection's status, by AWS's names. {@link #INITIATING_REQUEST} and {@link #PROVISIONING} are only ever
     * answered (by the create and accept calls, which return before the status settles), never stored;
     * {@link #EXPIRED} is derived when read.
     */
    public enum Status implements AwsNamed {
        INITIATING_REQUEST,
        PENDING_ACCEPTANCE,
        PROVISIONING,
        ACTIVE,
        REJECTED,
        FAILED,
        EXPIRED,
        DELETED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /**
     * One end of the connection: the VPC, where it is and whose it is, its IPv4 blocks (primary first) and IPv6 blocks
     * as of the last change of the connection, and whether this side lets the remote VPC resolve its DNS hostnames to
     * private addresses. The blocks are empty while the side is unknown (a request to a VPC that does not exist).
     */
    public record Side(String accountId, String region, VpcId vpcId, List<String> cidrBlocks,
            List<String> ipv6CidrBlocks, boolean allowDnsResolutionFromRemoteVpc) {
        public Side {
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(vpcId, "vpcId");
            cidrBlocks = cidrBlocks == null ? List.of() : List.copyOf(cidrBlocks);
            ipv6CidrBlocks = ipv6CidrBlocks == null ? List.of() : List.copyOf(ipv6CidrBlocks);
        }

        /** The side of an existing VPC, with its current associated blocks. */
        static Side of(Vpc vpc) {
            return new Side(vpc.ownerId(), vpc.region(), vpc.vpcId(), vpc.activeCidrs(), vpc.activeIpv6Cidrs(), false);
        }

        /** The primary IPv4 block, or null when the side is unknown. */
        public String cidrBlock() {
            return cidrBlocks.isEmpty() ? null : cidrBlocks.get(0);
        }

        public Side withBlocks(Vpc vpc) {
            return new Side(accountId, region, vpcId, vpc.activeCidrs(), vpc.activeIpv6Cidrs(),
                    allowDnsResolutionFromRemoteVpc);
        }

        public Side withDnsResolution(boolean allow) {
            return new Side(accountId, region, vpcId, cidrBlocks, ipv6CidrBlocks, allow);
        }

        /** Whether a caller acting as {@code account} in {@code callerRegion} is this side. */
        public boolean is(String account, String callerRegion) {
            return accountId.equals(account) && region.equals(callerRegion);
        }
    }

    public PeeringConnection {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(accepter, "accepter");
        Objects.requireNonNull(status, "status");
        tags = Tags.copy(tags);
        accepterTags = Tags.copy(accepterTags == null ? Map.of() : accepterTags);
    }

    /** This connection's id, typed as routes through it refer to it. */
    public PeeringConnectionId peeringConnectionId() {
        return new PeeringConnectionId(id);
    }

    /** Whether both VPCs belong to one account (AWS shortens some visibility periods then). */
    public boolean sameAccount() {
        return requester.accountId().equals(accepter.accountId());
    }

    /** Whether {@code vpcId} is one of the two VPCs. */
    public boolean joins(VpcId vpcId) {
        return requester.vpcId().equals(vpcId) || accepter.vpcId().equals(vpcId);
    }

    /** The side whose VPC is {@code vpcId}, or null. */
    public Side sideOf(VpcId vpcId) {
        return requester.vpcId().equals(vpcId) ? requester : accepter.vpcId().equals(vpcId) ? accepter : null;
    }

    /** The other side than the one whose VPC is {@code vpcId}, or null when neither is. */
    public Side peerOf(VpcId vpcId) {
        return requester.vpcId().equals(vpcId) ? accepter : accepter.vpcId().equals(vpcId) ? requester : null;
    }

    public PeeringConnection withStatus(Status newStatus, String by, Instant at) {
        return new PeeringConnection(id, ownerId, region, requester, accepter, newStatus, by, createdAt, at, tags,
                accepterTags);
    }

    public PeeringConnection withSides(Side newRequester, Side newAccepter) {
        return new PeeringConnection(id, ownerId, region, newRequester, newAccepter, status, changedBy, createdAt,
                statusChangedAt, tags, accepterTags);
    }

    @Override
    public PeeringConnection withTags(Map<String, String> newTags) {
        return new PeeringConnection(id, ownerId, region, requester, accepter, status, changedBy, createdAt,
                statusChangedAt, newTags, accepterTags);
    }

    public PeeringConnection withAccepterTags(Map<String, String> newTags) {
        return new PeeringConnection(id, ownerId, region, requester, accepter, status, changedBy, createdAt,
                statusChangedAt, tags, newTags);
    }

    @Override
    public String resourceType() {
        return "vpc-peering-connection";
    }
}
