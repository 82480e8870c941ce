package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pluginDir is the offline filesystem mirror of the AWS provider on the build machines.
const pluginDir = "/opt/tf-plugins"

// TestTerraformValidate runs `terraform validate` on the AWS part of every stack of every
// environment. Only the AWS provider exists offline, so a copy of each stack without helm and
// cloudflare blocks (and without anything that refers to them) is validated: this proves the
// AWS resources, data sources, remote-state reads and outputs are well-formed Terraform, not
// that the helm and cloudflare blocks are (their values are asserted by the stack tests).
//
// The copies are child modules of one root, so the AWS provider schema (seconds to load) is
// read once for all of them; an error names the module, <env>_<stack>.
func TestTerraformValidate(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not installed: it is needed to validate the synthesized stacks")
	}
	root := t.TempDir()
	modules := map[string]any{}
	for env, s := range synthAll(t) {
		if s.err != nil {
			t.Fatalf("%s: %v", env, s.err)
		}
		for _, id := range s.order {
			var doc map[string]any
			readJSON(t, filepath.Join(s.dir, "stacks", id, "cdk.tf.json"), &doc)
			removed := awsOnly(doc)
			if tf, ok := doc["terraform"].(map[string]any); ok {
				delete(tf, "backend") // a child module has no backend of its own
			}
			name := env + "_" + strings.ReplaceAll(id, "-", "_")
			writeJSON(t, filepath.Join(root, name, "main.tf.json"), doc)
			modules[name] = map[string]any{"source": "./" + name}
			t.Logf("%s: validating without %d helm/cloudflare blocks", name, removed)
		}
	}
	writeJSON(t, filepath.Join(root, "main.tf.json"), map[string]any{"module": modules})

	// Offline machines carry a filesystem mirror; elsewhere (GitHub runners) init downloads.
	initArgs := []string{"init", "-backend=false", "-input=false", "-no-color"}
	if _, err := os.Stat(pluginDir); err == nil {
		initArgs = append(initArgs, "-plugin-dir="+pluginDir)
	}
	for _, args := range [][]string{initArgs, {"validate", "-no-color"}} {
		cmd := exec.Command("terraform", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
		}
	}
	want := 0
	for _, s := range synthAll(t) {
		want += len(s.order)
	}
	if len(modules) != want {
		t.Errorf("validated %d stacks, want %d (every stack of every environment)", len(modules), want)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// awsOnly removes the helm and cloudflare providers, their resources and data sources, and
// every output, local or depends_on entry that refers to them; it returns how many blocks went.
func awsOnly(doc map[string]any) int {
	removed := 0
	gone := []string{}
	foreign := func(kind string) bool {
		return strings.HasPrefix(kind, "helm_") || strings.HasPrefix(kind, "cloudflare_")
	}
	for _, section := range []string{"resource", "data"} {
		blocks, _ := doc[section].(map[string]any)
		for kind, named := range blocks {
			if !foreign(kind) {
				continue
			}
			for name := range named.(map[string]any) {
				prefix := kind + "." + name
				if section == "data" {
					prefix = "data." + prefix
				}
				gone = append(gone, prefix)
				removed++
			}
			delete(blocks, kind)
		}
	}
	providers, _ := doc["provider"].(map[string]any)
	delete(providers, "helm")
	delete(providers, "cloudflare")
	if tf, ok := doc["terraform"].(map[string]any); ok {
		rp, _ := tf["required_providers"].(map[string]any)
		delete(rp, "helm")
		delete(rp, "cloudflare")
	}
	refersToGone := func(v any) bool {
		raw, _ := json.Marshal(v)
		for _, g := range gone {
			if strings.Contains(string(raw), g) {
				return true
			}
		}
		return false
	}
	// Locals built from removed blocks go too, and so, in turn, do locals built from those.
	if locals, ok := doc["locals"].(map[string]any); ok {
		for changed := true; changed; {
			changed = false
			for name, l := range locals {
				if refersToGone(l) {
					delete(locals, name)
					gone = append(gone, "local."+name)
					changed = true
				}
			}
		}
	}
	if outputs, ok := doc["output"].(map[string]any); ok {
		for name, o := range outputs {
			if refersToGone(o) {
				delete(outputs, name)
			}
		}
	}
	// depends_on entries pointing at removed blocks are dropped; other references would be
	// a real error and are left for validate to report.
	for _, section := range []string{"resource", "data"} {
		blocks, _ := doc[section].(map[string]any)
		for _, named := range blocks {
			for _, b := range named.(map[string]any) {
				block := b.(map[string]any)
				deps, ok := block["depends_on"].([]any)
				if !ok {
					continue
				}
				kept := []any{}
				for _, d := range deps {
					if !refersToGone(d) {
						kept = append(kept, d)
					}
				}
				block["depends_on"] = kept
			}
		}
	}
	for _, section := range []string{"resource", "data", "output", "provider", "locals"} {
		if m, ok := doc[section].(map[string]any); ok && len(m) == 0 {
			delete(doc, section) // Terraform rejects an empty section
		}
	}
	return removed
}
