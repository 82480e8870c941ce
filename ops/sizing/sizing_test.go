package sizing

import (
	"testing"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/ops/model"
)

func testModel() *model.Model {
	return &model.Model{
		Env:      "dev",
		Nodes:    config.NodeGroup{InstanceTypes: []string{"t3.large"}, MinSize: 3, MaxSize: 4, MaxPods: 110},
		Services: config.ServiceDefaults{CPURequest: "100m", CPULimit: "300m", MemoryRequest: "256Mi", MemoryLimit: "512Mi", Replicas: 3},
		Stacks:   []model.Stack{{ID: "foundation"}, {ID: "ingress"}},
		Footprints: []capacity.Footprint{
			{Workflow: "foundation", Component: "agent", DaemonSet: true, Requests: capacity.Resources{CPU: "100m", Memory: "256Mi"}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}},
			{Workflow: "ingress", Component: "emissary", Replicas: 2, Requests: capacity.Resources{CPU: "150m", Memory: "300Mi"}, Limits: capacity.Resources{CPU: "1", Memory: "1Gi"}},
		},
	}
}

func TestPlan(t *testing.T) {
	m := testModel()
	base, err := Plan(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// t3.large at maxPods 110: 1930m CPU per node; the platform requests 600m.
	if !base.Fits || base.Nodes != 3 || base.NodesNeeded != 1 || base.Total.CPUReq != 600 {
		t.Errorf("base %+v", base)
	}
	ing := base.Workflows[1]
	if ing.Workflow != "ingress" || ing.BudgetCPU != 200 || !ing.OverBudget || ing.CPUPercent != 150 {
		t.Errorf("ingress line %+v: 300m against a 200m budget", ing)
	}
	// 5190m free CPU / 300m per service = 17 services; 18 need a fourth node.
	if base.MoreServices != 17 {
		t.Errorf("more services = %d, want 17", base.MoreServices)
	}
	more, err := Plan(m, Options{Services: 18})
	if err != nil {
		t.Fatal(err)
	}
	if more.Fits || more.NodesNeeded != 4 || !more.WithinMaxSize {
		t.Errorf("18 services: fits=%v needs %d within max %v", more.Fits, more.NodesNeeded, more.WithinMaxSize)
	}
	many, _ := Plan(m, Options{Services: 40})
	if many.WithinMaxSize || many.NodesNeeded <= m.Nodes.MaxSize {
		t.Errorf("40 services need %d nodes, within max %v", many.NodesNeeded, many.WithinMaxSize)
	}
	big, _ := Plan(m, Options{Nodes: 1, InstanceType: "t3.xlarge", Services: 5})
	if !big.Fits || big.InstanceTypes[0] != "t3.xlarge" || big.Nodes != 1 {
		t.Errorf("what-if instance type %+v", big)
	}
}

func TestPlanErrors(t *testing.T) {
	m := testModel()
	for name, o := range map[string]Options{"negative nodes": {Nodes: -1}, "negative services": {Services: -2}, "unknown type": {InstanceType: "z9.huge"}} {
		if _, err := Plan(m, o); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// A per-pod overhead (the mesh sidecar) costs resources but no pods, in the what-if services
// and in the services that still fit.
func TestPlanWithPodOverhead(t *testing.T) {
	m := testModel()
	m.ServicePodOverhead = capacity.Resources{CPU: "50m", Memory: "64Mi"}
	base, err := Plan(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 5190m free / (3 x 150m) = 11 services (17 without the sidecar).
	if base.MoreServices != 11 || base.ServiceEach.PodOverheadCPU != "50m" {
		t.Errorf("more services = %d (%+v), want 11", base.MoreServices, base.ServiceEach)
	}
	r, err := Plan(m, Options{Services: 2})
	if err != nil {
		t.Fatal(err)
	}
	svc := r.Workflows[len(r.Workflows)-1]
	if svc.Workflow != MicroservicesWorkflow || svc.CPUReq != 900 || svc.MemReq != 6*(256+64) || svc.Pods != 6 {
		t.Errorf("2 services with sidecars: %+v, want 900m, 1920Mi, 6 pods", svc)
	}
}
