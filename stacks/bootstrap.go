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
	"github.com/platformeng/eks-platform/constructs/boundary"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/objectstore"
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

// DeployRoleMaxSession is the longest session the deploy roles grant (seconds): an apply that
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
	// the plan role (and, on main, the apply role).
	Repo string
	// ExistingOIDCProvider reuses the account's GitHub OIDC provider instead of creating it.
	ExistingOIDCProvider bool
}

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$`)

// NewBootstrap creates the bootstrap stack: the KMS-encrypted S3 state bucket, the GitHub OIDC
// provider, the environment's plan and apply roles and its permissions boundary (ADR 0011). It
// is applied once per environment with
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
		Policy: objectstore.TLSOnlyPolicy("arn:aws:s3:::" + bucketName).Expr(),
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
	p.boundaryARN = boundary.ARN("aws", account, names)
	bound := awsiampolicy.NewIamPolicy(stack, jsii.String("permissions-boundary"), &awsiampolicy.IamPolicyConfig{
		Name:        jsii.String(boundary.Name(names)),
		Description: jsii.String("Permissions boundary of every role of " + names.Prefix() + ", the deploy roles included"),
		Policy:      p.boundary().Expr(),
		Tags:        tagging.ComponentTags("github-deploy"),
	})
	newRole := func(id, name, description string, trust iampolicy.Document, parts []namedDocument) iamrole.IamRole {
		role := iamrole.NewIamRole(stack, jsii.String(id), &iamrole.IamRoleConfig{
			Name:                jsii.String(name),
			Description:         jsii.String(description),
			AssumeRolePolicy:    trust.Expr(),
			MaxSessionDuration:  jsii.Number(DeployRoleMaxSession),
			PermissionsBoundary: bound.Arn(),
			Tags:                tagging.ComponentTags("github-deploy"),
		})
		for _, part := range parts {
			// Ids are the part names: the apply role's four policies keep the addresses the
			// single deploy role's had, so upgrading updates them in place.
			pol := awsiampolicy.NewIamPolicy(stack, jsii.String(part.name), &awsiampolicy.IamPolicyConfig{
				Name:        jsii.String(p.policyName(part.name)),
				Description: jsii.String(description + ": " + part.name),
				Policy:      part.doc.Expr(),
				Tags:        tagging.ComponentTags("github-deploy"),
			})
			iamrolepolicyattachment.NewIamRolePolicyAttachment(stack, jsii.String(part.name+"-attachment"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
				Role:      role.Name(),
				PolicyArn: pol.Arn(),
			})
		}
		return role
	}
	plan := newRole("plan-role", p.planRoleName(),
		fmt.Sprintf("Read-only Terraform plans of %s from GitHub environment %s of %s", names.Prefix(), cfg.Environment, opt.Repo),
		GitHubTrustPolicy(oidcARN, opt.Repo, cfg.Environment, ""), p.planParts())
	apply := newRole("apply-role", p.applyRoleName(),
		fmt.Sprintf("Terraform applies of %s from GitHub environment %s of %s, on %s only", names.Prefix(), cfg.Environment, opt.Repo, ApplyRef),
		GitHubTrustPolicy(oidcARN, opt.Repo, cfg.Environment, ApplyRef), p.applyParts())

	output := func(id, description string, value *string) {
		cdktf.NewTerraformOutput(stack, jsii.String(id), &cdktf.TerraformOutputConfig{Value: value, Description: jsii.String(description)})
	}
	output("plan_role_arn", "GitHub environment variable AWS_PLAN_ROLE_ARN (read-only plans, pull requests included)", plan.Arn())
	output("apply_role_arn", "GitHub environment variable AWS_APPLY_ROLE_ARN (applies from main)", apply.Arn())
	output("permissions_boundary_arn", "Permissions boundary that every role of the environment carries", bound.Arn())
	output("state_bucket", "GitHub environment variable TF_STATE_BUCKET", bucket.Bucket())
	output("state_region", "GitHub environment variable AWS_REGION (state bucket region)", jsii.String(cfg.StateRegion()))
	output("state_kms_key_arn", "KMS key that encrypts the state bucket", key.Arn())
	output("github_oidc_provider_arn", "GitHub Actions OIDC provider", jsii.String(oidcARN))
	return stack
}

// ApplyRef is the only Git ref whose jobs may assume the apply role.
const ApplyRef = "refs/heads/main"

// GitHubTrustPolicy lets only jobs of one GitHub environment of one repository assume a role,
// through GitHub's OIDC provider; with ref set, only jobs that run for that Git ref (STS checks
// the token's ref claim, token.actions.githubusercontent.com:ref).
func GitHubTrustPolicy(providerARN, repo, env, ref string) iampolicy.Document {
	cond := map[string]any{
		GitHubOIDCHost + ":aud": GitHubOIDCAudience,
		GitHubOIDCHost + ":sub": fmt.Sprintf("repo:%s:environment:%s", repo, env),
	}
	if ref != "" {
		cond[GitHubOIDCHost+":ref"] = ref
	}
	return iampolicy.New(iampolicy.Statement{
		Sid:       "GitHubEnvironment",
		Effect:    "Allow",
		Principal: map[string]any{"Federated": providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: map[string]any{"StringEquals": cond},
	})
}
