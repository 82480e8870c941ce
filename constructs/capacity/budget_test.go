package capacity

import (
	"strings"
	"testing"
)

// TestSetBudget: a workflow without a brief budget is checked against the one set on the
// ledger, reported in the table, and cannot weaken a brief budget.
func TestSetBudget(t *testing.T) {
	nodes := Nodes{InstanceTypes: []string{"t3.large"}, Count: 3}
	svc := Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3}
	tests := []struct {
		name    string
		budget  Budget
		entries []Footprint
		wantErr string
	}{
		{"within", Budget{CPUMilli: 1000, MemMiB: 3072}, []Footprint{fp("data-services", 4, false, "200m", "512Mi")}, ""},
		{"cpu over", Budget{CPUMilli: 500, MemMiB: 3072}, []Footprint{fp("data-services", 3, false, "200m", "512Mi")},
			"workflow data-services requests 600m CPU / 1536Mi memory; its configured budget is 500m / 3072Mi"},
		{"memory over", Budget{CPUMilli: 5000, MemMiB: 1024}, []Footprint{fp("data-services", 3, false, "200m", "512Mi")},
			"its configured budget is 5000m / 1024Mi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Ledger{}
			l.SetBudget("data-services", tt.budget)
			l.Add(tt.entries...)
			r, err := Check(l, nodes, svc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Budgets["data-services"] != tt.budget {
				t.Errorf("report budgets = %v", r.Budgets)
			}
			if !strings.Contains(r.String(), "1000m / 3072Mi") {
				t.Errorf("report does not show the configured budget:\n%s", r.String())
			}
		})
	}

	l := &Ledger{}
	l.SetBudget("ingress", Budget{CPUMilli: 10000, MemMiB: 10000})
	l.Add(fp("ingress", 2, false, "150m", "128Mi"))
	if _, err := Check(l, nodes, svc); err == nil || !strings.Contains(err.Error(), "the brief's budget is 200m / 500Mi") {
		t.Errorf("a ledger budget overrode the brief's: err = %v", err)
	}
}
