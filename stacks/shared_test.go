package stacks

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/capacity"
)

// scratch is a Base of workflow id on the dev configuration, for testing the helpers every
// stack shares without building the whole platform.
func scratch(t *testing.T, id string) *Base {
	t.Helper()
	w, _ := WorkflowByID(id)
	return newBase(cdktf.Testing_App(nil), loadEnv(t, "dev"), w, &capacity.Ledger{})
}

func synthBase(t *testing.T, b *Base) tf {
	t.Helper()
	var doc tf
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(b.TerraformStack, jsii.Bool(false))), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestAlertRules(t *testing.T) {
	b := scratch(t, "observability")
	b.alertRules("test-rules", "monitoring", []AlertGroup{{Name: "nodes", Rules: []Alert{
		{Name: "NodeNotReady", Expr: "up == 0", For: "10m", Severity: "critical", Summary: "s", Runbook: "foundation#node-not-ready"},
		{Name: "Instant", Expr: "vector(1)", Severity: "info", Summary: "s", Runbook: "observability#instant"},
	}}})
	r, v := synthBase(t, b).release(t, "test-rules")
	eq(t, "namespace", r["namespace"], "monitoring")
	eq(t, "name", at(t, v, "name"), "test-rules")
	eq(t, "runbook_url", at(t, v, "groups", 0, "rules", 0, "annotations", "runbook_url"),
		"https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/foundation.md#node-not-ready")
	eq(t, "workflow label", at(t, v, "groups", 0, "rules", 0, "labels", "workflow"), "observability")
	eq(t, "for", at(t, v, "groups", 0, "rules", 0, "for"), "10m")
	if _, has := get(v, "groups", 0, "rules", 1, "for"); has {
		t.Error("an alert without For got a for: field")
	}
	if len(b.Ledger.Entries()) != 0 {
		t.Errorf("rules declared workloads: %v", b.Ledger.Entries())
	}
}

func TestAlertRulesRefuseIncompleteAlerts(t *testing.T) {
	ok := Alert{Name: "A", Expr: "up == 0", Severity: "warning", Summary: "s", Runbook: "foundation#a"}
	tests := []struct {
		name string
		mut  func(*Alert)
		want string
	}{
		{"no runbook", func(a *Alert) { a.Runbook = "" }, "must be <file>#<section>"},
		{"runbook without section", func(a *Alert) { a.Runbook = "foundation" }, "must be <file>#<section>"},
		{"runbook as path", func(a *Alert) { a.Runbook = "docs/runbooks/foundation#a" }, "must be <file>#<section>"},
		{"bad severity", func(a *Alert) { a.Severity = "page" }, "severity"},
		{"no expr", func(a *Alert) { a.Expr = "" }, "needs a name and an expression"},
		{"no summary", func(a *Alert) { a.Summary = "" }, "needs a summary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.mut(&a)
			err := a.validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRoute(t *testing.T) {
	b := scratch(t, "observability")
	b.route("grafana-route", Route{Host: "grafana", Namespace: "monitoring", Service: "grafana", Port: 80, WebSocket: true})
	r, v := synthBase(t, b).release(t, "grafana-route")
	eq(t, "namespace", r["namespace"], "monitoring")
	eq(t, "hostname", at(t, v, "hostname"), "grafana."+b.Cfg.Ingress.Domain)
	eq(t, "service", at(t, v, "service"), "grafana")
	eq(t, "port", at(t, v, "port"), 80)
	eq(t, "timeout", at(t, v, "timeoutMs"), 30000)
	eq(t, "websocket", at(t, v, "websocket"), true)

	defer func() {
		if recover() == nil {
			t.Error("a route without a service did not panic")
		}
	}()
	b.route("broken", Route{Host: "x", Namespace: "monitoring", Port: 80})
}

func TestDefaultContracts(t *testing.T) {
	b := scratch(t, "observability")
	o := DefaultObservabilityOutputs(b.TerraformStack)
	eq(t, "otlp grpc", o.OTLPGRPC, "otel-gateway.monitoring.svc.cluster.local:4317")
	eq(t, "otlp http", o.OTLPHTTP, "http://otel-gateway.monitoring.svc.cluster.local:4318")
	eq(t, "prometheus sa", o.PrometheusNamespace+"/"+o.PrometheusServiceAccount, "monitoring/prometheus")
	s := DefaultSecurityOutputs(b.TerraformStack)
	eq(t, "stores", s.OpenBaoStore+","+s.SecretsManagerStore, "openbao,aws-secrets-manager")
}
