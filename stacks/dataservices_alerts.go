package stacks

import "github.com/hashicorp/terraform-cdk-go/cdktf"

// dataAlerts are the failure modes of the data services, each with its runbook section in
// docs/runbooks/data-services.md. Metric names: the Barman Cloud plugin's exporter
// (web/docs/observability.md at v0.13.0), CloudNativePG's default monitoring queries (chart
// values monitoringQueriesConfigMap at cloudnative-pg-v0.29.0), redis_exporter, and Strimzi's
// Kafka Exporter (its example rules at tag 1.2.0).
func dataAlerts() []AlertGroup {
	return []AlertGroup{
		{Name: "postgresql", Rules: []Alert{
			{Name: "PostgresBackupFailed",
				Expr: `barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp > barman_cloud_cloudnative_pg_io_last_available_backup_timestamp`,
				For:  "5m", Severity: "critical",
				Summary:     "The last PostgreSQL base backup failed",
				Description: "The newest backup of {{ $labels.namespace }}/{{ $labels.pod }} failed after the last good one.",
				Runbook:     "data-services#postgres-backup-failed"},
			{Name: "PostgresBackupTooOld",
				Expr: `time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp > 26 * 3600`,
				For:  "15m", Severity: "warning",
				Summary:     "No PostgreSQL base backup in the last 26 hours",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }}: the newest available base backup is older than the daily schedule allows.",
				Runbook:     "data-services#postgres-backup-too-old"},
			{Name: "PostgresWALArchivingFailing",
				Expr: `increase(cnpg_pg_stat_archiver_failed_count[15m]) > 0 and cnpg_pg_stat_archiver_seconds_since_last_archival > 600`,
				For:  "10m", Severity: "critical",
				Summary:     "PostgreSQL cannot archive WAL to S3",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }} failed to archive WAL and archived nothing for 10 minutes: point-in-time recovery is falling behind and pg_wal is growing.",
				Runbook:     "data-services#postgres-backup-failed"},
			{Name: "PostgresReplicationLag",
				Expr: `cnpg_pg_replication_lag > 300`,
				For:  "10m", Severity: "warning",
				Summary:     "A PostgreSQL replica is more than 5 minutes behind",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }} replays WAL {{ $value }}s behind the primary.",
				Runbook:     "data-services#postgres-replication-lag"},
			{Name: "PostgresFailoverHappened",
				Expr:     `changes(cnpg_pg_replication_in_recovery[10m]) > 0`,
				Severity: "warning",
				Summary:  "A PostgreSQL instance changed role (failover or switchover)",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }} moved between primary and replica in the last 10 minutes; " +
					"clients of the -rw Service reconnect to the new primary.",
				Runbook: "data-services#postgres-failover-happened"},
		}},
		{Name: "redis", Rules: []Alert{
			{Name: "RedisDown",
				Expr: `redis_up{pod=~"rfr-.+"} == 0`,
				For:  "5m", Severity: "critical",
				Summary:     "A Redis pod does not answer its exporter",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }} is down.",
				Runbook:     "data-services#redis-down"},
			{Name: "RedisFailoverHappened",
				Expr:     `redis_instance_info{role="master", pod=~"rfr-.+"} unless on (namespace, pod) (redis_instance_info{role="master", pod=~"rfr-.+"} offset 10m)`,
				Severity: "warning",
				Summary:  "Sentinel promoted a new Redis master",
				Description: "{{ $labels.namespace }}/{{ $labels.pod }} became master in the last 10 minutes; clients that " +
					"ask Sentinel for the master follow it, clients pinned to a pod do not.",
				Runbook: "data-services#redis-failover-happened"},
		}},
		{Name: "kafka", Rules: []Alert{
			{Name: "KafkaUnderReplicatedPartitions",
				Expr: `sum by (namespace, topic) (kafka_topic_partition_under_replicated_partition) > 0`,
				For:  "10m", Severity: "critical",
				Summary:     "Kafka partitions are under-replicated",
				Description: "Topic {{ $labels.namespace }}/{{ $labels.topic }} has {{ $value }} partitions with fewer in-sync replicas than configured: a broker is down or behind.",
				Runbook:     "data-services#kafka-under-replicated-partitions"},
			{Name: "KafkaConsumerLag",
				Expr: `sum by (namespace, consumergroup, topic) (kafka_consumergroup_lag) > 10000`,
				For:  "15m", Severity: "warning",
				Summary:     "A Kafka consumer group is falling behind",
				Description: "Group {{ $labels.consumergroup }} is {{ $value }} messages behind on {{ $labels.namespace }}/{{ $labels.topic }}.",
				Runbook:     "data-services#kafka-consumer-lag"},
		}},
	}
}

// alerts installs the data-service rules into Prometheus' namespace, after the CRDs and the
// operators whose metrics they read.
func (d *DataServices) alerts(obs ObservabilityOutputs) {
	d.alertRules("data-services-rules", obs.Namespace, dataAlerts(),
		[]cdktf.ITerraformDependable{d.CNPG.Release, d.Redis.Release, d.Strimzi.Release}...)
}
