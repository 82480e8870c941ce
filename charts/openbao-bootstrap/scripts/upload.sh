#!/bin/sh
# Step 2 of the snapshot CronJob (aws-cli image, Pod Identity allowed s3:PutObject under the
# prefix only): uploads the snapshot; the bucket encrypts it with KMS and expires old ones.
set -eu
# The pod mounts these paths; tests point them elsewhere.
WORK=${WORK:-/work}
: "${SNAPSHOT_BUCKET:?}" "${SNAPSHOT_PREFIX:?}"
export HOME=/tmp
key="${SNAPSHOT_PREFIX}$(date -u +%Y/%m/%d/%H%M%S).snap"
aws s3 cp "$WORK"/openbao.snap "s3://$SNAPSHOT_BUCKET/$key" --only-show-errors
echo "Uploaded s3://$SNAPSHOT_BUCKET/$key"
