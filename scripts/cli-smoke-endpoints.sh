#!/usr/bin/env bash
# The VPC endpoint scenario of issue 3 as a test: with AWS CLI v2, create an interface endpoint to SQS and a gateway
# endpoint to S3, then check the route, the endpoint interfaces, the DNS entries, the default policy and that a
# malformed policy is refused. Usage: scripts/cli-smoke-endpoints.sh http://127.0.0.1:4566
# (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-endpoints.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
export AWS_ACCESS_KEY_ID=123456789012

aws() { "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" aws "$@"; }

step "a VPC with DNS hostnames (private DNS needs them) and a subnet in each of two AZs"
vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
aws ec2 modify-vpc-attribute --vpc-id "$vpc" --enable-dns-hostnames '{"Value":true}'
subnet_a=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
subnet_b=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
rtb=$(aws ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" Name=association.main,Values=true --query 'RouteTables[0].RouteTableId')
expect_match "$rtb" '^rtb-[0-9a-f]{17}$' "main route table"

step "the AWS service catalogue"
expect "$(aws ec2 describe-vpc-endpoint-services --service-names com.amazonaws.us-east-1.sqs --query 'ServiceDetails[0].[ServiceType[0].ServiceType,Owner,PrivateDnsName]')" \
  "Interface	amazon	sqs.us-east-1.amazonaws.com" "sqs service detail"
expect "$(aws ec2 describe-vpc-endpoint-services --filters Name=service-type,Values=Gateway --query 'join(`,`, ServiceNames)')" \
  "com.amazonaws.us-east-1.dynamodb,com.amazonaws.us-east-1.s3" "gateway services"

step "an interface endpoint to SQS in subnet a, guarded by the default security group"
ifc=$(aws ec2 create-vpc-endpoint --vpc-id "$vpc" --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.sqs \
  --subnet-ids "$subnet_a" --query VpcEndpoint.VpcEndpointId)
expect_match "$ifc" '^vpce-[0-9a-f]{17}$' "VpcEndpointId"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].State')" available "endpoint state"
expect_match "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].DnsEntries[0].DnsName')" \
  "^$ifc-[a-z0-9]{8}\\.sqs\\.us-east-1\\.vpce\\.amazonaws\\.com\$" "regional DNS name"
expect_match "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].DnsEntries[1].DnsName')" \
  "^$ifc-[a-z0-9]{8}-us-east-1a\\.sqs\\.us-east-1\\.vpce\\.amazonaws\\.com\$" "zonal DNS name"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].DnsEntries[0].HostedZoneId')" Z7HUB22UULQXV "hosted zone"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].DnsEntries[2].DnsName')" sqs.us-east-1.amazonaws.com "private DNS name"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].Groups[0].GroupName')" default "security group"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --output json --query 'VpcEndpoints[0].PolicyDocument' | tr -d '\n ')" \
  '"{\n\"Statement\":[\n{\n\"Action\":\"*\",\n\"Effect\":\"Allow\",\n\"Principal\":\"*\",\n\"Resource\":\"*\"\n}\n]\n}"' "default interface policy"
eni=$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'VpcEndpoints[0].NetworkInterfaceIds[0]')
expect "$(aws ec2 describe-network-interfaces --network-interface-ids "$eni" --query 'NetworkInterfaces[0].[InterfaceType,RequesterManaged,SubnetId]')" \
  "vpc_endpoint	True	$subnet_a" "endpoint interface"
expect_match "$(aws ec2 describe-network-interfaces --network-interface-ids "$eni" --query 'NetworkInterfaces[0].PrivateIpAddress')" \
  '^10\.0\.1\.([4-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$' "endpoint address inside subnet a"
expect_error DuplicateSubnetsInSameZone ec2 modify-vpc-endpoint --vpc-endpoint-id "$ifc" --add-subnet-ids \
  "$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.3.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)"
expect "$(aws ec2 modify-vpc-endpoint --vpc-endpoint-id "$ifc" --add-subnet-ids "$subnet_b")" True "add subnet b"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$ifc" --query 'length(VpcEndpoints[0].NetworkInterfaceIds)')" 2 "interfaces after adding subnet b"
expect_error InvalidParameter ec2 create-vpc-endpoint --vpc-id "$vpc" --vpc-endpoint-type Interface \
  --service-name com.amazonaws.us-east-1.sqs --subnet-ids "$subnet_b"

step "a gateway endpoint to S3 on the main route table, with the default policy"
gw=$(aws ec2 create-vpc-endpoint --vpc-id "$vpc" --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$rtb" --query VpcEndpoint.VpcEndpointId)
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$gw" --query 'VpcEndpoints[0].[VpcEndpointType,State]')" "Gateway	available" "gateway endpoint"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$gw" --query 'VpcEndpoints[0].PolicyDocument')" \
  '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}' "default gateway policy"
s3pl=$(aws ec2 describe-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.us-east-1.s3 --query 'PrefixLists[0].PrefixListId')
expect "$s3pl" pl-63a5400a "S3 prefix list"
expect "$(aws ec2 describe-route-tables --route-table-ids "$rtb" --query "RouteTables[0].Routes[?DestinationPrefixListId=='$s3pl'].GatewayId")" "$gw" "prefix-list route to the endpoint"
expect_error RouteAlreadyExists ec2 create-vpc-endpoint --vpc-id "$vpc" --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$rtb"

step "endpoint policies: one bucket only, and malformed ones refused"
policy='{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}'
expect "$(aws ec2 modify-vpc-endpoint --vpc-endpoint-id "$gw" --policy-document "$policy")" True "set policy"
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$gw" --query 'VpcEndpoints[0].PolicyDocument')" "$policy" "stored policy"
expect_error InvalidPolicyDocument ec2 modify-vpc-endpoint --vpc-endpoint-id "$gw" --policy-document '{not json'
expect_error InvalidPolicyDocument ec2 create-vpc-endpoint --vpc-id "$vpc" --service-name com.amazonaws.us-east-1.dynamodb \
  --policy-document '{"Statement":[{"Effect":"Permit","Principal":"*","Action":"*","Resource":"*"}]}'
expect "$(aws ec2 describe-vpc-endpoints --vpc-endpoint-ids "$gw" --query 'VpcEndpoints[0].PolicyDocument')" "$policy" "policy unchanged"

step "a customer-managed prefix list"
pl=$(aws ec2 create-managed-prefix-list --prefix-list-name office --address-family IPv4 --max-entries 5 \
  --entries Cidr=203.0.113.0/24,Description=office --query PrefixList.PrefixListId)
expect "$(aws ec2 describe-managed-prefix-lists --prefix-list-ids "$pl" --query 'PrefixLists[0].[State,Version]')" "create-complete	1" "new list"
aws ec2 modify-managed-prefix-list --prefix-list-id "$pl" --current-version 1 --add-entries Cidr=198.51.100.0/24 >/dev/null
expect "$(aws ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" --query 'length(Entries)')" 2 "entries at version 2"
expect_error PrefixListVersionMismatch ec2 modify-managed-prefix-list --prefix-list-id "$pl" --current-version 1 --add-entries Cidr=192.0.2.0/24
aws ec2 delete-managed-prefix-list --prefix-list-id "$pl" >/dev/null

step "dependencies and clean up"
expect_error DependencyViolation ec2 delete-subnet --subnet-id "$subnet_a"
expect_error DependencyViolation ec2 delete-vpc --vpc-id "$vpc"
expect "$(aws ec2 delete-vpc-endpoints --vpc-endpoint-ids "$ifc" "$gw" vpce-0123456789abcdef0 --query 'Unsuccessful[0].Error.Code')" \
  InvalidVpcEndpointId.NotFound "unknown endpoint reported as unsuccessful"
expect "$(aws ec2 describe-route-tables --route-table-ids "$rtb" --query "length(RouteTables[0].Routes[?DestinationPrefixListId=='$s3pl'])")" 0 "route gone"
for s in $(aws ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'Subnets[].SubnetId'); do
  aws ec2 delete-subnet --subnet-id "$s"
done
aws ec2 delete-vpc --vpc-id "$vpc"
echo "cli smoke (endpoints): all checks passed"
