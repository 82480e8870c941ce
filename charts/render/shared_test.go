package render_test

// Render tests of the charts every stack shares: prometheus-rules (alerts with runbooks) and
// ui-route (an Emissary Mapping). Mirrors follow prometheus-operator
// pkg/apis/monitoring/v1/prometheusrule_types.go (PrometheusRuleSpec, RuleGroup, Rule) and
// emissary-ingress v4.1.0 pkg/api/getambassador.io/v3alpha1/crd_mapping.go (MappingSpec:
// hostname, prefix, rewrite, service, timeout_ms, allow_upgrade).

import (
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

type prometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Groups []ruleGroup `json:"groups"`
	} `json:"spec"`
}

type ruleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	Rules    []rule `json:"rules"`
}

type rule struct {
	Record      string             `json:"record,omitempty"`
	Alert       string             `json:"alert,omitempty"`
	Expr        intstr.IntOrString `json:"expr"`
	For         string             `json:"for,omitempty"`
	Labels      map[string]string  `json:"labels,omitempty"`
	Annotations map[string]string  `json:"annotations,omitempty"`
}

func (p *prometheusRule) objectLabels() map[string]string { return p.Labels }

func (p *prometheusRule) validate() error {
	if len(p.Spec.Groups) == 0 {
		return fmt.Errorf("PrometheusRule %s has no groups", p.Name)
	}
	for _, g := range p.Spec.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			return fmt.Errorf("PrometheusRule %s: group %q needs a name and rules", p.Name, g.Name)
		}
		for _, r := range g.Rules {
			if (r.Alert == "") == (r.Record == "") || r.Expr.String() == "" {
				return fmt.Errorf("PrometheusRule %s: rule %q needs exactly one of alert/record and an expr", p.Name, r.Alert+r.Record)
			}
			if r.Alert != "" && !strings.HasPrefix(r.Annotations["runbook_url"], "https://") {
				return fmt.Errorf("PrometheusRule %s: alert %s has no https runbook_url", p.Name, r.Alert)
			}
		}
	}
	return nil
}

type mapping struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Hostname     string   `json:"hostname"`
		Prefix       string   `json:"prefix"`
		Rewrite      *string  `json:"rewrite,omitempty"`
		Service      string   `json:"service"`
		TimeoutMs    int      `json:"timeout_ms,omitempty"`
		AllowUpgrade []string `json:"allow_upgrade,omitempty"`
	} `json:"spec"`
}

func (m *mapping) objectLabels() map[string]string { return m.Labels }

func (m *mapping) validate() error {
	if m.Spec.Prefix == "" || m.Spec.Service == "" {
		return fmt.Errorf("Mapping %s: prefix and service are required", m.Name)
	}
	return nil
}

func init() {
	registerMirror("monitoring.coreos.com/v1 PrometheusRule", func() mirror { return &prometheusRule{} })
	registerMirror("getambassador.io/v3alpha1 Mapping", func() mirror { return &mapping{} })
	registerCases(
		renderCase{
			name: "prometheus-rules", chart: charts.PrometheusRules, namespace: "monitoring",
			values: rulesValues(),
			kinds:  map[string]int{"PrometheusRule": 1},
			check: func(t *testing.T, d *decoded) {
				r := get[*prometheusRule](t, d, "PrometheusRule", "node-rules")
				assertEq(t, "namespace", r.Namespace, "monitoring")
				g := r.Spec.Groups[0]
				assertEq(t, "group", g.Name, "nodes")
				assertEq(t, "alert", g.Rules[0].Alert, "NodeNotReady")
				assertEq(t, "for", g.Rules[0].For, "10m")
				assertEq(t, "severity", g.Rules[0].Labels["severity"], "critical")
				assertEq(t, "runbook", g.Rules[0].Annotations["runbook_url"], "https://example.com/runbooks/foundation.md#node-not-ready")
			},
		},
		renderCase{
			name: "ui-route", chart: charts.UIRoute, namespace: "monitoring",
			values: map[string]any{"name": "grafana", "hostname": "grafana.dev.example.com", "service": "grafana", "port": 80, "websocket": true},
			kinds:  map[string]int{"Mapping": 1},
			check: func(t *testing.T, d *decoded) {
				m := get[*mapping](t, d, "Mapping", "grafana")
				assertEq(t, "hostname", m.Spec.Hostname, "grafana.dev.example.com")
				assertEq(t, "service", m.Spec.Service, "grafana.monitoring:80")
				assertEq(t, "prefix", m.Spec.Prefix, "/")
				assertEq(t, "timeout", m.Spec.TimeoutMs, 30000)
				assertEq(t, "upgrade", m.Spec.AllowUpgrade, []string{"websocket"})
			},
		},
		renderCase{
			name: "ui-route https backend", chart: charts.UIRoute, namespace: "argocd",
			values: map[string]any{"name": "argocd", "hostname": "argocd.dev.example.com", "service": "argocd-server", "port": 443, "backendTLS": true},
			kinds:  map[string]int{"Mapping": 1},
			check: func(t *testing.T, d *decoded) {
				m := get[*mapping](t, d, "Mapping", "argocd")
				assertEq(t, "service", m.Spec.Service, "https://argocd-server.argocd:443")
				assertEq(t, "upgrade", m.Spec.AllowUpgrade, []string(nil))
			},
		},
	)
}

func rulesValues() map[string]any {
	return map[string]any{"name": "node-rules", "groups": []any{map[string]any{
		"name": "nodes",
		"rules": []any{map[string]any{
			"alert": "NodeNotReady", "expr": `kube_node_status_condition{condition="Ready",status="true"} == 0`, "for": "10m",
			"labels":      map[string]any{"severity": "critical"},
			"annotations": map[string]any{"summary": "s", "runbook_url": "https://example.com/runbooks/foundation.md#node-not-ready"},
		}},
	}}}
}

func TestSharedChartsRefuseBadValues(t *testing.T) {
	rule := func(mut func(r map[string]any)) map[string]any {
		v := rulesValues()
		mut(v["groups"].([]any)[0].(map[string]any)["rules"].([]any)[0].(map[string]any))
		return v
	}
	route := map[string]any{"name": "g", "hostname": "g.example.com", "service": "g", "port": 80}
	with := func(k string, val any) map[string]any {
		m := map[string]any{}
		for kk, vv := range route {
			m[kk] = vv
		}
		m[k] = val
		return m
	}
	cases := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"rules without name", charts.PrometheusRules, map[string]any{"groups": rulesValues()["groups"]}, "name is required"},
		{"rules without groups", charts.PrometheusRules, map[string]any{"name": "x"}, "at least one rule group"},
		{"alert without runbook", charts.PrometheusRules, rule(func(r map[string]any) { r["annotations"] = map[string]any{"summary": "s"} }), "needs annotations.runbook_url"},
		{"alert without severity", charts.PrometheusRules, rule(func(r map[string]any) { r["labels"] = map[string]any{} }), "needs labels.severity"},
		{"alert without expr", charts.PrometheusRules, rule(func(r map[string]any) { delete(r, "expr") }), "needs an expr"},
		{"route without hostname", charts.UIRoute, with("hostname", ""), "hostname is required"},
		{"route wildcard", charts.UIRoute, with("hostname", "*.example.com"), "not a wildcard"},
		{"route without service", charts.UIRoute, with("service", ""), "service is required"},
		{"route bad port", charts.UIRoute, with("port", 0), "port must be between 1 and 65535"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(tc.chart), tc.values, "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
