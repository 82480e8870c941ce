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
    path = "../../../.state/dev/data-services.tfstate"
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
      Workflow    = "data-services"
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
data "aws_caller_identity" "pg-backups_account_8187318D" {
}
resource "aws_s3_bucket" "pg-backups_bucket_8D777ABA" {
  bucket        = join("-", ["eks-platform-dev-pg-backups", data.aws_caller_identity.pg-backups_account_8187318D.account_id])
  force_destroy = false
  tags = {
    Component = "pg-backups"
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "pg-backups_encryption_0F155B7E" {
  bucket = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      kms_master_key_id = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn
      sse_algorithm     = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_public_access_block" "pg-backups_public-access_9C12792E" {
  block_public_acls       = true
  block_public_policy     = true
  bucket                  = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_s3_bucket_ownership_controls" "pg-backups_ownership_043E08B3" {
  bucket = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_policy" "pg-backups_tls-only_E0E8BB3E" {
  bucket = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:*"], "Condition" = { "Bool" = { "aws:SecureTransport" = "false" } }, "Effect" = "Deny", "Principal" = { "AWS" = "*" }, "Resource" = [aws_s3_bucket.pg-backups_bucket_8D777ABA.arn, "${aws_s3_bucket.pg-backups_bucket_8D777ABA.arn}/*"], "Sid" = "DenyInsecureTransport" }], "Version" = "2012-10-17" })
}
resource "aws_s3_bucket_versioning" "pg-backups_versioning_12885A84" {
  bucket = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "pg-backups_lifecycle_EE4055A2" {
  bucket = aws_s3_bucket.pg-backups_bucket_8D777ABA.id
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
resource "helm_release" "data-namespaces_release_3AE7E4F7" {
  atomic           = true
  chart            = "assets/data-namespaces_chart_8B8DBE78/C15C8FBF342D9680B10E5351E39CD77A"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart data-namespaces"
  max_history      = 5
  name             = "data-namespaces"
  namespace        = "cnpg-system"
  timeout          = 600
  values = [
    <<EOF
namespaces:
    - demo

EOF
  ]
  wait = true
  depends_on = [
  ]
  provider = "helm"
}
resource "helm_release" "cloudnative-pg_release_C0B2DEDD" {
  atomic           = true
  chart            = "cloudnative-pg"
  cleanup_on_fail  = true
  create_namespace = false
  max_history      = 5
  name             = "cloudnative-pg"
  namespace        = "cnpg-system"
  repository       = "https://cloudnative-pg.github.io/charts"
  timeout          = 600
  values = [
    <<EOF
config:
    clusterWide: true
crds:
    create: true
monitoring:
    grafanaDashboard:
        create: true
        sidecarLabel: grafana_dashboard
        sidecarLabelValue: "1"
    podMonitorEnabled: true
replicaCount: 1
resources:
    limits:
        cpu: 500m
        memory: 512Mi
    requests:
        cpu: 50m
        memory: 100Mi

EOF
  ]
  version = "0.29.0"
  wait    = true
  depends_on = [
    "helm_release.data-namespaces_release_3AE7E4F7",
  ]
  provider = "helm"
}
resource "helm_release" "plugin-barman-cloud_release_8D512065" {
  atomic           = true
  chart            = "plugin-barman-cloud"
  cleanup_on_fail  = true
  create_namespace = false
  max_history      = 5
  name             = "plugin-barman-cloud"
  namespace        = "cnpg-system"
  repository       = "https://cloudnative-pg.github.io/charts"
  timeout          = 600
  values = [
    <<EOF
crds:
    create: true
replicaCount: 1
resources:
    limits:
        cpu: 200m
        memory: 256Mi
    requests:
        cpu: 20m
        memory: 64Mi

EOF
  ]
  version = "0.7.0"
  wait    = true
  depends_on = [
    "helm_release.cloudnative-pg_release_C0B2DEDD",
  ]
  provider = "helm"
}
resource "helm_release" "redis-operator_release_394841C7" {
  atomic           = true
  chart            = "redis-operator"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "redis-operator"
  namespace        = "redis-operator"
  repository       = "https://spotahome.github.io/redis-operator"
  timeout          = 600
  values = [
    <<EOF
image:
    tag: v1.2.4
monitoring:
    enabled: true
    prometheus:
        name: platform
    serviceMonitor: true
replicas: 1
resources:
    limits:
        cpu: 100m
        memory: 128Mi
    requests:
        cpu: 20m
        memory: 48Mi

EOF
  ]
  version = "3.2.6"
  wait    = true
  depends_on = [
    "helm_release.data-namespaces_release_3AE7E4F7",
  ]
  provider = "helm"
}
resource "helm_release" "strimzi-kafka-operator_release_04667E44" {
  atomic           = true
  chart            = "strimzi-kafka-operator"
  cleanup_on_fail  = true
  create_namespace = true
  max_history      = 5
  name             = "strimzi-kafka-operator"
  namespace        = "strimzi"
  repository       = "oci://quay.io/strimzi-helm"
  timeout          = 600
  values = [
    <<EOF
dashboards:
    enabled: true
    label: grafana_dashboard
    labelValue: "1"
leaderElection:
    enable: true
podDisruptionBudget:
    enabled: false
    maxUnavailable: 1
    minAvailable: null
replicas: 1
resources:
    limits:
        cpu: "1"
        memory: 384Mi
    requests:
        cpu: 100m
        memory: 384Mi
topologySpreadConstraints:
    - labelSelector:
        matchLabels:
            name: strimzi-cluster-operator
      maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
watchNamespaces:
    - demo

EOF
  ]
  version = "1.2.0"
  wait    = true
  depends_on = [
    "helm_release.data-namespaces_release_3AE7E4F7",
  ]
  provider = "helm"
}
resource "helm_release" "data-monitoring_release_0C3F4176" {
  atomic           = true
  chart            = "assets/data-monitoring_chart_A5D9D711/379B0D4D1ECD2C6FBD3922726398F7F3"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart data-monitoring"
  max_history      = 5
  name             = "data-monitoring"
  namespace        = "cnpg-system"
  timeout          = 600
  values = [
    <<EOF
label: grafana_dashboard
strimziNamespace: strimzi

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.cloudnative-pg_release_C0B2DEDD",
    "helm_release.strimzi-kafka-operator_release_04667E44",
  ]
  provider = "helm"
}
resource "aws_iam_role" "pg-demo-pg-backup-identity_role_421A324F" {
  assume_role_policy   = jsonencode({ "Statement" = [{ "Action" = ["sts:AssumeRoleWithWebIdentity"], "Condition" = { "StringEquals" = zipmap([join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":aud"]), join("", [replace(data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_eks_clustercluster_A4C38409identity0oidc0issuer, "https://", ""), ":sub"])], ["sts.amazonaws.com", "system:serviceaccount:demo:demo-pg"]) }, "Effect" = "Allow", "Principal" = { "Federated" = data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_iam_openid_connect_providercluster_oidc_E9345939arn } }], "Version" = "2012-10-17" })
  description          = "Workload identity of demo/demo-pg (IRSA)"
  name                 = "eks-platform-dev-pg-demo-pg"
  permissions_boundary = "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-dev-permissions-boundary"
  tags = {
    Component = "pg-demo-pg"
  }
}
resource "aws_iam_role_policy" "pg-demo-pg-backup-identity_policy_F4FECF5A" {
  name   = "pg-demo-pg"
  policy = jsonencode({ "Statement" = [{ "Action" = ["s3:ListBucket", "s3:GetBucketLocation"], "Effect" = "Allow", "Resource" = [aws_s3_bucket.pg-backups_bucket_8D777ABA.arn], "Sid" = "ReadWriteBucket" }, { "Action" = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Effect" = "Allow", "Resource" = ["${aws_s3_bucket.pg-backups_bucket_8D777ABA.arn}/demo/demo-pg/*"], "Sid" = "ReadWriteObjects" }, { "Action" = ["kms:Decrypt", "kms:GenerateDataKey"], "Effect" = "Allow", "Resource" = [data.terraform_remote_state.cross-stack-reference-input-foundation.outputs.cross-stack-output-aws_kms_keykms_key_28C05A0Farn], "Sid" = "ReadWriteBucketKey" }], "Version" = "2012-10-17" })
  role   = aws_iam_role.pg-demo-pg-backup-identity_role_421A324F.id
}
resource "helm_release" "pg-demo-pg_release_BC8D692F" {
  atomic           = true
  chart            = "assets/pg-demo-pg_chart_3FB12568/8640AED4EF3158B8F1F210BB17C8EECB"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart postgres-cluster"
  max_history      = 5
  name             = "pg-demo-pg"
  namespace        = "demo"
  timeout          = 600
  values = [
    <<EOF
backup:
    destinationPath: s3://${aws_s3_bucket.pg-backups_bucket_8D777ABA.bucket}/demo/
    retentionPolicy: 7d
    schedule: 0 0 3 * * *
    sidecarResources:
        limits:
            cpu: 500m
            memory: 256Mi
        requests:
            cpu: 20m
            memory: 64Mi
database: demo
imageName: ghcr.io/cloudnative-pg/postgresql:18.6-standard-trixie
instances: 1
name: demo-pg
network:
    clientNamespaces:
        - demo
    monitoringNamespace: monitoring
    operatorNamespace: cnpg-system
owner: demo
pooler:
    instances: 0
    resources:
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 20m
            memory: 32Mi
resources:
    limits:
        cpu: "1"
        memory: 512Mi
    requests:
        cpu: 100m
        memory: 256Mi
restore:
    from: ""
    targetTime: ""
roleArn: ${aws_iam_role.pg-demo-pg-backup-identity_role_421A324F.arn}
storage:
    size: 5Gi
    storageClass: gp3

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.plugin-barman-cloud_release_8D512065",
    "aws_iam_role.pg-demo-pg-backup-identity_role_421A324F",
  ]
  provider = "helm"
}
resource "helm_release" "redis-demo-cache_release_5F64D44B" {
  atomic           = true
  chart            = "assets/redis-demo-cache_chart_8A68B812/047223FB504E82EC5722ED6041E07015"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart redis-failover"
  max_history      = 5
  name             = "redis-demo-cache"
  namespace        = "demo"
  timeout          = 600
  values = [
    <<EOF
auth:
    secretName: redis-demo-cache-auth
name: demo-cache
network:
    clientNamespaces:
        - demo
    monitoringNamespace: monitoring
    operatorNamespace: redis-operator
redis:
    exporter:
        image: quay.io/oliver006/redis_exporter:v1.43.0
        resources:
            limits:
                cpu: 50m
                memory: 64Mi
            requests:
                cpu: 10m
                memory: 32Mi
    image: redis:7.2.5-alpine
    replicas: 2
    resources:
        limits:
            cpu: 300m
            memory: 256Mi
        requests:
            cpu: 50m
            memory: 64Mi
    storage:
        size: 1Gi
        storageClass: gp3
sentinel:
    image: redis:7.2.5-alpine
    replicas: 3
    resources:
        limits:
            cpu: 100m
            memory: 64Mi
        requests:
            cpu: 20m
            memory: 32Mi

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.redis-operator_release_394841C7",
  ]
  provider = "helm"
}
resource "helm_release" "kafka-demo-kafka_release_108E9368" {
  atomic           = true
  chart            = "assets/kafka-demo-kafka_chart_F84AE7F8/D5B3A5188B02DEB5E1C88571184166E7"
  cleanup_on_fail  = true
  create_namespace = false
  description      = "local chart kafka-cluster"
  max_history      = 5
  name             = "kafka-demo-kafka"
  namespace        = "demo"
  timeout          = 900
  values = [
    <<EOF
authentication: scram-sha-512
entityOperator:
    topicOperator:
        resources:
            limits:
                cpu: 500m
                memory: 256Mi
            requests:
                cpu: 50m
                memory: 192Mi
    userOperator:
        resources:
            limits:
                cpu: 500m
                memory: 256Mi
            requests:
                cpu: 50m
                memory: 192Mi
kafkaExporter:
    resources:
        limits:
            cpu: 200m
            memory: 128Mi
        requests:
            cpu: 20m
            memory: 32Mi
minInsyncReplicas: 1
name: demo-kafka
network:
    clientNamespaces:
        - demo
nodePools:
    - heap: 512m
      name: combined
      replicas: 1
      resources:
        limits:
            cpu: "1"
            memory: 1Gi
        requests:
            cpu: 200m
            memory: 1Gi
      roles:
        - controller
        - broker
      storage: 5Gi
replicationFactor: 1
storageClass: gp3
topics:
    - name: demo.events
      partitions: 3
      replicas: 0
users:
    - name: demo-app
      prefix: demo.
version: 4.3.1

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.strimzi-kafka-operator_release_04667E44",
  ]
  provider = "helm"
}
resource "helm_release" "data-services-rules_release_C7B52E6F" {
  atomic           = true
  chart            = "assets/data-services-rules_chart_3E1B0819/D9A86DD47F697A5187957ADCAE2F140D"
  cleanup_on_fail  = true
  create_namespace = true
  description      = "local chart prometheus-rules"
  max_history      = 5
  name             = "data-services-rules"
  namespace        = "monitoring"
  timeout          = 600
  values = [
    <<EOF
groups:
    - name: postgresql
      rules:
        - alert: PostgresBackupFailed
          annotations:
            description: The newest backup of {{ $labels.namespace }}/{{ $labels.pod }} failed after the last good one.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#postgres-backup-failed
            summary: The last PostgreSQL base backup failed
          expr: barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp > barman_cloud_cloudnative_pg_io_last_available_backup_timestamp
          for: 5m
          labels:
            severity: critical
            workflow: data-services
        - alert: PostgresBackupTooOld
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }}: the newest available base backup is older than the daily schedule allows.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#postgres-backup-too-old
            summary: No PostgreSQL base backup in the last 26 hours
          expr: time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp > 26 * 3600
          for: 15m
          labels:
            severity: warning
            workflow: data-services
        - alert: PostgresWALArchivingFailing
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }} failed to archive WAL and archived nothing for 10 minutes: point-in-time recovery is falling behind and pg_wal is growing.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#postgres-backup-failed
            summary: PostgreSQL cannot archive WAL to S3
          expr: increase(cnpg_pg_stat_archiver_failed_count[15m]) > 0 and cnpg_pg_stat_archiver_seconds_since_last_archival > 600
          for: 10m
          labels:
            severity: critical
            workflow: data-services
        - alert: PostgresReplicationLag
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }} replays WAL {{ $value }}s behind the primary.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#postgres-replication-lag
            summary: A PostgreSQL replica is more than 5 minutes behind
          expr: cnpg_pg_replication_lag > 300
          for: 10m
          labels:
            severity: warning
            workflow: data-services
        - alert: PostgresFailoverHappened
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }} moved between primary and replica in the last 10 minutes; clients of the -rw Service reconnect to the new primary.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#postgres-failover-happened
            summary: A PostgreSQL instance changed role (failover or switchover)
          expr: changes(cnpg_pg_replication_in_recovery[10m]) > 0
          labels:
            severity: warning
            workflow: data-services
    - name: redis
      rules:
        - alert: RedisDown
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }} is down.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#redis-down
            summary: A Redis pod does not answer its exporter
          expr: redis_up{pod=~"rfr-.+"} == 0
          for: 5m
          labels:
            severity: critical
            workflow: data-services
        - alert: RedisFailoverHappened
          annotations:
            description: '{{ $labels.namespace }}/{{ $labels.pod }} became master in the last 10 minutes; clients that ask Sentinel for the master follow it, clients pinned to a pod do not.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#redis-failover-happened
            summary: Sentinel promoted a new Redis master
          expr: redis_instance_info{role="master", pod=~"rfr-.+"} unless on (namespace, pod) (redis_instance_info{role="master", pod=~"rfr-.+"} offset 10m)
          labels:
            severity: warning
            workflow: data-services
    - name: kafka
      rules:
        - alert: KafkaUnderReplicatedPartitions
          annotations:
            description: 'Topic {{ $labels.namespace }}/{{ $labels.topic }} has {{ $value }} partitions with fewer in-sync replicas than configured: a broker is down or behind.'
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#kafka-under-replicated-partitions
            summary: Kafka partitions are under-replicated
          expr: sum by (namespace, topic) (kafka_topic_partition_under_replicated_partition) > 0
          for: 10m
          labels:
            severity: critical
            workflow: data-services
        - alert: KafkaConsumerLag
          annotations:
            description: Group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.namespace }}/{{ $labels.topic }}.
            runbook_url: https://github.com/platformeng/eks-platform/blob/main/docs/runbooks/data-services.md#kafka-consumer-lag
            summary: A Kafka consumer group is falling behind
          expr: sum by (namespace, consumergroup, topic) (kafka_consumergroup_lag) > 10000
          for: 15m
          labels:
            severity: warning
            workflow: data-services
name: data-services-rules

EOF
  ]
  wait = true
  depends_on = [
    "helm_release.cloudnative-pg_release_C0B2DEDD",
    "helm_release.redis-operator_release_394841C7",
    "helm_release.strimzi-kafka-operator_release_04667E44",
  ]
  provider = "helm"
}

output "backup_bucket" {
  value       = aws_s3_bucket.pg-backups_bucket_8D777ABA.bucket
  description = "S3 bucket of PostgreSQL base backups and WAL (<namespace>/<cluster>/)"
}

output "operator_namespaces" {
  value = {
    cloudnative-pg = "cnpg-system"
    redis          = "redis-operator"
    strimzi        = "strimzi"
  }
  description = "Namespaces of the CloudNativePG, Redis and Strimzi operators"
}

output "postgres" {
  value = {
    demo-pg = {
      backup_role = "${aws_iam_role.pg-demo-pg-backup-identity_role_421A324F.arn}"
      namespace   = "demo"
      primary     = "demo-pg-rw.demo.svc:5432"
      secret      = "demo-pg-app"
    }
  }
  description = "PostgreSQL clusters: primary Service, application Secret (in the namespace), backup role"
}

output "redis" {
  value = {
    demo-cache = {
      master_name = "mymaster"
      namespace   = "demo"
      secret      = "redis-demo-cache-auth"
      sentinel    = "rfs-demo-cache.demo.svc:26379"
    }
  }
  description = "Redis failovers: Sentinel Service, master name, password Secret"
}

output "kafka" {
  value = {
    demo-kafka = {
      authentication = "scram-sha-512"
      bootstrap      = "demo-kafka-kafka-bootstrap.demo.svc:9093"
      ca_secret      = "demo-kafka-cluster-ca-cert"
      namespace      = "demo"
    }
  }
  description = "Kafka clusters: TLS bootstrap, cluster CA Secret, user authentication"
}
data "terraform_remote_state" "cross-stack-reference-input-foundation" {
  backend   = "local"
  workspace = terraform.workspace
  config = {
    path = "../../../.state/dev/foundation.tfstate"
  }
}
