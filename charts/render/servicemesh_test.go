package render_test

// Render tests of the service-mesh charts (mesh-policies, mesh-telemetry, mesh-traffic). Istio
// objects decode into Istio's own Go types (istio.io/client-go wrappers around istio.io/api
// messages). Their generated UnmarshalJSON allows unknown fields, so istioObject decodes the
// envelope strictly and the spec with protojson, which rejects unknown or misspelled fields.
// PodMonitor mirrors prometheus-operator pkg/apis/monitoring/v1/podmonitor_types.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	networkingapi "istio.io/api/networking/v1alpha3"
	securityapi "istio.io/api/security/v1beta1"
	telemetryapi "istio.io/api/telemetry/v1alpha1"
	networkingv1 "istio.io/client-go/pkg/apis/networking/v1"
	securityv1 "istio.io/client-go/pkg/apis/security/v1"
	telemetryv1 "istio.io/client-go/pkg/apis/telemetry/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// decodeIstio decodes an Istio custom resource strictly: apiVersion, kind and metadata into
// the Kubernetes types, spec into the Istio message with protojson (unknown fields fail).
func decodeIstio(raw []byte, tm *metav1.TypeMeta, om *metav1.ObjectMeta, spec proto.Message) error {
	var env struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        json.RawMessage `json:"metadata"`
		Spec            json.RawMessage `json:"spec"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return err
	}
	*tm = env.TypeMeta
	mdec := json.NewDecoder(bytes.NewReader(env.Metadata))
	mdec.DisallowUnknownFields()
	if err := mdec.Decode(om); err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	if len(env.Spec) == 0 {
		return fmt.Errorf("%s %s has no spec", env.Kind, om.Name)
	}
	if err := protojson.Unmarshal(env.Spec, spec); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	return nil
}

type peerAuthentication struct{ securityv1.PeerAuthentication }

func (p *peerAuthentication) UnmarshalJSON(b []byte) error {
	return decodeIstio(b, &p.TypeMeta, &p.ObjectMeta, &p.Spec)
}
func (p *peerAuthentication) objectLabels() map[string]string { return p.Labels }

type authorizationPolicy struct{ securityv1.AuthorizationPolicy }

func (a *authorizationPolicy) UnmarshalJSON(b []byte) error {
	return decodeIstio(b, &a.TypeMeta, &a.ObjectMeta, &a.Spec)
}
func (a *authorizationPolicy) objectLabels() map[string]string { return a.Labels }

type virtualService struct{ networkingv1.VirtualService }

func (v *virtualService) UnmarshalJSON(b []byte) error {
	return decodeIstio(b, &v.TypeMeta, &v.ObjectMeta, &v.Spec)
}
func (v *virtualService) objectLabels() map[string]string { return v.Labels }

type destinationRule struct{ networkingv1.DestinationRule }

func (d *destinationRule) UnmarshalJSON(b []byte) error {
	return decodeIstio(b, &d.TypeMeta, &d.ObjectMeta, &d.Spec)
}
func (d *destinationRule) objectLabels() map[string]string { return d.Labels }

type telemetry struct{ telemetryv1.Telemetry }

func (x *telemetry) UnmarshalJSON(b []byte) error {
	return decodeIstio(b, &x.TypeMeta, &x.ObjectMeta, &x.Spec)
}
func (x *telemetry) objectLabels() map[string]string { return x.Labels }

type podMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		JobLabel          string               `json:"jobLabel,omitempty"`
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector struct {
			Any        bool     `json:"any,omitempty"`
			MatchNames []string `json:"matchNames,omitempty"`
		} `json:"namespaceSelector"`
		PodMetricsEndpoints []podMetricsEndpoint `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

type podMetricsEndpoint struct {
	Port        string       `json:"port,omitempty"`
	Path        string       `json:"path,omitempty"`
	Interval    string       `json:"interval,omitempty"`
	Relabelings []relabeling `json:"relabelings,omitempty"`
}

// relabeling mirrors monitoring/v1 RelabelConfig (the fields the chart sets).
type relabeling struct {
	Action       string   `json:"action,omitempty"`
	SourceLabels []string `json:"sourceLabels,omitempty"`
	Regex        string   `json:"regex,omitempty"`
	Replacement  *string  `json:"replacement,omitempty"`
	TargetLabel  string   `json:"targetLabel,omitempty"`
}

func (p *podMonitor) objectLabels() map[string]string { return p.Labels }

func (p *podMonitor) validate() error {
	if len(p.Spec.PodMetricsEndpoints) == 0 {
		return fmt.Errorf("PodMonitor %s: no endpoints", p.Name)
	}
	return nil
}

// decodeKind decodes every rendered object of a kind into a fresh T (all namespaces, unlike
// decoded.other, which keys by kind and name only).
func decodeKind[T any](t *testing.T, d *decoded, kind string) map[string]T {
	t.Helper()
	out := map[string]T{}
	for _, o := range d.objs {
		if o.Kind != kind {
			continue
		}
		var v T
		if err := render.DecodeStrict(o.Raw, &v); err != nil {
			t.Fatalf("%s %s: %v", kind, o.Name, err)
		}
		out[o.Namespace+"/"+o.Name] = v
	}
	return out
}

func meshPoliciesValues() map[string]any {
	return map[string]any{
		"namespaces": []any{"ecotrack", "payments"},
		"ingress":    map[string]any{"namespace": "emissary", "serviceAccount": "emissary-ingress"},
		"prometheus": map[string]any{"namespace": "monitoring", "serviceAccount": "prometheus"},
	}
}

func meshTrafficValues() map[string]any {
	return map[string]any{
		"service": "orders", "port": 8080,
		"canary":    map[string]any{"version": "v2", "weight": 10},
		"allowFrom": []any{map[string]any{"namespace": "payments", "serviceAccount": "checkout"}},
	}
}

func init() {
	registerMirror("security.istio.io/v1 PeerAuthentication", func() mirror { return &peerAuthentication{} })
	registerMirror("security.istio.io/v1 AuthorizationPolicy", func() mirror { return &authorizationPolicy{} })
	registerMirror("networking.istio.io/v1 VirtualService", func() mirror { return &virtualService{} })
	registerMirror("networking.istio.io/v1 DestinationRule", func() mirror { return &destinationRule{} })
	registerMirror("telemetry.istio.io/v1 Telemetry", func() mirror { return &telemetry{} })
	registerMirror("monitoring.coreos.com/v1 PodMonitor", func() mirror { return &podMonitor{} })

	registerCases(
		renderCase{
			name: "mesh-policies", chart: charts.MeshPolicies, namespace: "istio-system",
			values: meshPoliciesValues(),
			kinds:  map[string]int{"PeerAuthentication": 1, "Namespace": 2, "AuthorizationPolicy": 8},
			check:  checkMeshPolicies,
		},
		renderCase{
			name: "mesh-telemetry", chart: charts.MeshTelemetry, namespace: "istio-system",
			values: map[string]any{
				"tracing":        map[string]any{"provider": "otel-tracing", "samplingPercentage": 10.0},
				"meshNamespaces": []any{"ecotrack", "emissary"},
			},
			kinds: map[string]int{"Telemetry": 1, "ServiceMonitor": 1, "PodMonitor": 1, "ConfigMap": 1},
			check: checkMeshTelemetry,
		},
		renderCase{
			name: "mesh-telemetry without access logs, all namespaces", chart: charts.MeshTelemetry, namespace: "istio-system",
			values: map[string]any{
				"tracing":    map[string]any{"provider": "otel", "samplingPercentage": 0},
				"accessLogs": map[string]any{"enabled": false},
			},
			kinds: map[string]int{"Telemetry": 1, "ServiceMonitor": 1, "PodMonitor": 1, "ConfigMap": 1},
			check: func(t *testing.T, d *decoded) {
				tel := get[*telemetry](t, d, "Telemetry", "mesh-default")
				assertEq(t, "access logging", len(tel.Spec.GetAccessLogging()), 0)
				assertEq(t, "sampling", tel.Spec.GetTracing()[0].GetRandomSamplingPercentage().GetValue(), 0.0)
				pm := get[*podMonitor](t, d, "PodMonitor", "envoy-stats")
				assertEq(t, "any namespace", pm.Spec.NamespaceSelector.Any, true)
				assertEq(t, "no names", pm.Spec.NamespaceSelector.MatchNames, []string(nil))
			},
		},
		renderCase{
			name: "mesh-traffic canary", chart: charts.MeshTraffic, namespace: "ecotrack",
			values: meshTrafficValues(),
			kinds:  map[string]int{"VirtualService": 1, "DestinationRule": 1, "AuthorizationPolicy": 1},
			check:  checkMeshTraffic,
		},
		renderCase{
			name: "mesh-traffic defaults: all traffic to stable, no extra callers", chart: charts.MeshTraffic, namespace: "shop",
			values: map[string]any{"service": "cart"},
			kinds:  map[string]int{"VirtualService": 1, "DestinationRule": 1},
			check: func(t *testing.T, d *decoded) {
				vs := get[*virtualService](t, d, "VirtualService", "cart")
				r := vs.Spec.GetHttp()[0].GetRoute()
				assertEq(t, "stable weight", r[0].GetWeight(), int32(100))
				assertEq(t, "canary weight", r[1].GetWeight(), int32(0))
				assertEq(t, "host", r[0].GetDestination().GetHost(), "cart.shop.svc.cluster.local")
			},
		},
	)
}

func checkMeshPolicies(t *testing.T, d *decoded) {
	pa := get[*peerAuthentication](t, d, "PeerAuthentication", "default")
	assertEq(t, "PeerAuthentication namespace", pa.Namespace, "istio-system")
	assertEq(t, "mtls mode", pa.Spec.GetMtls().GetMode(), securityapi.PeerAuthentication_MutualTLS_STRICT)
	if pa.Spec.GetSelector() != nil {
		t.Error("the mesh-wide PeerAuthentication must not select workloads")
	}

	nss := decodeKind[corev1.Namespace](t, d, "Namespace")
	for _, name := range []string{"ecotrack", "payments"} {
		ns, ok := nss["/"+name]
		if !ok {
			t.Fatalf("no Namespace %s: %v", name, nss)
		}
		assertEq(t, name+" injection label", ns.Labels["istio-injection"], "enabled")
		assertEq(t, name+" kept on uninstall", ns.Annotations["helm.sh/resource-policy"], "keep")
	}

	aps := map[string]*authorizationPolicy{}
	for _, o := range render.Find(d.objs, "AuthorizationPolicy", "") {
		ap := &authorizationPolicy{}
		if err := render.DecodeStrict(o.Raw, ap); err != nil {
			t.Fatal(err)
		}
		aps[ap.Namespace+"/"+ap.Name] = ap
	}
	for _, ns := range []string{"ecotrack", "payments"} {
		deny := aps[ns+"/deny-by-default"]
		if deny == nil {
			t.Fatalf("no deny-by-default in %s: %v", ns, aps)
		}
		// ALLOW without rules: matches nothing, so anything not allowed elsewhere is denied.
		assertEq(t, ns+" deny action", deny.Spec.GetAction(), securityapi.AuthorizationPolicy_ALLOW)
		assertEq(t, ns+" deny rules", len(deny.Spec.GetRules()), 0)
		if deny.Spec.GetSelector() != nil {
			t.Errorf("%s deny-by-default selects workloads; it must cover the namespace", ns)
		}

		same := aps[ns+"/allow-same-namespace"].Spec.GetRules()
		assertEq(t, ns+" same-namespace source", same[0].GetFrom()[0].GetSource().GetNamespaces(), []string{ns})

		ingress := aps[ns+"/allow-ingress"].Spec.GetRules()
		assertEq(t, ns+" ingress principal", ingress[0].GetFrom()[0].GetSource().GetPrincipals(), []string{"cluster.local/ns/emissary/sa/emissary-ingress"})
		assertEq(t, ns+" ingress any operation", len(ingress[0].GetTo()), 0)

		prom := aps[ns+"/allow-prometheus"].Spec.GetRules()
		assertEq(t, ns+" prometheus principal", prom[0].GetFrom()[0].GetSource().GetPrincipals(), []string{"cluster.local/ns/monitoring/sa/prometheus"})
		assertEq(t, ns+" prometheus methods", prom[0].GetTo()[0].GetOperation().GetMethods(), []string{"GET"})
	}
}

func checkMeshTelemetry(t *testing.T, d *decoded) {
	tel := get[*telemetry](t, d, "Telemetry", "mesh-default")
	assertEq(t, "Telemetry namespace", tel.Namespace, "istio-system")
	if tel.Spec.GetSelector() != nil || tel.Spec.GetTargetRef() != nil {
		t.Error("the mesh-wide Telemetry must not select workloads")
	}
	tr := tel.Spec.GetTracing()
	if len(tr) != 1 {
		t.Fatalf("tracing = %v", tr)
	}
	assertEq(t, "tracing provider", tr[0].GetProviders()[0].GetName(), "otel-tracing")
	assertEq(t, "sampling", tr[0].GetRandomSamplingPercentage().GetValue(), 10.0)
	al := tel.Spec.GetAccessLogging()
	if len(al) != 1 || al[0].GetProviders()[0].GetName() != "envoy" || al[0].GetDisabled().GetValue() {
		t.Errorf("access logging = %v, want the envoy provider enabled", al)
	}
	var _ *telemetryapi.Tracing = tr[0] // the v1 Telemetry spec is the v1alpha1 message

	sm := d.serviceMonitors["istiod"]
	if sm == nil {
		t.Fatal("no ServiceMonitor istiod")
	}
	assertEq(t, "istiod selector", sm.Spec.Selector.MatchLabels, map[string]string{"app": "istiod", "istio": "pilot"})
	assertEq(t, "istiod endpoints", sm.Spec.Endpoints, []smEndpoint{{Port: "http-monitoring", Path: "/metrics", Interval: "30s"}})

	pm := get[*podMonitor](t, d, "PodMonitor", "envoy-stats")
	assertEq(t, "PodMonitor namespaces", pm.Spec.NamespaceSelector.MatchNames, []string{"ecotrack", "emissary"})
	if len(pm.Spec.PodMetricsEndpoints) != 1 {
		t.Fatalf("PodMonitor endpoints = %+v", pm.Spec.PodMetricsEndpoints)
	}
	ep := pm.Spec.PodMetricsEndpoints[0]
	assertEq(t, "PodMonitor path", ep.Path, "/stats/prometheus")
	assertEq(t, "PodMonitor interval", ep.Interval, "30s")
	assertEq(t, "keeps the sidecar container", ep.Relabelings[0], relabeling{Action: "keep", SourceLabels: []string{"__meta_kubernetes_pod_container_name"}, Regex: "istio-proxy"})
	assertEq(t, "keeps annotated pods", ep.Relabelings[1].SourceLabels, []string{"__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"})
	addr := ep.Relabelings[2]
	assertEq(t, "address target", addr.TargetLabel, "__address__")
	// The address rule must turn the injector's annotation (port 15020) and the pod IP into
	// ip:15020, as Prometheus applies it: a fully anchored RE2 match, then $n expansion.
	re := regexp.MustCompile("^(?:" + addr.Regex + ")$")
	m := re.FindStringSubmatchIndex("15020;10.0.12.34")
	if m == nil || addr.Replacement == nil {
		t.Fatalf("address regex %q does not match 15020;10.0.12.34", addr.Regex)
	}
	got := string(re.ExpandString(nil, *addr.Replacement, "15020;10.0.12.34", m))
	assertEq(t, "scrape address", got, "10.0.12.34:15020")
	assertEq(t, "PodMonitor ignore label", pm.Spec.Selector.MatchExpressions[0].Key, "istio-prometheus-ignore")

	cm := get[*k8sConfigMap](t, d, "ConfigMap", "istio-mesh-dashboard")
	assertEq(t, "dashboard label", cm.Labels["grafana_dashboard"], "1")
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal([]byte(cm.Data["istio-mesh.json"]), &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	assertEq(t, "dashboard uid", dash.UID, "eks-platform-istio-mesh")
	var exprs []string
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			exprs = append(exprs, q.Expr)
		}
	}
	all := strings.Join(exprs, "\n")
	for _, metric := range []string{"istio_requests_total", "istio_request_duration_milliseconds_bucket", `connection_security_policy="mutual_tls"`, "pilot_xds_pushes", `container="istio-proxy"`} {
		if !strings.Contains(all, metric) {
			t.Errorf("dashboard does not query %s", metric)
		}
	}
}

func checkMeshTraffic(t *testing.T, d *decoded) {
	dr := get[*destinationRule](t, d, "DestinationRule", "orders")
	const host = "orders.ecotrack.svc.cluster.local"
	assertEq(t, "DR host", dr.Spec.GetHost(), host)
	assertEq(t, "DR tls", dr.Spec.GetTrafficPolicy().GetTls().GetMode(), networkingapi.ClientTLSSettings_ISTIO_MUTUAL)
	od := dr.Spec.GetTrafficPolicy().GetOutlierDetection()
	assertEq(t, "outlier 5xx", od.GetConsecutive_5XxErrors().GetValue(), uint32(5))
	assertEq(t, "outlier ejection", od.GetBaseEjectionTime().AsDuration().String(), "30s")
	subsets := map[string]map[string]string{}
	for _, s := range dr.Spec.GetSubsets() {
		subsets[s.GetName()] = s.GetLabels()
	}
	assertEq(t, "subsets", subsets, map[string]map[string]string{"stable": {"version": "v1"}, "canary": {"version": "v2"}})

	vs := get[*virtualService](t, d, "VirtualService", "orders")
	assertEq(t, "VS hosts", vs.Spec.GetHosts(), []string{host})
	http := vs.Spec.GetHttp()
	if len(http) != 1 {
		t.Fatalf("http routes = %d", len(http))
	}
	h := http[0]
	assertEq(t, "timeout", h.GetTimeout().AsDuration().String(), "2s")
	assertEq(t, "retry attempts", h.GetRetries().GetAttempts(), int32(3))
	assertEq(t, "per-try timeout", h.GetRetries().GetPerTryTimeout().AsDuration().String(), "500ms")
	assertEq(t, "retryOn", h.GetRetries().GetRetryOn(), "connect-failure,refused-stream,unavailable,cancelled,5xx")
	weights := map[string]int32{}
	var total int32
	for _, r := range h.GetRoute() {
		weights[r.GetDestination().GetSubset()] = r.GetWeight()
		total += r.GetWeight()
		assertEq(t, "route host", r.GetDestination().GetHost(), host)
		assertEq(t, "route port", r.GetDestination().GetPort().GetNumber(), uint32(8080))
	}
	assertEq(t, "weights", weights, map[string]int32{"stable": 90, "canary": 10})
	assertEq(t, "weights sum", total, int32(100))

	ap := get[*authorizationPolicy](t, d, "AuthorizationPolicy", "allow-payments-checkout")
	assertEq(t, "A-to-B selector", ap.Spec.GetSelector().GetMatchLabels(), map[string]string{"app": "orders"})
	assertEq(t, "A-to-B principal", ap.Spec.GetRules()[0].GetFrom()[0].GetSource().GetPrincipals(), []string{"cluster.local/ns/payments/sa/checkout"})
}

func TestMeshChartsRefuseBadValues(t *testing.T) {
	with := func(base map[string]any, kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	pol, traffic := meshPoliciesValues(), meshTrafficValues()
	tel := map[string]any{"tracing": map[string]any{"provider": "otel", "samplingPercentage": 10}}
	cases := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"no namespaces", charts.MeshPolicies, with(pol, "namespaces", []any{}), "namespaces is required"},
		{"bad namespace", charts.MeshPolicies, with(pol, "namespaces", []any{"Eco_Track"}), `namespace "Eco_Track" must be a DNS label`},
		{"duplicate namespace", charts.MeshPolicies, with(pol, "namespaces", []any{"a", "a"}), `namespace "a" is listed twice`},
		{"bad ingress account", charts.MeshPolicies, with(pol, "ingress", map[string]any{"namespace": "emissary", "serviceAccount": "Emissary"}), `serviceAccount "Emissary"`},
		{"no tracing provider", charts.MeshTelemetry, map[string]any{}, "tracing.provider is required"},
		{"sampling above 100", charts.MeshTelemetry, map[string]any{"tracing": map[string]any{"provider": "otel", "samplingPercentage": 101}}, "from 0 to 100"},
		{"sampling not a number", charts.MeshTelemetry, map[string]any{"tracing": map[string]any{"provider": "otel", "samplingPercentage": "ten"}}, "must be a number"},
		{"bad interval", charts.MeshTelemetry, with(tel, "scrapeInterval", "30 seconds"), "scrapeInterval"},
		{"no service", charts.MeshTraffic, map[string]any{}, "service is required"},
		{"canary weight above 100", charts.MeshTraffic, with(traffic, "canary", map[string]any{"version": "v2", "weight": 150}), "canary.weight must be an integer from 0 to 100"},
		{"fractional weight", charts.MeshTraffic, with(traffic, "canary", map[string]any{"version": "v2", "weight": 12.5}), "canary.weight"},
		{"same versions", charts.MeshTraffic, with(traffic, "canary", map[string]any{"version": "v1", "weight": 10}), "must differ"},
		{"bad timeout", charts.MeshTraffic, with(traffic, "timeout", "2 seconds"), `timeout "2 seconds" must be a duration`},
		{"milliseconds are not a protobuf duration", charts.MeshTraffic, with(traffic, "timeout", "500ms"), "must be a duration in seconds"},
		{"too many retries", charts.MeshTraffic, with(traffic, "retries", map[string]any{"attempts": 50, "perTryTimeout": "1s", "retryOn": "5xx"}), "retries.attempts must be from 0 to 10"},
		{"caller without account", charts.MeshTraffic, with(traffic, "allowFrom", []any{map[string]any{"namespace": "payments"}}), "need namespace and serviceAccount"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := render.Render(charts.Path(tc.chart), tc.values, "test")
			if err == nil {
				t.Fatalf("Render succeeded with %d objects, want an error containing %q", len(objs), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// TestIstioDecodeIsStrict proves the decoding above fails on a misspelled spec field, which
// the Istio types' own UnmarshalJSON would accept.
func TestIstioDecodeIsStrict(t *testing.T) {
	good := "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\nspec:\n  mtls:\n    mode: STRICT\n"
	if err := render.DecodeStrict([]byte(good), &peerAuthentication{}); err != nil {
		t.Fatalf("valid PeerAuthentication: %v", err)
	}
	for name, doc := range map[string]string{
		"misspelled field": strings.Replace(good, "mtls:", "mTls2:", 1),
		"unknown enum":     strings.Replace(good, "STRICT", "STRICTEST", 1),
		"unknown metadata": strings.Replace(good, "  name: default", "  name: default\n  nmespace: x", 1),
		"no spec":          "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: x\n",
	} {
		if err := render.DecodeStrict([]byte(doc), &peerAuthentication{}); err == nil {
			t.Errorf("%s: accepted\n%s", name, doc)
		}
	}
	var lax securityv1.PeerAuthentication
	if err := json.Unmarshal([]byte(`{"spec":{"mTls2":{}}}`), &lax); err != nil {
		t.Logf("the Istio type itself refused the unknown field too: %v", err)
	}
}
