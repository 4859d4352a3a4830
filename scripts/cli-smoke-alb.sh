#!/usr/bin/env bash
# Issue 12 scenario (c) with AWS CLI v2: an internal Application Load Balancer with two listeners (HTTP redirecting
# to HTTPS, HTTPS with a certificate) and five rules covering every condition type, put behind a Network Load
# Balancer through a target group of type `alb`, and that NLB offered as an endpoint service to a consumer. The ALB
# itself cannot be offered (endpoint services take NLBs only). Then a full teardown. ALBs are control plane only.
# Usage: scripts/cli-smoke-alb.sh ENDPOINT (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke-alb.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
PROVIDER=310000000001 CONSUMER=310000000002

as() { local account=$1; shift; AWS_ACCESS_KEY_ID=$account "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" as "$@"; } # expect_error CODE ACCOUNT command...
elb() { as $PROVIDER elbv2 "$@"; }

step "provider $PROVIDER: a VPC with private subnets in us-east-1a and us-east-1b, a security group for the ALB"
vpc=$(as $PROVIDER ec2 create-vpc --cidr-block 10.60.0.0/16 --query Vpc.VpcId)
sa=$(as $PROVIDER ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.60.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
sb=$(as $PROVIDER ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.60.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
sg=$(as $PROVIDER ec2 create-security-group --group-name alb --description "internal ALB" --vpc-id "$vpc" --query GroupId)
as $PROVIDER ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 443 --cidr 10.60.0.0/16 >/dev/null
ia=$(as $PROVIDER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$sa" --query 'Instances[0].InstanceId')
ib=$(as $PROVIDER ec2 run-instances --image-id ami-12345678 --instance-type t3.micro --subnet-id "$sb" --query 'Instances[0].InstanceId')

step "an internal Application Load Balancer across both AZs"
expect_error ValidationError $PROVIDER elbv2 create-load-balancer --name shop --scheme internal --subnets "$sa"
read -r alb dns type scheme <<<"$(elb create-load-balancer --name shop --scheme internal --subnets "$sa" "$sb" --security-groups "$sg" \
  --query 'LoadBalancers[0].[LoadBalancerArn,DNSName,Type,Scheme]')"
expect_match "$alb" '^arn:aws:elasticloadbalancing:us-east-1:310000000001:loadbalancer/app/shop/[0-9a-f]{16}$' "ALB ARN"
expect_match "$dns" '^internal-shop-[0-9]{10}\.us-east-1\.elb\.amazonaws\.com$' "ALB DNS name"
expect "$type $scheme" "application internal" "type and scheme"
expect "$(elb describe-load-balancers --load-balancer-arns "$alb" --query 'LoadBalancers[0].SecurityGroups[0]')" "$sg" "security group"
expect "$(elb describe-load-balancer-attributes --load-balancer-arn "$alb" --query "Attributes[?Key=='idle_timeout.timeout_seconds'].Value")" 60 "idle timeout default"
elb modify-load-balancer-attributes --load-balancer-arn "$alb" --attributes Key=idle_timeout.timeout_seconds,Value=120 Key=routing.http2.enabled,Value=true >/dev/null
expect_error InvalidConfigurationRequest $PROVIDER elbv2 modify-load-balancer-attributes --load-balancer-arn "$alb" --attributes Key=idle_timeout.timeout_seconds,Value=0

step "target groups: instances for the web, IPs for the API (custom matcher) and for gRPC"
web=$(elb create-target-group --name web --protocol HTTP --port 8080 --vpc-id "$vpc" --query 'TargetGroups[0].TargetGroupArn')
api=$(elb create-target-group --name api --protocol HTTP --port 8081 --target-type ip --vpc-id "$vpc" --health-check-path /health --matcher HttpCode=200-299 --query 'TargetGroups[0].TargetGroupArn')
grpc=$(elb create-target-group --name grpc --protocol HTTPS --protocol-version GRPC --port 50051 --target-type ip --vpc-id "$vpc" --query 'TargetGroups[0].TargetGroupArn')
expect "$(elb describe-target-groups --target-group-arns "$grpc" --query 'TargetGroups[0].[ProtocolVersion,Matcher.GrpcCode,HealthCheckPath]')" "GRPC	12	/AWS.ALB/healthcheck" "gRPC health check defaults"
expect "$(elb describe-target-groups --target-group-arns "$api" --query 'TargetGroups[0].Matcher.HttpCode')" "200-299" "API matcher"
expect_error ValidationError $PROVIDER elbv2 create-target-group --name bad --protocol HTTP --port 80 --vpc-id "$vpc" --matcher HttpCode=600
elb register-targets --target-group-arn "$web" --targets Id="$ia" Id="$ib" >/dev/null
elb register-targets --target-group-arn "$api" --targets Id=10.60.1.20 Id=10.60.2.20 >/dev/null
elb register-targets --target-group-arn "$grpc" --targets Id=10.60.1.30 >/dev/null
elb modify-target-group-attributes --target-group-arn "$web" --attributes Key=load_balancing.algorithm.type,Value=least_outstanding_requests >/dev/null

step "listener 1: HTTP 80 redirects to HTTPS; listener 2: HTTPS 443 with a certificate forwards to the web"
cert=arn:aws:acm:us-east-1:310000000001:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557
http=$(elb create-listener --load-balancer-arn "$alb" --protocol HTTP --port 80 \
  --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' --query 'Listeners[0].ListenerArn')
expect "$(elb describe-listeners --listener-arns "$http" --query 'Listeners[0].DefaultActions[0].RedirectConfig.[Protocol,Port,Host,Path,Query,StatusCode]')" \
  "HTTPS	443	#{host}	/#{path}	#{query}	HTTP_301" "redirect with AWS's defaults"
expect_error CertificateNotFound $PROVIDER elbv2 create-listener --load-balancer-arn "$alb" --protocol HTTPS --port 443 --default-actions Type=forward,TargetGroupArn="$web"
https=$(elb create-listener --load-balancer-arn "$alb" --protocol HTTPS --port 443 --certificates CertificateArn="$cert" \
  --default-actions Type=forward,TargetGroupArn="$web" --query 'Listeners[0].ListenerArn')
expect "$(elb describe-listeners --listener-arns "$https" --query 'Listeners[0].[SslPolicy,Certificates[0].CertificateArn]')" "ELBSecurityPolicy-2016-08	$cert" "TLS settings"
expect "$(elb describe-listeners --load-balancer-arn "$alb" --query 'length(Listeners)')" 2 "listeners"

step "five rules on the HTTPS listener, one per kind of condition"
rule() { local priority=$1 conditions=$2 actions=$3; elb create-rule --listener-arn "$https" --priority "$priority" --conditions "$conditions" --actions "$actions" --query 'Rules[0].RuleArn'; }
r1=$(rule 10 '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/api/*"]}}]' "[{\"Type\":\"forward\",\"TargetGroupArn\":\"$api\"}]")
r2=$(rule 20 '[{"Field":"host-header","HostHeaderConfig":{"Values":["grpc.shop.internal"]}},{"Field":"http-header","HttpHeaderConfig":{"HttpHeaderName":"content-type","Values":["application/grpc*"]}}]' \
  "[{\"Type\":\"forward\",\"TargetGroupArn\":\"$grpc\"}]")
r3=$(rule 30 '[{"Field":"http-request-method","HttpRequestMethodConfig":{"Values":["POST","PUT"]}},{"Field":"path-pattern","PathPatternConfig":{"Values":["/orders/*"]}}]' \
  "[{\"Type\":\"forward\",\"ForwardConfig\":{\"TargetGroups\":[{\"TargetGroupArn\":\"$web\",\"Weight\":80},{\"TargetGroupArn\":\"$api\",\"Weight\":20}],\"TargetGroupStickinessConfig\":{\"Enabled\":true,\"DurationSeconds\":300}}}]")
r4=$(rule 40 '[{"Field":"query-string","QueryStringConfig":{"Values":[{"Key":"maintenance","Value":"on"}]}}]' \
  '[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503","ContentType":"text/plain","MessageBody":"down for maintenance"}}]')
r5=$(rule 50 '[{"Field":"source-ip","SourceIpConfig":{"Values":["192.0.2.0/24"]}}]' \
  '[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"403"}}]')
expect_match "$r1" '^arn:aws:elasticloadbalancing:us-east-1:310000000001:listener-rule/app/shop/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}$' "rule ARN"
expect "$(elb describe-rules --listener-arn "$https" --query 'join(`,`, Rules[].Priority)')" "10,20,30,40,50,default" "priorities"
expect "$(elb describe-rules --rule-arns "$r3" --query 'Rules[0].Actions[0].ForwardConfig.[TargetGroups[0].Weight,TargetGroups[1].Weight,TargetGroupStickinessConfig.DurationSeconds]')" "80	20	300" "weighted forward"
expect "$(elb describe-rules --listener-arn "$https" --query 'Rules[?IsDefault].Actions[0].TargetGroupArn')" "$web" "default rule"
expect_error PriorityInUse $PROVIDER elbv2 create-rule --listener-arn "$https" --priority 10 --conditions Field=path-pattern,Values=/x --actions Type=fixed-response,FixedResponseConfig={StatusCode=200}
expect_error ValidationError $PROVIDER elbv2 create-rule --listener-arn "$https" --priority 60 \
  --conditions '[{"Field":"path-pattern","PathPatternConfig":{"Values":["/1","/2","/3","/4","/5","/6"]}}]' --actions Type=fixed-response,FixedResponseConfig={StatusCode=200}
expect_error OperationNotPermitted $PROVIDER elbv2 delete-rule --rule-arn "$(elb describe-rules --listener-arn "$https" --query 'Rules[?IsDefault].RuleArn')"
elb set-rule-priorities --rule-priorities RuleArn="$r4",Priority=50 RuleArn="$r5",Priority=40 >/dev/null
expect "$(elb describe-rules --rule-arns "$r5" --query 'Rules[0].Priority')" 40 "swapped priority"
elb add-tags --resource-arns "$r1" "$https" --tags Key=team,Value=shop
expect "$(elb describe-tags --resource-arns "$r1" --query 'TagDescriptions[0].Tags[0].Value')" shop "rule tag"

step "an internal NLB in front of the ALB: target group of type alb on TCP 443, the ALB as its one target"
nlb=$(elb create-load-balancer --name shop-nlb --type network --scheme internal --subnets "$sa" "$sb" --query 'LoadBalancers[0].LoadBalancerArn')
albtg=$(elb create-target-group --name shop-alb --target-type alb --protocol TCP --port 443 --vpc-id "$vpc" --query 'TargetGroups[0].TargetGroupArn')
expect "$(elb describe-target-groups --target-group-arns "$albtg" --query 'TargetGroups[0].[HealthCheckProtocol,Matcher.HttpCode]')" "HTTP	200-399" "alb target group health check"
expect_error InvalidTarget $PROVIDER elbv2 register-targets --target-group-arn "$albtg" --targets Id="$alb",Port=8443
elb register-targets --target-group-arn "$albtg" --targets Id="$alb" >/dev/null
elb create-listener --load-balancer-arn "$nlb" --protocol TCP --port 443 --default-actions Type=forward,TargetGroupArn="$albtg" >/dev/null
expect "$(elb describe-target-health --target-group-arn "$albtg" --query 'TargetHealthDescriptions[0].[Target.Id,Target.Port,TargetHealth.State]')" "$alb	443	healthy" "ALB target health"

step "the NLB, not the ALB, becomes an endpoint service that the consumer $CONSUMER connects to"
expect_error InvalidNetworkLoadBalancerArn.Malformed $PROVIDER ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns "$alb"
svc=$(as $PROVIDER ec2 create-vpc-endpoint-service-configuration --network-load-balancer-arns "$nlb" --no-acceptance-required --query ServiceConfiguration.ServiceId)
name=$(as $PROVIDER ec2 describe-vpc-endpoint-service-configurations --service-ids "$svc" --query 'ServiceConfigurations[0].ServiceName')
as $PROVIDER ec2 modify-vpc-endpoint-service-permissions --service-id "$svc" --add-allowed-principals "arn:aws:iam::$CONSUMER:root" >/dev/null
cvpc=$(as $CONSUMER ec2 create-vpc --cidr-block 10.61.0.0/16 --query Vpc.VpcId)
ca=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.61.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
cb=$(as $CONSUMER ec2 create-subnet --vpc-id "$cvpc" --cidr-block 10.61.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
vpce=$(as $CONSUMER ec2 create-vpc-endpoint --vpc-id "$cvpc" --vpc-endpoint-type Interface --service-name "$name" --subnet-ids "$ca" "$cb" --query VpcEndpoint.VpcEndpointId)
expect "$(as $CONSUMER ec2 describe-vpc-endpoints --vpc-endpoint-ids "$vpce" --query 'VpcEndpoints[0].State')" available "consumer endpoint"
expect_error ResourceInUse $PROVIDER elbv2 delete-load-balancer --load-balancer-arn "$nlb"

step "teardown: endpoint, service, NLB, ALB (with its listeners and rules), target groups"
as $CONSUMER ec2 delete-vpc-endpoints --vpc-endpoint-ids "$vpce" >/dev/null
expect "$(as $PROVIDER ec2 delete-vpc-endpoint-service-configurations --service-ids "$svc" --query 'length(Unsuccessful)')" 0 "service deleted"
elb delete-load-balancer --load-balancer-arn "$nlb"
elb delete-load-balancer --load-balancer-arn "$alb"
expect_error ListenerNotFound $PROVIDER elbv2 describe-rules --listener-arn "$https"
for tg in "$albtg" "$web" "$api" "$grpc"; do elb delete-target-group --target-group-arn "$tg"; done
expect "$(elb describe-target-groups --query 'length(TargetGroups)')" 0 "target groups left"
expect "$(elb describe-load-balancers --query 'length(LoadBalancers)')" 0 "load balancers left"
printf 'all checks passed\n'
