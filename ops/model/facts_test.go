package model

import (
	"testing"
)

func TestFacts(t *testing.T) {
	values := `service:
  type: LoadBalancer
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
server:
  replicas: 3
  dataStorage:
    enabled: true
    size: 10Gi
  auditStorage:
    enabled: false
    size: 5Gi
prometheus:
  prometheusSpec:
    storageSpec:
      volumeClaimTemplate:
        spec:
          resources:
            requests:
              storage: 512Mi
groups:
  - name: g
    rules:
      - alert: LokiDown
        expr: up == 0
        labels: {severity: critical}
        annotations: {runbook_url: "https://x/docs/runbooks/observability.md#loki-down"}
`
	res := map[string]map[string]map[string]any{
		"aws_cloudwatch_log_group": {"lg": {"name": "/aws/eks/x/cluster", "retention_in_days": float64(30)}},
		"aws_s3_bucket":            {"b1": {"bucket": "x-loki", "tags": map[string]any{"Component": "loki"}}, "b2": {"bucket": "x-keep"}},
		"aws_s3_bucket_lifecycle_configuration": {"lc": {"bucket": "${aws_s3_bucket.b1.id}", "rule": []any{
			map[string]any{"status": "Enabled", "expiration": []any{map[string]any{"days": float64(30)}}},
			map[string]any{"status": "Disabled", "expiration": []any{map[string]any{"days": float64(1)}}},
		}}},
		"aws_nat_gateway": {"n": {"count": float64(3)}},
		"helm_release":    {"r": {"name": "openbao", "namespace": "openbao", "chart": "assets/openbao_chart/ABC", "values": []any{values}}},
	}
	s := Facts(res, func(path string) string {
		if path != "assets/openbao_chart/ABC" {
			t.Errorf("chart path %q", path)
		}
		return "openbao-local"
	})
	if s.Resources["aws_nat_gateway"] != 3 || s.Resources["helm_release"] != 1 {
		t.Errorf("resources %v", s.Resources)
	}
	if len(s.LogGroups) != 1 || s.LogGroups[0].RetentionDays != 30 {
		t.Errorf("log groups %+v", s.LogGroups)
	}
	if len(s.Buckets) != 2 || s.Buckets[0].ExpirationDays != 30 || s.Buckets[0].Component != "loki" || s.Buckets[1].ExpirationDays != 0 {
		t.Errorf("buckets %+v", s.Buckets)
	}
	if len(s.LoadBalancers) != 1 || s.LoadBalancers[0].Scheme != "internet-facing" {
		t.Errorf("load balancers %+v", s.LoadBalancers)
	}
	if len(s.Volumes) != 2 {
		t.Fatalf("volumes %+v (disabled persistence must not count)", s.Volumes)
	}
	for _, v := range s.Volumes {
		switch v.Path {
		case "server.dataStorage":
			if v.SizeGiB != 10 || v.Count != 3 {
				t.Errorf("dataStorage %+v: want 10 GiB x 3 replicas", v)
			}
		case "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests":
			if v.SizeGiB != 0.5 || v.Count != 1 {
				t.Errorf("claim template %+v", v)
			}
		default:
			t.Errorf("unexpected volume %+v", v)
		}
	}
	if len(s.Alerts) != 1 || s.Alerts[0].Name != "LokiDown" || s.Alerts[0].Severity != "critical" || s.Alerts[0].RunbookURL == "" {
		t.Errorf("alerts %+v", s.Alerts)
	}
	if len(s.Releases) != 1 || s.Releases[0].LocalChart != "openbao-local" {
		t.Errorf("releases %+v", s.Releases)
	}
}

func TestReadRejectsUnknownDependency(t *testing.T) {
	m := &Model{Stacks: []Stack{{ID: "a", DependsOn: []string{"b"}}}}
	if err := m.check(); err == nil {
		t.Error("dependency on an unknown stack accepted")
	}
}
