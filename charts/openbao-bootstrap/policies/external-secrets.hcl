# External Secrets reads application secrets from the KV v2 mount; it never writes.
path "KV_PATH/data/*" {
  capabilities = ["read"]
}
path "KV_PATH/metadata/*" {
  capabilities = ["read", "list"]
}
