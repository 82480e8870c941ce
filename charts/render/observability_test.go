package render_test

// Render tests of the observability stack's local charts: mimir (monolithic StatefulSet),
// platform-dashboards (dashboard ConfigMaps and capacity recording rules) and alert-receiver
// (an ExternalSecret). Core kinds decode strictly into the k8s.io/api types; the ExternalSecret
// mirror follows external-secrets apis/externalsecrets/v1/externalsecret_types.go
// (ExternalSecretSpec: refreshInterval, secretStoreRef{name,kind}, target{name,creationPolicy},
// data[]{secretKey, remoteRef{key}}).

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

type externalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		RefreshInterval string `json:"refreshInterval"`
		SecretStoreRef  struct {
			Name string `json:"name"`
			Kind string `json:"kind"`
		} `json:"secretStoreRef"`
		Target struct {
			Name           string `json:"name"`
			CreationPolicy string `json:"creationPolicy"`
		} `json:"target"`
		Data []struct {
			SecretKey string `json:"secretKey"`
			RemoteRef struct {
				Key string `json:"key"`
			} `json:"remoteRef"`
		} `json:"data"`
	} `json:"spec"`
}

type instrumentation struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Exporter struct {
			Endpoint string `json:"endpoint"`
		} `json:"exporter"`
		Propagators []string `json:"propagators"`
		Sampler     struct {
			Type     string `json:"type"`
			Argument string `json:"argument"`
		} `json:"sampler"`
	} `json:"spec"`
}

func (i *instrumentation) objectLabels() map[string]string { return i.Labels }

func (e *externalSecret) objectLabels() map[string]string { return e.Labels }

func (e *externalSecret) validate() error {
	s := e.Spec
	if s.SecretStoreRef.Kind != "SecretStore" && s.SecretStoreRef.Kind != "ClusterSecretStore" {
		return fmt.Errorf("ExternalSecret %s: secretStoreRef.kind %q", e.Name, s.SecretStoreRef.Kind)
	}
	if !strings.Contains("Owner Orphan Merge None", s.Target.CreationPolicy) || len(s.Data) == 0 {
		return fmt.Errorf("ExternalSecret %s: bad target or no data", e.Name)
	}
	return nil
}

func mimirValues(replicas int) map[string]any {
	return map[string]any{
		"image":          map[string]any{"repository": "grafana/mimir", "tag": "3.1.1"},
		"replicas":       replicas,
		"resources":      map[string]any{"requests": map[string]any{"cpu": "150m", "memory": "384Mi"}, "limits": map[string]any{"cpu": "1", "memory": "1536Mi"}},
		"serviceAccount": map[string]any{"name": "mimir", "annotations": map[string]any{"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/mimir"}},
		"persistence":    map[string]any{"size": "10Gi", "storageClass": "gp3"},
		"config": map[string]any{
			"multitenancy_enabled": false,
			"common":               map[string]any{"storage": map[string]any{"backend": "s3", "s3": map[string]any{"bucket_name": "eks-platform-dev-mimir-123456789012"}}},
			"ingester":             map[string]any{"ring": map[string]any{"replication_factor": replicas}},
		},
	}
}

func mimirChecks(replicas int) func(t *testing.T, d *decoded) {
	return func(t *testing.T, d *decoded) {
		sts := get[*k8sStatefulSet](t, d, "StatefulSet", "mimir")
		assertEq(t, "replicas", *sts.Spec.Replicas, int32(replicas))
		c := sts.Spec.Template.Spec.Containers[0]
		assertEq(t, "args", c.Args, []string{"-target=all", "-config.file=/etc/mimir/mimir.yaml"})
		assertEq(t, "cpu request", c.Resources.Requests.Cpu().String(), "150m")
		assertEq(t, "memory limit", c.Resources.Limits.Memory().String(), "1536Mi")
		assertEq(t, "image", c.Image, "grafana/mimir:3.1.1")
		assertEq(t, "readiness", c.ReadinessProbe.HTTPGet.Path, "/ready")
		assertEq(t, "service account", sts.Spec.Template.Spec.ServiceAccountName, "mimir")
		assertEq(t, "volume", sts.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests.Storage().String(), "10Gi")
		assertEq(t, "storage class", *sts.Spec.VolumeClaimTemplates[0].Spec.StorageClassName, "gp3")
		assertEq(t, "read-only root", *c.SecurityContext.ReadOnlyRootFilesystem, true)
		assertEq(t, "zone spread", len(sts.Spec.Template.Spec.TopologySpreadConstraints), map[bool]int{true: 2, false: 0}[replicas > 1])

		sa := get[*k8sServiceAccount](t, d, "ServiceAccount", "mimir")
		assertEq(t, "irsa", sa.Annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/mimir")
		svc := get[*k8sService](t, d, "Service", "mimir")
		assertEq(t, "http port", svc.Spec.Ports[0].Port, int32(8080))
		gossip := get[*k8sService](t, d, "Service", "mimir-gossip")
		assertEq(t, "headless", gossip.Spec.ClusterIP, "None")

		cm := get[*k8sConfigMap](t, d, "ConfigMap", "mimir-config")
		var cfg map[string]any
		if err := yaml.Unmarshal([]byte(cm.Data["mimir.yaml"]), &cfg); err != nil {
			t.Fatalf("mimir.yaml: %v", err)
		}
		members := cfg["memberlist"].(map[string]any)["join_members"].([]any)
		assertEq(t, "join", members, []any{"dns+mimir-gossip.monitoring.svc.cluster.local:7946"})
		assertEq(t, "bucket", cfg["common"].(map[string]any)["storage"].(map[string]any)["s3"].(map[string]any)["bucket_name"], any("eks-platform-dev-mimir-123456789012"))
		if sts.Spec.Template.Annotations["checksum/config"] == "" {
			t.Error("no config checksum: a config change would not roll the pods")
		}
		if replicas > 1 {
			pdb := get[*k8sPDB](t, d, "PodDisruptionBudget", "mimir")
			assertEq(t, "pdb", pdb.Spec.MaxUnavailable.IntValue(), 1)
		}
		sm := d.serviceMonitors["mimir"]
		if sm == nil || sm.Spec.Endpoints[0].Port != "http-metrics" {
			t.Errorf("ServiceMonitor mimir = %+v", sm)
		}
	}
}

// dashboard is the part of a Grafana dashboard model the tests check.
type dashboard struct {
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Templating struct {
		List []struct {
			Name string `json:"name"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		Title      string `json:"title"`
		Type       string `json:"type"`
		Datasource struct {
			UID string `json:"uid"`
		} `json:"datasource"`
		Targets []struct {
			Expr       string `json:"expr"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
		} `json:"targets"`
	} `json:"panels"`
}

func dashboardsCheck(withRules bool) func(t *testing.T, d *decoded) {
	return func(t *testing.T, d *decoded) {
		uids := map[string]bool{}
		vars := map[string][]string{}
		for _, o := range d.objs {
			if o.Kind != "ConfigMap" {
				continue
			}
			cm := get[*k8sConfigMap](t, d, "ConfigMap", o.Name)
			assertEq(t, o.Name+" label", cm.Labels["grafana_dashboard"], "1")
			assertEq(t, o.Name+" folder", cm.Annotations["grafana_folder"], "Platform")
			if len(cm.Data) != 1 {
				t.Fatalf("%s: %d data keys", o.Name, len(cm.Data))
			}
			for file, raw := range cm.Data {
				if !strings.HasSuffix(file, ".json") || !json.Valid([]byte(raw)) {
					t.Fatalf("%s/%s is not valid JSON", o.Name, file)
				}
				var db dashboard
				if err := json.Unmarshal([]byte(raw), &db); err != nil {
					t.Fatal(err)
				}
				if db.UID == "" || db.Title == "" || len(db.Panels) == 0 || uids[db.UID] {
					t.Errorf("%s: uid %q title %q panels %d (uids must be unique)", file, db.UID, db.Title, len(db.Panels))
				}
				uids[db.UID] = true
				for _, p := range db.Panels {
					if p.Datasource.UID != "mimir" || len(p.Targets) == 0 {
						t.Errorf("%s panel %q: datasource %q, %d targets", file, p.Title, p.Datasource.UID, len(p.Targets))
					}
					for _, tg := range p.Targets {
						if strings.TrimSpace(tg.Expr) == "" || tg.Datasource.UID != "mimir" || strings.Count(tg.Expr, "(") != strings.Count(tg.Expr, ")") {
							t.Errorf("%s panel %q: bad target %+v", file, p.Title, tg)
						}
					}
				}
				for _, v := range db.Templating.List {
					vars[db.UID] = append(vars[db.UID], v.Name)
				}
			}
		}
		for _, want := range []string{"platform-cluster", "platform-nodes", "platform-foundation", "platform-ingress",
			"platform-observability", "platform-capacity", "platform-red"} {
			if !uids[want] {
				t.Errorf("no dashboard %s (have %v)", want, uids)
			}
		}
		assertEq(t, "RED variables", vars["platform-red"], []string{"namespace", "service"})
		if !withRules {
			return
		}
		r := get[*prometheusRule](t, d, "PrometheusRule", "platform-capacity")
		records := map[string]int{}
		for _, g := range r.Spec.Groups {
			for _, rule := range g.Rules {
				records[rule.Record]++
				if rule.Record == "platform:workflow_budget_memory:bytes" && rule.Labels["workflow"] == "observability" {
					assertEq(t, "memory budget", rule.Expr.String(), "vector(2147483648)")
				}
			}
		}
		assertEq(t, "budget rules", records["platform:workflow_budget_cpu:millicores"], 2)
		assertEq(t, "namespace map", records["platform:namespace_workflow:info"], 3)
		assertEq(t, "usage rules", records["platform:workflow_requests_cpu:millicores"]+records["platform:workflow_requests_memory:bytes"], 2)
	}
}

func dashboardValues() map[string]any {
	return map[string]any{
		"budgets": []any{
			map[string]any{"workflow": "ingress", "cpuMillicores": 200, "memoryMiB": 500},
			map[string]any{"workflow": "observability", "cpuMillicores": 1000, "memoryMiB": 2048},
		},
		"workflows": []any{
			map[string]any{"workflow": "ingress", "namespaces": []any{"emissary", "cert-manager"}},
			map[string]any{"workflow": "observability", "namespaces": []any{"monitoring"}},
		},
	}
}

func init() {
	registerMirror("external-secrets.io/v1 ExternalSecret", func() mirror { return &externalSecret{} })
	registerMirror("opentelemetry.io/v1alpha1 Instrumentation", func() mirror { return &instrumentation{} })
	registerCases(
		renderCase{
			name: "otel-instrumentation", chart: charts.OTelInstrumentation, namespace: "monitoring",
			values: map[string]any{"endpoint": "http://otel-gateway.monitoring.svc.cluster.local:4318"},
			kinds:  map[string]int{"Instrumentation": 1},
			check: func(t *testing.T, d *decoded) {
				i := get[*instrumentation](t, d, "Instrumentation", "platform")
				assertEq(t, "endpoint", i.Spec.Exporter.Endpoint, "http://otel-gateway.monitoring.svc.cluster.local:4318")
				assertEq(t, "propagators", i.Spec.Propagators, []string{"tracecontext", "baggage"})
				assertEq(t, "sampler", i.Spec.Sampler.Type+" "+i.Spec.Sampler.Argument, "parentbased_traceidratio 1")
			},
		},
		renderCase{
			name: "mimir single replica", chart: charts.Mimir, namespace: "monitoring", values: mimirValues(1),
			kinds: map[string]int{"ServiceAccount": 1, "ConfigMap": 1, "Service": 2, "StatefulSet": 1, "ServiceMonitor": 1},
			check: mimirChecks(1),
		},
		renderCase{
			name: "mimir three replicas", chart: charts.Mimir, namespace: "monitoring", values: mimirValues(3),
			kinds: map[string]int{"ServiceAccount": 1, "ConfigMap": 1, "Service": 2, "StatefulSet": 1, "ServiceMonitor": 1, "PodDisruptionBudget": 1},
			check: mimirChecks(3),
		},
		renderCase{
			name: "platform-dashboards with budgets", chart: charts.PlatformDashboards, namespace: "monitoring", values: dashboardValues(),
			kinds: map[string]int{"ConfigMap": 7, "PrometheusRule": 1},
			check: dashboardsCheck(true),
		},
		renderCase{
			name: "platform-dashboards only", chart: charts.PlatformDashboards, namespace: "monitoring", values: nil,
			kinds: map[string]int{"ConfigMap": 7},
			check: dashboardsCheck(false),
		},
		renderCase{
			name: "alert-receiver", chart: charts.AlertReceiver, namespace: "monitoring",
			values: map[string]any{"secretName": "eks-platform-dev/alert-webhook"},
			kinds:  map[string]int{"ExternalSecret": 1},
			check: func(t *testing.T, d *decoded) {
				e := get[*externalSecret](t, d, "ExternalSecret", "alertmanager-receiver")
				assertEq(t, "store", e.Spec.SecretStoreRef, struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				}{"aws-secrets-manager", "ClusterSecretStore"})
				assertEq(t, "target", e.Spec.Target.Name, "alertmanager-receiver")
				assertEq(t, "key", e.Spec.Data[0].SecretKey, "url")
				assertEq(t, "remote", e.Spec.Data[0].RemoteRef.Key, "eks-platform-dev/alert-webhook")
			},
		},
	)
}

func TestObservabilityChartsRefuseBadValues(t *testing.T) {
	with := func(k string, v any) map[string]any {
		m := mimirValues(1)
		m[k] = v
		return m
	}
	cases := []struct {
		name, chart string
		values      map[string]any
		want        string
	}{
		{"mimir two replicas", charts.Mimir, with("replicas", 2), "replicas must be 1 or 3"},
		{"mimir without tag", charts.Mimir, with("image", map[string]any{"repository": "grafana/mimir", "tag": ""}), "image.tag is required"},
		{"mimir without config", charts.Mimir, with("config", map[string]any{}), "config is required"},
		{"mimir without resources", charts.Mimir, with("resources", map[string]any{}), "resources is required"},
		{"instrumentation without endpoint", charts.OTelInstrumentation, map[string]any{}, "endpoint is required"},
		{"receiver without secret", charts.AlertReceiver, map[string]any{}, "secretName is required"},
		{"budget without cpu", charts.PlatformDashboards, map[string]any{"budgets": []any{map[string]any{"workflow": "x", "memoryMiB": 1}}}, "cpuMillicores is required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(tc.chart), tc.values, "monitoring")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
