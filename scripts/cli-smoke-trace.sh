#!/usr/bin/env bash
# The reachability analyzer on the PrivateLink scenario, built with AWS CLI v2: a consumer's interface endpoint is
# blocked by two things at once (the provider has not accepted it; its security group admits port 80 only), and
# one trace lists both; after the provider accepts and the consumer adds the rule, the path reaches the provider's
# instance through the service's NLB. Usage: scripts/cli-smoke-trace.sh ENDPOINT
# (AWS_CLI may name the aws binary; UNDERPASS, if set, is an `underpass` command whose `trace` output is shown too)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-trace.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
PROVIDER=121212121212 CONSUMER=343434343434

as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
trace() { curl -s "$endpoint/_underpass/trace?$1"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
show() { if [ -n "${UNDERPASS:-}" ]; then $UNDERPASS trace --endpoint "$endpoint" "$@" || true; fi; }

step "provider $PROVIDER: an instance behind an internal NLB (TCP 443 -> 8080), offered as an endpoint service"
pvpc=$(as $PROVIDER ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId)
pa=$(as $PROVIDER ec2 create-subnet --vpc-id "$pvpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
app=$(as $PROVIDER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$pa" --query 'Instances[0].InstanceId')
psg=$(as $PROVIDER ec2 describe-security-groups --filters Name=vpc-id,Values="$pvpc" Name=group-name,Values=default --query 'SecurityGroups[0].GroupId')
as $PROVIDER ec2 authorize-security-group-ingress --group-id "$psg" --protocol tcp --port 8080 --cidr 10.0.0.0/16 >/dev/null
nlb=$(as $PROVIDER elbv2 create-load-balancer --name traced --type network --scheme internal --subnets "$pa" --query 'LoadBalancers[0].LoadBalancerArn')
tg=$(as $PROVIDER elbv2 create-target-group --name traced --protocol TCP --port 8080 --vpc-id "$pvpc" --target-type instance --query 'TargetGroups[0].TargetGroupArn')
as $PROVIDER elbv2 register-targets --target-group-arn "$tg" --targets Id="$app" >/dev/null
as $PROVIDER elbv2 create-listener --load-balancer-arn "$nlb" --protocol TCP --port 443 --default-actions Type=forward,TargetGroupArn="$tg" >/dev/null
svc=$(as $PROVIDER ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns "$nlb" --acceptance-required --query ServiceConfiguration.ServiceId)
name=$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
as $PROVIDER ec2 modify-vpc-endpoint-service-permissions --service-id "$svc" --add-allowed-principals "arn:aws:iam::$CONSUMER:root" >/dev/null

step "consumer $CONSUMER: a client instance and an interface endpoint whose group admits TCP 80 only"
cvpc=$(as $CONSUMER ec2 create-vpc --cidr-block 10.1.0.0/16 --query Vpc.VpcId)
ca=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.1.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
client=$(as $CONSUMER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$ca" --query 'Instances[0].InstanceId')
esg=$(as $CONSUMER ec2 create-security-group --group-name endpoint --description endpoint --vpc-id "$cvpc" --query GroupId)
as $CONSUMER ec2 authorize-security-group-ingress --group-id "$esg" --protocol tcp --port 80 --cidr 10.1.0.0/16 >/dev/null
vpce=$(as $CONSUMER ec2 create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Interface --service-name "$name" --subnet-ids "$ca" --security-group-ids "$esg" --query VpcEndpoint.VpcEndpointId)
expect "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].State')" pendingAcceptance "endpoint state"

step "trace: blocked by the endpoint's group and by pendingAcceptance, both in one answer"
out=$(trace "from=$client&to=$vpce&port=443")
expect "$(field 'd["reachable"]' <<<"$out")" False "reachable"
expect "$(field '",".join(b["code"]+" "+b["component"] for b in d["blockers"])' <<<"$out")" \
  "ENI_SG_RULES_MISMATCH $esg,BAD_STATE $vpce" "blockers"
show --from "$client" --to "$vpce" --port 443

step "the same through the EC2 Network Insights API: both explanations in one analysis"
nip=$(as $CONSUMER ec2 create-network-insights-path --source "$client" --destination "$vpce" --protocol tcp --destination-port 443 --query NetworkInsightsPath.NetworkInsightsPathId)
expect_match "$nip" '^nip-[0-9a-f]{17}$' "NetworkInsightsPathId"
nia=$(as $CONSUMER ec2 start-network-insights-analysis --network-insights-path-id "$nip" --query NetworkInsightsAnalysis.NetworkInsightsAnalysisId)
expect_match "$nia" '^nia-[0-9a-f]{17}$' "NetworkInsightsAnalysisId"
expect "$(as $CONSUMER ec2 describe-network-insights-analyses --network-insights-analysis-ids "$nia" --query 'NetworkInsightsAnalyses[0].[Status,NetworkPathFound]')" "succeeded	False" "status and path found"
expect "$(as $CONSUMER ec2 describe-network-insights-analyses --network-insights-analysis-ids "$nia" --query 'join(`,`, NetworkInsightsAnalyses[0].Explanations[].ExplanationCode)')" "ENI_SG_RULES_MISMATCH,BAD_STATE" "explanation codes"
expect "$(as $CONSUMER ec2 describe-network-insights-analyses --network-insights-analysis-ids "$nia" --query 'NetworkInsightsAnalyses[0].Explanations[1].VpcEndpoint.Id')" "$vpce" "the endpoint named"
expect_failure InvalidNetworkInsightsPathId.NotFound as $CONSUMER ec2 start-network-insights-analysis --network-insights-path-id nip-0123456789abcdef0

step "the provider accepts, the consumer opens 443: reachable through the NLB to $app"
as $PROVIDER ec2 accept-vpc-endpoint-connections --service-id "$svc" --vpc-endpoint-ids "$vpce" >/dev/null
as $CONSUMER ec2 authorize-security-group-ingress --group-id "$esg" --protocol tcp --port 443 --cidr 10.1.0.0/16 >/dev/null
out=$(trace "from=$client&to=$svc&port=443")
expect "$(field 'd["reachable"]' <<<"$out")" True "reachable"
expect "$(field 'd["forward"][-1]["component"]' <<<"$out")" "$(as $PROVIDER ec2 describe-instances --instance-ids "$app" --query 'Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId')" "last forward hop"
show --from "$client" --to "$svc" --port 443
nia=$(as $CONSUMER ec2 start-network-insights-analysis --network-insights-path-id "$nip" --query NetworkInsightsAnalysis.NetworkInsightsAnalysisId)
expect "$(as $CONSUMER ec2 describe-network-insights-analyses --network-insights-path-id "$nip" --filters Name=path-found,Values=true --query 'NetworkInsightsAnalyses[0].[NetworkInsightsAnalysisId,NetworkPathFound]')" "$nia	True" "analysis after the fix"
described() { as $CONSUMER ec2 describe-network-insights-analyses --network-insights-analysis-ids "$nia" --query "NetworkInsightsAnalyses[0].$1"; }
expect "$(described 'ForwardPathComponents[0].[Component.Id,OutboundHeader.Protocol,OutboundHeader.DestinationPortRanges[0].From,OutboundHeader.SourcePortRanges[0].To]')" "$client	6	443	65535" "first component: the client, packet as it leaves"
expect "$(described 'ForwardPathComponents[-1].[Component.Id,InboundHeader.DestinationPortRanges[0].From]')" "$app	8080" "last component: the provider's instance, packet as it arrives"
expect "$(described "ForwardPathComponents[?Component.Id=='$esg'].SecurityGroupRule.[Direction,Protocol,Cidr] | [0]")" "ingress	tcp	10.1.0.0/16" "the rule that admitted the flow"

step "who can reach the service: the consumer's client"
out=$(trace "sources=all&to=$svc&port=443&account=$CONSUMER")
expect "$(field '",".join(s["instance"] for s in d["reachable"])' <<<"$out")" "$client" "sources that reach"
show --sources all --to "$svc" --port 443 --account "$CONSUMER"

step "a bad question is refused (400), nothing is analyzed"
expect "$(curl -s -o /dev/null -w '%{http_code}' "$endpoint/_underpass/trace?from=$client&to=$vpce&port=443&protocol=icmp")" 400 "status"
echo "trace scenario: all checks passed"
