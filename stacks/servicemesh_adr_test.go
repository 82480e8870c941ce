package stacks

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/capacity"
)

// meshModeCost is what one data-plane mode asks of the dev cluster for n microservices of the
// brief (3 replicas, 100m/256Mi each): the mesh's own requests and the services that still fit.
type meshModeCost struct {
	cpu, mem int64 // mesh requests: control plane, node agents, proxies
	fit      int   // microservices at the brief's defaults (with the mode's per-pod cost) that fit at nodes.minSize
}

// ambientFootprints is the ambient alternative, sized like the sidecar build: istiod and the CNI
// agent as deployed, ztunnel per node and one waypoint for the namespace that needs L7 (retries,
// timeouts, canary) at the same per-proxy requests as a sidecar would get.
func ambientFootprints(nodes int) []capacity.Footprint {
	return []capacity.Footprint{
		{Workflow: "service-mesh", Component: "istiod", Replicas: 1, Requests: capacity.Resources{CPU: "100m", Memory: "256Mi"}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}},
		{Workflow: "service-mesh", Component: "istio-cni", DaemonSet: true, Requests: capacity.Resources{CPU: "10m", Memory: "48Mi"}, Limits: capacity.Resources{CPU: "200m", Memory: "192Mi"}},
		{Workflow: "service-mesh", Component: "ztunnel", DaemonSet: true, Requests: capacity.Resources{CPU: "20m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "256Mi"}},
		{Workflow: "service-mesh", Component: "waypoint", Replicas: 1, Requests: capacity.Resources{CPU: "10m", Memory: "64Mi"}, Limits: capacity.Resources{CPU: "500m", Memory: "256Mi"}},
	}
}

// meshModeCosts computes both modes for n services from the dev ledger, with the capacity model.
func meshModeCosts(t *testing.T, p *Platform, n int, extra ...capacity.Footprint) (sidecar, ambient meshModeCost) {
	t.Helper()
	cfg := p.Config
	nodes := capacity.Nodes{InstanceTypes: cfg.Nodes.InstanceTypes, Count: cfg.Nodes.MinSize, MaxPods: cfg.Nodes.MaxPods}
	svc := capacity.Service{CPURequest: cfg.Services.CPURequest, MemoryRequest: cfg.Services.MemoryRequest, Replicas: cfg.Services.Replicas}
	proxyCPU, proxyMem := cfg.ServiceMesh.MeshSidecarOverhead()

	others, mine := &capacity.Ledger{}, []capacity.Footprint{}
	others.Add(extra...)
	for _, f := range p.Ledger.Entries() {
		if f.Workflow == "service-mesh" {
			mine = append(mine, f)
		} else {
			others.Add(f)
		}
	}
	cost := func(mesh []capacity.Footprint, overhead capacity.Resources) meshModeCost {
		l := &capacity.Ledger{}
		l.Add(others.Entries()...)
		l.Add(mesh...)
		// What fits when every microservice pod carries the overhead (the synth report's figure).
		r, err := capacity.Check(l, nodes, capacity.Service{CPURequest: svc.CPURequest, MemoryRequest: svc.MemoryRequest, Replicas: svc.Replicas, PodOverhead: overhead})
		if err != nil {
			t.Fatal(err)
		}
		// The mesh's cost for n services: its own footprints plus n x replicas proxies.
		if overhead.CPU != "" {
			// Under their own line: the brief's Istio budget covers the platform's part only.
			l.Add(capacity.Footprint{Workflow: "service-sidecars", Component: "istio-proxy", Sidecar: true, Replicas: n * svc.Replicas,
				Requests: overhead, Limits: overhead})
		}
		withN, err := capacity.Check(l, nodes, svc)
		if err != nil {
			t.Fatal(err)
		}
		u, side := withN.ByWorkflow["service-mesh"], withN.ByWorkflow["service-sidecars"]
		return meshModeCost{cpu: u.CPUReqMilli + side.CPUReqMilli, mem: u.MemReqMiB + side.MemReqMiB, fit: r.ServicesFit}
	}
	sidecar = cost(mine, capacity.Resources{CPU: proxyCPU, Memory: proxyMem})
	ambient = cost(ambientFootprints(cfg.Nodes.MinSize), capacity.Resources{})
	return sidecar, ambient
}

// TestMeshModeADRNumbers recomputes the table of docs/adr/0009-mesh-mode.md with the capacity
// model and fails when the ADR quotes other numbers.
func TestMeshModeADRNumbers(t *testing.T) {
	p := synthPlatformApp(t, "dev")
	var rows []string
	for _, n := range []int{5, 15} {
		s, a := meshModeCosts(t, p, n)
		rows = append(rows,
			fmt.Sprintf("| %d | sidecar | %dm / %dMi | %d |", n, s.cpu, s.mem, s.fit),
			fmt.Sprintf("| %d | ambient | %dm / %dMi | %d |", n, a.cpu, a.mem, a.fit))
		if n == 15 && a.cpu >= s.cpu {
			t.Errorf("at 15 services ambient (%dm) should cost less CPU than sidecars (%dm)", a.cpu, s.cpu)
		}
	}
	// The workflows not built on this branch yet, at the brief's budgets (data services has
	// none): the room that will really be left once they land.
	built := map[string]bool{}
	for _, f := range p.Ledger.Entries() {
		built[f.Workflow] = true
	}
	var budgets []capacity.Footprint
	for _, w := range []string{"observability", "gitops", "security"} {
		if built[w] {
			continue
		}
		b := capacity.BriefBudgets[w]
		q := capacity.Resources{CPU: fmt.Sprintf("%dm", b.CPUMilli), Memory: fmt.Sprintf("%dMi", b.MemMiB)}
		budgets = append(budgets, capacity.Footprint{Workflow: w, Component: "budget", Replicas: 1, Requests: q, Limits: q})
	}
	s, a := meshModeCosts(t, p, 15, budgets...)
	rows = append(rows,
		fmt.Sprintf("| full platform | sidecar | %d |", s.fit),
		fmt.Sprintf("| full platform | ambient | %d |", a.fit))
	t.Log("\n" + strings.Join(rows, "\n"))
	_, file, _, _ := runtime.Caller(0)
	adr, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "docs", "adr", "0009-mesh-mode.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !strings.Contains(string(adr), r) {
			t.Errorf("ADR 0009 lacks the computed row %q", r)
		}
	}
}
