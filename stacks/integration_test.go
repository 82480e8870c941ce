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
	"github.com/platformeng/eks-platform/charts/policy"
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
			// A stack that installs into a namespace another stack owns depends on the owner.
			synthMu.Lock()
			p := synthCache[tc.env+"/"+tc.key].platform
			synthMu.Unlock()
			deps := func(b *Base) map[string]bool {
				out := map[string]bool{}
				for _, d := range *b.Dependencies() {
					out[*d.Node().Id()] = true
				}
				return out
			}
			stackOf := map[string]*Base{"argocd-platform": p.GitOps.Base, "mesh-policies": p.ServiceMesh.Base, "data-namespaces": p.DataServices.Base}
			for _, u := range []struct {
				user *Base
				nss  []string
			}{{p.ServiceMesh.Base, cfg.ServiceMesh.Namespaces}, {p.DataServices.Base, cfg.DataServices.Namespaces}} {
				for _, ns := range u.nss {
					for _, rel := range owner[ns] {
						if o := stackOf[rel]; o != u.user && !deps(u.user)[*o.Node().Id()] {
							t.Errorf("%s installs into %s, which %s creates, without depending on it", *u.user.Node().Id(), ns, *o.Node().Id())
						}
					}
				}
			}
		})
	}
}

// localChartOf names the local chart a helm_release installs: the release is named like its
// chart, except the shared charts installed several times (alert rules, UI routes, the
// Cloudflare token) and the data-services instances.
func localChartOf(release string) string {
	switch {
	case slices.Contains(charts.Names(), release):
		return release
	case strings.HasSuffix(release, "-rules"):
		return charts.PrometheusRules
	case strings.HasSuffix(release, "-route"):
		return charts.UIRoute
	case strings.HasPrefix(release, "cloudflare-token-"):
		return charts.CloudflareToken
	case strings.HasPrefix(release, "pg-"):
		return charts.PostgresCluster
	case strings.HasPrefix(release, "redis-") && release != "redis-operator":
		return charts.RedisFailover
	case strings.HasPrefix(release, "kafka-"):
		return charts.KafkaCluster
	}
	return ""
}

// localObject is one object a local chart renders from a stack's synthesized values, with the
// namespace it lands in.
type localObject struct {
	release, namespace string
	obj                render.Object
	doc                map[string]any
}

// renderLocalReleases renders every local-chart helm_release of every stack of env with the
// values the stack synthesized, into the release's namespace.
func renderLocalReleases(t *testing.T, env string, seen map[string]bool) []localObject {
	t.Helper()
	var out []localObject
	for id, d := range synthPlatform(t, env, "", nil) {
		for _, r := range d.resources("helm_release") {
			name := r["name"].(string)
			if !strings.HasPrefix(fmt.Sprint(r["chart"]), "assets/") {
				continue // a pinned third-party chart: not renderable offline
			}
			chart := localChartOf(name)
			if chart == "" {
				t.Fatalf("%s: release %s installs a local chart localChartOf does not know", id, name)
			}
			seen[chart] = true
			_, values := d.release(t, name)
			// set_sensitive values (the Cloudflare token) come from Terraform: stand-ins here.
			for _, kind := range []string{"set", "set_sensitive"} {
				sets, _ := r[kind].([]any)
				for _, e := range sets {
					path := strings.Split(fmt.Sprint(val(e, "name")), ".")
					m := values
					for _, k := range path[:len(path)-1] {
						if _, ok := m[k].(map[string]any); !ok {
							m[k] = map[string]any{}
						}
						m = m[k].(map[string]any)
					}
					m[path[len(path)-1]] = "stand-in-" + kind
				}
			}
			ns := r["namespace"].(string)
			objs, err := render.Render(charts.Path(chart), values, ns)
			if err != nil {
				t.Fatalf("%s/%s (%s): %v", id, name, chart, err)
			}
			for _, o := range objs {
				var doc map[string]any
				if err := yaml.Unmarshal(o.Raw, &doc); err != nil {
					t.Fatal(err)
				}
				objNS := o.Namespace
				if objNS == "" {
					objNS = ns
				}
				out = append(out, localObject{release: id + "/" + name, namespace: objNS, obj: o, doc: doc})
			}
		}
	}
	return out
}

// TestLocalReleasesPassGatekeeper: every object every stack's local charts render, with the
// synthesized values and in the namespace the release installs it into, is admitted by the
// constraints the security stack installs (at deny, as staging and prod enforce). Unlike the
// charts/render review, the namespaces and values are the stacks' real ones, so a chart moved
// into an unexempted namespace or a value that breaks a policy fails here.
func TestLocalReleasesPassGatekeeper(t *testing.T) {
	seen := map[string]bool{}
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			sec := synthPlatform(t, env, "", nil)["security"]
			_, tv := sec.release(t, "gatekeeper-templates")
			_, cv := sec.release(t, "gatekeeper-constraints")
			cv["enforcementAction"] = config.EnforceDeny
			tmpl, err := render.Render(charts.Path(charts.GatekeeperTemplates), tv, GatekeeperNamespace)
			if err != nil {
				t.Fatal(err)
			}
			cons, err := render.Render(charts.Path(charts.GatekeeperConstraints), cv, GatekeeperNamespace)
			if err != nil {
				t.Fatal(err)
			}
			set, err := policy.Load(tmpl, cons)
			if err != nil {
				t.Fatal(err)
			}
			objs := renderLocalReleases(t, env, seen)
			workloads := 0
			for _, o := range objs {
				vs, err := set.Review(o.doc, o.namespace)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vs {
					t.Errorf("%s: %s %s/%s refused: %s", o.release, o.obj.Kind, o.namespace, o.obj.Name, v)
				}
				switch o.obj.Kind {
				case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod":
					workloads++
				}
			}
			if len(objs) < 100 || workloads < 3 {
				t.Errorf("reviewed %d objects (%d workloads); the seven stacks render more", len(objs), workloads)
			}
			// The review is real: an unsafe pod is refused in an application namespace.
			bad := map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "x"},
				"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "image": "nginx"}}}}
			if vs, _ := set.Review(bad, "ecotrack"); len(vs) < 5 {
				t.Errorf("an unsafe pod in ecotrack got only %v", vs)
			}
		})
	}
	// Every local chart a stack installs was reviewed in some environment; mesh-traffic and
	// microservice are charts for teams' services (no stack installs them; their own tests
	// evaluate them against the same policies), alert-receiver needs a configured receiver.
	for _, c := range charts.Names() {
		if !seen[c] && c != charts.MeshTraffic && c != charts.Microservice && c != charts.AlertReceiver {
			t.Errorf("no release of any environment renders chart %s", c)
		}
	}
}

// TestExternalSecretsUseServedStores: every ExternalSecret any stack renders names a
// ClusterSecretStore the security stack's secret-stores release serves, and those are the
// names of the security contract.
func TestExternalSecretsUseServedStores(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			objs := renderLocalReleases(t, env, map[string]bool{})
			stores := map[string]bool{}
			for _, o := range objs {
				if o.obj.Kind == "ClusterSecretStore" {
					stores[o.obj.Name] = true
				}
			}
			sec := DefaultSecurityOutputs(nil)
			for _, s := range []string{sec.OpenBaoStore, sec.SecretsManagerStore} {
				if !stores[s] {
					t.Errorf("contract store %q is not served; secret-stores renders %v", s, stores)
				}
			}
			used := 0
			for _, o := range objs {
				if o.obj.Kind != "ExternalSecret" {
					continue
				}
				used++
				ref := fmt.Sprint(val(o.doc, "spec", "secretStoreRef", "name"))
				if kind := fmt.Sprint(val(o.doc, "spec", "secretStoreRef", "kind")); kind != "ClusterSecretStore" || !stores[ref] {
					t.Errorf("%s: ExternalSecret %s/%s uses %s %q; served ClusterSecretStores: %v", o.release, o.namespace, o.obj.Name, kind, ref, stores)
				}
			}
			if used == 0 {
				t.Error("no ExternalSecret rendered; gitops uses several")
			}
		})
	}
}

// TestContractsMatchProducers: each value of the observability contract (contracts.go) is what
// the observability stack's releases actually serve, read from their synthesized values, and
// the consumers' copies (mesh AuthorizationPolicies, data NetworkPolicies) match the producers.
// A renamed release, a fullnameOverride, a moved port or a relabelled dashboard sidecar breaks
// this test instead of the stacks that depend on the name.
func TestContractsMatchProducers(t *testing.T) {
	c := DefaultObservabilityOutputs(nil)
	// host splits [scheme:]//<service>.<namespace>.svc.cluster.local:<port>[/path].
	host := func(url string) (name, ns, port string) {
		_, rest, _ := strings.Cut(url, "//")
		hostport, _, _ := strings.Cut(rest, "/")
		h, p, _ := strings.Cut(hostport, ":")
		parts := strings.Split(h, ".")
		if len(parts) != 5 || parts[2] != "svc" {
			t.Fatalf("%s is not a <service>.<namespace>.svc.cluster.local address", url)
		}
		return parts[0], parts[1], p
	}
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			synth := synthPlatform(t, env, "", nil)
			obs := synth["observability"]

			// OTLP: the collector release's Service is its fullnameOverride, ports the chart's.
			r, v := obs.release(t, OTelGatewayService)
			for _, addr := range []string{"//" + c.OTLPGRPC, c.OTLPHTTP} {
				svc, ns, port := host(addr)
				eq(t, "otel namespace", r["namespace"], ns)
				eq(t, "otel Service (fullnameOverride)", val(v, "fullnameOverride"), svc)
				key := map[string]string{"4317": "otlp", "4318": "otlp-http"}[port]
				if key == "" {
					t.Errorf("OTLP port %s is neither the chart's otlp (4317) nor otlp-http (4318)", port)
				}
				if sp, ok := get(v, "ports", key, "servicePort"); ok && fmt.Sprint(sp) != port {
					t.Errorf("otel ports.%s.servicePort = %v, contract says %s", key, sp, port)
				}
				if en, ok := get(v, "ports", key, "enabled"); ok && en != true {
					t.Errorf("otel ports.%s disabled", key)
				}
			}

			// Loki: single-binary Service named like the release, gateway off, port 3100.
			svc, ns, port := host(c.LokiPushURL)
			r, v = obs.release(t, svc)
			eq(t, "loki namespace", r["namespace"], ns)
			eq(t, "loki chart", r["chart"], LokiChart.Name)
			for _, k := range []string{"fullnameOverride", "nameOverride"} {
				if o, ok := get(v, k); ok {
					t.Errorf("loki %s = %v renames the Service of the push URL", k, o)
				}
			}
			eq(t, "loki gateway (push goes to the single binary)", val(v, "gateway", "enabled"), false)
			if p, ok := get(v, "loki", "server", "http_listen_port"); ok && fmt.Sprint(p) != port {
				t.Errorf("loki listens on %v, push URL says %s", p, port)
			}

			// Alertmanager: the operator's governing Service alertmanager-operated:9093 in the
			// kube-prometheus-stack namespace, with Alertmanager enabled.
			svc, ns, port = host(c.AlertmanagerURL)
			r, v = obs.release(t, KubePrometheusRelease)
			eq(t, "alertmanager Service", svc+":"+port, "alertmanager-operated:9093")
			eq(t, "alertmanager namespace", r["namespace"], ns)
			if en, ok := get(v, "alertmanager", "enabled"); ok && en != true {
				t.Error("kube-prometheus-stack alertmanager disabled")
			}

			// Prometheus' identity.
			eq(t, "prometheus namespace", r["namespace"], c.PrometheusNamespace)
			eq(t, "prometheus service account", val(v, "prometheus", "serviceAccount", "name"), c.PrometheusServiceAccount)
			eq(t, "prometheus service account created", val(v, "prometheus", "serviceAccount", "create"), true)
			// Rules and monitors from every namespace and every release (other stacks' rules).
			spec := at(t, v, "prometheus", "prometheusSpec").(map[string]any)
			eq(t, "ruleSelectorNilUsesHelmValues", spec["ruleSelectorNilUsesHelmValues"], false)
			if sel, ok := spec["ruleNamespaceSelector"]; ok {
				t.Errorf("ruleNamespaceSelector %v narrows the namespaces other stacks' rules live in", sel)
			}

			// Dashboards: Grafana's sidecar watches the contract label in every namespace.
			_, g := obs.release(t, GrafanaRelease)
			eq(t, "grafana sidecar label", val(g, "sidecar", "dashboards", "label"), c.DashboardLabel)
			eq(t, "grafana sidecar label value", val(g, "sidecar", "dashboards", "labelValue"), "1")
			eq(t, "grafana sidecar namespaces", val(g, "sidecar", "dashboards", "searchNamespace"), "ALL")

			// Consumers use the producers' names.
			_, mp := synth["service-mesh"].release(t, "mesh-policies")
			eq(t, "mesh allows Prometheus", fmt.Sprint(val(mp, "prometheus", "namespace"), "/", val(mp, "prometheus", "serviceAccount")),
				fmt.Sprint(r["namespace"], "/", val(v, "prometheus", "serviceAccount", "name")))
			er, ev := synth["ingress"].release(t, EmissaryRelease)
			emissarySA := EmissaryRelease // the chart's fullname: the release name, which contains the chart name
			for _, k := range []string{"fullnameOverride", "nameOverride", "serviceAccount"} {
				if o, ok := get(ev, k); ok {
					t.Errorf("emissary values set %s = %v: the mesh's allow-ingress principal must follow", k, o)
				}
			}
			eq(t, "emissary chart name in release name", strings.Contains(EmissaryRelease, fmt.Sprint(er["chart"])), true)
			eq(t, "mesh allows Emissary", fmt.Sprint(val(mp, "ingress", "namespace"), "/", val(mp, "ingress", "serviceAccount")),
				fmt.Sprint(er["namespace"], "/", emissarySA))
			for _, d := range synth["data-services"].resources("helm_release") {
				if _, dv := synth["data-services"].release(t, d["name"].(string)); val(dv, "network", "monitoringNamespace") != nil {
					eq(t, d["name"].(string)+" NetworkPolicy admits Prometheus' namespace", val(dv, "network", "monitoringNamespace"), r["namespace"])
				}
			}
		})
	}
}

// TestDashboardsReachGrafana: every dashboard ConfigMap (a .json data key) any stack's local
// charts render carries the contract's label with value "1", which Grafana's sidecar watches
// in every namespace (checked against the grafana release in TestContractsMatchProducers).
// Every PrometheusRule is labelled like the others and sits in a namespace Prometheus reads
// (all of them: ruleNamespaceSelector unset).
func TestDashboardsReachGrafana(t *testing.T) {
	label := DefaultObservabilityOutputs(nil).DashboardLabel
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			dashboards, rules := map[string]bool{}, 0
			for _, o := range renderLocalReleases(t, env, map[string]bool{}) {
				switch o.obj.Kind {
				case "ConfigMap":
					data, _ := o.doc["data"].(map[string]any)
					for k := range data {
						if strings.HasSuffix(k, ".json") {
							dashboards[o.release] = true
							if got := fmt.Sprint(val(o.doc, "metadata", "labels", label)); got != "1" {
								t.Errorf("%s: dashboard ConfigMap %s/%s has %s=%q, Grafana's sidecar wants \"1\"", o.release, o.namespace, o.obj.Name, label, got)
							}
						}
					}
				case "PrometheusRule":
					rules++
				}
			}
			// Stacks 3, 6 and 7 ship dashboards through local charts.
			for _, want := range []string{"observability/platform-dashboards", "service-mesh/mesh-telemetry", "data-services/data-monitoring"} {
				if !dashboards[want] {
					t.Errorf("no dashboard from %s (have %v)", want, dashboards)
				}
			}
			if rules < len(DeploymentOrder)-2 {
				t.Errorf("found %d PrometheusRules; stacks 3-7 each install one", rules)
			}
		})
	}
}

// createActions are the IAM actions Terraform's AWS provider calls to create each resource type
// the stacks synthesize (the create call plus the calls the resource cannot exist without).
var createActions = map[string][]string{
	"aws_cloudwatch_log_group":                           {"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"},
	"aws_default_security_group":                         {"ec2:CreateTags", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"},
	"aws_ecr_lifecycle_policy":                           {"ecr:PutLifecyclePolicy"},
	"aws_ecr_repository":                                 {"ecr:CreateRepository", "ecr:TagResource"},
	"aws_ecr_repository_policy":                          {"ecr:SetRepositoryPolicy"},
	"aws_eip":                                            {"ec2:AllocateAddress"},
	"aws_eks_access_entry":                               {"eks:CreateAccessEntry"},
	"aws_eks_access_policy_association":                  {"eks:AssociateAccessPolicy"},
	"aws_eks_addon":                                      {"eks:CreateAddon"},
	"aws_eks_cluster":                                    {"eks:CreateCluster", "iam:PassRole"},
	"aws_eks_node_group":                                 {"eks:CreateNodegroup", "iam:PassRole", "ec2:RunInstances"},
	"aws_eks_pod_identity_association":                   {"eks:CreatePodIdentityAssociation", "iam:PassRole"},
	"aws_flow_log":                                       {"ec2:CreateFlowLogs", "iam:PassRole"},
	"aws_iam_openid_connect_provider":                    {"iam:CreateOpenIDConnectProvider"},
	"aws_iam_role":                                       {"iam:CreateRole", "iam:TagRole"},
	"aws_iam_role_policy":                                {"iam:PutRolePolicy"},
	"aws_iam_role_policy_attachment":                     {"iam:AttachRolePolicy"},
	"aws_internet_gateway":                               {"ec2:CreateInternetGateway", "ec2:AttachInternetGateway"},
	"aws_kms_alias":                                      {"kms:CreateAlias"},
	"aws_kms_key":                                        {"kms:CreateKey", "kms:EnableKeyRotation"},
	"aws_launch_template":                                {"ec2:CreateLaunchTemplate"},
	"aws_nat_gateway":                                    {"ec2:CreateNatGateway"},
	"aws_route":                                          {"ec2:CreateRoute"},
	"aws_route_table":                                    {"ec2:CreateRouteTable"},
	"aws_route_table_association":                        {"ec2:AssociateRouteTable"},
	"aws_s3_bucket":                                      {"s3:CreateBucket", "s3:PutBucketTagging"},
	"aws_s3_bucket_lifecycle_configuration":              {"s3:PutLifecycleConfiguration"},
	"aws_s3_bucket_ownership_controls":                   {"s3:PutBucketOwnershipControls"},
	"aws_s3_bucket_policy":                               {"s3:PutBucketPolicy"},
	"aws_s3_bucket_public_access_block":                  {"s3:PutBucketPublicAccessBlock"},
	"aws_s3_bucket_server_side_encryption_configuration": {"s3:PutEncryptionConfiguration"},
	"aws_s3_bucket_versioning":                           {"s3:PutBucketVersioning"},
	"aws_secretsmanager_secret":                          {"secretsmanager:CreateSecret", "secretsmanager:TagResource"},
	"aws_subnet":                                         {"ec2:CreateSubnet"},
	"aws_vpc":                                            {"ec2:CreateVpc", "ec2:ModifyVpcAttribute"},
	"aws_vpc_endpoint":                                   {"ec2:CreateVpcEndpoint"},
	"aws_vpc_security_group_ingress_rule":                {"ec2:AuthorizeSecurityGroupIngress"},
}

// notAWS are resource types no AWS IAM action creates: Cloudflare's API and the cluster's.
var notAWS = map[string]bool{"cloudflare_api_token": true, "helm_release": true}

// TestApplyRoleCreatesEveryResourceType walks every resource type the seven stacks synthesize in
// every environment and checks that the bootstrap stack's apply role allows the actions that
// create it. A stack that adds an AWS resource type fails here until the type is mapped and
// the apply role (stacks/bootstrap_iam.go) allows it. Resources and conditions are checked by
// TestBootstrapEscalation and the bootstrap tests; the roles the stacks create must carry the
// permissions boundary the apply role's iam:CreateRole condition requires.
func TestApplyRoleCreatesEveryResourceType(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			cfg := *loadEnv(t, env)
			apply := roleStatements(t, synthBootstrap(t, cfg, BootstrapOptions{Repo: bootstrapTestRepo}), "apply-role")
			allowed := func(action string) bool {
				for _, s := range apply {
					if s.Effect != "Allow" {
						continue
					}
					for _, a := range s.Action {
						if globMatch(strings.ToLower(a), strings.ToLower(action)) {
							return true
						}
					}
				}
				return false
			}
			types := map[string][]string{}
			for id, d := range synthPlatform(t, env, "", nil) {
				res, _ := d["resource"].(map[string]any)
				for typ := range res {
					types[typ] = append(types[typ], id)
				}
				for name, r := range d.resources("aws_iam_role") {
					if !strings.HasSuffix(fmt.Sprint(r["permissions_boundary"]), ":policy/"+cfg.Project+"-"+env+"-permissions-boundary") {
						t.Errorf("%s: role %s has permissions_boundary %v; the apply role may only create roles with the boundary", id, name, r["permissions_boundary"])
					}
				}
			}
			for typ, stacks := range types {
				if notAWS[typ] {
					continue
				}
				actions, ok := createActions[typ]
				if !ok {
					t.Errorf("resource type %s (stacks %v) is not in createActions: map it and allow it to the apply role", typ, stacks)
					continue
				}
				for _, a := range actions {
					if !allowed(a) {
						t.Errorf("apply role cannot %s, needed to create %s (stacks %v)", a, typ, stacks)
					}
				}
			}
			if len(types) < 30 {
				t.Errorf("found %d resource types; the seven stacks synthesize more", len(types))
			}
		})
	}
}
