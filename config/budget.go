package config

import "strings"

// BudgetOverride replaces the brief's request budget of one workflow in this environment (HA
// replicas in staging and prod cost more than the brief's figure). The capacity report shows it
// next to the brief's figure. Empty (the default) keeps the brief's budget.
type BudgetOverride struct {
	CPU    string `yaml:"cpu"`
	Memory string `yaml:"memory"`
	// Reason is printed in the capacity report; required so that an override is never silent.
	Reason string `yaml:"reason"`
}

// Set reports whether the override is given.
func (b BudgetOverride) Set() bool { return b != BudgetOverride{} }

// validate checks an override at path (e.g. "security.budgetOverride"); brief is the figure it
// replaces, for the message.
func (b BudgetOverride) validate(ps *problems, path, brief string) {
	if !b.Set() {
		return
	}
	if n, err := ParseCPU(b.CPU); err != nil || n <= 0 {
		ps.add(path+".cpu", "%q is not a CPU quantity; use millicores like 1500m", b.CPU)
	}
	if n, err := ParseMemory(b.Memory); err != nil || n <= 0 {
		ps.add(path+".memory", "%q is not a memory quantity; use a size like 3Gi", b.Memory)
	}
	if strings.TrimSpace(b.Reason) == "" {
		ps.add(path+".reason", "is required; say why this environment needs more than the brief's %s", brief)
	}
}
