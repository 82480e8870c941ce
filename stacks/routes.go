package stacks

import (
	"fmt"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/constructs/helmaddon"
)

// Route serves one in-cluster Service at https://<Host>.<domain> through Emissary, over the
// ingress stack's wildcard Host and certificate.
type Route struct {
	// Host is the first label of the name, e.g. "grafana" for grafana.<domain>.
	Host      string
	Namespace string
	Service   string
	Port      int
	// TimeoutMs of the upstream request (default 30000).
	TimeoutMs int
	// WebSocket allows upgrades (live dashboards).
	WebSocket bool
	// BackendTLS makes Emissary originate TLS to a backend that only speaks HTTPS.
	BackendTLS bool
}

// Hostname is the full name served.
func (r Route) Hostname(domain string) string { return r.Host + "." + domain }

// route installs the Mapping (local chart ui-route) in the Service's namespace.
func (b *Base) route(id string, r Route, deps ...cdktf.ITerraformDependable) *helmaddon.Addon {
	if r.Host == "" || r.Namespace == "" || r.Service == "" || r.Port < 1 || r.Port > 65535 {
		panic(fmt.Errorf("route %s: needs a host, namespace, service and port, got %+v", id, r))
	}
	timeout := r.TimeoutMs
	if timeout == 0 {
		timeout = 30000
	}
	return b.localRelease(id, charts.UIRoute, helmaddon.Config{
		Namespace: r.Namespace,
		Values: map[string]any{
			"name":       r.Host,
			"hostname":   r.Hostname(b.Cfg.Ingress.Domain),
			"service":    r.Service,
			"port":       r.Port,
			"timeoutMs":  timeout,
			"websocket":  r.WebSocket,
			"backendTLS": r.BackendTLS,
		},
		NoWorkloads: true,
		DependsOn:   deps,
	})
}
