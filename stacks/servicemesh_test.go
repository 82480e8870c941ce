package stacks

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"google.golang.org/protobuf/encoding/protojson"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
)

func mesh(t *testing.T, env string) tf { return synthPlatform(t, env, "", nil)["service-mesh"] }

const foundationOutputs = "data.terraform_remote_state.cross-stack-reference-input-foundation.outputs"

func TestServiceMeshWiring(t *testing.T) {
	d := mesh(t, "dev")
	k := at(t, d, "provider", "helm", 0, "kubernetes").(map[string]any)
	for field, v := range map[string]any{"host": k["host"], "ca": k["cluster_ca_certificate"], "cluster name": at(t, k, "exec", "args", 3)} {
		if !strings.Contains(v.(string), foundationOutputs) {
			t.Errorf("helm provider %s = %v, want a foundation remote-state output", field, v)
		}
	}

	// Security group rules on foundation's cluster security group, from itself.
	rules := d.resources("aws_vpc_security_group_ingress_rule")
	ports := map[float64]bool{}
	for name, r := range rules {
		for _, f := range []string{"security_group_id", "referenced_security_group_id"} {
			if s, _ := r[f].(string); !strings.Contains(s, foundationOutputs) || !strings.Contains(s, "cluster_security_group_id") {
				t.Errorf("rule %s %s = %v, want foundation's cluster security group", name, f, r[f])
			}
		}
		eq(t, name+" protocol", r["ip_protocol"], "tcp")
		if r["from_port"] != r["to_port"] {
			t.Errorf("rule %s opens a range %v-%v", name, r["from_port"], r["to_port"])
		}
		ports[r["from_port"].(float64)] = true
		eq(t, name+" component tag", at(t, r, "tags", "Component"), "istio")
	}
	if len(rules) != 2 || !ports[15017] || !ports[15012] {
		t.Errorf("security group rules open %v, want exactly 15017 (webhook) and 15012 (xDS)", ports)
	}

	// Explicit dependencies: foundation, the observability contract's stack, and gitops, which
	// creates the meshed team namespace ecotrack (stacks/namespaces.go).
	app := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *app.ServiceMesh.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	eq(t, "dependencies", strings.Join(deps, ","), "foundation,observability,gitops")
}

// TestServiceMeshUsesObservabilityContract builds the stack with a contract whose values differ
// from the defaults: every observability value must come from the contract.
func TestServiceMeshUsesObservabilityContract(t *testing.T) {
	cfg := loadEnv(t, "dev")
	app := cdktf.Testing_App(nil)
	ledger := &capacity.Ledger{}
	f, err := NewFoundation(app, cfg, ledger)
	if err != nil {
		t.Fatal(err)
	}
	in := NewIngress(app, cfg, ledger, f)
	obsStack := cdktf.NewTerraformStack(app, jsii.String("observability"))
	obs := DefaultObservabilityOutputs(obsStack)
	obs.OTLPGRPC = "collector.telemetry.svc.cluster.local:14317"
	obs.PrometheusNamespace, obs.PrometheusServiceAccount = "metrics", "prom-sa"
	obs.DashboardLabel = "dashboards"
	m := NewServiceMesh(app, cfg, ledger, f, in, obs)

	var deps []string
	for _, s := range *m.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	eq(t, "dependencies", strings.Join(deps, ","), "foundation,observability")

	var d tf
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(m.TerraformStack, jsii.Bool(false))), &d); err != nil {
		t.Fatal(err)
	}
	_, iv := d.release(t, "istiod")
	p := at(t, iv, "meshConfig", "extensionProviders", 0).(map[string]any)
	eq(t, "provider name", p["name"], TracingProvider)
	eq(t, "collector host", at(t, p, "opentelemetry", "service"), "collector.telemetry.svc.cluster.local")
	eq(t, "collector port", at(t, p, "opentelemetry", "port"), 14317)
	_, pv := d.release(t, "mesh-policies")
	eq(t, "prometheus identity", at(t, pv, "prometheus"), map[string]any{"namespace": "metrics", "serviceAccount": "prom-sa"})
	_, tv := d.release(t, "mesh-telemetry")
	eq(t, "dashboard label", at(t, tv, "dashboard", "label"), "dashboards")

	obs.OTLPGRPC = "no-port"
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "not host:port") {
			t.Errorf("a contract without host:port gave %v, want a panic naming it", r)
		}
	}()
	NewServiceMesh(cdktf.Testing_App(nil), cfg, &capacity.Ledger{}, f, in, obs)
}

func TestServiceMeshReleases(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := mesh(t, env)
			cfg := loadEnv(t, env)
			sm := cfg.ServiceMesh

			for name, chart := range map[string]Chart{"istio-base": IstioBaseChart, "istio-cni": IstioCNIChart, "istiod": IstiodChart} {
				r, _ := d.release(t, name)
				eq(t, name+" chart", r["chart"], chart.Name)
				eq(t, name+" version", r["version"], "1.30.3")
				eq(t, name+" repository", r["repository"], "https://istio-release.storage.googleapis.com/charts")
				eq(t, name+" namespace", r["namespace"], "istio-system")
			}

			cni, cv := d.release(t, "istio-cni")
			eq(t, "cni chained", cv["chained"], true)
			eq(t, "cni conf dir", cv["cniConfDir"], "/etc/cni/net.d")
			eq(t, "cni excluded", cv["excludeNamespaces"], []any{"kube-system", "istio-system"})
			eq(t, "cni image", at(t, cv, "global"), map[string]any{"hub": "docker.io/istio", "tag": "1.30.3"})
			eq(t, "cni requests", at(t, cv, "resources", "requests"), map[string]any{"cpu": "10m", "memory": "48Mi"})
			if !strings.Contains(strings.Join(toStrings(cni["depends_on"]), " "), "helm_release.istio-base") {
				t.Errorf("istio-cni depends_on = %v, want istio-base", cni["depends_on"])
			}

			istiod, iv := d.release(t, "istiod")
			eq(t, "replicas", iv["replicaCount"], sm.IstiodReplicas)
			eq(t, "autoscale", iv["autoscaleEnabled"], false)
			eq(t, "istiod requests", at(t, iv, "resources", "requests"), map[string]any{"cpu": "100m", "memory": "256Mi"})
			eq(t, "cni enabled", at(t, iv, "cni", "enabled"), true)
			eq(t, "hub", at(t, iv, "global", "hub"), "docker.io/istio")
			eq(t, "tag", at(t, iv, "global", "tag"), "1.30.3")
			eq(t, "sidecar resources", at(t, iv, "global", "proxy", "resources"), map[string]any{
				"requests": map[string]any{"cpu": sm.Proxy.CPURequest, "memory": sm.Proxy.MemoryRequest},
				"limits":   map[string]any{"cpu": sm.Proxy.CPULimit, "memory": sm.Proxy.MemoryLimit},
			})
			eq(t, "PDB only with several replicas", at(t, iv, "global", "defaultPodDisruptionBudget", "enabled"), sm.IstiodReplicas > 1)
			_, spread := get(iv, "topologySpreadConstraints")
			eq(t, "zone spread only with several replicas", spread, sm.IstiodReplicas > 1)
			if spread {
				eq(t, "spread key", at(t, iv, "topologySpreadConstraints", 0, "topologyKey"), "topology.kubernetes.io/zone")
			}
			eq(t, "trust domain", at(t, iv, "meshConfig", "trustDomain"), "cluster.local")
			eq(t, "hold app", at(t, iv, "meshConfig", "defaultConfig", "holdApplicationUntilProxyStarts"), true)
			eq(t, "collector", at(t, iv, "meshConfig", "extensionProviders", 0, "opentelemetry"),
				map[string]any{"service": "otel-gateway.monitoring.svc.cluster.local", "port": 4317})
			deps := strings.Join(toStrings(istiod["depends_on"]), " ")
			if !strings.Contains(deps, "helm_release.istio-base") || !strings.Contains(deps, "helm_release.istio-cni") {
				t.Errorf("istiod depends_on = %v, want base and cni", deps)
			}

			pol, pv := d.release(t, "mesh-policies")
			eq(t, "policies namespace", pol["namespace"], "istio-system")
			eq(t, "meshed namespaces", pv["namespaces"], []any{"ecotrack"})
			eq(t, "injection label", pv["injectionLabel"], "istio-injection")
			eq(t, "ingress identity", pv["ingress"], map[string]any{"namespace": "emissary", "serviceAccount": "emissary-ingress"})
			eq(t, "prometheus identity", pv["prometheus"], map[string]any{"namespace": "monitoring", "serviceAccount": "prometheus"})
			if !strings.Contains(strings.Join(toStrings(pol["depends_on"]), " "), "helm_release.istiod") {
				t.Errorf("mesh-policies depends_on = %v, want istiod (CRDs and validation)", pol["depends_on"])
			}

			_, tv := d.release(t, "mesh-telemetry")
			eq(t, "sampling", at(t, tv, "tracing", "samplingPercentage"), sm.TraceSampling)
			eq(t, "provider", at(t, tv, "tracing", "provider"), TracingProvider)
			eq(t, "access logs", at(t, tv, "accessLogs", "enabled"), true)
			eq(t, "PodMonitor namespaces", tv["meshNamespaces"], []any{"ecotrack", "emissary"})
			eq(t, "dashboard label", at(t, tv, "dashboard", "label"), "grafana_dashboard")
		})
	}
}

func TestServiceMeshAlerts(t *testing.T) {
	_, v := mesh(t, "dev").release(t, "service-mesh-rules")
	names := map[string]string{}
	for _, r := range at(t, v, "groups", 0, "rules").([]any) {
		rule := r.(map[string]any)
		names[rule["alert"].(string)] = at(t, rule, "annotations", "runbook_url").(string)
		eq(t, "workflow label", at(t, rule, "labels", "workflow"), "service-mesh")
	}
	for alert, anchor := range map[string]string{
		"IstiodUnavailable":             "istiod-unavailable",
		"IstioUpstream503s":             "503-upstream-connect-errors",
		"IstioPlaintextTraffic":         "mtls-handshake-failures",
		"IstioCertificateSigningErrors": "mtls-handshake-failures",
		"IstioCNINodeAgentUnavailable":  "cilium-interplay",
	} {
		if !strings.HasSuffix(names[alert], "/service-mesh.md#"+anchor) {
			t.Errorf("alert %s runbook = %q, want service-mesh.md#%s", alert, names[alert], anchor)
		}
	}
}

// TestEmissaryJoinsMesh: the ingress stack's Emissary gets a sidecar for outbound mTLS while
// inbound traffic from the NLB stays uncaptured.
func TestEmissaryJoinsMesh(t *testing.T) {
	_, v := synthPlatform(t, "dev", "", nil)["ingress"].release(t, "emissary-ingress")
	eq(t, "inject label", at(t, v, "podLabels"), map[string]any{"sidecar.istio.io/inject": "true"})
	eq(t, "inbound not captured", at(t, v, "podAnnotations"), map[string]any{"traffic.sidecar.istio.io/includeInboundPorts": ""})

	cfg := loadEnv(t, "dev")
	cfg.ServiceMesh.Mode = config.MeshAmbient
	if l, a := EmissaryMeshValues(cfg); len(l) != 0 || len(a) != 0 {
		t.Errorf("outside sidecar mode Emissary gets %v %v, want nothing", l, a)
	}
}

func TestServiceMeshCapacity(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			p := synthPlatformApp(t, env)
			r, err := p.Capacity()
			if err != nil {
				t.Fatal(err)
			}
			u := r.ByWorkflow["service-mesh"]
			cfg := p.Config
			// istiod + istio-cni per node + Emissary's sidecars.
			wantCPU := int64(100*cfg.ServiceMesh.IstiodReplicas + 10*cfg.Nodes.MinSize + 10*cfg.Ingress.Replicas)
			wantMem := int64(256*cfg.ServiceMesh.IstiodReplicas + 48*cfg.Nodes.MinSize + 64*cfg.Ingress.Replicas)
			if u.CPUReqMilli != wantCPU || u.MemReqMiB != wantMem {
				t.Errorf("service-mesh requests %dm/%dMi, want %dm/%dMi", u.CPUReqMilli, u.MemReqMiB, wantCPU, wantMem)
			}
			if u.CPUReqMilli > 300 || u.MemReqMiB > 800 {
				t.Errorf("service-mesh requests %dm/%dMi exceed the brief's 300m/800Mi", u.CPUReqMilli, u.MemReqMiB)
			}
			eq(t, "pods (sidecars are not pods)", u.Pods, cfg.ServiceMesh.IstiodReplicas+cfg.Nodes.MinSize)
			eq(t, "service overhead", r.Service.PodOverhead, capacity.Resources{CPU: "10m", Memory: "64Mi"})
			if !strings.Contains(r.String(), "plus 10m/64Mi mesh sidecar") {
				t.Errorf("report does not show the sidecar overhead:\n%s", r)
			}
		})
	}
}

// TestServiceMeshSidecarLowersServicesFit: the same platform fits fewer microservices once each
// of their pods carries a sidecar, and the figure follows the configured proxy requests.
func TestServiceMeshSidecarLowersServicesFit(t *testing.T) {
	p := synthPlatformApp(t, "dev")
	withMesh, err := p.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	svc := p.Config.Services
	without, err := capacity.Check(p.Ledger, capacity.Nodes{InstanceTypes: p.Config.Nodes.InstanceTypes, Count: p.Config.Nodes.MinSize, MaxPods: p.Config.Nodes.MaxPods},
		capacity.Service{CPURequest: svc.CPURequest, MemoryRequest: svc.MemoryRequest, Replicas: svc.Replicas})
	if err != nil {
		t.Fatal(err)
	}
	if withMesh.ServicesFit >= without.ServicesFit {
		t.Errorf("services fit with sidecars %d, without %d: the sidecar must cost room", withMesh.ServicesFit, without.ServicesFit)
	}
	// The mesh's own footprint is in both reports; only the per-pod cost differs.
	a, tot := without.Allocatable, without.Total
	pods := min((a.CPUReqMilli-tot.CPUReqMilli)/(100+10), (a.MemReqMiB-tot.MemReqMiB)/(256+64), int64(a.Pods-tot.Pods))
	if want := int(pods) / 3; withMesh.ServicesFit != want {
		t.Errorf("services fit = %d, want %d: min(free CPU / 110m, free memory / 320Mi, free pods) / 3", withMesh.ServicesFit, want)
	}
	t.Logf("dev: %d microservices fit with sidecars, %d without", withMesh.ServicesFit, without.ServicesFit)
}

func TestServiceMeshOutputs(t *testing.T) {
	d := mesh(t, "dev")
	outs := d["output"].(map[string]any)
	for name, want := range map[string]any{
		"istio_namespace":   "istio-system",
		"istio_version":     "1.30.3",
		"mesh_mode":         "sidecar",
		"meshed_namespaces": []any{"ecotrack"},
		"injection_label":   "istio-injection=enabled",
		"trust_domain":      "cluster.local",
		"tracing_endpoint":  "otel-gateway.monitoring.svc.cluster.local:4317",
	} {
		o, ok := outs[name].(map[string]any)
		if !ok {
			t.Errorf("no output %s", name)
			continue
		}
		eq(t, name, o["value"], want)
	}
	excluded := at(t, outs, "excluded_namespaces", "value").(map[string]any)
	if len(excluded) != len(config.MeshExcludedNamespaces) || excluded["kube-system"] == "" {
		t.Errorf("excluded_namespaces = %v", excluded)
	}
}

// TestIstiodMeshConfigIsValid decodes the meshConfig values given to istiod strictly into
// Istio's MeshConfig message: a misspelled or unknown field would be ignored by Helm and by
// istiod's lenient parsing, and fails here.
func TestIstiodMeshConfigIsValid(t *testing.T) {
	_, iv := mesh(t, "prod").release(t, "istiod")
	raw, err := json.Marshal(at(t, iv, "meshConfig"))
	if err != nil {
		t.Fatal(err)
	}
	var mc meshv1alpha1.MeshConfig
	if err := protojson.Unmarshal(raw, &mc); err != nil {
		t.Fatalf("meshConfig %s: %v", raw, err)
	}
	eq(t, "access log encoding", mc.GetAccessLogEncoding(), meshv1alpha1.MeshConfig_JSON)
	eq(t, "hold application", mc.GetDefaultConfig().GetHoldApplicationUntilProxyStarts().GetValue(), true)
	otel := mc.GetExtensionProviders()[0].GetOpentelemetry()
	eq(t, "otel service", otel.GetService(), "otel-gateway.monitoring.svc.cluster.local")
	eq(t, "otel port", otel.GetPort(), 4317)
	if err := protojson.Unmarshal([]byte(`{"acessLogEncoding":"JSON"}`), &meshv1alpha1.MeshConfig{}); err == nil {
		t.Error("protojson accepted a misspelled MeshConfig field; the check above proves nothing")
	}
}
