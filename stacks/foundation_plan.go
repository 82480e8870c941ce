package stacks

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"

	"github.com/platformeng/eks-platform/constructs/tagging"
)

// PlanAccessPolicy is the EKS access policy of the bootstrap's plan role: it reads every
// Kubernetes object, Secrets included, because a plan of a Helm release reads the release's
// Secret. It writes nothing (docs/adr/0011).
const PlanAccessPolicy = "AmazonEKSAdminViewPolicy"

// planRoleAccess lets the plan role (created by the bootstrap) read the cluster, so that plans
// of stacks with Helm releases work with it.
func (f *Foundation) planRoleAccess() {
	partition := *f.Key.Partition.Partition()
	entry := eksaccessentry.NewEksAccessEntry(f.TerraformStack, jsii.String("plan-role-access"), &eksaccessentry.EksAccessEntryConfig{
		ClusterName:  f.Cluster.EKS.Name(),
		PrincipalArn: jsii.String(fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, *f.Key.Account.AccountId(), PlanRoleName(f.Names))),
		Type:         jsii.String("STANDARD"),
		Tags:         tagging.ComponentTags("github-deploy"),
	})
	eksaccesspolicyassociation.NewEksAccessPolicyAssociation(f.TerraformStack, jsii.String("plan-role-access-policy"), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
		ClusterName:  f.Cluster.EKS.Name(),
		PrincipalArn: entry.PrincipalArn(),
		PolicyArn:    jsii.String(fmt.Sprintf("arn:%s:eks::aws:cluster-access-policy/%s", partition, PlanAccessPolicy)),
		AccessScope:  &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")},
	})
}
