#!/bin/sh
# Step 2 of the bootstrap Job (aws-cli image, the Job's Pod Identity). Stores the init output
# in AWS Secrets Manager on the run that initialized OpenBao. On a re-run whose Kubernetes
# auth login failed (a first run that stopped before configuring), fetches it back so that
# step 3 can finish with the initial root token, if that is still valid.
set -eu
: "${INIT_SECRET_ID:?}"
export HOME=/tmp
umask 077

if [ -s /work/token ]; then
  echo "Kubernetes auth works; nothing to store or fetch."
elif [ -s /work/init.json ]; then
  aws secretsmanager put-secret-value --secret-id "$INIT_SECRET_ID" \
    --secret-string file:///work/init.json >/dev/null
  echo "Stored the init output in $INIT_SECRET_ID."
elif aws secretsmanager get-secret-value --secret-id "$INIT_SECRET_ID" \
  --query SecretString --output text >/work/init.json 2>/work/get.err; then
  echo "Fetched the init output from $INIT_SECRET_ID."
else
  rm -f /work/init.json
  echo "Cannot read $INIT_SECRET_ID: $(cat /work/get.err)" >&2
  exit 1
fi
