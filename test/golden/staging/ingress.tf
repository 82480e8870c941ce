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
    cloudflare = {
      version = "5.14.0"
      source  = "cloudflare/cloudflare"
    }
  }
  backend "local" {
    path = "../../../.state/staging/ingress.tfstate"
  }


}

locals {
  cloudflare-dns-write-group-ids = [for g in data.cloudflare_api_token_permission_groups_list.permission-groups.result : g.id if g.name == "DNS Write" && contains(g.scopes, "com.cloudflare.api.account.zone")]
  cloudflare-zone-read-group-ids = [for g in data.cloudflare_api_token_permission_groups_list.permission-groups.result : g.id if g.name == "Zone Read" && contains(g.scopes, "com.cloudflare.api.account.zone")]
}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Environment = "staging"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "ingress"
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

provider "cloudflare" {
}
data "cloudflare_zone" "zone" {
  filter {
    name = "platform.example.com"
  }
}
data "cloudflare_api_token_permission_groups_list" "permission-groups" {
  max_items = 1000
}
resource "cloudflare_api_token" "cloudflare-dns-token" {
  name = "eks-platform-staging-external-dns-cert-manager"
  policies {
    effect = "allow"
    permission_groups {
      id = one(local.cloudflare-dns-write-group-ids)
    }
    permission_groups {
      id = one(local.cloudflare-zone-read-group-ids)
    }
    resources = jsonencode(zipmap([join("", ["com.cloudflare.api.account.zone.", data.cloudflare_zone.zone.id])], ["*"]))
  }
  lifecycle {
    precondition = [
      {
        condition     = "${(length(local.cloudflare-dns-write-group-ids) == 1)}"
        error_message = "Cloudflare has no single permission group named \"DNS Write\" with scope com.cloudflare.api.account.zone: check the token's permission group names (cloudflare_api_token_permission_groups_list)."
      },
      {
        condition     = "${(length(local.cloudflare-zone-read-group-ids) == 1)}"
        error_message = "Cloudflare has no single permission group named \"Zone Read\" with scope com.cloudflare.api.account.zone: check the token's permission group names (cloudflare_api_token_permission_groups_list)."
      },
    ]
  }
}
resource "helm_release" "cloudflare-token-cert-manager_release_73FEA83A" {
  atomic           = true
  chart            = "assets/cloudflare-token-cert-manager_chart_A8A6F370/0AB241F4FBF8AEAEBB8B0624E19772AD"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart cloudflare-token"
  max_history      = 5
  name             = "cloudflare-token-cert-manager"
  namespace        = "cert-manager"
  set_sensitive {
    name  = "apiToken"
    type  = "string"
    value = cloudflare_api_token.cloudflare-dns-token.value
  }
  timeout = 600
  values = [
    <<EOF
secretKey: api-token
secretName: cloudflare-api-token

EOF
  ]
  wait = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "cloudflare-token-external-dns_release_9DC95254" {
  atomic           = true
  chart            = "assets/cloudflare-token-external-dns_chart_3FFBD868/0AB241F4FBF8AEAEBB8B0624E19772AD"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart cloudflare-token"
  max_history      = 5
  name             = "cloudflare-token-external-dns"
  namespace        = "external-dns"
  set_sensitive {
    name  = "apiToken"
    type  = "string"
    value = cloudflare_api_token.cloudflare-dns-token.value
  }
  timeout = 600
  values = [
    <<EOF
secretKey: api-token
secretName: cloudflare-api-token

EOF
  ]
  wait = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "cert-manager_release_27534094" {
  atomic           = true
  chart            = "cert-manager"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "cert-manager"
  namespace        = "cert-manager"
  repository       = "https://charts.jetstack.io"
  timeout          = 600
  values = [
    <<EOF
cainjector:
    replicaCount: 1
    resources:
        limits:
            cpu: 100m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 48Mi
crds:
    enabled: true
    keep: true
dns01RecursiveNameservers: 1.1.1.1:53,8.8.8.8:53
dns01RecursiveNameserversOnly: true
prometheus:
    enabled: true
    servicemonitor:
        enabled: true
replicaCount: 1
resources:
    limits:
        cpu: 200m
        memory: 256Mi
    requests:
        cpu: 20m
        memory: 64Mi
webhook:
    replicaCount: 1
    resources:
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 32Mi

EOF
  ]
  version = "v1.21.1"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "emissary-crds_release_CAA204F2" {
  atomic           = true
  chart            = "emissary-crds-chart"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "emissary-crds"
  namespace        = "emissary-system"
  repository       = "oci://ghcr.io/emissary-ingress"
  timeout          = 600
  values = [
    <<EOF
enableLegacyVersions: false

EOF
  ]
  version = "4.1.0"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "emissary-ingress_release_FC14091C" {
  atomic           = true
  chart            = "emissary-ingress"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "emissary-ingress"
  namespace        = "emissary"
  repository       = "oci://ghcr.io/emissary-ingress"
  timeout          = 600
  values = [
    <<EOF
adminService:
    create: true
createDefaultListeners: false
ingressClassResource:
    enabled: true
    name: ambassador
podAnnotations:
    traffic.sidecar.istio.io/includeInboundPorts: ""
podDisruptionBudget:
    maxUnavailable: 1
podLabels:
    sidecar.istio.io/inject: "true"
replicaCount: 2
resources:
    limits:
        cpu: 500m
        memory: 512Mi
    requests:
        cpu: 50m
        memory: 150Mi
service:
    annotations:
        external-dns.alpha.kubernetes.io/hostname: '*.staging.platform.example.com,staging.platform.example.com'
        service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true
        service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
        service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
        service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
        service.beta.kubernetes.io/aws-load-balancer-type: external
    externalTrafficPolicy: Local
    loadBalancerClass: service.k8s.aws/nlb
    type: LoadBalancer
topologySpreadConstraints:
    - labelSelector:
        matchLabels:
            app.kubernetes.io/instance: emissary-ingress
            app.kubernetes.io/name: emissary-ingress
      maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
    - labelSelector:
        matchLabels:
            app.kubernetes.io/instance: emissary-ingress
            app.kubernetes.io/name: emissary-ingress
      maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
waitForApiext:
    enabled: false

EOF
  ]
  version = "4.1.0"
  wait    = true
  depends_on = [
    "helm_release.emissary-crds_release_CAA204F2",
  ]
  provider = "helm"
}
resource "helm_release" "cert-issuers_release_17CDB22E" {
  atomic           = true
  chart            = "assets/cert-issuers_chart_9D15B609/0C3E6D3EF8C71F6CBBD74C292C86E489"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart cert-issuers"
  max_history      = 5
  name             = "cert-issuers"
  namespace        = "cert-manager"
  timeout          = 600
  values = [
    <<EOF
certificate:
    name: wildcard
    namespace: emissary
    secretName: wildcard-tls
defaultIssuer: letsencrypt-production
domain: staging.platform.example.com
email: platform-team@example.com
tokenSecret:
    key: api-token
    name: cloudflare-api-token
zone: platform.example.com

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.cert-manager_release_27534094",
    "helm_release.cloudflare-token-cert-manager_release_73FEA83A",
    "helm_release.emissary-ingress_release_FC14091C",
  ]
  provider = "helm"
}
resource "helm_release" "external-dns_release_90291C33" {
  atomic           = true
  chart            = "external-dns"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "external-dns"
  namespace        = "external-dns"
  repository       = "https://kubernetes-sigs.github.io/external-dns"
  timeout          = 600
  values = [
    <<EOF
domainFilters:
    - staging.platform.example.com
env:
    - name: CF_API_TOKEN
      valueFrom:
        secretKeyRef:
            key: api-token
            name: cloudflare-api-token
extraArgs:
    cloudflare-proxied: false
    txt-wildcard-replacement: wildcard
policy: sync
provider:
    name: cloudflare
registry: txt
resources:
    limits:
        cpu: 100m
        memory: 128Mi
    requests:
        cpu: 10m
        memory: 40Mi
serviceMonitor:
    enabled: true
sources:
    - service
txtOwnerId: eks-platform-staging-external-dns

EOF
  ]
  version = "1.21.1"
  wait    = true
  depends_on = [
    "helm_release.cloudflare-token-external-dns_release_9DC95254",
  ]
  provider = "helm"
}
resource "helm_release" "emissary-edge_release_C828053C" {
  atomic           = true
  chart            = "assets/emissary-edge_chart_2CC9561F/B942E17F8303EBF427DEA1F44B037CA7"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart emissary-edge"
  max_history      = 5
  name             = "emissary-edge"
  namespace        = "emissary"
  timeout          = 600
  values = [
    <<EOF
domain: staging.platform.example.com
serviceMonitor:
    enabled: true
    interval: 30s
    port: ambassador-admin
    selector:
        service: ambassador-admin
tlsSecretName: wildcard-tls

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.emissary-ingress_release_FC14091C",
    "helm_release.cert-issuers_release_17CDB22E",
    "helm_release.external-dns_release_90291C33",
  ]
  provider = "helm"
}
data "aws_lb" "emissary-nlb" {
  tags = {
    "elbv2.k8s.aws/cluster" = "${data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name}"
    "service.k8s.aws/stack" = "emissary/emissary-ingress"
  }
  depends_on = [
    "helm_release.emissary-ingress_release_FC14091C",
  ]
}

output "ingress_namespace" {
  value       = "emissary"
  description = "Namespace of Emissary-ingress (Mappings may live anywhere)"
}

output "ingress_class" {
  value       = "ambassador"
  description = "IngressClass served by Emissary (for plain Ingress objects)"
}

output "ingress_service" {
  value       = "emissary/emissary-ingress"
  description = "Emissary Service behind the NLB"
}

output "load_balancer_hostname" {
  value       = data.aws_lb.emissary-nlb.dns_name
  description = "DNS name of the internet-facing NLB"
}

output "cluster_issuers" {
  value = [
    "letsencrypt-production",
    "letsencrypt-staging",
  ]
  description = "ClusterIssuers (default first)"
}

output "wildcard_certificate_secret" {
  value       = "emissary/wildcard-tls"
  description = "TLS Secret of *.<domain>"
}

output "domain" {
  value       = "staging.platform.example.com"
  description = "The environment's domain"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/staging/foundation.tfstate"
  }
}
