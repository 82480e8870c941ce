package test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/stacks"
)

// The workflow names of the brief, byte for byte: written out as UTF-8 bytes so that a lost or
// added variation selector (U+FE0F, "\xef\xb8\x8f") in stacks.Workflows or a file shows up.
var wfBriefNames = []string{
	"\xf0\x9f\x8f\x97\xef\xb8\x8f Workflow 1: Foundation Platform",
	"\xf0\x9f\x8c\x90 Workflow 2: Ingress + API Gateway Stack",
	"\xf0\x9f\x93\x88 Workflow 3: Observability Stack",
	"\xf0\x9f\x94\x84 Workflow 4: GitOps & Deployment Automation",
	"\xf0\x9f\x94\x90 Workflow 5: Security Foundation",
	"\xf0\x9f\x9b\xa1\xef\xb8\x8f Workflow 6: Service Mesh",
	"\xf0\x9f\x93\x8a Workflow 7: Data Services",
}

const wfReusable = "./.github/workflows/_stack.yml"

type wfWorkflow struct {
	Name        string            `yaml:"name"`
	On          wfTriggers        `yaml:"on"`
	Permissions any               `yaml:"permissions"`
	Concurrency *wfConcurrency    `yaml:"concurrency"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]wfJob  `yaml:"jobs"`
}

type wfTriggers struct {
	WorkflowDispatch *struct {
		Inputs map[string]wfInput `yaml:"inputs"`
	} `yaml:"workflow_dispatch"`
	WorkflowCall *struct {
		Inputs map[string]wfInput `yaml:"inputs"`
	} `yaml:"workflow_call"`
	PullRequest *struct {
		Paths []string `yaml:"paths"`
	} `yaml:"pull_request"`
	Push *struct {
		Branches []string `yaml:"branches"`
		Paths    []string `yaml:"paths"`
	} `yaml:"push"`
}

type wfInput struct {
	Type    string   `yaml:"type"`
	Options []string `yaml:"options"`
	Default any      `yaml:"default"`
}

type wfConcurrency struct {
	Group            string `yaml:"group"`
	CancelInProgress any    `yaml:"cancel-in-progress"`
}

type wfJob struct {
	Uses        string            `yaml:"uses"`
	With        map[string]any    `yaml:"with"`
	Needs       any               `yaml:"needs"`
	If          string            `yaml:"if"`
	Environment any               `yaml:"environment"`
	Permissions any               `yaml:"permissions"`
	Concurrency *wfConcurrency    `yaml:"concurrency"`
	Env         map[string]string `yaml:"env"`
	Steps       []wfStep          `yaml:"steps"`
}

type wfStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	If   string            `yaml:"if"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
}

func wfPath(parts ...string) string {
	return filepath.Join(append([]string{root(), ".github"}, parts...)...)
}

func wfLoad(t *testing.T, file string) wfWorkflow {
	t.Helper()
	data, err := os.ReadFile(wfPath("workflows", file))
	if err != nil {
		t.Fatal(err)
	}
	var w wfWorkflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return w
}

// wfFiles lists every workflow and composite action file.
func wfFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{wfPath("workflows", "*.yml"), wfPath("workflows", "*.yaml"), wfPath("actions", "*", "action.yml")} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d workflow and action files", len(files))
	}
	return files
}

// wfNameMismatch explains how got differs from want, byte for byte, or returns "".
func wfNameMismatch(got, want string) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf("name %q (% x) differs from %q (% x)", got, []byte(got), want, []byte(want))
}

func TestWorkflowNamesMatchTheBrief(t *testing.T) {
	if len(stacks.Workflows) != len(wfBriefNames) {
		t.Fatalf("stacks.Workflows has %d workflows, the brief 7", len(stacks.Workflows))
	}
	for i, w := range stacks.Workflows {
		t.Run(w.ID, func(t *testing.T) {
			if msg := wfNameMismatch(w.Name, wfBriefNames[i]); msg != "" {
				t.Errorf("stacks.Workflows[%d]: %s", i, msg)
			}
			if w.Number != i+1 {
				t.Errorf("stacks.Workflows[%d].Number = %d", i, w.Number)
			}
			wf := wfLoad(t, w.File)
			if msg := wfNameMismatch(wf.Name, w.Name); msg != "" {
				t.Errorf("%s: %s", w.File, msg)
			}
			raw, err := os.ReadFile(wfPath("workflows", w.File))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(raw, []byte("name: \""+wfBriefNames[i]+"\"\n")) {
				t.Errorf("%s does not spell the name literally as name: \"%s\"", w.File, wfBriefNames[i])
			}
		})
	}
	// The comparison must see a missing variation selector.
	if wfNameMismatch(strings.Replace(wfBriefNames[0], "\ufe0f", "", 1), wfBriefNames[0]) == "" {
		t.Fatal("wfNameMismatch does not notice a missing U+FE0F")
	}
}

func TestWorkflowTargetsItsStack(t *testing.T) {
	callers := map[string]bool{}
	for _, w := range stacks.Workflows {
		t.Run(w.ID, func(t *testing.T) {
			callers[w.File] = true
			wf := wfLoad(t, w.File)
			if len(wf.Jobs) != 1 {
				t.Fatalf("%s has %d jobs; it should only call %s", w.File, len(wf.Jobs), wfReusable)
			}
			for id, job := range wf.Jobs {
				if job.Uses != wfReusable {
					t.Fatalf("job %s uses %q, want %s", id, job.Uses, wfReusable)
				}
				want := map[string]any{
					"stack":              w.ID,
					"environment":        "${{ inputs.environment || 'dev' }}",
					"action":             "${{ inputs.action || (github.event_name == 'push' && 'apply' || 'plan') }}",
					"confirm":            "${{ inputs.confirm || '' }}",
					"allow_prod_destroy": "${{ inputs.allow_prod_destroy == true }}",
				}
				for k, v := range want {
					if job.With[k] != v {
						t.Errorf("with.%s = %v, want %v", k, job.With[k], v)
					}
				}
			}

			d := wf.On.WorkflowDispatch
			if d == nil {
				t.Fatal("no workflow_dispatch trigger")
			}
			inputs := []struct {
				name, typ string
				options   []string
			}{
				{"environment", "choice", []string{"dev", "staging", "prod"}},
				{"action", "choice", []string{"plan", "apply", "destroy"}},
				{"confirm", "string", nil},
				{"allow_prod_destroy", "boolean", nil},
			}
			for _, in := range inputs {
				got, ok := d.Inputs[in.name]
				if !ok || got.Type != in.typ || !slices.Equal(got.Options, in.options) {
					t.Errorf("workflow_dispatch input %s = %+v, want type %s options %v", in.name, got, in.typ, in.options)
				}
			}
			if d.Inputs["action"].Default != "plan" || d.Inputs["allow_prod_destroy"].Default != false {
				t.Error("a manual run must default to plan and refuse prod destroys")
			}

			if wf.On.PullRequest == nil {
				t.Fatal("a pull_request trigger is required")
			}
			// Pushes apply through deploy.yml, one stack at a time in order: a push trigger here
			// would apply this stack in parallel with the others of the environment.
			if wf.On.Push != nil {
				t.Error("push trigger: pushes to main must apply through deploy.yml, not the stack's own workflow")
			}
			for _, paths := range [][]string{wf.On.PullRequest.Paths} {
				for _, p := range []string{".github/workflows/" + w.File, ".github/workflows/_stack.yml", "config/**", "constructs/**", "stacks/stack.go", "go.sum"} {
					if !slices.Contains(paths, p) {
						t.Errorf("trigger paths lack %s", p)
					}
				}
				own := false
				for _, p := range paths {
					own = own || (strings.HasPrefix(p, "stacks/") && strings.HasSuffix(p, ".go") && strings.Contains(p, "*"))
				}
				if !own {
					t.Errorf("trigger paths %v have no pattern for the stack's own code", paths)
				}
			}
			if wf.Concurrency != nil {
				t.Error("the caller must not set concurrency: _stack.yml does, and equal groups would deadlock")
			}
		})
	}

	// Every workflow that calls the reusable workflow is one of the seven.
	entries, err := os.ReadDir(wfPath("workflows"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || callers[e.Name()] || e.Name() == "_stack.yml" || e.Name() == wfDeploy {
			continue
		}
		for id, job := range wfLoad(t, e.Name()).Jobs {
			if job.Uses == wfReusable {
				t.Errorf("%s job %s deploys a stack but is not in stacks.Workflows", e.Name(), id)
			}
		}
	}
}

// wfGuard returns the reusable workflow's destroy guard step and the job that holds it.
func wfGuard(t *testing.T, wf wfWorkflow) (string, wfStep) {
	t.Helper()
	for id, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.Contains(s.If, "inputs.action == 'destroy'") && s.Env["CONFIRM"] != "" {
				return id, s
			}
		}
	}
	t.Fatal("_stack.yml has no step guarded by inputs.action == 'destroy' that reads CONFIRM")
	return "", wfStep{}
}

// wfNeeds reports whether job needs (directly or through other jobs) the job dep.
func wfNeeds(wf wfWorkflow, job, dep string) bool {
	var needs []string
	switch n := wf.Jobs[job].Needs.(type) {
	case string:
		needs = []string{n}
	case []any:
		for _, x := range n {
			needs = append(needs, fmt.Sprint(x))
		}
	}
	for _, n := range needs {
		if n == dep || wfNeeds(wf, n, dep) {
			return true
		}
	}
	return false
}

func TestWorkflowDestroyNeedsConfirmation(t *testing.T) {
	wf := wfLoad(t, "_stack.yml")
	call := wf.On.WorkflowCall
	if call == nil {
		t.Fatal("_stack.yml must be a reusable workflow (on: workflow_call)")
	}
	for _, in := range []string{"stack", "environment", "action", "confirm", "allow_prod_destroy"} {
		if _, ok := call.Inputs[in]; !ok {
			t.Errorf("workflow_call input %s missing", in)
		}
	}
	if call.Inputs["allow_prod_destroy"].Type != "boolean" || call.Inputs["allow_prod_destroy"].Default != false {
		t.Errorf("allow_prod_destroy = %+v, want a boolean defaulting to false", call.Inputs["allow_prod_destroy"])
	}
	if wf.Env["STACK"] != "${{ inputs.stack }}" || wf.Env["ENVIRONMENT"] != "${{ inputs.environment }}" {
		t.Fatalf("workflow env STACK/ENVIRONMENT = %q/%q", wf.Env["STACK"], wf.Env["ENVIRONMENT"])
	}
	guardJob, guard := wfGuard(t, wf)
	if guard.Env["CONFIRM"] != "${{ inputs.confirm }}" || guard.Env["ALLOW_PROD_DESTROY"] != "${{ inputs.allow_prod_destroy }}" {
		t.Errorf("guard env = %v", guard.Env)
	}
	for _, job := range []string{"plan", "apply"} {
		if !wfNeeds(wf, job, guardJob) {
			t.Errorf("job %s does not wait for the guard job %s", job, guardJob)
		}
	}
	if !strings.Contains(wf.Jobs["apply"].If, "needs.plan.outputs") {
		t.Errorf("apply must run only after a saved plan: if = %q", wf.Jobs["apply"].If)
	}

	// Run the guard as the runner would.
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	tests := []struct {
		stack, env, confirm, allowProd string
		ok                             bool
	}{
		{"foundation", "dev", "foundation/dev", "false", true},
		{"data-services", "staging", "data-services/staging", "false", true},
		{"foundation", "dev", "", "false", false},
		{"foundation", "dev", "foundation/staging", "false", false},
		{"foundation", "dev", "ingress/dev", "true", false},
		{"foundation", "dev", " foundation/dev", "false", false},
		{"foundation", "prod", "foundation/prod", "false", false},
		{"foundation", "prod", "foundation/prod", "true", true},
		{"foundation", "prod", "foundation/dev", "true", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s confirm=%q allow_prod=%s", tt.stack, tt.env, tt.confirm, tt.allowProd), func(t *testing.T) {
			cmd := exec.Command("bash", "-e", "-c", guard.Run)
			cmd.Env = append(os.Environ(), "STACK="+tt.stack, "ENVIRONMENT="+tt.env, "CONFIRM="+tt.confirm, "ALLOW_PROD_DESTROY="+tt.allowProd)
			out, err := cmd.CombinedOutput()
			if (err == nil) != tt.ok {
				t.Errorf("guard ok = %v, want %v; output:\n%s", err == nil, tt.ok, out)
			}
		})
	}
}

var (
	wfPinned  = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+(/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}$`)
	wfVersion = regexp.MustCompile(`^# v\d+\.\d+\.\d+$`)
)

// wfUses collects every `uses:` value in a YAML document with its line comment and line.
func wfUses(n *yaml.Node, out *[]*yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "uses" && n.Content[i+1].Kind == yaml.ScalarNode {
				*out = append(*out, n.Content[i+1])
			}
		}
	}
	for _, c := range n.Content {
		wfUses(c, out)
	}
}

func TestWorkflowActionsArePinned(t *testing.T) {
	seen := 0
	for _, file := range wfFiles(t) {
		rel, _ := filepath.Rel(root(), file)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			var uses []*yaml.Node
			wfUses(&doc, &uses)
			for _, u := range uses {
				if strings.HasPrefix(u.Value, "./") {
					local := filepath.Join(root(), u.Value)
					if _, err := os.Stat(local); err != nil {
						if _, err := os.Stat(filepath.Join(local, "action.yml")); err != nil {
							t.Errorf("line %d: local %s does not exist", u.Line, u.Value)
						}
					}
					continue
				}
				seen++
				if !wfPinned.MatchString(u.Value) {
					t.Errorf("line %d: %s is not pinned to a full commit SHA", u.Line, u.Value)
				}
				if !wfVersion.MatchString(u.LineComment) {
					t.Errorf("line %d: %s has comment %q, want the release as # vX.Y.Z", u.Line, u.Value, u.LineComment)
				}
			}
		})
	}
	if seen == 0 {
		t.Fatal("found no third-party actions: the walk is broken")
	}
	// The patterns must reject a tag and a short SHA.
	if wfPinned.MatchString("actions/checkout@v4") || wfPinned.MatchString("actions/checkout@3d3c42e") {
		t.Fatal("wfPinned accepts an unpinned reference")
	}
}

// wfPermissionSet is the permissions of a workflow or job as scope -> level.
func wfPermissionSet(p any) (map[string]string, bool) {
	m, ok := p.(map[string]any)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out, true
}

func TestWorkflowPermissionsAreLeastPrivilege(t *testing.T) {
	entries, err := filepath.Glob(wfPath("workflows", "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range entries {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			wf := wfLoad(t, name)
			top, ok := wfPermissionSet(wf.Permissions)
			if !ok {
				t.Fatalf("top-level permissions must be set ({} or read-only), got %v", wf.Permissions)
			}
			for scope, level := range top {
				if level != "read" && level != "none" {
					t.Errorf("top-level permission %s: %s", scope, level)
				}
			}
			for id, job := range wf.Jobs {
				perms, ok := wfPermissionSet(job.Permissions)
				if !ok {
					t.Errorf("job %s sets no permissions", id)
					continue
				}
				usesAWS := job.Uses == wfReusable
				comments := false
				for _, s := range job.Steps {
					usesAWS = usesAWS || strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@")
					comments = comments || strings.HasPrefix(s.Uses, "actions/github-script@")
				}
				for scope, level := range perms {
					switch {
					case level == "read" || level == "none":
					case scope == "id-token" && usesAWS:
					case scope == "pull-requests" && comments && name == "pr-checks.yml":
					case scope == "issues" && comments && name == "drift.yml":
					default:
						t.Errorf("job %s: %s: %s is not needed", id, scope, level)
					}
				}
				if usesAWS && perms["id-token"] != "write" {
					t.Errorf("job %s uses AWS without id-token: write (OIDC)", id)
				}
				if perms["contents"] == "write" {
					t.Errorf("job %s can write contents", id)
				}
			}
		})
	}
}

func TestWorkflowConcurrencyPerStackAndEnvironment(t *testing.T) {
	wf := wfLoad(t, "_stack.yml")
	c := wf.Concurrency
	if c == nil {
		t.Fatal("_stack.yml has no concurrency")
	}
	for _, part := range []string{"inputs.stack", "inputs.environment"} {
		if !strings.Contains(c.Group, part) {
			t.Errorf("concurrency group %q does not include %s", c.Group, part)
		}
	}
	if c.CancelInProgress != false {
		t.Errorf("cancel-in-progress = %v, want false: an apply is never cancelled", c.CancelInProgress)
	}
	// Applies and destroys of one environment never overlap, whichever stack or workflow
	// started them: stacks read each other's state.
	for id, job := range wf.Jobs {
		switch {
		case id == "apply":
			ac := job.Concurrency
			if ac == nil || ac.Group != "apply-${{ inputs.environment }}" || ac.CancelInProgress != false {
				t.Errorf("apply concurrency = %+v, want group apply-${{ inputs.environment }} without cancel-in-progress", ac)
			}
		case job.Concurrency != nil:
			t.Errorf("job %s sets its own concurrency %+v", id, job.Concurrency)
		}
	}
	// The apply job runs in the GitHub environment (required reviewers for prod).
	if wf.Jobs["apply"].Environment != "${{ inputs.environment }}" {
		t.Errorf("apply environment = %v", wf.Jobs["apply"].Environment)
	}
}

func TestWorkflowDriftCoversEveryStack(t *testing.T) {
	data, err := os.ReadFile(wfPath("workflows", "drift.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Strategy struct {
				Matrix struct {
					Stack       []string `yaml:"stack"`
					Environment []string `yaml:"environment"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["schedule"]; !ok {
		t.Error("drift detection is not scheduled")
	}
	var ids []string
	for _, w := range stacks.Workflows {
		ids = append(ids, w.ID)
	}
	m := wf.Jobs["plan"].Strategy.Matrix
	if !slices.Equal(m.Stack, ids) || !slices.Equal(m.Environment, []string{"dev", "staging", "prod"}) {
		t.Errorf("drift matrix = %v x %v, want %v x [dev staging prod]", m.Stack, m.Environment, ids)
	}
	if !strings.Contains(string(data), "-detailed-exitcode") || !strings.Contains(string(data), "Drift: ${r.stack} (${r.environment})") {
		t.Error("drift.yml must plan with -detailed-exitcode and keep one issue per stack and environment")
	}
}

const wfDeploy = "deploy.yml"

// TestDeployAppliesStacksInOrder: a push to main applies the affected stacks of dev one at a
// time, in stacks.DeploymentOrder, stopping at the first failure (issue 7, defect 6).
func TestDeployAppliesStacksInOrder(t *testing.T) {
	wf := wfLoad(t, wfDeploy)
	if wf.On.Push == nil || !slices.Equal(wf.On.Push.Branches, []string{"main"}) || len(wf.On.Push.Paths) != 0 {
		t.Fatalf("push trigger = %+v, want every push to main (the changes job decides)", wf.On.Push)
	}
	if d := wf.On.WorkflowDispatch; d == nil || !slices.Equal(d.Inputs["environment"].Options, []string{"dev", "staging", "prod"}) {
		t.Error("a manual run must choose the environment among dev, staging, prod")
	}
	if c := wf.Concurrency; c == nil || !strings.Contains(c.Group, "inputs.environment") || c.CancelInProgress != false {
		t.Errorf("concurrency = %+v, want one group per environment, never cancelled", wf.Concurrency)
	}
	changes, ok := wf.Jobs["changes"]
	if !ok || !slices.ContainsFunc(changes.Steps, func(s wfStep) bool { return strings.Contains(s.Run, "scripts/affected-stacks.sh") }) {
		t.Fatal("no changes job running scripts/affected-stacks.sh")
	}
	var earlier []string
	for _, id := range stacks.DeploymentOrder {
		w, _ := stacks.WorkflowByID(id)
		job, ok := wf.Jobs[w.ID]
		if !ok {
			t.Errorf("no job %s", w.ID)
			continue
		}
		if job.Uses != wfReusable || job.With["stack"] != w.ID || job.With["action"] != "apply" ||
			job.With["environment"] != "${{ inputs.environment || 'dev' }}" {
			t.Errorf("job %s = uses %s with %v", w.ID, job.Uses, job.With)
		}
		// It needs the changes job and every earlier stack, directly.
		var needs []string
		if l, ok := job.Needs.([]any); ok {
			for _, n := range l {
				needs = append(needs, fmt.Sprint(n))
			}
		}
		if want := append([]string{"changes"}, earlier...); !slices.Equal(needs, want) {
			t.Errorf("job %s needs %v, want %v", w.ID, needs, want)
		}
		if !strings.Contains(job.If, "needs.changes.outputs."+w.ID+" == 'true'") {
			t.Errorf("job %s if = %q: it must run only when affected", w.ID, job.If)
		}
		if len(earlier) > 0 {
			for _, part := range []string{"!cancelled()", "!contains(needs.*.result, 'failure')", "!contains(needs.*.result, 'cancelled')"} {
				if !strings.Contains(job.If, part) {
					t.Errorf("job %s if = %q lacks %s: it would run after an earlier stack failed, or never after one was skipped", w.ID, job.If, part)
				}
			}
		}
		earlier = append(earlier, w.ID)
	}
	for id := range wf.Jobs {
		if _, ok := stacks.WorkflowByID(id); !ok && id != "changes" {
			t.Errorf("unexpected job %s", id)
		}
	}
}

// TestAffectedStacks runs scripts/affected-stacks.sh on file lists: a file matches the
// pull_request paths of a stack's workflow, and only stacks that exist in the app are affected.
func TestAffectedStacks(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	exists := map[string]bool{}
	for _, w := range stacks.Workflows {
		_, err := os.Stat(filepath.Join(root(), "stacks", w.ID+".go"))
		_, err2 := os.Stat(filepath.Join(root(), "stacks", strings.ReplaceAll(w.ID, "-", "")+".go"))
		exists[w.ID] = err == nil || err2 == nil
	}
	if !exists["foundation"] || !exists["ingress"] {
		t.Fatal("stacks/foundation.go and stacks/ingress.go must exist")
	}
	all := func(v bool) map[string]bool {
		m := map[string]bool{}
		for _, w := range stacks.Workflows {
			m[w.ID] = v && exists[w.ID]
		}
		return m
	}
	with := func(m map[string]bool, ids ...string) map[string]bool {
		for _, id := range ids {
			m[id] = exists[id]
		}
		return m
	}
	tests := []struct {
		name  string
		args  []string
		files string
		want  map[string]bool
	}{
		{"ingress code", []string{"--files"}, "stacks/ingress.go\n", with(all(false), "ingress", "service-mesh")},
		{"foundation IAM", []string{"--files"}, "stacks/foundation_iam.go\n", with(all(false), "foundation")},
		{"configuration", []string{"--files"}, "config/environments/prod.yaml\n", all(true)}, // every stack watches config/**
		{"docs only", []string{"--files"}, "docs/adr/0004-pods-per-node.md\nREADME.md\n", all(false)},
		{"nothing", []string{"--files"}, "", all(false)},
		{"ingress chart", []string{"--files"}, "docs/x.md\ncharts/emissary-edge/templates/host.yaml\n", with(all(false), "ingress")},
		{"observability chart", []string{"--files"}, "charts/mimir/templates/statefulset.yaml\n", with(all(false), "observability")},
		{"gitops chart", []string{"--files"}, "charts/tekton-pipeline/templates/tasks.yaml\n", with(all(false), "gitops")},
		{"all", []string{"--all"}, "", all(true)},
		{"unknown base", []string{"0000000000000000000000000000000000000000", "HEAD"}, "", all(true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("bash", append([]string{filepath.Join(root(), "scripts", "affected-stacks.sh")}, tt.args...)...)
			cmd.Stdin = strings.NewReader(tt.files)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %s", err, stderr.String())
			}
			got := map[string]bool{}
			var order []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				k, v, ok := strings.Cut(line, "=")
				if !ok || (v != "true" && v != "false") {
					t.Fatalf("bad output line %q", line)
				}
				got[k] = v == "true"
				order = append(order, k)
			}
			var ids []string
			for _, w := range stacks.Workflows {
				ids = append(ids, w.ID)
			}
			if !slices.Equal(order, ids) {
				t.Errorf("stacks in order %v, want %v", order, ids)
			}
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("%s = %v, want %v", id, got[id], want)
				}
			}
		})
	}
}

// wfStepByID returns the step of a job with the given id.
func wfStepByID(t *testing.T, wf wfWorkflow, job, id string) wfStep {
	t.Helper()
	for _, s := range wf.Jobs[job].Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("job %s has no step %s", job, id)
	return wfStep{}
}

// TestWorkflowRunnerIsExplicit: plans and applies run on the environment's runner variable, and
// a missing variable fails the run instead of falling back to a hosted runner that cannot reach
// a restricted API endpoint (issue 7, defect 4; docs/adr/0005-api-endpoint-access.md).
func TestWorkflowRunnerIsExplicit(t *testing.T) {
	wf := wfLoad(t, "_stack.yml")
	raw, err := os.ReadFile(wfPath("workflows", "_stack.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Jobs map[string]struct {
			RunsOn any `yaml:"runs-on"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, job := range []string{"plan", "apply"} {
		if got := doc.Jobs[job].RunsOn; got != "${{ needs.guard.outputs.runner }}" {
			t.Errorf("%s runs-on = %v, want the guard's runner", job, got)
		}
		if !wfNeeds(wf, job, "guard") {
			t.Errorf("%s does not need guard", job)
		}
	}
	for _, file := range []string{"_stack.yml", "drift.yml"} {
		data, err := os.ReadFile(wfPath("workflows", file))
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`RUNNER \|\| 'ubuntu-latest'`).Match(data) {
			t.Errorf("%s falls back to ubuntu-latest when a runner variable is unset", file)
		}
	}

	step := wfStepByID(t, wf, "guard", "runner")
	for _, v := range []string{"DEV_RUNNER", "STAGING_RUNNER", "PROD_RUNNER"} {
		if step.Env[v] != "${{ vars."+v+" }}" {
			t.Errorf("runner step env %s = %q", v, step.Env[v])
		}
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	tests := []struct {
		env, dev, staging, prod string
		want                    string // label, or "" for a failure
	}{
		{"prod", "", "", "", ""},
		{"prod", "ubuntu-latest", "ubuntu-latest", "", ""},
		{"prod", "", "", "eks-prod-vpc", "eks-prod-vpc"},
		{"staging", "dev-runner", "", "prod-runner", ""},
		{"staging", "", "staging-runner", "", "staging-runner"},
		{"dev", "", "", "", ""},
		{"dev", "ubuntu-latest", "", "", "ubuntu-latest"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s dev=%q staging=%q prod=%q", tt.env, tt.dev, tt.staging, tt.prod), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "output")
			cmd := exec.Command("bash", "-e", "-c", step.Run)
			cmd.Env = append(os.Environ(), "ENVIRONMENT="+tt.env, "STACK=foundation", "GITHUB_OUTPUT="+out,
				"DEV_RUNNER="+tt.dev, "STAGING_RUNNER="+tt.staging, "PROD_RUNNER="+tt.prod)
			log, err := cmd.CombinedOutput()
			if tt.want == "" {
				if err == nil {
					t.Fatalf("no failure; output:\n%s", log)
				}
				if !strings.Contains(string(log), "::error title=No runner for "+tt.env+"::") || !strings.Contains(string(log), strings.ToUpper(tt.env)+"_RUNNER") {
					t.Errorf("the failure does not name the variable:\n%s", log)
				}
				return
			}
			if err != nil {
				t.Fatalf("failed: %v\n%s", err, log)
			}
			got, _ := os.ReadFile(out)
			if string(got) != "label="+tt.want+"\n" {
				t.Errorf("output = %q, want label=%s", got, tt.want)
			}
		})
	}
}
