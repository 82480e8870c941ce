#!/bin/sh
# Step 2 of the bootstrap Job (aws-cli image, the Job's Pod Identity). Stores the init output
# in AWS Secrets Manager on the run that initialized OpenBao. On a re-run whose Kubernetes
# auth login failed (a first run that stopped before configuring), fetches it back so that
# step 3 can finish with the initial root token, if that is still valid.
set -eu
# The pod mounts these paths; tests point them elsewhere.
WORK=${WORK:-/work}
: "${INIT_SECRET_ID:?}"
export HOME=/tmp
umask 077

if [ -s "$WORK"/token ]; then
  echo "Kubernetes auth works; nothing to store or fetch."
elif [ -s "$WORK"/init.json ]; then
  aws secretsmanager put-secret-value --secret-id "$INIT_SECRET_ID" \
    --secret-string file://"$WORK"/init.json >/dev/null
  echo "Stored the init output in $INIT_SECRET_ID."
elif aws secretsmanager get-secret-value --secret-id "$INIT_SECRET_ID" \
  --query SecretString --output text >"$WORK"/init.json 2>"$WORK"/get.err; then
  echo "Fetched the init output from $INIT_SECRET_ID."
else
  rm -f "$WORK"/init.json
  echo "Cannot read $INIT_SECRET_ID: $(cat "$WORK"/get.err)" >&2
  exit 1
fi
