package config

import (
	"errors"
	"strings"
	"testing"
)

func TestObservabilityDefaults(t *testing.T) {
	dev, prod := ObservabilityDefaults("dev"), ObservabilityDefaults("prod")
	if dev.Replicas.Mimir != 1 || dev.Replicas.Loki != 1 || dev.Budget.Set() || !dev.Buckets.ForceDestroy {
		t.Errorf("dev defaults = %+v", dev)
	}
	if prod.Replicas.Mimir != 3 || prod.Replicas.Loki != 3 || prod.Replicas.Alertmanager != 3 || prod.Buckets.ForceDestroy {
		t.Errorf("prod defaults = %+v", prod)
	}
	if prod.Retention.MetricsDays <= dev.Retention.MetricsDays {
		t.Errorf("prod keeps metrics %d days, dev %d", prod.Retention.MetricsDays, dev.Retention.MetricsDays)
	}
}

func TestObservabilityValid(t *testing.T) {
	for name, data := range map[string]string{
		"slack receiver": "observability:\n  alerting:\n    receiver: slack\n    secretName: eks-platform-dev/alert-webhook\n    slackChannel: \"#platform-alerts\"\n",
		"webhook":        "observability:\n  alerting:\n    receiver: webhook\n    secretName: eks-platform-dev/alerts-url\n    minSeverity: critical\n    repeatInterval: 12h\n",
		"override":       "observability:\n  budgetOverride:\n    cpu: 1500m\n    memory: 3Gi\n    reason: HA replicas\n",
		"HA":             "observability:\n  replicas:\n    mimir: 3\n    loki: 3\n    alertmanager: 3\n    gateway: 2\n",
		"retention":      "observability:\n  retention:\n    prometheusLocal: 12h\n    metricsDays: 400\n    logsDays: 1\n    tracesDays: 1\n",
		"exclusions":     "observability:\n  collectors:\n    excludeNamespaces: [kube-system, monitoring]\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadFromBytes("dev.yaml", []byte(doc(data)), "dev"); err != nil {
				t.Errorf("unexpected error:\n%v", err)
			}
		})
	}
}

// TestObservabilityInvalid: one row per rule, each naming the exact field and the allowed values.
func TestObservabilityInvalid(t *testing.T) {
	tests := []struct {
		name, yaml, path, msg string
	}{
		{"unknown key", "observability:\n  grafana: x\n", "observability.grafana", "unknown field; allowed here: grafanaHost"},
		{"grafana host with dot", "observability:\n  grafanaHost: grafana.ops\n", "observability.grafanaHost", "is not a DNS label"},
		{"prometheus retention unit", "observability:\n  retention:\n    prometheusLocal: 1 day\n", "observability.retention.prometheusLocal", "use a Prometheus duration from 2h to 30d"},
		{"prometheus retention too long", "observability:\n  retention:\n    prometheusLocal: 60d\n", "observability.retention.prometheusLocal", "from 2h to 30d"},
		{"metrics days zero", "observability:\n  retention:\n    metricsDays: 0\n", "observability.retention.metricsDays", "0 days is out of range; use 2 to 3650"},
		{"traces days too long", "observability:\n  retention:\n    tracesDays: 400\n", "observability.retention.tracesDays", "use 1 to 365"},
		{"volume not a size", "observability:\n  volumes:\n    loki: ten\n", "observability.volumes.loki", `"ten" is not a size`},
		{"volume too small", "observability:\n  volumes:\n    mimir: 512Mi\n", "observability.volumes.mimir", "use 1Gi to 1000Gi"},
		{"mimir two replicas", "observability:\n  replicas:\n    mimir: 2\n", "observability.replicas.mimir", "use 1 (replication factor 1) or 3"},
		{"loki zero replicas", "observability:\n  replicas:\n    loki: 0\n", "observability.replicas.loki", "use 1 (replication factor 1) or 3"},
		{"prometheus replicas are fixed", "observability:\n  replicas:\n    prometheus: 2\n", "observability.replicas.prometheus", "unknown field; allowed here: alertmanager, mimir, loki, gateway"},
		{"gateway zero", "observability:\n  replicas:\n    gateway: 0\n", "observability.replicas.gateway", "use 1 to 5"},
		{"unknown receiver", "observability:\n  alerting:\n    receiver: pagerduty\n", "observability.alerting.receiver", "allowed: none, slack, webhook"},
		{"receiver without secret", "observability:\n  alerting:\n    receiver: slack\n", "observability.alerting.secretName", "is required with receiver slack"},
		{"URL instead of secret name", "observability:\n  alerting:\n    receiver: webhook\n    secretName: https://hooks.slack.com/services/T0/B0/x\n", "observability.alerting.secretName", "looks like a URL"},
		{"channel without slack", "observability:\n  alerting:\n    slackChannel: \"#alerts\"\n", "observability.alerting.slackChannel", "only with receiver slack"},
		{"severity", "observability:\n  alerting:\n    minSeverity: page\n", "observability.alerting.minSeverity", "allowed: critical, warning, info"},
		{"repeat interval", "observability:\n  alerting:\n    repeatInterval: 30m\n", "observability.alerting.repeatInterval", "from 1h to 7d"},
		{"override without reason", "observability:\n  budgetOverride:\n    cpu: 1500m\n    memory: 3Gi\n", "observability.budgetOverride.reason", "is required"},
		{"override bad cpu", "observability:\n  budgetOverride:\n    cpu: lots\n    memory: 3Gi\n    reason: x\n", "observability.budgetOverride.cpu", "is not a CPU quantity"},
		{"excluded namespace", "observability:\n  collectors:\n    excludeNamespaces: [Kube_System]\n", "observability.collectors.excludeNamespaces[0]", "is not a namespace name"},
		{"replicas as string", "observability:\n  replicas:\n    mimir: three\n", "observability.replicas.mimir", "want an integer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := LoadFromBytes("dev.yaml", []byte(doc(tc.yaml)), "dev")
			if err == nil {
				t.Fatalf("no error; config = %+v", cfg.Observability)
			}
			if cfg != nil {
				t.Error("a config was returned with the error")
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %T %v, want *ValidationError", err, err)
			}
			p, ok := verr.ProblemAt(tc.path)
			if !ok {
				t.Fatalf("no problem at %q:\n%v", tc.path, err)
			}
			if !strings.Contains(p.Message, tc.msg) {
				t.Errorf("message at %s = %q, want it to contain %q", tc.path, p.Message, tc.msg)
			}
			if !strings.Contains(err.Error(), "dev.yaml: "+tc.path+": ") {
				t.Errorf("Error() does not name file and field:\n%v", err)
			}
		})
	}
}
