# A provider account's NLB behind a PrivateLink endpoint service, reached from a consumer account's VPC through an
# interface endpoint, with an S3 gateway endpoint and its policy: Terraform's AWS provider, unchanged, against
# underpass. scripts/terraform-smoke.sh applies it, checks that a second plan has nothing to change, and destroys it.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "endpoint" {
  type    = string
  default = "http://127.0.0.1:4566"
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "111111111111"
  secret_key                  = "local"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    ec2           = var.endpoint
    elbv2         = var.endpoint
    sts           = var.endpoint
    ram           = var.endpoint
    organizations = var.endpoint
  }
}

provider "aws" {
  alias                       = "consumer"
  region                      = "us-east-1"
  access_key                  = "222222222222"
  secret_key                  = "local"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    ec2   = var.endpoint
    elbv2 = var.endpoint
    sts   = var.endpoint
  }
}

# --- provider account: a VPC with an NLB in two zones and an instance target -----------------------------------
resource "aws_vpc" "provider" {
  cidr_block                       = "10.30.0.0/16"
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "provider" }
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.provider.id
  cidr_block        = "10.30.1.0/24"
  availability_zone = "us-east-1a"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.provider.ipv6_cidr_block, 8, 1)
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.provider.id
  cidr_block        = "10.30.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.provider.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.provider.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_network_acl" "b" {
  vpc_id     = aws_vpc.provider.id
  subnet_ids = [aws_subnet.b.id]
  ingress {
    protocol   = "tcp"
    rule_no    = 100
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 443
    to_port    = 443
  }
  egress {
    protocol   = "-1"
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.provider.id
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = "#!/bin/sh\necho hello\n"
  tags                   = { Name = "app" }
}

resource "aws_lb" "service" {
  name               = "service"
  internal           = true
  load_balancer_type = "network"
  subnets            = [aws_subnet.a.id, aws_subnet.b.id]
  minimum_load_balancer_capacity {
    capacity_units = 2000
  }
}

resource "aws_lb_target_group" "app" {
  name     = "app-tcp"
  port     = 443
  protocol = "TCP"
  vpc_id   = aws_vpc.provider.id
  health_check {
    protocol = "TCP"
    interval = 10
  }
}

resource "aws_lb_target_group_attachment" "app" {
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app.id
}

resource "aws_lb_listener" "tcp" {
  load_balancer_arn = aws_lb.service.arn
  port              = 443
  protocol          = "TCP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_vpc_endpoint_service" "service" {
  acceptance_required        = true
  network_load_balancer_arns = [aws_lb.service.arn]
}

resource "aws_vpc_endpoint_service_allowed_principal" "consumer" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.service.id
  principal_arn           = "arn:aws:iam::222222222222:root"
}

# --- consumer account: an interface endpoint to the service, accepted by the provider ----------------------------
resource "aws_vpc" "consumer" {
  provider             = aws.consumer
  cidr_block           = "10.40.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "consumer" {
  provider          = aws.consumer
  vpc_id            = aws_vpc.consumer.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "consumer" {
  provider = aws.consumer
  vpc_id   = aws_vpc.consumer.id
}

resource "aws_security_group" "endpoint" {
  provider = aws.consumer
  name     = "endpoint"
  vpc_id   = aws_vpc.consumer.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.consumer.cidr_block]
  }
}

resource "aws_vpc_endpoint" "service" {
  provider           = aws.consumer
  vpc_id             = aws_vpc.consumer.id
  service_name       = aws_vpc_endpoint_service.service.service_name
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.consumer.id]
  security_group_ids = [aws_security_group.endpoint.id]
  depends_on         = [aws_vpc_endpoint_service_allowed_principal.consumer]
}

resource "aws_vpc_endpoint_connection_accepter" "service" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.service.id
  vpc_endpoint_id         = aws_vpc_endpoint.service.id
}

resource "aws_vpc_endpoint" "s3" {
  provider          = aws.consumer
  vpc_id            = aws_vpc.consumer.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.consumer.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = "arn:aws:s3:::reports/*"
    }]
  })
}

output "endpoint_state" {
  value = aws_vpc_endpoint_connection_accepter.service.vpc_endpoint_state
}

output "endpoint_dns_name" {
  value = aws_vpc_endpoint.service.dns_entry[0].dns_name
}

output "s3_prefix_list" {
  value = aws_vpc_endpoint.s3.prefix_list_id
}
