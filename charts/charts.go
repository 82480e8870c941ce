// Package charts locates the small local Helm charts that ship the Kubernetes
// objects the platform owns (StorageClasses, ClusterIssuers, Emissary Listeners
// and Hosts, ...). Each chart lives in its own folder next to this file and is
// shipped into a stack with a cdktf TerraformAsset and installed by a
// helm_release.
//
// This package deliberately imports nothing beyond the standard library so the
// CDKTF application can depend on it cheaply; rendering charts with the Helm Go
// SDK lives in the sub-package charts/render, which only tests use.
package charts

import (
	"path/filepath"
	"runtime"
	"slices"
)

// Chart folder names. Use these constants rather than string literals so a
// renamed chart is a compile error, not a failed terraform apply.
const (
	// StorageClasses holds the gp3 EBS CSI StorageClass (foundation stack).
	StorageClasses = "storage-classes"
	// CloudflareToken holds the Opaque Secret with the Cloudflare API token
	// (ingress stack; installed into each namespace that needs the token).
	CloudflareToken = "cloudflare-token"
	// CertIssuers holds the Let's Encrypt ClusterIssuers (DNS-01 through
	// Cloudflare) and the wildcard Certificate (ingress stack).
	CertIssuers = "cert-issuers"
	// ArgoCDPlatform holds the team namespaces, AppProjects and ApplicationSets
	// (gitops stack).
	ArgoCDPlatform = "argocd-platform"
	// GitOpsSecrets holds the ExternalSecrets of the gitops stack (repository
	// credentials, webhook secret, deploy key, SSO and Slack secrets).
	GitOpsSecrets = "gitops-secrets"
	// TektonConfig holds the TektonConfig and the Tekton ServiceMonitors
	// (gitops stack).
	TektonConfig = "tekton-config"
	// TektonPipeline holds the reference build pipeline and its GitHub
	// EventListener (gitops stack).
	TektonPipeline = "tekton-pipeline"
	// EmissaryEdge holds the Emissary Listeners, Hosts and the optional
	// ServiceMonitor for the Emissary admin port (ingress stack).
	EmissaryEdge = "emissary-edge"
	// Microservice is the golden-path chart for one microservice (not installed
	// by a stack: teams use it through GitOps; see
	// docs/MICROSERVICES_PLATFORM_GUIDE.md).
	Microservice = "microservice"
	// AlertReceiver holds the ExternalSecret that copies the Alertmanager
	// receiver URL from AWS Secrets Manager (observability stack).
	AlertReceiver = "alert-receiver"
	// Mimir holds Grafana Mimir in monolithic mode (observability stack).
	Mimir = "mimir"
	// OTelInstrumentation holds the platform's OpenTelemetry Instrumentation
	// for auto-instrumented pods (observability stack).
	OTelInstrumentation = "otel-instrumentation"
	// PlatformDashboards holds the platform's Grafana dashboards and the
	// capacity recording rules (observability stack).
	PlatformDashboards = "platform-dashboards"
	// MeshPolicies holds mesh-wide STRICT PeerAuthentication and, per meshed
	// namespace, the Namespace and its deny-by-default AuthorizationPolicies
	// (service-mesh stack).
	MeshPolicies = "mesh-policies"
	// MeshTelemetry holds the Istio Telemetry resource (traces, access logs),
	// the istiod ServiceMonitor, the sidecar PodMonitor and the mesh Grafana
	// dashboard (service-mesh stack).
	MeshTelemetry = "mesh-telemetry"
	// MeshTraffic is the traffic-management example for one service: retries,
	// timeouts, a weighted canary and an A-to-B AuthorizationPolicy
	// (installed by microservices, not by a stack; docs/workflows/06).
	MeshTraffic = "mesh-traffic"
	// GatekeeperConstraints holds the Gatekeeper Constraints and the PodMonitor
	// for Gatekeeper's metrics (security stack).
	GatekeeperConstraints = "gatekeeper-constraints"
	// GatekeeperTemplates holds the Gatekeeper ConstraintTemplates; their Rego
	// lives in policies/*.rego (security stack).
	GatekeeperTemplates = "gatekeeper-templates"
	// InternalCA holds a self-signed root and the CA ClusterIssuer for in-cluster
	// TLS (security stack).
	InternalCA = "internal-ca"
	// OpenBaoBootstrap holds the OpenBao bootstrap Job (init, configuration) and
	// the Raft snapshot CronJob (security stack).
	OpenBaoBootstrap = "openbao-bootstrap"
	// OpenBaoTLS holds the Certificate of the OpenBao listener (security stack).
	OpenBaoTLS = "openbao-tls"
	// PrometheusRules holds one PrometheusRule of a stack's alerts, each with a
	// runbook_url (any stack; built by stacks/alerts.go).
	PrometheusRules = "prometheus-rules"
	// SecretStores holds the External Secrets ClusterSecretStores openbao and
	// aws-secrets-manager (security stack).
	SecretStores = "secret-stores"
	// UIRoute holds one Emissary Mapping serving a Service at <host>.<domain>
	// (any stack; built by stacks/routes.go).
	UIRoute = "ui-route"
	// DataNamespaces holds the application namespaces that own data-service
	// instances (data-services stack; kept when the release is deleted).
	DataNamespaces = "data-namespaces"
	// DataMonitoring holds the Redis Grafana dashboard ConfigMap and the
	// Strimzi operator's PodMonitor (data-services stack; PostgreSQL and Kafka
	// dashboards ship in their operators' charts).
	DataMonitoring = "data-monitoring"
	// PostgresCluster holds one CloudNativePG Cluster with Barman Cloud backups,
	// optional pooler, PodMonitor and NetworkPolicy (data-services stack).
	PostgresCluster = "postgres-cluster"
	// RedisFailover holds one Spotahome RedisFailover with its password Secret,
	// PodMonitor and NetworkPolicy (data-services stack).
	RedisFailover = "redis-failover"
	// KafkaCluster holds one Strimzi Kafka with node pools, users, topics and
	// PodMonitor (data-services stack).
	KafkaCluster = "kafka-cluster"
)

// names are every chart folder, sorted once here so that adding a chart is one line anywhere
// in the list; charts_test.go checks they match the folders.
var names = sorted(
	AlertReceiver,
	CertIssuers,
	CloudflareToken,
	DataMonitoring,
	DataNamespaces,
	EmissaryEdge,
	Microservice,
	GatekeeperConstraints,
	GatekeeperTemplates,
	InternalCA,
	Mimir,
	OpenBaoBootstrap,
	OpenBaoTLS,
	OTelInstrumentation,
	PlatformDashboards,
	MeshPolicies,
	MeshTelemetry,
	MeshTraffic,
	ArgoCDPlatform,
	GitOpsSecrets,
	PrometheusRules,
	SecretStores,
	KafkaCluster,
	PostgresCluster,
	RedisFailover,
	StorageClasses,
	TektonConfig,
	TektonPipeline,
	UIRoute,
)

// Names returns the names of every local chart folder, sorted. The returned
// slice is a copy and may be modified by the caller.
func Names() []string {
	out := make([]string, len(names))
	copy(out, names)
	return out
}

// Dir returns the absolute path of the charts folder itself. It is derived from
// this source file's location (runtime.Caller), so it is correct from any
// working directory under `go run` and `go test`. (A binary built with
// -trimpath has no absolute source path; the app runs with `go run`.)
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("charts: runtime.Caller failed; cannot locate the charts folder")
	}
	return filepath.Dir(file)
}

// Path returns the absolute path of the chart folder charts/<name>. It does not
// check that the chart exists; pass one of the constants above (or a value from
// Names) to be safe.
func Path(name string) string {
	return filepath.Join(Dir(), name)
}

func sorted(n ...string) []string {
	slices.Sort(n)
	return n
}
