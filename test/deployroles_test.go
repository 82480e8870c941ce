package test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// roleWorkflow is the part of a workflow the deploy-role checks read.
type roleWorkflow struct {
	Jobs map[string]struct {
		If    string `yaml:"if"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func roleLoad(t *testing.T, file string) (roleWorkflow, string) {
	t.Helper()
	data, err := os.ReadFile(wfPath("workflows", file))
	if err != nil {
		t.Fatal(err)
	}
	var w roleWorkflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return w, string(data)
}

// rolesByJob returns the roles each job assumes through configure-aws-credentials.
func rolesByJob(w roleWorkflow) map[string][]string {
	out := map[string][]string{}
	for id, job := range w.Jobs {
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
				out[id] = append(out[id], s.With["role-to-assume"])
			}
		}
	}
	return out
}

// TestWorkflowDeployRoles checks that plans (pull requests and drift included) use the
// read-only plan role and only the job that runs terraform apply uses the apply role (ADR 0011).
func TestWorkflowDeployRoles(t *testing.T) {
	const plan, apply = "${{ vars.AWS_PLAN_ROLE_ARN }}", "${{ vars.AWS_APPLY_ROLE_ARN }}"
	stack, raw := roleLoad(t, "_stack.yml")
	roles := rolesByJob(stack)
	if len(roles) == 0 {
		t.Fatal("_stack.yml assumes no role")
	}
	for id, rs := range roles {
		applies := false
		for _, s := range stack.Jobs[id].Steps {
			applies = applies || strings.Contains(s.Run, " apply ")
		}
		want := plan
		if applies {
			want = apply
			if !strings.Contains(stack.Jobs[id].If, "inputs.action != 'plan'") {
				t.Errorf("job %s applies without excluding plan runs: if = %q", id, stack.Jobs[id].If)
			}
		}
		for _, r := range rs {
			if r != want {
				t.Errorf("_stack.yml job %s assumes %s, want %s", id, r, want)
			}
		}
	}
	drift, driftRaw := roleLoad(t, "drift.yml")
	for id, rs := range rolesByJob(drift) {
		for _, r := range rs {
			if r != plan {
				t.Errorf("drift.yml job %s assumes %s, want the plan role", id, r)
			}
		}
	}
	for file, text := range map[string]string{"_stack.yml": raw, "drift.yml": driftRaw} {
		if strings.Contains(text, "AWS_DEPLOY_ROLE_ARN") {
			t.Errorf("%s still uses AWS_DEPLOY_ROLE_ARN", file)
		}
	}
}

// TestWorkflowGuardAppliesFromMainOnly runs the guard's script: the apply role trusts main only,
// so apply and destroy elsewhere (dev included) fail before credentials are requested.
func TestWorkflowGuardAppliesFromMainOnly(t *testing.T) {
	stack, _ := roleLoad(t, "_stack.yml")
	script := ""
	for _, s := range stack.Jobs["guard"].Steps {
		if s.Name == "Check environment and action" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("_stack.yml guard job has no step \"Check environment and action\"")
	}
	tests := []struct {
		action, env, ref, event string
		ok                      bool
	}{
		{"plan", "dev", "refs/pull/7/merge", "pull_request", true},
		{"plan", "prod", "refs/heads/feature", "workflow_dispatch", true},
		{"apply", "dev", "refs/heads/main", "push", true},
		{"apply", "dev", "refs/heads/feature", "workflow_dispatch", false},
		{"destroy", "staging", "refs/heads/feature", "workflow_dispatch", false},
		{"apply", "prod", "refs/heads/main", "workflow_dispatch", true},
		{"apply", "dev", "refs/pull/7/merge", "pull_request", false},
	}
	for _, tt := range tests {
		cmd := exec.Command("bash", "-eu", "-o", "pipefail", "-c", script)
		cmd.Env = append(os.Environ(), "ACTION="+tt.action, "ENVIRONMENT="+tt.env, "GITHUB_REF="+tt.ref, "EVENT="+tt.event)
		out, err := cmd.CombinedOutput()
		if (err == nil) != tt.ok {
			t.Errorf("%s %s on %s (%s): err = %v, want ok %v; output: %s", tt.action, tt.env, tt.ref, tt.event, err, tt.ok, out)
		}
	}
}
