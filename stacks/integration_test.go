package stacks

// Whole-platform seams: what one stack assumes of another, checked against what the other
// stack actually synthesizes, in every environment. Each test names the class of mismatch it
// catches, so a rename or a new namespace in one stack fails here rather than in a cluster.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/config"
)

// exempted reports whether Gatekeeper's excludedNamespaces (a trailing * is a prefix) cover ns.
func exempted(excluded []string, ns string) bool {
	for _, e := range excluded {
		if p, ok := strings.CutSuffix(e, "*"); ok && strings.HasPrefix(ns, p) || e == ns {
			return true
		}
	}
	return false
}

// workloadNamespaces are the application namespaces configuration names: meshed namespaces,
// gitops teams' namespaces and data-services namespaces (instances and their clients).
func workloadNamespaces(cfg *config.Config) map[string]string {
	out := map[string]string{}
	for _, ns := range cfg.ServiceMesh.Namespaces {
		out[ns] = "serviceMesh.namespaces"
	}
	for _, t := range cfg.GitOps.Teams {
		for _, ns := range t.Namespaces {
			out[ns] = "gitops.teams[" + t.Name + "].namespaces"
		}
	}
	for _, ns := range cfg.DataServices.Namespaces {
		out[ns] = "dataServices.namespaces"
	}
	return out
}

// TestPlatformNamespacesExemptFromGatekeeper: every namespace a platform helm release of any
// stack installs into is exempt from the constraints the security stack installs (the platform's
// pods use upstream images and securityContexts), and no application namespace is. Catches a
// stack that adds a namespace without telling the security configuration, and an exemption
// that silently switches policy off for tenants.
func TestPlatformNamespacesExemptFromGatekeeper(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			cfg := loadEnv(t, env)
			synth := synthPlatform(t, env, "", nil)
			_, cons := synth["security"].release(t, "gatekeeper-constraints")
			var excluded []string
			for _, e := range at(t, cons, "excludedNamespaces").([]any) {
				excluded = append(excluded, e.(string))
			}
			workload := workloadNamespaces(cfg)

			platform := map[string][]string{} // namespace -> releases
			for id, d := range synth {
				for _, r := range d.resources("helm_release") {
					ns := r["namespace"].(string)
					if _, app := workload[ns]; app {
						continue // instances the platform runs for a team live in its namespace
					}
					platform[ns] = append(platform[ns], id+"/"+r["name"].(string))
				}
			}
			if len(platform) < 15 {
				t.Fatalf("found %d platform namespaces, the seven stacks use more: %v", len(platform), platform)
			}
			for ns, releases := range platform {
				sort.Strings(releases)
				if !exempted(excluded, ns) {
					t.Errorf("namespace %s (releases %v) is not in security.gatekeeper.exemptNamespaces %v", ns, releases, excluded)
				}
				// Teams may not deploy into it either (gitops AppProjects).
				if !slices.Contains(config.PlatformNamespaces, ns) && !strings.HasPrefix(ns, "kube-") {
					t.Errorf("namespace %s (releases %v) is missing from config.PlatformNamespaces", ns, releases)
				}
			}
			for ns, field := range workload {
				if exempted(excluded, ns) {
					t.Errorf("application namespace %s (%s) is exempt from Gatekeeper", ns, field)
				}
			}
		})
	}
}

func TestExempted(t *testing.T) {
	for _, tc := range []struct {
		ns   string
		want bool
	}{{"kube-system", true}, {"kube-foo", true}, {"tekton-ci", false}, {"monitoring", true}, {"monitoringx", false}} {
		if got := exempted([]string{"kube-*", "monitoring"}, tc.ns); got != tc.want {
			t.Errorf("exempted(%s) = %v", tc.ns, got)
		}
	}
}

// TestPlatformControllersHaveFalcoExceptions: every platform namespace with a helm release runs
// controllers that watch the API server (operators, webhooks, Emissary's CRD converter), which
// Falco's "Contact K8S API Server From Container" reports; the security configuration carries an
// exception for each. Catches a stack that adds a controller namespace Falco would flood
// Alertmanager about.
func TestPlatformControllersHaveFalcoExceptions(t *testing.T) {
	const rule = "Contact K8S API Server From Container"
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			cfg := loadEnv(t, env)
			synth := synthPlatform(t, env, "", nil)
			falco, _ := synth["security"].release(t, "falco")
			rules := fmt.Sprint(falco["values"])
			excepted := map[string]bool{}
			for _, e := range cfg.Security.Falco.Exceptions {
				if e.Rule == rule && e.ImagePrefix == "" {
					excepted[e.Namespace] = true
				}
			}
			workload := workloadNamespaces(cfg)
			for id, d := range synth {
				for _, r := range d.resources("helm_release") {
					ns := r["namespace"].(string)
					if _, app := workload[ns]; app || excepted[ns] {
						continue
					}
					excepted[ns] = true // report once
					t.Errorf("namespace %s (release %s/%s) has no Falco exception for %q", ns, id, r["name"], rule)
				}
			}
			// The exceptions reach Falco's rules file.
			for _, ns := range []string{"strimzi", "tekton-ci"} {
				if !strings.Contains(rules, ns) {
					t.Errorf("falco values do not carry the %s exception", ns)
				}
			}
		})
	}
}
