package tagging

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

func TestMissing(t *testing.T) {
	defaults := Defaults("p", "dev", "foundation", "team")
	tests := []struct {
		name string
		own  *map[string]*string
		want string
	}{
		{"component set", ComponentTags("network"), ""},
		{"no tags", nil, "Component"},
		{"empty component", &map[string]*string{Component: jsii.String("")}, "Component"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(Missing(defaults, tt.own), ","); got != tt.want {
				t.Errorf("Missing() = %q, want %q", got, tt.want)
			}
		})
	}
	if got := strings.Join(Missing(map[string]string{}, ComponentTags("x")), ","); got != "Environment,ManagedBy,Owner,Project,Workflow" {
		t.Errorf("Missing(no defaults) = %q", got)
	}
}

// TestAspectFailsSynthOnUntaggedResource: a taggable resource without a Component tag stops
// synthesis with an error naming it; a tagged one passes.
func TestAspectFailsSynthOnUntaggedResource(t *testing.T) {
	for _, tagged := range []bool{true, false} {
		t.Run(fmt.Sprint("tagged=", tagged), func(t *testing.T) {
			stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
			provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")})
			cfg := &s3bucket.S3BucketConfig{Bucket: jsii.String("b")}
			if tagged {
				cfg.Tags = ComponentTags("storage")
			}
			s3bucket.NewS3Bucket(stack, jsii.String("logs"), cfg)
			Check(stack, Defaults("p", "dev", "foundation", "team"))
			err := synth(stack)
			if tagged && err != nil {
				t.Fatalf("tagged resource failed synth: %v", err)
			}
			if !tagged && (err == nil || !strings.Contains(err.Error(), "[s/logs] missing required tags Component")) {
				t.Fatalf("untagged resource: err = %v, want a validation error naming s/logs", err)
			}
		})
	}
}

func synth(stack cdktf.TerraformStack) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	cdktf.Testing_Synth(stack, jsii.Bool(true))
	return nil
}
