package config

import (
	"slices"
	"strings"
	"testing"
)

func TestSubnets(t *testing.T) {
	tests := []struct {
		name string
		net  Network
		want SubnetPlan
	}{
		{
			name: "dev default",
			net:  Defaults("dev").Network,
			want: SubnetPlan{
				Private: []string{"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"},
				Public:  []string{"10.0.96.0/22", "10.0.100.0/22", "10.0.104.0/22"},
				Intra:   []string{"10.0.108.0/26", "10.0.108.64/26", "10.0.108.128/26"},
			},
		},
		{
			name: "prod default",
			net:  Defaults("prod").Network,
			want: SubnetPlan{
				Private: []string{"10.2.0.0/19", "10.2.32.0/19", "10.2.64.0/19"},
				Public:  []string{"10.2.96.0/22", "10.2.100.0/22", "10.2.104.0/22"},
				Intra:   []string{"10.2.108.0/26", "10.2.108.64/26", "10.2.108.128/26"},
			},
		},
		{
			// Small subnets first force alignment gaps before the larger ones.
			name: "alignment",
			net:  Network{VPCCIDR: "192.168.0.0/24", AZCount: 2, PrivateSubnetPrefix: 28, PublicSubnetPrefix: 26, IntraSubnetPrefix: 28},
			want: SubnetPlan{
				Private: []string{"192.168.0.0/28", "192.168.0.16/28"},
				Public:  []string{"192.168.0.64/26", "192.168.0.128/26"},
				Intra:   []string{"192.168.0.192/28", "192.168.0.208/28"},
			},
		},
		{
			name: "exact fit",
			net:  Network{VPCCIDR: "10.0.0.0/24", AZCount: 2, PrivateSubnetPrefix: 26, PublicSubnetPrefix: 27, IntraSubnetPrefix: 27},
			want: SubnetPlan{
				Private: []string{"10.0.0.0/26", "10.0.0.64/26"},
				Public:  []string{"10.0.0.128/27", "10.0.0.160/27"},
				Intra:   []string{"10.0.0.192/27", "10.0.0.224/27"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.net.Subnets()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Private, tc.want.Private) || !slices.Equal(got.Public, tc.want.Public) || !slices.Equal(got.Intra, tc.want.Intra) {
				t.Errorf("Subnets() =\n  %v\nwant\n  %v", got, tc.want)
			}
		})
	}
}

func TestSubnetsErrors(t *testing.T) {
	base := Defaults("dev").Network
	with := func(f func(*Network)) Network { n := base; f(&n); return n }
	for _, tc := range []struct {
		name string
		net  Network
		want string
	}{
		{"one subnet too many", with(func(n *Network) {
			n.VPCCIDR, n.AZCount, n.PrivateSubnetPrefix, n.PublicSubnetPrefix, n.IntraSubnetPrefix = "10.0.0.0/24", 2, 26, 27, 26
		}), "10.0.0.0/24 is too small for 2 private /26, 2 public /27 and 2 intra /26 subnets; they need a /23 or larger VPC"},
		{"private alone overflows", with(func(n *Network) { n.VPCCIDR, n.PrivateSubnetPrefix = "10.0.0.0/18", 19 }),
			"10.0.0.0/18 is too small for 3 private /19"},
		{"bad CIDR", with(func(n *Network) { n.VPCCIDR = "10.0.0.0" }), "not an IPv4 network address"},
		{"host bits", with(func(n *Network) { n.VPCCIDR = "10.0.0.1/16" }), "not an IPv4 network address"},
		{"no AZs", with(func(n *Network) { n.AZCount = 0 }), "network.azCount 0"},
		{"too many AZs", with(func(n *Network) { n.AZCount = 1 << 30 }), "network.azCount"},
		{"prefix not inside VPC", with(func(n *Network) { n.PublicSubnetPrefix = 16 }), "network.publicSubnetPrefix /16 is not between /17 and /28"},
		{"prefix too long", with(func(n *Network) { n.IntraSubnetPrefix = 32 }), "network.intraSubnetPrefix /32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := tc.net.Subnets()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Subnets() = %v, %v; want an error containing %q", plan, err, tc.want)
			}
		})
	}
}
