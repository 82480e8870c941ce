package stacks

import "github.com/hashicorp/terraform-cdk-go/cdktf"

// Cross-stack contracts: the static in-cluster names an earlier stack serves and later stacks
// use. A later stack takes the contract (not the producer's stack type) in its constructor, calls
// AddDependency(contract.Stack), and uses the values, so the stacks can be built and tested on
// their own while the registry wires the real producers.

// ObservabilityOutputs is what Workflow 3 serves.
type ObservabilityOutputs struct {
	Stack     cdktf.TerraformStack
	Namespace string
	// OTLPGRPC is host:port of the OpenTelemetry Collector gateway's OTLP/gRPC receiver.
	OTLPGRPC string
	// OTLPHTTP is the base URL of its OTLP/HTTP receiver.
	OTLPHTTP        string
	LokiPushURL     string
	AlertmanagerURL string
	// DashboardLabel is the label (value "1") that makes a ConfigMap in any namespace a Grafana
	// dashboard.
	DashboardLabel string
	// Prometheus scrapes as this service account, e.g. for mesh AuthorizationPolicies and
	// NetworkPolicies that let it in.
	PrometheusNamespace      string
	PrometheusServiceAccount string
}

// Names the observability stack gives its in-cluster endpoints.
const (
	OTelGatewayService       = "otel-gateway"
	PrometheusServiceAccount = "prometheus"
	GrafanaDashboardLabel    = "grafana_dashboard"
)

// DefaultObservabilityOutputs are the agreed values, served by the observability stack.
func DefaultObservabilityOutputs(stack cdktf.TerraformStack) ObservabilityOutputs {
	ns := MonitoringNamespace
	svc := func(name string) string { return name + "." + ns + ".svc.cluster.local" }
	return ObservabilityOutputs{
		Stack:                    stack,
		Namespace:                ns,
		OTLPGRPC:                 svc(OTelGatewayService) + ":4317",
		OTLPHTTP:                 "http://" + svc(OTelGatewayService) + ":4318",
		LokiPushURL:              "http://" + svc("loki") + ":3100/loki/api/v1/push",
		AlertmanagerURL:          "http://" + svc("alertmanager-operated") + ":9093",
		DashboardLabel:           GrafanaDashboardLabel,
		PrometheusNamespace:      ns,
		PrometheusServiceAccount: PrometheusServiceAccount,
	}
}

// SecurityOutputs is what Workflow 5 serves.
type SecurityOutputs struct {
	Stack cdktf.TerraformStack
	// ClusterSecretStores of External Secrets.
	OpenBaoStore        string
	SecretsManagerStore string
}

// DefaultSecurityOutputs are the agreed values, served by the security stack.
func DefaultSecurityOutputs(stack cdktf.TerraformStack) SecurityOutputs {
	return SecurityOutputs{Stack: stack, OpenBaoStore: "openbao", SecretsManagerStore: "aws-secrets-manager"}
}
