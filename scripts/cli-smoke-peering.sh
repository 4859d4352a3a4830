#!/usr/bin/env bash
# Issue 12 scenario (b) with AWS CLI v2: a cross-account, cross-region VPC peering. Account A in us-east-1 asks to
# peer with account B's VPC in eu-west-1; B sees the request in its region (nobody else does), accepts it there;
# both add routes to the other's block through the pcx- and let the other side resolve their DNS hostnames; A
# deletes it and the routes turn into blackholes. Usage: scripts/cli-smoke-peering.sh ENDPOINT
# (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-peering.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
A=210000000001 B=210000000002 STRANGER=210000000003
EAST=us-east-1 WEST=eu-west-1

as() { local account=$1 region=$2; shift 2; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region "$region" --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" as "$@"; } # expect_error CODE ACCOUNT REGION command...

step "account A in $EAST and account B in $WEST: one VPC each, DNS hostnames on, a private subnet with its own route table"
avpc=$(as $A $EAST ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
bvpc=$(as $B $WEST ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
as $A $EAST ec2 modify-vpc-attribute --vpc-id "$avpc" --enable-dns-hostnames '{"Value":true}'
as $B $WEST ec2 modify-vpc-attribute --vpc-id "$bvpc" --enable-dns-hostnames '{"Value":true}'
asub=$(as $A $EAST ec2 create-subnet --vpc-id "$avpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
bsub=$(as $B $WEST ec2 create-subnet --vpc-id "$bvpc" --cidr-block 10.1.1.0/24 --availability-zone eu-west-1a --query Subnet.SubnetId)
artb=$(as $A $EAST ec2 create-route-table --vpc-id "$avpc" --query RouteTable.RouteTableId)
brtb=$(as $B $WEST ec2 create-route-table --vpc-id "$bvpc" --query RouteTable.RouteTableId)
as $A $EAST ec2 associate-route-table --route-table-id "$artb" --subnet-id "$asub" >/dev/null
as $B $WEST ec2 associate-route-table --route-table-id "$brtb" --subnet-id "$bsub" >/dev/null

step "A requests the peering (tagged on A's side)"
pcx=$(as $A $EAST ec2 create-vpc-peering-connection --vpc-id "$avpc" --peer-vpc-id "$bvpc" --peer-owner-id $B --peer-region $WEST \
  --tag-specifications 'ResourceType=vpc-peering-connection,Tags=[{Key=Name,Value=a-to-b}]' --query VpcPeeringConnection.VpcPeeringConnectionId)
expect_match "$pcx" '^pcx-[0-9a-f]{17}$' "VpcPeeringConnectionId"
expect "$(as $A $EAST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].[Status.Code,Status.Message]')" \
  "pending-acceptance	Pending Acceptance by $B" "status seen by A"
expect "$(as $B $WEST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].[RequesterVpcInfo.OwnerId,RequesterVpcInfo.Region,RequesterVpcInfo.CidrBlock,AccepterVpcInfo.Region]')" \
  "$A	$EAST	10.0.0.0/16	$WEST" "request seen by B"
expect "$(as $A $EAST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].Tags[0].Value')" a-to-b "A's tag"
expect "$(as $B $WEST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'length(VpcPeeringConnections[0].Tags)')" 0 "tags on B's side"

step "nobody else sees it; only B, in $WEST, accepts it"
expect "$(as $STRANGER $EAST ec2 describe-vpc-peering-connections --query 'length(VpcPeeringConnections)')" 0 "connections a stranger sees"
expect_error InvalidVpcPeeringConnectionID.NotFound $STRANGER $WEST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx"
expect_error InvalidVpcPeeringConnectionID.NotFound $B $EAST ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$pcx"
expect_error OperationNotPermitted $A $EAST ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$pcx"
expect_error InvalidParameterValue $A $EAST ec2 create-route --route-table-id "$artb" --destination-cidr-block 10.1.0.0/16 --vpc-peering-connection-id "$pcx"
expect "$(as $B $WEST ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$pcx" --query VpcPeeringConnection.Status.Code)" provisioning "accept answer"
expect "$(as $A $EAST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].[Status.Code,AccepterVpcInfo.CidrBlock]')" \
  "active	10.1.0.0/16" "active, with B's block"

step "routes both ways through the peering"
expect "$(as $A $EAST ec2 create-route --route-table-id "$artb" --destination-cidr-block 10.1.0.0/16 --vpc-peering-connection-id "$pcx" --query Return)" True "A's route"
expect "$(as $B $WEST ec2 create-route --route-table-id "$brtb" --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id "$pcx" --query Return)" True "B's route"
expect "$(as $A $EAST ec2 describe-route-tables --route-table-ids "$artb" --query "RouteTables[0].Routes[?DestinationCidrBlock=='10.1.0.0/16'] | [0].[VpcPeeringConnectionId,State]")" \
  "$pcx	active" "A's route to B"
expect "$(as $B $WEST ec2 describe-route-tables --filters Name=route.vpc-peering-connection-id,Values="$pcx" --query 'RouteTables[0].RouteTableId')" "$brtb" "B's table by its peering route"

step "DNS resolution: each side turns on its own option, in its own region"
expect_error OperationNotPermitted $A $EAST ec2 modify-vpc-peering-connection-options --vpc-peering-connection-id "$pcx" --accepter-peering-connection-options AllowDnsResolutionFromRemoteVpc=true
expect "$(as $A $EAST ec2 modify-vpc-peering-connection-options --vpc-peering-connection-id "$pcx" --requester-peering-connection-options AllowDnsResolutionFromRemoteVpc=true --query RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc)" True "A's option"
expect "$(as $B $WEST ec2 modify-vpc-peering-connection-options --vpc-peering-connection-id "$pcx" --accepter-peering-connection-options AllowDnsResolutionFromRemoteVpc=true --query AccepterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc)" True "B's option"
expect "$(as $B $WEST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].[RequesterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc,AccepterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc]')" \
  "True	True" "both options"

step "A deletes the peering: it shows deleted to both, and both routes become blackholes"
expect "$(as $A $EAST ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$pcx" --query Return)" True "deleted"
expect "$(as $B $WEST ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$pcx" --query 'VpcPeeringConnections[0].[Status.Code,Status.Message]')" \
  "deleted	Deleted by $A" "status seen by B"
expect "$(as $A $EAST ec2 describe-route-tables --route-table-ids "$artb" --query "RouteTables[0].Routes[?DestinationCidrBlock=='10.1.0.0/16'] | [0].State")" blackhole "A's route"
expect "$(as $B $WEST ec2 describe-route-tables --route-table-ids "$brtb" --query "RouteTables[0].Routes[?DestinationCidrBlock=='10.0.0.0/16'] | [0].State")" blackhole "B's route"
expect_error InvalidStateTransition $A $EAST ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$pcx"

echo "peering scenario: all checks passed"
