package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

// Platform is one environment's set of stacks, in deployment order.
type Platform struct {
	Config     *config.Config
	Foundation *Foundation
	Ingress    *Ingress
	// Observability is Workflow 3.
	Observability *Observability
	// Stacks in deployment order; stacks not built yet are absent.
	Stacks []*Base
	Ledger *capacity.Ledger
}

// Build creates the stacks of one environment under app. Dependencies are explicit
// (AddDependency) as well as implied by cross-stack references, so `cdktf deploy '*'` and the
// GitHub workflows deploy in the same order.
func Build(app constructs.Construct, cfg *config.Config) (*Platform, error) {
	p := &Platform{Config: cfg, Ledger: &capacity.Ledger{}}
	f, err := NewFoundation(app, cfg, p.Ledger)
	if err != nil {
		return nil, err
	}
	p.Foundation = f
	p.Ingress = NewIngress(app, cfg, p.Ledger, f)
	p.Observability = NewObservability(app, cfg, p.Ledger, f, p.Ingress)
	p.Stacks = []*Base{f.Base, p.Ingress.Base, p.Observability.Base}
	return p, nil
}

// Capacity checks the footprints of every stack against the minimum node count.
func (p *Platform) Capacity() (capacity.Report, error) {
	n := p.Config.Nodes
	s := p.Config.Services
	r, err := capacity.Check(p.Ledger,
		capacity.Nodes{InstanceTypes: n.InstanceTypes, Count: n.MinSize, MaxPods: n.MaxPods},
		capacity.Service{CPURequest: s.CPURequest, MemoryRequest: s.MemoryRequest, Replicas: s.Replicas})
	if err != nil {
		return r, fmt.Errorf("%s: %w", p.Config.File, err)
	}
	return r, nil
}
