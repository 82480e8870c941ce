package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Environments are the environment names the platform knows, in promotion order.
var Environments = []string{"dev", "staging", "prod"}

// StateBucketEnv names the process environment variable that overrides State.Bucket. CI passes
// the bucket this way so that the committed files keep working on a laptop with a local backend.
const StateBucketEnv = "PLATFORM_STATE_BUCKET"

// Load reads <dir>/<env>.yaml (dir is normally config/environments) over Defaults(env), applies
// the process environment overrides and validates the result. Problems in the file come back
// together in one *ValidationError: first those that stop decoding (invalid YAML, unknown keys,
// wrong types), otherwise every rule violation.
func Load(dir, env string) (*Config, error) {
	if err := checkEnv(env); err != nil {
		return nil, err
	}
	file := filepath.Join(dir, env+".yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, root, err := decode(file, data, env)
	if err != nil {
		return nil, err
	}
	ApplyEnvOverrides(&c, os.Getenv)
	if err := finish(&c, root, env); err != nil {
		var verr *ValidationError
		if strings.TrimSpace(os.Getenv(StateBucketEnv)) != "" && errors.As(err, &verr) {
			// The file does not contain the bad value; say where it came from.
			for i, p := range verr.Problems {
				if p.Path == "state.bucket" {
					verr.Problems[i].Message += " (set from " + StateBucketEnv + ")"
				}
			}
		}
		return nil, err
	}
	return &c, nil
}

// LoadFromBytes is Load without the file system and without environment overrides: data is the
// YAML text, file is only used in messages and env is the environment being loaded.
func LoadFromBytes(file string, data []byte, env string) (*Config, error) {
	if err := checkEnv(env); err != nil {
		return nil, err
	}
	c, root, err := decode(file, data, env)
	if err != nil {
		return nil, err
	}
	if err := finish(&c, root, env); err != nil {
		return nil, err
	}
	return &c, nil
}

// ApplyEnvOverrides applies the settings that come from the process environment rather than the
// file; today only StateBucketEnv. A nil getenv means os.Getenv.
func ApplyEnvOverrides(c *Config, getenv func(string) string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if b := strings.TrimSpace(getenv(StateBucketEnv)); b != "" {
		c.State.Bucket = b
	}
}

// Defaults is the configuration an empty file yields, following the brief: t3.large SPOT nodes
// (3-10) in us-east-1, 100m/300m CPU and 256Mi/512Mi memory per service. Production differs
// where it buys resilience: one NAT gateway per AZ, longer retention and the production ACME
// issuer. The ingress domain, the issuer e-mail, the API endpoint's allowed CIDRs and prod's
// break-glass admin have no sensible default and must be set in the file. For an unknown env
// the dev values are returned with Environment set to env, which Validate then rejects.
func Defaults(env string) Config {
	c := Config{
		Project:     "eks-platform",
		Environment: env,
		Owner:       "platform-team",
		Region:      "us-east-1",
		// A clone points this at its own repository in the environment file.
		RunbookBaseURL: "https://github.com/platformeng/eks-platform/blob/main/docs/runbooks",
		Network: Network{
			VPCCIDR:              "10.0.0.0/16",
			AZCount:              3,
			PrivateSubnetPrefix:  19,
			PublicSubnetPrefix:   22,
			IntraSubnetPrefix:    26,
			NATGateways:          NATSingle,
			FlowLogRetentionDays: 14,
			PrefixDelegation:     true,
		},
		Cluster: Cluster{
			Version:              "1.35",
			EndpointPublicAccess: true,
			LogRetentionDays:     30,
		},
		Nodes: NodeGroup{
			InstanceTypes: []string{"t3.large"},
			CapacityType:  CapacitySpot,
			MinSize:       3,
			DesiredSize:   3,
			MaxSize:       10,
			DiskSizeGiB:   50,
			MaxPods:       110,
		},
		Services: ServiceDefaults{
			CPURequest:    "100m",
			CPULimit:      "300m",
			MemoryRequest: "256Mi",
			MemoryLimit:   "512Mi",
			Replicas:      3,
		},
		Observability: ObservabilityDefaults(env),
		Ingress: Ingress{
			DefaultIssuer: ACMEStaging,
			Replicas:      2,
			TokenSource:   TokenSourceCreate,
		},
		GitOps: gitOpsDefaults(env),
	}
	c.ServiceMesh = DefaultServiceMesh(env)
	c.Security = defaultSecurity(env)
	c.DataServices = dataServicesDefaults(env)
	switch env {
	case "staging":
		c.Network.VPCCIDR = "10.1.0.0/16"
		c.Ingress.DefaultIssuer = ACMEProduction
	case "prod":
		c.Network.VPCCIDR = "10.2.0.0/16"
		c.Network.NATGateways = NATPerAZ
		c.Network.FlowLogRetentionDays = 90
		c.Cluster.LogRetentionDays = 90
		c.Ingress.DefaultIssuer = ACMEProduction
	}
	return c
}

// StateRegion is the region of the state bucket: State.Region, or Region when that is empty.
func (c *Config) StateRegion() string {
	if c.State.Region != "" {
		return c.State.Region
	}
	return c.Region
}

func checkEnv(env string) error {
	if !slices.Contains(Environments, env) {
		return fmt.Errorf("config: unknown environment %q; allowed: %s", env, strings.Join(Environments, ", "))
	}
	return nil
}

// finish validates c as the environment env and, when the file was parsed, points every problem
// at its line.
func finish(c *Config, root *yaml.Node, env string) error {
	err := c.validate(env)
	var verr *ValidationError
	if root != nil && errors.As(err, &verr) {
		for i, p := range verr.Problems {
			if p.Line == 0 {
				verr.Problems[i].Line = lineOf(root, p.Path)
			}
		}
	}
	return err
}
