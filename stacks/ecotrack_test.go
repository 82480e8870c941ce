package stacks

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/capacity"
	"github.com/platformeng/eks-platform/examples/ecotrack"
)

// ecotrackFragment is examples/ecotrack/platform/dev.yaml: what EcoTrack adds to dev.
type ecotrackFragment struct {
	GitOps struct {
		Services []config.Service `yaml:"services"`
	} `yaml:"gitops"`
	DataServices struct {
		Namespaces []string          `yaml:"namespaces"`
		Budget     config.DataBudget `yaml:"budget"`
		Postgres   []config.Postgres `yaml:"postgres"`
		Redis      []config.Redis    `yaml:"redis"`
		Kafka      []config.Kafka    `yaml:"kafka"`
	} `yaml:"dataServices"`
}

// withEcoTrack applies examples/ecotrack/platform/dev.yaml to a dev configuration (lists
// appended, budget replaced); synthPlatform validates the result with the config rules.
func withEcoTrack(t *testing.T) func(*config.Config) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(ecotrack.Root(), "platform", "dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f ecotrackFragment
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("examples/ecotrack/platform/dev.yaml: %v", err)
	}
	return func(c *config.Config) {
		c.GitOps.Services = append(c.GitOps.Services, f.GitOps.Services...)
		d := &c.DataServices
		d.Namespaces = append(d.Namespaces, f.DataServices.Namespaces...)
		d.Budget = f.DataServices.Budget
		d.Postgres = append(d.Postgres, f.DataServices.Postgres...)
		d.Redis = append(d.Redis, f.DataServices.Redis...)
		d.Kafka = append(d.Kafka, f.DataServices.Kafka...)
	}
}

// TestEcoTrackApplicationSet: with EcoTrack's services in dev's configuration, the gitops
// stack's ApplicationSet, evaluated against examples/ecotrack as Argo CD's Git directory
// generator would, creates exactly EcoTrack's five Applications, into the team's namespace.
func TestEcoTrackApplicationSet(t *testing.T) {
	d := synthPlatform(t, "dev", "ecotrack", withEcoTrack(t))["gitops"]
	_, values := d.release(t, "argocd-platform")
	objs, err := render.Render(charts.Path(charts.ArgoCDPlatform), values, ArgoCDNamespace)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, svc := range ecotrack.Services {
		for _, env := range []string{"dev", "staging", "prod"} {
			dirs = append(dirs, "apps/"+env, "apps/"+env+"/"+svc)
		}
	}
	var got []generatedApp
	for _, o := range render.Find(objs, "ApplicationSet", "") {
		var as appSetDoc
		if err := sigsyaml.Unmarshal(o.Raw, &as); err != nil {
			t.Fatal(err)
		}
		got = append(got, generate(t, as, dirs)...)
	}
	slices.SortFunc(got, func(a, b generatedApp) int { return strings.Compare(a.Name, b.Name) })
	var want []generatedApp
	for _, svc := range ecotrack.Services {
		want = append(want, generatedApp{svc, "ecotrack", ecotrack.Namespace, "apps/dev/" + svc})
	}
	eq(t, "applications", got, want)
	// The directories used above are the example's real ones.
	for _, a := range got {
		if _, err := os.Stat(filepath.Join(ecotrack.Root(), a.Path, "kustomization.yaml")); err != nil {
			t.Error(err)
		}
	}
	// Each service also gets its ECR repository, named as the kustomizations pin it.
	for _, svc := range ecotrack.Services {
		s, err := ecotrack.Build("dev", svc)
		if err != nil {
			t.Fatal(err)
		}
		name := "eks-platform-dev/" + svc
		if !strings.HasSuffix(s.Kustomization.Images[0].NewName, "/"+name) {
			t.Errorf("%s: image %s is not ECR repository %s", svc, s.Kustomization.Images[0].NewName, name)
		}
		eq(t, svc+" ECR repository", at(t, d, "resource", "aws_ecr_repository", "ecr-"+svc, "name"), name)
	}
}

// ecotrackFootprints are EcoTrack's pods in env as rendered: per Deployment its replicas (the
// HPA minimum when autoscaled) with the container's requests and limits, and the mesh sidecar
// of every pod (serviceMesh.proxy) as a sidecar footprint.
func ecotrackFootprints(t *testing.T, cfg *config.Config, env string) []capacity.Footprint {
	t.Helper()
	var fps []capacity.Footprint
	proxy := cfg.ServiceMesh.Proxy
	for _, svc := range ecotrack.Services {
		s, err := ecotrack.Build(env, svc)
		if err != nil {
			t.Fatal(err)
		}
		min := map[string]int{}
		for _, o := range render.Find(s.Objects, "HorizontalPodAutoscaler", "") {
			var h struct {
				Spec struct {
					MinReplicas    int `json:"minReplicas"`
					ScaleTargetRef struct {
						Name string `json:"name"`
					} `json:"scaleTargetRef"`
				} `json:"spec"`
			}
			if err := sigsyaml.Unmarshal(o.Raw, &h); err != nil {
				t.Fatal(err)
			}
			min[h.Spec.ScaleTargetRef.Name] = h.Spec.MinReplicas
		}
		for _, o := range render.Find(s.Objects, "Deployment", "") {
			var dep appsv1.Deployment
			if err := render.DecodeStrict(o.Raw, &dep); err != nil {
				t.Fatal(err)
			}
			replicas := min[dep.Name]
			if dep.Spec.Replicas != nil {
				replicas = int(*dep.Spec.Replicas)
			}
			if replicas == 0 {
				t.Fatalf("%s/%s: no replica count", env, dep.Name)
			}
			c := dep.Spec.Template.Spec.Containers[0].Resources
			fps = append(fps, capacity.Footprint{Workflow: "ecotrack", Component: dep.Name, Replicas: replicas,
				Requests: capacity.Resources{CPU: c.Requests.Cpu().String(), Memory: c.Requests.Memory().String()},
				Limits:   capacity.Resources{CPU: c.Limits.Cpu().String(), Memory: c.Limits.Memory().String()}})
			if cfg.ServiceMesh.Mode == config.MeshSidecar && dep.Spec.Template.Labels[PodInjectionLabel] != "false" {
				fps = append(fps, capacity.Footprint{Workflow: "ecotrack", Component: dep.Name + " istio-proxy", Replicas: replicas, Sidecar: true,
					Requests: capacity.Resources{CPU: proxy.CPURequest, Memory: proxy.MemoryRequest},
					Limits:   capacity.Resources{CPU: proxy.CPULimit, Memory: proxy.MemoryLimit}})
			}
		}
	}
	return fps
}

var ecotrackFigureRe = regexp.MustCompile(`(?s)<!-- capacity:begin -->\n(.*?)\n<!-- capacity:end -->`)

// TestEcoTrackCapacity: EcoTrack in dev (its five services at their real replica counts and
// resources, each pod with its sidecar, plus its data instances from the platform fragment)
// next to the full platform fits dev's minimum node group, by the capacity model the synth
// check uses. The figure is examples/ecotrack/README.md's: the test fails when it is stale.
func TestEcoTrackCapacity(t *testing.T) {
	synthPlatform(t, "dev", "ecotrack", withEcoTrack(t))
	synthMu.Lock()
	p := synthCache["dev/ecotrack"].platform
	synthMu.Unlock()
	base := synthPlatformApp(t, "dev")

	fps := ecotrackFootprints(t, p.Config, "dev")
	l := &capacity.Ledger{}
	l.Add(p.Ledger.Entries()...)
	l.Add(fps...)
	pods := 0
	for _, f := range fps {
		if !f.Sidecar {
			pods += f.Replicas
		}
	}
	if pods < 15 {
		t.Errorf("EcoTrack runs %d pods; five services at 3 replicas are at least 15", pods)
	}
	withApp, err := p.check(l)
	if err != nil {
		t.Fatalf("EcoTrack does not fit dev next to the platform: %v", err)
	}
	before, err := base.Capacity()
	if err != nil {
		t.Fatal(err)
	}
	app := withApp.ByWorkflow["ecotrack"]
	data := withApp.ByWorkflow["data-services"]
	dataBefore := before.ByWorkflow["data-services"]
	r := withApp
	figure := fmt.Sprintf("EcoTrack in dev: %d pods requesting %dm CPU / %dMi memory (services and their sidecars), "+
		"plus %dm / %dMi for its data instances. Platform and EcoTrack together request %dm CPU / %dMi memory / %d pods "+
		"of %dm / %dMi / %d allocatable on %d x %s: it fits, with room left for %d more services at the brief's defaults.",
		app.Pods, app.CPUReqMilli, app.MemReqMiB, data.CPUReqMilli-dataBefore.CPUReqMilli, data.MemReqMiB-dataBefore.MemReqMiB,
		r.Total.CPUReqMilli, r.Total.MemReqMiB, r.Total.Pods, r.Allocatable.CPUReqMilli, r.Allocatable.MemReqMiB, r.Allocatable.Pods,
		r.Nodes.Count, r.Node.InstanceType, r.ServicesFit)
	t.Log(figure)
	t.Log("\n" + r.String())
	if data.CPUReqMilli <= dataBefore.CPUReqMilli || data.MemReqMiB <= dataBefore.MemReqMiB {
		t.Errorf("EcoTrack's data instances added nothing to data-services (%+v -> %+v)", dataBefore, data)
	}

	readme, err := os.ReadFile(filepath.Join(ecotrack.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := ecotrackFigureRe.FindSubmatch(readme)
	if m == nil {
		t.Fatal("examples/ecotrack/README.md has no <!-- capacity:begin --> ... <!-- capacity:end --> block")
	}
	if got := strings.TrimSpace(string(m[1])); got != figure {
		t.Errorf("examples/ecotrack/README.md's capacity figure is stale; replace it with:\n%s", figure)
	}
}

// TestMicroserviceChartMatchesContracts: the golden-path chart's telemetry defaults are what the
// observability stack serves: the gateway's OTLP/HTTP endpoint (stacks/contracts.go) and the
// Instrumentation it installs (release otel-instrumentation: namespace and name).
func TestMicroserviceChartMatchesContracts(t *testing.T) {
	var values struct {
		Telemetry struct {
			Instrumentation string `json:"instrumentation"`
			OTLPEndpoint    string `json:"otlpEndpoint"`
		} `json:"telemetry"`
		SecretStore string `json:"secretStore"`
	}
	raw, err := os.ReadFile(filepath.Join(charts.Path(charts.Microservice), "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sigsyaml.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	obs := DefaultObservabilityOutputs(nil)
	eq(t, "OTLP endpoint", values.Telemetry.OTLPEndpoint, obs.OTLPHTTP)
	r, v := observability(t, "dev").release(t, "otel-instrumentation")
	eq(t, "Instrumentation", values.Telemetry.Instrumentation, fmt.Sprintf("%s/%s", r["namespace"], v["name"]))
	eq(t, "secret store", values.SecretStore, DefaultSecurityOutputs(nil).OpenBaoStore)
}
