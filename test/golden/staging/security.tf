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
    path = "../../../.state/staging/security.tfstate"
  }


}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      Environment = "staging"
      ManagedBy   = "cdktf"
      Owner       = "platform-team"
      Project     = "eks-platform"
      Workflow    = "security"
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
resource "aws_kms_key" "openbao-unseal" {
  deletion_window_in_days = 30
  description             = "OpenBao auto-unseal (awskms seal) of eks-platform-staging"
  enable_key_rotation     = true
  policy                  = jsonencode({ "Statement" = [{ "Action" = ["kms:*"], "Effect" = "Allow", "Principal" = { "AWS" = "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root" }, "Resource" = ["*"], "Sid" = "AccountAdministers" }], "Version" = "2012-10-17" })
  tags = {
    Component = "openbao-unseal"
  }
}
resource "aws_kms_alias" "openbao-unseal-alias" {
  name          = "alias/eks-platform-staging-openbao-unseal"
  target_key_id = aws_kms_key.openbao-unseal.key_id
}
resource "aws_kms_key" "openbao-init" {
  deletion_window_in_days = 30
  description             = "OpenBao recovery keys and initial root token in Secrets Manager, eks-platform-staging"
  enable_key_rotation     = true
  policy                  = jsonencode({ "Statement" = [{ "Action" = ["kms:*"], "Effect" = "Allow", "Principal" = { "AWS" = "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root" }, "Resource" = ["*"], "Sid" = "AccountAdministers" }], "Version" = "2012-10-17" })
  tags = {
    Component = "openbao-init"
  }
}
resource "aws_kms_alias" "openbao-init-alias" {
  name          = "alias/eks-platform-staging-openbao-init"
  target_key_id = aws_kms_key.openbao-init.key_id
}
resource "aws_secretsmanager_secret" "openbao-init-secret" {
  description             = "OpenBao init output (recovery keys, initial root token, revoked after bootstrap); written once by the bootstrap Job"
  kms_key_id              = aws_kms_key.openbao-init.arn
  name                    = "eks-platform-staging-openbao/init"
  recovery_window_in_days = 30
  tags = {
    Component = "openbao"
  }
}
resource "aws_s3_bucket" "openbao-snapshots_bucket_39DE40AD" {
  bucket        = join("-", ["eks-platform-staging-openbao-snapshots", data.aws_caller_identity.account.account_id])
  force_destroy = false
  tags = {
    Component = "openbao-snapshots"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "openbao-snapshots_encryption_E57D95E0" {
  bucket = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn
      sse_algorithm     = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_public_access_block" "openbao-snapshots_public-access_A2DA9F1E" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "openbao-snapshots_ownership_C8EB305D" {
  bucket = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_policy" "openbao-snapshots_tls-only_40CB00D3" {
  bucket = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:*"], "Condition" = { "Bool" = { "aws:SecureTransport" = "false" } }, "Effect" = "Deny", "Principal" = { "AWS" = "*" }, "Resource" = [aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.arn, "${aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.arn}/*"], "Sid" = "DenyInsecureTransport" }], "Version" = "2012-10-17" })
}
resource "aws_s3_bucket_versioning" "openbao-snapshots_versioning_4BB38291" {
  bucket = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "openbao-snapshots_lifecycle_373B2B04" {
  bucket = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.id
  rule {
    id     = "retention"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
    expiration {
      days = 30
    }
    filter {
      prefix = ""
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }
}
resource "helm_release" "internal-ca_release_C83E7236" {
  atomic           = true
  chart            = "assets/internal-ca_chart_D3360943/D532313C9BCC2F56B839B6B01F1282DC"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart internal-ca"
  max_history      = 5
  name             = "internal-ca"
  namespace        = "cert-manager"
  timeout          = 600
  values = [
    <<EOF
commonName: eks-platform-staging-internal-ca
issuerName: internal-ca

EOF
  ]
  wait = true
  depends_on = [
  ]
  provider = "helm"
}
resource "aws_iam_role" "openbao-identity_role_CE24EB5A" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of openbao/openbao (Pod Identity)"
  name                 = "eks-platform-staging-openbao"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-staging-permissions-boundary"
  tags = {
    Component = "openbao"
  }
}
resource "aws_iam_role_policy" "openbao-identity_policy_9006D255" {
  name   = "openbao"
  policy = jsonencode({ "Statement" = [{ "Action" = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], "Effect" = "Allow", "Resource" = [aws_kms_key.openbao-unseal.arn], "Sid" = "AutoUnseal" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.openbao-identity_role_CE24EB5A.id
}
resource "aws_eks_pod_identity_association" "openbao-identity_association_DF00654F" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "openbao"
  role_arn        = aws_iam_role.openbao-identity_role_CE24EB5A.arn
  service_account = "openbao"
  tags = {
    Component = "openbao"
  }
  depends_on = [
  ]
}
resource "helm_release" "openbao-tls_release_B1965D2B" {
  atomic           = true
  chart            = "assets/openbao-tls_chart_18D80546/A05547818AD8867AA953095B85E532EE"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart openbao-tls"
  max_history      = 5
  name             = "openbao-tls"
  namespace        = "openbao"
  timeout          = 600
  values = [
    <<EOF
dnsNames:
    - openbao
    - openbao.openbao
    - openbao.openbao.svc
    - openbao.openbao.svc.cluster.local
    - openbao-active
    - openbao-active.openbao
    - openbao-active.openbao.svc
    - openbao-active.openbao.svc.cluster.local
    - openbao-standby
    - openbao-standby.openbao
    - openbao-standby.openbao.svc
    - openbao-standby.openbao.svc.cluster.local
    - openbao-internal
    - openbao-internal.openbao
    - openbao-internal.openbao.svc
    - openbao-internal.openbao.svc.cluster.local
    - '*.openbao-internal'
    - '*.openbao-internal.openbao.svc'
    - '*.openbao-internal.openbao.svc.cluster.local'
    - localhost
issuer: internal-ca
secretName: openbao-server-tls

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.internal-ca_release_C83E7236",
  ]
  provider = "helm"
}
resource "helm_release" "openbao_release_74A24B2A" {
  atomic           = true
  chart            = "openbao"
  cleanup_on_fail  = true
  create_namespace = false
  max_history      = 5
  name             = "openbao"
  namespace        = "openbao"
  repository       = "https://openbao.github.io/openbao-helm"
  timeout          = 600
  values = [
    <<EOF
csi:
    enabled: false
global:
    tlsDisable: false
injector:
    enabled: false
server:
    auditStorage:
        enabled: false
    dataStorage:
        enabled: true
        size: 10Gi
        storageClass: gp3
    extraEnvironmentVars:
        AWS_REGION: us-east-1
        BAO_CACERT: /openbao/tls/ca.crt
    ha:
        disruptionBudget:
            enabled: true
            maxUnavailable: 1
        enabled: true
        raft:
            config: |
                ui = true
                cluster_name = "eks-platform-staging"
                disable_mlock = true

                listener "tcp" {
                  address         = "[::]:8200"
                  cluster_address = "[::]:8201"
                  tls_cert_file   = "/openbao/tls/tls.crt"
                  tls_key_file    = "/openbao/tls/tls.key"
                  tls_min_version = "tls12"
                  telemetry {
                    unauthenticated_metrics_access = true
                  }
                }

                storage "raft" {
                  path = "/openbao/data"
                  retry_join {
                    leader_api_addr     = "https://openbao-0.openbao-internal:8200"
                    leader_ca_cert_file = "/openbao/tls/ca.crt"
                  }
                  retry_join {
                    leader_api_addr     = "https://openbao-1.openbao-internal:8200"
                    leader_ca_cert_file = "/openbao/tls/ca.crt"
                  }
                  retry_join {
                    leader_api_addr     = "https://openbao-2.openbao-internal:8200"
                    leader_ca_cert_file = "/openbao/tls/ca.crt"
                  }
                }

                seal "awskms" {
                  region     = "us-east-1"
                  kms_key_id = "${aws_kms_key.openbao-unseal.arn}"
                }

                service_registration "kubernetes" {}

                telemetry {
                  prometheus_retention_time = "30s"
                  disable_hostname          = true
                }

                audit "file" "stdout" {
                  description = "Audit log to standard output, collected by Loki"
                  options {
                    file_path = "stdout"
                  }
                }
            enabled: true
            setNodeId: true
        replicas: 3
    image:
        registry: quay.io
        repository: openbao/openbao
        tag: 2.6.2
    readinessProbe:
        enabled: true
        path: /v1/sys/health?standbyok=true&perfstandbyok=true&uninitcode=204
    resources:
        limits:
            cpu: 500m
            memory: 512Mi
        requests:
            cpu: 20m
            memory: 96Mi
    serviceAccount:
        create: true
        name: openbao
    topologySpreadConstraints:
        - labelSelector:
            matchLabels:
                app.kubernetes.io/instance: openbao
                app.kubernetes.io/name: openbao
                component: server
          maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
    volumeMounts:
        - mountPath: /openbao/tls
          name: tls
          readOnly: true
    volumes:
        - name: tls
          secret:
            secretName: openbao-server-tls
serverTelemetry:
    serviceMonitor:
        enabled: true
        selectors:
            app.kubernetes.io/part-of: eks-platform
        tlsConfig:
            ca:
                secret:
                    key: ca.crt
                    name: openbao-server-tls
            serverName: openbao-active.openbao.svc
ui:
    enabled: false

EOF
  ]
  version = "0.29.2"
  wait    = true
  depends_on = [
    "helm_release.openbao-tls_release_B1965D2B",
    "aws_eks_pod_identity_association.openbao-identity_association_DF00654F",
  ]
  provider = "helm"
}
resource "aws_iam_role" "openbao-bootstrap-identity_role_1E827879" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of openbao/openbao-bootstrap (Pod Identity)"
  name                 = "eks-platform-staging-openbao-bootstrap"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-staging-permissions-boundary"
  tags = {
    Component = "openbao-bootstrap"
  }
}
resource "aws_iam_role_policy" "openbao-bootstrap-identity_policy_0986A9AA" {
  name   = "openbao-bootstrap"
  policy = jsonencode({ "Statement" = [{ "Action" = ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "Effect" = "Allow", "Resource" = [aws_secretsmanager_secret.openbao-init-secret.arn], "Sid" = "InitSecret" }, { "Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Condition" = { "StringEquals" = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }, "Effect" = "Allow", "Resource" = [aws_kms_key.openbao-init.arn], "Sid" = "InitSecretKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.openbao-bootstrap-identity_role_1E827879.id
}
resource "aws_eks_pod_identity_association" "openbao-bootstrap-identity_association_7F79A52A" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "openbao"
  role_arn        = aws_iam_role.openbao-bootstrap-identity_role_1E827879.arn
  service_account = "openbao-bootstrap"
  tags = {
    Component = "openbao-bootstrap"
  }
  depends_on = [
  ]
}
resource "aws_iam_role" "openbao-snapshot-identity_role_FCCA6F3B" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of openbao/openbao-snapshot (Pod Identity)"
  name                 = "eks-platform-staging-openbao-snapshot"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-staging-permissions-boundary"
  tags = {
    Component = "openbao-snapshot"
  }
}
resource "aws_iam_role_policy" "openbao-snapshot-identity_policy_5DAB0485" {
  name   = "openbao-snapshot"
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:PutObject"], "Effect" = "Allow", "Resource" = ["${aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.arn}/snapshots/*"], "Sid" = "PutSnapshots" }, { "Action" = ["s3:ListBucket"], "Effect" = "Allow", "Resource" = [aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.arn], "Sid" = "ListSnapshots" }, { "Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Effect" = "Allow", "Resource" = [data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn], "Sid" = "BucketKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.openbao-snapshot-identity_role_FCCA6F3B.id
}
resource "aws_eks_pod_identity_association" "openbao-snapshot-identity_association_A1492531" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "openbao"
  role_arn        = aws_iam_role.openbao-snapshot-identity_role_FCCA6F3B.arn
  service_account = "openbao-snapshot"
  tags = {
    Component = "openbao-snapshot"
  }
  depends_on = [
  ]
}
resource "helm_release" "openbao-bootstrap_release_D98DD2A5" {
  atomic           = true
  chart            = "assets/openbao-bootstrap_chart_7A0D6CFC/68E1AE2BD2A5430952EDBA4F837674D2"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart openbao-bootstrap"
  max_history      = 5
  name             = "openbao-bootstrap"
  namespace        = "openbao"
  timeout          = 900
  values = [
    <<EOF
address: https://openbao-active.openbao.svc:8200
images:
    awsCli: public.ecr.aws/aws-cli/aws-cli:2.38.4
    openbao: quay.io/openbao/openbao:2.6.2
init:
    recoveryShares: 5
    recoveryThreshold: 3
    resources:
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 10m
            memory: 32Mi
    secretId: ${aws_secretsmanager_secret.openbao-init-secret.arn}
    serviceAccount: openbao-bootstrap
kubernetesAuth:
    externalSecrets:
        namespace: external-secrets
        role: external-secrets
        serviceAccount: external-secrets
kv:
    path: secret
region: us-east-1
snapshot:
    bucket: ${aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.bucket}
    enabled: true
    prefix: snapshots/
    resources:
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 10m
            memory: 64Mi
    schedule: 0 */6 * * *
    serviceAccount: openbao-snapshot
tls:
    secretName: openbao-server-tls

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.openbao_release_74A24B2A",
    "aws_eks_pod_identity_association.openbao-bootstrap-identity_association_7F79A52A",
    "aws_eks_pod_identity_association.openbao-snapshot-identity_association_A1492531",
  ]
  provider = "helm"
}
resource "aws_iam_role" "external-secrets-identity_role_BB057897" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of external-secrets/external-secrets (Pod Identity)"
  name                 = "eks-platform-staging-external-secrets"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-staging-permissions-boundary"
  tags = {
    Component = "external-secrets"
  }
}
resource "aws_iam_role_policy" "external-secrets-identity_policy_EEB9EB02" {
  name   = "external-secrets"
  policy = jsonencode({ "Statement" = [{ "Action" = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.partition.partition}:secretsmanager:us-east-1:${data.aws_caller_identity.account.account_id}:secret:eks-platform-staging/*"], "Sid" = "ReadPlatformSecrets" }, { "Action" = ["kms:Decrypt"], "Condition" = { "StringEquals" = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }, "Effect" = "Allow", "Resource" = ["arn:${data.aws_partition.partition.partition}:kms:us-east-1:${data.aws_caller_identity.account.account_id}:key/*"], "Sid" = "DecryptThroughSecretsManager" }, { "Action" = ["secretsmanager:*"], "Effect" = "Deny", "Resource" = [aws_secretsmanager_secret.openbao-init-secret.arn], "Sid" = "NeverTheOpenBaoInitSecret" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.external-secrets-identity_role_BB057897.id
}
resource "aws_eks_pod_identity_association" "external-secrets-identity_association_42377F83" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "external-secrets"
  role_arn        = aws_iam_role.external-secrets-identity_role_BB057897.arn
  service_account = "external-secrets"
  tags = {
    Component = "external-secrets"
  }
  depends_on = [
  ]
}
resource "helm_release" "external-secrets_release_2144E36D" {
  atomic           = true
  chart            = "external-secrets"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "external-secrets"
  namespace        = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  timeout          = 600
  values = [
    <<EOF
certController:
    replicaCount: 1
    resources:
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 5m
            memory: 24Mi
crds:
    annotations:
        helm.sh/resource-policy: keep
installCRDs: true
leaderElect: true
podDisruptionBudget:
    enabled: true
    minAvailable: 1
replicaCount: 2
resources:
    limits:
        cpu: 200m
        memory: 256Mi
    requests:
        cpu: 10m
        memory: 48Mi
serviceAccount:
    create: true
    name: external-secrets
serviceMonitor:
    additionalLabels:
        app.kubernetes.io/part-of: eks-platform
    enabled: true
topologySpreadConstraints:
    - labelSelector:
        matchLabels:
            app.kubernetes.io/name: external-secrets
      maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
webhook:
    podDisruptionBudget:
        enabled: true
        minAvailable: 1
    replicaCount: 2
    resources:
        limits:
            cpu: 100m
            memory: 128Mi
        requests:
            cpu: 5m
            memory: 24Mi
    topologySpreadConstraints:
        - labelSelector:
            matchLabels:
                app.kubernetes.io/name: external-secrets-webhook
          maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway

EOF
  ]
  version = "2.9.0"
  wait    = true
  depends_on = [
    "aws_eks_pod_identity_association.external-secrets-identity_association_42377F83",
  ]
  provider = "helm"
}
resource "helm_release" "secret-stores_release_65C6A1A4" {
  atomic           = true
  chart            = "assets/secret-stores_chart_944BB3AE/8CA78731347B8031D5F4B825C9EAD3BC"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart secret-stores"
  max_history      = 5
  name             = "secret-stores"
  namespace        = "external-secrets"
  timeout          = 600
  values = [
    <<EOF
openbao:
    caSecret:
        key: ca.crt
        name: openbao-server-tls
        namespace: openbao
    name: openbao
    path: secret
    role: external-secrets
    server: https://openbao-active.openbao.svc:8200
    serviceAccount:
        name: external-secrets
        namespace: external-secrets
secretsManager:
    name: aws-secrets-manager
    region: us-east-1

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.external-secrets_release_2144E36D",
    "helm_release.openbao-bootstrap_release_D98DD2A5",
  ]
  provider = "helm"
}
resource "helm_release" "gatekeeper_release_985B08E9" {
  atomic           = true
  chart            = "gatekeeper"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "gatekeeper"
  namespace        = "gatekeeper-system"
  repository       = "https://open-policy-agent.github.io/gatekeeper/charts"
  timeout          = 600
  values = [
    <<EOF
audit:
    resources:
        limits:
            cpu: 500m
            memory: 512Mi
        requests:
            cpu: 15m
            memory: 80Mi
auditInterval: 60
controllerManager:
    resources:
        limits:
            cpu: 500m
            memory: 512Mi
        requests:
            cpu: 25m
            memory: 96Mi
    topologySpreadConstraints:
        - labelSelector:
            matchLabels:
                gatekeeper.sh/operation: webhook
          maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
logDenies: true
pdb:
    controllerManager:
        minAvailable: 1
replicas: 3

EOF
  ]
  version = "3.23.0"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "gatekeeper-templates_release_AA4779BF" {
  atomic           = true
  chart            = "assets/gatekeeper-templates_chart_1202CA90/19954D8A6DC69704A0A4C6E07519F201"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart gatekeeper-templates"
  max_history      = 5
  name             = "gatekeeper-templates"
  namespace        = "gatekeeper-system"
  timeout          = 600
  values = [
    <<EOF
crdWait:
    image: registry.k8s.io/kubectl:v1.35.0
    resources:
        limits:
            cpu: 100m
            memory: 64Mi
        requests:
            cpu: 10m
            memory: 32Mi
    timeoutSeconds: 180

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.gatekeeper_release_985B08E9",
  ]
  provider = "helm"
}
resource "helm_release" "gatekeeper-constraints_release_97636EC3" {
  atomic           = true
  chart            = "assets/gatekeeper-constraints_chart_8752B9A5/31455850DDF75F4B965993B41861498F"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart gatekeeper-constraints"
  max_history      = 5
  name             = "gatekeeper-constraints"
  namespace        = "gatekeeper-system"
  timeout          = 600
  values = [
    <<EOF
allowedRegistries:
    - ${data.aws_caller_identity.account.account_id}.dkr.ecr.us-east-1.amazonaws.com/
enforcementAction: deny
excludedNamespaces:
    - kube-system
    - kube-public
    - kube-node-lease
    - default
    - cert-manager
    - emissary
    - emissary-system
    - external-dns
    - monitoring
    - argocd
    - tekton-pipelines
    - tekton-operator
    - tekton-ci
    - openbao
    - external-secrets
    - gatekeeper-system
    - falco
    - istio-system
    - cnpg-system
    - redis-operator
    - strimzi
loadBalancerNamespaces:
    - emissary
podMonitor:
    enabled: true
    interval: 30s
requiredLabels:
    - app.kubernetes.io/name
    - team

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.gatekeeper-templates_release_AA4779BF",
  ]
  provider = "helm"
}
resource "helm_release" "falco_release_846BF01E" {
  atomic           = true
  chart            = "falco"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "falco"
  namespace        = "falco"
  repository       = "https://falcosecurity.github.io/charts"
  timeout          = 600
  values = [
    <<EOF
customRules:
    platform-exceptions.yaml: |
        - exceptions:
            - comps:
                - =
                - startswith
              fields:
                - k8s.ns.name
                - container.image.repository
              name: platform_components
              values:
                - - kube-system
                  - ""
                - - falco
                  - ""
                - - istio-system
                  - ""
                - - openbao
                  - ""
                - - external-secrets
                  - ""
                - - gatekeeper-system
                  - ""
                - - cert-manager
                  - ""
                - - emissary
                  - ""
                - - emissary-system
                  - ""
                - - external-dns
                  - ""
                - - monitoring
                  - ""
                - - argocd
                  - ""
                - - tekton-operator
                  - ""
                - - tekton-pipelines
                  - ""
                - - tekton-ci
                  - ""
                - - cnpg-system
                  - ""
                - - redis-operator
                  - ""
                - - strimzi
                  - ""
          override:
            exceptions: append
          rule: Contact K8S API Server From Container
        - exceptions:
            - comps:
                - =
                - startswith
              fields:
                - k8s.ns.name
                - container.image.repository
              name: platform_components
              values:
                - - kube-system
                  - quay.io/cilium/
          override:
            exceptions: append
          rule: Packet socket created in container
        - exceptions:
            - comps:
                - =
                - startswith
              fields:
                - k8s.ns.name
                - container.image.repository
              name: platform_components
              values:
                - - falco
                  - docker.io/falcosecurity/
          override:
            exceptions: append
          rule: Read sensitive file untrusted
driver:
    kind: modern_ebpf
falcoctl:
    artifact:
        follow:
            enabled: false
        install:
            enabled: false
falcosidekick:
    config:
        alertmanager:
            endpoint: /api/v2/alerts
            hostport: http://alertmanager-operated.monitoring.svc.cluster.local:9093
            minimumpriority: warning
        loki:
            endpoint: /loki/api/v1/push
            format: json
            hostport: http://loki.monitoring.svc.cluster.local:3100
            minimumpriority: warning
    enabled: true
    replicaCount: 2
    resources:
        limits:
            cpu: 100m
            memory: 64Mi
        requests:
            cpu: 5m
            memory: 16Mi
    serviceMonitor:
        enabled: true
    webui:
        enabled: false
metrics:
    enabled: true
podPriorityClassName: system-node-critical
resources:
    limits:
        cpu: 500m
        memory: 512Mi
    requests:
        cpu: 10m
        memory: 56Mi
serviceMonitor:
    create: true
    labels:
        app.kubernetes.io/part-of: eks-platform

EOF
  ]
  version = "9.1.0"
  wait    = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "security-rules_release_20D7308C" {
  atomic           = true
  chart            = "assets/security-rules_chart_A7FB7833/D9A86DD47F697A5187957ADCAE2F140D"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart prometheus-rules"
  max_history      = 5
  name             = "security-rules"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
groups:
    - name: openbao
      rules:
        - alert: OpenBaoSealed
          annotations:
            description: A sealed server serves no secrets; auto-unseal through AWS KMS failed.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#openbao-sealed
            summary: OpenBao {{ $labels.pod }} is sealed
          expr: max by (pod) (vault_core_unsealed{namespace="openbao"}) == 0
          for: 5m
          labels:
            severity: critical
            workflow: security
        - alert: OpenBaoDown
          annotations:
            description: External Secrets cannot refresh secrets from OpenBao.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#openbao-sealed
            summary: No OpenBao server is scraped
          expr: absent(up{namespace="openbao", job=~"openbao.*"} == 1)
          for: 10m
          labels:
            severity: critical
            workflow: security
        - alert: OpenBaoBootstrapFailed
          annotations:
            description: Initialization or configuration of OpenBao did not complete.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#openbao-init-failed
            summary: The OpenBao bootstrap Job failed
          expr: kube_job_status_failed{namespace="openbao", job_name=~"openbao-bootstrap.*"} > 0
          labels:
            severity: critical
            workflow: security
        - alert: OpenBaoSnapshotMissing
          annotations:
            description: Raft snapshots to S3 are failing.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#openbao-snapshot-missing
            summary: No successful OpenBao snapshot for two days
          expr: time() - max(kube_cronjob_status_last_successful_time{namespace="openbao", cronjob="openbao-snapshot"}) > 2 * 86400
          labels:
            severity: warning
            workflow: security
    - name: external-secrets
      rules:
        - alert: ExternalSecretNotSynced
          annotations:
            description: The workload keeps the last synced value, or has no Secret at all.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#externalsecret-not-syncing
            summary: ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} is not syncing
          expr: max by (namespace, name) (externalsecret_status_condition{condition="Ready", status="False"}) == 1
          for: 15m
          labels:
            severity: warning
            workflow: security
        - alert: SecretStoreNotReady
          annotations:
            description: No ExternalSecret using this store can sync.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#externalsecret-not-syncing
            summary: ClusterSecretStore {{ $labels.name }} is not ready
          expr: max by (name) (clustersecretstore_status_condition{condition="Ready", status="False"}) == 1
          for: 10m
          labels:
            severity: critical
            workflow: security
    - name: gatekeeper
      rules:
        - alert: GatekeeperViolations
          annotations:
            description: Gatekeeper's audit found existing objects that break a constraint.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#admission-denied
            summary: '{{ $value }} objects violate platform policies ({{ $labels.enforcement_action }})'
          expr: sum by (enforcement_action) (gatekeeper_violations) > 0
          for: 1h
          labels:
            severity: warning
            workflow: security
        - alert: GatekeeperWebhookDown
          annotations:
            description: Admission policies are not enforced (the webhook fails open).
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#admission-denied
            summary: Gatekeeper is not running
          expr: absent(up{namespace="gatekeeper-system"} == 1)
          for: 10m
          labels:
            severity: critical
            workflow: security
    - name: falco
      rules:
        - alert: FalcoNotOnEveryNode
          annotations:
            description: Nodes without Falco have no runtime detection.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#falco-alert-triage
            summary: Falco is not running on every node
          expr: kube_daemonset_status_number_ready{namespace="falco", daemonset="falco"} < kube_daemonset_status_desired_number_scheduled{namespace="falco", daemonset="falco"}
          for: 15m
          labels:
            severity: warning
            workflow: security
        - alert: FalcoEventsDropped
          annotations:
            description: Detection has gaps; the node is busier than Falco's buffers.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/security.md#falco-alert-triage
            summary: Falco drops kernel events ({{ $labels.pod }})
          expr: increase(falcosecurity_scap_n_drops_total[10m]) > 0
          for: 30m
          labels:
            severity: warning
            workflow: security
name: security-rules

EOF
  ]
  wait = true
  depends_on = [
  ]
  provider = "helm"
}

output "openbao_address" {
  value       = "https://openbao-active.openbao.svc:8200"
  description = "In-cluster address of the active OpenBao server"
}

output "openbao_unseal_key_arn" {
  value       = aws_kms_key.openbao-unseal.arn
  description = "KMS key that auto-unseals OpenBao"
}

output "openbao_init_secret" {
  value       = aws_secretsmanager_secret.openbao-init-secret.name
  description = "Secrets Manager secret with OpenBao's recovery keys (the name, never the value)"
}

output "openbao_snapshot_bucket" {
  value       = aws_s3_bucket.openbao-snapshots_bucket_39DE40AD.bucket
  description = "S3 bucket of OpenBao Raft snapshots"
}

output "cluster_secret_stores" {
  value = [
    "openbao",
    "aws-secrets-manager",
  ]
  description = "ClusterSecretStores of External Secrets"
}

output "secrets_manager_prefix" {
  value       = "eks-platform-staging/"
  description = "Secrets Manager name prefix the aws-secrets-manager store may read"
}

output "gatekeeper_enforcement" {
  value       = "deny"
  description = "enforcementAction of the platform constraints"
}

output "internal_ca_issuer" {
  value       = "internal-ca"
  description = "ClusterIssuer of the platform's private CA"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/staging/foundation.tfstate"
  }
}
