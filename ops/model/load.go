package model

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/stacks"
)

// Load synthesizes every stack of env offline into a scratch directory, the way main does, and
// reads the model from the result. root is the repository root (config/environments lives
// there). Nothing touches AWS or the network.
func Load(root, env string) (m *Model, err error) {
	cfg, err := config.Load(filepath.Join(root, "config", "environments"), env)
	if err != nil {
		return nil, err
	}
	// Constructs panic on programming errors; report them as one error, as main does.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synthesize %s: %v", env, r)
		}
	}()
	out, err := os.MkdirTemp("", "platform-model-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)

	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(out)})
	p, err := stacks.Build(app, cfg)
	if err != nil {
		return nil, err
	}
	app.Synth()

	deps, err := manifestDependencies(filepath.Join(out, "manifest.json"))
	if err != nil {
		return nil, err
	}
	m = &Model{
		Env: cfg.Environment, Region: cfg.Region, ConfigFile: cfg.File,
		Nodes: cfg.Nodes, Services: cfg.Services, Footprints: p.Ledger.Entries(),
	}
	// The report names the budget overrides the stacks set; a platform that does not fit is
	// still a model (the capacity verb says why).
	r, _ := p.Capacity()
	if len(r.Overrides) > 0 {
		m.BudgetOverrides = r.Overrides
	}
	m.ServicePodOverhead = r.Service.PodOverhead
	for _, b := range p.Stacks {
		w := b.Workflow
		dir := filepath.Join(out, "stacks", w.ID)
		s, err := readStack(dir)
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", w.ID, err)
		}
		s.ID, s.Number, s.Name, s.File = w.ID, w.Number, w.Name, w.File
		s.DependsOn = deps[w.ID]
		if s.DependsOn == nil {
			s.DependsOn = []string{}
		}
		m.Stacks = append(m.Stacks, *s)
	}
	return m, m.check()
}

// manifestDependencies reads the stack dependencies cdktf writes into manifest.json.
func manifestDependencies(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string][]string{}
	for id, s := range manifest.Stacks {
		out[id] = s.Dependencies
	}
	return out, nil
}

// readStack reads the facts of one synthesized stack directory (cdk.tf.json and its assets).
func readStack(dir string) (*Stack, error) {
	data, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Resource map[string]map[string]map[string]any `json:"resource"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return Facts(doc.Resource, func(chart string) string { return chartName(filepath.Join(dir, chart)) }), nil
}

// chartName reads the name from a local chart's Chart.yaml; "" when it is not one.
func chartName(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return ""
	}
	var c struct {
		Name string `yaml:"name"`
	}
	if yamlUnmarshal(data, &c) != nil {
		return ""
	}
	return c.Name
}
