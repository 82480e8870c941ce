package stacks

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

func observability(t *testing.T, env string) tf {
	return synthPlatform(t, env, "", nil)["observability"]
}

const foundationRef = "data.terraform_remote_state.cross-stack-reference-input-foundation.outputs"

func TestObservabilityWiring(t *testing.T) {
	d := observability(t, "dev")
	rs := d.data("terraform_remote_state")
	eq(t, "remote state path", at(t, rs["cross-stack-reference-input-foundation"], "config", "path"), "../../../.state/dev/foundation.tfstate")
	k := at(t, d, "provider", "helm", 0, "kubernetes").(map[string]any)
	for field, v := range map[string]any{"host": k["host"], "ca": k["cluster_ca_certificate"], "cluster name": at(t, k, "exec", "args", 3)} {
		if !strings.Contains(v.(string), foundationRef) {
			t.Errorf("helm provider %s = %v, want a foundation remote-state output", field, v)
		}
	}
	app := synthPlatformApp(t, "dev")
	var deps []string
	for _, s := range *app.Observability.Dependencies() {
		deps = append(deps, *s.Node().Id())
	}
	slices.Sort(deps)
	eq(t, "dependencies", deps, []string{"foundation", "ingress"})
	if app.Stacks[2] != app.Observability.Base {
		t.Errorf("observability is not built third")
	}
}

func TestObservabilityCharts(t *testing.T) {
	d := observability(t, "dev")
	for _, c := range []struct {
		release string
		chart   Chart
	}{
		{KubePrometheusRelease, KubePrometheusStackChart}, {GrafanaRelease, GrafanaChart}, {LokiRelease, LokiChart},
		{TempoRelease, TempoChart}, {OTelOperatorRelease, OTelOperatorChart},
		{OTelGatewayService, OTelCollectorChart}, {OTelAgentRelease, OTelCollectorChart},
	} {
		r, _ := d.release(t, c.release)
		eq(t, c.release+" chart", r["chart"], c.chart.Name)
		eq(t, c.release+" version", r["version"], c.chart.Version)
		eq(t, c.release+" repository", r["repository"], c.chart.Repository)
		eq(t, c.release+" namespace", r["namespace"], "monitoring")
		eq(t, c.release+" atomic", r["atomic"], true)
	}
	for _, local := range []struct{ release, chart string }{
		{MimirRelease, charts.Mimir}, {"platform-dashboards", charts.PlatformDashboards},
		{"observability-rules", charts.PrometheusRules}, {"grafana-route", charts.UIRoute},
		{"otel-instrumentation", charts.OTelInstrumentation},
	} {
		r, _ := d.release(t, local.release)
		if !strings.HasPrefix(r["chart"].(string), "assets/"+local.release+"_chart") || r["version"] != nil {
			t.Errorf("%s: chart %v version %v, want the local chart %s as an asset", local.release, r["chart"], r["version"], local.chart)
		}
		eq(t, local.release+" namespace", r["namespace"], "monitoring")
	}
	if _, ok := d.resources("helm_release")["alert-receiver_release"]; ok || len(findReleases(d, "alert-receiver")) != 0 {
		t.Error("alert-receiver is installed although no receiver is configured")
	}
}

func findReleases(d tf, name string) []map[string]any {
	var out []map[string]any
	for _, r := range d.resources("helm_release") {
		if r["name"] == name {
			out = append(out, r)
		}
	}
	return out
}

func TestObservabilityPrometheus(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := observability(t, env)
			cfg := loadEnv(t, env).Observability
			r, v := d.release(t, KubePrometheusRelease)
			eq(t, "skip crds", r["skip_crds"], true)
			eq(t, "crds subchart", at(t, v, "crds", "enabled"), false)
			for _, off := range []string{"kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"} {
				eq(t, off, at(t, v, off, "enabled"), false)
			}
			spec := at(t, v, "prometheus", "prometheusSpec").(map[string]any)
			for _, sel := range []string{"ruleSelectorNilUsesHelmValues", "serviceMonitorSelectorNilUsesHelmValues",
				"podMonitorSelectorNilUsesHelmValues", "probeSelectorNilUsesHelmValues", "scrapeConfigSelectorNilUsesHelmValues"} {
				eq(t, sel, spec[sel], false)
			}
			eq(t, "remote write", at(t, spec, "remoteWrite", 0, "url"), "http://mimir.monitoring.svc.cluster.local:8080/api/v1/push")
			eq(t, "exemplars", at(t, spec, "remoteWrite", 0, "sendExemplars"), true)
			eq(t, "retention", spec["retention"], cfg.Retention.PrometheusLocal)
			eq(t, "volume", at(t, spec, "storageSpec", "volumeClaimTemplate", "spec", "resources", "requests", "storage"), cfg.Volumes.Prometheus)
			eq(t, "storage class", at(t, spec, "storageSpec", "volumeClaimTemplate", "spec", "storageClassName"), "gp3")
			eq(t, "replicas", spec["replicas"], 1)
			eq(t, "volume deleted with prometheus", at(t, spec, "persistentVolumeClaimRetentionPolicy", "whenDeleted"), "Delete")
			eq(t, "service account", at(t, v, "prometheus", "serviceAccount", "name"), "prometheus")
			eq(t, "autoscaler scrape", at(t, spec, "additionalScrapeConfigs", 0, "job_name"), "cluster-autoscaler")
			am := at(t, v, "alertmanager", "alertmanagerSpec").(map[string]any)
			eq(t, "alertmanager replicas", am["replicas"], cfg.Replicas.Alertmanager)
			eq(t, "alertmanager pdb", at(t, v, "alertmanager", "podDisruptionBudget", "enabled"), cfg.Replicas.Alertmanager > 1)
			if _, spread := am["topologySpreadConstraints"]; spread != (cfg.Replicas.Alertmanager > 1) {
				t.Errorf("alertmanager zone spread = %v with %d replicas", spread, cfg.Replicas.Alertmanager)
			}
			eq(t, "webhook certs", at(t, v, "prometheusOperator", "admissionWebhooks", "certManager", "enabled"), true)
			eq(t, "grafana subchart", at(t, v, "grafana", "enabled"), false)
			eq(t, "upstream dashboards", at(t, v, "grafana", "forceDeployDashboards"), true)
			rules := at(t, v, "defaultRules", "rules").(map[string]any)
			eq(t, "upstream alert groups off", rules["kubernetesApps"], false)
			eq(t, "upstream recording rules on", rules["k8sContainerResource"], true)
			eq(t, "default receiver", at(t, v, "alertmanager", "config", "route", "receiver"), "null")
		})
	}
}

func TestObservabilityMimir(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := observability(t, env)
			cfg := loadEnv(t, env)
			_, v := d.release(t, MimirRelease)
			eq(t, "replicas", v["replicas"], cfg.Observability.Replicas.Mimir)
			eq(t, "image", at(t, v, "image", "tag"), MimirImageTag)
			c := at(t, v, "config").(map[string]any)
			eq(t, "bucket", at(t, c, "common", "storage", "s3", "bucket_name"), "${aws_s3_bucket."+bucketID(t, d, "mimir")+".bucket}")
			eq(t, "region", at(t, c, "common", "storage", "s3", "region"), cfg.Region)
			eq(t, "endpoint", at(t, c, "common", "storage", "s3", "endpoint"), "s3."+cfg.Region+".amazonaws.com")
			eq(t, "no kafka", at(t, c, "ingest_storage", "enabled"), false)
			eq(t, "replication factor", at(t, c, "ingester", "ring", "replication_factor"), cfg.Observability.Replicas.Mimir)
			eq(t, "retention", at(t, c, "limits", "compactor_blocks_retention_period"), fmt.Sprintf("%dd", cfg.Observability.Retention.MetricsDays))
			eq(t, "irsa", at(t, v, "serviceAccount", "annotations", "eks.amazonaws.com/role-arn"), "${aws_iam_role."+roleID(t, d, "mimir")+".arn}")
			eq(t, "volume", at(t, v, "persistence", "size"), cfg.Observability.Volumes.Mimir)

			// The values render through the local chart as a StatefulSet running -target=all.
			objs, err := render.Render(charts.Path(charts.Mimir), v, "monitoring")
			if err != nil {
				t.Fatalf("render mimir with the stack's values: %v", err)
			}
			raw := string(render.Find(objs, "StatefulSet", "mimir")[0].Raw)
			if !strings.Contains(raw, "-target=all") || !strings.Contains(raw, "replicas: "+fmt.Sprint(cfg.Observability.Replicas.Mimir)) {
				t.Errorf("StatefulSet:\n%s", raw)
			}
			eq(t, "pdb", len(render.Find(objs, "PodDisruptionBudget", "mimir")), map[bool]int{true: 1, false: 0}[cfg.Observability.Replicas.Mimir > 1])
		})
	}
}

func TestObservabilityLoki(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := observability(t, env)
			cfg := loadEnv(t, env)
			oc := cfg.Observability
			_, v := d.release(t, LokiRelease)
			eq(t, "mode", v["deploymentMode"], "Monolithic")
			eq(t, "replicas", at(t, v, "singleBinary", "replicas"), oc.Replicas.Loki)
			eq(t, "replication factor", at(t, v, "loki", "commonConfig", "replication_factor"), oc.Replicas.Loki)
			schema := at(t, v, "loki", "schemaConfig", "configs", 0).(map[string]any)
			eq(t, "schema", schema["schema"], "v13")
			eq(t, "store", schema["store"], "tsdb")
			eq(t, "object store", schema["object_store"], "s3")
			bucket := "${aws_s3_bucket." + bucketID(t, d, "loki") + ".bucket}"
			for _, k := range []string{"chunks", "ruler", "admin"} {
				eq(t, "bucket "+k, at(t, v, "loki", "storage", "bucketNames", k), bucket)
			}
			eq(t, "region", at(t, v, "loki", "storage", "s3", "region"), cfg.Region)
			eq(t, "retention", at(t, v, "loki", "limits_config", "retention_period"), fmt.Sprintf("%dh", oc.Retention.LogsDays*24))
			eq(t, "compactor retention", at(t, v, "loki", "compactor", "retention_enabled"), true)
			eq(t, "delete store", at(t, v, "loki", "compactor", "delete_request_store"), "s3")
			for _, off := range []string{"gateway", "chunksCache", "resultsCache", "lokiCanary", "test", "minio"} {
				eq(t, off, at(t, v, off, "enabled"), false)
			}
			for _, scalable := range []string{"read", "write", "backend"} {
				eq(t, scalable+" replicas", at(t, v, scalable, "replicas"), 0)
			}
			eq(t, "irsa", at(t, v, "serviceAccount", "annotations", "eks.amazonaws.com/role-arn"), "${aws_iam_role."+roleID(t, d, "loki")+".arn}")
			eq(t, "service account", at(t, v, "serviceAccount", "name"), "loki")
			eq(t, "volumes deleted with loki", at(t, v, "singleBinary", "persistence", "enableStatefulSetAutoDeletePVC"), true)
		})
	}
}

func TestObservabilityTempoAndOTel(t *testing.T) {
	d := observability(t, "prod")
	cfg := loadEnv(t, "prod")
	_, v := d.release(t, TempoRelease)
	tr := at(t, v, "tempo", "storage", "trace").(map[string]any)
	eq(t, "backend", tr["backend"], "s3")
	eq(t, "bucket", at(t, tr, "s3", "bucket"), "${aws_s3_bucket."+bucketID(t, d, "tempo")+".bucket}")
	eq(t, "region", at(t, tr, "s3", "region"), cfg.Region)
	eq(t, "retention", at(t, v, "tempo", "retention"), fmt.Sprintf("%dh", cfg.Observability.Retention.TracesDays*24))
	eq(t, "generator", at(t, v, "tempo", "metricsGenerator", "remoteWriteUrl"), MimirRemoteWrite)
	eq(t, "processors", at(t, v, "tempo", "overrides", "defaults", "metrics_generator", "processors"), []any{"service-graphs", "span-metrics"})
	eq(t, "otlp grpc", at(t, v, "tempo", "receivers", "otlp", "protocols", "grpc", "endpoint"), "0.0.0.0:4317")
	eq(t, "service account", at(t, v, "serviceAccount", "name"), "tempo")
	eq(t, "volumes deleted with tempo", at(t, v, "persistence", "enableStatefulSetAutoDeletePVC"), true)

	_, op := d.release(t, OTelOperatorRelease)
	eq(t, "operator cert-manager", at(t, op, "admissionWebhooks", "certManager", "enabled"), true)
	eq(t, "operator replicas", op["replicaCount"], 2)
	_, inst := d.release(t, "otel-instrumentation")
	eq(t, "instrumentation endpoint", inst["endpoint"], "http://otel-gateway.monitoring.svc.cluster.local:4318")

	_, gw := d.release(t, OTelGatewayService)
	eq(t, "gateway service name", gw["fullnameOverride"], "otel-gateway")
	eq(t, "gateway mode", gw["mode"], "deployment")
	eq(t, "gateway replicas", gw["replicaCount"], cfg.Observability.Replicas.Gateway)
	eq(t, "gateway pdb", at(t, gw, "podDisruptionBudget", "enabled"), true)
	eq(t, "to tempo", at(t, gw, "config", "exporters", "otlp/tempo", "endpoint"), "tempo.monitoring.svc.cluster.local:4317")
	eq(t, "to mimir", at(t, gw, "config", "exporters", "otlphttp/mimir", "endpoint"), "http://mimir.monitoring.svc.cluster.local:8080/otlp")
	eq(t, "to loki", at(t, gw, "config", "exporters", "otlphttp/loki", "endpoint"), "http://loki.monitoring.svc.cluster.local:3100/otlp")
	for signal, exp := range map[string]string{"traces": "otlp/tempo", "metrics": "otlphttp/mimir", "logs": "otlphttp/loki"} {
		eq(t, signal+" pipeline", at(t, gw, "config", "service", "pipelines", signal, "exporters"), []any{exp})
	}
	eq(t, "image", at(t, gw, "image", "tag"), OTelCollectorVersion)

	_, agent := d.release(t, OTelAgentRelease)
	eq(t, "agent mode", agent["mode"], "daemonset")
	eq(t, "filelog", at(t, agent, "presets", "logsCollection", "enabled"), true)
	eq(t, "k8s attributes", at(t, agent, "presets", "kubernetesAttributes", "enabled"), true)
	eq(t, "agent logs pipeline", at(t, agent, "config", "service", "pipelines", "logs", "receivers"), []any{"filelog"})
	eq(t, "agent to loki", at(t, agent, "config", "exporters", "otlphttp/loki", "endpoint"), "http://loki.monitoring.svc.cluster.local:3100/otlp")
}

func TestObservabilityGrafana(t *testing.T) {
	d := observability(t, "dev")
	cfg := loadEnv(t, "dev")
	_, v := d.release(t, GrafanaRelease)
	dash := at(t, v, "sidecar", "dashboards").(map[string]any)
	eq(t, "sidecar label", dash["label"], "grafana_dashboard")
	eq(t, "sidecar label value", dash["labelValue"], "1")
	eq(t, "all namespaces", dash["searchNamespace"], "ALL")
	if _, set := v["adminPassword"]; set {
		t.Error("the admin password is set in values; the chart must generate it")
	}
	eq(t, "root url", at(t, v, "grafana.ini", "server", "root_url"), "https://grafana."+cfg.Ingress.Domain)
	ds := map[string]map[string]any{}
	for _, x := range at(t, v, "datasources", "datasources.yaml", "datasources").([]any) {
		m := x.(map[string]any)
		ds[m["uid"].(string)] = m
	}
	eq(t, "mimir url", ds["mimir"]["url"], "http://mimir.monitoring.svc.cluster.local:8080/prometheus")
	eq(t, "mimir default", ds["mimir"]["isDefault"], true)
	eq(t, "exemplars to tempo", at(t, ds["mimir"], "jsonData", "exemplarTraceIdDestinations", 0, "datasourceUid"), "tempo")
	eq(t, "loki derived field", at(t, ds["loki"], "jsonData", "derivedFields", 0, "datasourceUid"), "tempo")
	eq(t, "loki derived field url", at(t, ds["loki"], "jsonData", "derivedFields", 0, "url"), "$$${__value.raw}")
	eq(t, "traces to logs", at(t, ds["tempo"], "jsonData", "tracesToLogsV2", "datasourceUid"), "loki")
	eq(t, "traces to metrics", at(t, ds["tempo"], "jsonData", "tracesToMetrics", "datasourceUid"), "mimir")
	eq(t, "service map", at(t, ds["tempo"], "jsonData", "serviceMap", "datasourceUid"), "mimir")
	eq(t, "alertmanager", ds["alertmanager"]["url"], "http://alertmanager-operated.monitoring.svc.cluster.local:9093")
	eq(t, "datasources", len(ds), 4)

	_, route := d.release(t, "grafana-route")
	eq(t, "route host", route["hostname"], "grafana."+cfg.Ingress.Domain)
	eq(t, "route service", route["service"], "grafana")
	eq(t, "route port", route["port"], 80)

	_, dv := d.release(t, "platform-dashboards")
	eq(t, "dashboard label", dv["dashboardLabel"], "grafana_dashboard")
	objs, err := render.Render(charts.Path(charts.PlatformDashboards), dv, "monitoring")
	if err != nil {
		t.Fatal(err)
	}
	rule := string(render.Find(objs, "PrometheusRule", "platform-capacity")[0].Raw)
	if !strings.Contains(rule, "vector(1000)") || !strings.Contains(rule, `workflow: "observability"`) {
		t.Errorf("capacity rules do not carry the observability budget:\n%.600s", rule)
	}
}

// TestObservabilityResourcesMatchFootprints: the resources given to every container add up to
// the footprint the capacity check counts, per pod.
func TestObservabilityResourcesMatchFootprints(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			d := observability(t, env)
			fps := map[string]capacity.Footprint{}
			for _, f := range synthPlatformApp(t, env).Ledger.Entries() {
				if f.Workflow == "observability" {
					fps[f.Component] = f
				}
			}
			_, kps := d.release(t, KubePrometheusRelease)
			_, mimir := d.release(t, MimirRelease)
			_, loki := d.release(t, LokiRelease)
			_, tempo := d.release(t, TempoRelease)
			_, graf := d.release(t, GrafanaRelease)
			_, op := d.release(t, OTelOperatorRelease)
			_, gw := d.release(t, OTelGatewayService)
			_, agent := d.release(t, OTelAgentRelease)
			reloader := at(t, kps, "prometheusOperator", "prometheusConfigReloader", "resources")
			for component, containers := range map[string][]any{
				"prometheus":          {at(t, kps, "prometheus", "prometheusSpec", "resources"), reloader},
				"alertmanager":        {at(t, kps, "alertmanager", "alertmanagerSpec", "resources"), reloader},
				"prometheus-operator": {at(t, kps, "prometheusOperator", "resources")},
				"kube-state-metrics":  {at(t, kps, "kube-state-metrics", "resources")},
				"node-exporter":       {at(t, kps, "prometheus-node-exporter", "resources")},
				MimirRelease:          {at(t, mimir, "resources")},
				LokiRelease:           {at(t, loki, "singleBinary", "resources")},
				TempoRelease:          {at(t, tempo, "tempo", "resources")},
				GrafanaRelease:        {at(t, graf, "resources"), at(t, graf, "sidecar", "resources")},
				OTelOperatorRelease:   {at(t, op, "manager", "resources")},
				OTelGatewayService:    {at(t, gw, "resources")},
				OTelAgentRelease:      {at(t, agent, "resources")},
			} {
				fp, ok := fps[component]
				if !ok {
					t.Errorf("no footprint for %s", component)
					continue
				}
				delete(fps, component)
				var cs []container
				for _, c := range containers {
					r := func(kind, name string) string { return fmt.Sprint(at(t, c, kind, name)) }
					cs = append(cs, res(r("requests", "cpu"), r("requests", "memory"), r("limits", "cpu"), r("limits", "memory")))
				}
				sum := pod(component, fp.Replicas, fp.DaemonSet, cs...)
				eq(t, component+" requests", sum.Requests, fp.Requests)
				eq(t, component+" limits", sum.Limits, fp.Limits)
			}
			if len(fps) != 0 {
				t.Errorf("footprints without a checked workload: %v", fps)
			}
			eq(t, "mimir replicas", fpsReplicas(t, env, MimirRelease), mimir["replicas"])
			eq(t, "loki replicas", fpsReplicas(t, env, LokiRelease), at(t, loki, "singleBinary", "replicas"))
			eq(t, "gateway replicas", fpsReplicas(t, env, OTelGatewayService), gw["replicaCount"])
			eq(t, "alertmanager replicas", fpsReplicas(t, env, "alertmanager"), at(t, kps, "alertmanager", "alertmanagerSpec", "replicas"))
		})
	}
}

func fpsReplicas(t *testing.T, env, component string) int {
	for _, f := range synthPlatformApp(t, env).Ledger.Entries() {
		if f.Workflow == "observability" && f.Component == component {
			return f.Replicas
		}
	}
	t.Fatalf("no footprint %s", component)
	return 0
}

func TestObservabilityCapacity(t *testing.T) {
	for _, tc := range []struct {
		env      string
		override bool
	}{{"dev", false}, {"staging", false}, {"prod", true}} {
		t.Run(tc.env, func(t *testing.T) {
			r, err := synthPlatformApp(t, tc.env).Capacity()
			if err != nil {
				t.Fatal(err)
			}
			u := r.ByWorkflow["observability"]
			_, overridden := r.Overrides["observability"]
			eq(t, "override", overridden, tc.override)
			if !tc.override && (u.CPUReqMilli > 1000 || u.MemReqMiB > 2048) {
				t.Errorf("observability requests %dm / %dMi, over the brief's 1000m / 2048Mi", u.CPUReqMilli, u.MemReqMiB)
			}
			if tc.env == "dev" {
				r13, err := synthPlatformApp(t, tc.env).CapacityOf("foundation", "ingress", "observability")
				if err != nil {
					t.Fatal(err)
				}
				if r13.ServicesFit < 10 {
					t.Errorf("only %d microservices fit next to stacks 1-3 in dev, want at least 10", r13.ServicesFit)
				}
			}
		})
	}
}

func bucketID(t *testing.T, d tf, component string) string {
	t.Helper()
	for name := range d.resources("aws_s3_bucket") {
		if strings.HasPrefix(name, component+"-bucket_") {
			return name
		}
	}
	t.Fatalf("no bucket for %s", component)
	return ""
}

func roleID(t *testing.T, d tf, component string) string {
	t.Helper()
	for name := range d.resources("aws_iam_role") {
		if strings.HasPrefix(name, component+"-identity_role") {
			return name
		}
	}
	t.Fatalf("no role for %s", component)
	return ""
}

func TestObservabilityBuckets(t *testing.T) {
	for _, env := range config.Environments {
		t.Run(env, func(t *testing.T) {
			d := observability(t, env)
			oc := loadEnv(t, env).Observability
			days := map[string]int{"mimir": oc.Retention.MetricsDays, "loki": oc.Retention.LogsDays, "tempo": oc.Retention.TracesDays}
			for component, keep := range days {
				id := bucketID(t, d, component)
				b := d.resources("aws_s3_bucket")[id]
				if !strings.Contains(b["bucket"].(string), fmt.Sprintf(`"eks-platform-%s-%s"`, env, component)) {
					t.Errorf("%s bucket name = %v", component, b["bucket"])
				}
				eq(t, component+" force destroy", b["force_destroy"], oc.Buckets.ForceDestroy)
				ref := "${aws_s3_bucket." + id + ".id}"
				var enc, pab, lc, pol map[string]any
				for _, x := range d.resources("aws_s3_bucket_server_side_encryption_configuration") {
					if x["bucket"] == ref {
						enc = x
					}
				}
				for _, x := range d.resources("aws_s3_bucket_public_access_block") {
					if x["bucket"] == ref {
						pab = x
					}
				}
				for _, x := range d.resources("aws_s3_bucket_lifecycle_configuration") {
					if x["bucket"] == ref {
						lc = x
					}
				}
				for _, x := range d.resources("aws_s3_bucket_policy") {
					if x["bucket"] == ref {
						pol = x
					}
				}
				if enc == nil || pab == nil || lc == nil || pol == nil {
					t.Fatalf("%s bucket lacks encryption/public access block/lifecycle/policy", component)
				}
				eq(t, component+" sse", at(t, enc, "rule", 0, "apply_server_side_encryption_by_default", "sse_algorithm"), "aws:kms")
				if key := at(t, enc, "rule", 0, "apply_server_side_encryption_by_default", "kms_master_key_id").(string); !strings.Contains(key, foundationRef) {
					t.Errorf("%s bucket key = %s, want the foundation's platform key", component, key)
				}
				eq(t, component+" bucket key", at(t, enc, "rule", 0, "bucket_key_enabled"), true)
				for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
					eq(t, component+" "+k, pab[k], true)
				}
				eq(t, component+" expiry", at(t, lc, "rule", 0, "expiration", 0, "days"), keep+7)
				p := policyOf(t, pol["policy"])
				s := p.Statement[0]
				eq(t, component+" tls-only", fmt.Sprint(s.Effect, " ", s.Condition), "Deny map[Bool:map[aws:SecureTransport:false]]")
			}
		})
	}
}

func TestObservabilityIdentities(t *testing.T) {
	d := observability(t, "dev")
	components := []string{"mimir", "loki", "tempo"}
	for _, c := range components {
		role := d.resources("aws_iam_role")[roleID(t, d, c)]
		trust := policyOf(t, role["assume_role_policy"])
		var policy iampolicy.Document
		for _, p := range d.resources("aws_iam_role_policy") {
			if p["role"] == "${aws_iam_role."+roleID(t, d, c)+".id}" {
				policy = policyOf(t, p["policy"])
			}
		}
		if err := policy.Validate(); err != nil || len(policy.Statement) == 0 {
			t.Fatalf("%s policy %v: %v", c, policy, err)
		}
		own := "aws_s3_bucket." + bucketID(t, d, c) + ".arn"
		for _, s := range policy.Statement {
			for _, r := range s.Resource {
				for _, other := range components {
					if other != c && strings.Contains(r, "aws_s3_bucket."+bucketID(t, d, other)) {
						t.Errorf("%s policy reaches the %s bucket: %s", c, other, r)
					}
				}
				if strings.HasPrefix(s.Action[0], "s3:") && !strings.Contains(r, own) {
					t.Errorf("%s policy statement %s on %s, want only its own bucket", c, s.Sid, r)
				}
				if r == "*" {
					t.Errorf("%s policy statement %s on every resource", c, s.Sid)
				}
			}
		}
		switch c {
		case "tempo":
			eq(t, "tempo trust", trust.Statement[0].Principal, map[string]any{"Service": "pods.eks.amazonaws.com"})
			var found bool
			for _, a := range d.resources("aws_eks_pod_identity_association") {
				if a["service_account"] == "tempo" && a["namespace"] == "monitoring" && a["role_arn"] == "${aws_iam_role."+roleID(t, d, c)+".arn}" {
					found = true
				}
			}
			if !found {
				t.Error("no pod identity association for monitoring/tempo")
			}
		default:
			eq(t, c+" trust action", trust.Statement[0].Action, []string{"sts:AssumeRoleWithWebIdentity"})
			if !strings.Contains(toJSON(t, trust), "system:serviceaccount:monitoring:"+c) {
				t.Errorf("%s trust is not scoped to monitoring/%s: %s", c, c, toJSON(t, trust))
			}
		}
	}
	eq(t, "associations", len(d.resources("aws_eks_pod_identity_association")), 1)
}

func TestObservabilityOutputs(t *testing.T) {
	d := observability(t, "prod")
	app := synthPlatformApp(t, "prod")
	got := app.Observability.Outputs()
	want := DefaultObservabilityOutputs(app.Observability.TerraformStack)
	eq(t, "contract", fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want))
	eq(t, "otlp grpc", got.OTLPGRPC, "otel-gateway.monitoring.svc.cluster.local:4317")
	for name, want := range map[string]string{
		"otlp_grpc_endpoint":         "otel-gateway.monitoring.svc.cluster.local:4317",
		"otlp_http_endpoint":         "http://otel-gateway.monitoring.svc.cluster.local:4318",
		"loki_push_url":              "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push",
		"alertmanager_url":           "http://alertmanager-operated.monitoring.svc.cluster.local:9093",
		"dashboard_label":            "grafana_dashboard",
		"prometheus_service_account": "monitoring/prometheus",
		"grafana_admin_secret":       "monitoring/grafana",
		"grafana_url":                "https://grafana.platform.example.com",
	} {
		eq(t, name, at(t, d, "output", name, "value"), want)
	}
	for name, o := range d["output"].(map[string]any) {
		if strings.Contains(strings.ToLower(toJSON(t, o)), "password\"") || strings.Contains(toJSON(t, o), "secret_string") {
			t.Errorf("output %s exposes a secret", name)
		}
	}
}

// runbookAnchors are the GitHub anchors of the headings of docs/runbooks/<file>.md.
func runbookAnchors(t *testing.T, file string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "docs", "runbooks", file+".md"))
	if err != nil {
		t.Fatal(err)
	}
	drop := regexp.MustCompile(`[^a-z0-9 _-]`)
	out := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if h, ok := strings.CutPrefix(line, "#"); ok {
			h = strings.TrimLeft(h, "#")
			out[strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(strings.TrimSpace(h)), ""), " ", "-")] = true
		}
	}
	return out
}

// TestObservabilityAlerts renders the stack's alert values through the shared
// prometheus-rules chart: they parse as a PrometheusRule, every alert has a runbook_url to an
// existing section, and the failure modes the issue lists are covered.
func TestObservabilityAlerts(t *testing.T) {
	d := observability(t, "dev")
	cfg := loadEnv(t, "dev")
	_, v := d.release(t, "observability-rules")
	objs, err := render.Render(charts.Path(charts.PrometheusRules), v, "monitoring")
	if err != nil {
		t.Fatal(err)
	}
	rules := render.Find(objs, "PrometheusRule", "")
	if len(rules) != 1 {
		t.Fatalf("PrometheusRules = %d", len(rules))
	}
	var pr struct {
		Spec struct {
			Groups []struct {
				Rules []struct {
					Alert       string            `json:"alert"`
					Labels      map[string]string `json:"labels"`
					Annotations map[string]string `json:"annotations"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"spec"`
	}
	if err := yamlToJSONInto(rules[0].Raw, &pr); err != nil {
		t.Fatal(err)
	}
	anchors := runbookAnchors(t, "observability")
	seen := map[string]bool{}
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			seen[r.Alert] = true
			u := r.Annotations["runbook_url"]
			prefix := cfg.RunbookBaseURL + "/observability.md#"
			if !strings.HasPrefix(u, prefix) || !anchors[strings.TrimPrefix(u, prefix)] {
				t.Errorf("alert %s: runbook_url %q has no section in docs/runbooks/observability.md", r.Alert, u)
			}
			if r.Labels["workflow"] != "observability" || r.Labels["severity"] == "" {
				t.Errorf("alert %s labels = %v", r.Alert, r.Labels)
			}
		}
	}
	for _, want := range []string{"NodeNotReady", "NodePressure", "PodCrashLooping", "PersistentVolumeFilling", "CertificateExpiringSoon",
		"EmissaryHigh5xxRate", "CiliumAgentDown", "ClusterAutoscalerErrors", "LokiIngestionFailing", "MimirIngestionFailing",
		"TempoIngestionFailing", "ClusterCPURequestsHigh", "ClusterMemoryRequestsHigh"} {
		if !seen[want] {
			t.Errorf("no alert %s", want)
		}
	}
}

func TestObservabilityAlertReceiver(t *testing.T) {
	d := synthPlatform(t, "dev", "slack-receiver", func(c *config.Config) {
		c.Observability.Alerting = config.Alerting{Receiver: config.ReceiverSlack, SecretName: "eks-platform-dev/alert-webhook",
			SlackChannel: "#platform", MinSeverity: "critical", RepeatInterval: "2h"}
	})["observability"]
	rs := findReleases(d, "alert-receiver")
	if len(rs) != 1 {
		t.Fatalf("alert-receiver releases = %d", len(rs))
	}
	_, v := d.release(t, "alert-receiver")
	eq(t, "secret name", v["secretName"], "eks-platform-dev/alert-webhook")
	eq(t, "store", v["store"], "aws-secrets-manager")
	_, kps := d.release(t, KubePrometheusRelease)
	eq(t, "mounted", at(t, kps, "alertmanager", "alertmanagerSpec", "secrets"), []any{"alertmanager-receiver"})
	recv := at(t, kps, "alertmanager", "config", "receivers", 1).(map[string]any)
	eq(t, "url from file", at(t, recv, "slack_configs", 0, "api_url_file"), "/etc/alertmanager/secrets/alertmanager-receiver/url")
	eq(t, "channel", at(t, recv, "slack_configs", 0, "channel"), "#platform")
	eq(t, "route", at(t, kps, "alertmanager", "config", "route", "routes", 1, "matchers", 0), `severity =~ "critical"`)
	eq(t, "repeat", at(t, kps, "alertmanager", "config", "route", "repeat_interval"), "2h")
	if len(d.data("aws_secretsmanager_secret_version")) != 0 {
		t.Error("the stack reads the receiver secret into Terraform state")
	}
	if deps := strings.Join(toStrings(findReleases(d, KubePrometheusRelease)[0]["depends_on"]), " "); !strings.Contains(deps, "alert-receiver") {
		t.Errorf("Alertmanager does not wait for its receiver Secret: %s", deps)
	}
	objs, err := render.Render(charts.Path(charts.AlertReceiver), v, "monitoring")
	if err != nil || len(objs) != 1 || objs[0].Kind != "ExternalSecret" {
		t.Fatalf("alert-receiver render = %v, %v", objs, err)
	}
}

func yamlToJSONInto(raw []byte, v any) error { return sigsyaml.Unmarshal(raw, v) }
