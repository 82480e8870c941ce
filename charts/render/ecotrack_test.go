package render_test

// The EcoTrack example (examples/ecotrack): every service of every environment, built as Argo CD
// builds it (the golden-path chart with the directory's values, then the kustomization's image
// pins), decodes strictly, passes every Gatekeeper constraint with that environment's
// parameters, and lands in a namespace the environment's service mesh enrols.

import (
	"fmt"
	"slices"
	"testing"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/policy"
	"github.com/platformeng/eks-platform/charts/render"
	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/examples/ecotrack"
)

// meshInjectionLabel is stacks.InjectionLabel, the namespace label the service-mesh stack sets
// (not imported: charts/render tests stay free of the CDKTF packages).
const meshInjectionLabel = "istio-injection"

// ecotrackAccount is the account of the example's image pins (as in examples/gitops-repo).
const ecotrackAccount = "123456789012"

func TestEcoTrackPassesPolicies(t *testing.T) {
	services, err := ecotrack.Load()
	if err != nil {
		t.Fatal(err)
	}
	byEnv := map[string][]string{}
	for _, s := range services {
		byEnv[s.Env] = append(byEnv[s.Env], s.Name)
	}
	for _, env := range []string{"dev", "staging", "prod"} {
		assertEq(t, env+" services", byEnv[env], ecotrack.Services)
	}
	sets := map[string]*policyEnv{}
	for _, s := range services {
		t.Run(s.Env+"/"+s.Name, func(t *testing.T) {
			pe := sets[s.Env]
			if pe == nil {
				pe = newPolicyEnv(t, s.Env)
				sets[s.Env] = pe
			}
			d := decodeAll(t, s.Objects)
			// The team's AppProject admits only its namespaces and no cluster-scoped objects.
			for _, o := range s.Objects {
				if o.Namespace != ecotrack.Namespace {
					t.Errorf("%s %s is in namespace %q, not the Application's %s", o.Kind, o.Name, o.Namespace, ecotrack.Namespace)
				}
			}
			if got := reviewAll(t, pe.set, s.Objects, ecotrack.Namespace); len(got) != 0 {
				t.Errorf("violations of %v", got)
			}
			// The image Argo CD deploys: the environment's ECR repository of the service, at the
			// pinned commit.
			repo := fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s-%s/%s", ecotrackAccount, pe.cfg.Region, pe.cfg.Project, s.Env, s.Name)
			dep := get[*k8sDeployment](t, d, "Deployment", s.Name)
			assertEq(t, "image", dep.Spec.Template.Spec.Containers[0].Image, repo+":"+s.Kustomization.Images[0].NewTag)
			if s.Kustomization.Images[0].Name != s.Name {
				t.Errorf("the first images entry is %s: the pipeline updates the entry named %s", s.Kustomization.Images[0].Name, s.Name)
			}
			if c, ok := d.other["Deployment/"+s.Name+"-canary"]; ok {
				img := c.(*k8sDeployment).Spec.Template.Spec.Containers[0].Image
				if img[:len(repo)+1] != repo+":" || img == dep.Spec.Template.Spec.Containers[0].Image {
					t.Errorf("canary image %s: want another tag of %s", img, repo)
				}
			}
			// Brief's resources and at least 3 replicas everywhere.
			h := get[*k8sHPA](t, d, "HorizontalPodAutoscaler", s.Name)
			if *h.Spec.MinReplicas < 3 {
				t.Errorf("minReplicas %d < 3", *h.Spec.MinReplicas)
			}
			// Public services are served on the environment's domain.
			if m, ok := d.other["Mapping/"+s.Name]; ok {
				assertEq(t, "public host", m.(*mapping).Spec.Hostname, "ecotrack."+pe.cfg.Ingress.Domain)
			}
			// The namespace is meshed in this environment: the mesh stack's Namespace carries the
			// injection label, and no pod opts out.
			if !pe.meshed {
				t.Fatalf("namespace %s is not in serviceMesh.namespaces of %s", ecotrack.Namespace, s.Env)
			}
			assertEq(t, "sidecar opt-out", dep.Spec.Template.Labels["sidecar.istio.io/inject"], "")
			if _, ok := d.other["VirtualService/"+s.Name]; !ok {
				t.Error("no VirtualService")
			}
		})
	}
	if n := len(services); n != 15 {
		t.Errorf("%d service directories, want 5 services x 3 environments", n)
	}
}

// policyEnv is one environment's constraints and mesh enrolment of EcoTrack's namespace.
type policyEnv struct {
	cfg    *config.Config
	set    *policy.Set
	meshed bool
}

// newPolicyEnv loads env's configuration, its Gatekeeper constraints (ECR registry of
// ecotrackAccount first) and renders the service-mesh stack's mesh-policies chart with env's
// meshed namespaces to see whether EcoTrack's namespace gets the injection label.
func newPolicyEnv(t *testing.T, env string) *policyEnv {
	t.Helper()
	cfg := envConfig(t, env)
	pe := &policyEnv{cfg: cfg, set: microservicePolicies(t, env, fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/", ecotrackAccount, cfg.Region))}
	values := meshPoliciesValues()
	values["namespaces"] = toAnySlice(cfg.ServiceMesh.Namespaces)
	values["injectionLabel"] = meshInjectionLabel
	objs, err := render.Render(charts.Path(charts.MeshPolicies), values, "istio-system")
	if err != nil {
		t.Fatal(err)
	}
	d := decodeAll(t, objs)
	for _, o := range render.Find(objs, "Namespace", ecotrack.Namespace) {
		ns := get[*k8sNamespace](t, d, "Namespace", o.Name)
		pe.meshed = ns.Labels[meshInjectionLabel] == "enabled"
	}
	if !slices.Contains(cfg.ServiceMesh.Namespaces, ecotrack.Namespace) && pe.meshed {
		t.Fatal("mesh-policies meshes a namespace that is not configured")
	}
	return pe
}
