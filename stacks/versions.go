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

// Workflow 6: service-mesh
// IstioVersion is the Istio release of every chart and image (values read at tag 1.30.3 of
// istio/istio, manifests/charts/*; docs/versions.md lists the keys set).
const IstioVersion = "1.30.3"

var (
	IstioBaseChart = Chart{"https://istio-release.storage.googleapis.com/charts", "base", IstioVersion}
	IstiodChart    = Chart{"https://istio-release.storage.googleapis.com/charts", "istiod", IstioVersion}
	IstioCNIChart  = Chart{"https://istio-release.storage.googleapis.com/charts", "cni", IstioVersion}
)

// Workflow 4: gitops
var (
	ArgoCDChart         = Chart{"https://argoproj.github.io/argo-helm", "argo-cd", "10.1.1"}
	TektonOperatorChart = Chart{"oci://ghcr.io/tektoncd/operator/charts", "tekton-operator", "0.81.1"}

	// KubectlImage runs the hook Jobs that wait for CRDs and Tekton to be ready (gitops, security).
	KubectlImage = "registry.k8s.io/kubectl:v1.35.0"

	// PipelineImages are the reference pipeline's task images, each pinned by version.
	PipelineImages = map[string]any{
		"git":    "docker.io/alpine/git:2.49.1",
		"kaniko": "gcr.io/kaniko-project/executor:v1.23.2",
		"yq":     "docker.io/mikefarah/yq:4.45.1",
		"test":   "docker.io/library/golang:1.26.8",
	}
)

// Workflow 5: security
var (
	OpenBaoChart         = Chart{"https://openbao.github.io/openbao-helm", "openbao", "0.29.2"}
	ExternalSecretsChart = Chart{"https://charts.external-secrets.io", "external-secrets", "2.9.0"}
	GatekeeperChart      = Chart{"https://open-policy-agent.github.io/gatekeeper/charts", "gatekeeper", "3.23.0"}
	FalcoChart           = Chart{"https://falcosecurity.github.io/charts", "falco", "9.1.0"}

	// Images our own security charts run (the bootstrap Job, snapshots, the CRD wait hook).
	// OpenBaoImage is the server's own version (chart appVersion v2.6.2), so the CLI matches.
	OpenBaoImage = "quay.io/openbao/openbao:2.6.2"
	AWSCLIImage  = "public.ecr.aws/aws-cli/aws-cli:2.38.4"
	// The CRD wait hook runs KubectlImage (Workflow 4 block).
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
