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
    path = "../../../.state/dev/gitops.tfstate"
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
      Workflow    = "gitops"
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
data "aws_caller_identity" "account" {
}
data "aws_partition" "partition" {
}
resource "aws_kms_key" "ecr-key" {
  deletion_window_in_days = 30
  description             = "ECR image encryption for eks-platform-dev"
  enable_key_rotation     = true
  tags = {
    Component = "ecr"
  }
}
resource "aws_kms_alias" "ecr-key-alias" {
  name          = "alias/eks-platform-dev-ecr"
  target_key_id = aws_kms_key.ecr-key.key_id
}
resource "aws_ecr_repository" "ecr-api-gateway" {
  force_delete         = true
  image_tag_mutability = "IMMUTABLE"
  name                 = "eks-platform-dev/api-gateway"
  tags = {
    Component = "ecr"
    Service   = "api-gateway"
    Team      = "ecotrack"
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr-key.arn
  }
  image_scanning_configuration {
    scan_on_push = true
  }
}
resource "aws_ecr_lifecycle_policy" "ecr-api-gateway-lifecycle" {
  policy     = jsonencode({ "rules" = [{ "action" = { "type" = "expire" }, "description" = "keep the last 30 images", "rulePriority" = 1, "selection" = { "countNumber" = 30, "countType" = "imageCountMoreThan", "tagStatus" = "any" } }] })
  repository = aws_ecr_repository.ecr-api-gateway.name
}
resource "aws_ecr_repository_policy" "ecr-api-gateway-policy" {
  policy     = jsonencode({ "Statement" = [{ "Action" = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Effect" = "Allow", "Principal" = { "AWS" = "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root" }, "Sid" = "AccountPull" }], "Version" = "2012-10-17" })
  repository = aws_ecr_repository.ecr-api-gateway.name
}
resource "aws_ecr_repository" "ecr-user-service" {
  force_delete         = true
  image_tag_mutability = "IMMUTABLE"
  name                 = "eks-platform-dev/user-service"
  tags = {
    Component = "ecr"
    Service   = "user-service"
    Team      = "ecotrack"
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr-key.arn
  }
  image_scanning_configuration {
    scan_on_push = true
  }
}
resource "aws_ecr_lifecycle_policy" "ecr-user-service-lifecycle" {
  policy     = jsonencode({ "rules" = [{ "action" = { "type" = "expire" }, "description" = "keep the last 30 images", "rulePriority" = 1, "selection" = { "countNumber" = 30, "countType" = "imageCountMoreThan", "tagStatus" = "any" } }] })
  repository = aws_ecr_repository.ecr-user-service.name
}
resource "aws_ecr_repository_policy" "ecr-user-service-policy" {
  policy     = jsonencode({ "Statement" = [{ "Action" = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "Effect" = "Allow", "Principal" = { "AWS" = "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root" }, "Sid" = "AccountPull" }], "Version" = "2012-10-17" })
  repository = aws_ecr_repository.ecr-user-service.name
}
resource "aws_iam_role" "builder-identity_role_EDAEAD08" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of tekton-ci/tekton-builder (Pod Identity)"
  name                 = "eks-platform-dev-tekton-builder"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "tekton-builder"
  }
}
resource "aws_iam_role_policy" "builder-identity_policy_BB872FBA" {
  name   = "tekton-builder"
  policy = jsonencode({ "Statement" = [{ "Action" = ["ecr:GetAuthorizationToken"], "Effect" = "Allow", "Resource" = ["*"], "Sid" = "ECRLogin" }, { "Action" = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"], "Effect" = "Allow", "Resource" = [aws_ecr_repository.ecr-api-gateway.arn, aws_ecr_repository.ecr-user-service.arn], "Sid" = "PushPlatformRepositories" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.builder-identity_role_EDAEAD08.id
}
resource "aws_eks_pod_identity_association" "builder-identity_association_73297C71" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "tekton-ci"
  role_arn        = aws_iam_role.builder-identity_role_EDAEAD08.arn
  service_account = "tekton-builder"
  tags = {
    Component = "tekton-builder"
  }
  depends_on = [
  ]
}
resource "helm_release" "argocd_release_C387351C" {
  atomic           = true
  chart            = "argo-cd"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "argocd"
  namespace        = "argocd"
  repository       = "https://argoproj.github.io/argo-helm"
  timeout          = 600
  values = [
    <<EOF
applicationSet:
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    replicas: 1
    resources:
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 32Mi
commitServer:
    enabled: false
configs:
    cm:
        admin.enabled: true
        application.resourceTrackingMethod: annotation
        exec.enabled: false
        kustomize.buildOptions: --enable-helm
        statusbadge.enabled: false
        url: https://argocd.dev.platform.example.com
    params:
        server.insecure: true
    rbac:
        policy.default: role:readonly
        policy.matchMode: glob
        scopes: '[groups]'
    secret:
        createSecret: true
controller:
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    replicas: 1
    resources:
        limits:
            cpu: "1"
            memory: 1Gi
        requests:
            cpu: 100m
            memory: 224Mi
crds:
    install: true
    keep: false
dex:
    enabled: false
global:
    domain: argocd.dev.platform.example.com
    logging:
        format: json
        level: info
notifications:
    enabled: true
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    resources:
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
    secret:
        create: true
    templates:
        template.app-health-degraded: |
            message: "{{.app.metadata.name}} is {{.app.status.health.status}}"
        template.app-sync-failed: |
            message: "{{.app.metadata.name}} failed to sync: {{.app.status.operationState.message}}"
    triggers:
        trigger.on-health-degraded: |
            - when: app.status.health.status == 'Degraded'
              send: [app-health-degraded]
        trigger.on-sync-failed: |
            - when: app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']
              send: [app-sync-failed]
redis:
    enabled: true
    exporter:
        enabled: true
        resources:
            limits:
                cpu: 50m
                memory: 64Mi
            requests:
                cpu: 5m
                memory: 16Mi
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    resources:
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
redisSecretInit:
    resources:
        limits:
            cpu: 100m
            memory: 64Mi
        requests:
            cpu: 10m
            memory: 32Mi
repoServer:
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    replicas: 1
    resources:
        limits:
            cpu: 500m
            memory: 512Mi
        requests:
            cpu: 30m
            memory: 80Mi
server:
    metrics:
        enabled: true
        serviceMonitor:
            enabled: true
    replicas: 1
    resources:
        limits:
            cpu: 300m
            memory: 256Mi
        requests:
            cpu: 20m
            memory: 48Mi

EOF
  ]
  version = "10.1.1"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "tekton-operator_release_BD648D4F" {
  atomic           = true
  chart            = "tekton-operator"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "tekton-operator"
  namespace        = "tekton-operator"
  repository       = "oci://ghcr.io/tektoncd/operator/charts"
  timeout          = 600
  values = [
    <<EOF
installCRDs: true
operator:
    autoInstallComponents: false
    defaultTargetNamespace: tekton-pipelines
    replicas: 1
    resources:
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 40Mi
service:
    createServiceMonitor: true
webhook:
    replicas: 1
    resources:
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi

EOF
  ]
  version = "0.81.1"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "tekton-config_release_1FBE50CC" {
  atomic           = true
  chart            = "assets/tekton-config_chart_1D625B44/85252B79AEE42DC38A19C4B9982E7092"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart tekton-config"
  max_history      = 5
  name             = "tekton-config"
  namespace        = "tekton-operator"
  timeout          = 600
  values = [
    <<EOF
deployments:
    tekton-dashboard:
        component: dashboard
        container: tekton-dashboard
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
    tekton-events-controller:
        component: pipeline
        container: tekton-events-controller
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
    tekton-pipelines-controller:
        component: pipeline
        container: tekton-pipelines-controller
        limits:
            cpu: 500m
            memory: 512Mi
        requests:
            cpu: 20m
            memory: 64Mi
    tekton-pipelines-remote-resolvers:
        component: pipeline
        container: controller
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 40Mi
    tekton-pipelines-webhook:
        component: pipeline
        container: webhook
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 40Mi
    tekton-triggers-controller:
        component: trigger
        container: tekton-triggers-controller
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 32Mi
    tekton-triggers-core-interceptors:
        component: trigger
        container: tekton-triggers-core-interceptors
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
    tekton-triggers-webhook:
        component: trigger
        container: webhook
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 24Mi
pruner:
    keep: 10
    schedule: 0 3 * * *
serviceMonitor:
    enabled: true
    interval: 30s
targetNamespace: tekton-pipelines
waitForReady:
    enabled: true
    image: registry.k8s.io/kubectl:v1.35.0
    resources:
        limits:
            cpu: 100m
            memory: 64Mi
        requests:
            cpu: 10m
            memory: 32Mi
    timeoutSeconds: 540

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.tekton-operator_release_BD648D4F",
  ]
  provider = "helm"
}
resource "helm_release" "argocd-platform_release_B548974A" {
  atomic           = true
  chart            = "assets/argocd-platform_chart_E151E420/04BF7822E81635180E545AA3F76798CE"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart argocd-platform"
  max_history      = 5
  name             = "argocd-platform"
  namespace        = "argocd"
  timeout          = 600
  values = [
    <<EOF
environment: dev
injectionLabel: istio-injection
meshNamespaces:
    - ecotrack
podSecurity: baseline
repository:
    branch: main
    path: apps
    url: https://github.com/example-org/platform-gitops.git
retry:
    backoff:
        duration: 10s
        factor: 2
        maxDuration: 3m
    limit: 5
services:
    - name: api-gateway
      namespace: ecotrack
      team: ecotrack
    - name: user-service
      namespace: ecotrack
      team: ecotrack
slackChannel: ""
teams:
    - name: ecotrack
      namespaces:
        - ecotrack
      sourceRepos:
        - https://github.com/example-org/platform-gitops.git

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.argocd_release_C387351C",
  ]
  provider = "helm"
}
resource "helm_release" "tekton-pipeline_release_D59DE537" {
  atomic           = true
  chart            = "assets/tekton-pipeline_chart_E421B40F/8EDEF7E3EE3E6FF0F26590536F3B2A37"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart tekton-pipeline"
  max_history      = 5
  name             = "tekton-pipeline"
  namespace        = "tekton-ci"
  timeout          = 600
  values = [
    <<EOF
eventListener:
    resources:
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 32Mi
gitops:
    branch: main
    environment: dev
    path: apps
    sshURL: git@github.com:example-org/platform-gitops.git
images:
    git: docker.io/alpine/git:2.49.1
    kaniko: gcr.io/kaniko-project/executor:v1.23.2
    test: docker.io/library/golang:1.26.8
    yq: docker.io/mikefarah/yq:4.45.1
registry: ${data.aws_caller_identity.account.account_id}.dkr.ecr.us-east-1.amazonaws.com
secrets:
    deployKey:
        name: gitops-deploy-key
    webhook:
        key: secret
        name: github-webhook
serviceAccounts:
    builder: tekton-builder
    runner: tekton-runner
    triggers: tekton-triggers
serviceMonitor:
    enabled: true
    interval: 30s
services:
    - branch: main
      name: api-gateway
      repository: eks-platform-dev/api-gateway
      sourceRepository: https://github.com/example-org/api-gateway.git
    - branch: main
      name: user-service
      repository: eks-platform-dev/user-service
      sourceRepository: https://github.com/example-org/user-service.git
stepResources:
    limits:
        cpu: "1"
        memory: 2Gi
    requests:
        cpu: 100m
        memory: 256Mi
workspace:
    size: 1Gi
    storageClass: gp3

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.tekton-config_release_1FBE50CC",
    "aws_eks_pod_identity_association.builder-identity_association_73297C71",
  ]
  provider = "helm"
}
resource "helm_release" "gitops-secrets_release_A5F76DFD" {
  atomic           = true
  chart            = "assets/gitops-secrets_chart_E98C697F/2A1F1C6588E92925FA83BBA267F15A7C"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart gitops-secrets"
  max_history      = 5
  name             = "gitops-secrets"
  namespace        = "argocd"
  timeout          = 600
  values = [
    <<EOF
refreshInterval: 1h
secrets:
    - awsSecretName: eks-platform-dev/gitops/repo-credentials
      keys:
        - property: githubAppID
          secretKey: githubAppID
        - property: githubAppInstallationID
          secretKey: githubAppInstallationID
        - property: githubAppPrivateKey
          secretKey: githubAppPrivateKey
      labels:
        argocd.argoproj.io/secret-type: repo-creds
      name: gitops-repo-creds
      namespace: argocd
      static:
        type: git
        url: https://github.com/example-org/platform-gitops.git
    - awsSecretName: eks-platform-dev/gitops/github-webhook
      keys:
        - property: secret
          secretKey: secret
      name: github-webhook
      namespace: tekton-ci
    - awsSecretName: eks-platform-dev/gitops/deploy-key
      keys:
        - property: sshPrivateKey
          secretKey: ssh-privatekey
      name: gitops-deploy-key
      namespace: tekton-ci
      static:
        known_hosts: |
            github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
            github.com ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=
            github.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCj7ndNxQowgcQnjshcLrqPEiiphnt+VTTvDP6mHBL9j1aNUkY4Ue1gvwnGLVlOhGeYrnZaMgRK6+PKCUXaDbC7qtbW8gIkhL7aGCsOr/C56SJMy/BCZfxd1nWzAOxSDPgVsmerOBYfNqltV9/hWCqBywINIR+5dIg6JTJ72pcEpEjcYgXkE2YEFXV1JHnsKgbLWNlhScqb2UmyRkQyytRLtL+38TGxkxCflmO+5Z8CSSNY7GidjMIZ7Q4zMjA2n1nGrlTDkzwDCsw+wqFPGQA179cnfGWOWRVruj16z6XyvxvjJwbz0wQZ75XK5tKSb7FNyeIEs4TT4jk+S4dhPeAUC5y+bDYirYgM4GC7uEnztnZyaVWQ7B381AK4Qdrwt51ZqExKbQpTUNn+EjqoTwvqNj4kqx5QUCI0ThS/YkOxJCXmPUWZbhjpCg56i+2aB6CmK2JGhn57K5mj0MNdBXA4/WnwH6XoPWJzK5Nyu2zB3nAZp+S5hpQs+p1vN1/wsjk=
store:
    kind: ClusterSecretStore
    name: aws-secrets-manager

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.argocd_release_C387351C",
    "helm_release.tekton-pipeline_release_D59DE537",
  ]
  provider = "helm"
}
resource "helm_release" "tekton-hooks-route_release_98F5D1F9" {
  atomic           = true
  chart            = "assets/tekton-hooks-route_chart_45465BA0/3B742E31197C9AEE469A399BE29667E7"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart ui-route"
  max_history      = 5
  name             = "tekton-hooks-route"
  namespace        = "tekton-ci"
  timeout          = 600
  values = [
    <<EOF
backendTLS: false
hostname: tekton-hooks.dev.platform.example.com
name: tekton-hooks
port: 8080
service: el-github
timeoutMs: 30000
websocket: false

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.tekton-pipeline_release_D59DE537",
  ]
  provider = "helm"
}
resource "helm_release" "argocd-route_release_E86165FE" {
  atomic           = true
  chart            = "assets/argocd-route_chart_0E04CB5B/3B742E31197C9AEE469A399BE29667E7"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart ui-route"
  max_history      = 5
  name             = "argocd-route"
  namespace        = "argocd"
  timeout          = 600
  values = [
    <<EOF
backendTLS: false
hostname: argocd.dev.platform.example.com
name: argocd
port: 80
service: argocd-server
timeoutMs: 60000
websocket: false

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.argocd_release_C387351C",
  ]
  provider = "helm"
}
resource "helm_release" "gitops-rules_release_664AE078" {
  atomic           = true
  chart            = "assets/gitops-rules_chart_DD593D93/D9A86DD47F697A5187957ADCAE2F140D"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart prometheus-rules"
  max_history      = 5
  name             = "gitops-rules"
  namespace        = "argocd"
  timeout          = 600
  values = [
    <<EOF
groups:
    - name: argocd
      rules:
        - alert: ArgoCDSyncFailed
          annotations:
            description: Application {{ $labels.name }} (project {{ $labels.project }}) failed to sync in the last 15 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#sync-failed
            summary: Argo CD failed to sync an application
          expr: sum by (name, project) (increase(argocd_app_sync_total{phase=~"Error|Failed"}[15m])) > 0
          labels:
            severity: warning
            workflow: gitops
        - alert: ArgoCDAppOutOfSync
          annotations:
            description: Application {{ $labels.name }} has differed from Git for 30 minutes although automated sync with self-heal is on.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#out-of-sync
            summary: An application stayed out of sync
          expr: max by (name, project) (argocd_app_info{sync_status="OutOfSync"}) == 1
          for: 30m
          labels:
            severity: warning
            workflow: gitops
        - alert: ArgoCDAppDegraded
          annotations:
            description: Application {{ $labels.name }} has reported Degraded health for 15 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#application-degraded
            summary: An application is degraded
          expr: max by (name, project) (argocd_app_info{health_status="Degraded"}) == 1
          for: 15m
          labels:
            severity: critical
            workflow: gitops
    - name: tekton
      rules:
        - alert: TektonPipelineRunFailed
          annotations:
            description: Pipeline {{ $labels.pipeline }} in {{ $labels.namespace }} had a failed run in the last 30 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#pipeline-failed
            summary: A pipeline run failed
          expr: sum by (namespace, pipeline) (increase(tekton_pipelines_controller_pipelinerun_total{status="failed"}[30m])) > 0
          labels:
            severity: warning
            workflow: gitops
        - alert: TektonImageBuildFailed
          annotations:
            description: The kaniko-build task failed in {{ $labels.namespace }}; the most common cause is an ECR push that was denied.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#image-push-denied
            summary: An image build or push failed
          expr: sum by (namespace) (increase(tekton_pipelines_controller_taskrun_total{status="failed", task="kaniko-build"}[30m])) > 0
          labels:
            severity: warning
            workflow: gitops
        - alert: TektonControllerDown
          annotations:
            description: 'No healthy tekton-pipelines-controller target for 10 minutes: no pipeline runs progress.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/gitops.md#pipeline-failed
            summary: The Tekton Pipelines controller is not scraped
          expr: absent(up{namespace="tekton-pipelines", service="tekton-pipelines-controller"} == 1)
          for: 10m
          labels:
            severity: critical
            workflow: gitops
name: gitops-rules

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.argocd_release_C387351C",
    "helm_release.tekton-config_release_1FBE50CC",
    "helm_release.argocd-platform_release_B548974A",
    "helm_release.tekton-pipeline_release_D59DE537",
  ]
  provider = "helm"
}

output "argocd_url" {
  value       = "https://argocd.dev.platform.example.com"
  description = "Argo CD UI and API (argocd login <host> --grpc-web --sso)"
}

output "argocd_namespace" {
  value       = "argocd"
  description = "Namespace of Argo CD (AppProjects and ApplicationSets live here)"
}

output "tekton_namespace" {
  value       = "tekton-pipelines"
  description = "Namespace of Tekton Pipelines, Triggers and the Dashboard"
}

output "ci_namespace" {
  value       = "tekton-ci"
  description = "Namespace of the reference pipeline and its EventListener"
}

output "webhook_url" {
  value       = "https://tekton-hooks.dev.platform.example.com"
  description = "GitHub webhook URL (push events, content type application/json)"
}

output "ecr_registry" {
  value       = "${data.aws_caller_identity.account.account_id}.dkr.ecr.us-east-1.amazonaws.com"
  description = "ECR registry host"
}

output "ecr_repositories" {
  value = {
    api-gateway  = "${aws_ecr_repository.ecr-api-gateway.repository_url}"
    user-service = "${aws_ecr_repository.ecr-user-service.repository_url}"
  }
  description = "ECR repository URL by service"
}

output "builder_role_arn" {
  value       = aws_iam_role.builder-identity_role_EDAEAD08.arn
  description = "IAM role of the pipeline's build task (ECR push to the platform's repositories)"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/dev/foundation.tfstate"
  }
}
