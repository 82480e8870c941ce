#!/bin/sh
# Step 1 of the snapshot CronJob (openbao image): logs in with Kubernetes auth (role
# openbao-snapshot, read on sys/storage/raft/snapshot only) and saves a Raft snapshot.
set -eu
: "${BAO_ADDR:?}"
export HOME=/tmp
BAO_TOKEN=$(bao write -field=token auth/kubernetes/login role=openbao-snapshot \
  jwt=@/var/run/secrets/kubernetes.io/serviceaccount/token)
export BAO_TOKEN
bao operator raft snapshot save /work/openbao.snap
echo "Saved a snapshot of $(wc -c </work/openbao.snap) bytes."
