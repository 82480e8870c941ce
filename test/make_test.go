package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeEnv runs make in the repository with only the given environment variables (plus PATH and
// HOME), so that the caller's PLATFORM_ENV or ENV cannot leak in.
func makeEnv(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is not installed")
	}
	cmd := exec.Command("make", append([]string{"-s", "--no-print-directory"}, args...)...)
	cmd.Dir = root()
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// TestMakeEnvironment: one name for the environment (issue 7, defect 12). An exported
// PLATFORM_ENV is honoured (it once synthesized dev silently), ENV is an alias, a conflict is an
// error, and the environment reaches `go run .` of synth.
func TestMakeEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  []string // process environment
		args []string // make arguments
		want string   // environment, or the error text
		fail bool
	}{
		{"default", nil, nil, "dev", false},
		{"exported PLATFORM_ENV", []string{"PLATFORM_ENV=prod"}, nil, "prod", false},
		{"PLATFORM_ENV argument", nil, []string{"PLATFORM_ENV=staging"}, "staging", false},
		{"ENV argument", nil, []string{"ENV=prod"}, "prod", false},
		{"exported ENV", []string{"ENV=staging"}, nil, "staging", false},
		{"both agree", []string{"PLATFORM_ENV=prod"}, []string{"ENV=prod"}, "prod", false},
		{"shell startup ENV is not ours", []string{"ENV=/home/u/.shrc", "PLATFORM_ENV=staging"}, nil, "staging", false},
		{"conflict", []string{"PLATFORM_ENV=prod"}, []string{"ENV=dev"}, "ENV=dev and PLATFORM_ENV=prod name different environments", true},
		{"conflict in arguments", nil, []string{"ENV=staging", "PLATFORM_ENV=prod"}, "ENV=staging and PLATFORM_ENV=prod name different environments", true},
		{"unknown environment", []string{"PLATFORM_ENV=qa"}, nil, "PLATFORM_ENV=qa is not an environment; allowed: dev staging prod", true},
		{"unknown ENV argument", nil, []string{"ENV=qa"}, "PLATFORM_ENV=qa is not an environment", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := makeEnv(t, tt.env, append([]string{"print-env"}, tt.args...)...)
			if tt.fail {
				if err == nil || !strings.Contains(out, tt.want) {
					t.Errorf("err = %v, output %q; want a failure saying %q", err, out, tt.want)
				}
				return
			}
			if err != nil || out != tt.want {
				t.Fatalf("print-env = %q (%v), want %s", out, err, tt.want)
			}
			// The synth recipe hands the same environment to main.go (make -n prints it).
			dry, err := makeEnv(t, tt.env, append([]string{"-n", "synth"}, tt.args...)...)
			if err != nil || !strings.Contains(dry, "PLATFORM_ENV="+tt.want+" go run .") {
				t.Errorf("make -n synth = %q (%v), want PLATFORM_ENV=%s go run .", dry, err, tt.want)
			}
			// So do the platform command's targets.
			dry, err = makeEnv(t, tt.env, append([]string{"-n", "capacity"}, tt.args...)...)
			if err != nil || !strings.HasSuffix(strings.TrimSpace(dry), "capacity --env "+tt.want) {
				t.Errorf("make -n capacity = %q (%v), want --env %s", dry, err, tt.want)
			}
		})
	}
}

// TestEnsureShellcheck runs scripts/ensure-shellcheck.sh with stub commands (issue 7, defect
// 11): present, it does nothing; missing, root with apt-get installs the Debian package; anyone
// else gets the exact command.
func TestEnsureShellcheck(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is not installed")
	}
	chmod, err := exec.LookPath("chmod")
	if err != nil {
		t.Fatal("chmod is not installed")
	}
	script := filepath.Join(root(), "scripts", "ensure-shellcheck.sh")
	tests := []struct {
		name     string
		stubs    map[string]string // command -> script body
		ok       bool
		out      string // in the combined output
		aptCalls string // the apt-get invocations, one per line
	}{
		{"installed", map[string]string{"shellcheck": "exit 0", "apt-get": `echo "$@" >> "$LOG"`, "id": "echo 0"}, true, "", ""},
		{"root with apt-get", map[string]string{"id": "echo 0", "apt-get": `echo "$@" >> "$LOG"; [ "$1" = install ] && printf '#!/bin/sh\n' > "$STUBS/shellcheck" && "$CHMOD" +x "$STUBS/shellcheck"; exit 0`},
			true, "installing the Debian package", "update -qq\ninstall -y -qq shellcheck"},
		{"apt-get installs nothing", map[string]string{"id": "echo 0", "apt-get": `echo "$@" >> "$LOG"`}, false, "not on PATH", "update -qq\ninstall -y -qq shellcheck"},
		{"not root", map[string]string{"id": "echo 1000", "apt-get": `echo "$@" >> "$LOG"`}, false, "run: sudo apt-get install -y shellcheck", ""},
		{"macOS", map[string]string{"id": "echo 501", "brew": "exit 0"}, false, "run: brew install shellcheck", ""},
		{"elsewhere", map[string]string{"id": "echo 1000"}, false, "install your system's shellcheck package", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stubs := t.TempDir()
			log := filepath.Join(t.TempDir(), "apt.log")
			for name, body := range tt.stubs {
				if err := os.WriteFile(filepath.Join(stubs, name), []byte("#!"+bash+"\n"+body+"\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(bash, script)
			cmd.Env = []string{"PATH=" + stubs, "LOG=" + log, "STUBS=" + stubs, "CHMOD=" + chmod}
			out, err := cmd.CombinedOutput()
			if (err == nil) != tt.ok || !strings.Contains(string(out), tt.out) {
				t.Errorf("ok = %v, output %q; want ok %v and %q", err == nil, out, tt.ok, tt.out)
			}
			calls, _ := os.ReadFile(log)
			if got := strings.TrimSpace(string(calls)); got != tt.aptCalls {
				t.Errorf("apt-get calls %q, want %q", got, tt.aptCalls)
			}
		})
	}
}
