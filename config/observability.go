package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Alert receivers Alertmanager can send to. The receiver's URL (a Slack incoming webhook or any
// webhook) never appears in configuration: only the name of the AWS Secrets Manager secret
// that holds it.
const (
	ReceiverNone    = "none"
	ReceiverSlack   = "slack"
	ReceiverWebhook = "webhook"
)

// Observability configures Workflow 3: Prometheus + Mimir, Loki, Tempo, Grafana and
// OpenTelemetry, with S3 for long-term storage.
type Observability struct {
	// GrafanaHost is the first label of Grafana's name: <grafanaHost>.<ingress.domain>.
	GrafanaHost string           `yaml:"grafanaHost"`
	Retention   Retention        `yaml:"retention"`
	Volumes     Volumes          `yaml:"volumes"`
	Replicas    ObsReplicas      `yaml:"replicas"`
	Alerting    Alerting         `yaml:"alerting"`
	Budget      BudgetOverride   `yaml:"budgetOverride"`
	Buckets     ObservabilityS3  `yaml:"buckets"`
	Collectors  CollectorOptions `yaml:"collectors"`
}

// Retention per signal. Prometheus keeps metrics locally for PrometheusLocal and writes every
// sample to Mimir; Mimir, Loki and Tempo keep their data in S3 for the given days (enforced by
// their compactors; the bucket lifecycle deletes a week later as a backstop).
type Retention struct {
	// PrometheusLocal is a Prometheus duration such as 1d or 12h.
	PrometheusLocal string `yaml:"prometheusLocal"`
	MetricsDays     int    `yaml:"metricsDays"`
	LogsDays        int    `yaml:"logsDays"`
	TracesDays      int    `yaml:"tracesDays"`
	// AlertmanagerLocal is how long Alertmanager keeps silences and notification state.
	AlertmanagerLocal string `yaml:"alertmanagerLocal"`
}

// Volumes are the PersistentVolumeClaim sizes (gp3) of the stateful components.
type Volumes struct {
	Prometheus   string `yaml:"prometheus"`
	Alertmanager string `yaml:"alertmanager"`
	Mimir        string `yaml:"mimir"`
	Loki         string `yaml:"loki"`
	Tempo        string `yaml:"tempo"`
	Grafana      string `yaml:"grafana"`
}

// ObsReplicas are the replica counts that differ between environments. Prometheus runs one
// replica: two would write every series twice, and Mimir's HA deduplication needs Consul or etcd
// (its memberlist store does not support the HA tracker). Tempo (single binary) and Grafana
// (SQLite on a volume) also run one replica.
type ObsReplicas struct {
	Alertmanager int `yaml:"alertmanager"`
	// Mimir and Loki run 1 replica (replication factor 1) or 3 (replication factor 3).
	Mimir   int `yaml:"mimir"`
	Loki    int `yaml:"loki"`
	Gateway int `yaml:"gateway"`
}

// Alerting routes alerts to one optional receiver.
type Alerting struct {
	// Receiver is none, slack or webhook.
	Receiver string `yaml:"receiver"`
	// SecretName is the AWS Secrets Manager secret whose value is the receiver's URL; it is read
	// in the cluster by External Secrets (Workflow 5), never by Terraform.
	SecretName string `yaml:"secretName"`
	// SlackChannel overrides the webhook's default channel (slack only), e.g. "#platform-alerts".
	SlackChannel string `yaml:"slackChannel"`
	// MinSeverity is the lowest severity sent to the receiver: critical, warning or info.
	MinSeverity string `yaml:"minSeverity"`
	// RepeatInterval re-sends an unresolved alert, e.g. 4h.
	RepeatInterval string `yaml:"repeatInterval"`
}

// ObservabilityS3 controls the three buckets (Mimir, Loki, Tempo).
type ObservabilityS3 struct {
	// ForceDestroy lets `cdktf destroy observability` delete buckets that still hold data.
	ForceDestroy bool `yaml:"forceDestroy"`
}

// CollectorOptions tune the OpenTelemetry collectors.
type CollectorOptions struct {
	// ExcludeNamespaces are namespaces whose pod logs the node collector does not ship.
	ExcludeNamespaces []string `yaml:"excludeNamespaces"`
}

// ObservabilityDefaults are the per-environment defaults: dev fits the brief's 1 CPU / 2 GiB on
// single replicas; prod runs highly available Mimir, Loki, Alertmanager and gateway replicas
// under an explicit budget override.
func ObservabilityDefaults(env string) Observability {
	o := Observability{
		GrafanaHost: "grafana",
		Retention: Retention{
			PrometheusLocal: "1d", MetricsDays: 15, LogsDays: 7, TracesDays: 3, AlertmanagerLocal: "120h",
		},
		Volumes: Volumes{
			Prometheus: "10Gi", Alertmanager: "1Gi", Mimir: "10Gi", Loki: "10Gi", Tempo: "5Gi", Grafana: "2Gi",
		},
		Replicas: ObsReplicas{Alertmanager: 1, Mimir: 1, Loki: 1, Gateway: 1},
		Alerting: Alerting{Receiver: ReceiverNone, MinSeverity: "warning", RepeatInterval: "4h"},
		Buckets:  ObservabilityS3{ForceDestroy: env == "dev"},
	}
	switch env {
	case "staging":
		o.Retention = Retention{PrometheusLocal: "1d", MetricsDays: 30, LogsDays: 14, TracesDays: 7, AlertmanagerLocal: "120h"}
	case "prod":
		o.Retention = Retention{PrometheusLocal: "2d", MetricsDays: 90, LogsDays: 30, TracesDays: 14, AlertmanagerLocal: "240h"}
		o.Volumes = Volumes{Prometheus: "30Gi", Alertmanager: "2Gi", Mimir: "30Gi", Loki: "20Gi", Tempo: "10Gi", Grafana: "5Gi"}
		o.Replicas = ObsReplicas{Alertmanager: 3, Mimir: 3, Loki: 3, Gateway: 2}
	}
	return o
}

var (
	promDurationRe = regexp.MustCompile(`^([0-9]+)(ms|s|m|h|d|w|y)$`)
	slackChannelRe = regexp.MustCompile(`^[#@][a-z0-9._-]{1,80}$`)
)

// promDuration parses a single-unit Prometheus duration into hours (fractions dropped).
func promDuration(s string) (hours int64, ok bool) {
	m := promDurationRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	var n int64
	if _, err := fmt.Sscan(m[1], &n); err != nil {
		return 0, false
	}
	per := map[string]int64{"h": 1, "d": 24, "w": 168, "y": 8760}
	if mult, ok := per[m[2]]; ok {
		return n * mult, true
	}
	return 0, true // ms, s and m are below an hour
}

func (o Observability) validate(ps *problems) {
	const p = "observability."
	if !dnsLabelRe.MatchString(o.GrafanaHost) {
		ps.add(p+"grafanaHost", "%q is not a DNS label; use lowercase letters, digits and hyphens, e.g. grafana", o.GrafanaHost)
	}

	r := o.Retention
	if h, ok := promDuration(r.PrometheusLocal); !ok || h < 2 || h > 30*24 {
		ps.add(p+"retention.prometheusLocal", "%q is not allowed; use a Prometheus duration from 2h to 30d, e.g. 1d (long-term data lives in Mimir)", r.PrometheusLocal)
	}
	if h, ok := promDuration(r.AlertmanagerLocal); !ok || h < 1 || h > 90*24 {
		ps.add(p+"retention.alertmanagerLocal", "%q is not allowed; use a duration from 1h to 90d, e.g. 120h", r.AlertmanagerLocal)
	}
	days := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			ps.add(p+"retention."+field, "%d days is out of range; use %d to %d", v, lo, hi)
		}
	}
	days("metricsDays", r.MetricsDays, 2, 3650)
	days("logsDays", r.LogsDays, 1, 3650)
	days("tracesDays", r.TracesDays, 1, 365)

	for _, v := range []struct{ field, size string }{
		{"prometheus", o.Volumes.Prometheus}, {"alertmanager", o.Volumes.Alertmanager}, {"mimir", o.Volumes.Mimir},
		{"loki", o.Volumes.Loki}, {"tempo", o.Volumes.Tempo}, {"grafana", o.Volumes.Grafana},
	} {
		b, err := ParseMemory(v.size)
		switch {
		case err != nil:
			ps.add(p+"volumes."+v.field, "%q is not a size; use Gi like 10Gi", v.size)
		case b < 1<<30 || b > 1000<<30:
			ps.add(p+"volumes."+v.field, "%q is out of range; use 1Gi to 1000Gi", v.size)
		}
	}

	rep := o.Replicas
	if rep.Alertmanager < 1 || rep.Alertmanager > 5 {
		ps.add(p+"replicas.alertmanager", "%d is out of range; use 1 to 5", rep.Alertmanager)
	}
	for _, v := range []struct {
		field string
		n     int
	}{{"mimir", rep.Mimir}, {"loki", rep.Loki}} {
		if v.n != 1 && v.n != 3 {
			ps.add(p+"replicas."+v.field, "%d is not allowed; use 1 (replication factor 1) or 3 (replication factor 3)", v.n)
		}
	}
	if rep.Gateway < 1 || rep.Gateway > 5 {
		ps.add(p+"replicas.gateway", "%d is out of range; use 1 to 5", rep.Gateway)
	}

	o.Alerting.validate(ps)

	o.Budget.validate(ps, p+"budgetOverride", "1000m / 2048Mi")

	for i, ns := range o.Collectors.ExcludeNamespaces {
		if !dnsLabelRe.MatchString(ns) {
			ps.add(fmt.Sprintf("%scollectors.excludeNamespaces[%d]", p, i), "%q is not a namespace name; use a DNS label", ns)
		}
	}
}

func (a Alerting) validate(ps *problems) {
	const p = "observability.alerting."
	receivers := []string{ReceiverNone, ReceiverSlack, ReceiverWebhook}
	if !slices.Contains(receivers, a.Receiver) {
		ps.add(p+"receiver", "%q is not a receiver; allowed: %s", a.Receiver, strings.Join(receivers, ", "))
	}
	switch {
	case a.Receiver != ReceiverNone && a.SecretName == "":
		ps.add(p+"secretName", "is required with receiver %s; name the AWS Secrets Manager secret that holds the URL (never the URL itself)", a.Receiver)
	case a.SecretName != "" && strings.Contains(a.SecretName, "://"):
		ps.add(p+"secretName", "looks like a URL; put the URL in AWS Secrets Manager and give the secret's name here")
	case a.SecretName != "" && !secretNameRe.MatchString(a.SecretName):
		ps.add(p+"secretName", "%q is not a Secrets Manager secret name; use 1-512 letters, digits and /_+=.@-", a.SecretName)
	}
	if a.SlackChannel != "" && (a.Receiver != ReceiverSlack || !slackChannelRe.MatchString(a.SlackChannel)) {
		ps.add(p+"slackChannel", "%q is not allowed; use a channel like #platform-alerts, and only with receiver slack", a.SlackChannel)
	}
	if !slices.Contains([]string{"critical", "warning", "info"}, a.MinSeverity) {
		ps.add(p+"minSeverity", "%q is not a severity; allowed: critical, warning, info", a.MinSeverity)
	}
	if h, ok := promDuration(a.RepeatInterval); !ok || h < 1 || h > 7*24 {
		ps.add(p+"repeatInterval", "%q is not allowed; use a duration from 1h to 7d, e.g. 4h", a.RepeatInterval)
	}
}
