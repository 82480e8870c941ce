package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/objectstore"
	"github.com/platformeng/eks-platform/constructs/podidentity"
)

// In-cluster names of Workflow 3. The agreed ones (OTelGatewayService, PrometheusServiceAccount,
// GrafanaDashboardLabel) live in contracts.go.
const (
	KubePrometheusRelease = "kube-prometheus-stack"
	GrafanaRelease        = "grafana"
	LokiRelease           = "loki"
	TempoRelease          = "tempo"
	MimirRelease          = "mimir"
	OTelOperatorRelease   = "opentelemetry-operator"
	OTelAgentRelease      = "otel-node-logs"
	// AlertReceiverSecret is the Secret External Secrets writes and Alertmanager mounts.
	AlertReceiverSecret = "alertmanager-receiver"
	// StorageClass of every volume (foundation's default gp3 class).
	storageClass = "gp3"
)

// svcURL is the in-cluster address of a monitoring Service.
func svcURL(scheme, name string, port int) string {
	host := fmt.Sprintf("%s.%s.svc.cluster.local:%d", name, MonitoringNamespace, port)
	if scheme == "" {
		return host
	}
	return scheme + "://" + host
}

// Endpoints inside the stack: every component talks to the others through these.
var (
	MimirURL         = svcURL("http", MimirRelease, 8080)
	MimirRemoteWrite = MimirURL + "/api/v1/push"
	MimirPromQL      = MimirURL + "/prometheus"
	LokiURL          = svcURL("http", LokiRelease, 3100)
	TempoQueryURL    = svcURL("http", TempoRelease, 3200)
	TempoOTLPGRPC    = svcURL("", TempoRelease, 4317)
	AlertmanagerURL  = svcURL("http", "alertmanager-operated", 9093)
)

// receiverMountPath is where the Prometheus Operator mounts alertmanagerSpec.secrets.
const receiverMountPath = "/etc/alertmanager/secrets/" + AlertReceiverSecret + "/url"

// Observability is Workflow 3: Prometheus (kube-prometheus-stack) writing to Mimir, Loki,
// Tempo, Grafana and OpenTelemetry, with one S3 bucket and one identity per storage backend.
type Observability struct {
	*Base
	Buckets    map[string]*objectstore.Store // by component: mimir, loki, tempo
	Identities map[string]*podidentity.Identity
	// GrafanaURL is https://<grafanaHost>.<domain>.
	GrafanaURL string
	outputs    ObservabilityOutputs
}

// Outputs is the contract later stacks use (AddDependency on Stack, then the values).
func (o *Observability) Outputs() ObservabilityOutputs { return o.outputs }

// NewObservability builds stack 3 on the foundation (cluster, OIDC provider, KMS key) and the
// ingress stack (cert-manager for the OpenTelemetry webhooks, Emissary for Grafana).
func NewObservability(scope constructs.Construct, cfg *config.Config, ledger *capacity.Ledger, f *Foundation, in *Ingress) *Observability {
	w, _ := WorkflowByID("observability")
	o := &Observability{Base: newBase(scope, cfg, w, ledger), Buckets: map[string]*objectstore.Store{}, Identities: map[string]*podidentity.Identity{}}
	o.AddDependency(f.TerraformStack)
	o.AddDependency(in.TerraformStack)
	o.Helm = newHelmProvider(o.TerraformStack, f.Access())
	o.outputs = DefaultObservabilityOutputs(o.TerraformStack)
	o.GrafanaURL = "https://" + cfg.Observability.GrafanaHost + "." + cfg.Ingress.Domain
	oc := cfg.Observability

	o.overrideBudget(oc.Budget.CPU, oc.Budget.Memory, oc.Budget.Reason)

	o.storage(f)

	// Order inside the stack: Mimir, then Prometheus writing to it (after the receiver Secret
	// Alertmanager mounts), Loki and Tempo, the collectors that write to the backends, Grafana
	// that reads them, and the objects that need CRDs or webhooks of earlier releases.
	var receiver []cdktf.ITerraformDependable
	if oc.Alerting.Receiver != config.ReceiverNone {
		r := o.localRelease("alert-receiver", charts.AlertReceiver, helmaddon.Config{
			Namespace: MonitoringNamespace,
			Values: map[string]any{"secretName": oc.Alerting.SecretName, "targetSecret": AlertReceiverSecret,
				// The ClusterSecretStore of Workflow 5 (security contract).
				"store": DefaultSecurityOutputs(nil).SecretsManagerStore},
			NoWorkloads: true,
		})
		receiver = append(receiver, r.Release)
	}
	mimir := o.mimir()
	kps := o.kubePrometheusStack(append(receiver, mimir.Release)...)
	loki := o.loki()
	tempo := o.tempo(mimir.Release)
	operator := o.otelOperator(kps.Release)
	gateway := o.otelGateway(mimir.Release, loki.Release, tempo.Release)
	o.otelNodeLogs(loki.Release)
	o.localRelease("platform-dashboards", charts.PlatformDashboards, helmaddon.Config{
		Namespace:   MonitoringNamespace,
		Values:      o.dashboardValues(),
		NoWorkloads: true,
		DependsOn:   []cdktf.ITerraformDependable{kps.Release},
	})
	grafana := o.grafana(kps.Release, mimir.Release, loki.Release, tempo.Release)
	o.route("grafana-route", Route{Host: oc.GrafanaHost, Namespace: MonitoringNamespace, Service: GrafanaRelease, Port: 80, WebSocket: true},
		grafana.Release)
	o.alertRules("observability-rules", MonitoringNamespace, o.alertGroups(), kps.Release)
	o.localRelease("otel-instrumentation", charts.OTelInstrumentation, helmaddon.Config{
		Namespace:   MonitoringNamespace,
		Values:      map[string]any{"name": "platform", "endpoint": o.outputs.OTLPHTTP, "samplingRatio": "1"},
		NoWorkloads: true,
		// The Instrumentation CRD and its webhook come with the operator.
		DependsOn: []cdktf.ITerraformDependable{operator.Release, gateway.Release},
	})
	o.declareOutputs()
	return o
}

// storage creates the three buckets (platform KMS key, lifecycle backstop a week after the
// component's own retention) and the identities that use them, each scoped to its own bucket.
func (o *Observability) storage(f *Foundation) {
	oc := o.Cfg.Observability
	account := dataawscalleridentity.NewDataAwsCallerIdentity(o.TerraformStack, jsii.String("account"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	oidc := podidentity.OIDC{ProviderARN: f.Cluster.OIDC.Arn(), IssuerHost: f.Cluster.IssuerHost}
	for _, c := range []struct {
		component string
		days      int
		mode      podidentity.Mode
	}{
		// Mimir's and Loki's object-store clients do not support EKS Pod Identity
		// (grafana/mimir#9075, grafana/loki#12624): IRSA. Tempo >= 2.6 does: Pod Identity.
		{MimirRelease, oc.Retention.MetricsDays, podidentity.IRSA},
		{LokiRelease, oc.Retention.LogsDays, podidentity.IRSA},
		{TempoRelease, oc.Retention.TracesDays, podidentity.PodIdentity},
	} {
		store := objectstore.New(o.TerraformStack, c.component+"-bucket", objectstore.Config{
			Names: o.Names, Component: c.component, KMSKeyARN: f.Key.KMS.Arn(), AccountID: account.AccountId(),
			ExpirationDays: c.days + 7,
			ForceDestroy:   oc.Buckets.ForceDestroy,
		})
		o.Buckets[c.component] = store
		o.Identities[c.component] = podidentity.New(o.TerraformStack, c.component+"-identity", podidentity.Config{
			Names: o.Names, Component: c.component, Mode: c.mode,
			ClusterName: f.Cluster.EKS.Name(), Namespace: MonitoringNamespace, ServiceAccount: c.component,
			OIDC:   oidc,
			Policy: iampolicy.New(store.ReadWrite()...),
		})
	}
}

// container is the resources of one container of a pod.
type container struct{ req, lim capacity.Resources }

func (c container) values() map[string]any {
	return capacity.Footprint{Requests: c.req, Limits: c.lim}.ResourceValues()
}

// pod sums a pod's containers into its footprint, so that the numbers checked are the sum of
// what each container is given.
func pod(component string, replicas int, daemonSet bool, cs ...container) capacity.Footprint {
	parts := make([]capacity.Footprint, len(cs))
	for i, c := range cs {
		parts[i] = capacity.Footprint{Requests: c.req, Limits: c.lim}
	}
	f := capacity.Pod(component, replicas, parts...)
	f.DaemonSet = daemonSet
	return f
}

func res(cpuReq, memReq, cpuLim, memLim string) container {
	return container{capacity.Resources{CPU: cpuReq, Memory: memReq}, capacity.Resources{CPU: cpuLim, Memory: memLim}}
}

// Container resources of the workflow. dev requests add up to the brief's 1 CPU / 2 GiB (see
// docs/capacity.md for the reasoning per component); limits leave room for bursts.
var (
	promC     = res("150m", "384Mi", "1", "1536Mi")
	reloaderC = res("5m", "16Mi", "50m", "64Mi")
	alertmgrC = res("10m", "40Mi", "100m", "128Mi")
	operatorC = res("20m", "64Mi", "200m", "256Mi")
	ksmC      = res("10m", "48Mi", "100m", "192Mi")
	nodeExpC  = res("10m", "24Mi", "200m", "64Mi")
	mimirC    = res("150m", "384Mi", "1", "1536Mi")
	lokiC     = res("100m", "256Mi", "1", "1Gi")
	tempoC    = res("50m", "160Mi", "500m", "1Gi")
	grafanaC  = res("50m", "160Mi", "500m", "512Mi")
	sidecarC  = res("10m", "48Mi", "100m", "192Mi")
	otelOpC   = res("20m", "64Mi", "200m", "256Mi")
	gatewayC  = res("30m", "96Mi", "500m", "512Mi")
	nodeLogsC = res("25m", "48Mi", "250m", "256Mi")
)

// podSelectors selects a chart's pods by the standard name and instance labels.
func podSelectors(name, instance string) map[string]any {
	return map[string]any{"matchLabels": map[string]any{"app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance}}
}

// spread spreads replicas over zones (best effort) and nodes.
func spread(selector map[string]any) []any {
	return []any{
		map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector},
		map[string]any{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": selector},
	}
}

// pvcRetention deletes a StatefulSet's volumes with it, so that `cdktf destroy` leaves no EBS
// volumes; data that must outlive the stack lives in S3.
var pvcRetention = map[string]any{"whenDeleted": "Delete", "whenScaled": "Retain"}

func volumeClaim(size string) map[string]any {
	return map[string]any{"spec": map[string]any{
		"storageClassName": storageClass,
		"accessModes":      []any{"ReadWriteOnce"},
		"resources":        map[string]any{"requests": map[string]any{"storage": size}},
	}}
}

// mimir installs Mimir in monolithic mode from our own chart (docs/adr/0006).
func (o *Observability) mimir() *helmaddon.Addon {
	oc := o.Cfg.Observability
	fp := pod(MimirRelease, oc.Replicas.Mimir, false, mimirC)
	id := o.Identities[MimirRelease]
	return o.localRelease(MimirRelease, charts.Mimir, helmaddon.Config{
		Namespace: MonitoringNamespace,
		Values: map[string]any{
			"image":          map[string]any{"repository": "grafana/mimir", "tag": MimirImageTag},
			"replicas":       fp.Replicas,
			"resources":      mimirC.values(),
			"config":         o.mimirConfig(),
			"serviceAccount": map[string]any{"name": MimirRelease, "annotations": map[string]any{"eks.amazonaws.com/role-arn": *id.Role.Arn()}},
			"persistence":    map[string]any{"size": oc.Volumes.Mimir, "storageClass": storageClass},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{id.Role},
	})
}

// mimirConfig is Mimir's configuration: classic architecture (no Kafka), memberlist rings,
// replication factor equal to the replica count, blocks in the Mimir bucket, compactor
// retention from configuration, exemplars and OTLP accepted.
func (o *Observability) mimirConfig() map[string]any {
	oc := o.Cfg.Observability
	rf := oc.Replicas.Mimir
	memberlist := map[string]any{"store": "memberlist"}
	return map[string]any{
		"multitenancy_enabled": false,
		"usage_stats":          map[string]any{"enabled": false},
		"server":               map[string]any{"http_listen_port": 8080, "grpc_listen_port": 9095, "log_level": "info"},
		"ingest_storage":       map[string]any{"enabled": false},
		"common": map[string]any{"storage": map[string]any{
			"backend": "s3",
			"s3": map[string]any{
				"bucket_name": *o.Buckets[MimirRelease].Name(),
				"endpoint":    "s3." + o.Cfg.Region + ".amazonaws.com",
				"region":      o.Cfg.Region,
			},
		}},
		"blocks_storage": map[string]any{
			"storage_prefix": "blocks",
			"tsdb":           map[string]any{"dir": "/data/tsdb"},
			"bucket_store":   map[string]any{"sync_dir": "/data/tsdb-sync"},
		},
		// Recording and alerting rules run in Prometheus; Mimir's ruler keeps local state only.
		"ruler_storage":    map[string]any{"backend": "filesystem", "filesystem": map[string]any{"dir": "/data/ruler-storage"}},
		"ruler":            map[string]any{"rule_path": "/data/ruler", "ring": map[string]any{"kvstore": memberlist}},
		"compactor":        map[string]any{"data_dir": "/data/compactor", "sharding_ring": map[string]any{"kvstore": memberlist}},
		"activity_tracker": map[string]any{"filepath": "/data/activity.log"},
		"distributor":      map[string]any{"ring": map[string]any{"kvstore": memberlist}},
		"ingester": map[string]any{"ring": map[string]any{
			"kvstore": memberlist, "replication_factor": rf, "final_sleep": "0s",
		}},
		"store_gateway": map[string]any{"sharding_ring": map[string]any{"kvstore": memberlist, "replication_factor": rf}},
		"limits": map[string]any{
			"compactor_blocks_retention_period":   fmt.Sprintf("%dd", oc.Retention.MetricsDays),
			"max_global_exemplars_per_user":       100000,
			"native_histograms_ingestion_enabled": true,
			"otel_metric_suffixes_enabled":        true,
			"ingestion_rate":                      50000,
			// The default (150k) is near what kube-prometheus-stack, span metrics and a few
			// dozen services produce; memory, not this limit, is the real bound here.
			"max_global_series_per_user": 500000,
			"ingestion_burst_size":       500000,
		},
	}
}

// kubePrometheusStack installs the Prometheus Operator, one Prometheus, Alertmanager,
// kube-state-metrics and node-exporter. CRDs come from the foundation stack; every
// ServiceMonitor, PodMonitor, Probe, ScrapeConfig and PrometheusRule of every namespace is
// selected; EKS-managed control-plane parts and kube-proxy (replaced by Cilium) are not scraped.
func (o *Observability) kubePrometheusStack(deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	oc := o.Cfg.Observability
	prom := pod("prometheus", 1, false, promC, reloaderC)
	am := pod("alertmanager", oc.Replicas.Alertmanager, false, alertmgrC, reloaderC)
	op := pod("prometheus-operator", 1, false, operatorC)
	ksm := pod("kube-state-metrics", 1, false, ksmC)
	ne := pod("node-exporter", 0, true, nodeExpC)

	amSpec := map[string]any{
		"replicas":        am.Replicas,
		"retention":       oc.Retention.AlertmanagerLocal,
		"resources":       alertmgrC.values(),
		"storage":         map[string]any{"volumeClaimTemplate": volumeClaim(oc.Volumes.Alertmanager)},
		"podAntiAffinity": "soft",
	}
	if am.Replicas > 1 {
		amSpec["topologySpreadConstraints"] = spread(podSelectors("alertmanager", KubePrometheusRelease+"-alertmanager"))
	}
	if oc.Alerting.Receiver != config.ReceiverNone {
		amSpec["secrets"] = []any{AlertReceiverSecret}
	}
	noSelectorFromRelease := map[string]any{
		"ruleSelectorNilUsesHelmValues":           false,
		"serviceMonitorSelectorNilUsesHelmValues": false,
		"podMonitorSelectorNilUsesHelmValues":     false,
		"probeSelectorNilUsesHelmValues":          false,
		"scrapeConfigSelectorNilUsesHelmValues":   false,
	}
	promSpec := map[string]any{
		"replicas":                             prom.Replicas,
		"retention":                            oc.Retention.PrometheusLocal,
		"retentionSize":                        retentionSize(oc.Volumes.Prometheus),
		"resources":                            promC.values(),
		"storageSpec":                          map[string]any{"volumeClaimTemplate": volumeClaim(oc.Volumes.Prometheus)},
		"persistentVolumeClaimRetentionPolicy": pvcRetention,
		"scrapeInterval":                       "30s",
		"enableFeatures":                       []any{"exemplar-storage"},
		"externalLabels":                       map[string]any{"cluster": o.Names.Prefix()},
		// cluster-autoscaler (foundation) exposes /metrics on 8085 without a Service of its own.
		"additionalScrapeConfigs": []any{map[string]any{
			"job_name":              "cluster-autoscaler",
			"kubernetes_sd_configs": []any{map[string]any{"role": "pod", "namespaces": map[string]any{"names": []any{kubeSystem}}}},
			"relabel_configs": []any{
				map[string]any{"action": "keep", "source_labels": []any{"__meta_kubernetes_pod_label_app_kubernetes_io_name"}, "regex": "(aws-)?cluster-autoscaler"},
				map[string]any{"action": "replace", "source_labels": []any{"__meta_kubernetes_pod_ip"}, "regex": "(.+)", "replacement": "$1:8085", "target_label": "__address__"},
				map[string]any{"action": "replace", "source_labels": []any{"__meta_kubernetes_pod_name"}, "target_label": "pod"},
			},
		}},
		"remoteWrite": []any{map[string]any{
			"url":           MimirRemoteWrite,
			"sendExemplars": true,
			"queueConfig":   map[string]any{"maxSamplesPerSend": 2000, "capacity": 10000, "maxShards": 10},
		}},
	}
	for k, v := range noSelectorFromRelease {
		promSpec[k] = v
	}
	return o.release(KubePrometheusRelease, KubePrometheusStackChart, helmaddon.Config{
		Namespace: MonitoringNamespace,
		// The foundation stack owns the CRDs (prometheus-operator-crds).
		SkipCRDs: true,
		Values: map[string]any{
			"crds": map[string]any{"enabled": false},
			// Recording rules feed the upstream dashboards; the upstream alerts are replaced by
			// the platform's own (alerts.go), each with a runbook in docs/runbooks.
			"defaultRules": map[string]any{"create": true, "rules": defaultRuleGroups()},
			"alertmanager": map[string]any{
				"alertmanagerSpec":    amSpec,
				"config":              o.alertmanagerConfig(),
				"podDisruptionBudget": map[string]any{"enabled": am.Replicas > 1, "minAvailable": 1},
			},
			// Grafana is its own release; its sidecar loads these upstream dashboards too.
			"grafana": map[string]any{
				"enabled": false, "forceDeployDashboards": true, "defaultDashboardsEnabled": true,
				"sidecar": map[string]any{"dashboards": map[string]any{"label": GrafanaDashboardLabel, "labelValue": "1"}},
			},
			"kubeControllerManager": map[string]any{"enabled": false},
			"kubeScheduler":         map[string]any{"enabled": false},
			"kubeEtcd":              map[string]any{"enabled": false},
			"kubeProxy":             map[string]any{"enabled": false},
			"prometheusOperator": map[string]any{
				"resources": operatorC.values(),
				"admissionWebhooks": map[string]any{
					// Certificates from cert-manager (ingress stack), no patch jobs; a down operator
					// must not block other stacks' rules.
					"certManager":   map[string]any{"enabled": true},
					"failurePolicy": "Ignore",
				},
				"prometheusConfigReloader": map[string]any{"resources": reloaderC.values()},
			},
			"prometheus": map[string]any{
				"serviceAccount": map[string]any{"create": true, "name": PrometheusServiceAccount},
				"prometheusSpec": promSpec,
			},
			"kube-state-metrics":       map[string]any{"replicas": ksm.Replicas, "resources": ksmC.values()},
			"prometheus-node-exporter": map[string]any{"resources": nodeExpC.values()},
		},
		Footprints: []capacity.Footprint{op, prom, am, ksm, ne},
		DependsOn:  deps,
		Timeout:    900,
	})
}

// retentionSize caps Prometheus's local TSDB at 80% of its volume.
func retentionSize(volume string) string {
	return fmt.Sprintf("%dMB", capacity.MustMemMiB(volume)*8/10)
}

// defaultRuleGroups keeps kube-prometheus-stack's recording rules (its dashboards need them)
// and turns its alerting groups off.
func defaultRuleGroups() map[string]any {
	groups := map[string]any{}
	for _, g := range []string{
		"k8sContainerCpuUsageSecondsTotal", "k8sContainerMemoryCache", "k8sContainerMemoryRss",
		"k8sContainerMemorySwap", "k8sContainerResource", "k8sContainerMemoryWorkingSetBytes", "k8sPodOwner",
		"kubeApiserverAvailability", "kubeApiserverBurnrate", "kubeApiserverHistogram", "kubelet",
		"kubePrometheusGeneral", "kubePrometheusNodeRecording", "node", "nodeExporterRecording",
	} {
		groups[g] = true
	}
	for _, g := range []string{
		"alertmanager", "etcd", "configReloaders", "general", "kubeApiserverSlos", "kubeControllerManager",
		"kubeProxy", "kubernetesApps", "kubernetesResources", "kubernetesStorage", "kubernetesSystem",
		"kubeSchedulerAlerting", "kubeSchedulerRecording", "kubeStateMetrics", "network", "nodeExporterAlerting",
		"prometheus", "prometheusOperator", "windows",
	} {
		groups[g] = false
	}
	return groups
}

// alertmanagerConfig routes alerts at or above the configured severity to the receiver. Its
// URL is read from a file the ExternalSecret fills; it never passes through Terraform.
func (o *Observability) alertmanagerConfig() map[string]any {
	a := o.Cfg.Observability.Alerting
	receivers := []any{map[string]any{"name": "null"}}
	routes := []any{map[string]any{"receiver": "null", "matchers": []any{`alertname = "Watchdog"`}}}
	if a.Receiver != config.ReceiverNone {
		r := map[string]any{"name": "platform"}
		switch a.Receiver {
		case config.ReceiverSlack:
			slack := map[string]any{
				"api_url_file":  receiverMountPath,
				"send_resolved": true,
				"title":         `[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})`,
				"text":          `{{ range .Alerts }}{{ .Annotations.summary }} {{ .Annotations.runbook_url }}{{ "\n" }}{{ end }}`,
			}
			if a.SlackChannel != "" {
				slack["channel"] = a.SlackChannel
			}
			r["slack_configs"] = []any{slack}
		case config.ReceiverWebhook:
			r["webhook_configs"] = []any{map[string]any{"url_file": receiverMountPath, "send_resolved": true}}
		}
		receivers = append(receivers, r)
		routes = append(routes, map[string]any{"receiver": "platform", "matchers": []any{`severity =~ "` + severitiesFrom(a.MinSeverity) + `"`}})
	}
	return map[string]any{
		"global": map[string]any{"resolve_timeout": "5m"},
		"route": map[string]any{
			"receiver": "null", "group_by": []any{"alertname", "namespace"},
			"group_wait": "30s", "group_interval": "5m", "repeat_interval": a.RepeatInterval,
			"routes": routes,
		},
		"receivers": receivers,
		"inhibit_rules": []any{map[string]any{
			"source_matchers": []any{`severity = "critical"`},
			"target_matchers": []any{`severity =~ "warning|info"`},
			"equal":           []any{"alertname", "namespace"},
		}},
	}
}

// severitiesFrom is the regex of severities at or above min.
func severitiesFrom(min string) string {
	switch min {
	case "critical":
		return "critical"
	case "info":
		return "critical|warning|info"
	}
	return "critical|warning"
}

// loki installs Loki in monolithic mode: TSDB schema v13 on S3, retention by the compactor,
// no caches, no gateway, no canary.
func (o *Observability) loki() *helmaddon.Addon {
	oc := o.Cfg.Observability
	fp := pod(LokiRelease, oc.Replicas.Loki, false, lokiC)
	bucket := *o.Buckets[LokiRelease].Name()
	id := o.Identities[LokiRelease]
	single := map[string]any{
		"replicas":  fp.Replicas,
		"resources": lokiC.values(),
		"persistence": map[string]any{"enabled": true, "size": oc.Volumes.Loki, "storageClass": storageClass,
			"enableStatefulSetAutoDeletePVC": true, "whenDeleted": "Delete", "whenScaled": "Retain"},
	}
	if fp.Replicas > 1 {
		single["topologySpreadConstraints"] = spread(podSelectors(LokiRelease, LokiRelease))
		single["podDisruptionBudget"] = map[string]any{"enabled": true, "maxUnavailable": 1}
	}
	return o.release(LokiRelease, LokiChart, helmaddon.Config{
		Namespace: MonitoringNamespace,
		Values: map[string]any{
			"deploymentMode": "Monolithic",
			"loki": map[string]any{
				"auth_enabled": false,
				"commonConfig": map[string]any{"replication_factor": fp.Replicas},
				"schemaConfig": map[string]any{"configs": []any{map[string]any{
					"from": "2026-01-01", "store": "tsdb", "object_store": "s3", "schema": "v13",
					"index": map[string]any{"prefix": "index_", "period": "24h"},
				}}},
				"storage": map[string]any{
					"type":        "s3",
					"bucketNames": map[string]any{"chunks": bucket, "ruler": bucket, "admin": bucket},
					"s3":          map[string]any{"region": o.Cfg.Region},
				},
				"limits_config": map[string]any{
					"retention_period":          fmt.Sprintf("%dh", oc.Retention.LogsDays*24),
					"allow_structured_metadata": true,
					"ingestion_rate_mb":         8,
					"ingestion_burst_size_mb":   16,
				},
				"compactor": map[string]any{
					"retention_enabled":    true,
					"delete_request_store": "s3",
					"working_directory":    "/var/loki/compactor",
				},
				"pattern_ingester": map[string]any{"enabled": false},
			},
			"singleBinary": single,
			// Monolithic only: the scalable targets default to 3 replicas each.
			"read":    map[string]any{"replicas": 0},
			"write":   map[string]any{"replicas": 0},
			"backend": map[string]any{"replicas": 0},
			"serviceAccount": map[string]any{"create": true, "name": LokiRelease,
				"annotations": map[string]any{"eks.amazonaws.com/role-arn": *id.Role.Arn()}},
			"gateway":      map[string]any{"enabled": false},
			"chunksCache":  map[string]any{"enabled": false},
			"resultsCache": map[string]any{"enabled": false},
			"lokiCanary":   map[string]any{"enabled": false},
			"test":         map[string]any{"enabled": false},
			"minio":        map[string]any{"enabled": false},
			"sidecar":      map[string]any{"rules": map[string]any{"enabled": false}},
			"monitoring":   map[string]any{"serviceMonitor": map[string]any{"enabled": true}},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{id.Role},
	})
}

// tempo installs Tempo as a single binary with S3 storage, OTLP receivers and the
// metrics-generator writing span metrics and the service graph to Mimir.
func (o *Observability) tempo(mimir cdktf.ITerraformDependable) *helmaddon.Addon {
	oc := o.Cfg.Observability
	fp := pod(TempoRelease, 1, false, tempoC)
	id := o.Identities[TempoRelease]
	return o.release(TempoRelease, TempoChart, helmaddon.Config{
		Namespace: MonitoringNamespace,
		Values: map[string]any{
			"replicas": fp.Replicas,
			"tempo": map[string]any{
				"resources":         tempoC.values(),
				"memBallastSizeMbs": 0,
				"reportingEnabled":  false,
				"retention":         fmt.Sprintf("%dh", oc.Retention.TracesDays*24),
				"storage": map[string]any{"trace": map[string]any{
					"backend": "s3",
					"local":   nil,
					"s3": map[string]any{
						"bucket":   *o.Buckets[TempoRelease].Name(),
						"endpoint": "s3." + o.Cfg.Region + ".amazonaws.com",
						"region":   o.Cfg.Region,
					},
					"wal": map[string]any{"path": "/var/tempo/wal"},
				}},
				"receivers": map[string]any{
					"jaeger": nil,
					"otlp": map[string]any{"protocols": map[string]any{
						"grpc": map[string]any{"endpoint": "0.0.0.0:4317"},
						"http": map[string]any{"endpoint": "0.0.0.0:4318"},
					}},
				},
				"metricsGenerator": map[string]any{
					"enabled":        true,
					"remoteWriteUrl": MimirRemoteWrite,
					"processor": map[string]any{
						"service_graphs": map[string]any{"dimensions": []any{"k8s.namespace.name"}},
						// The RED dashboard filters by namespace and service.
						"span_metrics": map[string]any{"dimensions": []any{"k8s.namespace.name"}},
					},
				},
				"overrides": map[string]any{"defaults": map[string]any{
					"metrics_generator": map[string]any{"processors": []any{"service-graphs", "span-metrics"}},
				}},
			},
			"persistence": map[string]any{"enabled": true, "size": oc.Volumes.Tempo, "storageClassName": storageClass,
				"enableStatefulSetAutoDeletePVC": true},
			"serviceAccount": map[string]any{"create": true, "name": TempoRelease},
			"serviceMonitor": map[string]any{"enabled": true},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  []cdktf.ITerraformDependable{id.Association, mimir},
	})
}

// otelOperator installs the OpenTelemetry Operator (Instrumentation, OpenTelemetryCollector);
// its webhook certificates come from cert-manager (ingress stack).
func (o *Observability) otelOperator(deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	fp := pod(OTelOperatorRelease, o.replicas(2), false, otelOpC)
	values := map[string]any{
		"replicaCount": fp.Replicas,
		"manager": map[string]any{
			"resources":      otelOpC.values(),
			"collectorImage": map[string]any{"repository": OTelCollectorImage, "tag": OTelCollectorVersion},
			"serviceMonitor": map[string]any{"enabled": true},
		},
		"admissionWebhooks": map[string]any{
			"certManager":      map[string]any{"enabled": true},
			"autoGenerateCert": map[string]any{"enabled": false},
		},
		"crds": map[string]any{"create": true},
		"pdb":  map[string]any{"create": fp.Replicas > 1, "minAvailable": 1},
	}
	if fp.Replicas > 1 {
		values["topologySpreadConstraints"] = spread(podSelectors(OTelOperatorRelease, OTelOperatorRelease))
	}
	return o.release(OTelOperatorRelease, OTelOperatorChart, helmaddon.Config{
		Namespace: MonitoringNamespace, Values: values,
		Footprints: []capacity.Footprint{fp}, DependsOn: deps,
	})
}

// collectorBase is what both collectors share: the pinned k8s distribution, the metrics port
// and a memory limiter.
func collectorBase(mode, name string, c container) map[string]any {
	return map[string]any{
		"mode":             mode,
		"fullnameOverride": name,
		"image":            map[string]any{"repository": OTelCollectorImage, "tag": OTelCollectorVersion},
		"resources":        c.values(),
		"ports": map[string]any{
			"jaeger-compact": map[string]any{"enabled": false},
			"jaeger-thrift":  map[string]any{"enabled": false},
			"jaeger-grpc":    map[string]any{"enabled": false},
			"zipkin":         map[string]any{"enabled": false},
			"metrics":        map[string]any{"enabled": true},
		},
	}
}

// otelGateway is the one OTLP endpoint of the platform (Service otel-gateway): traces to
// Tempo, metrics to Mimir, logs to Loki, each enriched with Kubernetes attributes.
func (o *Observability) otelGateway(deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	fp := pod(OTelGatewayService, o.Cfg.Observability.Replicas.Gateway, false, gatewayC)
	v := collectorBase("deployment", OTelGatewayService, gatewayC)
	v["replicaCount"] = fp.Replicas
	v["presets"] = map[string]any{"kubernetesAttributes": map[string]any{"enabled": true}}
	v["serviceMonitor"] = map[string]any{"enabled": true}
	v["podDisruptionBudget"] = map[string]any{"enabled": fp.Replicas > 1, "minAvailable": 1}
	if fp.Replicas > 1 {
		v["topologySpreadConstraints"] = spread(podSelectors("opentelemetry-collector", OTelGatewayService))
	}
	pipeline := func(exporter string) map[string]any {
		return map[string]any{"receivers": []any{"otlp"}, "processors": []any{"memory_limiter", "batch"}, "exporters": []any{exporter}}
	}
	v["config"] = map[string]any{
		"receivers": map[string]any{"jaeger": nil, "zipkin": nil, "prometheus": nil},
		"exporters": map[string]any{
			"debug":          nil,
			"otlp/tempo":     map[string]any{"endpoint": TempoOTLPGRPC, "tls": map[string]any{"insecure": true}},
			"otlphttp/mimir": map[string]any{"endpoint": MimirURL + "/otlp"},
			"otlphttp/loki":  map[string]any{"endpoint": LokiURL + "/otlp"},
		},
		"service": map[string]any{"pipelines": map[string]any{
			"traces":  pipeline("otlp/tempo"),
			"metrics": pipeline("otlphttp/mimir"),
			"logs":    pipeline("otlphttp/loki"),
		}},
	}
	return o.release("otel-gateway", OTelCollectorChart, helmaddon.Config{
		Name: OTelGatewayService, Namespace: MonitoringNamespace, Values: v,
		Footprints: []capacity.Footprint{fp}, DependsOn: deps,
	})
}

// otelNodeLogs is the node log collector: an OpenTelemetry Collector DaemonSet with the
// filelog receiver, shipping every pod's logs with namespace, pod and container to Loki's
// OTLP endpoint (one collector distribution and one config language for the whole platform;
// docs/workflows/03-observability.md says why not Alloy).
func (o *Observability) otelNodeLogs(deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	fp := pod(OTelAgentRelease, 0, true, nodeLogsC)
	v := collectorBase("daemonset", OTelAgentRelease, nodeLogsC)
	ports := v["ports"].(map[string]any)
	ports["otlp"] = map[string]any{"enabled": false}
	ports["otlp-http"] = map[string]any{"enabled": false}
	v["presets"] = map[string]any{
		"logsCollection":       map[string]any{"enabled": true, "includeCollectorLogs": false, "storeCheckpoints": true},
		"kubernetesAttributes": map[string]any{"enabled": true},
	}
	v["podMonitor"] = map[string]any{"enabled": true}
	// Every node, including tainted ones.
	v["tolerations"] = []any{map[string]any{"operator": "Exists"}}
	exclude := []any{fmt.Sprintf("/var/log/pods/%s_%s*_*/*/*.log", MonitoringNamespace, OTelAgentRelease)}
	for _, ns := range o.Cfg.Observability.Collectors.ExcludeNamespaces {
		exclude = append(exclude, fmt.Sprintf("/var/log/pods/%s_*/*/*.log", ns))
	}
	v["config"] = map[string]any{
		"receivers": map[string]any{
			"jaeger": nil, "zipkin": nil, "prometheus": nil, "otlp": nil,
			"filelog": map[string]any{"exclude": exclude},
		},
		"exporters": map[string]any{"debug": nil, "otlphttp/loki": map[string]any{"endpoint": LokiURL + "/otlp"}},
		"service": map[string]any{"pipelines": map[string]any{
			"traces": nil, "metrics": nil,
			"logs": map[string]any{"receivers": []any{"filelog"}, "processors": []any{"memory_limiter", "batch"}, "exporters": []any{"otlphttp/loki"}},
		}},
	}
	return o.release(OTelAgentRelease, OTelCollectorChart, helmaddon.Config{
		Namespace: MonitoringNamespace, Values: v,
		Footprints: []capacity.Footprint{fp}, DependsOn: deps,
	})
}

// grafana installs Grafana with the four data sources and their correlations, and a dashboard
// sidecar that loads every ConfigMap labelled grafana_dashboard: "1" in every namespace. The
// chart generates the admin password into the Secret grafana (key admin-password).
func (o *Observability) grafana(deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	oc := o.Cfg.Observability
	fp := pod(GrafanaRelease, 1, false, grafanaC, sidecarC)
	host := oc.GrafanaHost + "." + o.Cfg.Ingress.Domain
	return o.release(GrafanaRelease, GrafanaChart, helmaddon.Config{
		Namespace: MonitoringNamespace,
		Values: map[string]any{
			"replicas":  fp.Replicas,
			"resources": grafanaC.values(),
			// SQLite on a ReadWriteOnce volume: one replica, replaced not rolled.
			"deploymentStrategy": map[string]any{"type": "Recreate"},
			"persistence":        map[string]any{"enabled": true, "type": "pvc", "storageClassName": storageClass, "size": oc.Volumes.Grafana},
			"initChownData":      map[string]any{"enabled": false},
			"sidecar": map[string]any{
				"resources": sidecarC.values(),
				"dashboards": map[string]any{
					"enabled": true, "label": GrafanaDashboardLabel, "labelValue": "1",
					"searchNamespace":  "ALL",
					"folderAnnotation": "grafana_folder",
					"provider":         map[string]any{"foldersFromFilesStructure": true},
				},
				"datasources": map[string]any{"enabled": false},
			},
			"datasources": map[string]any{"datasources.yaml": map[string]any{
				"apiVersion":  1,
				"datasources": grafanaDatasources(),
			}},
			"grafana.ini": map[string]any{
				"server":         map[string]any{"domain": host, "root_url": "https://" + host},
				"analytics":      map[string]any{"check_for_updates": false, "reporting_enabled": false},
				"users":          map[string]any{"allow_sign_up": false},
				"auth.anonymous": map[string]any{"enabled": false},
				"security":       map[string]any{"cookie_secure": true},
			},
			"serviceMonitor": map[string]any{"enabled": true},
			"testFramework":  map[string]any{"enabled": false},
		},
		Footprints: []capacity.Footprint{fp},
		DependsOn:  deps,
	})
}

// grafanaDatasources are Mimir (default), Loki, Tempo and Alertmanager with the correlations:
// exemplars to traces, trace id in logs to traces, traces to logs and to metrics, service map.
// Grafana expands environment variables in provisioning files ("$$" is a literal "$"), and
// Terraform reads "${" in the values string as an interpolation ("$${" is a literal "${"): so
// "$$${__value.raw}" here reaches Grafana as "$${__value.raw}" and is used as "${__value.raw}".
func grafanaDatasources() []any {
	return []any{
		map[string]any{
			"name": "Mimir", "uid": "mimir", "type": "prometheus", "access": "proxy", "url": MimirPromQL, "isDefault": true, "editable": false,
			"jsonData": map[string]any{
				"httpMethod": "POST", "prometheusType": "Mimir", "timeInterval": "30s",
				"exemplarTraceIdDestinations": []any{map[string]any{"name": "trace_id", "datasourceUid": "tempo"}},
			},
		},
		map[string]any{
			"name": "Loki", "uid": "loki", "type": "loki", "access": "proxy", "url": LokiURL, "editable": false,
			"jsonData": map[string]any{"derivedFields": []any{
				// OTLP logs carry the trace id as structured metadata.
				map[string]any{"name": "TraceID", "matcherType": "label", "matcherRegex": "trace_id", "datasourceUid": "tempo", "url": "$$${__value.raw}"},
				// Plain-text logs that print it.
				map[string]any{"name": "TraceIDInText", "matcherType": "regex", "matcherRegex": `(?:trace_?id|traceID)[=:"\s]+(\w+)`, "datasourceUid": "tempo", "url": "$$${__value.raw}"},
			}},
		},
		map[string]any{
			"name": "Tempo", "uid": "tempo", "type": "tempo", "access": "proxy", "url": TempoQueryURL, "editable": false,
			"jsonData": map[string]any{
				"tracesToLogsV2": map[string]any{
					"datasourceUid": "loki", "spanStartTimeShift": "-5m", "spanEndTimeShift": "5m",
					"filterByTraceID": true, "filterBySpanID": false,
					"tags": []any{
						map[string]any{"key": "service.name", "value": "service_name"},
						map[string]any{"key": "k8s.namespace.name", "value": "k8s_namespace_name"},
					},
				},
				"tracesToMetrics": map[string]any{
					"datasourceUid": "mimir",
					"tags":          []any{map[string]any{"key": "service.name", "value": "service"}},
					"queries": []any{
						map[string]any{"name": "Request rate", "query": "sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))"},
						map[string]any{"name": "p95 latency", "query": "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$$__tags}[5m])))"},
					},
				},
				"serviceMap": map[string]any{"datasourceUid": "mimir"},
				"nodeGraph":  map[string]any{"enabled": true},
				"lokiSearch": map[string]any{"datasourceUid": "loki"},
				"traceQuery": map[string]any{"timeShiftEnabled": true, "spanStartTimeShift": "-1h", "spanEndTimeShift": "1h"},
			},
		},
		map[string]any{
			"name": "Alertmanager", "uid": "alertmanager", "type": "alertmanager", "access": "proxy", "url": AlertmanagerURL, "editable": false,
			"jsonData": map[string]any{"implementation": "prometheus", "handleGrafanaManagedAlerts": false},
		},
	}
}

// workflowNamespaces maps the namespaces of workflows 1-3 to their workflow, for the capacity
// dashboard; later stacks add theirs with the same recording rule in their own charts.
func workflowNamespaces() []any {
	return []any{
		map[string]any{"workflow": "foundation", "namespaces": []any{kubeSystem}},
		map[string]any{"workflow": "ingress", "namespaces": []any{IngressNamespace, CertManagerNamespace, ExternalDNSNamespace}},
		map[string]any{"workflow": "observability", "namespaces": []any{MonitoringNamespace}},
	}
}

// dashboardValues are the budgets per workflow (the brief's, or this environment's override)
// and the namespace map the capacity dashboard reads.
func (o *Observability) dashboardValues() map[string]any {
	budgets := []any{}
	for _, w := range Workflows {
		b, _, ok := o.Ledger.BudgetOf(w.ID)
		if !ok {
			continue
		}
		budgets = append(budgets, map[string]any{"workflow": w.ID, "cpuMillicores": b.CPUMilli, "memoryMiB": b.MemMiB})
	}
	return map[string]any{"dashboardLabel": GrafanaDashboardLabel, "folder": "Platform", "budgets": budgets, "workflows": workflowNamespaces()}
}

func (o *Observability) declareOutputs() {
	out := o.outputs
	o.output("monitoring_namespace", "Namespace of the LGTM stack", out.Namespace)
	o.output("otlp_grpc_endpoint", "OTLP/gRPC endpoint of the OpenTelemetry gateway (host:port)", out.OTLPGRPC)
	o.output("otlp_http_endpoint", "OTLP/HTTP endpoint of the OpenTelemetry gateway", out.OTLPHTTP)
	o.output("loki_push_url", "Loki push API", out.LokiPushURL)
	o.output("alertmanager_url", "Alertmanager API", out.AlertmanagerURL)
	o.output("prometheus_remote_write_url", "Mimir remote-write endpoint", MimirRemoteWrite)
	o.output("grafana_url", "Grafana through Emissary", o.GrafanaURL)
	o.output("grafana_admin_secret", "Secret holding Grafana's generated admin password (key admin-password)", MonitoringNamespace+"/"+GrafanaRelease)
	o.output("dashboard_label", "Label (value \"1\") that makes a ConfigMap in any namespace a Grafana dashboard", out.DashboardLabel)
	o.output("prometheus_service_account", "Service account Prometheus scrapes as", out.PrometheusNamespace+"/"+out.PrometheusServiceAccount)
	for _, c := range []string{MimirRelease, LokiRelease, TempoRelease} {
		o.output(c+"_bucket", "S3 bucket of "+c, o.Buckets[c].Name())
		o.output(c+"_role_arn", "IAM role of "+c, o.Identities[c].Role.Arn())
	}
}
