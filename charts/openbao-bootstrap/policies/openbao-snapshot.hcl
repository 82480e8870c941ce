# The snapshot CronJob saves Raft snapshots and does nothing else.
path "sys/storage/raft/snapshot" {
  capabilities = ["read"]
}
