package boundary

import (
	"encoding/json"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/naming"
)

func TestRequire(t *testing.T) {
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
	names := naming.New("proj", "dev")
	arn := Require(stack, names)
	iamrole.NewIamRole(stack, jsii.String("plain"), &iamrole.IamRoleConfig{AssumeRolePolicy: jsii.String("{}")})
	iamrole.NewIamRole(stack, jsii.String("own"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: jsii.String("{}"), PermissionsBoundary: jsii.String("arn:aws:iam::1:policy/other"),
	})
	var out struct {
		Resource struct {
			Role map[string]map[string]any `json:"aws_iam_role"`
		} `json:"resource"`
	}
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &out); err != nil {
		t.Fatal(err)
	}
	want := "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/proj-dev-permissions-boundary"
	if got := out.Resource.Role["plain"]["permissions_boundary"]; got != want {
		t.Errorf("plain role boundary = %v, want %s", got, want)
	}
	if got := out.Resource.Role["own"]["permissions_boundary"]; got != "arn:aws:iam::1:policy/other" {
		t.Errorf("a role's own boundary was replaced: %v", got)
	}
	if arn == "" {
		t.Error("Require returned no ARN")
	}
}
