// Package objectstore is the platform's one way to make an S3 bucket for a purpose (LGTM
// long-term storage, OpenBao snapshots, database backups): KMS encryption with a bucket key,
// public access blocked, object ownership enforced, a TLS-only bucket policy, lifecycle expiry,
// optional versioning, tags, and least-privilege access statements for the identity that uses it.
package objectstore

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// accountSuffix is "-" and a 12-digit account id: bucket names are global, so the account
// keeps two installations of the same project and environment apart.
const accountSuffix = 13

// Config describes one bucket.
type Config struct {
	Names naming.Namer
	// Component names the bucket <project>-<env>-<component>-<account id> and is its Component tag.
	Component string
	// KMSKeyARN encrypts the bucket (SSE-KMS with a bucket key); required.
	KMSKeyARN *string
	// AccountID of the bucket's account; when nil the construct looks it up.
	AccountID *string
	// ExpirationDays deletes objects after this many days; 0 keeps them.
	ExpirationDays int
	// Versioning keeps overwritten and deleted objects (for backups and snapshots).
	Versioning bool
	// NoncurrentExpirationDays deletes non-current versions; used only with Versioning (0: 30).
	NoncurrentExpirationDays int
	// ForceDestroy lets `terraform destroy` delete a bucket that still holds objects. Off by
	// default: data outlives the stack unless an environment says otherwise.
	ForceDestroy bool
}

// Validate reports a misconfigured store; New panics with this error.
func (c Config) Validate() error {
	switch {
	case c.Component == "":
		return fmt.Errorf("objectstore: a bucket needs a component name")
	case c.KMSKeyARN == nil:
		return fmt.Errorf("objectstore: bucket %q needs a KMS key", c.Component)
	case c.ExpirationDays < 0 || c.NoncurrentExpirationDays < 0:
		return fmt.Errorf("objectstore: bucket %q: expiration days must not be negative", c.Component)
	}
	return nil
}

// Store is one bucket and what it takes to use it.
type Store struct {
	constructs.Construct
	Bucket s3bucket.S3Bucket
	// KMSKeyARN is the key that encrypts the bucket; readers and writers need it too.
	KMSKeyARN *string
	arn       *string
	cfg       Config
}

// New creates the bucket and its settings. Configuration mistakes are programming errors.
func New(scope constructs.Construct, id string, c Config) *Store {
	if err := c.Validate(); err != nil {
		panic(err)
	}
	// Check the length without the account suffix, which is only known at apply time.
	base := c.Names.Must(naming.Kind{Label: "S3 bucket (before the account suffix)", Max: naming.S3Bucket.Max - accountSuffix}, c.Component)
	s := &Store{Construct: constructs.NewConstruct(scope, jsii.String(id)), KMSKeyARN: c.KMSKeyARN, cfg: c}
	account := c.AccountID
	if account == nil {
		account = dataawscalleridentity.NewDataAwsCallerIdentity(s.Construct, jsii.String("account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{}).AccountId()
	}
	tags := tagging.ComponentTags(c.Component)
	s.Bucket = s3bucket.NewS3Bucket(s.Construct, jsii.String("bucket"), &s3bucket.S3BucketConfig{
		Bucket:       cdktf.Fn_Join(jsii.String("-"), jsii.Strings(base, *account)),
		ForceDestroy: jsii.Bool(c.ForceDestroy),
		Tags:         tags,
	})
	// One token for the ARN, so that policies and tests compare like with like.
	s.arn = s.Bucket.Arn()
	bucket := s.Bucket.Id()
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(s.Construct, jsii.String("encryption"),
		&s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
			Bucket: bucket,
			Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
				ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
					SseAlgorithm:   jsii.String("aws:kms"),
					KmsMasterKeyId: c.KMSKeyARN,
				},
				// One data key per bucket instead of one KMS call per object.
				BucketKeyEnabled: jsii.Bool(true),
			}},
		})
	s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(s.Construct, jsii.String("public-access"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket,
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(s.Construct, jsii.String("ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucket,
		Rule:   &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
	})
	s3bucketpolicy.NewS3BucketPolicy(s.Construct, jsii.String("tls-only"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket: bucket,
		Policy: TLSOnlyPolicy(*s.ARN()).Expr(),
	})
	if c.Versioning {
		s3bucketversioning.NewS3BucketVersioningA(s.Construct, jsii.String("versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
			Bucket:                  bucket,
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
		})
	}
	s.lifecycle()
	return s
}

func (s *Store) lifecycle() {
	c := s.cfg
	rule := &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
		Id:     jsii.String("retention"),
		Status: jsii.String("Enabled"),
		Filter: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{Prefix: jsii.String("")}},
		AbortIncompleteMultipartUpload: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
			DaysAfterInitiation: jsii.Number(7),
		}},
	}
	if c.ExpirationDays > 0 {
		rule.Expiration = []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{
			Days: jsii.Number(float64(c.ExpirationDays)),
		}}
	}
	if c.Versioning {
		days := c.NoncurrentExpirationDays
		if days == 0 {
			days = 30
		}
		rule.NoncurrentVersionExpiration = []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
			NoncurrentDays: jsii.Number(float64(days)),
		}}
	}
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(s.Construct, jsii.String("lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: s.Bucket.Id(),
		Rule:   []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{rule},
	})
}

// Name is the bucket name, known after apply.
func (s *Store) Name() *string { return s.Bucket.Bucket() }

// ARN is the bucket ARN, known after apply.
func (s *Store) ARN() *string { return s.arn }

// ReadWrite are the statements an identity needs to list, read, write and delete objects of
// this bucket only, and to use its KMS key for that.
func (s *Store) ReadWrite() []iampolicy.Statement {
	return s.access("ReadWrite", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
		[]string{"kms:Decrypt", "kms:GenerateDataKey"})
}

// ReadOnly are the statements an identity needs to list and read objects of this bucket only.
func (s *Store) ReadOnly() []iampolicy.Statement {
	return s.access("Read", []string{"s3:GetObject"}, []string{"kms:Decrypt"})
}

func (s *Store) access(sid string, objectActions, keyActions []string) []iampolicy.Statement {
	arn := *s.ARN()
	return []iampolicy.Statement{
		iampolicy.Allow(sid+"Bucket", []string{"s3:ListBucket", "s3:GetBucketLocation"}, arn),
		iampolicy.Allow(sid+"Objects", objectActions, arn+"/*"),
		iampolicy.Allow(sid+"BucketKey", keyActions, *s.KMSKeyARN),
	}
}

// TLSOnlyPolicy denies every request to the bucket that does not use TLS.
func TLSOnlyPolicy(bucketARN string) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: map[string]any{"AWS": "*"},
		Action:    []string{"s3:*"},
		Resource:  []string{bucketARN, bucketARN + "/*"},
		Condition: map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
	})
}
