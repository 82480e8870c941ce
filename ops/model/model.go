// Package model is what the `platform` command knows about one environment: the stacks of the
// registry with their dependencies, the footprints of the capacity ledger, and facts read from
// each synthesized stack (resources, log groups, buckets, load balancers, volumes, alerts, local
// charts). It is built by synthesizing the real app offline (Load), so a stack added to the
// registry is covered without code changes, and it is plain data, so tests can use fixtures.
package model

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// Model is one environment's platform as the synthesized stacks describe it.
type Model struct {
	Env    string `json:"env"`
	Region string `json:"region"`
	// ConfigFile is the environment file the model was built from.
	ConfigFile string                 `json:"configFile"`
	Nodes      config.NodeGroup       `json:"nodes"`
	Services   config.ServiceDefaults `json:"services"`
	// Stacks in the registry's deployment order.
	Stacks     []Stack              `json:"stacks"`
	Footprints []capacity.Footprint `json:"footprints"`
	// BudgetOverrides are the per-environment budget overrides the stacks set on the ledger.
	BudgetOverrides map[string]capacity.Override `json:"budgetOverrides,omitempty"`
	// ServicePodOverhead is what the platform adds to every microservice pod (the service
	// mesh's sidecar requests), as the platform's own capacity report counts it.
	ServicePodOverhead capacity.Resources `json:"servicePodOverhead,omitempty"`
}

// Stack is one synthesized stack.
type Stack struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	// Name is the GitHub workflow name; File its file under .github/workflows.
	Name string `json:"name"`
	File string `json:"file"`
	// DependsOn are the stacks this one must be deployed after (cdktf manifest dependencies:
	// AddDependency and cross-stack references).
	DependsOn []string `json:"dependsOn"`
	// Resources counts the Terraform resources by type.
	Resources     map[string]int `json:"resources"`
	LogGroups     []LogGroup     `json:"logGroups,omitempty"`
	Buckets       []Bucket       `json:"buckets,omitempty"`
	LoadBalancers []LoadBalancer `json:"loadBalancers,omitempty"`
	Volumes       []Volume       `json:"volumes,omitempty"`
	Alerts        []Alert        `json:"alerts,omitempty"`
	Releases      []Release      `json:"releases,omitempty"`
}

// LogGroup is an aws_cloudwatch_log_group.
type LogGroup struct {
	Name          string `json:"name"`
	RetentionDays int    `json:"retentionDays"` // 0: never expires
}

// Bucket is an aws_s3_bucket and the expiration of its lifecycle configuration.
type Bucket struct {
	Name           string `json:"name"`
	Component      string `json:"component"`
	ExpirationDays int    `json:"expirationDays"` // 0: kept forever
}

// LoadBalancer is a Service of type LoadBalancer that the AWS Load Balancer Controller turns
// into an NLB, found in a release's values.
type LoadBalancer struct {
	Release string `json:"release"`
	Scheme  string `json:"scheme"`
}

// Volume is a persistent volume claim found in a release's values.
type Volume struct {
	Release string  `json:"release"`
	Path    string  `json:"path"`
	SizeGiB float64 `json:"sizeGiB"`
	Count   int     `json:"count"`
}

// Alert is one alerting rule shipped by a stack, with its runbook_url annotation.
type Alert struct {
	Name       string `json:"name"`
	Severity   string `json:"severity,omitempty"`
	RunbookURL string `json:"runbookUrl,omitempty"`
	Release    string `json:"release"`
}

// Release is a helm_release of the stack; LocalChart is the chart's name when it ships from
// charts/.
type Release struct {
	Name       string `json:"name"`
	Namespace  string `json:"namespace"`
	Chart      string `json:"chart"`
	LocalChart string `json:"localChart,omitempty"`
}

// Stack returns the stack with id.
func (m *Model) Stack(id string) (*Stack, bool) {
	for i := range m.Stacks {
		if m.Stacks[i].ID == id {
			return &m.Stacks[i], true
		}
	}
	return nil, false
}

// IDs are the stack ids in registry order.
func (m *Model) IDs() []string {
	ids := make([]string, len(m.Stacks))
	for i, s := range m.Stacks {
		ids[i] = s.ID
	}
	return ids
}

// Ledger rebuilds the capacity ledger from the footprints.
func (m *Model) Ledger() *capacity.Ledger {
	l := &capacity.Ledger{}
	l.Add(m.Footprints...)
	for w, o := range m.BudgetOverrides {
		l.OverrideBudget(w, o.Budget, o.Reason)
	}
	return l
}

// Service is the brief's per-microservice allowance as the capacity check takes it.
func (m *Model) Service() capacity.Service {
	s := m.Services
	return capacity.Service{CPURequest: s.CPURequest, MemoryRequest: s.MemoryRequest, Replicas: s.Replicas, PodOverhead: m.ServicePodOverhead}
}

// ServiceFootprints are k microservices at the configured defaults: their pods and, when the
// platform adds a per-pod overhead, that overhead as a sidecar (resources, no extra pods; its
// limits are taken equal to its requests).
func (m *Model) ServiceFootprints(workflow string, k int) []capacity.Footprint {
	s := m.Services
	out := []capacity.Footprint{{Workflow: workflow, Component: "microservice", Replicas: s.Replicas * k,
		Requests: capacity.Resources{CPU: s.CPURequest, Memory: s.MemoryRequest},
		Limits:   capacity.Resources{CPU: s.CPULimit, Memory: s.MemoryLimit}}}
	if o := m.ServicePodOverhead; o.CPU != "" && o.Memory != "" {
		out = append(out, capacity.Footprint{Workflow: workflow, Component: "microservice-sidecar", Replicas: s.Replicas * k,
			Sidecar: true, Requests: o, Limits: o})
	}
	return out
}

// Read loads a model saved as JSON (test fixtures, `platform model --json`).
func Read(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, m.check()
}

// check refuses a model whose dependencies name unknown stacks.
func (m *Model) check() error {
	ids := m.IDs()
	for _, s := range m.Stacks {
		for _, d := range s.DependsOn {
			if !slices.Contains(ids, d) {
				return fmt.Errorf("model: stack %s depends on unknown stack %q", s.ID, d)
			}
		}
	}
	return nil
}
