package main

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/ops/cost"
	"github.com/platformeng/eks-platform/ops/model"
	"github.com/platformeng/eks-platform/ops/order"
	"github.com/platformeng/eks-platform/ops/sizing"
	"github.com/platformeng/eks-platform/stacks"
)

// The live tests synthesize the real app for every environment (offline) and run every verb on
// it, so a stack that lands on main is covered without changes here. They assert properties,
// not text: the golden outputs use fixtures.

var (
	liveMu     sync.Mutex
	liveModels = map[string]*model.Model{}
)

func live(t *testing.T, env string) *model.Model {
	t.Helper()
	liveMu.Lock()
	defer liveMu.Unlock()
	if m, ok := liveModels[env]; ok {
		return m
	}
	m, err := model.Load(repoRoot(), env)
	if err != nil {
		t.Fatalf("model.Load(%s): %v", env, err)
	}
	liveModels[env] = m
	return m
}

func liveLoader(t *testing.T) loader {
	return func(_, env string) (*model.Model, error) { return live(t, env), nil }
}

func TestLiveEveryVerbEveryEnvironment(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			m := live(t, env)
			// The model holds the registry's stacks, in deployment order.
			var want []string
			for _, id := range stacks.DeploymentOrder {
				if _, ok := m.Stack(id); ok {
					want = append(want, id)
				}
			}
			if !slices.Equal(m.IDs(), want) || len(want) < 2 {
				t.Fatalf("model stacks %v, want the registry's order %v", m.IDs(), want)
			}
			for _, verb := range [][]string{
				{"order", "--env", env, "--json"},
				{"order", "--env", env, "--changed", "stacks/foundation.go", "--json"},
				{"capacity", "--env", env, "--services", "3", "--json"},
				{"cost", "--env", env, "--json"},
				{"runbook", "--env", env, "--json"},
			} {
				r := invoke(liveLoader(t), verb...)
				if r.code != 0 || !json.Valid([]byte(r.stdout)) {
					t.Fatalf("platform %v: exit %d, stderr %s", verb, r.code, r.stderr)
				}
			}
			checkLiveOrder(t, m)
			checkLiveCapacity(t, m)
			checkLiveCost(t, m)
		})
	}
}

// Every stack comes after all its dependencies; changing foundation re-plans every stack.
func checkLiveOrder(t *testing.T, m *model.Model) {
	g, err := graphOf(m)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := g.Order()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for _, s := range steps {
		pos[s.ID] = s.Position
	}
	for _, s := range m.Stacks {
		for _, d := range s.DependsOn {
			if pos[d] >= pos[s.ID] {
				t.Errorf("%s (position %d) is ordered before its dependency %s (%d)", s.ID, pos[s.ID], d, pos[d])
			}
		}
		if s.ID != "foundation" && !slices.Contains(s.DependsOn, "foundation") {
			t.Errorf("%s does not depend on foundation: %v", s.ID, s.DependsOn)
		}
	}
	replan, err := g.Replan([]string{"foundation"})
	if err != nil || len(replan) != len(m.Stacks) {
		t.Errorf("changing foundation re-plans %v (%v), want all %d stacks", replan, err, len(m.Stacks))
	}
	repo := order.Repo{Root: repoRoot(), Stacks: m.IDs()}
	for _, s := range m.Stacks {
		// Every stack's own source file maps back to it.
		c, err := repo.Resolve("stacks/" + s.ID + ".go")
		if err == nil && !slices.Equal(c.Stacks, []string{s.ID}) {
			t.Errorf("stacks/%s.go maps to %v", s.ID, c.Stacks)
		}
	}
}

// The platform fits its own minimum node count, and adding services never needs fewer nodes.
func checkLiveCapacity(t *testing.T, m *model.Model) {
	base, err := sizing.Plan(m, sizing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !base.Fits || base.NodesNeeded > m.Nodes.MinSize {
		t.Errorf("%s: platform does not fit nodes.minSize=%d: %v", m.Env, m.Nodes.MinSize, base.Problems)
	}
	more, err := sizing.Plan(m, sizing.Options{Services: base.MoreServices + 1})
	if err != nil {
		t.Fatal(err)
	}
	if more.Fits || more.NodesNeeded <= base.Nodes {
		t.Errorf("%s: %d services should not fit on %d nodes (fits=%v, needs %d)", m.Env, base.MoreServices+1, base.Nodes, more.Fits, more.NodesNeeded)
	}
	for _, w := range base.Workflows {
		if w.Pods == 0 {
			t.Errorf("workflow %s has footprints with no pods", w.Workflow)
		}
	}
}

// The estimate prices the control plane, NAT gateways and every workflow with footprints, and
// its total is the sum of its lines.
func checkLiveCost(t *testing.T, m *model.Model) {
	tbl, err := cost.Prices()
	if err != nil {
		t.Fatal(err)
	}
	e, err := cost.Compute(m, tbl)
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]bool{}
	var sum float64
	for _, i := range e.Items {
		items[i.Workflow+"/"+i.Item] = true
		sum += i.Monthly
	}
	sum += e.Services.Headroom
	if d := sum - e.Total.Monthly; d > 0.05 || d < -0.05 {
		t.Errorf("total %.2f is not the sum of the lines %.2f", e.Total.Monthly, sum)
	}
	for _, want := range []string{"foundation/EKS control plane", "foundation/NAT gateways (hours)", "foundation/KMS keys"} {
		if !items[want] {
			t.Errorf("%s: estimate has no %q line", m.Env, want)
		}
	}
	for _, f := range m.Footprints {
		if !items[f.Workflow+"/nodes (share of requests)"] {
			t.Errorf("%s: workflow %s has footprints but no node share", m.Env, f.Workflow)
		}
	}
	nat := 0
	for _, s := range m.Stacks {
		nat += s.Resources["aws_nat_gateway"]
	}
	if nat == 0 {
		t.Errorf("%s: no NAT gateway in the synthesized stacks", m.Env)
	}
}
