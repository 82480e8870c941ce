package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Mesh data-plane modes. Sidecar is the one the platform builds; ambient is the documented
// alternative (docs/adr/0009-mesh-mode.md) and is refused until its prerequisites exist.
const (
	MeshSidecar = "sidecar"
	MeshAmbient = "ambient"
)

// ServiceMesh configures Workflow 6: Istio with STRICT mTLS for the listed workload namespaces.
type ServiceMesh struct {
	// Mode is the data-plane mode; only sidecar is built (ADR 0009).
	Mode string `yaml:"mode"`
	// Namespaces are the workload namespaces the stack creates inside the mesh: labelled for
	// sidecar injection, with deny-by-default AuthorizationPolicies. Platform namespaces cannot
	// be listed (MeshExcludedNamespaces says why each stays out).
	Namespaces []string `yaml:"namespaces"`
	// TraceSampling is the percentage of requests traced (0-100), sent to the OpenTelemetry
	// Collector of the observability stack.
	TraceSampling float64 `yaml:"traceSampling"`
	// AccessLogs writes Envoy access logs to stdout, where Loki collects them.
	AccessLogs bool `yaml:"accessLogs"`
	// Proxy is the resources of every sidecar; its requests count against each microservice
	// pod in the capacity check.
	Proxy ProxyResources `yaml:"proxy"`
	// IstiodReplicas is the control plane's replica count (2 or more outside dev).
	IstiodReplicas int `yaml:"istiodReplicas"`
}

// ProxyResources are the requests and limits of one sidecar container.
type ProxyResources struct {
	CPURequest    string `yaml:"cpuRequest"`
	CPULimit      string `yaml:"cpuLimit"`
	MemoryRequest string `yaml:"memoryRequest"`
	MemoryLimit   string `yaml:"memoryLimit"`
}

// MeshExcludedNamespaces are the platform namespaces that stay out of the mesh, each with the
// reason. Listing one in serviceMesh.namespaces is an error that quotes the reason.
var MeshExcludedNamespaces = map[string]string{
	"kube-system":       "CNI, CoreDNS and node agents run there; Istio CNI skips it and the mesh must not depend on itself",
	"istio-system":      "the Istio control plane itself",
	"emissary":          "the edge: Emissary's pods get a sidecar for outbound mTLS (pod label), but inbound traffic from the NLB is not mesh traffic",
	"monitoring":        "Prometheus scrapes kubelets and node exporters outside the mesh; meshed pods allow its identity when it joins per pod",
	"cert-manager":      "its webhook is called by the API server, which has no mesh identity",
	"external-dns":      "talks only to Cloudflare and the API server",
	"emissary-system":   "holds only Emissary's CRDs",
	"gatekeeper-system": "admission webhooks called by the API server",
	"argocd":            "Argo CD's repo-server and webhooks are reached from outside the mesh",
	"openbao":           "OpenBao terminates its own TLS and is called by the API server for auth",
	"falco":             "runs on the host's kernel events, no service traffic",
	"external-secrets":  "its webhook is called by the API server",
}

// MeshSidecarOverhead returns the per-pod requests the mesh adds to every meshed workload: the
// sidecar's requests in sidecar mode, nothing otherwise.
func (m ServiceMesh) MeshSidecarOverhead() (cpu, memory string) {
	if m.Mode != MeshSidecar {
		return "", ""
	}
	return m.Proxy.CPURequest, m.Proxy.MemoryRequest
}

// DefaultServiceMesh is the serviceMesh section an empty file yields for env.
func DefaultServiceMesh(env string) ServiceMesh {
	m := ServiceMesh{
		Mode:          MeshSidecar,
		Namespaces:    []string{"ecotrack"},
		TraceSampling: 10,
		AccessLogs:    true,
		Proxy: ProxyResources{
			CPURequest: "10m", CPULimit: "500m",
			MemoryRequest: "64Mi", MemoryLimit: "256Mi",
		},
		IstiodReplicas: 1,
	}
	switch env {
	case "staging":
		m.TraceSampling = 5
		m.IstiodReplicas = 2
	case "prod":
		m.TraceSampling = 1
		m.IstiodReplicas = 2
	}
	return m
}

func (m ServiceMesh) validate(ps *problems, env string) {
	switch m.Mode {
	case MeshSidecar:
	case MeshAmbient:
		ps.add("serviceMesh.mode", "%q is the documented alternative (docs/adr/0009-mesh-mode.md) but is not built: it needs Gateway API CRDs and waypoints for retries, timeouts and canaries; use %s", m.Mode, MeshSidecar)
	default:
		ps.add("serviceMesh.mode", "%q is not a mesh mode; allowed: %s", m.Mode, MeshSidecar)
	}

	if len(m.Namespaces) == 0 {
		ps.add("serviceMesh.namespaces", "is empty; list at least one workload namespace (e.g. ecotrack) to put in the mesh")
	}
	seen := map[string]bool{}
	for i, ns := range m.Namespaces {
		path := fmt.Sprintf("serviceMesh.namespaces[%d]", i)
		switch reason, platform := MeshExcludedNamespaces[ns]; {
		case !dnsLabelRe.MatchString(ns):
			ps.add(path, "%q is not a namespace name; use a DNS label: 1-63 lowercase letters, digits and inner hyphens", ns)
		case platform:
			ps.add(path, "%q is a platform namespace that stays out of the mesh (%s); list workload namespaces only", ns, reason)
		case ns == "default" || strings.HasPrefix(ns, "kube-"):
			ps.add(path, "%q is reserved by Kubernetes; use a namespace of your own", ns)
		case seen[ns]:
			ps.add(path, "%q is listed twice; list each namespace once", ns)
		}
		seen[ns] = true
	}

	if m.TraceSampling < 0 || m.TraceSampling > 100 {
		ps.add("serviceMesh.traceSampling", "%v is out of range; use a percentage from 0 (no traces) to 100 (every request)", m.TraceSampling)
	}

	m.Proxy.validate(ps)

	switch {
	case m.IstiodReplicas < 1 || m.IstiodReplicas > 5:
		ps.add("serviceMesh.istiodReplicas", "%d is out of range; use 1 to 5", m.IstiodReplicas)
	case env != "dev" && m.IstiodReplicas < 2:
		ps.add("serviceMesh.istiodReplicas", "%d in %s leaves sidecars without a control plane while istiod restarts; use 2 to 5 outside dev", m.IstiodReplicas, env)
	}
}

func (p ProxyResources) validate(ps *problems) {
	validateRequestLimit(ps, "serviceMesh.proxy.", p.CPURequest, p.CPULimit, p.MemoryRequest, p.MemoryLimit)
}

// MeshExcludedNamespaceNames lists MeshExcludedNamespaces' keys, sorted.
func MeshExcludedNamespaceNames() []string {
	out := make([]string, 0, len(MeshExcludedNamespaces))
	for k := range MeshExcludedNamespaces {
		out = append(out, k)
	}
	sort.Strings(out)
	return slices.Clip(out)
}
