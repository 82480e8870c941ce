#!/bin/sh
# Step 3 of the bootstrap Job (openbao image). Configures OpenBao idempotently: Kubernetes
# auth, the KV v2 mount, the policies and roles of External Secrets, the snapshot CronJob and
# this Job; then revokes the initial root token if it used it.
set -eu
# The pod mounts these paths; tests point them elsewhere.
WORK=${WORK:-/work}
POLICIES=${POLICIES:-/policies}
: "${BAO_ADDR:?}" "${KV_PATH:?}" "${ESO_ROLE:?}" "${ESO_SERVICE_ACCOUNT:?}" "${ESO_NAMESPACE:?}" "${POD_NAMESPACE:?}"
export HOME=/tmp

tries=0
until bao status >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "OpenBao at $BAO_ADDR is not active and unsealed after 5 minutes (see the runbook: OpenBao sealed)" >&2
    exit 1
  fi
  sleep 5
done

root=false
if [ -s "$WORK"/token ]; then
  BAO_TOKEN=$(cat "$WORK"/token)
elif [ -s "$WORK"/init.json ]; then
  BAO_TOKEN=$(sed -n 's/.*"root_token": *"\([^"]*\)".*/\1/p' "$WORK"/init.json)
  root=true
else
  echo "No token: Kubernetes auth failed and there is no init output" >&2
  exit 1
fi
export BAO_TOKEN
if ! bao token lookup >/dev/null 2>&1; then
  echo "The token is not valid (the initial root token was revoked and Kubernetes auth is not configured);" >&2
  echo "generate a root token with the recovery keys (docs/runbooks/security.md, OpenBao init failed)" >&2
  exit 1
fi

if ! bao auth list -format=json | grep -q '"kubernetes/"'; then
  bao auth enable kubernetes
fi
# OpenBao runs in the cluster: it reviews tokens with its own service account (auth-delegator).
bao write auth/kubernetes/config kubernetes_host="https://kubernetes.default.svc:443" >/dev/null

if ! bao secrets list -format=json | grep -q "\"$KV_PATH/\""; then
  bao secrets enable -path="$KV_PATH" -version=2 kv
fi

bao policy write external-secrets "$POLICIES"/external-secrets.hcl
bao policy write openbao-snapshot "$POLICIES"/openbao-snapshot.hcl
if [ "$root" = true ]; then
  # Only the root token writes the bootstrap policy: the role below cannot widen its own.
  bao policy write openbao-bootstrap "$POLICIES"/openbao-bootstrap.hcl
fi

bao write "auth/kubernetes/role/$ESO_ROLE" \
  bound_service_account_names="$ESO_SERVICE_ACCOUNT" bound_service_account_namespaces="$ESO_NAMESPACE" \
  policies=external-secrets token_ttl=1h token_max_ttl=4h >/dev/null
bao write auth/kubernetes/role/openbao-snapshot \
  bound_service_account_names=openbao-snapshot bound_service_account_namespaces="$POD_NAMESPACE" \
  policies=openbao-snapshot token_ttl=15m token_max_ttl=30m >/dev/null
bao write auth/kubernetes/role/openbao-bootstrap \
  bound_service_account_names=openbao-bootstrap bound_service_account_namespaces="$POD_NAMESPACE" \
  policies=openbao-bootstrap token_ttl=15m token_max_ttl=30m >/dev/null
echo "Configured Kubernetes auth, $KV_PATH/ (KV v2), policies and roles."

if [ "$root" = true ]; then
  bao token revoke -self
  echo "Revoked the initial root token."
fi
