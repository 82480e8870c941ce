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
	// ServiceMesh is Workflow 6.
	ServiceMesh *ServiceMesh
	GitOps      *GitOps
	// Security is Workflow 5.
	Security *Security

	DataServices *DataServices
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
	obs := p.Observability.Outputs()
	// Security (Workflow 5) deploys before GitOps (Workflow 4): Argo CD and Tekton read their
	// credentials through External Secrets, which Workflow 5 installs (docs/adr/0012).
	p.Security = NewSecurity(app, cfg, p.Ledger, f, p.Ingress, obs)
	p.GitOps = NewGitOps(app, cfg, p.Ledger, f, p.Ingress, p.Security.Outputs())
	p.ServiceMesh = NewServiceMesh(app, cfg, p.Ledger, f, p.Ingress, obs)
	p.DataServices = NewDataServices(app, cfg, p.Ledger, f, p.Ingress, p.Security.Outputs(), obs)
	p.dependOnNamespaceOwners()
	p.Stacks = []*Base{f.Base, p.Ingress.Base, p.Observability.Base, p.Security.Base, p.GitOps.Base, p.ServiceMesh.Base, p.DataServices.Base}
	return p, nil
}

// Capacity checks the footprints of every stack against the minimum node count.
func (p *Platform) Capacity() (capacity.Report, error) { return p.check(p.Ledger) }

// CapacityOf checks only the footprints of the given stacks (e.g. stacks 1-3), keeping the
// budgets, so that "how many microservices fit next to these stacks" can be answered.
func (p *Platform) CapacityOf(workflows ...string) (capacity.Report, error) {
	return p.check(p.Ledger.Only(workflows...))
}

func (p *Platform) check(l *capacity.Ledger) (capacity.Report, error) {
	n := p.Config.Nodes
	s := p.Config.Services
	// Meshed microservices carry a sidecar in every pod (Workflow 6).
	meshCPU, meshMem := p.Config.ServiceMesh.MeshSidecarOverhead()
	r, err := capacity.Check(l,
		capacity.Nodes{InstanceTypes: n.InstanceTypes, Count: n.MinSize, MaxPods: n.MaxPods},
		capacity.Service{CPURequest: s.CPURequest, MemoryRequest: s.MemoryRequest, Replicas: s.Replicas,
			PodOverhead: capacity.Resources{CPU: meshCPU, Memory: meshMem}})
	if err != nil {
		return r, fmt.Errorf("%s: %w", p.Config.File, err)
	}
	return r, nil
}
