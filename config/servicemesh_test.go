package config

import (
	"errors"
	"strings"
	"testing"
)

func TestServiceMeshDefaults(t *testing.T) {
	for env, want := range map[string]struct {
		sampling float64
		replicas int
	}{"dev": {10, 1}, "staging": {5, 2}, "prod": {1, 2}} {
		t.Run(env, func(t *testing.T) {
			c, err := Load(envDir, env)
			if err != nil {
				t.Fatal(err)
			}
			m := c.ServiceMesh
			if m.Mode != MeshSidecar || strings.Join(m.Namespaces, ",") != "ecotrack" || !m.AccessLogs {
				t.Errorf("serviceMesh = %+v", m)
			}
			if m.TraceSampling != want.sampling || m.IstiodReplicas != want.replicas {
				t.Errorf("traceSampling/istiodReplicas = %v/%d, want %v/%d", m.TraceSampling, m.IstiodReplicas, want.sampling, want.replicas)
			}
			// The committed file says what the defaults say.
			if d := DefaultServiceMesh(env); d.TraceSampling != m.TraceSampling || d.IstiodReplicas != m.IstiodReplicas || d.Proxy != m.Proxy {
				t.Errorf("file %+v differs from DefaultServiceMesh %+v", m, d)
			}
			cpu, mem := m.MeshSidecarOverhead()
			if cpu != "10m" || mem != "64Mi" {
				t.Errorf("sidecar overhead = %s/%s, want the proxy requests 10m/64Mi", cpu, mem)
			}
		})
	}
}

func TestServiceMeshValid(t *testing.T) {
	for name, data := range map[string]string{
		"several namespaces":  "serviceMesh:\n  namespaces: [ecotrack, payments, a-1]\n",
		"no tracing":          "serviceMesh:\n  traceSampling: 0\n",
		"all traced":          "serviceMesh:\n  traceSampling: 100\n",
		"fractional sampling": "serviceMesh:\n  traceSampling: 0.5\n",
		"proxy request=limit": "serviceMesh:\n  proxy:\n    cpuRequest: 100m\n    cpuLimit: \"0.1\"\n    memoryRequest: 128Mi\n    memoryLimit: 128Mi\n",
		"five istiods":        "serviceMesh:\n  istiodReplicas: 5\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadFromBytes("dev.yaml", []byte(doc(data)), "dev"); err != nil {
				t.Errorf("unexpected error:\n%v", err)
			}
		})
	}
}

// TestServiceMeshInvalid has one row per rule, each naming the field and part of the message.
func TestServiceMeshInvalid(t *testing.T) {
	tests := []struct {
		name, env, yaml, path, msg string
	}{
		{"unknown mode", "", "serviceMesh:\n  mode: linkerd\n", "serviceMesh.mode", `"linkerd" is not a mesh mode; allowed: sidecar`},
		{"ambient not built", "", "serviceMesh:\n  mode: ambient\n", "serviceMesh.mode", "documented alternative (docs/adr/0009-mesh-mode.md) but is not built"},
		{"no namespaces", "", "serviceMesh:\n  namespaces: []\n", "serviceMesh.namespaces", "list at least one workload namespace"},
		{"namespace not a label", "", "serviceMesh:\n  namespaces: [ecotrack, Shop_1]\n", "serviceMesh.namespaces[1]", "is not a namespace name"},
		{"platform namespace", "", "serviceMesh:\n  namespaces: [monitoring]\n", "serviceMesh.namespaces[0]", "is a platform namespace that stays out of the mesh (Prometheus scrapes"},
		{"kube-system", "", "serviceMesh:\n  namespaces: [kube-system]\n", "serviceMesh.namespaces[0]", "platform namespace"},
		{"reserved namespace", "", "serviceMesh:\n  namespaces: [default]\n", "serviceMesh.namespaces[0]", "reserved by Kubernetes"},
		{"kube- prefix", "", "serviceMesh:\n  namespaces: [kube-public]\n", "serviceMesh.namespaces[0]", "reserved by Kubernetes"},
		{"duplicate namespace", "", "serviceMesh:\n  namespaces: [ecotrack, ecotrack]\n", "serviceMesh.namespaces[1]", "listed twice"},
		{"sampling above 100", "", "serviceMesh:\n  traceSampling: 150\n", "serviceMesh.traceSampling", "150 is out of range; use a percentage from 0"},
		{"sampling negative", "", "serviceMesh:\n  traceSampling: -1\n", "serviceMesh.traceSampling", "out of range"},
		{"sampling not a number", "", "serviceMesh:\n  traceSampling: ten\n", "serviceMesh.traceSampling", `got string "ten"`},
		{"proxy cpu syntax", "", "serviceMesh:\n  proxy:\n    cpuRequest: 10x\n", "serviceMesh.proxy.cpuRequest", "is not a quantity; use millicores"},
		{"proxy cpu zero", "", "serviceMesh:\n  proxy:\n    cpuRequest: 0m\n", "serviceMesh.proxy.cpuRequest", "is zero"},
		{"proxy memory above limit", "", "serviceMesh:\n  proxy:\n    memoryRequest: 1Gi\n", "serviceMesh.proxy.memoryRequest", "1Gi is greater than serviceMesh.proxy.memoryLimit 256Mi"},
		{"proxy memory limit syntax", "", "serviceMesh:\n  proxy:\n    memoryLimit: 256MB\n", "serviceMesh.proxy.memoryLimit", "is not a quantity"},
		{"istiod zero", "", "serviceMesh:\n  istiodReplicas: 0\n", "serviceMesh.istiodReplicas", "0 is out of range; use 1 to 5"},
		{"istiod single in prod", "prod", "serviceMesh:\n  istiodReplicas: 1\n", "serviceMesh.istiodReplicas", "use 2 to 5 outside dev"},
		{"unknown key", "", "serviceMesh:\n  sampling: 5\n", "serviceMesh.sampling", "unknown field; allowed here: mode, namespaces, traceSampling"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == "" {
				env = "dev"
			}
			file := "environments/" + env + ".yaml"
			data := tc.yaml
			if env != "dev" {
				data = "environment: " + env + "\n" + data
			}
			c, err := LoadFromBytes(file, []byte(doc(data)), env)
			if err == nil {
				t.Fatalf("no error; serviceMesh %+v", c.ServiceMesh)
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
			if !strings.Contains(err.Error(), file+": "+tc.path+": ") {
				t.Errorf("Error() does not name file and field:\n%v", err)
			}
			if p.Line == 0 {
				t.Errorf("problem at %s has no line", tc.path)
			}
		})
	}
}

func TestMeshSidecarOverheadOnlyInSidecarMode(t *testing.T) {
	m := DefaultServiceMesh("dev")
	m.Mode = MeshAmbient
	if cpu, mem := m.MeshSidecarOverhead(); cpu != "" || mem != "" {
		t.Errorf("ambient overhead = %q/%q, want none per pod", cpu, mem)
	}
}

func TestMeshExcludedNamespaceNames(t *testing.T) {
	names := MeshExcludedNamespaceNames()
	if len(names) != len(MeshExcludedNamespaces) || names[0] != "argocd" {
		t.Errorf("names = %v", names)
	}
	for _, n := range names {
		if strings.TrimSpace(MeshExcludedNamespaces[n]) == "" {
			t.Errorf("%s has no reason", n)
		}
	}
}
