#!/usr/bin/env bash
# The seed's PrivateLink scenario (issue 4) with AWS CLI v2 across three accounts: a provider puts an internal
# Network Load Balancer over instances in two private subnets, offers it as an endpoint service that requires
# acceptance and allows one consumer; the consumer connects and is accepted, a third account can neither see nor
# reach the service, and the event log shows the notifications. Usage: scripts/cli-smoke-privatelink.sh ENDPOINT
# (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-privatelink.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
PROVIDER=111122223333 CONSUMER=444455556666 STRANGER=777788889999

as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" as "$@"; } # expect_error CODE ACCOUNT command...

step "provider $PROVIDER: a VPC with private subnets in us-east-1a and us-east-1b, an instance in each"
pvpc=$(as $PROVIDER ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
pa=$(as $PROVIDER ec2 create-subnet --vpc-id "$pvpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
pb=$(as $PROVIDER ec2 create-subnet --vpc-id "$pvpc" --cidr-block 10.0.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
ia=$(as $PROVIDER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$pa" --query 'Instances[0].InstanceId')
ib=$(as $PROVIDER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$pb" --query 'Instances[0].InstanceId')

step "an internal Network Load Balancer across both AZs, forwarding TCP 443 to the instances"
nlb=$(as $PROVIDER elbv2 create-load-balancer --name app --type network --scheme internal --subnets "$pa" "$pb" --query 'LoadBalancers[0].LoadBalancerArn')
expect_match "$nlb" '^arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/app/[0-9a-f]{16}$' "NLB ARN"
tg=$(as $PROVIDER elbv2 create-target-group --name app --protocol TCP --port 8080 --vpc-id "$pvpc" --target-type instance --query 'TargetGroups[0].TargetGroupArn')
as $PROVIDER elbv2 register-targets --target-group-arn "$tg" --targets Id="$ia" Id="$ib" >/dev/null
as $PROVIDER elbv2 create-listener --load-balancer-arn "$nlb" --protocol TCP --port 443 --default-actions Type=forward,TargetGroupArn="$tg" >/dev/null

step "the endpoint service: acceptance required; its AZs are the NLB's"
svc=$(as $PROVIDER ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns "$nlb" --acceptance-required --query ServiceConfiguration.ServiceId)
expect_match "$svc" '^vpce-svc-[0-9a-f]{17}$' "ServiceId"
name=$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
expect "$name" "com.amazonaws.vpce.us-east-1.$svc" "ServiceName"
expect "$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'ServiceConfigurations[0].[ServiceState,AcceptanceRequired]')" "Available	True" "state and acceptance"
expect "$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'join(`,`, ServiceConfigurations[0].AvailabilityZones)')" "us-east-1a,us-east-1b" "AZs"
expect "$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'ServiceConfigurations[0].BaseEndpointDnsNames[0]')" "$svc.us-east-1.vpce.amazonaws.com" "base DNS name"
expect_error InvalidNetworkLoadBalancerArn.Malformed $PROVIDER ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns not-an-arn
expect_error ResourceInUse $PROVIDER elbv2 delete-load-balancer --load-balancer-arn "$nlb"

step "permission for the consumer $CONSUMER only, and a notification on every connection event"
expect "$(as $PROVIDER ec2 modify-vpc-endpoint-service-permissions --service-id "$svc" --add-allowed-principals "arn:aws:iam::$CONSUMER:root" --query ReturnValue)" True "permission added"
expect "$(as $PROVIDER ec2 describe-vpc-endpoint-service-permissions --service-id "$svc" --query 'AllowedPrincipals[0].[PrincipalType,Principal]')" "Account	arn:aws:iam::$CONSUMER:root" "allowed principal"
expect_error InvalidPrincipal $PROVIDER ec2 modify-vpc-endpoint-service-permissions --service-id "$svc" --add-allowed-principals "$CONSUMER"
nfn=$(as $PROVIDER ec2 create-vpc-endpoint-connection-notification --service-id "$svc" --connection-notification-arn "arn:aws:sns:us-east-1:$PROVIDER:VpceNotification" --connection-events Connect Accept Reject Delete --query ConnectionNotification.ConnectionNotificationId)
expect_match "$nfn" '^vpce-nfn-[0-9a-f]{17}$' "ConnectionNotificationId"

step "consumer $CONSUMER sees the service and connects from subnets in the same zones"
cvpc=$(as $CONSUMER ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
ca=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.1.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
cb=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.1.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
cc=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.1.3.0/24 --availability-zone us-east-1c --query Subnet.SubnetId)
expect "$(as $CONSUMER ec2 describe-vpc-endpoint-services --service-names "$name" --query 'ServiceDetails[0].[Owner,AcceptanceRequired]')" "$PROVIDER	True" "service as the consumer sees it"
expect_error InvalidParameter $CONSUMER ec2 create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Interface --service-name "$name" --subnet-ids "$cc"
vpce=$(as $CONSUMER ec2 create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Interface --service-name "$name" --subnet-ids "$ca" "$cb" --query VpcEndpoint.VpcEndpointId)
expect "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].State')" pendingAcceptance "consumer endpoint state"
expect_match "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].DnsEntries[0].DnsName')" \
  "^$vpce-[a-z0-9]{8}\\.$svc\\.us-east-1\\.vpce\\.amazonaws\\.com\$" "endpoint DNS name"

step "stranger $STRANGER cannot see or reach the service"
expect "$(as $STRANGER ec2 describe-vpc-endpoint-services --filters Name=service-name,Values="$name" --query 'length(ServiceDetails)')" 0 "services the stranger sees"
svpc=$(as $STRANGER ec2 create-vpc --cidr-block 10.2.0.0/16 --query Vpc.VpcId)
ssub=$(as $STRANGER ec2 create-subnet --vpc-id "$svpc" --cidr-block 10.2.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
expect_error InvalidServiceName $STRANGER ec2 create-vpc-endpoint --vpc-id "$svpc" --vpc-endpoint-type Interface --service-name "$name" --subnet-ids "$ssub"

step "the provider sees the pending connection and accepts it"
expect "$(as $PROVIDER ec2 describe-vpc-endpoint-connections --filters Name=vpc-endpoint-state,Values=pendingAcceptance --query 'VpcEndpointConnections[0].[VpcEndpointId,VpcEndpointOwner]')" "$vpce	$CONSUMER" "pending connection"
expect "$(as $PROVIDER ec2 accept-vpc-endpoint-connections --service-id "$svc" --vpc-endpoint-ids "$vpce" --query 'length(Unsuccessful)')" 0 "accepted"
expect "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].State')" available "consumer endpoint state"
expect "$(as $PROVIDER ec2 reject-vpc-endpoint-connections --service-id "$svc" --vpc-endpoint-ids vpce-0123456789abcdef0 --query 'Unsuccessful[0].Error.Code')" InvalidVpcEndpointId.NotFound "unknown endpoint"
expect "$(as $PROVIDER ec2 delete-vpc-endpoint-service-configurations --service-ids "$svc" --query 'Unsuccessful[0].Error.Code')" ExistingVpcEndpointConnections "delete while connected"

step "the event log (underpass has no SNS) shows Connect then Accept"
events=$(curl -s "$endpoint/_underpass/events?serviceId=$svc")
expect "$(printf '%s' "$events" | python3 -c 'import json,sys; print(",".join(e["type"] for e in json.load(sys.stdin)))')" "Connect,Accept" "events"

step "the provider rejects the available endpoint; the consumer deletes it; the service goes"
as $PROVIDER ec2 reject-vpc-endpoint-connections --service-id "$svc" --vpc-endpoint-ids "$vpce" >/dev/null
expect "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].State')" rejected "consumer endpoint state"
as $CONSUMER ec2 delete-vpc-endpoints --vpc-endpoint-ids "$vpce" >/dev/null
expect "$(as $PROVIDER ec2 delete-vpc-endpoint-service-configurations --service-ids "$svc" --query 'length(Unsuccessful)')" 0 "service deleted"
expect "$(curl -s "$endpoint/_underpass/events?serviceId=$svc" | python3 -c 'import json,sys; print(",".join(e["type"] for e in json.load(sys.stdin)))')" "Connect,Accept,Reject,Delete" "events"

step "the consumer assumes a role; with the session's credentials, STS names the assumed-role session"
read -r akid secret token <<<"$(as $CONSUMER sts assume-role --role-arn "arn:aws:iam::$CONSUMER:role/app" --role-session-name smoke \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')"
expect_match "$akid" '^ASIA[A-Z0-9]{16}$' "AccessKeyId"
expect "$(AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text \
  sts get-caller-identity --query Arn)" "arn:aws:sts::$CONSUMER:assumed-role/app/smoke" "caller identity of the session"
expect_failure InvalidClientTokenId env AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=not-the-token "$AWS_CLI" \
  --endpoint-url "$endpoint" --region us-east-1 sts get-caller-identity

echo "privatelink scenario: all checks passed"
