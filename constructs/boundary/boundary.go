// Package boundary puts the platform's permissions boundary on every IAM role a stack creates.
// The bootstrap stack creates the boundary policy; the apply role may create or change a role
// only when the request carries this boundary (iam:PermissionsBoundary), so a role without it
// fails at apply. Require makes that impossible to forget: it is an Aspect over the stack.
package boundary

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/naming"
)

// Name is the name of an environment's permissions boundary policy.
func Name(names naming.Namer) string { return names.Must(naming.IAMPolicy, "permissions-boundary") }

// ARN is the boundary policy's ARN in a partition and account (either may be a reference).
func ARN(partition, account string, names naming.Namer) string {
	return fmt.Sprintf("arn:%s:iam::%s:policy/%s", partition, account, Name(names))
}

// Require sets the environment's boundary on every aws_iam_role of stack that has none, and
// returns the ARN it sets.
func Require(stack cdktf.TerraformStack, names naming.Namer) string {
	account := dataawscalleridentity.NewDataAwsCallerIdentity(stack, jsii.String("boundary-account"), nil)
	partition := dataawspartition.NewDataAwsPartition(stack, jsii.String("boundary-partition"), nil)
	arn := ARN(*partition.Partition(), *account.AccountId(), names)
	cdktf.Aspects_Of(stack).Add(&aspect{arn: arn})
	return arn
}

// role is the part of iamrole.IamRole the aspect needs.
type role interface {
	TerraformResourceType() *string
	PermissionsBoundaryInput() *string
	SetPermissionsBoundary(*string)
}

type aspect struct{ arn string }

// Visit implements cdktf.IAspect.
func (a *aspect) Visit(node constructs.IConstruct) {
	r, ok := node.(role)
	if !ok || *r.TerraformResourceType() != "aws_iam_role" || r.PermissionsBoundaryInput() != nil {
		return
	}
	r.SetPermissionsBoundary(jsii.String(a.arn))
}
