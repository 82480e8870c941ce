package render_test

// Behaviour of the openbao-bootstrap chart's scripts (init.sh, store.sh, configure.sh) against
// fake `bao` and `aws` commands that keep OpenBao's and Secrets Manager's state in files: a
// first run initializes, stores and configures, later runs are no-ops that never re-initialize,
// and a run that died half-way finishes on the next attempt.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/charts"
)

// fakeBao answers the subset of the OpenBao CLI the scripts use. State lives in $STATE: files
// initialized, auth_kubernetes, mount_<path>, policy_<name>, role_<name>, token_<token>; every
// call is appended to $STATE/log. Writing the openbao-bootstrap policy needs the root token.
const fakeBao = `#!/bin/sh
echo "bao $*" >>"$STATE/log"
valid() { [ -n "${BAO_TOKEN:-}" ] && [ -e "$STATE/token_$BAO_TOKEN" ]; }
case "$1 ${2:-}" in
"status -format=json")
  if [ -e "$STATE/initialized" ]; then echo '{"initialized": true, "sealed": false}'; exit 0; fi
  echo '{"initialized": false, "sealed": true}'; exit 2 ;;
"status ")
  [ -e "$STATE/initialized" ] ;;
"operator init")
  [ ! -e "$STATE/initialized" ] || { echo "already initialized" >&2; exit 2; }
  touch "$STATE/initialized" "$STATE/token_s.root"
  printf '{\n  "recovery_keys_b64": ["k1", "k2", "k3", "k4", "k5"],\n  "recovery_keys_threshold": 3,\n  "root_token": "s.root"\n}\n' ;;
"write -field=token")
  role=$(echo "$*" | sed -n 's/.*role=\([^ ]*\).*/\1/p')
  [ -e "$STATE/role_$role" ] || { echo "permission denied" >&2; exit 2; }
  touch "$STATE/token_s.k8s"; echo "s.k8s" ;;
"token lookup")
  valid ;;
"token revoke")
  valid && rm "$STATE/token_$BAO_TOKEN" ;;
"auth list")
  valid || exit 2
  if [ -e "$STATE/auth_kubernetes" ]; then echo '{"kubernetes/": {}, "token/": {}}'; else echo '{"token/": {}}'; fi ;;
"auth enable")
  valid && touch "$STATE/auth_kubernetes" ;;
"secrets list")
  valid || exit 2
  for m in "$STATE"/mount_*; do [ -e "$m" ] && printf '"%s/": {}\n' "${m##*/mount_}"; done; echo '"sys/": {}' ;;
"secrets enable")
  valid || exit 2
  path=$(echo "$*" | sed -n 's/.*-path=\([^ ]*\).*/\1/p'); touch "$STATE/mount_$path" ;;
"policy write")
  valid || exit 2
  [ -s "$4" ] || { echo "no policy file $4" >&2; exit 2; }
  if [ "$3" = openbao-bootstrap ] && [ "$BAO_TOKEN" != s.root ]; then echo "permission denied" >&2; exit 2; fi
  touch "$STATE/policy_$3" ;;
"write auth/kubernetes/config")
  valid ;;
*)
  case "$2" in
  auth/kubernetes/role/*) valid && touch "$STATE/role_${2##*/}" ;;
  *) echo "fake bao: unexpected $*" >&2; exit 3 ;;
  esac ;;
esac
`

// fakeAWS keeps the one Secrets Manager secret in $STATE/secret.
const fakeAWS = `#!/bin/sh
echo "aws $*" >>"$STATE/log"
case "$2" in
put-secret-value) src=$(echo "$*" | sed -n 's|.*file://\([^ ]*\).*|\1|p'); cp "$src" "$STATE/secret" ;;
get-secret-value) [ -e "$STATE/secret" ] || { echo "ResourceNotFoundException" >&2; exit 254; }; cat "$STATE/secret" ;;
*) echo "fake aws: unexpected $*" >&2; exit 3 ;;
esac
`

type bootstrapRig struct {
	t          *testing.T
	state, bin string
}

func newRig(t *testing.T) *bootstrapRig {
	t.Helper()
	r := &bootstrapRig{t: t, state: t.TempDir(), bin: t.TempDir()}
	for name, body := range map[string]string{"bao": fakeBao, "aws": fakeAWS} {
		if err := os.WriteFile(filepath.Join(r.bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// run runs the Job's three steps in one fresh pod (a new work directory) and returns the
// failing step ("" when all passed) and the combined output.
func (r *bootstrapRig) run(steps ...string) (string, string) {
	r.t.Helper()
	work := r.t.TempDir()
	token := filepath.Join(r.t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("jwt"), 0o600); err != nil {
		r.t.Fatal(err)
	}
	dir := charts.Path(charts.OpenBaoBootstrap)
	var out strings.Builder
	for _, s := range steps {
		cmd := exec.Command("sh", filepath.Join(dir, "scripts", s+".sh"))
		cmd.Env = append(os.Environ(),
			"PATH="+r.bin+":"+os.Getenv("PATH"), "STATE="+r.state, "WORK="+work, "SA_TOKEN="+token,
			"POLICIES="+filepath.Join(dir, "policies"),
			"BAO_ADDR=https://openbao-active.openbao.svc:8200", "INIT_ADDR=https://openbao-0.openbao-internal.openbao.svc:8200",
			"RECOVERY_SHARES=5", "RECOVERY_THRESHOLD=3", "INIT_SECRET_ID=eks-platform-dev-openbao/init",
			"KV_PATH=secret", "ESO_ROLE=external-secrets", "ESO_SERVICE_ACCOUNT=external-secrets",
			"ESO_NAMESPACE=external-secrets", "POD_NAMESPACE=openbao")
		b, err := cmd.CombinedOutput()
		out.Write(b)
		if err != nil {
			return s, out.String()
		}
	}
	return "", out.String()
}

func (r *bootstrapRig) has(file string) bool {
	_, err := os.Stat(filepath.Join(r.state, file))
	return err == nil
}

func (r *bootstrapRig) count(call string) int {
	b, _ := os.ReadFile(filepath.Join(r.state, "log"))
	return strings.Count(string(b), call)
}

func TestBootstrapScriptsFirstRunAndRerun(t *testing.T) {
	r := newRig(t)
	if failed, out := r.run("init", "store", "configure"); failed != "" {
		t.Fatalf("first run failed at %s:\n%s", failed, out)
	}
	secret, err := os.ReadFile(filepath.Join(r.state, "secret"))
	if err != nil || !strings.Contains(string(secret), `"recovery_keys_b64"`) {
		t.Errorf("init output not stored in Secrets Manager: %q %v", secret, err)
	}
	for _, f := range []string{"auth_kubernetes", "mount_secret", "policy_external-secrets", "policy_openbao-snapshot",
		"policy_openbao-bootstrap", "role_external-secrets", "role_openbao-snapshot", "role_openbao-bootstrap"} {
		if !r.has(f) {
			t.Errorf("first run did not configure %s", f)
		}
	}
	if r.has("token_s.root") {
		t.Error("the initial root token was not revoked")
	}

	// A second run (the next helm upgrade) logs in with Kubernetes auth and changes nothing
	// it does not own: no second init, no new secret version, no enable of what exists.
	before, _ := os.ReadFile(filepath.Join(r.state, "secret"))
	if failed, out := r.run("init", "store", "configure"); failed != "" {
		t.Fatalf("re-run failed at %s:\n%s", failed, out)
	}
	after, _ := os.ReadFile(filepath.Join(r.state, "secret"))
	for call, want := range map[string]int{
		"bao operator init": 1, "bao auth enable": 1, "bao secrets enable": 1,
		"aws secretsmanager put-secret-value": 1, "aws secretsmanager get-secret-value": 0,
		"bao policy write openbao-bootstrap": 1, "bao token revoke": 1,
		"bao write auth/kubernetes/role/external-secrets": 2,
	} {
		if got := r.count(call); got != want {
			t.Errorf("%q called %d times over two runs, want %d", call, got, want)
		}
	}
	if string(before) != string(after) {
		t.Error("the re-run rewrote the init secret")
	}
}

func TestBootstrapScriptsResumeAfterPartialRun(t *testing.T) {
	r := newRig(t)
	// The first pod initialized and stored, then died before configuring.
	if failed, out := r.run("init", "store"); failed != "" {
		t.Fatalf("partial run failed at %s:\n%s", failed, out)
	}
	// The next pod cannot log in (no roles yet), fetches the init output and finishes with the
	// still-valid root token, which it then revokes.
	failed, out := r.run("init", "store", "configure")
	if failed != "" {
		t.Fatalf("resumed run failed at %s:\n%s", failed, out)
	}
	if r.count("aws secretsmanager get-secret-value") != 1 || r.count("bao operator init") != 1 {
		t.Errorf("resume should fetch once and never re-initialize:\n%s", out)
	}
	if !r.has("role_external-secrets") || r.has("token_s.root") {
		t.Error("resume did not configure and revoke")
	}
}

func TestBootstrapScriptsStopWithoutAToken(t *testing.T) {
	r := newRig(t)
	// Initialized, root token revoked, Kubernetes auth never configured: nothing can log in.
	for _, f := range []string{"initialized"} {
		if err := os.WriteFile(filepath.Join(r.state, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(r.state, "secret"), []byte(`{"recovery_keys_b64": ["k"], "root_token": "s.root"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	failed, out := r.run("init", "store", "configure")
	if failed != "configure" || !strings.Contains(out, "generate a root token with the recovery keys") {
		t.Errorf("want configure to stop and point at the runbook; failed at %q:\n%s", failed, out)
	}
	if r.count("bao operator init") != 0 {
		t.Error("an initialized OpenBao was initialized again")
	}
}
