package runbook

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/ops/model"
)

func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Helm release pending-upgrade / failed":              "helm-release-pending-upgrade--failed",
		"Nodes NotReady / Cilium not ready":                  "nodes-notready--cilium-not-ready",
		"An EKS add-on stuck (CREATING, UPDATING, DEGRADED)": "an-eks-add-on-stuck-creating-updating-degraded",
		"Pods pending (unschedulable)":                       "pods-pending-unschedulable",
		"snake_case and `code`":                              "snake_case-and-code",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every row of the committed error table points at a section that exists.
func TestErrorTableSectionsExist(t *testing.T) {
	idx, err := Load(root())
	if err != nil {
		t.Fatal(err)
	}
	pats, err := Patterns()
	if err != nil {
		t.Fatal(err)
	}
	if len(pats) < 15 {
		t.Fatalf("only %d patterns", len(pats))
	}
	for _, p := range pats {
		if _, err := idx.Lookup(p.Runbook); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
}

func TestExplain(t *testing.T) {
	idx, err := Load(root())
	if err != nil {
		t.Fatal(err)
	}
	pats, _ := Patterns()
	cases := map[string]string{
		"Error: Error acquiring the state lock\n\nLock Info: ID: 1234":                               "state-lock",
		"Error: another operation (install/upgrade/rollback) is in progress":                         "helm-pending",
		`Error: unable to build kubernetes objects: no matches for kind "ServiceMonitor" in version`: "crd-missing",
		"Warning FailedScheduling 0/3 nodes are available: 3 Insufficient memory":                    "unschedulable",
		"Error: waiting for EKS Node Group: NodeCreationFailure: Instances failed to join":           "node-creation",
		"Internal error occurred: failed calling webhook \"validation.gatekeeper.sh\"":               "webhook",
		"capacity check failed (nodes.minSize=3, t3.large):":                                         "capacity",
		"api error ExpiredToken: The security token included in the request is expired":              "credentials",
		"Error: deleting EC2 Subnet: DependencyViolation":                                            "dependency-violation",
	}
	for text, id := range cases {
		m, err := Explain(text, pats, idx)
		if err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if m[0].Pattern.ID != id {
			t.Errorf("%q matched %s first, want %s", text, m[0].Pattern.ID, id)
		}
		if !strings.HasPrefix(m[0].Link, "docs/runbooks/") {
			t.Errorf("link %q", m[0].Link)
		}
	}
	for _, text := range []string{"", "all good"} {
		if _, err := Explain(text, pats, idx); err == nil {
			t.Errorf("Explain(%q) found a match", text)
		}
	}
}

func TestParsePatternsRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"bad regexp":    "errors:\n  - {id: a, pattern: '(', runbook: 'x#y'}\n",
		"no runbook":    "errors:\n  - {id: a, pattern: 'x'}\n",
		"duplicate id":  "errors:\n  - {id: a, pattern: 'x', runbook: 'x#y'}\n  - {id: a, pattern: 'y', runbook: 'x#y'}\n",
		"unknown field": "errors:\n  - {id: a, pattern: 'x', runbook: 'x#y', severity: high}\n",
	} {
		if _, err := ParsePatterns([]byte(doc)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestAlerts(t *testing.T) {
	idx, err := Load(root())
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Model{Env: "dev", Stacks: []model.Stack{{ID: "observability", Alerts: []model.Alert{
		{Name: "LokiDown", RunbookURL: "https://github.com/o/r/blob/main/docs/runbooks/operations.md#pods-not-becoming-ready", Release: "rules"},
		{Name: "APIDown", RunbookURL: "operations#kubernetes-api-unreachable", Release: "rules"},
	}}}}
	a, err := Alert("lokidown", m, idx)
	if err != nil || a.Section.Heading != "Pods not becoming ready" || a.Stack != "observability" {
		t.Errorf("Alert = %+v, %v", a, err)
	}
	if _, err := Alert("Nope", m, idx); err == nil || !strings.Contains(err.Error(), "alerts: APIDown, LokiDown") {
		t.Errorf("unknown alert: %v", err)
	}
	m.Stacks[0].Alerts = append(m.Stacks[0].Alerts, model.Alert{Name: "Broken", RunbookURL: "operations#no-such-section"})
	if _, err := Alerts(m, idx); err == nil || !strings.Contains(err.Error(), "observability/Broken") {
		t.Errorf("missing section: %v", err)
	}
	if _, err := idx.Lookup("operations"); err == nil {
		t.Error("reference without a section accepted")
	}
}
