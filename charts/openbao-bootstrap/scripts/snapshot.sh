#!/bin/sh
# Step 1 of the snapshot CronJob (openbao image): logs in with Kubernetes auth (role
# openbao-snapshot, read on sys/storage/raft/snapshot only) and saves a Raft snapshot.
set -eu
# The pod mounts these paths; tests point them elsewhere.
WORK=${WORK:-/work}
SA_TOKEN=${SA_TOKEN:-/var/run/secrets/kubernetes.io/serviceaccount/token}
: "${BAO_ADDR:?}"
export HOME=/tmp
BAO_TOKEN=$(bao write -field=token auth/kubernetes/login role=openbao-snapshot \
  jwt=@"$SA_TOKEN")
export BAO_TOKEN
bao operator raft snapshot save "$WORK"/openbao.snap
echo "Saved a snapshot of $(wc -c <"$WORK"/openbao.snap) bytes."
