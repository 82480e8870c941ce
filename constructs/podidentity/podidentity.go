// Package podidentity gives a Kubernetes service account an IAM role: through an EKS Pod
// Identity association where the component supports it, or through IRSA (the cluster's OIDC
// provider) where it does not. A stack only says which.
package podidentity

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekspodidentityassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Mode is how the role reaches the pod.
type Mode int

const (
	// PodIdentity uses an aws_eks_pod_identity_association (needs the Pod Identity agent).
	PodIdentity Mode = iota
	// IRSA trusts the cluster's OIDC provider for exactly one service account.
	IRSA
	// AddonPodIdentity creates only the role; an aws_eks_addon carries the association itself.
	AddonPodIdentity
)

// OIDC is the cluster's IAM OIDC provider, for IRSA.
type OIDC struct {
	ProviderARN *string
	// IssuerHost is the issuer URL without "https://".
	IssuerHost *string
}

// Config describes one workload identity.
type Config struct {
	Names     naming.Namer
	Component string // role name suffix and Component tag
	Mode      Mode

	ClusterName    *string
	Namespace      string
	ServiceAccount string
	OIDC           OIDC // IRSA only
	// Addon is the EKS add-on whose pod_identity_association uses the role (AddonPodIdentity
	// only); Namespace and ServiceAccount then name the add-on's service account.
	Addon string

	// Policy is the role's inline policy; empty means no permissions of its own.
	Policy iampolicy.Document
	// ManagedPolicyARNs are attached in addition (AWS-managed policies for EKS add-ons).
	ManagedPolicyARNs []string
	DependsOn         []cdktf.ITerraformDependable
}

// Identity is the role and, for PodIdentity, its association.
type Identity struct {
	constructs.Construct
	Role        iamrole.IamRole
	Association ekspodidentityassociation.EksPodIdentityAssociation
}

// New creates the role, its policy and the association.
func New(scope constructs.Construct, id string, c Config) *Identity {
	i := &Identity{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	i.Role = iamrole.NewIamRole(i.Construct, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(c.Names.Must(naming.IAMRole, c.Component)),
		Description:      jsii.String(Description(c)),
		AssumeRolePolicy: trust(c).Expr(),
		Tags:             tagging.ComponentTags(c.Component),
	})
	if len(c.Policy.Statement) > 0 {
		iamrolepolicy.NewIamRolePolicy(i.Construct, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
			Name:   jsii.String(c.Component),
			Role:   i.Role.Id(),
			Policy: c.Policy.Expr(),
		})
	}
	for n, arn := range c.ManagedPolicyARNs {
		iamrolepolicyattachment.NewIamRolePolicyAttachment(i.Construct, jsii.String(fmt.Sprintf("managed-%d", n)),
			&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{Role: i.Role.Name(), PolicyArn: jsii.String(arn)})
	}
	if c.Mode == PodIdentity {
		i.Association = ekspodidentityassociation.NewEksPodIdentityAssociation(i.Construct, jsii.String("association"),
			&ekspodidentityassociation.EksPodIdentityAssociationConfig{
				ClusterName:    c.ClusterName,
				Namespace:      jsii.String(c.Namespace),
				ServiceAccount: jsii.String(c.ServiceAccount),
				RoleArn:        i.Role.Arn(),
				Tags:           tagging.ComponentTags(c.Component),
				DependsOn:      &c.DependsOn,
			})
	}
	return i
}

// Description says whose role it is, e.g. "Workload identity of kube-system/cilium-operator
// (IRSA)" or "Workload identity of the EKS add-on aws-ebs-csi-driver
// (kube-system/ebs-csi-controller-sa, Pod Identity)". It panics when the Config does not name
// the workload its mode needs: a role nobody can tell apart is a programming error.
func Description(c Config) string {
	sa := c.Namespace + "/" + c.ServiceAccount
	if c.Namespace == "" || c.ServiceAccount == "" {
		sa = ""
	}
	switch c.Mode {
	case PodIdentity, IRSA:
		if sa == "" {
			panic(fmt.Sprintf("podidentity %s: Namespace and ServiceAccount are required", c.Component))
		}
		how := "Pod Identity"
		if c.Mode == IRSA {
			how = "IRSA"
		}
		return fmt.Sprintf("Workload identity of %s (%s)", sa, how)
	case AddonPodIdentity:
		if c.Addon == "" {
			panic(fmt.Sprintf("podidentity %s: Addon is required with AddonPodIdentity", c.Component))
		}
		if sa == "" {
			return fmt.Sprintf("Workload identity of the EKS add-on %s (Pod Identity)", c.Addon)
		}
		return fmt.Sprintf("Workload identity of the EKS add-on %s (%s, Pod Identity)", c.Addon, sa)
	}
	panic(fmt.Sprintf("podidentity %s: unknown mode %d", c.Component, c.Mode))
}

// trust is the role's trust policy for the chosen mode.
func trust(c Config) iampolicy.Document {
	if c.Mode != IRSA {
		return iampolicy.AssumeRole("pods.eks.amazonaws.com", "sts:TagSession")
	}
	host := *c.OIDC.IssuerHost
	return iampolicy.New(iampolicy.Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Federated": *c.OIDC.ProviderARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: map[string]any{"StringEquals": map[string]any{
			host + ":sub": "system:serviceaccount:" + c.Namespace + ":" + c.ServiceAccount,
			host + ":aud": "sts.amazonaws.com",
		}},
	})
}
