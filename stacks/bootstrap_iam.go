package stacks

import (
	"fmt"
	"sort"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// deployPolicies are the permissions of the two GitHub deploy roles of an environment and of
// the permissions boundary that caps them and every role the stacks create (docs/adr/0011).
// Managed policies stay under IAM's 6,144-character limit, hence the parts.
type deployPolicies struct {
	cfg         *config.Config
	names       naming.Namer
	account     string
	bucket      string
	stateKeyARN string
	boundaryARN string
}

type namedDocument struct {
	name string
	doc  iampolicy.Document
}

// PlanRoleName is the name of an environment's read-only plan role.
func PlanRoleName(names naming.Namer) string { return names.Must(naming.IAMRole, "github-plan") }

func (p deployPolicies) planRoleName() string  { return PlanRoleName(p.names) }
func (p deployPolicies) applyRoleName() string { return p.names.Must(naming.IAMRole, "github-apply") }

func (p deployPolicies) policyName(part string) string {
	return p.names.Must(naming.IAMPolicy, part)
}

// PlanPolicyParts and ApplyPolicyParts name the managed policies of the plan and apply roles.
var (
	PlanPolicyParts  = []string{"plan-read"}
	ApplyPolicyParts = []string{"deploy-state", "deploy-network-create", "deploy-network", "deploy-cluster", "deploy-services"}
)

func (p deployPolicies) planParts() []namedDocument {
	return []namedDocument{{"plan-read", p.planRead()}}
}

func (p deployPolicies) applyParts() []namedDocument {
	return []namedDocument{
		{"deploy-state", p.state()}, {"deploy-network-create", p.networkCreate()}, {"deploy-network", p.network()},
		{"deploy-cluster", p.cluster()}, {"deploy-services", p.services()},
	}
}

func (p deployPolicies) arn(service, region, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, p.account, resource)
}

func (p deployPolicies) iamARN(resource string) string {
	return fmt.Sprintf("arn:aws:iam::%s:%s", p.account, resource)
}

// inRegion limits statements on "*" to the platform's region.
func (p deployPolicies) inRegion() map[string]any {
	return map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": p.cfg.Region}}
}

// ownTags is the environment's Project and Environment tags under a condition key prefix
// (aws:RequestTag or aws:ResourceTag): what the provider's default tags put on every resource.
func (p deployPolicies) ownTags(prefix string) map[string]any {
	return map[string]any{
		prefix + "/" + tagging.Project:     p.cfg.Project,
		prefix + "/" + tagging.Environment: p.cfg.Environment,
	}
}

func (p deployPolicies) stateObjects() string {
	return fmt.Sprintf("arn:aws:s3:::%s/%s/%s/*", p.bucket, p.cfg.Project, p.cfg.Environment)
}

// deployRoleARNs are what the boundary protects from every role: both deploy roles, their
// managed policies, the boundary itself and the GitHub OIDC provider.
func (p deployPolicies) deployRoleARNs() []string {
	out := []string{
		p.iamARN("role/" + p.planRoleName()), p.iamARN("role/" + p.applyRoleName()),
		p.boundaryARN, p.iamARN("oidc-provider/" + GitHubOIDCHost),
	}
	for _, part := range append(append([]string{}, PlanPolicyParts...), ApplyPolicyParts...) {
		out = append(out, p.iamARN("policy/"+p.policyName(part)))
	}
	return out
}

// BoundaryServices are the services whose actions the roles of the platform may be granted at
// all. A stack that needs another service adds it here (and the bootstrap is applied again).
var BoundaryServices = []string{
	"acm", "autoscaling", "cloudwatch", "ec2", "ec2messages", "ecr", "eks", "eks-auth",
	"elasticloadbalancing", "kms", "logs", "s3", "secretsmanager", "ssm", "ssmmessages", "sts",
}

// boundary is the permissions boundary of every role: the services above, IAM only for the
// environment's own roles, policies and cluster OIDC providers, and explicit denies that no
// role policy can lift: IAM users, groups and access keys; roles written without this boundary;
// removing or editing the boundary; touching the deploy roles; Organizations; weakening the
// state bucket and key.
func (p deployPolicies) boundary() iampolicy.Document {
	prefix := p.names.Prefix()
	bucketARN := "arn:aws:s3:::" + p.bucket
	services := make([]string, len(BoundaryServices))
	for i, s := range BoundaryServices {
		services[i] = s + ":*"
	}
	sort.Strings(services)
	withoutBoundary := map[string]any{"StringNotEquals": map[string]any{"iam:PermissionsBoundary": p.boundaryARN}}
	return iampolicy.NewBoundary(
		iampolicy.Allow("PlatformServices", services, "*"),
		iampolicy.Allow("IAMRead", []string{"iam:Get*", "iam:List*"}, "*"),
		iampolicy.Allow("IAMOwnRoles", []string{"iam:*"},
			p.iamARN("role/"+prefix+"-*"), p.iamARN("policy/"+prefix+"-*"),
			p.iamARN(fmt.Sprintf("oidc-provider/oidc.eks.%s.amazonaws.com/id/*", p.cfg.Region)),
			p.iamARN("role/aws-service-role/*")),
		iampolicy.Statement{Sid: "DenyRoleWritesWithoutBoundary", Effect: "Deny",
			Action: []string{
				"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
				"iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy",
			},
			Resource: []string{p.iamARN("role/*")}, Condition: withoutBoundary},
		iampolicy.Statement{Sid: "DenyBoundaryRemoval", Effect: "Deny",
			Action:   []string{"iam:DeleteRolePermissionsBoundary"},
			Resource: []string{p.iamARN("role/*")}},
		iampolicy.Statement{Sid: "DenyUsersGroupsAndKeys", Effect: "Deny",
			Action: []string{
				"iam:*User*", "iam:*Group*", "iam:*AccessKey*", "iam:*LoginProfile*",
				"iam:*ServiceSpecificCredential*", "iam:*SSHPublicKey*", "iam:*SigningCertificate*",
			},
			Resource: []string{"*"}},
		iampolicy.Statement{Sid: "DenyDeployRolesAndBoundary", Effect: "Deny",
			Action: []string{"iam:*"}, Resource: p.deployRoleARNs()},
		iampolicy.Statement{Sid: "DenyOrganizations", Effect: "Deny",
			Action: []string{"organizations:*"}, Resource: []string{"*"}},
		iampolicy.Statement{Sid: "ProtectStateBucket", Effect: "Deny",
			Action: []string{"s3:DeleteBucket*", "s3:PutBucket*", "s3:PutEncryptionConfiguration",
				"s3:PutLifecycleConfiguration", "s3:DeleteObjectVersion"},
			Resource: []string{bucketARN, bucketARN + "/*"}},
		iampolicy.Statement{Sid: "ProtectStateKey", Effect: "Deny",
			Action: []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy",
				"kms:CreateGrant", "kms:TagResource", "kms:UntagResource", "kms:DeleteAlias", "kms:UpdateAlias"},
			Resource: []string{p.stateKeyARN, p.arn("kms", p.cfg.StateRegion(), "alias/"+p.names.Must(naming.KMSAlias, "tfstate"))}},
	)
}

// planRead is the plan role: read the environment's state and take its lock, and read what the
// stacks manage. The S3 backend's lock (use_lockfile) is an object next to the state, so
// the role may put and delete exactly <key>.tflock and nothing else (docs/adr/0011).
func (p deployPolicies) planRead() iampolicy.Document {
	bucketARN := "arn:aws:s3:::" + p.bucket
	prefix := p.names.Prefix()
	region := p.cfg.Region
	lock := fmt.Sprintf("arn:aws:s3:::%s/%s/%s/*.tflock", p.bucket, p.cfg.Project, p.cfg.Environment)
	read := iampolicy.Allow("DescribeEverywhere", []string{
		"ec2:Describe*", "autoscaling:Describe*", "elasticloadbalancing:Describe*",
		"eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration", "eks:DescribeClusterVersions", "eks:ListClusters",
		"kms:ListAliases", "logs:DescribeLogGroups", "iam:ListOpenIDConnectProviders",
	}, "*")
	read.Condition = p.inRegion()
	statements := []iampolicy.Statement{
		iampolicy.Allow("StateList", []string{"s3:ListBucket"}, bucketARN),
		iampolicy.Allow("StateRead", []string{"s3:GetObject"}, p.stateObjects()),
		iampolicy.Allow("StateLock", []string{"s3:PutObject", "s3:DeleteObject"}, lock),
		iampolicy.Allow("StateKey", []string{"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"}, p.stateKeyARN),
		read,
		iampolicy.Allow("EKSRead", []string{"eks:Describe*", "eks:List*"},
			p.arn("eks", region, "cluster/"+prefix+"*"), p.arn("eks", region, "nodegroup/"+prefix+"*/*"),
			p.arn("eks", region, "addon/"+prefix+"*/*"), p.arn("eks", region, "podidentityassociation/"+prefix+"*/*"),
			p.arn("eks", region, "access-entry/"+prefix+"*/*")),
		iampolicy.Allow("IAMRead", []string{
			"iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
			"iam:ListRoleTags", "iam:ListInstanceProfilesForRole", "iam:GetPolicy", "iam:GetPolicyVersion",
			"iam:ListPolicyVersions", "iam:ListPolicyTags", "iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags",
		}, p.iamARN("role/"+prefix+"-*"), p.iamARN("policy/"+prefix+"-*"), "arn:aws:iam::aws:policy/*",
			p.iamARN(fmt.Sprintf("oidc-provider/oidc.eks.%s.amazonaws.com/id/*", region))),
		iampolicy.Allow("KMSRead", []string{"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"},
			p.arn("kms", region, "key/*")),
		iampolicy.Allow("LogsRead", []string{"logs:ListTagsForResource", "logs:ListTagsLogGroup"},
			p.arn("logs", region, "log-group:*"+prefix+"*")),
		iampolicy.Allow("S3Read", []string{
			"s3:ListBucket", "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration",
			"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
		}, "arn:aws:s3:::"+prefix+"-*"),
		iampolicy.Allow("ECRRead", []string{"ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"},
			p.arn("ecr", region, "repository/"+prefix+"*")),
		iampolicy.Allow("SSMEKSAMIs", []string{"ssm:GetParameter", "ssm:GetParameters"},
			fmt.Sprintf("arn:aws:ssm:%s::parameter/aws/service/eks/*", region)),
		iampolicy.Allow("SecretsManagerRead", []string{"secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"},
			p.arn("secretsmanager", region, "secret:"+prefix+"-*")),
	}
	if s := p.tokenSecret(); s != nil {
		statements = append(statements, *s)
	}
	return iampolicy.New(statements...)
}

// tokenSecret is read access to the configured Cloudflare token, which the ingress stack reads
// in plans too.
func (p deployPolicies) tokenSecret() *iampolicy.Statement {
	name := p.cfg.Ingress.TokenSecretName
	if name == "" {
		return nil
	}
	s := iampolicy.Allow("ReadCloudflareToken", []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
		p.arn("secretsmanager", p.cfg.Region, "secret:"+name+"-??????"))
	return &s
}

// state is the apply role's Terraform state: list the bucket, read and write the state and lock
// objects of this environment, use the state key. The boundary keeps it from weakening either.
func (p deployPolicies) state() iampolicy.Document {
	bucketARN := "arn:aws:s3:::" + p.bucket
	return iampolicy.New(
		iampolicy.Allow("StateList", []string{"s3:ListBucket"}, bucketARN),
		iampolicy.Allow("StateObjects", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, p.stateObjects()),
		iampolicy.Allow("StateKey", []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"}, p.stateKeyARN),
	)
}

// ec2Creates maps each EC2 create call of the stacks to the resource type it creates.
var ec2Creates = []struct{ action, created string }{
	{"ec2:CreateVpc", "vpc"}, {"ec2:CreateSubnet", "subnet"}, {"ec2:CreateRouteTable", "route-table"},
	{"ec2:CreateInternetGateway", "internet-gateway"}, {"ec2:AllocateAddress", "elastic-ip"},
	{"ec2:CreateNatGateway", "natgateway"}, {"ec2:CreateSecurityGroup", "security-group"},
	{"ec2:CreateVpcEndpoint", "vpc-endpoint"}, {"ec2:CreateFlowLogs", "vpc-flow-log"},
	{"ec2:CreateLaunchTemplate", "launch-template"},
	{"ec2:AuthorizeSecurityGroupIngress", "security-group-rule"}, {"ec2:AuthorizeSecurityGroupEgress", "security-group-rule"},
}

// ec2OwnTypes are the EC2 resource types the stacks create, all tagged Project and Environment
// by the provider's default tags.
var ec2OwnTypes = []string{
	"vpc", "subnet", "route-table", "internet-gateway", "elastic-ip", "natgateway", "security-group",
	"security-group-rule", "vpc-endpoint", "vpc-flow-log", "launch-template",
}

func (p deployPolicies) ec2(types ...string) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = p.arn("ec2", p.cfg.Region, t+"/*")
	}
	return out
}

// networkCreate lets the apply role create EC2 resources only with the environment's tags in
// the request (aws:RequestTag on the created type), one statement per call: the parent
// resources of a call (the VPC of a subnet) do not carry request tags, and are allowed by the
// own-resources statement of network().
func (p deployPolicies) networkCreate() iampolicy.Document {
	var statements []iampolicy.Statement
	for _, c := range ec2Creates {
		statements = append(statements, iampolicy.Statement{
			Sid: "Create" + sidPart(c.created), Effect: "Allow",
			Action: []string{c.action}, Resource: p.ec2(c.created),
			Condition: map[string]any{"StringEquals": p.ownTags("aws:RequestTag")},
		})
	}
	return iampolicy.New(mergeSids(statements)...)
}

// network is reading EC2 and changing only what carries the environment's tags. Describe calls
// have no resource-level permissions; the calls below that cannot be scoped by tag say why.
func (p deployPolicies) network() iampolicy.Document {
	read := iampolicy.Allow("EC2Read", []string{
		"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute",
		"ec2:DescribeAvailabilityZones", "ec2:DescribeDhcpOptions", "ec2:DescribeEgressOnlyInternetGateways",
		"ec2:DescribeFlowLogs", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceTypes",
		"ec2:DescribeInternetGateways", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions",
		"ec2:DescribeNatGateways", "ec2:DescribeNetworkAcls", "ec2:DescribeNetworkInterfaces",
		"ec2:DescribePrefixLists", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules",
		"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVpcAttribute",
		"ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices", "ec2:DescribeVpcs",
		"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations",
		"autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags",
		// The ingress stack reads the load balancer that the AWS Load Balancer Controller made.
		"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
		"elasticloadbalancing:DescribeTags",
	}, "*")
	read.Condition = p.inRegion()
	return iampolicy.New(
		read,
		iampolicy.Statement{Sid: "EC2ChangeOwn", Effect: "Allow",
			Action: []string{
				"ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
				"ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
				"ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
				"ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
				"ec2:ReleaseAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress",
				"ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
				"ec2:ModifySecurityGroupRules", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
				"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
				"ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
				"ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints",
				"ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
				"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate",
				"ec2:DeleteLaunchTemplateVersions", "ec2:RunInstances", "ec2:CreateTags", "ec2:DeleteTags",
			},
			Resource:  p.ec2(ec2OwnTypes...),
			Condition: map[string]any{"StringEquals": p.ownTags("aws:ResourceTag")}},
		// Tagging a resource with the environment's own tags: tags on create, and adopting the
		// VPC's default security group, which EC2 creates untagged (aws_default_security_group).
		// Only resources without a Project tag: another environment's cannot be claimed.
		iampolicy.Statement{Sid: "EC2TagAsOwn", Effect: "Allow",
			Action: []string{"ec2:CreateTags"}, Resource: p.ec2(ec2OwnTypes...),
			Condition: map[string]any{
				"StringEquals": p.ownTags("aws:RequestTag"),
				"Null":         map[string]any{"aws:ResourceTag/" + tagging.Project: "true"},
			}},
		// EKS checks that the caller may launch from a node group's launch template (own, above);
		// the AMI is AWS's, and the instances, volumes and interfaces are made by Auto Scaling.
		iampolicy.Allow("EC2LaunchNodes", []string{"ec2:RunInstances"},
			p.ec2("image", "instance", "volume", "network-interface", "subnet", "security-group")...),
		// Load balancer and CNI interfaces left in the VPC block its deletion; EC2 deletes only
		// detached interfaces, and they carry no tags of ours.
		iampolicy.Allow("EC2DeleteDetachedInterfaces", []string{"ec2:DeleteNetworkInterface"}, p.ec2("network-interface")...),
	)
}

// cluster is EKS and the IAM roles, policies and OIDC providers the stacks create, all limited
// to the environment's name prefix. Every call that creates a role or writes its permissions
// carries the permissions boundary (iam:PermissionsBoundary), so no role can exceed it.
func (p deployPolicies) cluster() iampolicy.Document {
	prefix := p.names.Prefix()
	eks := func(kind string) string { return p.arn("eks", p.cfg.Region, kind+"/"+prefix+"*") }
	roles := p.iamARN("role/" + prefix + "-*")
	policies := p.iamARN("policy/" + prefix + "-*")
	withBoundary := map[string]any{"iam:PermissionsBoundary": p.boundaryARN}
	return iampolicy.New(
		iampolicy.Allow("EKSRead", []string{"eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration",
			"eks:DescribeClusterVersions", "eks:ListClusters"}, "*"),
		// CreateCluster has no resource-level permission (only "*"): the request's tags scope it.
		iampolicy.Statement{Sid: "EKSCreateTaggedCluster", Effect: "Allow",
			Action: []string{"eks:CreateCluster"}, Resource: []string{"*"},
			Condition: map[string]any{"StringEquals": p.ownTags("aws:RequestTag")}},
		iampolicy.Allow("EKSManage", []string{
			"eks:DeleteCluster", "eks:Describe*", "eks:List*", "eks:Update*",
			"eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:CreateAddon", "eks:DeleteAddon",
			"eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation",
			"eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
			"eks:AssociateEncryptionConfig", "eks:TagResource", "eks:UntagResource",
		}, eks("cluster"), eks("nodegroup")+"/*", eks("addon")+"/*", eks("podidentityassociation")+"/*", eks("access-entry")+"/*"),
		iampolicy.Statement{Sid: "IAMRoleWritesWithBoundary", Effect: "Allow",
			Action: []string{
				"iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
				"iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
			},
			Resource: []string{roles}, Condition: map[string]any{"StringEquals": withBoundary}},
		iampolicy.Statement{Sid: "IAMAttachKnownPoliciesWithBoundary", Effect: "Allow", Action: []string{"iam:AttachRolePolicy"},
			Resource: []string{roles},
			Condition: map[string]any{
				"StringEquals": withBoundary,
				"ArnLike": map[string]any{"iam:PolicyARN": []string{
					policies,
					"arn:aws:iam::aws:policy/AmazonEKS*",
					"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
					"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
					"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
					"arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
				}}}},
		iampolicy.Allow("IAMRoleReadAndTags", []string{
			"iam:GetRole", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:GetRolePolicy",
			"iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
		}, roles),
		iampolicy.Statement{Sid: "IAMPassRoleToEKS", Effect: "Allow", Action: []string{"iam:PassRole"},
			Resource: []string{roles},
			Condition: map[string]any{"StringEquals": map[string]any{"iam:PassedToService": []string{
				"eks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com",
			}}}},
		// Managed policies grant nothing until attached, and attaching needs the boundary; the
		// boundary denies editing the deploy roles' own policies and itself.
		iampolicy.Allow("IAMPolicies", []string{
			"iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
			"iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy", "iam:ListPolicyTags",
		}, policies),
		iampolicy.Allow("IAMReadAWSPolicies", []string{"iam:GetPolicy", "iam:GetPolicyVersion"}, "arn:aws:iam::aws:policy/*"),
		iampolicy.Allow("IAMClusterOIDC", []string{
			"iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:GetOpenIDConnectProvider",
			"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags",
			"iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
			"iam:RemoveClientIDFromOpenIDConnectProvider",
		}, p.iamARN(fmt.Sprintf("oidc-provider/oidc.eks.%s.amazonaws.com/id/*", p.cfg.Region))),
		// Service-linked roles cannot carry a boundary; AWS defines their permissions.
		iampolicy.Statement{Sid: "IAMServiceLinkedRoles", Effect: "Allow", Action: []string{"iam:CreateServiceLinkedRole"},
			Resource: []string{p.iamARN("role/aws-service-role/*")},
			Condition: map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": []string{
				"eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com",
				"elasticloadbalancing.amazonaws.com", "spot.amazonaws.com",
			}}}},
	)
}

// services is KMS keys, log groups, S3 buckets and ECR repositories of the stacks, and the
// configured Secrets Manager secret.
func (p deployPolicies) services() iampolicy.Document {
	prefix := p.names.Prefix()
	region := p.cfg.Region
	statements := []iampolicy.Statement{
		{Sid: "KMSCreateTaggedKeys", Effect: "Allow", Action: []string{"kms:CreateKey"}, Resource: []string{"*"},
			Condition: map[string]any{"StringEquals": p.ownTags("aws:RequestTag")}},
		// Tagging at creation needs kms:TagResource in an IAM policy that covers every key of the
		// account and Region (KMS "Controlling access to tags"); only with the environment's tags
		// and only on keys without a Project tag yet, so no other key can be claimed.
		{Sid: "KMSTagNewKeys", Effect: "Allow", Action: []string{"kms:TagResource"}, Resource: []string{p.arn("kms", region, "key/*")},
			Condition: map[string]any{
				"StringEquals": p.ownTags("aws:RequestTag"),
				"Null":         map[string]any{"aws:ResourceTag/" + tagging.Project: "true"},
			}},
		iampolicy.Allow("KMSListAliases", []string{"kms:ListAliases"}, "*"),
		// CreateAlias, UpdateAlias and DeleteAlias are authorized on the key (here) and on the
		// alias (KMSAliases).
		{Sid: "KMSManageOwnKeys", Effect: "Allow", Action: []string{
			"kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
			"kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
			"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
			"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
		}, Resource: []string{p.arn("kms", region, "key/*")},
			Condition: map[string]any{"StringEquals": p.ownTags("aws:ResourceTag")}},
		iampolicy.Allow("KMSAliases", []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			p.arn("kms", region, "alias/"+prefix+"-*")),
		iampolicy.Allow("LogsDescribe", []string{"logs:DescribeLogGroups"}, "*"),
		iampolicy.Allow("LogsManage", []string{
			"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
			"logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource",
			"logs:ListTagsForResource", "logs:TagLogGroup", "logs:UntagLogGroup", "logs:ListTagsLogGroup",
		}, p.arn("logs", region, "log-group:*"+prefix+"*")),
		iampolicy.Allow("S3Buckets", []string{
			"s3:CreateBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*", "s3:DeleteBucket*",
			"s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
			"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetReplicationConfiguration",
		}, "arn:aws:s3:::"+prefix+"-*"),
		// Emptying a bucket on destroy (force_destroy).
		iampolicy.Allow("S3EmptyBuckets", []string{"s3:DeleteObject", "s3:DeleteObjectVersion"}, "arn:aws:s3:::"+prefix+"-*/*"),
		iampolicy.Allow("ECRRepositories", []string{
			"ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:BatchDeleteImage",
			"ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
			"ecr:SetRepositoryPolicy", "ecr:GetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
			"ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability",
			"ecr:TagResource", "ecr:UntagResource", "ecr:ListTagsForResource",
		}, p.arn("ecr", region, "repository/"+prefix+"*")),
		iampolicy.Allow("SSMEKSAMIs", []string{"ssm:GetParameter", "ssm:GetParameters"},
			fmt.Sprintf("arn:aws:ssm:%s::parameter/aws/service/eks/*", region)),
		// Secrets the stacks create themselves (the OpenBao init secret, <prefix>-openbao/init);
		// their values are written in-cluster, never by Terraform.
		iampolicy.Allow("SecretsManagerOwnSecrets", []string{
			"secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret",
			"secretsmanager:GetResourcePolicy", "secretsmanager:TagResource", "secretsmanager:UntagResource",
			"secretsmanager:UpdateSecret",
		}, p.arn("secretsmanager", region, "secret:"+prefix+"-*")),
	}
	if s := p.tokenSecret(); s != nil {
		statements = append(statements, *s)
	}
	return iampolicy.New(statements...)
}

// sidPart makes a resource type a Sid fragment: "route-table" → "RouteTable".
func sidPart(s string) string {
	out := make([]byte, 0, len(s))
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			upper = true
			continue
		}
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		out = append(out, c)
	}
	return string(out)
}

// mergeSids folds statements with the same Sid (same resource and condition) into one.
func mergeSids(in []iampolicy.Statement) []iampolicy.Statement {
	var out []iampolicy.Statement
	index := map[string]int{}
	for _, s := range in {
		if i, ok := index[s.Sid]; ok {
			out[i].Action = append(out[i].Action, s.Action...)
			continue
		}
		index[s.Sid] = len(out)
		out = append(out, s)
	}
	return out
}
