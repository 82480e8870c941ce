# Re-runs of the bootstrap Job: exactly what configure.sh changes. It cannot write its own
# policy, so it cannot widen it.
path "sys/auth" {
  capabilities = ["read"]
}
path "sys/auth/kubernetes" {
  capabilities = ["create", "update", "read", "sudo"]
}
path "auth/kubernetes/config" {
  capabilities = ["create", "update", "read"]
}
path "auth/kubernetes/role/*" {
  capabilities = ["create", "update", "read"]
}
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/KV_PATH" {
  capabilities = ["create", "update", "read"]
}
path "sys/policies/acl/external-secrets" {
  capabilities = ["create", "update", "read"]
}
path "sys/policies/acl/openbao-snapshot" {
  capabilities = ["create", "update", "read"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
