#!/usr/bin/env bash
# Issue 11's shared-VPC story with the AWS CLI: the management account creates an
# organization, invites two accounts that accept, puts A in an OU, enables RAM sharing and shares two subnets with
# the OU. A launches an instance with its own group in a shared subnet, is refused the owner's default group and
# CreateVpcEndpoint; B (not in the OU) cannot see A's instance; the owner sees A's interface but cannot terminate
# A's instance; unsharing blocks new launches but keeps the instance; the owner's subnet delete is refused until A
# terminates; an SCP denying CreateVpcEndpoint unless the service is on an approved list refuses A in A's own VPC,
# and the decoded message names the SCP statement (scripts/cli-smoke-scp.sh has the SCP story in full).
# Usage: scripts/cli-smoke-sharing.sh ENDPOINT (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-sharing.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
OWNER=410000000001 A=410000000002 B=410000000003
AMI=ami-0123456789abcdef0

as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" as "$@"; } # expect_error CODE ACCOUNT command...

step "the owner creates an organization; A and B accept its invitations; A moves to the OU 'workloads'"
org=$(as $OWNER organizations create-organization --feature-set ALL --query Organization.Id)
expect_match "$org" '^o-[a-z0-9]{10}$' "organization id"
root=$(as $OWNER organizations list-roots --query 'Roots[0].Id')
ou=$(as $OWNER organizations create-organizational-unit --parent-id "$root" --name workloads --query OrganizationalUnit.Id)
ou_arn=$(as $OWNER organizations describe-organizational-unit --organizational-unit-id "$ou" --query OrganizationalUnit.Arn)
for member in $A $B; do
  h=$(as $OWNER organizations invite-account-to-organization --target Id=$member,Type=ACCOUNT --query Handshake.Id)
  expect "$(as $member organizations accept-handshake --handshake-id "$h" --query Handshake.State)" ACCEPTED "$member accepts"
done
as $OWNER organizations move-account --account-id $A --source-parent-id "$root" --destination-parent-id "$ou"

step "the owner's VPC with two subnets; RAM sharing enabled; the subnets shared with the OU"
vpc=$(as $OWNER ec2 create-vpc --cidr-block 10.50.0.0/16 --query Vpc.VpcId)
s1=$(as $OWNER ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.50.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
s2=$(as $OWNER ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.50.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
as $OWNER ec2 create-tags --resources "$s1" --tags Key=Name,Value=app-a
expect_error OperationNotPermittedException $A ram enable-sharing-with-aws-organization
expect "$(as $OWNER ram enable-sharing-with-aws-organization --query returnValue)" True "sharing enabled"
share=$(as $OWNER ram create-resource-share --name app-subnets --principals "$ou_arn" \
  --resource-arns "arn:aws:ec2:us-east-1:$OWNER:subnet/$s1" "arn:aws:ec2:us-east-1:$OWNER:subnet/$s2" \
  --query resourceShare.resourceShareArn)
expect_match "$share" "^arn:aws:ram:us-east-1:$OWNER:resource-share/[0-9a-f-]{36}\$" "share ARN"
expect "$(as $OWNER ram get-resource-share-associations --association-type PRINCIPAL --resource-share-arns "$share" --query 'resourceShareAssociations[0].[associatedEntity,status]')" \
  "$ou_arn	ASSOCIATED" "the OU's association"
expect_error OperationNotPermittedException $OWNER ram create-resource-share --name outside --principals 999999999999 \
  --resource-arns "arn:aws:ec2:us-east-1:$OWNER:subnet/$s1"

step "A sees the shared subnets (owner's tags hidden) and its share; B sees neither"
expect "$(as $A ram list-resources --resource-owner OTHER-ACCOUNTS --query 'length(resources)')" 2 "resources shared with A"
expect "$(as $A ec2 describe-subnets --subnet-ids "$s1" --query 'Subnets[0].[OwnerId,length(Tags || `[]`)]')" "$OWNER	0" "subnet seen by A"
expect "$(as $B ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'length(Subnets)')" 0 "subnets B sees"

step "A launches with its own group; the owner's default group and an endpoint in the shared VPC are refused"
sg=$(as $A ec2 create-security-group --group-name app --description "app of account A" --vpc-id "$vpc" --query GroupId)
default_sg=$(as $OWNER ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" Name=group-name,Values=default --query 'SecurityGroups[0].GroupId')
i=$(as $A ec2 run-instances --image-id $AMI --instance-type t3.micro --subnet-id "$s1" --security-group-ids "$sg" --query 'Instances[0].InstanceId')
expect_match "$i" '^i-[0-9a-f]{17}$' "A's instance"
expect_error InvalidGroup.NotFound $A ec2 run-instances --image-id $AMI --instance-type t3.micro --subnet-id "$s1" --security-group-ids "$default_sg"
expect_error UnauthorizedOperation $A ec2 create-vpc-endpoint --vpc-id "$vpc" --service-name com.amazonaws.us-east-1.s3

step "B cannot see A's instance; the owner sees A's interface but cannot terminate A's instance"
expect_error InvalidInstanceID.NotFound $B ec2 describe-instances --instance-ids "$i"
eni=$(as $A ec2 describe-instances --instance-ids "$i" --query 'Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId')
expect "$(as $OWNER ec2 describe-network-interfaces --network-interface-ids "$eni" --query 'NetworkInterfaces[0].[OwnerId,SubnetId]')" "$A	$s1" "A's interface seen by the owner"
expect_error InvalidInstanceID.NotFound $OWNER ec2 terminate-instances --instance-ids "$i"

step "unsharing the subnet blocks new launches and keeps the instance"
as $OWNER ram disassociate-resource-share --resource-share-arn "$share" --resource-arns "arn:aws:ec2:us-east-1:$OWNER:subnet/$s1" >/dev/null
expect_error InvalidSubnetID.NotFound $A ec2 run-instances --image-id $AMI --instance-type t3.micro --subnet-id "$s1" --security-group-ids "$sg"
expect_match "$(as $A ec2 describe-instances --instance-ids "$i" --query 'Reservations[0].Instances[0].State.Name')" '^(pending|running)$' "A's instance after unsharing"

step "the owner's subnet delete is refused until A terminates"
expect_error DependencyViolation $OWNER ec2 delete-subnet --subnet-id "$s1"
as $A ec2 terminate-instances --instance-ids "$i" >/dev/null
as $OWNER ec2 delete-subnet --subnet-id "$s1"
expect_error InvalidSubnetID.NotFound $OWNER ec2 describe-subnets --subnet-ids "$s1"

step "an SCP on the OU refuses A an endpoint to an unapproved service in A's own VPC; the message names the statement"
as $OWNER organizations enable-policy-type --root-id "$root" --policy-type SERVICE_CONTROL_POLICY >/dev/null
scp=$(as $OWNER organizations create-policy --name approved-endpoints --description "approved endpoint services" \
  --type SERVICE_CONTROL_POLICY --query Policy.PolicySummary.Id --content '{"Version":"2012-10-17","Statement":[
  {"Sid":"OnlyApprovedEndpointServices","Effect":"Deny","Action":"ec2:CreateVpcEndpoint","Resource":"*",
   "Condition":{"StringNotEquals":{"ec2:VpceServiceName":["com.amazonaws.us-east-1.s3"]}}}]}')
as $OWNER organizations attach-policy --policy-id "$scp" --target-id "$ou"
own_vpc=$(as $A ec2 create-vpc --cidr-block 10.70.0.0/16 --query Vpc.VpcId)
own_subnet=$(as $A ec2 create-subnet --vpc-id "$own_vpc" --cidr-block 10.70.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
if out=$(as $A ec2 create-vpc-endpoint --vpc-id "$own_vpc" --vpc-endpoint-type Interface --no-private-dns-enabled \
    --service-name com.amazonaws.us-east-1.sqs --subnet-ids "$own_subnet" 2>&1); then
  printf 'FAIL A created an SQS endpoint under the SCP: %s\n' "$out" >&2; exit 1
fi
expect "$(grep -o '(UnauthorizedOperation)' <<<"$out")" "(UnauthorizedOperation)" "A's endpoint refused"
decoded=$(as $A sts decode-authorization-message --encoded-message "${out##*Encoded authorization failure message: }" --query DecodedMessage)
expect "$(grep -o '"statementId":"[A-Za-z]*","effect":"DENY","policyType":"SERVICE_CONTROL_POLICY","policyId":"p-[0-9a-z]*"' <<<"$decoded")" \
  "\"statementId\":\"OnlyApprovedEndpointServices\",\"effect\":\"DENY\",\"policyType\":\"SERVICE_CONTROL_POLICY\",\"policyId\":\"$scp\"" "decoded statement"
rtb=$(as $A ec2 describe-route-tables --filters Name=vpc-id,Values="$own_vpc" --query 'RouteTables[0].RouteTableId')
expect_match "$(as $A ec2 create-vpc-endpoint --vpc-id "$own_vpc" --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$rtb" --query VpcEndpoint.VpcEndpointId)" \
  '^vpce-[0-9a-f]{17}$' "A's approved S3 endpoint"

echo "all checks passed"
