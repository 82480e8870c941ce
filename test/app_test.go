// Package test holds whole-app tests: every environment synthesizes, the AWS part of every
// stack passes offline `terraform validate`, the golden HCL is current, invalid configuration
// stops synthesis, and the GitHub workflows match the brief.
package test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden HCL under test/golden")

// root is the repository root.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// synthesized is one environment synthesized the way main does it.
type synthesized struct {
	dir   string            // outdir: stacks/<id>/cdk.tf.json
	hcl   map[string]string // stack id -> HCL
	order []string          // stack ids in deployment order
	err   error
}

var (
	synthOnce sync.Once
	synths    map[string]*synthesized
)

// synthAll synthesizes every environment once per test binary: it is the slow part.
func synthAll(t *testing.T) map[string]*synthesized {
	t.Helper()
	synthOnce.Do(func() {
		synths = map[string]*synthesized{}
		base, err := os.MkdirTemp("", "platform-synth-")
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range config.Environments {
			synths[env] = synthEnv(filepath.Join(base, env), env)
		}
	})
	return synths
}

func synthEnv(outdir, env string) (s *synthesized) {
	s = &synthesized{dir: outdir, hcl: map[string]string{}}
	defer func() {
		if r := recover(); r != nil {
			s.err = fmt.Errorf("synth %s panicked: %v", env, r)
		}
	}()
	cfg, err := config.Load(filepath.Join(root(), "config", "environments"), env)
	if err != nil {
		s.err = err
		return s
	}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(outdir)})
	p, err := stacks.Build(app, cfg)
	if err != nil {
		s.err = err
		return s
	}
	if _, err := p.Capacity(); err != nil {
		s.err = err
		return s
	}
	app.Synth()
	for _, st := range p.Stacks {
		s.order = append(s.order, st.Workflow.ID)
		// terraform fmt both makes the golden HCL readable and proves it parses as HCL.
		hcl, err := terraformFmt(fmt.Sprint(cdktf.Testing_SynthHcl(st.TerraformStack, jsii.Bool(false), jsii.Bool(false))))
		if err != nil {
			s.err = fmt.Errorf("%s/%s: %w", env, st.Workflow.ID, err)
			return s
		}
		s.hcl[st.Workflow.ID] = hcl
	}
	return s
}

// TestEnvironmentsSynthesize: every environment gives the stacks of the registry, in order,
// each with a Terraform JSON file and the manifest listing it.
func TestEnvironmentsSynthesize(t *testing.T) {
	for env, s := range synthAll(t) {
		t.Run(env, func(t *testing.T) {
			if s.err != nil {
				t.Fatal(s.err)
			}
			// Every stack is built, in the deployment order.
			if got, want := strings.Join(s.order, ","), strings.Join(stacks.DeploymentOrder, ","); got != want {
				t.Errorf("stacks = %s, want %s", got, want)
			}
			var manifest struct {
				Stacks map[string]struct {
					SynthesizedStackPath string   `json:"synthesizedStackPath"`
					Dependencies         []string `json:"dependencies"`
				} `json:"stacks"`
			}
			readJSON(t, filepath.Join(s.dir, "manifest.json"), &manifest)
			for _, id := range s.order {
				m, ok := manifest.Stacks[id]
				if !ok {
					t.Fatalf("manifest has no stack %s", id)
				}
				if _, err := os.Stat(filepath.Join(s.dir, m.SynthesizedStackPath)); err != nil {
					t.Errorf("stack %s: %v", id, err)
				}
			}
			// Each stack's explicit dependencies and the local charts it ships as assets.
			for id, want := range map[string]struct {
				deps   string
				assets int
			}{
				"ingress":       {"foundation", 4},                                 // cloudflare-token (twice), cert-issuers, emissary-edge
				"service-mesh":  {"foundation,observability,gitops", 3},            // mesh-policies, mesh-telemetry, prometheus-rules; gitops owns the meshed team namespace ecotrack
				"gitops":        {"foundation,ingress,security", 7},                // argocd-platform, tekton-config, tekton-pipeline, gitops-secrets, prometheus-rules, ui-route (twice)
				"security":      {"foundation,ingress,observability", 7},           // internal-ca, openbao-tls, openbao-bootstrap, secret-stores, gatekeeper-templates, gatekeeper-constraints, prometheus-rules
				"data-services": {"foundation,ingress,security,observability", -1}, // instance charts vary by environment (stacks/dataservices_test.go)
			} {
				if deps := strings.Join(manifest.Stacks[id].Dependencies, ","); deps != want.deps {
					t.Errorf("%s dependencies in manifest = %s, want %s", id, deps, want.deps)
				}
				assets, _ := filepath.Glob(filepath.Join(s.dir, "stacks", id, "assets", "*", "*", "Chart.yaml"))
				if want.assets >= 0 && len(assets) != want.assets {
					t.Errorf("%s chart assets = %v, want %d", id, assets, want.assets)
				}
			}
		})
	}
}

// TestWorkflowRegistry: the workflow ids the GitHub workflows target are the stacks the app
// builds, in the brief's order.
func TestWorkflowRegistry(t *testing.T) {
	s := synthAll(t)["dev"]
	if s.err != nil {
		t.Fatal(s.err)
	}
	// Every built stack is one of the seven workflows, once, and every stack comes after the
	// stacks it depends on: the registry's order is the deployment order.
	pos := map[string]int{}
	for i, id := range s.order {
		if _, ok := stacks.WorkflowByID(id); !ok {
			t.Errorf("stack %s is not one of the seven workflows", id)
		}
		if _, dup := pos[id]; dup {
			t.Errorf("stack %s is built twice", id)
		}
		pos[id] = i
	}
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	readJSON(t, filepath.Join(s.dir, "manifest.json"), &manifest)
	for _, id := range s.order {
		for _, dep := range manifest.Stacks[id].Dependencies {
			if p, ok := pos[dep]; !ok || p >= pos[id] {
				t.Errorf("stack %s depends on %s, which is not built before it (order %v)", id, dep, s.order)
			}
		}
	}
}

// TestInvalidConfigStopsSynth runs the real program with a broken configuration: it must exit
// non-zero with one message naming the file and field, and write no stacks.
func TestInvalidConfigStopsSynth(t *testing.T) {
	bin := buildApp(t)
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"bad domain", "environment: dev\ningress:\n  domain: not_a_domain\n  issuerEmail: a@example.com\n",
			[]string{"dev.yaml: ingress.domain:"}},
		{"bad email", "environment: dev\ningress:\n  domain: dev.example.com\n  issuerEmail: nobody\n",
			[]string{"dev.yaml: ingress.issuerEmail:"}},
		{"unknown token source", "environment: dev\ningress:\n  domain: dev.example.com\n  issuerEmail: a@example.com\n  tokenSource: vault\n",
			[]string{"dev.yaml: ingress.tokenSource:", "create", "secretsManager"}},
		{"min above max", "environment: dev\ningress:\n  domain: dev.example.com\n  issuerEmail: a@example.com\nnodes:\n  minSize: 5\n  maxSize: 4\n",
			[]string{"dev.yaml: nodes."}},
		{"unknown key", "environment: dev\nclustr: {}\n", []string{"dev.yaml: clustr:"}},
		{"security enforcement", "environment: dev\ningress:\n  domain: dev.example.com\n  issuerEmail: a@example.com\nsecurity:\n  gatekeeper:\n    enforcement: block\n",
			[]string{"dev.yaml: security.gatekeeper.enforcement:", "deny, warn, dryrun"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			cfgDir := filepath.Join(work, "config")
			if err := os.MkdirAll(cfgDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(cfgDir, "dev.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PLATFORM_ENV=dev", "PLATFORM_CONFIG_DIR="+cfgDir)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("synth succeeded with invalid config:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if _, err := os.Stat(filepath.Join(work, "cdktf.out")); !os.IsNotExist(err) {
				t.Errorf("cdktf.out was written despite invalid config")
			}
		})
	}
}

// TestSynthCommand runs the program as `make synth` does, in a scratch folder: it writes the
// stacks, reports the capacity, and prints no warnings (CDKTF warns on references embedded in
// text inside function calls; tfexpr avoids them).
func TestSynthCommand(t *testing.T) {
	bin := buildApp(t)
	work := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PLATFORM_ENV=dev", "PLATFORM_CONFIG_DIR="+filepath.Join(root(), "config", "environments"))
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("synth: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	built := len(synthAll(t)["dev"].order)
	for _, want := range []string{"Capacity at nodes.minSize=3 x t3.large", fmt.Sprintf("synthesized %d stacks for dev", built)} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		// Node's own deprecation notice about jsii internals is not ours to fix.
		if strings.TrimSpace(line) == "" || strings.Contains(line, "DeprecationWarning") || strings.Contains(line, "--trace-deprecation") {
			continue
		}
		t.Errorf("unexpected output on stderr: %s", line)
	}
	for _, id := range synthAll(t)["dev"].order {
		if _, err := os.Stat(filepath.Join(work, "cdktf.out", "stacks", id, "cdk.tf.json")); err != nil {
			t.Error(err)
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func buildApp(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "platform-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "platform")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = root()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// terraformFmt formats HCL the way reviewers read it; it fails on HCL that does not parse.
func terraformFmt(hcl string) (string, error) {
	cmd := exec.Command("terraform", "fmt", "-no-color", "-")
	cmd.Stdin = strings.NewReader(hcl)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform fmt: %v: %s", err, stderr.String())
	}
	return string(out), nil
}

func readJSON(t *testing.T, path string, into any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
