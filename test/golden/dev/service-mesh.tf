terraform {
  required_providers {
    aws = {
      version = "~> 5.99"
      source  = "aws"
    }
    helm = {
      version = "3.1.1"
      source  = "helm"
    }
  }
  backend "local" {
    path = "../../../.state/dev/service-mesh.tfstate"
  }


}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Environment = "dev"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "service-mesh"
    }
  }
}
data "aws_caller_identity" "boundary-account" {
}
data "aws_partition" "boundary-partition" {
}

provider "helm" {
  kubernetes {
    cluster_ca_certificate = base64decode(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409certificate_authority0data)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      args = [
        "eks",
        "get-token",
        "--cluster-name",
        "${data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name}",
        "--region",
        "us-east-1",
        "--output",
        "json"
      ]
      command = "aws"
    }
    host = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409endpoint
  }
}
resource "aws_vpc_security_group_ingress_rule" "istiod-webhook" {
  description                  = "Istio: EKS control plane to istiod sidecar-injection and validation webhook"
  from_port                    = 15017
  ip_protocol                  = "tcp"
  referenced_security_group_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409vpc_config0cluster_security_group_id
  security_group_id            = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409vpc_config0cluster_security_group_id
  tags = {
    Component = "istio"
  }
  to_port = 15017
}
resource "aws_vpc_security_group_ingress_rule" "istiod-xds" {
  description                  = "Istio: proxies to istiod xDS and certificate signing"
  from_port                    = 15012
  ip_protocol                  = "tcp"
  referenced_security_group_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409vpc_config0cluster_security_group_id
  security_group_id            = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409vpc_config0cluster_security_group_id
  tags = {
    Component = "istio"
  }
  to_port = 15012
}
resource "helm_release" "istio-base_release_4B9520C0" {
  atomic           = true
  chart            = "base"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "istio-base"
  namespace        = "istio-system"
  repository       = "https://istio-release.storage.googleapis.com/charts"
  timeout          = 600
  values = [
    <<EOF
defaultRevision: default
global:
    istioNamespace: istio-system

EOF
  ]
  version = "1.30.3"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "istio-cni_release_709DBE9B" {
  atomic           = true
  chart            = "cni"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "istio-cni"
  namespace        = "istio-system"
  repository       = "https://istio-release.storage.googleapis.com/charts"
  timeout          = 600
  values = [
    <<EOF
chained: true
cniBinDir: /opt/cni/bin
cniConfDir: /etc/cni/net.d
excludeNamespaces:
    - kube-system
    - istio-system
global:
    hub: docker.io/istio
    tag: 1.30.3
repair:
    enabled: true
    repairPods: true
resources:
    limits:
        cpu: 200m
        memory: 192Mi
    requests:
        cpu: 10m
        memory: 48Mi

EOF
  ]
  version = "1.30.3"
  wait    = true
  depends_on = [
    "helm_release.istio-base_release_4B9520C0",
  ]
  provider = "helm"
}
resource "helm_release" "istiod_release_8319AF82" {
  atomic           = true
  chart            = "istiod"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "istiod"
  namespace        = "istio-system"
  repository       = "https://istio-release.storage.googleapis.com/charts"
  timeout          = 600
  values = [
    <<EOF
autoscaleEnabled: false
cni:
    enabled: true
global:
    defaultPodDisruptionBudget:
        enabled: false
    hub: docker.io/istio
    istioNamespace: istio-system
    logAsJson: true
    proxy:
        resources:
            limits:
                cpu: 500m
                memory: 256Mi
            requests:
                cpu: 10m
                memory: 64Mi
    tag: 1.30.3
meshConfig:
    accessLogEncoding: JSON
    defaultConfig:
        holdApplicationUntilProxyStarts: true
    enablePrometheusMerge: true
    extensionProviders:
        - name: otel-tracing
          opentelemetry:
            port: 4317
            service: otel-gateway.monitoring.svc.cluster.local
    trustDomain: cluster.local
pdb:
    minAvailable: 1
replicaCount: 1
resources:
    limits:
        cpu: "1"
        memory: 1Gi
    requests:
        cpu: 100m
        memory: 256Mi

EOF
  ]
  version = "1.30.3"
  wait    = true
  depends_on = [
    "helm_release.istio-base_release_4B9520C0",
    "helm_release.istio-cni_release_709DBE9B",
  ]
  provider = "helm"
}
resource "helm_release" "mesh-policies_release_415DB3D0" {
  atomic           = true
  chart            = "assets/mesh-policies_chart_F4B6104B/B5E503D4C5D40CE36F779B42FE76CA6B"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart mesh-policies"
  max_history      = 5
  name             = "mesh-policies"
  namespace        = "istio-system"
  timeout          = 600
  values = [
    <<EOF
existingNamespaces:
    - ecotrack
ingress:
    namespace: emissary
    serviceAccount: emissary-ingress
injectionLabel: istio-injection
namespaces:
    - ecotrack
prometheus:
    namespace: monitoring
    serviceAccount: prometheus
rootNamespace: istio-system
trustDomain: cluster.local

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.istiod_release_8319AF82",
  ]
  provider = "helm"
}
resource "helm_release" "mesh-telemetry_release_2166E147" {
  atomic           = true
  chart            = "assets/mesh-telemetry_chart_7010364D/4C3F5C625F5FC0D4057CC740E902245B"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart mesh-telemetry"
  max_history      = 5
  name             = "mesh-telemetry"
  namespace        = "istio-system"
  timeout          = 600
  values = [
    <<EOF
accessLogs:
    enabled: true
dashboard:
    label: grafana_dashboard
    namespace: monitoring
istiodNamespace: istio-system
meshNamespaces:
    - ecotrack
    - emissary
rootNamespace: istio-system
scrapeInterval: 30s
tracing:
    provider: otel-tracing
    samplingPercentage: 10

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.istiod_release_8319AF82",
  ]
  provider = "helm"
}
resource "helm_release" "service-mesh-rules_release_1166936C" {
  atomic           = true
  chart            = "assets/service-mesh-rules_chart_87B13802/D9A86DD47F697A5187957ADCAE2F140D"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart prometheus-rules"
  max_history      = 5
  name             = "service-mesh-rules"
  namespace        = "istio-system"
  timeout          = 600
  values = [
    <<EOF
groups:
    - name: istio
      rules:
        - alert: IstiodUnavailable
          annotations:
            description: No istiod target has been up for 5 minutes. Injection fails closed and workload certificates expire within 24h.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/service-mesh.md#istiod-unavailable
            summary: 'istiod is down: no new pods get sidecars, certificates stop renewing'
          expr: sum(up{namespace="istio-system", service="istiod"}) < 1 or absent(up{namespace="istio-system", service="istiod"})
          for: 5m
          labels:
            severity: critical
            workflow: service-mesh
        - alert: IstioUpstream503s
          annotations:
            description: Sidecars report 503 (upstream connect errors, no healthy upstream or no route) for {{ $labels.destination_service }}.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/service-mesh.md#503-upstream-connect-errors
            summary: More than 5% of calls to {{ $labels.destination_service }} fail with 503
          expr: sum by (destination_service) (rate(istio_requests_total{reporter="source", response_code="503"}[5m])) / sum by (destination_service) (rate(istio_requests_total{reporter="source"}[5m])) > 0.05
          for: 10m
          labels:
            severity: warning
            workflow: service-mesh
        - alert: IstioPlaintextTraffic
          annotations:
            description: STRICT mTLS should make this zero; a PeerAuthentication override or a workload outside the mesh is accepting plaintext.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/service-mesh.md#mtls-handshake-failures
            summary: Requests without mutual TLS reach {{ $labels.destination_workload_namespace }}
          expr: sum by (destination_workload_namespace) (rate(istio_requests_total{reporter="destination", connection_security_policy!="mutual_tls"}[5m])) > 0
          for: 10m
          labels:
            severity: warning
            workflow: service-mesh
        - alert: IstioCertificateSigningErrors
          annotations:
            description: Workloads whose certificates cannot be renewed fail mTLS handshakes once the current ones expire.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/service-mesh.md#mtls-handshake-failures
            summary: istiod fails to sign workload certificates
          expr: sum(rate(citadel_server_csr_sign_error_count[5m])) > 0
          for: 10m
          labels:
            severity: warning
            workflow: service-mesh
        - alert: IstioCNINodeAgentUnavailable
          annotations:
            description: Pods scheduled on a node without the agent start without traffic capture (the repair controller restarts them); check the Cilium chaining.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/service-mesh.md#cilium-interplay
            summary: The Istio CNI node agent is not running on every node
          expr: kube_daemonset_status_number_unavailable{namespace="istio-system", daemonset="istio-cni-node"} > 0
          for: 15m
          labels:
            severity: warning
            workflow: service-mesh
name: service-mesh-rules

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.mesh-telemetry_release_2166E147",
  ]
  provider = "helm"
}

output "istio_namespace" {
  value       = "istio-system"
  description = "Namespace of the Istio control plane"
}

output "istio_version" {
  value       = "1.30.3"
  description = "Istio release of the charts and images"
}

output "mesh_mode" {
  value       = "sidecar"
  description = "Data-plane mode (docs/adr/0009-mesh-mode.md)"
}

output "meshed_namespaces" {
  value = [
    "ecotrack",
  ]
  description = "Workload namespaces in the mesh (STRICT mTLS, deny-by-default)"
}

output "injection_label" {
  value       = "istio-injection=enabled"
  description = "Namespace label that puts pods in the mesh"
}

output "excluded_namespaces" {
  value = {
    argocd            = "Argo CD's repo-server and webhooks are reached from outside the mesh"
    cert-manager      = "its webhook is called by the API server, which has no mesh identity"
    emissary          = "the edge: Emissary's pods get a sidecar for outbound mTLS (pod label), but inbound traffic from the NLB is not mesh traffic"
    emissary-system   = "holds only Emissary's CRDs"
    external-dns      = "talks only to Cloudflare and the API server"
    external-secrets  = "its webhook is called by the API server"
    falco             = "runs on the host's kernel events, no service traffic"
    gatekeeper-system = "admission webhooks called by the API server"
    istio-system      = "the Istio control plane itself"
    kube-system       = "CNI, CoreDNS and node agents run there; Istio CNI skips it and the mesh must not depend on itself"
    monitoring        = "Prometheus scrapes kubelets and node exporters outside the mesh; meshed pods allow its identity when it joins per pod"
    openbao           = "OpenBao terminates its own TLS and is called by the API server for auth"
  }
  description = "Platform namespaces kept out of the mesh, with the reason"
}

output "trust_domain" {
  value       = "cluster.local"
  description = "SPIFFE trust domain of workload identities"
}

output "tracing_endpoint" {
  value       = "otel-gateway.monitoring.svc.cluster.local:4317"
  description = "OTLP/gRPC endpoint the proxies send spans to"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/dev/foundation.tfstate"
  }
}
