package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
)

// Alert is one Prometheus alerting rule of the platform.
type Alert struct {
	Name string
	Expr string
	// For is how long the condition must hold, e.g. "10m"; empty fires at once.
	For      string
	Severity string // critical, warning or info
	Summary  string
	// Description may use Prometheus templating ({{ $labels.pod }}).
	Description string
	// Runbook is "<file>#<section>": a heading anchor in docs/runbooks/<file>.md.
	Runbook string
}

// AlertGroup is a named group of rules, evaluated together.
type AlertGroup struct {
	Name  string
	Rules []Alert
}

// Severities an alert may carry; Alertmanager routes on them.
var Severities = []string{"critical", "warning", "info"}

// RunbookURL is the browsable address of a runbook section "<file>#<section>".
func RunbookURL(base, runbook string) string {
	file, section, _ := strings.Cut(runbook, "#")
	return fmt.Sprintf("%s/%s.md#%s", base, file, section)
}

// alertRules installs a stack's alerts as one PrometheusRule (local chart prometheus-rules).
// Every alert must name its runbook section; mistakes are programming errors and panic.
func (b *Base) alertRules(id, namespace string, groups []AlertGroup, deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	vals := make([]any, 0, len(groups))
	for _, g := range groups {
		rules := make([]any, 0, len(g.Rules))
		for _, a := range g.Rules {
			if err := a.validate(); err != nil {
				panic(fmt.Errorf("alerts %s: %w", id, err))
			}
			rule := map[string]any{
				"alert":  a.Name,
				"expr":   a.Expr,
				"labels": map[string]any{"severity": a.Severity, "workflow": b.Workflow.ID},
				"annotations": map[string]any{
					"summary":     a.Summary,
					"description": a.Description,
					"runbook_url": RunbookURL(b.Cfg.RunbookBaseURL, a.Runbook),
				},
			}
			if a.For != "" {
				rule["for"] = a.For
			}
			rules = append(rules, rule)
		}
		vals = append(vals, map[string]any{"name": g.Name, "rules": rules})
	}
	return b.localRelease(id, charts.PrometheusRules, helmaddon.Config{
		Namespace:   namespace,
		Values:      map[string]any{"name": id, "groups": vals},
		NoWorkloads: true,
		DependsOn:   deps,
	})
}

func (a Alert) validate() error {
	file, section, ok := strings.Cut(a.Runbook, "#")
	switch {
	case a.Name == "" || a.Expr == "":
		return fmt.Errorf("alert %q needs a name and an expression", a.Name)
	case !slices.Contains(Severities, a.Severity):
		return fmt.Errorf("alert %s: severity %q is not one of %v", a.Name, a.Severity, Severities)
	case a.Summary == "":
		return fmt.Errorf("alert %s needs a summary", a.Name)
	case !ok || file == "" || section == "" || strings.ContainsAny(a.Runbook, " /"):
		return fmt.Errorf("alert %s: runbook %q must be <file>#<section> of docs/runbooks", a.Name, a.Runbook)
	}
	return nil
}
