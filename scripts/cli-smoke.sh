#!/usr/bin/env bash
# The README's quick start as a test: AWS CLI v2 commands against a running underpass, each output checked.
# Usage: scripts/cli-smoke.sh http://127.0.0.1:4566   (AWS_CLI may name the aws binary; default: aws on PATH)
set -euo pipefail
endpoint=${1:?usage: cli-smoke.sh ENDPOINT}
. "$(dirname "$0")/smoke-lib.sh"
export AWS_ACCESS_KEY_ID=123456789012

aws() { "$AWS_CLI" --endpoint-url "$endpoint" --region us-east-1 --output text "$@"; }
expect_error() { local code=$1; shift; expect_failure "$code" aws "$@"; }

step "aws --version"; "$AWS_CLI" --version
expect "$(aws sts get-caller-identity --query Account)" 123456789012 "sts get-caller-identity"

step "create a VPC with two subnets in two AZs"
vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=quickstart}]' --query Vpc.VpcId)
expect_match "$vpc" '^vpc-[0-9a-f]{17}$' "VpcId"
subnet_a=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a --query Subnet.SubnetId)
subnet_b=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone us-east-1b --query Subnet.SubnetId)
expect "$(aws ec2 describe-subnets --subnet-ids "$subnet_a" --query 'Subnets[0].AvailableIpAddressCount')" 251 "free addresses in a /24"
expect "$(aws ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --query 'length(Subnets)')" 2 "subnets in the VPC"
expect "$(aws ec2 describe-vpcs --filters Name=tag:Name,Values=quickstart --query 'Vpcs[0].VpcId')" "$vpc" "VPC found by tag"

step "an internet gateway and a route table that routes to it"
igw=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId)
aws ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
rtb=$(aws ec2 create-route-table --vpc-id "$vpc" --query RouteTable.RouteTableId)
expect "$(aws ec2 create-route --route-table-id "$rtb" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw")" True "create-route"
assoc=$(aws ec2 associate-route-table --route-table-id "$rtb" --subnet-id "$subnet_a" --query AssociationId)
expect_match "$assoc" '^rtbassoc-[0-9a-f]{17}$' "AssociationId"
expect "$(aws ec2 describe-route-tables --route-table-ids "$rtb" --query 'RouteTables[0].Routes[?DestinationCidrBlock==`0.0.0.0/0`].GatewayId')" "$igw" "default route target"
expect_error RouteAlreadyExists ec2 create-route --route-table-id "$rtb" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw"

step "a security group with rules"
sg=$(aws ec2 create-security-group --group-name web --description "web servers" --vpc-id "$vpc" --query GroupId)
expect_match "$sg" '^sg-[0-9a-f]{17}$' "GroupId"
aws ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 443 --cidr 0.0.0.0/0 >/dev/null
expect "$(aws ec2 describe-security-groups --group-ids "$sg" --query 'SecurityGroups[0].IpPermissions[0].[IpProtocol,FromPort,ToPort]')" "tcp	443	443" "ingress rule"
expect_error InvalidPermission.Duplicate ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 443 --cidr 0.0.0.0/0

step "an instance"
instance=$(aws ec2 run-instances --image-id ami-0123456789abcdef0 --instance-type t3.micro --subnet-id "$subnet_a" --security-group-ids "$sg" --query 'Instances[0].InstanceId')
expect_match "$instance" '^i-[0-9a-f]{17}$' "InstanceId"
expect "$(aws ec2 describe-instances --instance-ids "$instance" --query 'Reservations[0].Instances[0].State.Name')" running "instance state"
ip=$(aws ec2 describe-instances --instance-ids "$instance" --query 'Reservations[0].Instances[0].PrivateIpAddress')
expect_match "$ip" '^10\.0\.1\.([4-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$' "private address inside subnet a"

step "AMIs: the latest Amazon Linux 2023 from SSM's public parameter, and RunInstances' checks"
ami=$(aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 --query Parameter.Value)
expect_match "$ami" '^ami-0[0-9a-f]{16}$' "SSM public parameter"
expect_match "$(aws ec2 describe-images --image-ids "$ami" --query 'Images[0].Name')" '^al2023-ami-2023\..*-kernel-6\.1-x86_64$' "image name"
expect "$(aws ec2 describe-images --owners amazon --filters 'Name=name,Values=al2023-ami-2023.*-x86_64' --query 'Images[0].ImageId')" "$ami" "image found by name"
expect "$(aws ec2 describe-instance-types --instance-types t3.micro --query 'InstanceTypes[0].[VCpuInfo.DefaultVCpus,MemoryInfo.SizeInMiB]')" "2	1024" "t3.micro size"
expect_error ParameterNotFound ssm get-parameter --name /aws/service/ami-amazon-linux-latest/no-such-image
expect_error InvalidAMIID.NotFound ec2 run-instances --image-id ami-0fffffffffffffff1 --subnet-id "$subnet_a"
expect_error InvalidParameterValue ec2 run-instances --image-id "$ami" --instance-type t3.huge --subnet-id "$subnet_a"

step "a flow log to S3 (configuration only)"
fl=$(aws ec2 create-flow-logs --resource-type VPC --resource-ids "$vpc" --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::quickstart-flow-logs/vpc --query 'FlowLogIds[0]')
expect_match "$fl" '^fl-[0-9a-f]{17}$' "FlowLogId"
expect "$(aws ec2 describe-flow-logs --filter Name=resource-id,Values="$vpc" --query 'FlowLogs[0].[FlowLogId,LogDestinationType,FlowLogStatus]')" "$fl	s3	ACTIVE" "flow log"
expect "$(aws ec2 create-flow-logs --resource-type VPC --resource-ids "$vpc" --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::quickstart-flow-logs/vpc --query 'Unsuccessful[0].Error.Code')" FlowLogAlreadyExists "duplicate flow log"
expect "$(aws ec2 delete-flow-logs --flow-log-ids "$fl" --query 'length(Unsuccessful)')" 0 "delete-flow-logs"

step "AWS's errors"
expect_error InvalidVpc.Range ec2 create-vpc --cidr-block 10.0.0.0/8
expect_error InvalidSubnet.Conflict ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.128/25
expect_error DependencyViolation ec2 delete-vpc --vpc-id "$vpc"
expect_error InvalidVpcID.NotFound ec2 describe-vpcs --vpc-ids vpc-0123456789abcdef0
expect_error DryRunOperation ec2 create-vpc --cidr-block 10.1.0.0/16 --dry-run

step "account isolation"
expect "$(AWS_ACCESS_KEY_ID=210987654321 aws ec2 describe-vpcs --filters Name=tag:Name,Values=quickstart --query 'length(Vpcs)')" 0 "other account sees the VPC"

step "clean up"
aws ec2 terminate-instances --instance-ids "$instance" >/dev/null
aws ec2 disassociate-route-table --association-id "$assoc"
aws ec2 delete-route-table --route-table-id "$rtb"
aws ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
aws ec2 delete-internet-gateway --internet-gateway-id "$igw"
aws ec2 delete-security-group --group-id "$sg"
aws ec2 delete-subnet --subnet-id "$subnet_a"
aws ec2 delete-subnet --subnet-id "$subnet_b"
aws ec2 delete-vpc --vpc-id "$vpc"
expect_error InvalidVpcID.NotFound ec2 describe-vpcs --vpc-ids "$vpc"
echo "cli smoke: all checks passed"
