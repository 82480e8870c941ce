package stacks

import (
	"slices"

	"github.com/platformeng/eks-platform/config"
)

// Workload namespaces can be named by three sections (gitops.teams, serviceMesh.namespaces,
// dataServices.namespaces), but Helm lets one release own a Namespace object: a second release
// that renders it fails ("exists and cannot be imported into the current release"). The owner
// is the first stack in DeploymentOrder that needs it: gitops creates team namespaces (and
// labels the meshed ones for injection), the mesh creates the other meshed ones, data services
// the rest.

// teamNamespaces are the namespaces the gitops stack creates (argocd-platform).
func teamNamespaces(cfg *config.Config) []string {
	var out []string
	for _, t := range cfg.GitOps.Teams {
		out = append(out, t.Namespaces...)
	}
	return out
}

// meshedNamespaces are the namespaces labelled for sidecar injection.
func meshedNamespaces(cfg *config.Config) []string {
	if cfg.ServiceMesh.Mode != config.MeshSidecar {
		return nil
	}
	return cfg.ServiceMesh.Namespaces
}

// without returns xs minus the members of the other lists, in order.
func without(xs []string, others ...[]string) []string {
	out := []string{}
	for _, x := range xs {
		if !slices.ContainsFunc(others, func(o []string) bool { return slices.Contains(o, x) }) {
			out = append(out, x)
		}
	}
	return out
}

// shared returns the members of xs that are in ys.
func shared(xs, ys []string) []string {
	out := []string{}
	for _, x := range xs {
		if slices.Contains(ys, x) {
			out = append(out, x)
		}
	}
	return out
}

// dependOnNamespaceOwners makes a stack that installs into a namespace another stack creates
// depend on that stack, so that deploying it alone (cdktf deploy <stack>) waits for the owner
// as the workflows' DeploymentOrder does: the mesh's AuthorizationPolicies go into gitops team
// namespaces, data instances into team or meshed namespaces.
func (p *Platform) dependOnNamespaceOwners() {
	cfg := p.Config
	teams, meshed := teamNamespaces(cfg), meshedNamespaces(cfg)
	if len(shared(meshed, teams)) > 0 {
		p.ServiceMesh.AddDependency(p.GitOps.TerraformStack)
	}
	if len(shared(cfg.DataServices.Namespaces, teams)) > 0 {
		p.DataServices.AddDependency(p.GitOps.TerraformStack)
	}
	if len(shared(without(cfg.DataServices.Namespaces, teams), meshed)) > 0 {
		p.DataServices.AddDependency(p.ServiceMesh.TerraformStack)
	}
}
