package stacks

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// chartKeys is the set of value paths a chart's values.yaml declares (testdata/chartvalues).
type chartKeys map[string]bool

func loadChartKeys(t *testing.T, name string) chartKeys {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "chartvalues", name+".keys"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := chartKeys{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			keys[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// has reports whether path is declared, or lies below a free-form map (a "/*" entry).
func (k chartKeys) has(path string) bool {
	if k[path] {
		return true
	}
	for p := path; strings.Contains(p, "/"); {
		p = p[:strings.LastIndex(p, "/")]
		if k[p+"/*"] {
			return true
		}
	}
	return false
}

// valuePaths lists the paths of every key set in values: maps are walked, lists and scalars are
// leaves, and "resources"/"topologySpreadConstraints" maps are Kubernetes objects, not chart keys.
func valuePaths(values map[string]any, prefix string) []string {
	var out []string
	for k, v := range values {
		p := prefix + k
		out = append(out, p)
		if m, ok := v.(map[string]any); ok && k != "resources" {
			out = append(out, valuePaths(m, p+"/")...)
		}
	}
	sort.Strings(out)
	return out
}

// TestGitOpsValuesKeysExistUpstream: every values key the stack sets on the upstream charts exists
// in that chart's values.yaml at the pinned tag (Helm silently ignores unknown keys). The key lists
// are derived from the charts' repositories (docs/versions.md says which tags).
func TestGitOpsValuesKeysExistUpstream(t *testing.T) {
	argo := loadChartKeys(t, "argo-cd-"+ArgoCDChart.Version)
	redisHA := loadChartKeys(t, "redis-ha-4.38.0")
	tekton := loadChartKeys(t, "tekton-operator-"+TektonOperatorChart.Version)
	for _, env := range []string{"dev", "prod"} {
		d := gitops(t, env)
		_, av := d.release(t, "argocd")
		for _, p := range valuePaths(av, "") {
			sub, inRedisHA := strings.CutPrefix(p, "redis-ha/")
			if !argo.has(p) && !(inRedisHA && redisHA.has(sub)) {
				t.Errorf("%s: argo-cd %s has no value %s", env, ArgoCDChart.Version, p)
			}
		}
		_, tv := d.release(t, "tekton-operator")
		for _, p := range valuePaths(tv, "") {
			if !tekton.has(p) {
				t.Errorf("%s: tekton-operator %s has no value %s", env, TektonOperatorChart.Version, p)
			}
		}
	}
	// The check can fail: a misspelt key is not found.
	if argo.has("controller/replica") || argo.has("server/metrics/servicemonitor/enabled") {
		t.Error("the key list accepts misspelt keys")
	}
	if !argo.has("configs/cm/oidc.config") || !redisHA.has("podDisruptionBudget/maxUnavailable") {
		t.Error("free-form maps are not accepted")
	}
}
