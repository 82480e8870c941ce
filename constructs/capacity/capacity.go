// Package capacity declares the resource footprint of every platform component and checks, at
// synth time, that the platform fits the node group and the brief's per-workflow budgets.
package capacity

import (
	"fmt"
	"strings"
)

// Resources are Kubernetes quantities for one pod (all containers together).
type Resources struct {
	CPU    string // e.g. "100m"
	Memory string // e.g. "128Mi"
}

// Values is the `resources` block a chart expects for one container.
func (r Resources) Values() map[string]any {
	return map[string]any{"cpu": r.CPU, "memory": r.Memory}
}

// Footprint is what one workload of a component asks of the cluster.
type Footprint struct {
	Workflow  string // stack id, e.g. "ingress"
	Component string // e.g. "emissary-ingress"
	Replicas  int    // pods; ignored for a DaemonSet
	DaemonSet bool   // one pod on every node
	Requests  Resources
	Limits    Resources

	// Sidecar marks containers injected into pods that another footprint counts: their
	// resources add up, their pods do not (e.g. the mesh's proxies in Emissary's pods).
	Sidecar bool
}

// ResourceValues is the chart `resources` value matching the footprint, so that the numbers
// given to a chart and the numbers checked here are the same by construction.
func (f Footprint) ResourceValues() map[string]any {
	return map[string]any{"requests": f.Requests.Values(), "limits": f.Limits.Values()}
}

// Ledger collects the footprints of one synthesized platform.
type Ledger struct {
	entries   []Footprint
	overrides map[string]Override
}

// Override replaces a workflow's brief budget in one environment. It comes from that
// environment's configuration (e.g. observability.budgetOverride) and the report shows it.
type Override struct {
	Budget Budget
	Reason string
}

// OverrideBudget replaces the brief's budget of workflow; any stack may call it with a value
// from its own typed configuration section.
func (l *Ledger) OverrideBudget(workflow string, b Budget, reason string) {
	if l.overrides == nil {
		l.overrides = map[string]Override{}
	}
	l.overrides[workflow] = Override{Budget: b, Reason: reason}
}

// BudgetOf is the budget that applies to workflow: the override if one is set, otherwise the
// brief's; ok is false when neither exists.
func (l *Ledger) BudgetOf(workflow string) (b Budget, overridden, ok bool) {
	if o, found := l.overrides[workflow]; found {
		return o.Budget, true, true
	}
	b, ok = BriefBudgets[workflow]
	return b, false, ok
}

// Only returns a ledger with the footprints of the given workflows and the same budget
// overrides, for the capacity of part of the platform.
func (l *Ledger) Only(workflows ...string) *Ledger {
	out := &Ledger{overrides: l.overrides}
	for _, f := range l.entries {
		for _, w := range workflows {
			if f.Workflow == w {
				out.entries = append(out.entries, f)
			}
		}
	}
	return out
}

// Add records footprints.
func (l *Ledger) Add(f ...Footprint) { l.entries = append(l.entries, f...) }

// Entries returns a copy of the recorded footprints in insertion order.
func (l *Ledger) Entries() []Footprint { return append([]Footprint(nil), l.entries...) }

// Budget is the brief's approximate allowance for one workflow's requests.
type Budget struct {
	CPUMilli int64
	MemMiB   int64
}

// BriefBudgets are the platform component budgets of the brief (SEED.md, "Platform Components
// Resource Requirements"), keyed by stack id. Foundation and data services have none there.
var BriefBudgets = map[string]Budget{
	"ingress":       {CPUMilli: 200, MemMiB: 500},
	"observability": {CPUMilli: 1000, MemMiB: 2048},
	"gitops":        {CPUMilli: 500, MemMiB: 1024},
	"security":      {CPUMilli: 200, MemMiB: 600},
	"service-mesh":  {CPUMilli: 300, MemMiB: 800},
}

// Usage sums requests and limits.
type Usage struct {
	CPUReqMilli, CPULimMilli int64
	MemReqMiB, MemLimMiB     int64
	Pods                     int
}

func (u *Usage) add(o Usage) {
	u.CPUReqMilli += o.CPUReqMilli
	u.CPULimMilli += o.CPULimMilli
	u.MemReqMiB += o.MemReqMiB
	u.MemLimMiB += o.MemLimMiB
	u.Pods += o.Pods
}

// usage of one footprint on a cluster of n nodes.
func (f Footprint) usage(nodes int) (Usage, error) {
	pods := f.Replicas
	if f.DaemonSet {
		pods = nodes
	}
	if f.Requests.CPU == "" || f.Requests.Memory == "" || f.Limits.CPU == "" || f.Limits.Memory == "" {
		return Usage{}, fmt.Errorf("capacity: %s/%s must declare requests and limits for cpu and memory", f.Workflow, f.Component)
	}
	var u Usage
	var err error
	parse := func(field, v string, cpu bool) int64 {
		if err != nil {
			return 0
		}
		var n int64
		if cpu {
			n, err = parseCPU(v)
		} else {
			n, err = parseMemMiB(v)
		}
		if err != nil {
			err = fmt.Errorf("capacity: %s/%s %s %q: %w", f.Workflow, f.Component, field, v, err)
		}
		return n
	}
	u.CPUReqMilli = parse("requests.cpu", f.Requests.CPU, true) * int64(pods)
	u.CPULimMilli = parse("limits.cpu", f.Limits.CPU, true) * int64(pods)
	u.MemReqMiB = parse("requests.memory", f.Requests.Memory, false) * int64(pods)
	u.MemLimMiB = parse("limits.memory", f.Limits.Memory, false) * int64(pods)
	u.Pods = pods
	if f.Sidecar {
		u.Pods = 0
	}
	return u, err
}

// Service is the brief's per-microservice allowance.
type Service struct {
	CPURequest, MemoryRequest string
	Replicas                  int
	// PodOverhead is what the platform adds to every pod of a service, e.g. the service mesh's
	// sidecar requests; empty quantities add nothing.
	PodOverhead Resources
}

// perPod is a service pod's requests including the overhead, in millicores and MiB.
func (s Service) perPod() (cpu, mem int64, err error) {
	add := func(v string, parse func(string) (int64, error), into *int64) {
		if err != nil || v == "" {
			return
		}
		var n int64
		if n, err = parse(v); err == nil {
			*into += n
		}
	}
	add(s.CPURequest, parseCPU, &cpu)
	add(s.MemoryRequest, parseMemMiB, &mem)
	add(s.PodOverhead.CPU, parseCPU, &cpu)
	add(s.PodOverhead.Memory, parseMemMiB, &mem)
	return cpu, mem, err
}

// Nodes is the node group the platform must fit on: its instance types, minimum size and the
// kubelet's pod limit (nodes.maxPods, which the node group's NodeConfig sets).
type Nodes struct {
	InstanceTypes []string
	Count         int
	MaxPods       int
}

// Report is the outcome of Check.
type Report struct {
	Nodes       Nodes
	Node        Allocatable // the smallest allocatable of the instance types
	ByWorkflow  map[string]Usage
	Order       []string
	Total       Usage
	Allocatable Usage // of Count nodes
	ServicesFit int   // microservices (all replicas) that fit in what is left
	Service     Service
	Problems    []string
	// Overrides are the budget overrides that applied, by workflow.
	Overrides map[string]Override
}

// Check sums the ledger on the minimum node count and compares it with the allocatable capacity
// of those nodes and with the brief's budgets. It returns the report and an error listing every
// problem when the platform does not fit.
func Check(l *Ledger, nodes Nodes, svc Service) (Report, error) {
	r := Report{Nodes: nodes, ByWorkflow: map[string]Usage{}, Overrides: map[string]Override{}, Service: svc}
	alloc, err := smallest(nodes.InstanceTypes, nodes.MaxPods)
	if err != nil {
		return r, err
	}
	r.Node = alloc
	r.Allocatable = Usage{
		CPUReqMilli: alloc.CPUMilli * int64(nodes.Count),
		MemReqMiB:   alloc.MemMiB * int64(nodes.Count),
		Pods:        alloc.Pods * nodes.Count,
	}
	for _, f := range l.entries {
		u, err := f.usage(nodes.Count)
		if err != nil {
			return r, err
		}
		if _, seen := r.ByWorkflow[f.Workflow]; !seen {
			r.Order = append(r.Order, f.Workflow)
		}
		w := r.ByWorkflow[f.Workflow]
		w.add(u)
		r.ByWorkflow[f.Workflow] = w
		r.Total.add(u)
	}
	for _, w := range r.Order {
		b, overridden, ok := l.BudgetOf(w)
		if !ok {
			continue
		}
		whose := "the brief's budget"
		if overridden {
			r.Overrides[w] = l.overrides[w]
			whose = "its budget override"
		}
		u := r.ByWorkflow[w]
		if u.CPUReqMilli > b.CPUMilli || u.MemReqMiB > b.MemMiB {
			r.Problems = append(r.Problems, fmt.Sprintf("workflow %s requests %dm CPU / %dMi memory; %s is %dm / %dMi",
				w, u.CPUReqMilli, u.MemReqMiB, whose, b.CPUMilli, b.MemMiB))
		}
	}
	if r.Total.CPUReqMilli > r.Allocatable.CPUReqMilli {
		r.Problems = append(r.Problems, fmt.Sprintf("platform requests %dm CPU; %d x %s allocate %dm",
			r.Total.CPUReqMilli, nodes.Count, alloc.InstanceType, r.Allocatable.CPUReqMilli))
	}
	if r.Total.MemReqMiB > r.Allocatable.MemReqMiB {
		r.Problems = append(r.Problems, fmt.Sprintf("platform requests %dMi memory; %d x %s allocate %dMi",
			r.Total.MemReqMiB, nodes.Count, alloc.InstanceType, r.Allocatable.MemReqMiB))
	}
	if r.Total.Pods > r.Allocatable.Pods {
		r.Problems = append(r.Problems, fmt.Sprintf("platform runs %d pods; %d x %s take at most %d",
			r.Total.Pods, nodes.Count, alloc.InstanceType, r.Allocatable.Pods))
	}
	r.ServicesFit = servicesFit(r, svc)
	if len(r.Problems) > 0 {
		return r, fmt.Errorf("capacity check failed (nodes.minSize=%d, %s):\n  %s", nodes.Count, alloc.InstanceType, strings.Join(r.Problems, "\n  "))
	}
	return r, nil
}

func servicesFit(r Report, svc Service) int {
	cpu, mem, err := svc.perPod()
	if err != nil || svc.CPURequest == "" || svc.MemoryRequest == "" || cpu == 0 || mem == 0 || svc.Replicas < 1 {
		return 0
	}
	freeCPU := r.Allocatable.CPUReqMilli - r.Total.CPUReqMilli
	freeMem := r.Allocatable.MemReqMiB - r.Total.MemReqMiB
	freePods := int64(r.Allocatable.Pods - r.Total.Pods)
	pods := min(freeCPU/cpu, freeMem/mem, freePods)
	if pods < 0 {
		return 0
	}
	return int(pods) / svc.Replicas
}

// String renders the report as a short table for the synth log, workflows in the order their
// stacks were built (deployment order); empty when the node type was unknown.
func (r Report) String() string {
	if r.Node.InstanceType == "" {
		return ""
	}
	s := fmt.Sprintf("Capacity at nodes.minSize=%d x %s (allocatable per node %dm CPU, %dMi, %d pods):\n",
		r.Nodes.Count, r.Node.InstanceType, r.Node.CPUMilli, r.Node.MemMiB, r.Node.Pods)
	s += fmt.Sprintf("  %-15s %9s %9s %9s %9s %5s  %s\n", "workflow", "cpu req", "mem req", "cpu lim", "mem lim", "pods", "budget")
	for _, w := range r.Order {
		u := r.ByWorkflow[w]
		budget := "-"
		if b, ok := BriefBudgets[w]; ok {
			budget = fmt.Sprintf("%dm / %dMi", b.CPUMilli, b.MemMiB)
		}
		if o, ok := r.Overrides[w]; ok {
			budget = fmt.Sprintf("override %dm / %dMi (brief %s): %s", o.Budget.CPUMilli, o.Budget.MemMiB, budget, o.Reason)
		}
		s += fmt.Sprintf("  %-15s %8dm %7dMi %8dm %7dMi %5d  %s\n", w, u.CPUReqMilli, u.MemReqMiB, u.CPULimMilli, u.MemLimMiB, u.Pods, budget)
	}
	s += fmt.Sprintf("  %-15s %8dm %7dMi %8dm %7dMi %5d\n", "total", r.Total.CPUReqMilli, r.Total.MemReqMiB, r.Total.CPULimMilli, r.Total.MemLimMiB, r.Total.Pods)
	s += fmt.Sprintf("  %-15s %8dm %7dMi %19s %5d\n", "allocatable", r.Allocatable.CPUReqMilli, r.Allocatable.MemReqMiB, "", r.Allocatable.Pods)
	s += fmt.Sprintf("  room left for %d microservices at the brief's defaults", r.ServicesFit)
	if o := r.Service.PodOverhead; o.CPU != "" || o.Memory != "" {
		s += fmt.Sprintf(" (each pod %s/%s plus %s/%s mesh sidecar)", r.Service.CPURequest, r.Service.MemoryRequest, o.CPU, o.Memory)
	}
	s += "\n"
	return s
}

// Pod is the footprint of replicas pods whose containers have the given requests and limits:
// the capacity model counts pods, and a pod asks for the sum of its containers. Quantities come
// from code, so a malformed one is a programming error and panics.
func Pod(component string, replicas int, containers ...Footprint) Footprint {
	var u Usage
	for _, c := range containers {
		c.Replicas, c.DaemonSet = 1, false
		cu, err := c.usage(1)
		if err != nil {
			panic(fmt.Errorf("capacity: pod %s: %w", component, err))
		}
		u.add(cu)
	}
	return Footprint{Component: component, Replicas: replicas,
		Requests: Resources{CPU: fmt.Sprintf("%dm", u.CPUReqMilli), Memory: fmt.Sprintf("%dMi", u.MemReqMiB)},
		Limits:   Resources{CPU: fmt.Sprintf("%dm", u.CPULimMilli), Memory: fmt.Sprintf("%dMi", u.MemLimMiB)}}
}

// MustCPU is a CPU quantity from code in millicores; a malformed one panics.
func MustCPU(s string) int64 {
	n, err := parseCPU(s)
	if err != nil {
		panic(fmt.Errorf("capacity: cpu %q: %w", s, err))
	}
	return n
}

// MustMemMiB is a memory quantity from code in MiB; a malformed one panics.
func MustMemMiB(s string) int64 {
	n, err := parseMemMiB(s)
	if err != nil {
		panic(fmt.Errorf("capacity: memory %q: %w", s, err))
	}
	return n
}
