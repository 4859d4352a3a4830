#!/usr/bin/env bash
# What a typical "VPC module" does, as a test: a dual-stack VPC with dual-stack public and private subnets in three
# AZs, an internet gateway, one NAT gateway per AZ with its Elastic IP, an egress-only internet gateway, a DHCP
# options set, route tables and their associations, flow logs to S3 (configuration only: no records are written
# yet); then a full teardown in which every delete succeeds.
# Usage: scripts/cli-smoke-vpc-module.sh http://127.0.0.1:4566   (AWS_CLI may name the aws binary)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-vpc-module.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
export AWS_ACCESS_KEY_ID=123456789013

aws() { "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" aws "$@"; }
zones=(us-east-1a us-east-1b us-east-1c)

step "a dual-stack VPC with a DHCP options set"
vpc=$(aws ec2 create-vpc --cidr-block 10.20.0.0/16 --amazon-provided-ipv6-cidr-block --query Vpc.VpcId)
v6=$(aws ec2 describe-vpcs --vpc-ids "$vpc" --query 'Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock')
expect_match "$v6" '::/56$' "the VPC's IPv6 block"
# The /64 number N (0-255) of the VPC's /56, as a module's cidrsubnet() would compute it.
subnet6() {
  local n; n=$(printf '%02x' "$1")
  if [[ "$v6" =~ ^([0-9a-f]+:[0-9a-f]+:[0-9a-f]+):([0-9a-f]{1,2})00::/56$ ]]; then
    echo "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}$n::/64"
  elif [[ "$v6" =~ ^([0-9a-f]+:[0-9a-f]+:[0-9a-f]+)::/56$ ]]; then
    echo "${BASH_REMATCH[1]}:${n#0}::/64"
  else
    echo "unexpected IPv6 block $v6" >&2; exit 1
  fi
}
default_dopt=$(aws ec2 describe-vpcs --vpc-ids "$vpc" --query 'Vpcs[0].DhcpOptionsId')
expect "$(aws ec2 describe-dhcp-options --dhcp-options-ids "$default_dopt" --query 'DhcpOptions[0].DhcpConfigurations[?Key==`domain-name`].Values[0].Value')" ec2.internal "default domain name"
dopt=$(aws ec2 create-dhcp-options --dhcp-configurations Key=domain-name,Values=corp.example \
  Key=domain-name-servers,Values=AmazonProvidedDNS --query DhcpOptions.DhcpOptionsId)
expect_match "$dopt" '^dopt-[0-9a-f]{17}$' "DhcpOptionsId"
aws ec2 associate-dhcp-options --dhcp-options-id "$dopt" --vpc-id "$vpc"
expect "$(aws ec2 describe-vpcs --vpc-ids "$vpc" --query 'Vpcs[0].DhcpOptionsId')" "$dopt" "the VPC's options set"
expect_error DependencyViolation ec2 delete-dhcp-options --dhcp-options-id "$dopt"

step "gateways: internet and egress-only"
igw=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
aws ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
eigw=$(aws ec2 create-egress-only-internet-gateway --vpc-id "$vpc" --query EgressOnlyInternetGateway.EgressOnlyInternetGatewayId)
expect_match "$eigw" '^eigw-[0-9a-f]{17}$' "EgressOnlyInternetGatewayId"
expect "$(aws ec2 describe-egress-only-internet-gateways --egress-only-internet-gateway-ids "$eigw" --query 'EgressOnlyInternetGateways[0].Attachments[0].[State,VpcId]')" "attached	$vpc" "egress-only gateway attachment"

step "public subnets behind the internet gateway"
public_rtb=$(aws ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
aws ec2 create-route --route-table-id "$public_rtb" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
aws ec2 create-route --route-table-id "$public_rtb" --destination-ipv6-cidr-block ::/0 --gateway-id "$igw" >/dev/null
public=(); private=(); eips=(); nats=(); private_rtbs=()
for i in 0 1 2; do
  s=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block "10.20.$i.0/24" --ipv6-cidr-block "$(subnet6 "$i")" \
    --availability-zone "${zones[$i]}" --query Subnet.SubnetId)
  aws ec2 modify-subnet-attribute --subnet-id "$s" --map-public-ip-on-launch
  aws ec2 modify-subnet-attribute --subnet-id "$s" --assign-ipv6-address-on-creation
  aws ec2 associate-route-table --route-table-id "$public_rtb" --subnet-id "$s" >/dev/null
  public+=("$s")
done
expect "$(aws ec2 describe-route-tables --route-table-ids "$public_rtb" --query 'length(RouteTables[0].Associations)')" 3 "public associations"
expect "$(aws ec2 describe-subnets --subnet-ids "${public[1]}" --query 'Subnets[0].[Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock,AssignIpv6AddressOnCreation]')" \
  "$(subnet6 1)	True" "a public subnet's IPv6 block"

step "one NAT gateway per AZ, each with its Elastic IP; private subnets route through them"
for i in 0 1 2; do
  eip=$(aws ec2 allocate-address --domain vpc --tag-specifications "ResourceType=elastic-ip,Tags=[{Key=Name,Value=nat-$i}]" --query AllocationId)
  expect_match "$eip" '^eipalloc-[0-9a-f]{17}$' "AllocationId"
  nat=$(aws ec2 create-nat-gateway --subnet-id "${public[$i]}" --allocation-id "$eip" --query NatGateway.NatGatewayId)
  expect "$(aws ec2 describe-nat-gateways --nat-gateway-ids "$nat" --query 'NatGateways[0].NatGatewayAddresses[0].PublicIp')" \
    "$(aws ec2 describe-addresses --allocation-ids "$eip" --query 'Addresses[0].PublicIp')" "NAT gateway $i's public address"
  s=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block "10.20.1$i.0/24" --ipv6-cidr-block "$(subnet6 $((16 + i)))" \
    --availability-zone "${zones[$i]}" --query Subnet.SubnetId)
  rtb=$(aws ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
  aws ec2 create-route --route-table-id "$rtb" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
  aws ec2 create-route --route-table-id "$rtb" --destination-ipv6-cidr-block ::/0 --egress-only-internet-gateway-id "$eigw" >/dev/null
  aws ec2 associate-route-table --route-table-id "$rtb" --subnet-id "$s" >/dev/null
  eips+=("$eip"); nats+=("$nat"); private+=("$s"); private_rtbs+=("$rtb")
done
expect "$(aws ec2 describe-addresses --filters Name=tag:Name,Values='nat-*' --query 'length(Addresses[?AssociationId!=`null`])')" 3 "Elastic IPs held by NAT gateways"
expect "$(aws ec2 describe-route-tables --route-table-ids "${private_rtbs[0]}" --query 'RouteTables[0].Routes[?DestinationIpv6CidrBlock==`::/0`].[EgressOnlyInternetGatewayId,State]')" "$eigw	active" "IPv6 default route of a private table"
expect_error AuthFailure ec2 release-address --allocation-id "${eips[0]}"
expect_error Resource.AlreadyAssociated ec2 create-nat-gateway --subnet-id "${public[1]}" --allocation-id "${eips[0]}"
expect_error DependencyViolation ec2 delete-vpc --vpc-id "$vpc"

step "flow logs to S3: the whole VPC in AWS's default format, rejected traffic of each private subnet in a custom one"
bucket=arn:aws:s3:::vpc-module-flow-logs/us-east-1
expect_error InvalidParameter ec2 create-flow-logs --resource-type VPC --resource-ids "$vpc" --traffic-type ALL \
  --log-destination-type s3 --log-destination "$bucket" --log-format '${version} ${no-such-field}'
expect_error InvalidParameter ec2 create-flow-logs --resource-type VPC --resource-ids "$vpc" --traffic-type ALL \
  --log-destination-type s3 --log-destination arn:aws:s3:::
vpc_fl=$(aws ec2 create-flow-logs --resource-type VPC --resource-ids "$vpc" --traffic-type ALL \
  --log-destination-type s3 --log-destination "$bucket" --max-aggregation-interval 60 \
  --tag-specifications 'ResourceType=vpc-flow-log,Tags=[{Key=Name,Value=vpc-all}]' --query 'FlowLogIds[0]')
expect_match "$vpc_fl" '^fl-[0-9a-f]{17}$' "FlowLogId"
expect "$(aws ec2 describe-flow-logs --flow-log-ids "$vpc_fl" --query 'FlowLogs[0].[ResourceId,TrafficType,LogDestinationType,LogDestination,MaxAggregationInterval,FlowLogStatus]')" \
  "$vpc	ALL	s3	$bucket	60	ACTIVE" "the VPC's flow log"
subnet_fls=$(aws ec2 create-flow-logs --resource-type Subnet --resource-ids "${private[@]}" --traffic-type REJECT \
  --log-destination-type s3 --log-destination "$bucket" --log-format '${version} ${vpc-id} ${subnet-id} ${srcaddr} ${dstaddr} ${dstport} ${action}' \
  --destination-options FileFormat=parquet,HiveCompatiblePartitions=true,PerHourPartition=true --query 'FlowLogIds')
expect "$(wc -w <<<"$subnet_fls" | tr -d ' ')" 3 "subnet flow logs"
expect "$(aws ec2 describe-flow-logs --filter Name=resource-id,Values="${private[0]}" --query 'FlowLogs[0].[TrafficType,DestinationOptions.FileFormat,LogFormat]')" \
  'REJECT	parquet	${version} ${vpc-id} ${subnet-id} ${srcaddr} ${dstaddr} ${dstport} ${action}' "a private subnet's flow log"
expect "$(aws ec2 describe-flow-logs --filter Name=log-destination-type,Values=s3 --query 'length(FlowLogs)')" 4 "flow logs to S3"

step "teardown: every delete succeeds"
expect "$(aws ec2 delete-flow-logs --flow-log-ids "$vpc_fl" $subnet_fls --query 'length(Unsuccessful)')" 0 "delete-flow-logs"
for nat in "${nats[@]}"; do aws ec2 delete-nat-gateway --nat-gateway-id "$nat" >/dev/null; done
for eip in "${eips[@]}"; do aws ec2 release-address --allocation-id "$eip"; done
for rtb in "${private_rtbs[@]}" "$public_rtb"; do
  for assoc in $(aws ec2 describe-route-tables --route-table-ids "$rtb" --query 'RouteTables[0].Associations[].RouteTableAssociationId'); do
    aws ec2 disassociate-route-table --association-id "$assoc"
  done
  aws ec2 delete-route-table --route-table-id "$rtb"
done
expect "$(aws ec2 delete-egress-only-internet-gateway --egress-only-internet-gateway-id "$eigw" --query ReturnCode)" True "delete-egress-only-internet-gateway"
aws ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
aws ec2 delete-internet-gateway --internet-gateway-id "$igw"
for s in "${public[@]}" "${private[@]}"; do aws ec2 delete-subnet --subnet-id "$s"; done
aws ec2 associate-dhcp-options --dhcp-options-id default --vpc-id "$vpc"
aws ec2 delete-dhcp-options --dhcp-options-id "$dopt"
aws ec2 delete-vpc --vpc-id "$vpc"
expect "$(aws ec2 describe-addresses --query 'length(Addresses)')" 0 "Elastic IPs left"
expect "$(aws ec2 describe-flow-logs --query 'length(FlowLogs)')" 0 "flow logs left"
expect_error InvalidVpcID.NotFound ec2 describe-vpcs --vpc-ids "$vpc"
echo "cli smoke (VPC module): all checks passed"
