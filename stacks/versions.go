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

// Workflow 7: data-services
var (
	CNPGChart          = Chart{"https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.29.0"}
	BarmanCloudChart   = Chart{"https://cloudnative-pg.github.io/charts", "plugin-barman-cloud", "0.7.0"}
	RedisOperatorChart = Chart{"https://spotahome.github.io/redis-operator", "redis-operator", "3.2.6"}
	StrimziChart       = Chart{"oci://quay.io/strimzi-helm", "strimzi-kafka-operator", "1.2.0"}
)

// RedisOperatorImageTag is the last stable redis-operator release (chart 3.2.6's appVersion),
// pinned explicitly rather than left to the chart default.
const RedisOperatorImageTag = "v1.2.4"
