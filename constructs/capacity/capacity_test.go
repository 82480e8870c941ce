package capacity

import (
	"strings"
	"testing"
)

func fp(workflow string, replicas int, ds bool, cpu, mem string) Footprint {
	return Footprint{Workflow: workflow, Component: workflow + "-c", Replicas: replicas, DaemonSet: ds,
		Requests: Resources{cpu, mem}, Limits: Resources{cpu, mem}}
}

func TestCheck(t *testing.T) {
	nodes := Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 110}
	svc := Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3}
	tests := []struct {
		name    string
		entries []Footprint
		nodes   Nodes
		wantErr string
		check   func(t *testing.T, r Report)
	}{
		{"fits", []Footprint{fp("foundation", 2, false, "100m", "128Mi"), fp("foundation", 0, true, "50m", "64Mi")}, nodes, "",
			func(t *testing.T, r Report) {
				if r.Total.CPUReqMilli != 350 || r.Total.MemReqMiB != 448 || r.Total.Pods != 5 {
					t.Errorf("total = %+v", r.Total)
				}
				if r.Node.CPUMilli != 1930 {
					t.Errorf("t3.large allocatable CPU = %d, want 1930", r.Node.CPUMilli)
				}
				if r.ServicesFit <= 0 {
					t.Errorf("ServicesFit = %d", r.ServicesFit)
				}
			}},
		{"over the brief's ingress budget", []Footprint{fp("ingress", 2, false, "150m", "128Mi")}, nodes, "workflow ingress requests 300m CPU", nil},
		{"over allocatable memory", []Footprint{fp("foundation", 10, false, "10m", "4Gi")}, nodes, "platform requests 40960Mi memory", nil},
		{"too many pods", []Footprint{fp("foundation", 331, false, "1m", "1Mi")}, nodes, "platform runs 331 pods; 3 x t3.large take at most 330", nil},
		{"pods fit at 110 per node", []Footprint{fp("foundation", 330, false, "1m", "1Mi")}, nodes, "",
			func(t *testing.T, r Report) {
				if r.Allocatable.Pods != 330 {
					t.Errorf("allocatable pods = %d, want 3 x 110", r.Allocatable.Pods)
				}
			}},
		{"35 pods per node without prefix delegation", []Footprint{fp("foundation", 106, false, "1m", "1Mi")},
			Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 35}, "platform runs 106 pods; 3 x t3.large take at most 105", nil},
		{"no pod limit", nil, Nodes{InstanceTypes: []string{"t3.large"}, Count: 3}, "nodes.maxPods is 0", nil},
		{"unknown instance type", nil, Nodes{InstanceTypes: []string{"x9.huge"}, Count: 3, MaxPods: 110}, `no allocatable data for instance type "x9.huge"`, nil},
		{"missing limits", []Footprint{{Workflow: "foundation", Component: "x", Replicas: 1, Requests: Resources{"1m", "1Mi"}}}, nodes, "must declare requests and limits", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Ledger{}
			l.Add(tt.entries...)
			r, err := Check(l, tt.nodes, svc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func TestSmallestIsPerDimension(t *testing.T) {
	a, err := smallest([]string{"t3.xlarge", "c5.large"}, 58)
	if err != nil {
		t.Fatal(err)
	}
	// c5.large has less CPU and memory than t3.xlarge; both run the configured 58 pods.
	if a.Pods != 58 || a.MemMiB != 4096*94/100-(255+11*58)-100 || a.CPUMilli != 1930 {
		t.Errorf("smallest = %+v, want c5.large's CPU and memory at 58 pods", a)
	}
}

// TestAllocatableFollowsMaxPods pins the EKS reservation formula: every pod the kubelet may run
// reserves 11Mi, so raising maxPods from 35 to 110 on a t3.large costs 825Mi of allocatable memory.
func TestAllocatableFollowsMaxPods(t *testing.T) {
	for _, tc := range []struct {
		maxPods int
		mem     int64
	}{{35, 6960}, {110, 6135}} {
		a, err := AllocatableOf("t3.large", tc.maxPods)
		if err != nil {
			t.Fatal(err)
		}
		if a.Pods != tc.maxPods || a.MemMiB != tc.mem || a.CPUMilli != 1930 {
			t.Errorf("t3.large at maxPods %d = %+v, want %d pods, %dMi, 1930m", tc.maxPods, a, tc.maxPods, tc.mem)
		}
	}
	if got := KubeReservedMemMiB(110); got != 1465 {
		t.Errorf("KubeReservedMemMiB(110) = %d, want 1465", got)
	}
}

func TestReportString(t *testing.T) {
	l := &Ledger{}
	l.Add(fp("foundation", 1, false, "10m", "10Mi"), fp("ingress", 1, false, "10m", "10Mi"))
	r, err := Check(l, Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 110}, Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3})
	if err != nil {
		t.Fatal(err)
	}
	s := r.String()
	if f, i := strings.Index(s, "foundation"), strings.Index(s, "ingress"); f < 0 || i < f || !strings.Contains(s, "200m / 500Mi") {
		t.Errorf("report does not list foundation then ingress with the ingress budget:\n%s", s)
	}
	unknown, _ := Check(l, Nodes{InstanceTypes: []string{"x9.huge"}, Count: 3, MaxPods: 110}, Service{})
	if unknown.String() != "" {
		t.Errorf("report for an unknown node type = %q, want empty", unknown.String())
	}
}

func TestBudgetOverride(t *testing.T) {
	nodes := Nodes{InstanceTypes: []string{"t3.large"}, Count: 3, MaxPods: 110}
	svc := Service{CPURequest: "100m", MemoryRequest: "256Mi", Replicas: 3}
	over := fp("observability", 3, false, "500m", "1Gi") // 1500m / 3072Mi, over the brief's 1000m / 2048Mi

	l := &Ledger{}
	l.Add(over)
	if _, err := Check(l, nodes, svc); err == nil || !strings.Contains(err.Error(), "the brief's budget is 1000m / 2048Mi") {
		t.Fatalf("without an override: err = %v, want the brief's budget exceeded", err)
	}

	l.OverrideBudget("observability", Budget{CPUMilli: 1500, MemMiB: 3072}, "prod runs HA replicas")
	r, err := Check(l, nodes, svc)
	if err != nil {
		t.Fatalf("within the override: %v", err)
	}
	if o, ok := r.Overrides["observability"]; !ok || o.Budget.CPUMilli != 1500 {
		t.Errorf("report overrides = %+v", r.Overrides)
	}
	if s := r.String(); !strings.Contains(s, "override 1500m / 3072Mi (brief 1000m / 2048Mi): prod runs HA replicas") {
		t.Errorf("report does not show the override:\n%s", s)
	}

	l.OverrideBudget("observability", Budget{CPUMilli: 1400, MemMiB: 3072}, "too small")
	if _, err := Check(l, nodes, svc); err == nil || !strings.Contains(err.Error(), "its budget override is 1400m / 3072Mi") {
		t.Errorf("over the override: err = %v", err)
	}
	if b, overridden, ok := (&Ledger{}).BudgetOf("observability"); !ok || overridden || b.CPUMilli != 1000 {
		t.Errorf("BudgetOf without override = %+v %v %v", b, overridden, ok)
	}
}

func TestLedgerOnly(t *testing.T) {
	l := &Ledger{}
	l.Add(Footprint{Workflow: "foundation", Component: "a"}, Footprint{Workflow: "gitops", Component: "b"}, Footprint{Workflow: "ingress", Component: "c"})
	l.OverrideBudget("gitops", Budget{CPUMilli: 1, MemMiB: 1}, "test")
	sub := l.Only("foundation", "ingress")
	var got []string
	for _, f := range sub.Entries() {
		got = append(got, f.Component)
	}
	if strings.Join(got, ",") != "a,c" {
		t.Errorf("Only = %v, want a,c", got)
	}
	if _, overridden, _ := sub.BudgetOf("gitops"); !overridden {
		t.Error("Only dropped the budget overrides")
	}
}

func TestPod(t *testing.T) {
	app := Footprint{Requests: Resources{CPU: "100m", Memory: "128Mi"}, Limits: Resources{CPU: "1", Memory: "1Gi"}}
	side := Footprint{Requests: Resources{CPU: "0.05", Memory: "64Mi"}, Limits: Resources{CPU: "200m", Memory: "256Mi"}}
	got := Pod("web", 3, app, side)
	want := Footprint{Component: "web", Replicas: 3,
		Requests: Resources{CPU: "150m", Memory: "192Mi"}, Limits: Resources{CPU: "1200m", Memory: "1280Mi"}}
	if got != want {
		t.Errorf("Pod = %+v, want %+v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("a malformed quantity did not panic")
		}
	}()
	Pod("bad", 1, Footprint{Requests: Resources{CPU: "lots", Memory: "1Mi"}, Limits: Resources{CPU: "1", Memory: "1Mi"}})
}
