package stacks

// Chart is an upstream chart pinned to an exact version. Bumping a version here is the whole
// upgrade; the golden HCL diff shows reviewers what changes.
type Chart struct {
	Repository string
	Name       string
	Version    string
}

// Pinned upstream charts (see docs/versions.md for where each version was checked).
var (
	CiliumChart           = Chart{"https://helm.cilium.io", "cilium", "1.19.6"}
	LBCChart              = Chart{"https://aws.github.io/eks-charts", "aws-load-balancer-controller", "3.5.0"}
	AutoscalerChart       = Chart{"https://kubernetes.github.io/autoscaler", "cluster-autoscaler", "9.59.0"}
	MetricsServerChart    = Chart{"https://kubernetes-sigs.github.io/metrics-server", "metrics-server", "3.13.1"}
	PromOperatorCRDsChart = Chart{"https://prometheus-community.github.io/helm-charts", "prometheus-operator-crds", "31.0.1"}

	CertManagerChart  = Chart{"https://charts.jetstack.io", "cert-manager", "v1.21.1"}
	ExternalDNSChart  = Chart{"https://kubernetes-sigs.github.io/external-dns", "external-dns", "1.21.1"}
	EmissaryCRDsChart = Chart{"oci://ghcr.io/emissary-ingress", "emissary-crds-chart", "4.1.0"}
	EmissaryChart     = Chart{"oci://ghcr.io/emissary-ingress", "emissary-ingress", "4.1.0"}
)

// Workflow 3: observability
var (
	KubePrometheusStackChart = Chart{"https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "88.5.3"}
	GrafanaChart             = Chart{"https://grafana-community.github.io/helm-charts", "grafana", "12.11.1"}
	LokiChart                = Chart{"https://grafana-community.github.io/helm-charts", "loki", "18.11.0"}
	TempoChart               = Chart{"https://grafana-community.github.io/helm-charts", "tempo", "2.2.4"}
	OTelOperatorChart        = Chart{"https://open-telemetry.github.io/opentelemetry-helm-charts", "opentelemetry-operator", "0.122.0"}
	OTelCollectorChart       = Chart{"https://open-telemetry.github.io/opentelemetry-helm-charts", "opentelemetry-collector", "0.170.0"}

	// Images the local mimir chart and the collector charts run (the charts pin no default).
	MimirImageTag        = "3.1.1"
	OTelCollectorImage   = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s"
	OTelCollectorVersion = "0.158.0"
)
