package network

import (
	"encoding/json"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/naming"
)

func TestNATStrategyAndAZs(t *testing.T) {
	tests := []struct {
		azs         int
		nat         string
		wantNAT     int
		wantSubnets int
		wantPrivRTs int
		wantEIPs    int
	}{
		{2, config.NATSingle, 1, 6, 2, 1},
		{3, config.NATSingle, 1, 9, 3, 1},
		{2, config.NATPerAZ, 2, 6, 2, 2},
		{3, config.NATPerAZ, 3, 9, 3, 3},
	}
	for _, tt := range tests {
		cfg := config.Defaults("dev").Network
		cfg.AZCount, cfg.NATGateways = tt.azs, tt.nat
		plan, err := cfg.Subnets()
		if err != nil {
			t.Fatal(err)
		}
		stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
		provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")})
		n := New(stack, "net", Config{Names: naming.New("p", "dev"), Region: "us-east-1", Network: cfg, Plan: plan, ClusterName: "p-dev-eks"})
		var out struct {
			Resource map[string]map[string]any `json:"resource"`
		}
		if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &out); err != nil {
			t.Fatal(err)
		}
		r := out.Resource
		if got := len(r["aws_nat_gateway"]); got != tt.wantNAT {
			t.Errorf("%d AZs %s: NAT gateways = %d, want %d", tt.azs, tt.nat, got, tt.wantNAT)
		}
		if got := len(r["aws_eip"]); got != tt.wantEIPs {
			t.Errorf("%d AZs %s: EIPs = %d, want %d", tt.azs, tt.nat, got, tt.wantEIPs)
		}
		if got := len(r["aws_subnet"]); got != tt.wantSubnets {
			t.Errorf("%d AZs: subnets = %d, want %d", tt.azs, got, tt.wantSubnets)
		}
		if len(n.PrivateSubnetIDs) != tt.azs || len(n.IntraSubnetIDs) != tt.azs || len(n.Ready) != tt.wantPrivRTs {
			t.Errorf("%d AZs: exposed ids %d/%d, ready %d", tt.azs, len(n.PrivateSubnetIDs), len(n.IntraSubnetIDs), len(n.Ready))
		}
	}
}
