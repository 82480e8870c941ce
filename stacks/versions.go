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

// Workflow 4: gitops
var (
	ArgoCDChart         = Chart{"https://argoproj.github.io/argo-helm", "argo-cd", "10.1.1"}
	TektonOperatorChart = Chart{"oci://ghcr.io/tektoncd/operator/charts", "tekton-operator", "0.81.1"}

	// KubectlImage runs tekton-config's hook Job that waits for the TektonConfig to be Ready.
	KubectlImage = "registry.k8s.io/kubectl:v1.35.0"

	// PipelineImages are the reference pipeline's task images, each pinned by version.
	PipelineImages = map[string]any{
		"git":    "docker.io/alpine/git:2.49.1",
		"kaniko": "gcr.io/kaniko-project/executor:v1.23.2",
		"yq":     "docker.io/mikefarah/yq:4.45.1",
		"test":   "docker.io/library/golang:1.26.8",
	}
)
