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
    path = "../../../.state/dev/observability.tfstate"
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
      Workflow    = "observability"
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
resource "aws_s3_bucket" "mimir-bucket_32860536" {
  bucket        = join("-", ["eks-platform-dev-mimir", data.aws_caller_identity.account.account_id])
  force_destroy = true
  tags = {
    Component = "mimir"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "mimir-bucket_encryption_24828428" {
  bucket = aws_s3_bucket.mimir-bucket_32860536.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn
      sse_algorithm     = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_public_access_block" "mimir-bucket_public-access_04D53EB6" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.mimir-bucket_32860536.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "mimir-bucket_ownership_D7CACF7C" {
  bucket = aws_s3_bucket.mimir-bucket_32860536.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_policy" "mimir-bucket_tls-only_01A67C47" {
  bucket = aws_s3_bucket.mimir-bucket_32860536.id
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:*"], "Condition" = { "Bool" = { "aws:SecureTransport" = "false" } }, "Effect" = "Deny", "Principal" = { "AWS" = "*" }, "Resource" = [aws_s3_bucket.mimir-bucket_32860536.arn, "${aws_s3_bucket.mimir-bucket_32860536.arn}/*"], "Sid" = "DenyInsecureTransport" }], "Version" = "2012-10-17" })
}
resource "aws_s3_bucket_lifecycle_configuration" "mimir-bucket_lifecycle_43B93060" {
  bucket = aws_s3_bucket.mimir-bucket_32860536.id
  rule {
    id     = "retention"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
    expiration {
      days = 22
    }
    filter {
      prefix = ""
    }
  }
}
resource "aws_iam_role" "mimir-identity_role_0095532E" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRoleWithWebIdentity"], "Condition" = { "StringEquals" = zipmap([join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":aud"]), join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":sub"])], ["sts.amazonaws.com", "system:serviceaccount:monitoring:mimir"]) }, "Effect" = "Allow", "Principal" = { "Federated" = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_iam_openid_connect_providercluster_oidc_E9345939arn } }], "Version" = "2012-10-17" })
  description          = "Workload identity of monitoring/mimir (IRSA)"
  name                 = "eks-platform-dev-mimir"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "mimir"
  }
}
resource "aws_iam_role_policy" "mimir-identity_policy_99718CB5" {
  name   = "mimir"
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:ListBucket", "s3:GetBucketLocation"], "Effect" = "Allow", "Resource" = [aws_s3_bucket.mimir-bucket_32860536.arn], "Sid" = "ReadWriteBucket" }, { "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Effect" = "Allow", "Resource" = ["${aws_s3_bucket.mimir-bucket_32860536.arn}/*"], "Sid" = "ReadWriteObjects" }, { "Action" = ["kms:Decrypt", "kms:GenerateDataKey"], "Effect" = "Allow", "Resource" = [data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn], "Sid" = "ReadWriteBucketKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.mimir-identity_role_0095532E.id
}
resource "aws_s3_bucket" "loki-bucket_A803A5A5" {
  bucket        = join("-", ["eks-platform-dev-loki", data.aws_caller_identity.account.account_id])
  force_destroy = true
  tags = {
    Component = "loki"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "loki-bucket_encryption_B0C548A3" {
  bucket = aws_s3_bucket.loki-bucket_A803A5A5.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn
      sse_algorithm     = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_public_access_block" "loki-bucket_public-access_CCEAD49D" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.loki-bucket_A803A5A5.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "loki-bucket_ownership_A12D5CAB" {
  bucket = aws_s3_bucket.loki-bucket_A803A5A5.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_policy" "loki-bucket_tls-only_63C34611" {
  bucket = aws_s3_bucket.loki-bucket_A803A5A5.id
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:*"], "Condition" = { "Bool" = { "aws:SecureTransport" = "false" } }, "Effect" = "Deny", "Principal" = { "AWS" = "*" }, "Resource" = [aws_s3_bucket.loki-bucket_A803A5A5.arn, "${aws_s3_bucket.loki-bucket_A803A5A5.arn}/*"], "Sid" = "DenyInsecureTransport" }], "Version" = "2012-10-17" })
}
resource "aws_s3_bucket_lifecycle_configuration" "loki-bucket_lifecycle_67B8079B" {
  bucket = aws_s3_bucket.loki-bucket_A803A5A5.id
  rule {
    id     = "retention"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
    expiration {
      days = 14
    }
    filter {
      prefix = ""
    }
  }
}
resource "aws_iam_role" "loki-identity_role_5438AA54" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRoleWithWebIdentity"], "Condition" = { "StringEquals" = zipmap([join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":aud"]), join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":sub"])], ["sts.amazonaws.com", "system:serviceaccount:monitoring:loki"]) }, "Effect" = "Allow", "Principal" = { "Federated" = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_iam_openid_connect_providercluster_oidc_E9345939arn } }], "Version" = "2012-10-17" })
  description          = "Workload identity of monitoring/loki (IRSA)"
  name                 = "eks-platform-dev-loki"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "loki"
  }
}
resource "aws_iam_role_policy" "loki-identity_policy_CD7CCF51" {
  name   = "loki"
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:ListBucket", "s3:GetBucketLocation"], "Effect" = "Allow", "Resource" = [aws_s3_bucket.loki-bucket_A803A5A5.arn], "Sid" = "ReadWriteBucket" }, { "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Effect" = "Allow", "Resource" = ["${aws_s3_bucket.loki-bucket_A803A5A5.arn}/*"], "Sid" = "ReadWriteObjects" }, { "Action" = ["kms:Decrypt", "kms:GenerateDataKey"], "Effect" = "Allow", "Resource" = [data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn], "Sid" = "ReadWriteBucketKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.loki-identity_role_5438AA54.id
}
resource "aws_s3_bucket" "tempo-bucket_5269EC19" {
  bucket        = join("-", ["eks-platform-dev-tempo", data.aws_caller_identity.account.account_id])
  force_destroy = true
  tags = {
    Component = "tempo"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "tempo-bucket_encryption_74131E14" {
  bucket = aws_s3_bucket.tempo-bucket_5269EC19.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn
      sse_algorithm     = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_public_access_block" "tempo-bucket_public-access_DC9254D1" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.tempo-bucket_5269EC19.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "tempo-bucket_ownership_6245BD0C" {
  bucket = aws_s3_bucket.tempo-bucket_5269EC19.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_policy" "tempo-bucket_tls-only_9B1B71E7" {
  bucket = aws_s3_bucket.tempo-bucket_5269EC19.id
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:*"], "Condition" = { "Bool" = { "aws:SecureTransport" = "false" } }, "Effect" = "Deny", "Principal" = { "AWS" = "*" }, "Resource" = [aws_s3_bucket.tempo-bucket_5269EC19.arn, "${aws_s3_bucket.tempo-bucket_5269EC19.arn}/*"], "Sid" = "DenyInsecureTransport" }], "Version" = "2012-10-17" })
}
resource "aws_s3_bucket_lifecycle_configuration" "tempo-bucket_lifecycle_87282865" {
  bucket = aws_s3_bucket.tempo-bucket_5269EC19.id
  rule {
    id     = "retention"
    status = "Enabled"
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
    expiration {
      days = 10
    }
    filter {
      prefix = ""
    }
  }
}
resource "aws_iam_role" "tempo-identity_role_5EE6596C" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRole", "sts:TagSession"], "Effect" = "Allow", "Principal" = { "Service" = "pods.eks.amazonaws.com" } }], "Version" = "2012-10-17" })
  description          = "Workload identity of monitoring/tempo (Pod Identity)"
  name                 = "eks-platform-dev-tempo"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "tempo"
  }
}
resource "aws_iam_role_policy" "tempo-identity_policy_973117B1" {
  name   = "tempo"
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:ListBucket", "s3:GetBucketLocation"], "Effect" = "Allow", "Resource" = [aws_s3_bucket.tempo-bucket_5269EC19.arn], "Sid" = "ReadWriteBucket" }, { "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Effect" = "Allow", "Resource" = ["${aws_s3_bucket.tempo-bucket_5269EC19.arn}/*"], "Sid" = "ReadWriteObjects" }, { "Action" = ["kms:Decrypt", "kms:GenerateDataKey"], "Effect" = "Allow", "Resource" = [data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn], "Sid" = "ReadWriteBucketKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.tempo-identity_role_5EE6596C.id
}
resource "aws_eks_pod_identity_association" "tempo-identity_association_F4FDCD8F" {
  cluster_name    = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409name
  namespace       = "monitoring"
  role_arn        = aws_iam_role.tempo-identity_role_5EE6596C.arn
  service_account = "tempo"
  tags = {
    Component = "tempo"
  }
  depends_on = [
  ]
}
resource "helm_release" "mimir_release_D4433BF9" {
  atomic           = true
  chart            = "assets/mimir_chart_D9777582/8AF5F66EE1C4A9DB351ECDC7E2258FED"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart mimir"
  max_history      = 5
  name             = "mimir"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
config:
    activity_tracker:
        filepath: /data/activity.log
    blocks_storage:
        bucket_store:
            sync_dir: /data/tsdb-sync
        storage_prefix: blocks
        tsdb:
            dir: /data/tsdb
    common:
        storage:
            backend: s3
            s3:
                bucket_name: ${aws_s3_bucket.mimir-bucket_32860536.bucket}
                endpoint: s3.us-east-1.amazonaws.com
                region: us-east-1
    compactor:
        data_dir: /data/compactor
        sharding_ring:
            kvstore:
                store: memberlist
    distributor:
        ring:
            kvstore:
                store: memberlist
    ingest_storage:
        enabled: false
    ingester:
        ring:
            final_sleep: 0s
            kvstore:
                store: memberlist
            replication_factor: 1
    limits:
        compactor_blocks_retention_period: 15d
        ingestion_burst_size: 500000
        ingestion_rate: 50000
        max_global_exemplars_per_user: 100000
        max_global_series_per_user: 500000
        native_histograms_ingestion_enabled: true
        otel_metric_suffixes_enabled: true
    multitenancy_enabled: false
    ruler:
        ring:
            kvstore:
                store: memberlist
        rule_path: /data/ruler
    ruler_storage:
        backend: filesystem
        filesystem:
            dir: /data/ruler-storage
    server:
        grpc_listen_port: 9095
        http_listen_port: 8080
        log_level: info
    store_gateway:
        sharding_ring:
            kvstore:
                store: memberlist
            replication_factor: 1
    usage_stats:
        enabled: false
image:
    repository: grafana/mimir
    tag: 3.1.1
persistence:
    size: 10Gi
    storageClass: gp3
replicas: 1
resources:
    limits:
        cpu: "1"
        memory: 1536Mi
    requests:
        cpu: 150m
        memory: 384Mi
serviceAccount:
    annotations:
        eks.amazonaws.com/role-arn: ${aws_iam_role.mimir-identity_role_0095532E.arn}
    name: mimir

EOF
  ]
  wait = true
  depends_on = [
    "aws_iam_role.mimir-identity_role_0095532E",
  ]
  provider = "helm"
}
resource "helm_release" "kube-prometheus-stack_release_B6F5993D" {
  atomic           = true
  chart            = "kube-prometheus-stack"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "kube-prometheus-stack"
  namespace        = "monitoring"
  repository       = "https://prometheus-community.github.io/helm-charts"
  skip_crds        = true
  timeout          = 900
  values = [
    <<EOF
alertmanager:
    alertmanagerSpec:
        podAntiAffinity: soft
        replicas: 1
        resources:
            limits:
                cpu: 100m
                memory: 128Mi
            requests:
                cpu: 10m
                memory: 40Mi
        retention: 120h
        storage:
            volumeClaimTemplate:
                spec:
                    accessModes:
                        - ReadWriteOnce
                    resources:
                        requests:
                            storage: 1Gi
                    storageClassName: gp3
    config:
        global:
            resolve_timeout: 5m
        inhibit_rules:
            - equal:
                - alertname
                - namespace
              source_matchers:
                - severity = "critical"
              target_matchers:
                - severity =~ "warning|info"
        receivers:
            - name: "null"
        route:
            group_by:
                - alertname
                - namespace
            group_interval: 5m
            group_wait: 30s
            receiver: "null"
            repeat_interval: 4h
            routes:
                - matchers:
                    - alertname = "Watchdog"
                  receiver: "null"
    podDisruptionBudget:
        enabled: false
        minAvailable: 1
crds:
    enabled: false
defaultRules:
    create: true
    rules:
        alertmanager: false
        configReloaders: false
        etcd: false
        general: false
        k8sContainerCpuUsageSecondsTotal: true
        k8sContainerMemoryCache: true
        k8sContainerMemoryRss: true
        k8sContainerMemorySwap: true
        k8sContainerMemoryWorkingSetBytes: true
        k8sContainerResource: true
        k8sPodOwner: true
        kubeApiserverAvailability: true
        kubeApiserverBurnrate: true
        kubeApiserverHistogram: true
        kubeApiserverSlos: false
        kubeControllerManager: false
        kubePrometheusGeneral: true
        kubePrometheusNodeRecording: true
        kubeProxy: false
        kubeSchedulerAlerting: false
        kubeSchedulerRecording: false
        kubeStateMetrics: false
        kubelet: true
        kubernetesApps: false
        kubernetesResources: false
        kubernetesStorage: false
        kubernetesSystem: false
        network: false
        node: true
        nodeExporterAlerting: false
        nodeExporterRecording: true
        prometheus: false
        prometheusOperator: false
        windows: false
grafana:
    defaultDashboardsEnabled: true
    enabled: false
    forceDeployDashboards: true
    sidecar:
        dashboards:
            label: grafana_dashboard
            labelValue: "1"
kube-state-metrics:
    replicas: 1
    resources:
        limits:
            cpu: 100m
            memory: 192Mi
        requests:
            cpu: 10m
            memory: 48Mi
kubeControllerManager:
    enabled: false
kubeEtcd:
    enabled: false
kubeProxy:
    enabled: false
kubeScheduler:
    enabled: false
prometheus:
    prometheusSpec:
        additionalScrapeConfigs:
            - job_name: cluster-autoscaler
              kubernetes_sd_configs:
                - namespaces:
                    names:
                        - kube-system
                  role: pod
              relabel_configs:
                - action: keep
                  regex: (aws-)?cluster-autoscaler
                  source_labels:
                    - __meta_kubernetes_pod_label_app_kubernetes_io_name
                - action: replace
                  regex: (.+)
                  replacement: $1:8085
                  source_labels:
                    - __meta_kubernetes_pod_ip
                  target_label: __address__
                - action: replace
                  source_labels:
                    - __meta_kubernetes_pod_name
                  target_label: pod
        enableFeatures:
            - exemplar-storage
        externalLabels:
            cluster: eks-platform-dev
        persistentVolumeClaimRetentionPolicy:
            whenDeleted: Delete
            whenScaled: Retain
        podMonitorSelectorNilUsesHelmValues: false
        probeSelectorNilUsesHelmValues: false
        remoteWrite:
            - queueConfig:
                capacity: 10000
                maxSamplesPerSend: 2000
                maxShards: 10
              sendExemplars: true
              url: http://mimir.monitoring.svc.cluster.local:8080/api/v1/push
        replicas: 1
        resources:
            limits:
                cpu: "1"
                memory: 1536Mi
            requests:
                cpu: 150m
                memory: 384Mi
        retention: 1d
        retentionSize: 8192MB
        ruleSelectorNilUsesHelmValues: false
        scrapeConfigSelectorNilUsesHelmValues: false
        scrapeInterval: 30s
        serviceMonitorSelectorNilUsesHelmValues: false
        storageSpec:
            volumeClaimTemplate:
                spec:
                    accessModes:
                        - ReadWriteOnce
                    resources:
                        requests:
                            storage: 10Gi
                    storageClassName: gp3
    serviceAccount:
        create: true
        name: prometheus
prometheus-node-exporter:
    resources:
        limits:
            cpu: 200m
            memory: 64Mi
        requests:
            cpu: 10m
            memory: 24Mi
prometheusOperator:
    admissionWebhooks:
        certManager:
            enabled: true
        failurePolicy: Ignore
    prometheusConfigReloader:
        resources:
            limits:
                cpu: 50m
                memory: 64Mi
            requests:
                cpu: 5m
                memory: 16Mi
    resources:
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 20m
            memory: 64Mi

EOF
  ]
  version = "88.5.3"
  wait    = true
  depends_on = [
    "helm_release.mimir_release_D4433BF9",
  ]
  provider = "helm"
}
resource "helm_release" "loki_release_5EB9BDD1" {
  atomic           = true
  chart            = "loki"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "loki"
  namespace        = "monitoring"
  repository       = "https://grafana-community.github.io/helm-charts"
  timeout          = 600
  values = [
    <<EOF
backend:
    replicas: 0
chunksCache:
    enabled: false
deploymentMode: Monolithic
gateway:
    enabled: false
loki:
    auth_enabled: false
    commonConfig:
        replication_factor: 1
    compactor:
        delete_request_store: s3
        retention_enabled: true
        working_directory: /var/loki/compactor
    limits_config:
        allow_structured_metadata: true
        ingestion_burst_size_mb: 16
        ingestion_rate_mb: 8
        retention_period: 168h
    pattern_ingester:
        enabled: false
    schemaConfig:
        configs:
            - from: "2026-01-01"
              index:
                period: 24h
                prefix: index_
              object_store: s3
              schema: v13
              store: tsdb
    storage:
        bucketNames:
            admin: ${aws_s3_bucket.loki-bucket_A803A5A5.bucket}
            chunks: ${aws_s3_bucket.loki-bucket_A803A5A5.bucket}
            ruler: ${aws_s3_bucket.loki-bucket_A803A5A5.bucket}
        s3:
            region: us-east-1
        type: s3
lokiCanary:
    enabled: false
minio:
    enabled: false
monitoring:
    serviceMonitor:
        enabled: true
read:
    replicas: 0
resultsCache:
    enabled: false
serviceAccount:
    annotations:
        eks.amazonaws.com/role-arn: ${aws_iam_role.loki-identity_role_5438AA54.arn}
    create: true
    name: loki
sidecar:
    rules:
        enabled: false
singleBinary:
    persistence:
        enableStatefulSetAutoDeletePVC: true
        enabled: true
        size: 10Gi
        storageClass: gp3
        whenDeleted: Delete
        whenScaled: Retain
    replicas: 1
    resources:
        limits:
            cpu: "1"
            memory: 1Gi
        requests:
            cpu: 100m
            memory: 256Mi
test:
    enabled: false
write:
    replicas: 0

EOF
  ]
  version = "18.11.0"
  wait    = true
  depends_on = [
    "aws_iam_role.loki-identity_role_5438AA54",
  ]
  provider = "helm"
}
resource "helm_release" "tempo_release_CD95CD51" {
  atomic           = true
  chart            = "tempo"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "tempo"
  namespace        = "monitoring"
  repository       = "https://grafana-community.github.io/helm-charts"
  timeout          = 600
  values = [
    <<EOF
persistence:
    enableStatefulSetAutoDeletePVC: true
    enabled: true
    size: 5Gi
    storageClassName: gp3
replicas: 1
serviceAccount:
    create: true
    name: tempo
serviceMonitor:
    enabled: true
tempo:
    memBallastSizeMbs: 0
    metricsGenerator:
        enabled: true
        processor:
            service_graphs:
                dimensions:
                    - k8s.namespace.name
            span_metrics:
                dimensions:
                    - k8s.namespace.name
        remoteWriteUrl: http://mimir.monitoring.svc.cluster.local:8080/api/v1/push
    overrides:
        defaults:
            metrics_generator:
                processors:
                    - service-graphs
                    - span-metrics
    receivers:
        jaeger: null
        otlp:
            protocols:
                grpc:
                    endpoint: 0.0.0.0:4317
                http:
                    endpoint: 0.0.0.0:4318
    reportingEnabled: false
    resources:
        limits:
            cpu: 500m
            memory: 1Gi
        requests:
            cpu: 50m
            memory: 160Mi
    retention: 72h
    storage:
        trace:
            backend: s3
            local: null
            s3:
                bucket: ${aws_s3_bucket.tempo-bucket_5269EC19.bucket}
                endpoint: s3.us-east-1.amazonaws.com
                region: us-east-1
            wal:
                path: /var/tempo/wal

EOF
  ]
  version = "2.2.4"
  wait    = true
  depends_on = [
    "aws_eks_pod_identity_association.tempo-identity_association_F4FDCD8F",
    "helm_release.mimir_release_D4433BF9",
  ]
  provider = "helm"
}
resource "helm_release" "opentelemetry-operator_release_517FC612" {
  atomic           = true
  chart            = "opentelemetry-operator"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "opentelemetry-operator"
  namespace        = "monitoring"
  repository       = "https://open-telemetry.github.io/opentelemetry-helm-charts"
  timeout          = 600
  values = [
    <<EOF
admissionWebhooks:
    autoGenerateCert:
        enabled: false
    certManager:
        enabled: true
crds:
    create: true
manager:
    collectorImage:
        repository: ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s
        tag: 0.158.0
    resources:
        limits:
            cpu: 200m
            memory: 256Mi
        requests:
            cpu: 20m
            memory: 64Mi
    serviceMonitor:
        enabled: true
pdb:
    create: false
    minAvailable: 1
replicaCount: 1

EOF
  ]
  version = "0.122.0"
  wait    = true
  depends_on = [
    "helm_release.kube-prometheus-stack_release_B6F5993D",
  ]
  provider = "helm"
}
resource "helm_release" "otel-gateway_release_FC77FE2F" {
  atomic           = true
  chart            = "opentelemetry-collector"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "otel-gateway"
  namespace        = "monitoring"
  repository       = "https://open-telemetry.github.io/opentelemetry-helm-charts"
  timeout          = 600
  values = [
    <<EOF
config:
    exporters:
        debug: null
        otlp/tempo:
            endpoint: tempo.monitoring.svc.cluster.local:4317
            tls:
                insecure: true
        otlphttp/loki:
            endpoint: http://loki.monitoring.svc.cluster.local:3100/otlp
        otlphttp/mimir:
            endpoint: http://mimir.monitoring.svc.cluster.local:8080/otlp
    receivers:
        jaeger: null
        prometheus: null
        zipkin: null
    service:
        pipelines:
            logs:
                exporters:
                    - otlphttp/loki
                processors:
                    - memory_limiter
                    - batch
                receivers:
                    - otlp
            metrics:
                exporters:
                    - otlphttp/mimir
                processors:
                    - memory_limiter
                    - batch
                receivers:
                    - otlp
            traces:
                exporters:
                    - otlp/tempo
                processors:
                    - memory_limiter
                    - batch
                receivers:
                    - otlp
fullnameOverride: otel-gateway
image:
    repository: ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s
    tag: 0.158.0
mode: deployment
podDisruptionBudget:
    enabled: false
    minAvailable: 1
ports:
    jaeger-compact:
        enabled: false
    jaeger-grpc:
        enabled: false
    jaeger-thrift:
        enabled: false
    metrics:
        enabled: true
    zipkin:
        enabled: false
presets:
    kubernetesAttributes:
        enabled: true
replicaCount: 1
resources:
    limits:
        cpu: 500m
        memory: 512Mi
    requests:
        cpu: 30m
        memory: 96Mi
serviceMonitor:
    enabled: true

EOF
  ]
  version = "0.170.0"
  wait    = true
  depends_on = [
    "helm_release.mimir_release_D4433BF9",
    "helm_release.loki_release_5EB9BDD1",
    "helm_release.tempo_release_CD95CD51",
  ]
  provider = "helm"
}
resource "helm_release" "otel-node-logs_release_167A28D0" {
  atomic           = true
  chart            = "opentelemetry-collector"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "otel-node-logs"
  namespace        = "monitoring"
  repository       = "https://open-telemetry.github.io/opentelemetry-helm-charts"
  timeout          = 600
  values = [
    <<EOF
config:
    exporters:
        debug: null
        otlphttp/loki:
            endpoint: http://loki.monitoring.svc.cluster.local:3100/otlp
    receivers:
        filelog:
            exclude:
                - /var/log/pods/monitoring_otel-node-logs*_*/*/*.log
        jaeger: null
        otlp: null
        prometheus: null
        zipkin: null
    service:
        pipelines:
            logs:
                exporters:
                    - otlphttp/loki
                processors:
                    - memory_limiter
                    - batch
                receivers:
                    - filelog
            metrics: null
            traces: null
fullnameOverride: otel-node-logs
image:
    repository: ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s
    tag: 0.158.0
mode: daemonset
podMonitor:
    enabled: true
ports:
    jaeger-compact:
        enabled: false
    jaeger-grpc:
        enabled: false
    jaeger-thrift:
        enabled: false
    metrics:
        enabled: true
    otlp:
        enabled: false
    otlp-http:
        enabled: false
    zipkin:
        enabled: false
presets:
    kubernetesAttributes:
        enabled: true
    logsCollection:
        enabled: true
        includeCollectorLogs: false
        storeCheckpoints: true
resources:
    limits:
        cpu: 250m
        memory: 256Mi
    requests:
        cpu: 25m
        memory: 48Mi
tolerations:
    - operator: Exists

EOF
  ]
  version = "0.170.0"
  wait    = true
  depends_on = [
    "helm_release.loki_release_5EB9BDD1",
  ]
  provider = "helm"
}
resource "helm_release" "platform-dashboards_release_0ABCCB25" {
  atomic           = true
  chart            = "assets/platform-dashboards_chart_6647ED51/DED28D509DBB1B3CE8CEB59CEA3CE482"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart platform-dashboards"
  max_history      = 5
  name             = "platform-dashboards"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
budgets:
    - cpuMillicores: 200
      memoryMiB: 500
      workflow: ingress
    - cpuMillicores: 1000
      memoryMiB: 2048
      workflow: observability
    - cpuMillicores: 500
      memoryMiB: 1024
      workflow: gitops
    - cpuMillicores: 200
      memoryMiB: 600
      workflow: security
    - cpuMillicores: 300
      memoryMiB: 800
      workflow: service-mesh
dashboardLabel: grafana_dashboard
folder: Platform
workflows:
    - namespaces:
        - kube-system
      workflow: foundation
    - namespaces:
        - emissary
        - cert-manager
        - external-dns
      workflow: ingress
    - namespaces:
        - monitoring
      workflow: observability

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.kube-prometheus-stack_release_B6F5993D",
  ]
  provider = "helm"
}
resource "helm_release" "grafana_release_0CEB1A10" {
  atomic           = true
  chart            = "grafana"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "grafana"
  namespace        = "monitoring"
  repository       = "https://grafana-community.github.io/helm-charts"
  timeout          = 600
  values = [
    <<EOF
datasources:
    datasources.yaml:
        apiVersion: 1
        datasources:
            - access: proxy
              editable: false
              isDefault: true
              jsonData:
                exemplarTraceIdDestinations:
                    - datasourceUid: tempo
                      name: trace_id
                httpMethod: POST
                prometheusType: Mimir
                timeInterval: 30s
              name: Mimir
              type: prometheus
              uid: mimir
              url: http://mimir.monitoring.svc.cluster.local:8080/prometheus
            - access: proxy
              editable: false
              jsonData:
                derivedFields:
                    - datasourceUid: tempo
                      matcherRegex: trace_id
                      matcherType: label
                      name: TraceID
                      url: $$${__value.raw}
                    - datasourceUid: tempo
                      matcherRegex: (?:trace_?id|traceID)[=:"\s]+(\w+)
                      matcherType: regex
                      name: TraceIDInText
                      url: $$${__value.raw}
              name: Loki
              type: loki
              uid: loki
              url: http://loki.monitoring.svc.cluster.local:3100
            - access: proxy
              editable: false
              jsonData:
                lokiSearch:
                    datasourceUid: loki
                nodeGraph:
                    enabled: true
                serviceMap:
                    datasourceUid: mimir
                traceQuery:
                    spanEndTimeShift: 1h
                    spanStartTimeShift: -1h
                    timeShiftEnabled: true
                tracesToLogsV2:
                    datasourceUid: loki
                    filterBySpanID: false
                    filterByTraceID: true
                    spanEndTimeShift: 5m
                    spanStartTimeShift: -5m
                    tags:
                        - key: service.name
                          value: service_name
                        - key: k8s.namespace.name
                          value: k8s_namespace_name
                tracesToMetrics:
                    datasourceUid: mimir
                    queries:
                        - name: Request rate
                          query: sum(rate(traces_spanmetrics_calls_total{$$__tags}[5m]))
                        - name: p95 latency
                          query: histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$$__tags}[5m])))
                    tags:
                        - key: service.name
                          value: service
              name: Tempo
              type: tempo
              uid: tempo
              url: http://tempo.monitoring.svc.cluster.local:3200
            - access: proxy
              editable: false
              jsonData:
                handleGrafanaManagedAlerts: false
                implementation: prometheus
              name: Alertmanager
              type: alertmanager
              uid: alertmanager
              url: http://alertmanager-operated.monitoring.svc.cluster.local:9093
deploymentStrategy:
    type: Recreate
grafana.ini:
    analytics:
        check_for_updates: false
        reporting_enabled: false
    auth.anonymous:
        enabled: false
    security:
        cookie_secure: true
    server:
        domain: grafana.dev.platform.example.com
        root_url: https://grafana.dev.platform.example.com
    users:
        allow_sign_up: false
initChownData:
    enabled: false
persistence:
    enabled: true
    size: 2Gi
    storageClassName: gp3
    type: pvc
replicas: 1
resources:
    limits:
        cpu: 500m
        memory: 512Mi
    requests:
        cpu: 50m
        memory: 160Mi
serviceMonitor:
    enabled: true
sidecar:
    dashboards:
        enabled: true
        folderAnnotation: grafana_folder
        label: grafana_dashboard
        labelValue: "1"
        provider:
            foldersFromFilesStructure: true
        searchNamespace: ALL
    datasources:
        enabled: false
    resources:
        limits:
            cpu: 100m
            memory: 192Mi
        requests:
            cpu: 10m
            memory: 48Mi
testFramework:
    enabled: false

EOF
  ]
  version = "12.11.1"
  wait    = true
  depends_on = [
    "helm_release.kube-prometheus-stack_release_B6F5993D",
    "helm_release.mimir_release_D4433BF9",
    "helm_release.loki_release_5EB9BDD1",
    "helm_release.tempo_release_CD95CD51",
  ]
  provider = "helm"
}
resource "helm_release" "grafana-route_release_576B872E" {
  atomic           = true
  chart            = "assets/grafana-route_chart_B307D150/3B742E31197C9AEE469A399BE29667E7"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart ui-route"
  max_history      = 5
  name             = "grafana-route"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
backendTLS: false
hostname: grafana.dev.platform.example.com
name: grafana
port: 80
service: grafana
timeoutMs: 30000
websocket: true

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.grafana_release_0CEB1A10",
  ]
  provider = "helm"
}
resource "helm_release" "observability-rules_release_9A49B961" {
  atomic           = true
  chart            = "assets/observability-rules_chart_22E8B847/D9A86DD47F697A5187957ADCAE2F140D"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart prometheus-rules"
  max_history      = 5
  name             = "observability-rules"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
groups:
    - name: platform-nodes
      rules:
        - alert: NodeNotReady
          annotations:
            description: Node {{ $labels.node }} has not been Ready for 10 minutes; its pods are being evicted or cannot start.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#node-not-ready
            summary: Node {{ $labels.node }} is not Ready
          expr: kube_node_status_condition{condition="Ready",status="true"} == 0
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: NodePressure
          annotations:
            description: The kubelet of {{ $labels.node }} reports {{ $labels.condition }}; it evicts pods until the pressure ends.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#node-pressure
            summary: Node {{ $labels.node }} reports {{ $labels.condition }}
          expr: kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"} == 1
          for: 10m
          labels:
            severity: warning
            workflow: observability
    - name: platform-workloads
      rules:
        - alert: PodCrashLooping
          annotations:
            description: Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#pod-crash-looping
            summary: '{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping'
          expr: max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: PersistentVolumeFilling
          annotations:
            description: Less than 15% of {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#persistent-volume-filling
            summary: PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than 85% full
          expr: kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.15 and kubelet_volume_stats_used_bytes > 0
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: PersistentVolumeAlmostFull
          annotations:
            description: Less than 5% of {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is free; writes will fail soon.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#persistent-volume-filling
            summary: PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than 95% full
          expr: kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.05 and kubelet_volume_stats_used_bytes > 0
          for: 5m
          labels:
            severity: critical
            workflow: observability
    - name: platform-edge
      rules:
        - alert: CertificateExpiringSoon
          annotations:
            description: cert-manager renews 30 days ahead; a certificate this close to expiry has failed to renew.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#certificate-expiring
            summary: Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 14 days
          expr: certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400
          for: 1h
          labels:
            severity: warning
            workflow: observability
        - alert: CertificateNotReady
          annotations:
            description: cert-manager has not issued {{ $labels.namespace }}/{{ $labels.name }} for 30 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#certificate-expiring
            summary: Certificate {{ $labels.namespace }}/{{ $labels.name }} is not Ready
          expr: certmanager_certificate_ready_status{condition="False"} == 1
          for: 30m
          labels:
            severity: warning
            workflow: observability
        - alert: EmissaryHigh5xxRate
          annotations:
            description: '{{ $value | humanizePercentage }} of upstream responses through Emissary are 5xx.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#emissary-5xx
            summary: More than 5% of requests through Emissary fail with 5xx
          expr: sum(rate(envoy_cluster_upstream_rq_xx{namespace="emissary",envoy_response_code_class="5"}[5m])) / sum(rate(envoy_cluster_upstream_rq_xx{namespace="emissary"}[5m])) > 0.05
          for: 10m
          labels:
            severity: critical
            workflow: observability
    - name: platform-foundation
      rules:
        - alert: CiliumAgentDown
          annotations:
            description: A node without a ready Cilium agent cannot start pods or route their traffic.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#cilium-agent-down
            summary: '{{ $value }} Cilium agent(s) unavailable'
          expr: kube_daemonset_status_number_unavailable{namespace="kube-system",daemonset="cilium"} > 0
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: ClusterAutoscalerErrors
          annotations:
            description: cluster-autoscaler has reported errors of type {{ $labels.type }} for 15 minutes; pending pods may not get nodes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#cluster-autoscaler-errors
            summary: cluster-autoscaler reports {{ $labels.type }} errors
          expr: sum by (type) (increase(cluster_autoscaler_errors_total[15m])) > 0
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: ClusterAutoscalerDown
          annotations:
            description: No cluster-autoscaler target has been up for 15 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#cluster-autoscaler-errors
            summary: cluster-autoscaler is not being scraped
          expr: absent(up{job="cluster-autoscaler"} == 1)
          for: 15m
          labels:
            severity: warning
            workflow: observability
    - name: platform-lgtm
      rules:
        - alert: PrometheusRemoteWriteFailing
          annotations:
            description: Samples are failing remote write; Prometheus keeps them only for its local retention.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#mimir-ingestion-failing
            summary: Prometheus fails to write samples to Mimir
          expr: sum(rate(prometheus_remote_storage_samples_failed_total[5m])) > 0
          for: 15m
          labels:
            severity: critical
            workflow: observability
        - alert: MimirIngestionFailing
          annotations:
            description: Mimir answers pushes with 5xx, or no Mimir target is up.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#mimir-ingestion-failing
            summary: Mimir rejects writes or is down
          expr: sum(rate(cortex_request_duration_seconds_count{job="mimir",route=~"api_v1_push|otlp_v1_metrics",status_code=~"5.."}[5m])) > 0 or absent(up{job="mimir"} == 1)
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: LokiIngestionFailing
          annotations:
            description: Loki answers pushes with 5xx, or the OpenTelemetry collectors fail to export log records.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#loki-ingestion-failing
            summary: Logs are not reaching Loki
          expr: sum(rate(loki_request_duration_seconds_count{route=~"loki_api_v1_push|otlp_v1_logs",status_code=~"5.."}[5m])) > 0 or sum(rate(otelcol_exporter_send_failed_log_records_total[5m])) > 0
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: TempoIngestionFailing
          annotations:
            description: The OpenTelemetry gateway fails to export spans, or Tempo discards them.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#tempo-ingestion-failing
            summary: Spans are not reaching Tempo
          expr: sum(rate(otelcol_exporter_send_failed_spans_total[5m])) > 0 or sum(rate(tempo_discarded_spans_total[5m])) > 0
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: OTelGatewayDown
          annotations:
            description: 'No otel-gateway pod is up: services'' OTLP traces, metrics and logs are being dropped.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#otel-gateway-down
            summary: The OpenTelemetry gateway is down
          expr: absent(up{job=~"otel-gateway.*"} == 1)
          for: 10m
          labels:
            severity: critical
            workflow: observability
        - alert: AlertmanagerNotificationsFailing
          annotations:
            description: Notifications through {{ $labels.integration }} have been failing for 15 minutes; alerts are not reaching people.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#alertmanager-notifications-failing
            summary: Alertmanager fails to send {{ $labels.integration }} notifications
          expr: sum by (integration) (rate(alertmanager_notifications_failed_total[5m])) > 0
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: ScrapeTargetDown
          annotations:
            description: Prometheus has not been able to scrape {{ $labels.job }} at {{ $labels.instance }} for 15 minutes.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#scrape-target-down
            summary: Target {{ $labels.job }} {{ $labels.instance }} is down
          expr: up == 0
          for: 15m
          labels:
            severity: warning
            workflow: observability
    - name: platform-capacity
      rules:
        - alert: ClusterCPURequestsHigh
          annotations:
            description: '{{ $value | humanizePercentage }} of the cluster''s allocatable CPU is requested; new pods may stay Pending until the autoscaler adds nodes.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#capacity-requests-high
            summary: CPU requests exceed 85% of allocatable
          expr: sum(kube_pod_container_resource_requests{resource="cpu"}) / sum(kube_node_status_allocatable{resource="cpu"}) > 0.85
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: ClusterMemoryRequestsHigh
          annotations:
            description: '{{ $value | humanizePercentage }} of the cluster''s allocatable memory is requested.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#capacity-requests-high
            summary: Memory requests exceed 85% of allocatable
          expr: sum(kube_pod_container_resource_requests{resource="memory"}) / sum(kube_node_status_allocatable{resource="memory"}) > 0.85
          for: 15m
          labels:
            severity: warning
            workflow: observability
        - alert: WorkflowOverBudget
          annotations:
            description: The running pods of workflow {{ $labels.workflow }} request more than the budget the capacity check allowed at synth time.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/observability.md#workflow-over-budget
            summary: Workflow {{ $labels.workflow }} requests more than its budget
          expr: platform:workflow_requests_cpu:millicores > on (workflow) platform:workflow_budget_cpu:millicores or platform:workflow_requests_memory:bytes > on (workflow) platform:workflow_budget_memory:bytes
          for: 30m
          labels:
            severity: info
            workflow: observability
name: observability-rules

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.kube-prometheus-stack_release_B6F5993D",
  ]
  provider = "helm"
}
resource "helm_release" "otel-instrumentation_release_702850FB" {
  atomic           = true
  chart            = "assets/otel-instrumentation_chart_2B864126/397323EF9F382307E6C629A0701824E8"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart otel-instrumentation"
  max_history      = 5
  name             = "otel-instrumentation"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
endpoint: http://otel-gateway.monitoring.svc.cluster.local:4318
name: platform
samplingRatio: "1"

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.opentelemetry-operator_release_517FC612",
    "helm_release.otel-gateway_release_FC77FE2F",
  ]
  provider = "helm"
}

output "monitoring_namespace" {
  value       = "monitoring"
  description = "Namespace of the LGTM stack"
}

output "otlp_grpc_endpoint" {
  value       = "otel-gateway.monitoring.svc.cluster.local:4317"
  description = "OTLP/gRPC endpoint of the OpenTelemetry gateway (host:port)"
}

output "otlp_http_endpoint" {
  value       = "http://otel-gateway.monitoring.svc.cluster.local:4318"
  description = "OTLP/HTTP endpoint of the OpenTelemetry gateway"
}

output "loki_push_url" {
  value       = "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push"
  description = "Loki push API"
}

output "alertmanager_url" {
  value       = "http://alertmanager-operated.monitoring.svc.cluster.local:9093"
  description = "Alertmanager API"
}

output "prometheus_remote_write_url" {
  value       = "http://mimir.monitoring.svc.cluster.local:8080/api/v1/push"
  description = "Mimir remote-write endpoint"
}

output "grafana_url" {
  value       = "https://grafana.dev.platform.example.com"
  description = "Grafana through Emissary"
}

output "grafana_admin_secret" {
  value       = "monitoring/grafana"
  description = "Secret holding Grafana's generated admin password (key admin-password)"
}

output "dashboard_label" {
  value       = "grafana_dashboard"
  description = "Label (value \"1\") that makes a ConfigMap in any namespace a Grafana dashboard"
}

output "prometheus_service_account" {
  value       = "monitoring/prometheus"
  description = "Service account Prometheus scrapes as"
}

output "mimir_bucket" {
  value       = aws_s3_bucket.mimir-bucket_32860536.bucket
  description = "S3 bucket of mimir"
}

output "mimir_role_arn" {
  value       = aws_iam_role.mimir-identity_role_0095532E.arn
  description = "IAM role of mimir"
}

output "loki_bucket" {
  value       = aws_s3_bucket.loki-bucket_A803A5A5.bucket
  description = "S3 bucket of loki"
}

output "loki_role_arn" {
  value       = aws_iam_role.loki-identity_role_5438AA54.arn
  description = "IAM role of loki"
}

output "tempo_bucket" {
  value       = aws_s3_bucket.tempo-bucket_5269EC19.bucket
  description = "S3 bucket of tempo"
}

output "tempo_role_arn" {
  value       = aws_iam_role.tempo-identity_role_5EE6596C.arn
  description = "IAM role of tempo"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/dev/foundation.tfstate"
  }
}
