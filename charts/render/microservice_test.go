package render_test

// Render tests of the golden-path chart charts/microservice: every object decodes strictly into
// its upstream Go type (Kubernetes), the Istio message with protojson (servicemesh_test.go's
// mirrors) or a typed mirror (other custom resources); the values that matter land where the
// platform's stacks expect them; and every object passes the security stack's Gatekeeper
// constraints (the Rego of charts/gatekeeper-templates, evaluated by charts/policy with the
// parameters of the dev environment), while each unsafe value is refused by the chart or by
// the policy that guards it.

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/policy"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
)

// msExternalSecret mirrors external-secrets.io/v1 ExternalSecret (apis/externalsecrets/v1/
// externalsecret_types.go): the fields the chart sets.
type msExternalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		RefreshInterval string `json:"refreshInterval"`
		SecretStoreRef  struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"secretStoreRef"`
		Target struct {
			Name           string `json:"name"`
			CreationPolicy string `json:"creationPolicy"`
		} `json:"target"`
		Data []struct {
			SecretKey string `json:"secretKey"`
			RemoteRef struct {
				Key      string `json:"key"`
				Property string `json:"property"`
			} `json:"remoteRef"`
		} `json:"data"`
	} `json:"spec"`
}

func (e *msExternalSecret) objectLabels() map[string]string { return e.Labels }

func init() {
	registerMirror("external-secrets.io/v1 ExternalSecret", func() mirror { return &msExternalSecret{} })
	registerCases(
		renderCase{
			name: "microservice defaults", chart: charts.Microservice, namespace: "ecotrack",
			values: microserviceValues(),
			kinds: map[string]int{"Deployment": 1, "Service": 1, "ServiceAccount": 1, "HorizontalPodAutoscaler": 1,
				"PodDisruptionBudget": 1, "DestinationRule": 1, "VirtualService": 1},
			check: checkMicroserviceDefaults,
		},
		renderCase{
			name: "microservice everything", chart: charts.Microservice, namespace: "ecotrack",
			values: microserviceFullValues(),
			kinds: map[string]int{"Deployment": 2, "Service": 1, "ServiceAccount": 1, "HorizontalPodAutoscaler": 1,
				"PodDisruptionBudget": 1, "DestinationRule": 1, "VirtualService": 1, "AuthorizationPolicy": 1,
				"Mapping": 1, "ExternalSecret": 1, "KafkaTopic": 1, "KafkaUser": 1},
			check: checkMicroserviceFull,
		},
		renderCase{
			name: "microservice outside the mesh", chart: charts.Microservice, namespace: "legacy",
			values: withValue(microserviceValues(), "mesh.enabled", false),
			kinds: map[string]int{"Deployment": 1, "Service": 1, "ServiceAccount": 1, "HorizontalPodAutoscaler": 1,
				"PodDisruptionBudget": 1, "ServiceMonitor": 1},
			check: func(t *testing.T, d *decoded) {
				dep := get[*k8sDeployment](t, d, "Deployment", "readings")
				assertEq(t, "sidecar opt-out", dep.Spec.Template.Labels["sidecar.istio.io/inject"], "false")
				assertEq(t, "no merged-metrics annotation", dep.Spec.Template.Annotations["prometheus.io/scrape"], "")
				sm := d.serviceMonitors["readings"]
				assertEq(t, "ServiceMonitor port", sm.Spec.Endpoints[0].Port, "http-api")
			},
		},
	)
}

// msECR is the account's ECR registry in these tests (the same account as security_test.go).
const msECR = ecr + "eks-platform-dev/"

func microserviceValues() map[string]any {
	return map[string]any{
		"name": "readings", "team": "ecotrack", "partOf": "ecotrack",
		"image": map[string]any{"repository": msECR + "readings", "tag": "3f2a1b9c"},
	}
}

func microserviceFullValues() map[string]any {
	v := microserviceValues()
	v["env"] = map[string]any{"LOG_LEVEL": "info"}
	v["secrets"] = []any{map[string]any{"env": "INGEST_API_KEY", "path": "ecotrack/readings", "key": "ingest-api-key"}}
	v["public"] = map[string]any{"enabled": true, "host": "ecotrack", "domain": "dev.platform.example.com", "prefix": "/api/readings/"}
	v["mesh"] = map[string]any{
		"allowFrom": []any{map[string]any{"namespace": "billing", "serviceAccount": "invoices"}},
		"canary":    map[string]any{"enabled": true, "tag": "4e5d6c7b", "weight": 20},
	}
	v["telemetry"] = map[string]any{"language": "java"}
	v["database"] = map[string]any{"enabled": true, "cluster": "readings-db"}
	v["cache"] = map[string]any{"enabled": true, "redisFailover": "ecotrack-cache"}
	v["kafka"] = map[string]any{"cluster": "ecotrack-kafka", "topicPrefix": "ecotrack.readings",
		"topics":   []any{map[string]any{"name": "ecotrack.readings", "partitions": 3, "replicas": 1}},
		"consumes": []any{"ecotrack.devices"}}
	return v
}

// withValue returns a deep copy of values with the dotted path set to v.
func withValue(values map[string]any, path string, v any) map[string]any {
	out := map[string]any{}
	b, _ := yaml.Marshal(values)
	_ = yaml.Unmarshal(b, &out)
	keys := strings.Split(path, ".")
	m := out
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
	return out
}

func envVar(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

func checkMicroserviceDefaults(t *testing.T, d *decoded) {
	dep := get[*k8sDeployment](t, d, "Deployment", "readings")
	pod := dep.Spec.Template
	c := pod.Spec.Containers[0]
	assertEq(t, "requests", c.Resources.Requests.Cpu().String()+"/"+c.Resources.Requests.Memory().String(), "100m/256Mi")
	assertEq(t, "limits", c.Resources.Limits.Cpu().String()+"/"+c.Resources.Limits.Memory().String(), "300m/512Mi")
	assertEq(t, "replicas left to the HPA", dep.Spec.Replicas, (*int32)(nil))
	for _, k := range []string{"app.kubernetes.io/name", "team", "app", "version"} {
		if pod.Labels[k] == "" {
			t.Errorf("pod label %s missing: %v", k, pod.Labels)
		}
	}
	assertEq(t, "part-of is the application", dep.Labels["app.kubernetes.io/part-of"], "ecotrack")
	assertEq(t, "read-only root", *c.SecurityContext.ReadOnlyRootFilesystem, true)
	assertEq(t, "no escalation", *c.SecurityContext.AllowPrivilegeEscalation, false)
	assertEq(t, "non-root", *pod.Spec.SecurityContext.RunAsNonRoot, true)
	assertEq(t, "image", c.Image, msECR+"readings:3f2a1b9c")
	assertEq(t, "probes", [2]string{c.LivenessProbe.HTTPGet.Path, c.ReadinessProbe.HTTPGet.Path}, [2]string{"/healthz", "/ready"})
	assertEq(t, "preStop sleep", c.Lifecycle.PreStop.Sleep.Seconds, int64(5))
	assertEq(t, "grace period", *pod.Spec.TerminationGracePeriodSeconds, int64(30))
	assertEq(t, "zone spread", pod.Spec.TopologySpreadConstraints[0].TopologyKey, "topology.kubernetes.io/zone")
	assertEq(t, "own service account", pod.Spec.ServiceAccountName, "readings")
	// Metrics of a meshed pod: annotations the sidecar merges on :15020 (docs/workflows/06).
	assertEq(t, "prometheus annotations", [3]string{pod.Annotations["prometheus.io/scrape"], pod.Annotations["prometheus.io/port"], pod.Annotations["prometheus.io/path"]},
		[3]string{"true", "8080", "/metrics"})
	// OpenTelemetry: the gateway of stacks/contracts.go, no auto-instrumentation by default.
	assertEq(t, "OTLP endpoint", envVar(c, "OTEL_EXPORTER_OTLP_ENDPOINT").Value, "http://otel-gateway.monitoring.svc.cluster.local:4318")
	for k := range pod.Annotations {
		if strings.HasPrefix(k, "instrumentation.opentelemetry.io/") {
			t.Errorf("instrumentation annotation %s without telemetry.language", k)
		}
	}
	h := get[*k8sHPA](t, d, "HorizontalPodAutoscaler", "readings")
	assertEq(t, "hpa min/max", [2]int32{*h.Spec.MinReplicas, h.Spec.MaxReplicas}, [2]int32{3, 10})
	assertEq(t, "hpa target", h.Spec.ScaleTargetRef.Name, "readings")
	p := get[*k8sPDB](t, d, "PodDisruptionBudget", "readings")
	assertEq(t, "pdb", p.Spec.MaxUnavailable.IntValue(), 1)
	svc := get[*k8sService](t, d, "Service", "readings")
	assertEq(t, "service port", [2]any{svc.Spec.Ports[0].Name, svc.Spec.Ports[0].Port}, [2]any{"http-api", int32(80)})
	vs := get[*virtualService](t, d, "VirtualService", "readings")
	r := vs.Spec.GetHttp()[0]
	// The mesh-traffic chart's defaults: 2s, 3 x 0.5s.
	assertEq(t, "timeout", r.GetTimeout().AsDuration().String(), "2s")
	assertEq(t, "retries", [2]any{r.GetRetries().GetAttempts(), r.GetRetries().GetPerTryTimeout().AsDuration().String()}, [2]any{int32(3), "500ms"})
	assertEq(t, "one route", len(r.GetRoute()), 1)
	dr := get[*destinationRule](t, d, "DestinationRule", "readings")
	assertEq(t, "mTLS", dr.Spec.GetTrafficPolicy().GetTls().GetMode().String(), "ISTIO_MUTUAL")
}

func checkMicroserviceFull(t *testing.T, d *decoded) {
	dep := get[*k8sDeployment](t, d, "Deployment", "readings")
	c := dep.Spec.Template.Spec.Containers[0]
	ref := func(name string) string {
		e := envVar(c, name)
		if e == nil || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Fatalf("env %s is not from a Secret", name)
		}
		return e.ValueFrom.SecretKeyRef.Name + "/" + e.ValueFrom.SecretKeyRef.Key
	}
	// Names the data-services stack writes (docs/workflows/07-data-services.md).
	assertEq(t, "DATABASE_URL", ref("DATABASE_URL"), "readings-db-app/uri")
	assertEq(t, "PGHOST", envVar(c, "PGHOST").Value, "readings-db-rw")
	assertEq(t, "REDIS_PASSWORD", ref("REDIS_PASSWORD"), "redis-ecotrack-cache-auth/password")
	assertEq(t, "sentinel", envVar(c, "REDIS_SENTINEL_ADDR").Value, "rfs-ecotrack-cache.ecotrack.svc:26379")
	assertEq(t, "KAFKA_SASL_PASSWORD", ref("KAFKA_SASL_PASSWORD"), "readings/password")
	assertEq(t, "bootstrap", envVar(c, "KAFKA_BOOTSTRAP_SERVERS").Value, "ecotrack-kafka-kafka-bootstrap.ecotrack.svc:9093")
	assertEq(t, "INGEST_API_KEY", ref("INGEST_API_KEY"), "readings-secrets/INGEST_API_KEY")
	assertEq(t, "LOG_LEVEL", envVar(c, "LOG_LEVEL").Value, "info")
	var ca string
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			ca = v.Secret.SecretName
		}
	}
	assertEq(t, "cluster CA volume", ca, "ecotrack-kafka-cluster-ca-cert")
	assertEq(t, "auto-instrumentation", dep.Spec.Template.Annotations["instrumentation.opentelemetry.io/inject-java"], "monitoring/platform")

	canary := get[*k8sDeployment](t, d, "Deployment", "readings-canary")
	assertEq(t, "canary replicas", *canary.Spec.Replicas, int32(1))
	assertEq(t, "canary image", canary.Spec.Template.Spec.Containers[0].Image, msECR+"readings:4e5d6c7b")
	assertEq(t, "canary version", canary.Spec.Template.Labels["version"], "canary")
	vs := get[*virtualService](t, d, "VirtualService", "readings")
	var weights []int32
	for _, r := range vs.Spec.GetHttp()[0].GetRoute() {
		weights = append(weights, r.GetWeight())
	}
	assertEq(t, "canary split", weights, []int32{80, 20})
	dr := get[*destinationRule](t, d, "DestinationRule", "readings")
	assertEq(t, "subsets", len(dr.Spec.GetSubsets()), 2)
	ap := get[*authorizationPolicy](t, d, "AuthorizationPolicy", "allow-billing-invoices")
	assertEq(t, "caller", ap.Spec.GetRules()[0].GetFrom()[0].GetSource().GetPrincipals(), []string{"cluster.local/ns/billing/sa/invoices"})
	assertEq(t, "selector", ap.Spec.GetSelector().GetMatchLabels(), map[string]string{"app": "readings"})

	m := get[*mapping](t, d, "Mapping", "readings")
	assertEq(t, "public host", m.Spec.Hostname, "ecotrack.dev.platform.example.com")
	assertEq(t, "backend", m.Spec.Service, "readings.ecotrack:80")
	es := get[*msExternalSecret](t, d, "ExternalSecret", "readings-secrets")
	assertEq(t, "store", es.Spec.SecretStoreRef.Kind+"/"+es.Spec.SecretStoreRef.Name, "ClusterSecretStore/openbao")
	assertEq(t, "remote key", es.Spec.Data[0].RemoteRef.Key+"#"+es.Spec.Data[0].RemoteRef.Property, "ecotrack/readings#ingest-api-key")

	ku := get[*kafkaUser](t, d, "KafkaUser", "readings")
	assertEq(t, "cluster label", ku.Labels["strimzi.io/cluster"], "ecotrack-kafka")
	assertEq(t, "SCRAM", ku.Spec.Authentication.Type, "scram-sha-512")
	var acls []string
	for _, a := range ku.Spec.Authorization.ACLs {
		acls = append(acls, a.Resource.Type+":"+a.Resource.Name+":"+a.Resource.PatternType+":"+strings.Join(a.Operations, ","))
	}
	assertEq(t, "ACLs", acls, []string{
		"topic:ecotrack.readings:prefix:Describe,Read,Write,Create",
		"topic:ecotrack.devices:literal:Describe,Read",
		"group:readings:literal:Describe,Read",
	})
	kt := get[*kafkaTopic](t, d, "KafkaTopic", "ecotrack.readings")
	assertEq(t, "topic", [3]any{kt.Labels["strimzi.io/cluster"], kt.Spec.Partitions, kt.Spec.Replicas}, [3]any{"ecotrack-kafka", 3, 1})
}

// envConfig loads config/environments/<env>.yaml.
func envConfig(t *testing.T, env string) *config.Config {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	cfg, err := config.Load(filepath.Join(filepath.Dir(file), "..", "..", "config", "environments"), env)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// microservicePolicies are the security stack's templates and constraints with an
// environment's parameters: exempt namespaces, registries (the account's ECR registry first)
// and LoadBalancer namespaces from config/environments/<env>.yaml, as stacks/security.go
// passes them.
func microservicePolicies(t *testing.T, env, ecrRegistry string) *policy.Set {
	t.Helper()
	gc := envConfig(t, env).Security.Gatekeeper
	tmpl, err := render.Render(charts.Path(charts.GatekeeperTemplates), templatesValues(), "gatekeeper-system")
	if err != nil {
		t.Fatal(err)
	}
	registries := []any{ecrRegistry}
	for _, r := range gc.AllowedRegistries {
		registries = append(registries, r)
	}
	cons, err := render.Render(charts.Path(charts.GatekeeperConstraints), map[string]any{
		"enforcementAction": gc.Enforcement, "excludedNamespaces": toAnySlice(gc.ExemptNamespaces),
		"allowedRegistries": registries, "loadBalancerNamespaces": toAnySlice(gc.LoadBalancerNamespaces),
	}, "gatekeeper-system")
	if err != nil {
		t.Fatal(err)
	}
	set, err := policy.Load(tmpl, cons)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Constraints) < 10 {
		t.Fatalf("only %d constraints loaded", len(set.Constraints))
	}
	return set
}

// reviewAll reviews every rendered object and returns the violated constraint kinds, sorted.
func reviewAll(t *testing.T, set *policy.Set, objs []render.Object, ns string) []string {
	t.Helper()
	var kinds []string
	for _, o := range objs {
		var obj map[string]any
		if err := yaml.Unmarshal(o.Raw, &obj); err != nil {
			t.Fatal(err)
		}
		vs, err := set.Review(obj, ns)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			t.Logf("%s %s: %s", o.Kind, o.Name, v)
			kind, _, _ := strings.Cut(v.Constraint, "/")
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	slices.Sort(kinds)
	return kinds
}

// TestMicroservicePolicies: the defaults and every feature pass every constraint; each unsafe
// value is refused, by the chart where it can tell (the earliest, clearest error) and always by
// the Gatekeeper policy that guards it (checked on the rendered object patched the same way when
// the chart refuses first), so the chart is not the only line of defence.
func TestMicroservicePolicies(t *testing.T) {
	set := microservicePolicies(t, "dev", ecr)
	for name, values := range map[string]map[string]any{"defaults": microserviceValues(), "everything": microserviceFullValues()} {
		objs, err := render.Render(charts.Path(charts.Microservice), values, "ecotrack")
		if err != nil {
			t.Fatal(err)
		}
		if got := reviewAll(t, set, objs, "ecotrack"); len(got) != 0 {
			t.Errorf("%s: violations of %v", name, got)
		}
	}

	deploymentPatch := func(f func(pod, c map[string]any)) func(kind string, obj map[string]any) {
		return func(kind string, obj map[string]any) {
			if kind != "Deployment" {
				return
			}
			pod := obj["spec"].(map[string]any)["template"].(map[string]any)
			c := pod["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
			f(pod, c)
		}
	}
	tests := []struct {
		name   string
		values map[string]any
		// renderErr: the chart refuses the value with this message; patch then makes the same
		// change to the rendered defaults for the policy check.
		renderErr string
		patch     func(kind string, obj map[string]any)
		want      string // the constraint kind violated
	}{
		{name: "latest tag", values: withValue(microserviceValues(), "image.tag", "latest"), renderErr: "never empty or latest",
			patch: deploymentPatch(func(_, c map[string]any) { c["image"] = msECR + "readings:latest" }), want: "K8sPlatformImageTag"},
		{name: "foreign registry", values: withValue(microserviceValues(), "image.repository", "docker.io/library/nginx"), want: "K8sPlatformAllowedRegistries"},
		{name: "look-alike registry", values: withValue(microserviceValues(), "image.repository", strings.TrimSuffix(ecr, "/")+".evil.example/readings"), want: "K8sPlatformAllowedRegistries"},
		{name: "no team", values: withValue(microserviceValues(), "team", ""), renderErr: "team is required",
			patch: deploymentPatch(func(pod, _ map[string]any) {
				delete(pod["metadata"].(map[string]any)["labels"].(map[string]any), "team")
			}), want: "K8sPlatformRequiredLabels"},
		{name: "privileged", values: withValue(microserviceValues(), "containerSecurityContext", map[string]any{"privileged": true}), want: "K8sPlatformNoPrivileged"},
		{name: "writable root filesystem", values: withValue(microserviceValues(), "containerSecurityContext", map[string]any{"readOnlyRootFilesystem": false}), want: "K8sPlatformReadOnlyRootFS"},
		{name: "root user", values: withValue(microserviceValues(), "podSecurityContext", map[string]any{"runAsNonRoot": false, "runAsUser": 0}), want: "K8sPlatformRunAsNonRoot"},
		{name: "no liveness probe", values: withValue(microserviceValues(), "probes.liveness", ""), want: "K8sPlatformProbes"},
		{name: "no readiness probe", values: withValue(microserviceValues(), "probes.readiness", ""), want: "K8sPlatformProbes"},
		{name: "no limits", values: withValue(microserviceValues(), "resources.limits", nil), want: "K8sPlatformContainerResources"},
		{name: "no requests", values: withValue(microserviceValues(), "resources.requests", nil), want: "K8sPlatformContainerResources"},
		{name: "host network (not a value)", values: microserviceValues(),
			patch: deploymentPatch(func(pod, _ map[string]any) { pod["spec"].(map[string]any)["hostNetwork"] = true }), want: "K8sPlatformNoHostAccess"},
		{name: "hostPath volume (not a value)", values: microserviceValues(),
			patch: deploymentPatch(func(pod, _ map[string]any) {
				spec := pod["spec"].(map[string]any)
				spec["volumes"] = append(spec["volumes"].([]any), map[string]any{"name": "host", "hostPath": map[string]any{"path": "/"}})
			}), want: "K8sPlatformNoHostAccess"},
		{name: "LoadBalancer Service (not a value)", values: microserviceValues(),
			patch: func(kind string, obj map[string]any) {
				if kind == "Service" {
					obj["spec"].(map[string]any)["type"] = "LoadBalancer"
				}
			}, want: "K8sPlatformLoadBalancer"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, err := render.Render(charts.Path(charts.Microservice), tt.values, "ecotrack")
			if tt.renderErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.renderErr) {
					t.Fatalf("render err = %v, want %q", err, tt.renderErr)
				}
				if objs, err = render.Render(charts.Path(charts.Microservice), microserviceValues(), "ecotrack"); err != nil {
					t.Fatal(err)
				}
			} else if err != nil {
				t.Fatalf("render: %v", err)
			}
			if tt.patch != nil {
				for i, o := range objs {
					var obj map[string]any
					if err := yaml.Unmarshal(o.Raw, &obj); err != nil {
						t.Fatal(err)
					}
					tt.patch(o.Kind, obj)
					if objs[i].Raw, err = yaml.Marshal(obj); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := reviewAll(t, set, objs, "ecotrack")
			assertEq(t, "violated constraints", got, []string{tt.want})
			covered[tt.want] = true
		})
	}
	// Every constraint of the security stack is exercised by at least one unsafe value.
	for _, c := range set.Constraints {
		if !covered[c.Kind] {
			t.Errorf("no case violates %s/%s", c.Kind, c.Name)
		}
	}
}

func TestMicroserviceRefusesBadValues(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]any
		want   string
	}{
		{"empty tag", withValue(microserviceValues(), "image.tag", ""), "never empty or latest"},
		{"no repository", withValue(microserviceValues(), "image.repository", ""), "image.repository is required"},
		{"bad name", withValue(microserviceValues(), "name", "Readings_API"), "must be a DNS label"},
		{"no name", withValue(microserviceValues(), "name", ""), "name is required"},
		{"canary weight 100", withValue(microserviceFullValues(), "mesh.canary.weight", 100), "between 1 and 99"},
		{"canary same tag", withValue(microserviceFullValues(), "mesh.canary.tag", "3f2a1b9c"), "must differ"},
		{"canary without mesh", withValue(microserviceFullValues(), "mesh.enabled", false), "needs mesh.enabled"},
		{"milliseconds duration", withValue(microserviceValues(), "mesh.timeout", "500ms"), "Istio duration"},
		{"too many retries", withValue(microserviceValues(), "mesh.retries.attempts", 11), "from 0 to 10"},
		{"caller without account", withValue(microserviceValues(), "mesh.allowFrom", []any{map[string]any{"namespace": "x"}}), "need namespace and serviceAccount"},
		{"public without host", withValue(microserviceValues(), "public", map[string]any{"enabled": true, "domain": "d.example.com"}), "public.host is required"},
		{"public host with dots", withValue(microserviceFullValues(), "public.host", "a.b"), "one DNS label"},
		{"database without cluster", withValue(microserviceValues(), "database", map[string]any{"enabled": true}), "database.cluster is required"},
		{"cache without failover", withValue(microserviceValues(), "cache", map[string]any{"enabled": true}), "cache.redisFailover is required"},
		{"topic outside prefix", withValue(microserviceFullValues(), "kafka.topicPrefix", "other."), "must start with kafka.topicPrefix"},
		{"kafka without cluster", withValue(microserviceFullValues(), "kafka.cluster", ""), "kafka.cluster is required"},
		{"unknown language", withValue(microserviceValues(), "telemetry.language", "cobol"), "telemetry.language must be one of"},
		{"secret without path", withValue(microserviceValues(), "secrets", []any{map[string]any{"env": "A", "key": "a"}}), "needs path"},
		// The chart refuses it before Gatekeeper would (privileged.rego).
		{"privilege escalation", withValue(microserviceValues(), "containerSecurityContext", map[string]any{"allowPrivilegeEscalation": true}), "allowPrivilegeEscalation must stay false"},
		{"bad autoscaling", withValue(microserviceValues(), "autoscaling.maxReplicas", 2), "minReplicas <= maxReplicas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(charts.Microservice), tt.values, "ecotrack")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
