package render_test

// Render tests of the golden-path chart charts/microservice: every object decodes strictly into
// its upstream Go type (Kubernetes) or a typed mirror (custom resources), and the values that
// matter land where the platform expects them.

import (
	"maps"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

type deployment struct{ appsv1.Deployment }

func (d *deployment) objectLabels() map[string]string { return d.Labels }

type service struct{ corev1.Service }

func (s *service) objectLabels() map[string]string { return s.Labels }

type serviceAccount struct{ corev1.ServiceAccount }

func (s *serviceAccount) objectLabels() map[string]string { return s.Labels }

type hpa struct {
	autoscalingv2.HorizontalPodAutoscaler
}

func (h *hpa) objectLabels() map[string]string { return h.Labels }

type pdb struct{ policyv1.PodDisruptionBudget }

func (p *pdb) objectLabels() map[string]string { return p.Labels }

// externalSecret mirrors external-secrets.io/v1 ExternalSecret (apis/externalsecrets/v1/
// externalsecret_types.go): the fields the chart sets.
type externalSecret struct {
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

func (e *externalSecret) objectLabels() map[string]string { return e.Labels }

func init() {
	for kind, f := range map[string]func() mirror{
		"apps/v1 Deployment":                     func() mirror { return &deployment{} },
		"v1 Service":                             func() mirror { return &service{} },
		"v1 ServiceAccount":                      func() mirror { return &serviceAccount{} },
		"autoscaling/v2 HorizontalPodAutoscaler": func() mirror { return &hpa{} },
		"policy/v1 PodDisruptionBudget":          func() mirror { return &pdb{} },
		"external-secrets.io/v1 ExternalSecret":  func() mirror { return &externalSecret{} },
	} {
		if _, done := mirrors[kind]; !done {
			registerMirror(kind, f)
		}
	}
	registerCases(renderCase{
		name: "microservice defaults", chart: charts.Microservice, namespace: "ecotrack",
		values: microserviceValues(),
		kinds: map[string]int{"Deployment": 1, "Service": 1, "ServiceAccount": 1, "HorizontalPodAutoscaler": 1,
			"PodDisruptionBudget": 1, "ServiceMonitor": 1, "DestinationRule": 1, "VirtualService": 1},
		check: func(t *testing.T, d *decoded) {
			dep := get[*deployment](t, d, "Deployment", "readings-api")
			c := dep.Spec.Template.Spec.Containers[0]
			assertEq(t, "requests", c.Resources.Requests.Cpu().String()+"/"+c.Resources.Requests.Memory().String(), "100m/256Mi")
			assertEq(t, "limits", c.Resources.Limits.Cpu().String()+"/"+c.Resources.Limits.Memory().String(), "300m/512Mi")
			assertEq(t, "replicas left to the HPA", dep.Spec.Replicas, (*int32)(nil))
			assertEq(t, "team label", dep.Spec.Template.Labels["team"], "ecotrack")
			assertEq(t, "read-only root", *c.SecurityContext.ReadOnlyRootFilesystem, true)
			assertEq(t, "non-root", *dep.Spec.Template.Spec.SecurityContext.RunAsNonRoot, true)
			assertEq(t, "image", c.Image, "111122223333.dkr.ecr.us-east-1.amazonaws.com/eks-platform-dev-readings-api:3f2a1b9")
			h := get[*hpa](t, d, "HorizontalPodAutoscaler", "readings-api")
			assertEq(t, "hpa min/max", [2]int32{*h.Spec.MinReplicas, h.Spec.MaxReplicas}, [2]int32{3, 10})
		},
	})
}

func microserviceValues() map[string]any {
	return map[string]any{
		"name": "readings-api", "team": "ecotrack",
		"image": map[string]any{"repository": "111122223333.dkr.ecr.us-east-1.amazonaws.com/eks-platform-dev-readings-api", "tag": "3f2a1b9"},
	}
}

func TestMicroserviceRefusesUnsafeValues(t *testing.T) {
	with := func(k string, v any) map[string]any {
		m := maps.Clone(microserviceValues())
		m[k] = v
		return m
	}
	cases := []struct {
		name   string
		values map[string]any
		want   string
	}{
		{"latest tag", with("image", map[string]any{"repository": "r", "tag": "latest"}), "never empty or latest"},
		{"no team", with("team", ""), "team is required"},
		{"bad name", with("name", "Readings_API"), "must be a DNS label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render.Render(charts.Path(charts.Microservice), tc.values, "ecotrack")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
