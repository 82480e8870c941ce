// Package cluster is the EKS control plane: a KMS key for secrets and logs, the cluster role,
// the cluster with access-entry authentication and no self-managed add-ons (Cilium replaces
// aws-node and kube-proxy), admin access entries, control-plane logs and the IAM OIDC provider.
package cluster

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamopenidconnectprovider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Component is the Component tag of the control plane resources.
const Component = "eks"

// LogTypes are the control-plane logs the platform keeps.
var LogTypes = []string{"api", "audit", "authenticator"}

// Key is the platform KMS key, made before the VPC and the cluster since both encrypt with it.
type Key struct {
	constructs.Construct
	KMS       kmskey.KmsKey
	Account   dataawscalleridentity.DataAwsCallerIdentity
	Partition dataawspartition.DataAwsPartition
}

// NewKey creates the key with rotation on, an alias, and a policy that lets CloudWatch Logs use
// it for this environment's EKS and VPC log groups.
func NewKey(scope constructs.Construct, id string, names naming.Namer, region string) *Key {
	k := &Key{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	k.Account = dataawscalleridentity.NewDataAwsCallerIdentity(k.Construct, jsii.String("account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	k.Partition = dataawspartition.NewDataAwsPartition(k.Construct, jsii.String("partition"), &dataawspartition.DataAwsPartitionConfig{})
	name := names.Must(naming.EKSCluster, "eks")
	k.KMS = kmskey.NewKmsKey(k.Construct, jsii.String("key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String("EKS secrets and platform log encryption for " + name),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(30),
		Policy:               k.policy(region, name, names.Prefix()).Expr(),
		Tags:                 tagging.ComponentTags(Component),
	})
	kmsalias.NewKmsAlias(k.Construct, jsii.String("alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String("alias/" + names.Must(naming.KMSAlias, "eks")),
		TargetKeyId: k.KMS.KeyId(),
	})
	return k
}

// Config describes the control plane.
type Config struct {
	Names   naming.Namer
	Region  string
	Key     *Key
	Cluster config.Cluster
	// SubnetIDs are the intra subnets that hold the control plane's network interfaces.
	SubnetIDs []*string
	DependsOn []cdktf.ITerraformDependable
}

// Cluster exposes what node groups, add-ons and later stacks need.
type Cluster struct {
	constructs.Construct
	Name string
	Key  *Key
	EKS  ekscluster.EksCluster
	OIDC iamopenidconnectprovider.IamOpenidConnectProvider
	// IssuerHost is the OIDC issuer without "https://", as IRSA trust conditions need it.
	IssuerHost *string
	// Admins are the access entries; add-ons that call the API at create time wait for them.
	Admins []cdktf.ITerraformDependable
}

// New creates the control plane.
func New(scope constructs.Construct, id string, c Config) *Cluster {
	k := &Cluster{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	k.Name = c.Names.Must(naming.EKSCluster, "eks")
	k.Key = c.Key
	tags := tagging.ComponentTags(Component)
	partition := *c.Key.Partition.Partition()

	// Created before the cluster so that retention and encryption are ours, not EKS defaults.
	logs := cloudwatchloggroup.NewCloudwatchLogGroup(k.Construct, jsii.String("logs"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String("/aws/eks/" + k.Name + "/cluster"),
		RetentionInDays: jsii.Number(float64(c.Cluster.LogRetentionDays)),
		KmsKeyId:        k.Key.KMS.Arn(),
		Tags:            tags,
	})

	role := iamrole.NewIamRole(k.Construct, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(c.Names.Must(naming.IAMRole, "eks-cluster")),
		AssumeRolePolicy: iampolicy.AssumeRole("eks.amazonaws.com", "sts:TagSession").Expr(),
		Tags:             tags,
	})
	attach := iamrolepolicyattachment.NewIamRolePolicyAttachment(k.Construct, jsii.String("role-policy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      role.Name(),
		PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/AmazonEKSClusterPolicy", partition)),
	})

	// The public endpoint admits only the configured CIDRs (no open default, docs/adr/0005).
	publicCIDRs := c.Cluster.PublicAccessCIDRs
	vpcConfig := &ekscluster.EksClusterVpcConfig{
		SubnetIds:             &c.SubnetIDs,
		EndpointPrivateAccess: jsii.Bool(true),
		EndpointPublicAccess:  jsii.Bool(c.Cluster.EndpointPublicAccess),
	}
	if c.Cluster.EndpointPublicAccess {
		vpcConfig.PublicAccessCidrs = jsii.Strings(publicCIDRs...)
	}
	deps := append([]cdktf.ITerraformDependable{logs, attach}, c.DependsOn...)
	k.EKS = ekscluster.NewEksCluster(k.Construct, jsii.String("cluster"), &ekscluster.EksClusterConfig{
		Name:    jsii.String(k.Name),
		Version: jsii.String(c.Cluster.Version),
		RoleArn: role.Arn(),
		AccessConfig: &ekscluster.EksClusterAccessConfig{
			AuthenticationMode: jsii.String("API"),
			// The identity that applies the stack (the apply role) must install Cilium.
			BootstrapClusterCreatorAdminPermissions: jsii.Bool(true),
		},
		// Changing this later replaces the cluster (terraform-provider-aws#39058).
		BootstrapSelfManagedAddons: jsii.Bool(false),
		VpcConfig:                  vpcConfig,
		EncryptionConfig: &ekscluster.EksClusterEncryptionConfig{
			Resources: jsii.Strings("secrets"),
			Provider:  &ekscluster.EksClusterEncryptionConfigProvider{KeyArn: k.Key.KMS.Arn()},
		},
		EnabledClusterLogTypes: jsii.Strings(LogTypes...),
		UpgradePolicy:          &ekscluster.EksClusterUpgradePolicy{SupportType: jsii.String("STANDARD")},
		Tags:                   tags,
		DependsOn:              &deps,
	})

	// The private endpoint answers inside the VPC, but the cluster security group admits only
	// itself (control plane and nodes): a CI runner or VPN in privateAccessCidrs needs HTTPS.
	for i, cidr := range c.Cluster.PrivateAccessCIDRs {
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(k.Construct, jsii.String(fmt.Sprintf("private-access-%d", i)),
			&vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				SecurityGroupId: k.EKS.VpcConfig().ClusterSecurityGroupId(),
				Description:     jsii.String("Kubernetes API from " + cidr + " (cluster.privateAccessCidrs)"),
				IpProtocol:      jsii.String("tcp"),
				FromPort:        jsii.Number(443),
				ToPort:          jsii.Number(443),
				CidrIpv4:        jsii.String(cidr),
				Tags:            tags,
			})
	}

	issuer := k.EKS.Identity().Get(jsii.Number(0)).Oidc().Get(jsii.Number(0)).Issuer()
	k.IssuerHost = cdktf.Fn_Replace(issuer, jsii.String("https://"), jsii.String(""))
	k.OIDC = iamopenidconnectprovider.NewIamOpenidConnectProvider(k.Construct, jsii.String("oidc"), &iamopenidconnectprovider.IamOpenidConnectProviderConfig{
		Url:          issuer,
		ClientIdList: jsii.Strings("sts.amazonaws.com"),
		Tags:         tags,
	})

	for i, arn := range c.Cluster.AdminPrincipalARNs {
		entry := eksaccessentry.NewEksAccessEntry(k.Construct, jsii.String(fmt.Sprintf("admin-%d", i)), &eksaccessentry.EksAccessEntryConfig{
			ClusterName:  k.EKS.Name(),
			PrincipalArn: jsii.String(arn),
			Type:         jsii.String("STANDARD"),
			Tags:         tags,
		})
		assoc := eksaccesspolicyassociation.NewEksAccessPolicyAssociation(k.Construct, jsii.String(fmt.Sprintf("admin-%d-policy", i)), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
			ClusterName:  k.EKS.Name(),
			PrincipalArn: entry.PrincipalArn(),
			PolicyArn:    jsii.String(fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", partition)),
			AccessScope:  &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")},
		})
		k.Admins = append(k.Admins, assoc)
	}
	return k
}

// policy delegates key administration to IAM in this account (the AWS default) and lets
// CloudWatch Logs use the key for this cluster's and this environment's log groups only.
// kms:Describe* is left out (AWS's sample logs key policy has it): DescribeKey carries no
// encryption context, so under this condition it could never be allowed (iamfacts check).
func (k *Key) policy(region, cluster, prefix string) iampolicy.Document {
	account := *k.Account.AccountId()
	partition := *k.Partition.Partition()
	return iampolicy.New(
		iampolicy.Statement{
			Sid: "AccountAdministers", Effect: "Allow",
			Principal: map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, account)},
			Action:    []string{"kms:*"}, Resource: []string{"*"},
		},
		iampolicy.Statement{
			Sid: "CloudWatchLogsEncrypt", Effect: "Allow",
			Principal: map[string]any{"Service": fmt.Sprintf("logs.%s.amazonaws.com", region)},
			Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: map[string]any{"ArnLike": map[string]any{
				"kms:EncryptionContext:aws:logs:arn": []string{
					fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/eks/%s/*", partition, region, account, cluster),
					fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/vpc/%s-*", partition, region, account, prefix),
				},
			}},
		},
	)
}

// Endpoint, CA and name, as a helm provider needs them.
func (k *Cluster) Endpoint() *string { return k.EKS.Endpoint() }

// CAData is the base64 PEM certificate authority of the API server.
func (k *Cluster) CAData() *string { return k.EKS.CertificateAuthority().Get(jsii.Number(0)).Data() }
