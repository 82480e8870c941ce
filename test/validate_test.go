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
func TestTerraformValidate(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not installed: it is needed to validate the synthesized stacks")
	}
	// Offline machines carry a filesystem mirror; elsewhere (GitHub runners) init downloads.
	initArgs := []string{"init", "-backend=false", "-input=false", "-no-color"}
	if _, err := os.Stat(pluginDir); err == nil {
		initArgs = append(initArgs, "-plugin-dir="+pluginDir)
	}
	cache := t.TempDir()
	for env, s := range synthAll(t) {
		if s.err != nil {
			t.Fatalf("%s: %v", env, s.err)
		}
		for _, id := range s.order {
			t.Run(env+"/"+id, func(t *testing.T) {
				var doc map[string]any
				readJSON(t, filepath.Join(s.dir, "stacks", id, "cdk.tf.json"), &doc)
				removed := awsOnly(doc)
				dir := t.TempDir()
				raw, _ := json.MarshalIndent(doc, "", "  ")
				if err := os.WriteFile(filepath.Join(dir, "main.tf.json"), raw, 0o644); err != nil {
					t.Fatal(err)
				}
				run := func(args ...string) {
					cmd := exec.Command("terraform", args...)
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "TF_PLUGIN_CACHE_DIR="+cache, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("terraform %s: %v\n%s", args[0], err, out)
					}
				}
				run(initArgs...)
				run("validate", "-no-color")
				t.Logf("validated %s/%s without %d helm/cloudflare blocks", env, id, removed)
			})
		}
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
	for _, section := range []string{"resource", "data", "output", "provider"} {
		if m, ok := doc[section].(map[string]any); ok && len(m) == 0 {
			delete(doc, section) // Terraform rejects an empty section
		}
	}
	return removed
}
