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

	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
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

// TestNamespacesHaveOneOwner renders the three local charts that create workload namespaces
// (gitops argocd-platform, mesh-policies, data-namespaces) with the values each stack
// synthesizes: every Namespace is rendered by exactly one release (Helm refuses to adopt an
// object another release owns), every meshed namespace carries the injection label whoever
// creates it, and every data-services namespace exists. The "overlap" case names one namespace
// in all three sections, as the default configuration does for gitops and the mesh (ecotrack).
func TestNamespacesHaveOneOwner(t *testing.T) {
	overlap := func(c *config.Config) {
		c.DataServices.Namespaces = append(c.DataServices.Namespaces, c.ServiceMesh.Namespaces[0])
	}
	for _, tc := range []struct {
		env, key string
		mutate   func(*config.Config)
	}{{"dev", "", nil}, {"staging", "", nil}, {"prod", "", nil}, {"dev", "overlap", overlap}} {
		t.Run(tc.env+"/"+tc.key, func(t *testing.T) {
			cfg := loadEnv(t, tc.env)
			if tc.mutate != nil {
				tc.mutate(cfg)
			}
			synth := synthPlatform(t, tc.env, tc.key, tc.mutate)
			owner := map[string][]string{}
			labels := map[string]map[string]string{}
			for _, rel := range []struct{ stack, release, chart string }{
				{"gitops", "argocd-platform", charts.ArgoCDPlatform},
				{"service-mesh", "mesh-policies", charts.MeshPolicies},
				{"data-services", "data-namespaces", charts.DataNamespaces},
			} {
				r, values := synth[rel.stack].release(t, rel.release)
				objs, err := render.Render(charts.Path(rel.chart), values, r["namespace"].(string))
				if err != nil {
					t.Fatalf("%s: %v", rel.release, err)
				}
				for _, o := range objs {
					if o.Kind != "Namespace" {
						continue
					}
					var ns struct {
						Metadata struct {
							Labels map[string]string `json:"labels"`
						} `json:"metadata"`
					}
					if err := yaml.Unmarshal(o.Raw, &ns); err != nil {
						t.Fatal(err)
					}
					owner[o.Name] = append(owner[o.Name], rel.release)
					labels[o.Name] = ns.Metadata.Labels
				}
			}
			for ns, rels := range owner {
				if len(rels) != 1 {
					t.Errorf("namespace %s is created by %v; one release must own it", ns, rels)
				}
			}
			for _, ns := range cfg.ServiceMesh.Namespaces {
				if labels[ns][InjectionLabel] != "enabled" {
					t.Errorf("meshed namespace %s (created by %v) lacks %s=enabled: %v", ns, owner[ns], InjectionLabel, labels[ns])
				}
			}
			for _, ns := range append(cfg.DataServices.Namespaces, teamNamespaces(cfg)...) {
				if len(owner[ns]) == 0 {
					t.Errorf("namespace %s is created by no release", ns)
				}
			}
		})
	}
}
