#!/bin/sh
# Step 1 of the bootstrap Job (openbao image). Initializes OpenBao once, with recovery keys
# (auto-unseal through AWS KMS needs no unseal keys), and leaves the init output in
# $WORK/init.json for step 2. On a re-run it finds OpenBao initialized and instead logs in
# with Kubernetes auth (role openbao-bootstrap), leaving the token in $WORK/token.
set -eu
# The pod mounts these paths; tests point them elsewhere.
WORK=${WORK:-/work}
SA_TOKEN=${SA_TOKEN:-/var/run/secrets/kubernetes.io/serviceaccount/token}
: "${INIT_ADDR:?}" "${RECOVERY_SHARES:?}" "${RECOVERY_THRESHOLD:?}"
export HOME=/tmp
umask 077

# bao status exits 0 unsealed, 2 sealed or uninitialized, 1 unreachable.
status() { BAO_ADDR="$INIT_ADDR" bao status -format=json 2>/dev/null || true; }

tries=0
until status | grep -q '"initialized"'; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "OpenBao at $INIT_ADDR did not answer for 5 minutes" >&2
    exit 1
  fi
  sleep 5
done

if status | grep -q '"initialized": *true'; then
  echo "OpenBao is already initialized."
    if BAO_ADDR="$BAO_ADDR" bao write -field=token auth/kubernetes/login role=openbao-bootstrap jwt=@"$SA_TOKEN" >"$WORK"/token 2>"$WORK"/login.err; then
    echo "Logged in with Kubernetes auth as openbao-bootstrap."
  else
    rm -f "$WORK"/token
    echo "Kubernetes auth login failed ($(cat "$WORK"/login.err)); step 2 fetches the init output."
  fi
  exit 0
fi

echo "Initializing OpenBao with $RECOVERY_SHARES recovery keys, threshold $RECOVERY_THRESHOLD."
BAO_ADDR="$INIT_ADDR" bao operator init \
  -recovery-shares="$RECOVERY_SHARES" -recovery-threshold="$RECOVERY_THRESHOLD" \
  -format=json >"$WORK"/init.json.tmp
mv "$WORK"/init.json.tmp "$WORK"/init.json
echo "Initialized."
