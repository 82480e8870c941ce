package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/ops/model"
)

var update = flag.Bool("update", false, "rewrite the golden outputs under testdata/golden")

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// fixture loads testdata/model-<env>.json: the real foundation and ingress stacks of that
// environment plus illustrative stacks 3-7, so the golden outputs do not move when stacks land.
func fixture(_, env string) (*model.Model, error) {
	return model.Read(filepath.Join("testdata", "model-"+env+".json"))
}

type result struct {
	code           int
	stdout, stderr string
}

func invoke(load loader, args ...string) result {
	var out, errb bytes.Buffer
	code := run(append(args, "--root", repoRoot()), &out, &errb, load)
	return result{code, out.String(), errb.String()}
}

// TestGolden runs every verb on the fixtures of the three environments and compares stdout,
// stderr and the exit status with testdata/golden/<name>.txt (go test -update rewrites them).
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"order-dev", []string{"order", "--env", "dev"}},
		{"order-prod-json", []string{"order", "--env", "prod", "--json"}},
		{"order-changed", []string{"order", "--changed", "security", "--changed", "stacks/observability.go", "docs/capacity.md", "charts/prometheus-rules/templates/rules.yaml"}},
		{"order-changed-foundation", []string{"order", "--env", "staging", "--changed", "stacks/foundation_iam.go"}},
		{"order-changed-noop", []string{"order", "--changed", "README.md", "--changed", "stacks/ingress_test.go"}},
		{"capacity-dev", []string{"capacity", "--env", "dev"}},
		{"capacity-staging-whatif", []string{"capacity", "--env", "staging", "--services", "20"}},
		{"capacity-prod-whatif", []string{"capacity", "--env", "prod", "--nodes", "2", "--instance-type", "t3.xlarge", "--services", "30"}},
		{"capacity-dev-json", []string{"capacity", "--env", "dev", "--services", "5", "--json"}},
		{"cost-dev", []string{"cost", "--env", "dev"}},
		{"cost-staging", []string{"cost", "--env", "staging"}},
		{"cost-prod", []string{"cost", "--env", "prod"}},
		{"cost-prod-json", []string{"cost", "--env", "prod", "--json"}},
		{"explain-lock", []string{"explain", "Error: Error acquiring the state lock: operation error S3: PutObject, PreconditionFailed"}},
		{"explain-json", []string{"explain", "--json", "Warning  FailedScheduling  0/3 nodes are available: 3 Insufficient cpu"}},
		{"runbook-all", []string{"runbook", "--env", "dev"}},
		{"runbook-alert", []string{"runbook", "--env", "prod", "gatekeeperwebhookdown"}},
		{"drift-text", []string{"drift", "--plan", "testdata/plan-drift.json"}},
		{"drift-markdown", []string{"drift", "--env", "prod", "--plan", "testdata/plan-drift.json", "--markdown", "--link-base", "https://github.com/o/r/blob/abc"}},
		{"drift-clean", []string{"drift", "--plan", "testdata/plan-clean.json", "--stack", "foundation", "--env", "staging"}},
		{"drift-json", []string{"drift", "--plan", "testdata/plan-drift.json", "--json"}},
		// Bad input: clear errors, non-zero status.
		{"err-unknown-stack", []string{"order", "--changed", "monitoring"}},
		{"err-unknown-file", []string{"order", "--changed", "stacks/nothing/here.go"}},
		{"err-unknown-env", []string{"cost", "--env", "qa"}},
		{"err-unknown-verb", []string{"deploy"}},
		{"err-unknown-instance", []string{"capacity", "--instance-type", "t2.nano"}},
		{"err-negative", []string{"capacity", "--services", "-1"}},
		{"err-unknown-alert", []string{"runbook", "NoSuchAlert"}},
		{"err-explain-unknown", []string{"explain", "everything is fine"}},
		{"err-explain-empty", []string{"explain"}},
		{"err-drift-malformed", []string{"drift", "--plan", "testdata/plan-malformed.json"}},
		{"err-drift-not-a-plan", []string{"drift", "--plan", "testdata/plan-not-a-plan.json", "--stack", "ingress"}},
		{"err-drift-no-plan", []string{"drift"}},
		{"err-drift-untagged", []string{"drift", "--plan", "testdata/plan-clean.json"}},
		{"err-drift-unknown-stack", []string{"drift", "--plan", "testdata/plan-clean.json", "--stack", "kafka"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := invoke(fixture, c.args...)
			got := fmt.Sprintf("$ platform %s\n[exit %d]\n--- stdout\n%s--- stderr\n%s", strings.Join(c.args, " "), r.code, r.stdout, r.stderr)
			golden := filepath.Join("testdata", "golden", c.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/platform -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test ./cmd/platform -run TestGolden -update, then review the diff):\n%s", golden, got)
			}
			if strings.HasPrefix(c.name, "err-") == (r.code == 0) {
				t.Errorf("exit status %d for %s", r.code, c.name)
			}
		})
	}
}
