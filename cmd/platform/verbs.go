package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/platformeng/eks-platform/ops/cost"
	"github.com/platformeng/eks-platform/ops/drift"
	"github.com/platformeng/eks-platform/ops/model"
	"github.com/platformeng/eks-platform/ops/order"
	"github.com/platformeng/eks-platform/ops/runbook"
	"github.com/platformeng/eks-platform/ops/sizing"
	"github.com/platformeng/eks-platform/stacks"
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func graphOf(m *model.Model) (*order.Graph, error) {
	nodes := make([]order.Node, len(m.Stacks))
	for i, s := range m.Stacks {
		nodes[i] = order.Node{ID: s.ID, DependsOn: s.DependsOn}
	}
	return order.New(nodes)
}

// ---- order

type orderOutput struct {
	Env     string         `json:"env"`
	Order   []order.Step   `json:"order"`
	Changes []order.Change `json:"changes,omitempty"`
	Replan  []order.Step   `json:"replan,omitempty"`
}

func (c *cli) order() error {
	var changed multi
	c.flags.Var(&changed, "changed", "a changed stack id or file (repeatable; positional arguments count too)")
	pos, err := c.parse()
	if err != nil {
		return err
	}
	changed = append(changed, pos...)
	m, err := c.load(c.root, c.env)
	if err != nil {
		return err
	}
	g, err := graphOf(m)
	if err != nil {
		return err
	}
	steps, err := g.Order()
	if err != nil {
		return err
	}
	out := orderOutput{Env: m.Env, Order: steps}
	if len(changed) > 0 {
		repo := order.Repo{Root: c.root, Stacks: m.IDs(), LocalCharts: map[string][]string{}}
		for _, s := range m.Stacks {
			for _, r := range s.Releases {
				if r.LocalChart != "" {
					repo.LocalCharts[r.LocalChart] = append(repo.LocalCharts[r.LocalChart], s.ID)
				}
			}
		}
		var ids []string
		for _, in := range changed {
			ch, err := repo.Resolve(in)
			if err != nil {
				return usageError{err.Error()}
			}
			out.Changes = append(out.Changes, ch)
			ids = append(ids, ch.Stacks...)
		}
		if out.Replan, err = g.Replan(ids); err != nil {
			return err
		}
		if out.Replan == nil {
			out.Replan = []order.Step{}
		}
	}
	if c.json {
		return writeJSON(c.out, out)
	}
	names := map[string]string{}
	for _, s := range m.Stacks {
		names[s.ID] = s.Name
	}
	if len(changed) == 0 {
		fmt.Fprintf(c.out, "Deployment order (%s): stacks of one wave do not depend on each other\n", m.Env)
		printSteps(c.out, steps, names)
		fmt.Fprintln(c.out, "Destroy in the reverse order.")
		return nil
	}
	tw := table(c.out)
	fmt.Fprintln(tw, "changed\tstacks\treason")
	for _, ch := range out.Changes {
		s := strings.Join(ch.Stacks, ", ")
		if s == "" {
			s = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.Input, s, ch.Reason)
	}
	tw.Flush()
	if len(out.Replan) == 0 {
		fmt.Fprintln(c.out, "\nNothing to re-plan.")
		return nil
	}
	fmt.Fprintf(c.out, "\nRe-plan in this order (%s): each changed stack and every stack that depends on it\n", m.Env)
	printSteps(c.out, out.Replan, names)
	return nil
}

func printSteps(w io.Writer, steps []order.Step, names map[string]string) {
	tw := table(w)
	fmt.Fprintln(tw, "#\twave\tstack\tdepends on\tworkflow")
	for _, s := range steps {
		deps := strings.Join(s.DependsOn, ", ")
		if deps == "" {
			deps = "-"
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", s.Position, s.Wave, s.ID, deps, names[s.ID])
	}
	tw.Flush()
}

// ---- capacity

func (c *cli) capacity() error {
	var o sizing.Options
	c.flags.IntVar(&o.Nodes, "nodes", 0, "node count (default nodes.minSize)")
	c.flags.StringVar(&o.InstanceType, "instance-type", "", "instance type (default nodes.instanceTypes)")
	c.flags.IntVar(&o.Services, "services", 0, "microservices to add at the brief's defaults")
	pos, err := c.parse()
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if o.Nodes < 0 || o.Services < 0 {
		return usagef("--nodes and --services must not be negative")
	}
	m, err := c.load(c.root, c.env)
	if err != nil {
		return err
	}
	r, err := sizing.Plan(m, o)
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(c.out, r)
	}
	w := c.out
	fmt.Fprintf(w, "Capacity (%s): %d x %s, allocatable per node %dm CPU, %dMi memory, %d pods\n",
		r.Env, r.Nodes, strings.Join(r.InstanceTypes, "|"), r.Node.CPUMilli, r.Node.MemMiB, r.Node.Pods)
	tw := table(w)
	fmt.Fprintln(tw, "workflow\tcpu req\tmem req\tcpu lim\tmem lim\tpods\tbrief budget\tbudget use")
	for _, l := range r.Workflows {
		budget, use := "-", "-"
		if l.BudgetCPU > 0 {
			budget = fmt.Sprintf("%dm / %dMi", l.BudgetCPU, l.BudgetMem)
			if l.BudgetOverridden {
				budget += " (override)"
			}
			use = fmt.Sprintf("%d%% cpu, %d%% mem", l.CPUPercent, l.MemPercent)
			if l.OverBudget {
				use += " OVER"
			}
		}
		fmt.Fprintf(tw, "%s\t%dm\t%dMi\t%dm\t%dMi\t%d\t%s\t%s\n", l.Workflow, l.CPUReq, l.MemReq, l.CPULim, l.MemLim, l.Pods, budget, use)
	}
	fmt.Fprintf(tw, "total\t%dm\t%dMi\t%dm\t%dMi\t%d\n", r.Total.CPUReq, r.Total.MemReq, r.Total.CPULim, r.Total.MemLim, r.Total.Pods)
	fmt.Fprintf(tw, "allocatable\t%dm\t%dMi\t\t\t%d\n", r.Allocatable.CPUReq, r.Allocatable.MemReq, r.Allocatable.Pods)
	tw.Flush()
	svc := fmt.Sprintf("%d replicas x %s/%s requests", r.ServiceEach.Replicas, r.ServiceEach.CPURequest, r.ServiceEach.MemoryRequest)
	if r.ServiceEach.PodOverheadCPU != "" {
		svc += fmt.Sprintf(" + %s/%s sidecar per pod", r.ServiceEach.PodOverheadCPU, r.ServiceEach.PodOverheadMemory)
	}
	if r.Services > 0 {
		fmt.Fprintf(w, "What if: platform + %d microservices (%s each)\n", r.Services, svc)
	}
	verdict := "fits"
	if !r.Fits {
		verdict = "does NOT fit"
	}
	fmt.Fprintf(w, "Verdict: %s on %d nodes; ", verdict, r.Nodes)
	switch {
	case r.NodesNeeded == 0:
		fmt.Fprintf(w, "no node count up to 200 fits\n")
	case r.WithinMaxSize:
		fmt.Fprintf(w, "needs %s (nodes.maxSize %d: the autoscaler can get there)\n", nodes(r.NodesNeeded), r.MaxSize)
	default:
		fmt.Fprintf(w, "needs %s, more than nodes.maxSize %d\n", nodes(r.NodesNeeded), r.MaxSize)
	}
	if r.Fits {
		fmt.Fprintf(w, "Room left on %d nodes for %d more microservices (%s)\n", r.Nodes, r.MoreServices, svc)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	return nil
}

func nodes(n int) string {
	if n == 1 {
		return "1 node"
	}
	return fmt.Sprintf("%d nodes", n)
}

// ---- cost

func (c *cli) cost() error {
	pos, err := c.parse()
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	m, err := c.load(c.root, c.env)
	if err != nil {
		return err
	}
	t, err := cost.Prices()
	if err != nil {
		return err
	}
	e, err := cost.Compute(m, t)
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(c.out, e)
	}
	w := c.out
	fmt.Fprintf(w, "%s\n", e.Label)
	fmt.Fprintf(w, "Environment %s, %s prices checked %s (ops/cost/prices.yaml), %d x %s %s nodes at nodes.minSize, %.0f h/month\n\n",
		e.Env, e.Region, e.PricesOf, e.Nodes, e.InstanceType, e.CapacityType, t.HoursPerMonth)
	tw := table(w)
	fmt.Fprintln(tw, "workflow\titem\tquantity\ton-demand $/mo\twith spot nodes $/mo")
	for _, i := range e.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%.2f\n", i.Workflow, i.Item, i.Quantity, i.Monthly, i.Spot)
	}
	fmt.Fprintf(tw, "-\tunrequested node capacity\t\t%.2f\t%.2f\n", e.Services.Headroom, e.Services.HeadroomSpot)
	tw.Flush()
	fmt.Fprintln(w)
	tw = table(w)
	fmt.Fprintln(tw, "workflow\ton-demand $/mo\twith spot nodes $/mo")
	for _, t := range e.ByWorkflow {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\n", t.Workflow, t.Monthly, t.Spot)
	}
	fmt.Fprintf(tw, "total\t%.2f\t%.2f\n", e.Total.Monthly, e.Total.Spot)
	tw.Flush()
	s := e.Services
	fmt.Fprintf(w, "\nMicroservices at the brief's defaults (%s): $%.2f/month each on-demand, $%.2f with spot nodes;\n", s.Footprint, s.PerService, s.PerSpot)
	fmt.Fprintf(w, "the %d that fit next to the platform use $%.2f ($%.2f spot) of the node bill.\n", s.Fit, s.FitMonthly, s.FitSpot)
	fmt.Fprintf(w, "Prices not read on an AWS pricing page (check before relying on them): %s\n", strings.Join(e.Unverified(), ", "))
	for _, n := range e.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// ---- explain and runbook

func (c *cli) explain() error {
	pos, err := c.parse()
	if err != nil {
		return err
	}
	text := strings.Join(pos, " ")
	if strings.TrimSpace(text) == "" {
		return usagef("give the error text, e.g. platform explain 'Error acquiring the state lock'")
	}
	idx, err := runbook.Load(c.root)
	if err != nil {
		return err
	}
	pats, err := runbook.Patterns()
	if err != nil {
		return err
	}
	matches, err := runbook.Explain(text, pats, idx)
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(c.out, matches)
	}
	for i, m := range matches {
		if i == 1 {
			fmt.Fprintln(c.out, "\nAlso matching:")
		}
		fmt.Fprintf(c.out, "%s (%s): %s\n  matched: %q\n  runbook: %s  (%s)\n", m.Pattern.ID, m.Pattern.Tool, m.Pattern.Summary, m.Matched, m.Link, m.Section.Heading)
	}
	return nil
}

func (c *cli) runbook() error {
	pos, err := c.parse()
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("give one alert name, got %d arguments", len(pos))
	}
	idx, err := runbook.Load(c.root)
	if err != nil {
		return err
	}
	m, err := c.load(c.root, c.env)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		a, err := runbook.Alert(pos[0], m, idx)
		if err != nil {
			return err
		}
		if c.json {
			return writeJSON(c.out, a)
		}
		fmt.Fprintf(c.out, "%s (stack %s, release %s)\n  runbook: %s  (%s)\n", a.Alert, a.Stack, a.Release, a.Link, a.Section.Heading)
		return nil
	}
	all, err := runbook.Alerts(m, idx)
	if err != nil {
		return err
	}
	if c.json {
		return writeJSON(c.out, all)
	}
	if len(all) == 0 {
		fmt.Fprintf(c.out, "The stacks of %s declare no alerts yet.\n", m.Env)
		return nil
	}
	tw := table(c.out)
	fmt.Fprintln(tw, "alert\tstack\trunbook")
	for _, a := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Alert, a.Stack, a.Link)
	}
	return tw.Flush()
}

// ---- drift

func (c *cli) drift() error {
	var plans multi
	var stack string
	var markdown bool
	var linkBase string
	c.flags.Var(&plans, "plan", "JSON plan from `terraform show -json <planfile>` (repeatable)")
	c.flags.StringVar(&stack, "stack", "", "stack id (default: the Workflow tag of the plan's resources)")
	c.flags.BoolVar(&markdown, "markdown", false, "print Markdown (the drift issue's text)")
	c.flags.StringVar(&linkBase, "link-base", "", "with --markdown: URL that runbook paths are appended to (e.g. https://github.com/<owner>/<repo>/blob/<sha>)")
	pos, err := c.parse()
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (pass plans with --plan)", pos[0])
	}
	if len(plans) == 0 {
		return usagef("--plan FILE is required (make it with: terraform show -json drift.tfplan > plan.json)")
	}
	if stack != "" && len(plans) > 1 {
		return usagef("--stack names the stack of one plan; give one --plan with it")
	}
	if stack != "" {
		if _, ok := stacks.WorkflowByID(stack); !ok {
			return usagef("unknown stack %q; stacks: %s", stack, strings.Join(stackIDs(), ", "))
		}
	}
	idx, err := runbook.Load(c.root)
	if err != nil {
		return err
	}
	var out []drift.Summary
	for _, f := range plans {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		p, err := drift.Parse(f, data)
		if err != nil {
			return err
		}
		id := stack
		if id == "" {
			if id = drift.StackOf(p); id == "" {
				return usagef("%s: cannot tell the stack from the plan's Workflow tags; pass --stack", f)
			}
		}
		s := drift.Summarize(id, p)
		s.Env = c.env
		s.Runbooks = runbooksFor(idx, id)
		out = append(out, s)
	}
	switch {
	case c.json:
		return writeJSON(c.out, out)
	case markdown:
		for _, s := range out {
			writeDriftMarkdown(c.out, s, linkBase)
		}
	default:
		for _, s := range out {
			writeDriftText(c.out, s)
		}
	}
	return nil
}

func stackIDs() []string {
	var ids []string
	for _, w := range stacks.Workflows {
		ids = append(ids, w.ID)
	}
	return ids
}

// runbooksFor are the drift section and the stack's own runbook, when it exists.
func runbooksFor(idx *runbook.Index, stack string) []string {
	var out []string
	if s, err := idx.Lookup("operations#configuration-drift"); err == nil {
		out = append(out, s.Path())
	}
	if idx.HasFile(stack) {
		out = append(out, fmt.Sprintf("%s/%s.md", runbook.Dir, stack))
	}
	return out
}
