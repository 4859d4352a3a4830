#!/usr/bin/env bash
# Service control policies on the request path (issue 11), with AWS CLI v2: a management account creates an
# organization and invites a member, which accepts; an SCP denying ec2:CreateVpcEndpoint unless the service is on an
# approved list is attached to the member; the member is refused an SQS endpoint in its own VPC
# (UnauthorizedOperation), `aws sts decode-authorization-message` names the blocking statement, an approved service
# passes, the management account is not restricted, and detaching the SCP lifts the refusal.
# Usage: scripts/cli-smoke-scp.sh http://127.0.0.1:4566   (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-scp.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
management=210987654321
member=210987654322

as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
mgmt() { as "$management" "$@"; }
contains() { # contains TEXT FIXED-STRING WHAT: TEXT holds the string; prints only the string
  if [[ "$1" != *"$2"* ]]; then printf 'FAIL %s: [%s] not in [%s]\n' "$3" "$2" "$1" >&2; exit 1; fi
  printf '   ok %s: %s\n' "$3" "$2"
}
memb() { as "$member" "$@"; }

step "the management account creates the organization and invites the member, which accepts"
org=$(mgmt organizations create-organization --feature-set ALL --query Organization.Id)
expect_match "$org" '^o-[a-z0-9]{10}$' "organization id"
root=$(mgmt organizations list-roots --query 'Roots[0].Id')
expect_match "$root" '^r-[a-z0-9]{4}$' "root id"
handshake=$(mgmt organizations invite-account-to-organization --target "Id=$member,Type=ACCOUNT" --query Handshake.Id)
expect "$(memb organizations accept-handshake --handshake-id "$handshake" --query Handshake.State)" ACCEPTED "handshake"
expect "$(mgmt organizations list-accounts --query 'length(Accounts)')" 2 "accounts in the organization"

step "SCPs enabled on the root (FullAWSAccess everywhere), and the approved-endpoints SCP attached to the member"
mgmt organizations enable-policy-type --root-id "$root" --policy-type SERVICE_CONTROL_POLICY >/dev/null
scp=$(mgmt organizations create-policy --name approved-endpoints --description "only approved endpoint services" \
  --type SERVICE_CONTROL_POLICY --query Policy.PolicySummary.Id --content '{"Version":"2012-10-17","Statement":[
  {"Sid":"OnlyApprovedEndpointServices","Effect":"Deny","Action":"ec2:CreateVpcEndpoint","Resource":"*",
   "Condition":{"StringNotEquals":{"ec2:VpceServiceName":["com.amazonaws.us-east-1.s3","com.amazonaws.us-east-1.dynamodb"]}}}]}')
expect_match "$scp" '^p-[0-9a-z]{8}$' "policy id"
mgmt organizations attach-policy --policy-id "$scp" --target-id "$member"
expect "$(mgmt organizations list-policies-for-target --target-id "$member" --filter SERVICE_CONTROL_POLICY \
  --query 'join(`,`, sort(Policies[].Name))')" "FullAWSAccess,approved-endpoints" "SCPs on the member"

step "the member is refused an SQS endpoint in its own VPC"
vpc=$(memb ec2 create-vpc --cidr-block 10.50.0.0/16 --query Vpc.VpcId)
subnet=$(memb ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.50.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
if out=$(memb ec2 create-vpc-endpoint --vpc-id "$vpc" --vpc-endpoint-type Interface --no-private-dns-enabled \
    --service-name com.amazonaws.us-east-1.sqs --subnet-ids "$subnet" 2>&1); then
  printf 'FAIL the member created an SQS endpoint: %s\n' "$out" >&2; exit 1
fi
token=${out##*Encoded authorization failure message: }
contains "$out" "(UnauthorizedOperation) when calling the CreateVpcEndpoint operation: You are not authorized to perform this operation. Encoded authorization failure message: " "refusal"
expect_match "$token" '^[A-Za-z0-9_-]{100,}$' "encoded message"
expect "$(memb ec2 describe-vpc-endpoints --filters Name=vpc-id,Values="$vpc" --query 'length(VpcEndpoints)')" 0 "endpoints after the refusal"
expect "$(memb ec2 describe-network-interfaces --filters Name=vpc-id,Values="$vpc" --query 'length(NetworkInterfaces)')" 0 "interfaces after the refusal"

step "aws sts decode-authorization-message names the SCP and its statement"
decoded=$(memb sts decode-authorization-message --encoded-message "$token" --query DecodedMessage)
contains "$decoded" '"allowed":false,"explicitDeny":true' "decision"
contains "$decoded" '"statementId":"OnlyApprovedEndpointServices","effect":"DENY"' "blocking statement"
contains "$decoded" "\"policyId\":\"$scp\",\"policyName\":\"approved-endpoints\"" "blocking SCP"
contains "$decoded" "\"attachedTo\":\"$member\"" "attached to"
contains "$decoded" '"action":"ec2:CreateVpcEndpoint","resource":"arn:aws:ec2:us-east-1:'"$member"':vpc-endpoint/*"' "action and resource"
contains "$decoded" '"key":"ec2:VpceServiceName","values":{"items":[{"value":"com.amazonaws.us-east-1.sqs"}]}' "service name in the context"
expect_failure InvalidAuthorizationMessageException mgmt sts decode-authorization-message --encoded-message "$token"

step "an approved service passes; the management account is not restricted"
rtb=$(memb ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" --query 'RouteTables[0].RouteTableId')
s3=$(memb ec2 create-vpc-endpoint --vpc-id "$vpc" --service-name com.amazonaws.us-east-1.s3 --route-table-ids "$rtb" --query VpcEndpoint.VpcEndpointId)
expect_match "$s3" '^vpce-[0-9a-f]{17}$' "member's S3 gateway endpoint"
mvpc=$(mgmt ec2 create-vpc --cidr-block 10.60.0.0/16 --query Vpc.VpcId)
msubnet=$(mgmt ec2 create-subnet --vpc-id "$mvpc" --cidr-block 10.60.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
msqs=$(mgmt ec2 create-vpc-endpoint --vpc-id "$mvpc" --vpc-endpoint-type Interface --no-private-dns-enabled \
  --service-name com.amazonaws.us-east-1.sqs --subnet-ids "$msubnet" --query VpcEndpoint.VpcEndpointId)
expect_match "$msqs" '^vpce-[0-9a-f]{17}$' "management account's SQS endpoint"

step "detaching the SCP lifts the refusal"
mgmt organizations detach-policy --policy-id "$scp" --target-id "$member"
sqs=$(memb ec2 create-vpc-endpoint --vpc-id "$vpc" --vpc-endpoint-type Interface --no-private-dns-enabled \
  --service-name com.amazonaws.us-east-1.sqs --subnet-ids "$subnet" --query VpcEndpoint.VpcEndpointId)
expect_match "$sqs" '^vpce-[0-9a-f]{17}$' "member's SQS endpoint"
echo "cli smoke (scp): all checks passed"
