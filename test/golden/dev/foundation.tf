terraform {
  required_providers {
    aws = {
      version = "~> 5.99"
      source  = "aws"
    }
    helm = {
      version = "3.1.1"
      source  = "helm"
    }
  }
  backend "local" {
    path = "../../../.state/dev/foundation.tfstate"
  }


}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Environment = "dev"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "foundation"
    }
  }
}
data "aws_caller_identity" "boundary-account" {
}
data "aws_partition" "boundary-partition" {
}
data "aws_caller_identity" "kms_account_A4D56B00" {
}
data "aws_partition" "kms_partition_79ECC167" {
}
resource "aws_kms_key" "kms_key_28C05A0F" {
  deletion_window_in_days = 30
  description             = "EKS secrets and platform log encryption for eks-platform-dev-eks"
  enable_key_rotation     = true
  policy                  = jsonencode({ "Statement" = [{ "Action" = ["kms:*"], "Effect" = "Allow", "Principal" = { "AWS" = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::${data.aws_caller_identity.kms_account_A4D56B00.account_id}:root" }, "Resource" = ["*"], "Sid" = "AccountAdministers" }, { "Action" = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"], "Condition" = { "ArnLike" = { "kms:EncryptionContext:aws:logs:arn" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:logs:us-east-1:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:log-group:/aws/eks/eks-platform-dev-eks/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:logs:us-east-1:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:log-group:/aws/vpc/eks-platform-dev-*"] } }, "Effect" = "Allow", "Principal" = { "Service" = "logs.us-east-1.amazonaws.com" }, "Resource" = ["*"], "Sid" = "CloudWatchLogsEncrypt" }], "Version" = "2012-10-17" })
  tags = {
    Component = "eks"
  }
}
resource "aws_kms_alias" "kms_alias_11A4552E" {
  name          = "alias/eks-platform-dev-eks"
  target_key_id = aws_kms_key.kms_key_28C05A0F.key_id
}
data "aws_availability_zones" "network_azs_7B2E26B5" {
  state = "available"
  filter {
    name = "opt-in-status"
    values = [
      "opt-in-not-required"
    ]
  }
}
resource "aws_vpc" "network_vpc_4E8F0223" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  enable_dns_support   = true
  tags = {
    Component = "network"
    Name      = "eks-platform-dev"
  }
}
resource "aws_default_security_group" "network_default-sg_0F35F98C" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-default-deny"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_internet_gateway" "network_igw_5DF1EDA1" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table" "network_public-rt_C8EB1D1E" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-public"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route" "network_public-default_3421D37F" {
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.network_igw_5DF1EDA1.id
  route_table_id         = aws_route_table.network_public-rt_C8EB1D1E.id
}
resource "aws_route_table" "network_intra-rt_26E17E41" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-intra"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_subnet" "network_public-0_A4E682E0" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 0)
  cidr_block        = "10.0.96.0/22"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-public-0"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/elb"                     = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_public-0-rt_98066E5D" {
  route_table_id = aws_route_table.network_public-rt_C8EB1D1E.id
  subnet_id      = aws_subnet.network_public-0_A4E682E0.id
}
resource "aws_eip" "network_nat-0-ip_0D2E91DB" {
  domain = "vpc"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-nat-0"
  }
}
resource "aws_nat_gateway" "network_nat-0_D2F55FEE" {
  allocation_id = aws_eip.network_nat-0-ip_0D2E91DB.id
  subnet_id     = aws_subnet.network_public-0_A4E682E0.id
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-nat-0"
  }
  depends_on = [
    "aws_internet_gateway.network_igw_5DF1EDA1",
  ]
}
resource "aws_subnet" "network_private-0_A0649C48" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 0)
  cidr_block        = "10.0.0.0/19"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-private-0"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/internal-elb"            = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table" "network_private-0-rt_708F33C0" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-private-0"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route" "network_private-0-default_2C85688E" {
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.network_nat-0_D2F55FEE.id
  route_table_id         = aws_route_table.network_private-0-rt_708F33C0.id
}
resource "aws_route_table_association" "network_private-0-rt-assoc_7E804E34" {
  route_table_id = aws_route_table.network_private-0-rt_708F33C0.id
  subnet_id      = aws_subnet.network_private-0_A0649C48.id
}
resource "aws_subnet" "network_intra-0_3F6B7722" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 0)
  cidr_block        = "10.0.108.0/26"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-intra-0"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_intra-0-rt_F2D4762E" {
  route_table_id = aws_route_table.network_intra-rt_26E17E41.id
  subnet_id      = aws_subnet.network_intra-0_3F6B7722.id
}
resource "aws_subnet" "network_public-1_8D79547B" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 1)
  cidr_block        = "10.0.100.0/22"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-public-1"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/elb"                     = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_public-1-rt_11944866" {
  route_table_id = aws_route_table.network_public-rt_C8EB1D1E.id
  subnet_id      = aws_subnet.network_public-1_8D79547B.id
}
resource "aws_subnet" "network_private-1_4188AF2B" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 1)
  cidr_block        = "10.0.32.0/19"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-private-1"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/internal-elb"            = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table" "network_private-1-rt_64ABB613" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-private-1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route" "network_private-1-default_515335DB" {
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.network_nat-0_D2F55FEE.id
  route_table_id         = aws_route_table.network_private-1-rt_64ABB613.id
}
resource "aws_route_table_association" "network_private-1-rt-assoc_4755A80E" {
  route_table_id = aws_route_table.network_private-1-rt_64ABB613.id
  subnet_id      = aws_subnet.network_private-1_4188AF2B.id
}
resource "aws_subnet" "network_intra-1_D9935330" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 1)
  cidr_block        = "10.0.108.64/26"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-intra-1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_intra-1-rt_C3638461" {
  route_table_id = aws_route_table.network_intra-rt_26E17E41.id
  subnet_id      = aws_subnet.network_intra-1_D9935330.id
}
resource "aws_subnet" "network_public-2_7452BF82" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 2)
  cidr_block        = "10.0.104.0/22"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-public-2"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/elb"                     = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_public-2-rt_15B8E6F9" {
  route_table_id = aws_route_table.network_public-rt_C8EB1D1E.id
  subnet_id      = aws_subnet.network_public-2_7452BF82.id
}
resource "aws_subnet" "network_private-2_96169D1F" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 2)
  cidr_block        = "10.0.64.0/19"
  tags = {
    Component                                    = "network"
    Name                                         = "eks-platform-dev-private-2"
    "kubernetes.io/cluster/eks-platform-dev-eks" = "shared"
    "kubernetes.io/role/internal-elb"            = "1"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table" "network_private-2-rt_197B5A03" {
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-private-2"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route" "network_private-2-default_677BF21E" {
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.network_nat-0_D2F55FEE.id
  route_table_id         = aws_route_table.network_private-2-rt_197B5A03.id
}
resource "aws_route_table_association" "network_private-2-rt-assoc_8CAAB1ED" {
  route_table_id = aws_route_table.network_private-2-rt_197B5A03.id
  subnet_id      = aws_subnet.network_private-2_96169D1F.id
}
resource "aws_subnet" "network_intra-2_C9F94B33" {
  availability_zone = element(data.aws_availability_zones.network_azs_7B2E26B5.names, 2)
  cidr_block        = "10.0.108.128/26"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-intra-2"
  }
  vpc_id = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_route_table_association" "network_intra-2-rt_6A252AF4" {
  route_table_id = aws_route_table.network_intra-rt_26E17E41.id
  subnet_id      = aws_subnet.network_intra-2_C9F94B33.id
}
resource "aws_vpc_endpoint" "network_s3_9ABB7698" {
  route_table_ids = [
    "${aws_route_table.network_private-0-rt_708F33C0.id}",
    "${aws_route_table.network_private-1-rt_64ABB613.id}",
    "${aws_route_table.network_private-2-rt_197B5A03.id}"
  ]
  service_name = "com.amazonaws.us-east-1.s3"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-s3"
  }
  vpc_endpoint_type = "Gateway"
  vpc_id            = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_cloudwatch_log_group" "network_flow-logs_D7C94307" {
  kms_key_id        = aws_kms_key.kms_key_28C05A0F.arn
  name              = "/aws/vpc/eks-platform-dev-flow-logs"
  retention_in_days = 14
  tags = {
    Component = "network"
    Name      = "/aws/vpc/eks-platform-dev-flow-logs"
  }
}
resource "aws_iam_role" "network_flow-logs-role_8074155A" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole"], "Effect" = "Allow", "Principal" = { "Service" = "vpc-flow-logs.amazonaws.com" } }], "Version" = "2012-10-17" })
  name                 = "eks-platform-dev-vpc-flow-logs"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-vpc-flow-logs"
  }
}
resource "aws_iam_role_policy" "network_flow-logs-policy_C5B6AD10" {
  name   = "write-flow-logs"
  policy = jsonencode({ "Statement" = [{ "Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], "Effect" = "Allow", "Resource" = [aws_cloudwatch_log_group.network_flow-logs_D7C94307.arn, "${aws_cloudwatch_log_group.network_flow-logs_D7C94307.arn}:*"], "Sid" = "WriteFlowLogs" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.network_flow-logs-role_8074155A.id
}
resource "aws_flow_log" "network_flow-log_4CEF6CCF" {
  iam_role_arn             = aws_iam_role.network_flow-logs-role_8074155A.arn
  log_destination          = aws_cloudwatch_log_group.network_flow-logs_D7C94307.arn
  log_destination_type     = "cloud-watch-logs"
  max_aggregation_interval = 60
  tags = {
    Component = "network"
    Name      = "eks-platform-dev-flow-log"
  }
  traffic_type = "ALL"
  vpc_id       = aws_vpc.network_vpc_4E8F0223.id
}
resource "aws_cloudwatch_log_group" "cluster_logs_1669D170" {
  kms_key_id        = aws_kms_key.kms_key_28C05A0F.arn
  name              = "/aws/eks/eks-platform-dev-eks/cluster"
  retention_in_days = 30
  tags = {
    Component = "eks"
  }
}
resource "aws_iam_role" "cluster_role_7E4D8788" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  name                 = "eks-platform-dev-eks-cluster"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "eks"
  }
}
resource "aws_iam_role_policy_attachment" "cluster_role-policy_84729F93" {
  policy_arn = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
  role       = aws_iam_role.cluster_role_7E4D8788.name
}
resource "aws_eks_cluster" "cluster_A4C38409" {
  bootstrap_self_managed_addons = false
  enabled_cluster_log_types = [
    "api",
    "audit",
    "authenticator"
  ]
  name     = "eks-platform-dev-eks"
  role_arn = aws_iam_role.cluster_role_7E4D8788.arn
  tags = {
    Component = "eks"
  }
  version = "1.35"
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }
  encryption_config {
    resources = [
      "secrets"
    ]
    provider {
      key_arn = aws_kms_key.kms_key_28C05A0F.arn
    }
  }
  upgrade_policy {
    support_type = "STANDARD"
  }
  vpc_config {
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs = [
      "203.0.113.0/24"
    ]
    subnet_ids = [
      "${aws_subnet.network_intra-0_3F6B7722.id}",
      "${aws_subnet.network_intra-1_D9935330.id}",
      "${aws_subnet.network_intra-2_C9F94B33.id}"
    ]
  }
  depends_on = [
    "aws_cloudwatch_log_group.cluster_logs_1669D170",
    "aws_iam_role_policy_attachment.cluster_role-policy_84729F93",
  ]
}
resource "aws_iam_openid_connect_provider" "cluster_oidc_E9345939" {
  client_id_list = [
    "sts.amazonaws.com"
  ]
  tags = {
    Component = "eks"
  }
  url = aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer
}

provider "helm" {
  kubernetes {
    cluster_ca_certificate = base64decode(aws_eks_cluster.cluster_A4C38409.certificate_authority[0].data)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      args = [
        "eks",
        "get-token",
        "--cluster-name",
        "${aws_eks_cluster.cluster_A4C38409.name}",
        "--region",
        "us-east-1",
        "--output",
        "json"
      ]
      command = "aws"
    }
    host = aws_eks_cluster.cluster_A4C38409.endpoint
  }
}
resource "aws_eks_access_entry" "plan-role-access" {
  cluster_name  = aws_eks_cluster.cluster_A4C38409.name
  principal_arn = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::${data.aws_caller_identity.kms_account_A4D56B00.account_id}:role/eks-platform-dev-github-plan"
  tags = {
    Component = "github-deploy"
  }
  type = "STANDARD"
}
resource "aws_eks_access_policy_association" "plan-role-access-policy" {
  cluster_name  = aws_eks_cluster.cluster_A4C38409.name
  policy_arn    = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"
  principal_arn = aws_eks_access_entry.plan-role-access.principal_arn
  access_scope {
    type = "cluster"
  }
}
resource "aws_iam_role" "cilium-operator-identity_role_8020A6B0" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRoleWithWebIdentity"], "Condition" = { "StringEquals" = zipmap([join("", [replace(aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer, "https://", ""), ":aud"]), join("", [replace(aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer, "https://", ""), ":sub"])], ["sts.amazonaws.com", "system:serviceaccount:kube-system:cilium-operator"]) }, "Effect" = "Allow", "Principal" = { "Federated" = aws_iam_openid_connect_provider.cluster_oidc_E9345939.arn } }], "Version" = "2012-10-17" })
  description          = "Workload identity of kube-system/cilium-operator (IRSA)"
  name                 = "eks-platform-dev-cilium-operator"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "cilium-operator"
  }
}
resource "aws_iam_role_policy" "cilium-operator-identity_policy_95030E1A" {
  name   = "cilium-operator"
  policy = jsonencode({ "Statement" = [{ "Action" = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeTags", "ec2:DescribeRouteTables", "ec2:DescribeManagedPrefixLists", "ec2:GetManagedPrefixListEntries"], "Effect" = "Allow", "Resource" = ["*"], "Sid" = "Describe" }, { "Action" = ["ec2:CreateNetworkInterface"], "Condition" = { "ArnEquals" = { "ec2:Vpc" = aws_vpc.network_vpc_4E8F0223.arn } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:subnet/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "CreateENIInVPC" }, { "Action" = ["ec2:CreateNetworkInterface"], "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:network-interface/*"], "Sid" = "CreateENI" }, { "Action" = ["ec2:AttachNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], "Condition" = { "ArnEquals" = { "ec2:Vpc" = aws_vpc.network_vpc_4E8F0223.arn } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:network-interface/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:subnet/*"], "Sid" = "ManageENIsInVPC" }, { "Action" = ["ec2:AttachNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute"], "Condition" = { "StringEquals" = { "aws:ResourceTag/Environment" = "dev", "aws:ResourceTag/Project" = "eks-platform" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:instance/*"], "Sid" = "AttachToOwnNodes" }, { "Action" = ["ec2:CreateTags"], "Condition" = { "StringEquals" = { "ec2:CreateAction" = "CreateNetworkInterface" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:network-interface/*"], "Sid" = "TagNewENIs" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.cilium-operator-identity_role_8020A6B0.id
}
resource "helm_release" "cilium_release_C0EB5990" {
  atomic           = false
  chart            = "cilium"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "cilium"
  namespace        = "kube-system"
  repository       = "https://helm.cilium.io"
  timeout          = 600
  values = [
    <<EOF
bpf:
    hostLegacyRouting: true
cni:
    exclusive: false
eni:
    awsEnablePrefixDelegation: true
    awsReleaseExcessIPs: true
    enabled: true
envoy:
    enabled: false
hubble:
    enabled: true
    relay:
        enabled: false
    ui:
        enabled: false
ipam:
    mode: eni
k8sServiceHost: ${replace(aws_eks_cluster.cluster_A4C38409.endpoint, "https://", "")}
k8sServicePort: 443
kubeProxyReplacement: true
l7Proxy: false
operator:
    extraEnv:
        - name: AWS_REGION
          value: us-east-1
    replicas: 1
    resources:
        limits:
            cpu: 250m
            memory: 256Mi
        requests:
            cpu: 25m
            memory: 64Mi
resources:
    limits:
        cpu: "1"
        memory: 1Gi
    requests:
        cpu: 100m
        memory: 256Mi
routingMode: native
serviceAccounts:
    operator:
        annotations:
            eks.amazonaws.com/role-arn: ${aws_iam_role.cilium-operator-identity_role_8020A6B0.arn}
        name: cilium-operator
socketLB:
    hostNamespaceOnly: true

EOF
  ]
  version = "1.19.6"
  wait    = false
  depends_on = [
    "aws_iam_role.cilium-operator-identity_role_8020A6B0",
  ]
  provider = "helm"
}
resource "aws_iam_role" "nodes_role_6392FD84" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole"], "Effect" = "Allow", "Principal" = { "Service" = "ec2.amazonaws.com" } }], "Version" = "2012-10-17" })
  name                 = "eks-platform-dev-nodes"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "nodes"
  }
}
resource "aws_iam_role_policy_attachment" "nodes_policy-0_EE17DB2C" {
  policy_arn = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
  role       = aws_iam_role.nodes_role_6392FD84.name
}
resource "aws_iam_role_policy_attachment" "nodes_policy-1_980684DC" {
  policy_arn = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"
  role       = aws_iam_role.nodes_role_6392FD84.name
}
resource "aws_launch_template" "nodes_launch-template_7B6F4E91" {
  description = "EKS nodes: IMDSv2 only, encrypted gp3 root volume, kubelet maxPods"
  name        = "eks-platform-dev-nodes"
  tags = {
    Component = "nodes"
  }
  update_default_version = true
  user_data              = "TUlNRS1WZXJzaW9uOiAxLjAKQ29udGVudC1UeXBlOiBtdWx0aXBhcnQvbWl4ZWQ7IGJvdW5kYXJ5PSIvLyIKCi0tLy8KQ29udGVudC1UeXBlOiBhcHBsaWNhdGlvbi9ub2RlLmVrcy5hd3MKCi0tLQphcGlWZXJzaW9uOiBub2RlLmVrcy5hd3MvdjFhbHBoYTEKa2luZDogTm9kZUNvbmZpZwpzcGVjOgogIGt1YmVsZXQ6CiAgICBjb25maWc6CiAgICAgIG1heFBvZHM6IDExMAogICAgICBrdWJlUmVzZXJ2ZWQ6CiAgICAgICAgbWVtb3J5OiAxNDY1TWkKICAgIGZsYWdzOgogICAgICAtIC0tbWF4LXBvZHM9MTEwCgotLS8vLS0K"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      delete_on_termination = "true"
      encrypted             = "true"
      volume_size           = 50
      volume_type           = "gp3"
    }
  }
  metadata_options {
    http_endpoint               = "enabled"
    http_put_response_hop_limit = 1
    http_tokens                 = "required"
    instance_metadata_tags      = "disabled"
  }
  tag_specifications {
    resource_type = "instance"
    tags = {
      Component   = "nodes"
      Environment = "dev"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "foundation"
    }
  }
  tag_specifications {
    resource_type = "volume"
    tags = {
      Component   = "nodes"
      Environment = "dev"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "foundation"
    }
  }
  tag_specifications {
    resource_type = "network-interface"
    tags = {
      Component   = "nodes"
      Environment = "dev"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "foundation"
    }
  }
}
resource "aws_eks_node_group" "nodes_group_5DC773E7" {
  ami_type      = "AL2023_x86_64_STANDARD"
  capacity_type = "SPOT"
  cluster_name  = aws_eks_cluster.cluster_A4C38409.name
  instance_types = [
    "t3.large"
  ]
  node_group_name = "eks-platform-dev-default"
  node_role_arn   = aws_iam_role.nodes_role_6392FD84.arn
  subnet_ids = [
    "${aws_subnet.network_private-0_A0649C48.id}",
    "${aws_subnet.network_private-1_4188AF2B.id}",
    "${aws_subnet.network_private-2_96169D1F.id}"
  ]
  tags = {
    Component = "nodes"
  }
  launch_template {
    id      = aws_launch_template.nodes_launch-template_7B6F4E91.id
    version = aws_launch_template.nodes_launch-template_7B6F4E91.latest_version
  }
  scaling_config {
    desired_size = 3
    max_size     = 10
    min_size     = 3
  }
  taint {
    effect = "NO_EXECUTE"
    key    = "node.cilium.io/agent-not-ready"
    value  = "true"
  }
  update_config {
    max_unavailable = 1
  }
  depends_on = [
    "aws_iam_role_policy_attachment.nodes_policy-0_EE17DB2C",
    "aws_iam_role_policy_attachment.nodes_policy-1_980684DC",
    "helm_release.cilium_release_C0EB5990",
    "aws_route.network_private-0-default_2C85688E",
    "aws_route.network_private-1-default_515335DB",
    "aws_route.network_private-2-default_677BF21E",
  ]
  lifecycle {
    ignore_changes = [
      "scaling_config[0].desired_size",
    ]
  }
}
data "aws_eks_addon_version" "eks-pod-identity-agent-version" {
  addon_name         = "eks-pod-identity-agent"
  kubernetes_version = aws_eks_cluster.cluster_A4C38409.version
  most_recent        = false
}
resource "aws_eks_addon" "eks-pod-identity-agent" {
  addon_name                  = "eks-pod-identity-agent"
  addon_version               = data.aws_eks_addon_version.eks-pod-identity-agent-version.version
  cluster_name                = aws_eks_cluster.cluster_A4C38409.name
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags = {
    Component = "eks-pod-identity-agent"
  }
  depends_on = [
    "aws_eks_node_group.nodes_group_5DC773E7",
  ]
}
data "aws_eks_addon_version" "coredns-version" {
  addon_name         = "coredns"
  kubernetes_version = aws_eks_cluster.cluster_A4C38409.version
  most_recent        = false
}
resource "aws_eks_addon" "coredns" {
  addon_name                  = "coredns"
  addon_version               = data.aws_eks_addon_version.coredns-version.version
  cluster_name                = aws_eks_cluster.cluster_A4C38409.name
  configuration_values        = "{\"replicaCount\":2,\"resources\":{\"limits\":{\"cpu\":\"250m\",\"memory\":\"170Mi\"},\"requests\":{\"cpu\":\"50m\",\"memory\":\"70Mi\"}},\"tolerations\":[{\"key\":\"CriticalAddonsOnly\",\"operator\":\"Exists\"},{\"effect\":\"NoExecute\",\"key\":\"node.cilium.io/agent-not-ready\",\"operator\":\"Exists\"}]}"
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags = {
    Component = "coredns"
  }
  depends_on = [
    "aws_eks_node_group.nodes_group_5DC773E7",
  ]
}
resource "aws_iam_role" "ebs-csi-identity_role_31784ADF" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of the EKS add-on aws-ebs-csi-driver (kube-system/ebs-csi-controller-sa, Pod Identity)"
  name                 = "eks-platform-dev-ebs-csi"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "ebs-csi"
  }
}
resource "aws_iam_role_policy_attachment" "ebs-csi-identity_managed-0_6CCBF950" {
  policy_arn = "arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
  role       = aws_iam_role.ebs-csi-identity_role_31784ADF.name
}
data "aws_eks_addon_version" "aws-ebs-csi-driver-version" {
  addon_name         = "aws-ebs-csi-driver"
  kubernetes_version = aws_eks_cluster.cluster_A4C38409.version
  most_recent        = false
}
resource "aws_eks_addon" "aws-ebs-csi-driver" {
  addon_name                  = "aws-ebs-csi-driver"
  addon_version               = data.aws_eks_addon_version.aws-ebs-csi-driver-version.version
  cluster_name                = aws_eks_cluster.cluster_A4C38409.name
  configuration_values        = "{\"controller\":{\"replicaCount\":1}}"
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
  tags = {
    Component = "aws-ebs-csi-driver"
  }
  pod_identity_association {
    role_arn        = aws_iam_role.ebs-csi-identity_role_31784ADF.arn
    service_account = "ebs-csi-controller-sa"
  }
  depends_on = [
    "aws_eks_addon.eks-pod-identity-agent",
  ]
}
resource "helm_release" "storage-classes_release_F6116862" {
  atomic           = true
  chart            = "assets/storage-classes_chart_1EA56943/C563C13300AE0F39357FFF800EB28A3B"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart storage-classes"
  max_history      = 5
  name             = "storage-classes"
  namespace        = "kube-system"
  timeout          = 600
  values = [
    <<EOF
gp3:
    default: true
    name: gp3

EOF
  ]
  wait = true
  depends_on = [
    "aws_eks_addon.aws-ebs-csi-driver",
  ]
  provider = "helm"
}
resource "helm_release" "metrics-server_release_C39FBFD5" {
  atomic           = true
  chart            = "metrics-server"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "metrics-server"
  namespace        = "kube-system"
  repository       = "https://kubernetes-sigs.github.io/metrics-server"
  timeout          = 600
  values = [
    <<EOF
podDisruptionBudget:
    enabled: false
    minAvailable: 1
replicas: 1
resources:
    limits:
        cpu: 200m
        memory: 192Mi
    requests:
        cpu: 50m
        memory: 64Mi

EOF
  ]
  version = "3.13.1"
  wait    = true
  depends_on = [
    "aws_eks_addon.coredns",
    "aws_eks_addon.eks-pod-identity-agent",
  ]
  provider = "helm"
}
resource "aws_iam_role" "lbc-identity_role_36DC0E0D" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of kube-system/aws-load-balancer-controller (Pod Identity)"
  name                 = "eks-platform-dev-load-balancer-controller"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "load-balancer-controller"
  }
}
resource "aws_iam_role_policy" "lbc-identity_policy_5226F583" {
  name   = "load-balancer-controller"
  policy = jsonencode({ "Statement" = [{ "Action" = ["iam:CreateServiceLinkedRole"], "Condition" = { "StringEquals" = { "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:iam::${data.aws_caller_identity.kms_account_A4D56B00.account_id}:role/aws-service-role/elasticloadbalancing.amazonaws.com/*"], "Sid" = "ServiceLinkedRole" }, { "Action" = ["ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables", "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeCapacityReservation", "acm:ListCertificates", "acm:DescribeCertificate"], "Effect" = "Allow", "Resource" = ["*"], "Sid" = "Describe" }, { "Action" = ["ec2:CreateSecurityGroup"], "Effect" = "Allow", "Resource" = [aws_vpc.network_vpc_4E8F0223.arn], "Sid" = "CreateSecurityGroupInVPC" }, { "Action" = ["ec2:CreateSecurityGroup"], "Condition" = { "StringEquals" = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "eks-platform-dev-eks" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "CreateTaggedSecurityGroup" }, { "Action" = ["ec2:CreateTags"], "Condition" = { "StringEquals" = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "eks-platform-dev-eks", "ec2:CreateAction" = "CreateSecurityGroup" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "TagNewSecurityGroup" }, { "Action" = ["ec2:CreateTags", "ec2:DeleteTags"], "Condition" = { "Null" = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "true" }, "StringEquals" = { "aws:ResourceTag/elbv2.k8s.aws/cluster" = "eks-platform-dev-eks" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "RetagOwnSecurityGroups" }, { "Action" = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], "Condition" = { "ArnEquals" = { "ec2:Vpc" = aws_vpc.network_vpc_4E8F0223.arn } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "IngressRulesInVPC" }, { "Action" = ["ec2:DeleteSecurityGroup"], "Condition" = { "StringEquals" = { "aws:ResourceTag/elbv2.k8s.aws/cluster" = "eks-platform-dev-eks" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:ec2:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:security-group/*"], "Sid" = "DeleteOwnSecurityGroups" }, { "Action" = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], "Condition" = { "Null" = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "false" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/net/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/app/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:targetgroup/*/*"], "Sid" = "CreateTaggedLoadBalancers" }, { "Action" = ["elasticloadbalancing:AddTags"], "Condition" = { "StringEquals" = { "elasticloadbalancing:CreateAction" = ["CreateTargetGroup", "CreateLoadBalancer"] } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/net/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/app/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:targetgroup/*/*"], "Sid" = "TagOnCreate" }, { "Action" = ["elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], "Condition" = { "Null" = { "aws:ResourceTag/elbv2.k8s.aws/cluster" = "false" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/net/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/app/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:targetgroup/*/*"], "Sid" = "ManageOwnLoadBalancers" }, { "Action" = ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyRule"], "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:listener/net/*/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:listener/app/*/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:listener-rule/net/*/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:listener-rule/app/*/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/net/*/*", "arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:loadbalancer/app/*/*"], "Sid" = "ListenersAndRules" }, { "Action" = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:elasticloadbalancing:*:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:targetgroup/*/*"], "Sid" = "Targets" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.lbc-identity_role_36DC0E0D.id
}
resource "aws_eks_pod_identity_association" "lbc-identity_association_9DE51397" {
  cluster_name    = aws_eks_cluster.cluster_A4C38409.name
  namespace       = "kube-system"
  role_arn        = aws_iam_role.lbc-identity_role_36DC0E0D.arn
  service_account = "aws-load-balancer-controller"
  tags = {
    Component = "load-balancer-controller"
  }
  depends_on = [
    "aws_eks_addon.coredns",
    "aws_eks_addon.eks-pod-identity-agent",
  ]
}
resource "helm_release" "aws-load-balancer-controller_release_F45BFDE2" {
  atomic           = true
  chart            = "aws-load-balancer-controller"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "aws-load-balancer-controller"
  namespace        = "kube-system"
  repository       = "https://aws.github.io/eks-charts"
  timeout          = 600
  values = [
    <<EOF
clusterName: eks-platform-dev-eks
defaultTargetType: ip
region: us-east-1
replicaCount: 2
resources:
    limits:
        cpu: 200m
        memory: 256Mi
    requests:
        cpu: 50m
        memory: 96Mi
serviceAccount:
    create: true
    name: aws-load-balancer-controller
vpcId: ${aws_vpc.network_vpc_4E8F0223.id}

EOF
  ]
  version = "3.5.0"
  wait    = true
  depends_on = [
    "aws_eks_addon.coredns",
    "aws_eks_addon.eks-pod-identity-agent",
    "aws_eks_pod_identity_association.lbc-identity_association_9DE51397",
  ]
  provider = "helm"
}
resource "aws_iam_role" "autoscaler-identity_role_27D16D5A" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of kube-system/cluster-autoscaler (Pod Identity)"
  name                 = "eks-platform-dev-cluster-autoscaler"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "cluster-autoscaler"
  }
}
resource "aws_iam_role_policy" "autoscaler-identity_policy_4C70FD2E" {
  name   = "cluster-autoscaler"
  policy = jsonencode({ "Statement" = [{ "Action" = ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements"], "Effect" = "Allow", "Resource" = ["*"], "Sid" = "Describe" }, { "Action" = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], "Condition" = { "StringEquals" = { "aws:ResourceTag/k8s.io/cluster-autoscaler/eks-platform-dev-eks" = "owned" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:autoscaling:us-east-1:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:autoScalingGroup:*:autoScalingGroupName/*"], "Sid" = "ScaleOwnGroups" }, { "Action" = ["eks:DescribeNodegroup"], "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.kms_partition_79ECC167.partition}:eks:us-east-1:${data.aws_caller_identity.kms_account_A4D56B00.account_id}:nodegroup/eks-platform-dev-eks/*/*"], "Sid" = "DescribeNodegroups" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.autoscaler-identity_role_27D16D5A.id
}
resource "aws_eks_pod_identity_association" "autoscaler-identity_association_73EB83B0" {
  cluster_name    = aws_eks_cluster.cluster_A4C38409.name
  namespace       = "kube-system"
  role_arn        = aws_iam_role.autoscaler-identity_role_27D16D5A.arn
  service_account = "cluster-autoscaler"
  tags = {
    Component = "cluster-autoscaler"
  }
  depends_on = [
    "aws_eks_addon.coredns",
    "aws_eks_addon.eks-pod-identity-agent",
  ]
}
resource "helm_release" "cluster-autoscaler_release_AA634CEF" {
  atomic           = true
  chart            = "cluster-autoscaler"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "cluster-autoscaler"
  namespace        = "kube-system"
  repository       = "https://kubernetes.github.io/autoscaler"
  timeout          = 600
  values = [
    <<EOF
autoDiscovery:
    clusterName: eks-platform-dev-eks
awsRegion: us-east-1
cloudProvider: aws
extraArgs:
    balance-similar-node-groups: true
    expander: least-waste
    scale-down-delay-after-add: 10m
    scale-down-unneeded-time: 10m
    skip-nodes-with-system-pods: false
image:
    tag: v1.35.2
rbac:
    serviceAccount:
        create: true
        name: cluster-autoscaler
replicaCount: 1
resources:
    limits:
        cpu: 200m
        memory: 320Mi
    requests:
        cpu: 50m
        memory: 128Mi

EOF
  ]
  version = "9.59.0"
  wait    = true
  depends_on = [
    "aws_eks_addon.coredns",
    "aws_eks_addon.eks-pod-identity-agent",
    "aws_eks_pod_identity_association.autoscaler-identity_association_73EB83B0",
  ]
  provider = "helm"
}
resource "helm_release" "prometheus-operator-crds_release_E3AC8363" {
  atomic           = true
  chart            = "prometheus-operator-crds"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "prometheus-operator-crds"
  namespace        = "monitoring"
  repository       = "https://prometheus-community.github.io/helm-charts"
  timeout          = 600
  values = [
    <<EOF
crds:
    annotations:
        helm.sh/resource-policy: keep

EOF
  ]
  version = "31.0.1"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}

output "cluster_name" {
  value       = aws_eks_cluster.cluster_A4C38409.name
  description = "EKS cluster name"
}

output "cluster_endpoint" {
  value       = aws_eks_cluster.cluster_A4C38409.endpoint
  description = "EKS API endpoint"
}

output "cluster_certificate_authority" {
  value       = aws_eks_cluster.cluster_A4C38409.certificate_authority[0].data
  description = "Base64 PEM of the API server CA"
}

output "cluster_security_group_id" {
  value       = aws_eks_cluster.cluster_A4C38409.vpc_config[0].cluster_security_group_id
  description = "Security group EKS attaches to the control plane and nodes"
}

output "oidc_provider_arn" {
  value       = aws_iam_openid_connect_provider.cluster_oidc_E9345939.arn
  description = "IAM OIDC provider for IRSA"
}

output "oidc_issuer" {
  value       = aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer
  description = "OIDC issuer URL"
}

output "vpc_id" {
  value       = aws_vpc.network_vpc_4E8F0223.id
  description = "VPC id"
}

output "private_subnet_ids" {
  value = [
    "${aws_subnet.network_private-0_A0649C48.id}",
    "${aws_subnet.network_private-1_4188AF2B.id}",
    "${aws_subnet.network_private-2_96169D1F.id}",
  ]
  description = "Private subnets (nodes, internal load balancers)"
}

output "public_subnet_ids" {
  value = [
    "${aws_subnet.network_public-0_A4E682E0.id}",
    "${aws_subnet.network_public-1_8D79547B.id}",
    "${aws_subnet.network_public-2_7452BF82.id}",
  ]
  description = "Public subnets (internet-facing load balancers)"
}

output "kms_key_arn" {
  value       = aws_kms_key.kms_key_28C05A0F.arn
  description = "Platform KMS key (EKS secrets, logs)"
}

output "node_role_arn" {
  value       = aws_iam_role.nodes_role_6392FD84.arn
  description = "Node IAM role"
}

output "cross-stack-output-aws_eks_clustercluster_A4C38409certificate_authority0data" {
  value     = aws_eks_cluster.cluster_A4C38409.certificate_authority[0].data
  sensitive = true
}

output "cross-stack-output-aws_eks_clustercluster_A4C38409name" {
  value     = aws_eks_cluster.cluster_A4C38409.name
  sensitive = true
}

output "cross-stack-output-aws_eks_clustercluster_A4C38409endpoint" {
  value     = aws_eks_cluster.cluster_A4C38409.endpoint
  sensitive = true
}

output "cross-stack-output-aws_kms_keykms_key_28C05A0Farn" {
  value     = aws_kms_key.kms_key_28C05A0F.arn
  sensitive = true
}

output "cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer" {
  value     = aws_eks_cluster.cluster_A4C38409.identity[0].oidc[0].issuer
  sensitive = true
}

output "cross-stack-output-aws_iam_openid_connect_providercluster_oidc_E9345939arn" {
  value     = aws_iam_openid_connect_provider.cluster_oidc_E9345939.arn
  sensitive = true
}

output "cross-stack-output-aws_eks_clustercluster_A4C38409vpc_config0cluster_security_group_id" {
  value     = aws_eks_cluster.cluster_A4C38409.vpc_config[0].cluster_security_group_id
  sensitive = true
}
