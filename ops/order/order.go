// Package order computes the deployment order of the platform's stacks from their declared
// dependencies, and which stacks a change must re-plan, in order.
package order

import (
	"fmt"
	"slices"
	"strings"
)

// Node is one stack and the stacks it depends on.
type Node struct {
	ID        string
	DependsOn []string
}

// Graph is the stack dependency graph, nodes in registry order.
type Graph struct {
	nodes []Node
	index map[string]int
}

// New checks that every dependency names a known stack.
func New(nodes []Node) (*Graph, error) {
	g := &Graph{nodes: nodes, index: map[string]int{}}
	for i, n := range nodes {
		if _, dup := g.index[n.ID]; dup {
			return nil, fmt.Errorf("order: stack %q appears twice", n.ID)
		}
		g.index[n.ID] = i
	}
	for _, n := range nodes {
		for _, d := range n.DependsOn {
			if _, ok := g.index[d]; !ok {
				return nil, fmt.Errorf("order: stack %q depends on unknown stack %q", n.ID, d)
			}
		}
	}
	return g, nil
}

// Has reports whether id is a stack of the graph.
func (g *Graph) Has(id string) bool { _, ok := g.index[id]; return ok }

// IDs are the stack ids in registry order.
func (g *Graph) IDs() []string {
	out := make([]string, len(g.nodes))
	for i, n := range g.nodes {
		out[i] = n.ID
	}
	return out
}

// Step is a stack in deployment order: its position, its wave (stacks of the same wave have no
// dependency between them and can be planned in parallel) and its dependencies.
type Step struct {
	Position  int      `json:"position"`
	Wave      int      `json:"wave"`
	ID        string   `json:"stack"`
	DependsOn []string `json:"dependsOn"`
}

// Order is a topological order of all stacks (Kahn's algorithm, ties broken by registry
// order, so the result is the registry order whenever that order is valid).
func (g *Graph) Order() ([]Step, error) { return g.orderOf(g.IDs()) }

// orderOf orders a subset of the stacks; dependencies outside the subset are already satisfied.
func (g *Graph) orderOf(subset []string) ([]Step, error) {
	in := map[string]bool{}
	for _, id := range subset {
		in[id] = true
	}
	wave := map[string]int{}
	done := map[string]bool{}
	var out []Step
	for len(out) < len(subset) {
		progressed := false
		for _, n := range g.nodes {
			if !in[n.ID] || done[n.ID] {
				continue
			}
			ready, w := true, 1
			for _, d := range n.DependsOn {
				if in[d] && !done[d] {
					ready = false
					break
				}
				if in[d] {
					w = max(w, wave[d]+1)
				}
			}
			if !ready {
				continue
			}
			done[n.ID], wave[n.ID] = true, w
			deps := append([]string{}, n.DependsOn...)
			out = append(out, Step{Position: len(out) + 1, Wave: w, ID: n.ID, DependsOn: deps})
			progressed = true
			break // restart from the top: earliest registry stack first
		}
		if !progressed {
			var left []string
			for _, id := range subset {
				if !done[id] {
					left = append(left, id)
				}
			}
			return nil, fmt.Errorf("order: dependency cycle among %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}

// Dependents are the stacks that depend on id, directly or through others, in registry order.
func (g *Graph) Dependents(id string) []string {
	seen := map[string]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, n := range g.nodes {
			if seen[n.ID] {
				continue
			}
			for _, d := range n.DependsOn {
				if seen[d] {
					seen[n.ID], changed = true, true
					break
				}
			}
		}
	}
	var out []string
	for _, n := range g.nodes {
		if seen[n.ID] && n.ID != id {
			out = append(out, n.ID)
		}
	}
	return out
}

// Replan is the set of stacks to re-plan after the given stacks changed: each changed stack and
// every stack that depends on it, in deployment order.
func (g *Graph) Replan(changed []string) ([]Step, error) {
	var set []string
	for _, id := range changed {
		if !g.Has(id) {
			return nil, fmt.Errorf("unknown stack %q; stacks: %s", id, strings.Join(g.IDs(), ", "))
		}
		for _, s := range append([]string{id}, g.Dependents(id)...) {
			if !slices.Contains(set, s) {
				set = append(set, s)
			}
		}
	}
	return g.orderOf(set)
}
