// Package sizing answers capacity what-if questions from the capacity ledger: does the
// platform plus K microservices fit on N nodes of a type, how many nodes would it need, and how
// much of the brief's budget each workflow uses.
package sizing

import (
	"fmt"

	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/ops/model"
)

// MicroservicesWorkflow labels the what-if microservices in the report.
const MicroservicesWorkflow = "microservices"

// maxNodes bounds the search for the node count that fits.
const maxNodes = 200

// Options are the what-if inputs; zero values keep the environment's configuration.
type Options struct {
	Nodes        int    // node count (default nodes.minSize)
	InstanceType string // one instance type instead of nodes.instanceTypes
	Services     int    // microservices at the brief's defaults, each with its replicas
}

// Line is one workflow's use of the cluster.
type Line struct {
	Workflow   string `json:"workflow"`
	CPUReq     int64  `json:"cpuRequestMilli"`
	MemReq     int64  `json:"memoryRequestMiB"`
	CPULim     int64  `json:"cpuLimitMilli"`
	MemLim     int64  `json:"memoryLimitMiB"`
	Pods       int    `json:"pods"`
	BudgetCPU  int64  `json:"budgetCpuMilli,omitempty"`
	BudgetMem  int64  `json:"budgetMemoryMiB,omitempty"`
	CPUPercent int    `json:"budgetCpuPercent,omitempty"` // requests as % of the brief's budget
	MemPercent int    `json:"budgetMemoryPercent,omitempty"`
	OverBudget bool   `json:"overBudget,omitempty"`
	// BudgetOverridden: the environment overrides the brief's budget (see the report's problems
	// and the stack's configuration for the reason).
	BudgetOverridden bool `json:"budgetOverridden,omitempty"`
}

// Report is the answer.
type Report struct {
	Env           string               `json:"env"`
	InstanceTypes []string             `json:"instanceTypes"`
	Nodes         int                  `json:"nodes"`
	MinSize       int                  `json:"minSize"`
	MaxSize       int                  `json:"maxSize"`
	Node          capacity.Allocatable `json:"allocatablePerNode"`
	Services      int                  `json:"services"`
	ServiceEach   Service              `json:"serviceFootprint"`
	Workflows     []Line               `json:"workflows"`
	Total         Line                 `json:"total"`
	Allocatable   Line                 `json:"allocatable"`
	Fits          bool                 `json:"fits"`
	Problems      []string             `json:"problems"`
	NodesNeeded   int                  `json:"nodesNeeded"` // 0: more than maxNodes
	WithinMaxSize bool                 `json:"withinMaxSize"`
	MoreServices  int                  `json:"moreServicesFit"` // beyond Services, at Nodes
}

// Service is one microservice at the configured defaults (its own type, so the output does not
// change shape when capacity.Footprint gains fields).
type Service struct {
	Replicas      int    `json:"replicas"`
	CPURequest    string `json:"cpuRequest"`
	MemoryRequest string `json:"memoryRequest"`
	CPULimit      string `json:"cpuLimit"`
	MemoryLimit   string `json:"memoryLimit"`
	// PodOverhead* is what the platform adds to each pod (the mesh sidecar's requests).
	PodOverheadCPU    string `json:"podOverheadCpu,omitempty"`
	PodOverheadMemory string `json:"podOverheadMemory,omitempty"`
}

// Plan computes the report for m with the what-if options.
func Plan(m *model.Model, o Options) (Report, error) {
	if o.Nodes < 0 {
		return Report{}, fmt.Errorf("--nodes must be at least 1, got %d", o.Nodes)
	}
	if o.Services < 0 {
		return Report{}, fmt.Errorf("--services must be 0 or more, got %d", o.Services)
	}
	types := m.Nodes.InstanceTypes
	if o.InstanceType != "" {
		types = []string{o.InstanceType}
	}
	nodes := o.Nodes
	if nodes == 0 {
		nodes = m.Nodes.MinSize
	}
	svc := service(m)
	ledger := m.Ledger()
	if o.Services > 0 {
		ledger.Add(m.ServiceFootprints(MicroservicesWorkflow, o.Services)...)
	}
	r, err := check(ledger, types, nodes, m)
	if err != nil {
		return Report{}, err
	}
	rep := Report{
		Env: m.Env, InstanceTypes: types, Nodes: nodes, MinSize: m.Nodes.MinSize, MaxSize: m.Nodes.MaxSize,
		Node: r.Node, Services: o.Services, MoreServices: r.ServicesFit, Problems: []string{},
		ServiceEach: Service{Replicas: svc.Replicas, CPURequest: svc.Requests.CPU, MemoryRequest: svc.Requests.Memory,
			CPULimit: svc.Limits.CPU, MemoryLimit: svc.Limits.Memory,
			PodOverheadCPU: m.ServicePodOverhead.CPU, PodOverheadMemory: m.ServicePodOverhead.Memory},
	}
	for _, w := range r.Order {
		rep.Workflows = append(rep.Workflows, line(ledger, w, r.ByWorkflow[w]))
	}
	rep.Total = line(ledger, "total", r.Total)
	rep.Allocatable = Line{Workflow: "allocatable", CPUReq: r.Allocatable.CPUReqMilli, MemReq: r.Allocatable.MemReqMiB, Pods: r.Allocatable.Pods}
	rep.Fits = fits(r)
	rep.Problems = append(rep.Problems, r.Problems...)
	for n := 1; n <= maxNodes; n++ {
		rn, err := check(ledger, types, n, m)
		if err != nil {
			return Report{}, err
		}
		if fits(rn) {
			rep.NodesNeeded = n
			break
		}
	}
	rep.WithinMaxSize = rep.NodesNeeded > 0 && rep.NodesNeeded <= m.Nodes.MaxSize
	return rep, nil
}

func check(l *capacity.Ledger, types []string, n int, m *model.Model) (capacity.Report, error) {
	r, err := capacity.Check(l, capacity.Nodes{InstanceTypes: types, Count: n, MaxPods: m.Nodes.MaxPods}, m.Service())
	if err != nil && r.Node.InstanceType == "" || err != nil && len(r.Problems) == 0 {
		// Unknown instance type or an invalid footprint: not a capacity verdict.
		return r, err
	}
	return r, nil
}

// fits reports whether requests and pods fit the allocatable capacity (budgets aside).
func fits(r capacity.Report) bool {
	return r.Total.CPUReqMilli <= r.Allocatable.CPUReqMilli && r.Total.MemReqMiB <= r.Allocatable.MemReqMiB && r.Total.Pods <= r.Allocatable.Pods
}

// service is one microservice at the configured defaults (all replicas).
func service(m *model.Model) capacity.Footprint {
	s := m.Services
	return capacity.Footprint{Workflow: MicroservicesWorkflow, Component: "microservice", Replicas: s.Replicas,
		Requests: capacity.Resources{CPU: s.CPURequest, Memory: s.MemoryRequest},
		Limits:   capacity.Resources{CPU: s.CPULimit, Memory: s.MemoryLimit}}
}

func line(ledger *capacity.Ledger, w string, u capacity.Usage) Line {
	l := Line{Workflow: w, CPUReq: u.CPUReqMilli, MemReq: u.MemReqMiB, CPULim: u.CPULimMilli, MemLim: u.MemLimMiB, Pods: u.Pods}
	if b, overridden, ok := ledger.BudgetOf(w); ok {
		l.BudgetOverridden = overridden
		l.BudgetCPU, l.BudgetMem = b.CPUMilli, b.MemMiB
		l.CPUPercent = int(u.CPUReqMilli * 100 / b.CPUMilli)
		l.MemPercent = int(u.MemReqMiB * 100 / b.MemMiB)
		l.OverBudget = u.CPUReqMilli > b.CPUMilli || u.MemReqMiB > b.MemMiB
	}
	return l
}
