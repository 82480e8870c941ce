package stacks

import (
	"fmt"
	"os"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamopenidconnectprovider"
	awsiampolicy "github.com/cdktf/cdktf-provider-aws-go/aws/v19/iampolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// BootstrapID is the stack id of the one-time bootstrap stack (not one of the seven).
const BootstrapID = "bootstrap"

// GitHub's OIDC issuer and the audience configure-aws-credentials asks for.
const (
	GitHubOIDCHost     = "token.actions.githubusercontent.com"
	GitHubOIDCAudience = "sts.amazonaws.com"
)

// ExistingOIDCProviderEnv, when set to 1, makes the bootstrap stack reuse the account's GitHub
// OIDC provider instead of creating it. An account holds one provider per issuer URL, so when
// several environments share an AWS account only the first bootstrap creates it.
const ExistingOIDCProviderEnv = "PLATFORM_BOOTSTRAP_EXISTING_OIDC"

// DeployRoleMaxSession is the longest session the deploy role grants (seconds): an apply that
// creates a cluster and waits for Helm releases can take more than the default hour.
const DeployRoleMaxSession = 7200

// StateBucketName is the S3 state bucket of cfg: State.Bucket (or PLATFORM_STATE_BUCKET), or
// <project>-<env>-tfstate. S3 bucket names are global across all AWS accounts, so the default
// may be taken; set state.bucket then.
func StateBucketName(cfg *config.Config) string {
	if cfg.State.Bucket != "" {
		return cfg.State.Bucket
	}
	return naming.New(cfg.Project, cfg.Environment).Must(naming.S3Bucket, "tfstate")
}

// BootstrapOptions are the inputs of NewBootstrapWith.
type BootstrapOptions struct {
	// Repo is the GitHub repository, owner/name, whose environment cfg.Environment may assume
	// the deploy role.
	Repo string
	// ExistingOIDCProvider reuses the account's GitHub OIDC provider instead of creating it.
	ExistingOIDCProvider bool
}

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$`)

// NewBootstrap creates the bootstrap stack: the KMS-encrypted S3 state bucket, the GitHub OIDC
// provider and the environment's deploy role. It is applied once per environment with
// administrator credentials and a local state (see docs/bootstrap.md). The GitHub OIDC provider
// is reused instead of created when PLATFORM_BOOTSTRAP_EXISTING_OIDC=1.
func NewBootstrap(scope constructs.Construct, cfg *config.Config, repo string) cdktf.TerraformStack {
	return NewBootstrapWith(scope, cfg, BootstrapOptions{Repo: repo, ExistingOIDCProvider: os.Getenv(ExistingOIDCProviderEnv) == "1"})
}

// NewBootstrapWith is NewBootstrap with explicit options. An invalid repository is a
// programming or usage error and panics with a message saying what to set.
func NewBootstrapWith(scope constructs.Construct, cfg *config.Config, opt BootstrapOptions) cdktf.TerraformStack {
	if !repoPattern.MatchString(opt.Repo) {
		panic(fmt.Errorf("bootstrap: GitHub repository %q must be owner/name (set GITHUB_REPOSITORY)", opt.Repo))
	}
	stack := cdktf.NewTerraformStack(scope, jsii.String(BootstrapID))
	names := naming.New(cfg.Project, cfg.Environment)
	defaults := tagging.Defaults(cfg.Project, cfg.Environment, BootstrapID, cfg.Owner)
	// The bucket and its key live in the state region; IAM is global.
	newAWSProvider(stack, cfg.StateRegion(), defaults)
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{Path: jsii.String(LocalStatePath(cfg.Environment, BootstrapID))})
	tagging.Check(stack, defaults)

	account := *dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("current"), nil).AccountId()
	keep := &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}

	key := kmskey.NewKmsKey(stack, jsii.String("state-key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String("Terraform state of " + names.Prefix()),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(30),
		Tags:                 tagging.ComponentTags("state"),
		Lifecycle:            keep,
	})
	kmsalias.NewKmsAlias(stack, jsii.String("state-key-alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + names.Must(naming.KMSAlias, "tfstate")),
		TargetKeyId: key.KeyId(),
	})

	bucketName := StateBucketName(cfg)
	bucket := s3bucket.NewS3Bucket(stack, jsii.String("state-bucket"), &s3bucket.S3BucketConfig{
		Bucket:    jsii.String(bucketName),
		Tags:      tagging.ComponentTags("state"),
		Lifecycle: keep,
	})
	s3bucketversioning.NewS3BucketVersioningA(stack, jsii.String("state-versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket:                  bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
	})
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(stack, jsii.String("state-encryption"),
		&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
			Bucket: bucket.Id(),
			Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
				ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
					SseAlgorithm:   jsii.String("aws:kms"),
					KmsMasterKeyId: key.Arn(),
				},
				BucketKeyEnabled: jsii.Bool(true),
			}},
		})
	s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(stack, jsii.String("state-public-access"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(stack, jsii.String("state-ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucket.Id(),
		Rule:   &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
	})
	s3bucketpolicy.NewS3BucketPolicy(stack, jsii.String("state-tls-only"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucket.Id(),
		Policy: tlsOnlyPolicy(bucketName).Expr(),
	})
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(stack, jsii.String("state-lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{{
			Id:     jsii.String("expire-old-state-versions"),
			Status: jsii.String("Enabled"),
			Filter: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{Prefix: jsii.String("")}},
			// Old state versions go after 90 days; the 10 newest of every state file always stay.
			NoncurrentVersionExpiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
				NoncurrentDays: jsii.Number(90), NewerNoncurrentVersions: jsii.Number(10),
			}},
			AbortIncompleteMultipartUpload: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
				DaysAfterInitiation: jsii.Number(7),
			}},
		}},
	})

	oidcARN := fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", account, GitHubOIDCHost)
	if !opt.ExistingOIDCProvider {
		oidcARN = *iamopenidconnectprovider.NewIamOpenidConnectProvider(stack, jsii.String("github-oidc"), &iamopenidconnectprovider.IamOpenidConnectProviderConfig{
			Url:          jsii.String("https://" + GitHubOIDCHost),
			ClientIdList: jsii.Strings(GitHubOIDCAudience),
			Tags:         tagging.ComponentTags("github-oidc"),
		}).Arn()
	}

	p := deployPolicies{cfg: cfg, names: names, account: account, bucket: bucketName, stateKeyARN: *key.Arn()}
	role := iamrole.NewIamRole(stack, jsii.String("deploy-role"), &iamrole.IamRoleConfig{
		Name:               jsii.String(p.roleName()),
		Description:        jsii.String(fmt.Sprintf("GitHub Actions deploys of %s from environment %s of %s", names.Prefix(), cfg.Environment, opt.Repo)),
		AssumeRolePolicy:   GitHubTrustPolicy(oidcARN, opt.Repo, cfg.Environment).Expr(),
		MaxSessionDuration: jsii.Number(DeployRoleMaxSession),
		Tags:               tagging.ComponentTags("github-deploy"),
	})
	for _, part := range p.all() {
		pol := awsiampolicy.NewIamPolicy(stack, jsii.String("deploy-"+part.name), &awsiampolicy.IamPolicyConfig{
			Name:        jsii.String(p.policyName(part.name)),
			Description: jsii.String("GitHub deploy role of " + names.Prefix() + ": " + part.name),
			Policy:      part.doc.Expr(),
			Tags:        tagging.ComponentTags("github-deploy"),
		})
		iamrolepolicyattachment.NewIamRolePolicyAttachment(stack, jsii.String("deploy-"+part.name+"-attachment"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: pol.Arn(),
		})
	}

	output := func(id, description string, value *string) {
		cdktf.NewTerraformOutput(stack, jsii.String(id), &cdktf.TerraformOutputConfig{Value: value, Description: jsii.String(description)})
	}
	output("deploy_role_arn", "GitHub environment variable AWS_DEPLOY_ROLE_ARN", role.Arn())
	output("state_bucket", "GitHub environment variable TF_STATE_BUCKET", bucket.Bucket())
	output("state_region", "GitHub environment variable AWS_REGION (state bucket region)", jsii.String(cfg.StateRegion()))
	output("state_kms_key_arn", "KMS key that encrypts the state bucket", key.Arn())
	output("github_oidc_provider_arn", "GitHub Actions OIDC provider", jsii.String(oidcARN))
	return stack
}

// GitHubTrustPolicy lets only jobs of one GitHub environment of one repository assume a role,
// through GitHub's OIDC provider.
func GitHubTrustPolicy(providerARN, repo, env string) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       "GitHubEnvironment",
		Effect:    "Allow",
		Principal: map[string]any{"Federated": providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: map[string]any{"StringEquals": map[string]any{
			GitHubOIDCHost + ":aud": GitHubOIDCAudience,
			GitHubOIDCHost + ":sub": fmt.Sprintf("repo:%s:environment:%s", repo, env),
		}},
	})
}

// tlsOnlyPolicy denies every request to the bucket that does not use TLS.
func tlsOnlyPolicy(bucket string) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"},
		Condition: map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	})
}

// deployPolicies is the deploy role's permissions, split into managed policies that each stay
// under IAM's 6,144-character limit.
type deployPolicies struct {
	cfg         *config.Config
	names       naming.Namer
	account     string
	bucket      string
	stateKeyARN string
}

type namedDocument struct {
	name string
	doc  iampolicy.Document
}

func (p deployPolicies) roleName() string { return p.names.Must(naming.IAMRole, "github-deploy") }

func (p deployPolicies) policyName(part string) string {
	return p.names.Must(naming.IAMPolicy, "deploy-"+part)
}

// DeployPolicyParts names the managed policies of the deploy role, in order.
var DeployPolicyParts = []string{"state", "network", "cluster", "services"}

func (p deployPolicies) all() []namedDocument {
	return []namedDocument{
		{"state", p.state()}, {"network", p.network()}, {"cluster", p.cluster()}, {"services", p.services()},
	}
}

func (p deployPolicies) arn(service, region, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, p.account, resource)
}

// inRegion limits statements on "*" to the platform's region.
func (p deployPolicies) inRegion() map[string]any {
	return map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": p.cfg.Region}}
}

// state is the Terraform state of this environment, and guard rails that keep the deploy role
// from weakening what the bootstrap created: the state bucket, its key, the role itself.
func (p deployPolicies) state() iampolicy.Document {
	bucketARN := "arn:aws:s3:::" + p.bucket
	var ownPolicies []string
	for _, part := range DeployPolicyParts {
		ownPolicies = append(ownPolicies, fmt.Sprintf("arn:aws:iam::%s:policy/%s", p.account, p.policyName(part)))
	}
	return iampolicy.New(
		iampolicy.Allow("StateList", []string{"s3:ListBucket"}, bucketARN),
		iampolicy.Allow("StateObjects", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
			fmt.Sprintf("%s/%s/%s/*", bucketARN, p.cfg.Project, p.cfg.Environment)),
		iampolicy.Allow("StateKey", []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"}, p.stateKeyARN),
		iampolicy.Statement{Sid: "ProtectStateBucket", Effect: "Deny",
			Action: []string{"s3:DeleteBucket*", "s3:PutBucket*", "s3:PutEncryptionConfiguration",
				"s3:PutLifecycleConfiguration", "s3:DeleteObjectVersion"},
			Resource: []string{bucketARN, bucketARN + "/*"}},
		iampolicy.Statement{Sid: "ProtectStateKey", Effect: "Deny",
			Action: []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy",
				"kms:CreateGrant", "kms:DeleteAlias", "kms:UpdateAlias"},
			Resource: []string{p.stateKeyARN, p.arn("kms", p.cfg.StateRegion(), "alias/"+p.names.Must(naming.KMSAlias, "tfstate"))}},
		iampolicy.Statement{Sid: "ProtectDeployRole", Effect: "Deny",
			Action: []string{"iam:*"},
			Resource: append([]string{
				fmt.Sprintf("arn:aws:iam::%s:role/%s", p.account, p.roleName()),
				fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", p.account, GitHubOIDCHost),
			}, ownPolicies...)},
	)
}

// network is the VPC and node launch of the foundation stack. EC2 has no resource-level
// permissions for most of these calls, so they are listed one by one on "*" and limited to the
// platform's region.
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
	write := iampolicy.Allow("EC2Write", []string{
		"ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute",
		"ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
		"ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
		"ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
		"ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
		"ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress",
		"ec2:CreateNatGateway", "ec2:DeleteNatGateway",
		"ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:ModifySecurityGroupRules",
		"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
		"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
		"ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
		"ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints",
		"ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
		"ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
		"ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions",
		"ec2:DeleteNetworkInterface", "ec2:CreateTags", "ec2:DeleteTags",
		// EKS checks that the caller may launch instances from a node group's launch template.
		"ec2:RunInstances",
	}, "*")
	write.Condition = p.inRegion()
	return iampolicy.New(read, write)
}

// cluster is EKS and the IAM roles, policies and OIDC providers the stacks create, all
// limited to the environment's name prefix.
func (p deployPolicies) cluster() iampolicy.Document {
	prefix := p.names.Prefix()
	eks := func(kind string) string { return p.arn("eks", p.cfg.Region, kind+"/"+prefix+"*") }
	iamARN := func(resource string) string { return fmt.Sprintf("arn:aws:iam::%s:%s", p.account, resource) }
	roles := iamARN("role/" + prefix + "-*")
	policies := iamARN("policy/" + prefix + "-*")
	return iampolicy.New(
		iampolicy.Allow("EKSRead", []string{"eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration",
			"eks:DescribeClusterVersions", "eks:ListClusters"}, "*"),
		iampolicy.Allow("EKSManage", []string{
			"eks:CreateCluster", "eks:DeleteCluster", "eks:Describe*", "eks:List*", "eks:Update*",
			"eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:CreateAddon", "eks:DeleteAddon",
			"eks:CreatePodIdentityAssociation", "eks:DeletePodIdentityAssociation",
			"eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
			"eks:AssociateEncryptionConfig", "eks:TagResource", "eks:UntagResource",
		}, eks("cluster"), eks("nodegroup")+"/*", eks("addon")+"/*", eks("podidentityassociation")+"/*", eks("access-entry")+"/*"),
		iampolicy.Allow("IAMRoles", []string{
			"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
			"iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags",
			"iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
			"iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:DetachRolePolicy",
		}, roles),
		iampolicy.Statement{Sid: "IAMAttachKnownPolicies", Effect: "Allow", Action: []string{"iam:AttachRolePolicy"},
			Resource: []string{roles},
			Condition: map[string]any{"ArnLike": map[string]any{"iam:PolicyARN": []string{
				policies,
				"arn:aws:iam::aws:policy/AmazonEKS*",
				"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
				"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
				"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
				"arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
			}}}},
		iampolicy.Statement{Sid: "IAMPassRoleToEKS", Effect: "Allow", Action: []string{"iam:PassRole"},
			Resource: []string{roles},
			Condition: map[string]any{"StringEquals": map[string]any{"iam:PassedToService": []string{
				"eks.amazonaws.com", "ec2.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com",
			}}}},
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
		}, iamARN(fmt.Sprintf("oidc-provider/oidc.eks.%s.amazonaws.com/id/*", p.cfg.Region))),
		iampolicy.Statement{Sid: "IAMServiceLinkedRoles", Effect: "Allow", Action: []string{"iam:CreateServiceLinkedRole"},
			Resource: []string{iamARN("role/aws-service-role/*")},
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
	ownTags := func(key string) map[string]any {
		return map[string]any{"StringEquals": map[string]any{
			key + "/" + tagging.Project: p.cfg.Project, key + "/" + tagging.Environment: p.cfg.Environment,
		}}
	}
	kmsCreate := iampolicy.Allow("KMSCreateTaggedKeys", []string{"kms:CreateKey"}, "*")
	kmsCreate.Condition = ownTags("aws:RequestTag")
	kmsManage := iampolicy.Allow("KMSManageOwnKeys", []string{
		"kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
		"kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
		"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey",
		"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
	}, p.arn("kms", region, "key/*"))
	kmsManage.Condition = ownTags("aws:ResourceTag")
	statements := []iampolicy.Statement{
		kmsCreate,
		iampolicy.Allow("KMSListAliases", []string{"kms:ListAliases"}, "*"),
		kmsManage,
		iampolicy.Allow("KMSAliases", []string{"kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"},
			p.arn("kms", region, "alias/"+prefix+"-*")),
		iampolicy.Allow("LogsDescribe", []string{"logs:DescribeLogGroups"}, p.arn("logs", region, "log-group:*")),
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
	}
	if name := p.cfg.Ingress.TokenSecretName; name != "" {
		statements = append(statements, iampolicy.Allow("ReadCloudflareToken",
			[]string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			p.arn("secretsmanager", region, "secret:"+name+"-??????")))
	}
	return iampolicy.New(statements...)
}
