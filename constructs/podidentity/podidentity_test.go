package podidentity

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
)

func synth(t *testing.T, c Config) map[string]any {
	t.Helper()
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")})
	New(stack, "id", c)
	var out map[string]any
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &out); err != nil {
		t.Fatal(err)
	}
	return out["resource"].(map[string]any)
}

func TestModes(t *testing.T) {
	base := Config{
		Names: naming.New("p", "dev"), Component: "lbc", ClusterName: jsii.String("p-dev-eks"),
		Namespace: "kube-system", ServiceAccount: "sa",
		Policy: iampolicy.New(iampolicy.Allow("Describe", []string{"ec2:DescribeVpcs"}, "*")),
	}
	tests := []struct {
		name        string
		mode        Mode
		association bool
		trust       string
	}{
		{"pod identity", PodIdentity, true, `"pods.eks.amazonaws.com"`},
		{"irsa", IRSA, false, "sts:AssumeRoleWithWebIdentity"},
		{"add-on association", AddonPodIdentity, false, `"pods.eks.amazonaws.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.Mode = tt.mode
			c.Addon = "lbc-addon"
			c.OIDC = OIDC{ProviderARN: jsii.String("arn:aws:iam::111122223333:oidc-provider/x"), IssuerHost: jsii.String("oidc.example/id")}
			r := synth(t, c)
			_, has := r["aws_eks_pod_identity_association"]
			if has != tt.association {
				t.Errorf("association present = %v, want %v", has, tt.association)
			}
			if has {
				for _, a := range r["aws_eks_pod_identity_association"].(map[string]any) {
					a := a.(map[string]any)
					if a["namespace"] != "kube-system" || a["service_account"] != "sa" || a["cluster_name"] != "p-dev-eks" {
						t.Errorf("association = %v", a)
					}
				}
			}
			for _, role := range r["aws_iam_role"].(map[string]any) {
				role := role.(map[string]any)
				if role["name"] != "p-dev-lbc" {
					t.Errorf("role name = %v", role["name"])
				}
				if role["description"] != Description(c) {
					t.Errorf("role description = %v, want %q", role["description"], Description(c))
				}
				if trust := role["assume_role_policy"].(string); !strings.Contains(trust, tt.trust) {
					t.Errorf("trust = %s, want %s", trust, tt.trust)
				}
				if tt.mode == IRSA && !strings.Contains(role["assume_role_policy"].(string), "system:serviceaccount:kube-system:sa") {
					t.Error("IRSA trust not limited to the service account")
				}
			}
			if _, ok := r["aws_iam_role_policy"]; !ok {
				t.Error("no inline policy")
			}
		})
	}
}

// TestDescription: every role says whose it is; an add-on role names the add-on, not "/".
func TestDescription(t *testing.T) {
	base := Config{Component: "x", Namespace: "kube-system", ServiceAccount: "sa"}
	with := func(m Mode, addon, ns, sa string) Config {
		c := base
		c.Mode, c.Addon, c.Namespace, c.ServiceAccount = m, addon, ns, sa
		return c
	}
	tests := []struct {
		name string
		c    Config
		want string // "" means a panic
	}{
		{"pod identity", with(PodIdentity, "", "kube-system", "lbc"), "Workload identity of kube-system/lbc (Pod Identity)"},
		{"irsa", with(IRSA, "", "kube-system", "cilium-operator"), "Workload identity of kube-system/cilium-operator (IRSA)"},
		{"add-on with its service account", with(AddonPodIdentity, "aws-ebs-csi-driver", "kube-system", "ebs-csi-controller-sa"),
			"Workload identity of the EKS add-on aws-ebs-csi-driver (kube-system/ebs-csi-controller-sa, Pod Identity)"},
		{"add-on alone", with(AddonPodIdentity, "aws-ebs-csi-driver", "", ""), "Workload identity of the EKS add-on aws-ebs-csi-driver (Pod Identity)"},
		{"add-on without a name", with(AddonPodIdentity, "", "kube-system", "sa"), ""},
		{"pod identity without a service account", with(PodIdentity, "", "kube-system", ""), ""},
		{"irsa without a namespace", with(IRSA, "", "", "sa"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); (r != nil) != (tt.want == "") {
					t.Errorf("panic = %v, want panic %v", r, tt.want == "")
				}
			}()
			got := Description(tt.c)
			if got != tt.want {
				t.Errorf("Description = %q, want %q", got, tt.want)
			}
			if strings.Contains(got, " /") || strings.HasSuffix(got, "/") {
				t.Errorf("Description %q has an empty namespace or service account", got)
			}
		})
	}
}
