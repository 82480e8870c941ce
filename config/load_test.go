package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const envDir = "environments"

// TestEnvironmentFiles loads the committed files the way synth does and pins the values the
// brief and the design decide.
func TestEnvironmentFiles(t *testing.T) {
	t.Setenv(StateBucketEnv, "") // the CI bucket must not leak into these assertions

	for _, env := range Environments {
		t.Run(env, func(t *testing.T) {
			c, err := Load(envDir, env)
			if err != nil {
				t.Fatalf("Load(%q): %v", env, err)
			}
			if want := filepath.Join(envDir, env+".yaml"); c.File != want {
				t.Errorf("File = %q, want %q", c.File, want)
			}
			if c.Environment != env || c.Project != "eks-platform" || c.Region != "us-east-1" || c.Owner != "platform-team" {
				t.Errorf("identity = %q/%q/%q/%q", c.Project, c.Environment, c.Region, c.Owner)
			}
			if c.State.Bucket != "" {
				t.Errorf("State.Bucket = %q, want empty (local backend)", c.State.Bucket)
			}
			n := c.Nodes
			if !slices.Contains(n.InstanceTypes, "t3.large") || n.CapacityType != CapacitySpot ||
				n.MinSize != 3 || n.DesiredSize != 3 || n.MaxSize != 10 || n.DiskSizeGiB != 50 {
				t.Errorf("nodes = %+v, want t3.large SPOT 3/3/10 50GiB", n)
			}
			if c.Services != (ServiceDefaults{"100m", "300m", "256Mi", "512Mi", 3}) {
				t.Errorf("services = %+v", c.Services)
			}
			if c.Cluster.Version != "1.35" || AutoscalerImageTag(c.Cluster.Version) != "v1.35.2" {
				t.Errorf("cluster.version = %q", c.Cluster.Version)
			}
			if c.Ingress.Zone() != "platform.example.com" || c.Ingress.IssuerEmail != "platform-team@example.com" ||
				c.Ingress.TokenSource != TokenSourceCreate || c.Ingress.Replicas != 2 {
				t.Errorf("ingress = %+v", c.Ingress)
			}
			// No real accounts: prod's break-glass role is the documentation account's.
			wantAdmins := []string{}
			if env == "prod" {
				wantAdmins = []string{"arn:aws:iam::123456789012:role/platform-break-glass"}
			}
			if !slices.Equal(c.Cluster.AdminPrincipalARNs, wantAdmins) {
				t.Errorf("adminPrincipalArns = %v, want %v", c.Cluster.AdminPrincipalARNs, wantAdmins)
			}
			// The API is never open to the world by default: a documentation range stands in
			// for the operators' CIDRs (docs/adr/0005).
			if !c.Cluster.EndpointPublicAccess || !slices.Equal(c.Cluster.PublicAccessCIDRs, []string{"203.0.113.0/24"}) || len(c.Cluster.PrivateAccessCIDRs) != 0 {
				t.Errorf("cluster access = public %t %v private %v", c.Cluster.EndpointPublicAccess, c.Cluster.PublicAccessCIDRs, c.Cluster.PrivateAccessCIDRs)
			}
			if !c.Network.PrefixDelegation || c.Nodes.MaxPods != 110 {
				t.Errorf("pods = prefixDelegation %t maxPods %d, want true 110 (docs/adr/0004)", c.Network.PrefixDelegation, c.Nodes.MaxPods)
			}
			if _, err := c.Network.Subnets(); err != nil {
				t.Errorf("Subnets: %v", err)
			}
		})
	}

	dev, _ := Load(envDir, "dev")
	staging, _ := Load(envDir, "staging")
	prod, _ := Load(envDir, "prod")
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"dev NAT", dev.Network.NATGateways, NATSingle},
		{"staging NAT", staging.Network.NATGateways, NATSingle},
		{"prod NAT", prod.Network.NATGateways, NATPerAZ},
		{"dev VPC", dev.Network.VPCCIDR, "10.0.0.0/16"},
		{"staging VPC", staging.Network.VPCCIDR, "10.1.0.0/16"},
		{"prod VPC", prod.Network.VPCCIDR, "10.2.0.0/16"},
		{"dev instance types", strings.Join(dev.Nodes.InstanceTypes, ","), "t3.large"},
		{"prod instance types", strings.Join(prod.Nodes.InstanceTypes, ","), "t3.large,t3a.large"},
		{"dev log retention", dev.Cluster.LogRetentionDays, 30},
		{"prod log retention", prod.Cluster.LogRetentionDays, 90},
		{"dev flow log retention", dev.Network.FlowLogRetentionDays, 14},
		{"prod flow log retention", prod.Network.FlowLogRetentionDays, 90},
		{"dev issuer", dev.Ingress.DefaultIssuer, ACMEStaging},
		{"staging issuer", staging.Ingress.DefaultIssuer, ACMEProduction},
		{"prod issuer", prod.Ingress.DefaultIssuer, ACMEProduction},
		{"dev domain", dev.Ingress.Domain, "dev.platform.example.com"},
		{"staging domain", staging.Ingress.Domain, "staging.platform.example.com"},
		{"prod domain", prod.Ingress.Domain, "platform.example.com"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// TestEnvironmentFilesAreExplicit keeps the committed files self-describing: an engineer reads
// the values in the file rather than in Defaults.
func TestEnvironmentFilesAreExplicit(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(envDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if want := []string{"dev.yaml", "prod.yaml", "staging.yaml"}; !slices.Equal(names, want) {
		t.Errorf("files in %s = %v, want %v", envDir, names, want)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, key := range []string{"project", "environment", "owner", "region", "network", "cluster", "nodes", "ingress"} {
			if _, ok := doc[key]; !ok {
				t.Errorf("%s does not set %s", f, key)
			}
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, env := range Environments {
		c := Defaults(env)
		if c.Environment != env {
			t.Errorf("Defaults(%q).Environment = %q", env, c.Environment)
		}
		// Only the values without a sensible default are missing: the ingress domain and e-mail,
		// the API allow-list and, in prod, the break-glass admin.
		c.Ingress.Domain, c.Ingress.IssuerEmail = "example.com", "ops@example.com"
		err := c.Validate()
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("Defaults(%q) plus domain and e-mail: err = %v, want the missing API CIDRs", env, err)
		}
		want := []string{"cluster.publicAccessCidrs"}
		if env == "prod" {
			want = append(want, "cluster.adminPrincipalArns")
		}
		var got []string
		for _, p := range verr.Problems {
			got = append(got, p.Path)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Defaults(%q) problems at %v, want %v:\n%v", env, got, want, err)
		}
		c.Cluster.PublicAccessCIDRs = []string{"198.51.100.0/24"}
		c.Cluster.AdminPrincipalARNs = []string{"arn:aws:iam::123456789012:role/break-glass"}
		if err := c.Validate(); err != nil {
			t.Errorf("Defaults(%q) completed: %v", env, err)
		}
	}
	// Defaults must not share slices between calls: a caller editing one must not edit another.
	a := Defaults("dev")
	a.Nodes.InstanceTypes[0] = "m5.large"
	if b := Defaults("dev"); b.Nodes.InstanceTypes[0] != "t3.large" || len(b.Cluster.PublicAccessCIDRs) != 0 {
		t.Error("Defaults returns shared slices")
	}
}

// TestEmptyFile: an empty file is all defaults, so only the values without a default fail: the
// ingress domain and e-mail and the API allow-list.
func TestEmptyFile(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n", "---\n", "~\n"} {
		_, err := LoadFromBytes("dev.yaml", []byte(data), "dev")
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("%q: err = %v, want *ValidationError", data, err)
		}
		var paths []string
		for _, p := range verr.Problems {
			paths = append(paths, p.Path)
		}
		if want := []string{"cluster.publicAccessCidrs", "ingress.domain", "ingress.issuerEmail"}; !slices.Equal(paths, want) {
			t.Errorf("%q: problems at %v, want %v", data, paths, want)
		}
	}
}

func TestUnknownEnvironment(t *testing.T) {
	for _, load := range []func() error{
		func() error { _, err := Load(envDir, "qa"); return err },
		func() error { _, err := LoadFromBytes("qa.yaml", nil, "qa"); return err },
		func() error { _, err := Load(envDir, "../environments/dev"); return err },
	} {
		err := load()
		if err == nil || !strings.Contains(err.Error(), "allowed: dev, staging, prod") {
			t.Errorf("err = %v, want the allowed environments", err)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(t.TempDir(), "dev")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want os.ErrNotExist", err)
	}
}

func TestApplyEnvOverrides(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name, file, env, want string
	}{
		{"unset keeps the file", "from-file", "", "from-file"},
		{"set replaces the file", "from-file", "ci-state-bucket", "ci-state-bucket"},
		{"set replaces empty", "", "ci-state-bucket", "ci-state-bucket"},
		{"whitespace is trimmed", "", " ci-state-bucket\n", "ci-state-bucket"},
		{"blank keeps the file", "from-file", "  ", "from-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Defaults("dev")
			c.State.Bucket = tc.file
			ApplyEnvOverrides(&c, env(map[string]string{StateBucketEnv: tc.env}))
			if c.State.Bucket != tc.want {
				t.Errorf("State.Bucket = %q, want %q", c.State.Bucket, tc.want)
			}
		})
	}
}

func TestLoadAppliesEnvOverrides(t *testing.T) {
	t.Setenv(StateBucketEnv, "acme-tfstate-dev")
	c, err := Load(envDir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if c.State.Bucket != "acme-tfstate-dev" || c.StateRegion() != "us-east-1" {
		t.Errorf("state = %+v, region %q", c.State, c.StateRegion())
	}

	// An invalid bucket from the environment is reported, and says where it came from.
	t.Setenv(StateBucketEnv, "Not_A_Bucket")
	_, err = Load(envDir, "dev")
	if err == nil || !strings.Contains(err.Error(), "state.bucket: \"Not_A_Bucket\"") ||
		!strings.Contains(err.Error(), "(set from "+StateBucketEnv+")") {
		t.Errorf("err = %v, want a state.bucket problem naming %s", err, StateBucketEnv)
	}
}

// TestLines: problems point at the line of the offending key, defaults at no line.
func TestLines(t *testing.T) {
	data := `environment: dev
ingress:
  domain: dev.platform.example.com
  issuerEmail: platform-team@example.com
cluster:
  adminPrincipalArns:
    - arn:aws:iam::123456789012:role/admins
    - not-an-arn
nodes:
  minSize: 11
`
	_, err := LoadFromBytes("dev.yaml", []byte(data), "dev")
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v", err)
	}
	for path, line := range map[string]int{
		"cluster.adminPrincipalArns[1]": 8,
		"nodes.minSize":                 10,
		"nodes.desiredSize":             0, // a default: not in the file
	} {
		p, ok := verr.ProblemAt(path)
		if !ok || p.Line != line {
			t.Errorf("%s: problem %+v (found %v), want line %d", path, p, ok, line)
		}
	}
	if want := `dev.yaml: nodes.minSize: 11 is greater than nodes.maxSize 10; must satisfy 1 <= minSize <= desiredSize <= maxSize <= 100 (line 10)`; !strings.Contains(err.Error(), want) {
		t.Errorf("error does not contain %q:\n%v", want, err)
	}
	if want := `nodes.desiredSize: 3 is less than nodes.minSize 11; must satisfy 1 <= minSize <= desiredSize <= maxSize`; !strings.Contains(err.Error(), want) {
		t.Errorf("error does not contain %q:\n%v", want, err)
	}
}

func TestStateRegion(t *testing.T) {
	c := Defaults("dev")
	if c.StateRegion() != "us-east-1" {
		t.Errorf("StateRegion() = %q", c.StateRegion())
	}
	c.State.Region = "eu-west-1"
	if c.StateRegion() != "eu-west-1" {
		t.Errorf("StateRegion() = %q", c.StateRegion())
	}
}
