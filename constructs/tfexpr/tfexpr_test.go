package tfexpr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// TestJSONEncode: plain maps stay objects; a map whose key holds a reference becomes zipmap(),
// which CDKTF resolves (a token in a key would be synthesized as "undefined").
func TestJSONEncode(t *testing.T) {
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")})
	ref := iamrole.NewIamRole(stack, jsii.String("ref"), &iamrole.IamRoleConfig{AssumeRolePolicy: jsii.String("{}")})
	iamrole.NewIamRole(stack, jsii.String("plain"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: JSONEncode(map[string]any{"b": []any{"x"}, "a": *ref.Arn()}),
	})
	iamrole.NewIamRole(stack, jsii.String("keyed"), &iamrole.IamRoleConfig{
		AssumeRolePolicy: JSONEncode(map[string]any{"c": map[string]any{*ref.Name() + ":sub": "v"}}),
	})
	var out struct {
		Resource struct {
			Role map[string]struct {
				Policy string `json:"assume_role_policy"`
			} `json:"aws_iam_role"`
		} `json:"resource"`
	}
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &out); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"plain": `${jsonencode({"a" = aws_iam_role.ref.arn, "b" = ["x"]})}`,
		"keyed": `${jsonencode({"c" = zipmap([join("", [aws_iam_role.ref.name, ":sub"])], ["v"])})}`,
	}
	for name, want := range tests {
		if got := out.Resource.Role[name].Policy; got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
		if strings.Contains(out.Resource.Role[name].Policy, "undefined") {
			t.Errorf("%s has an unresolved token", name)
		}
	}
}
