package test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/config"
)

// TestAlertRunbooksExist: every alert any stack ships (a PrometheusRule rendered from the
// prometheus-rules chart) has a runbook_url under the configured runbook base, and the file and
// heading it points to exist in docs/runbooks.
func TestAlertRunbooksExist(t *testing.T) {
	for env, s := range synthAll(t) {
		if s.err != nil {
			t.Fatalf("%s: %v", env, s.err)
		}
		cfg, err := config.Load(filepath.Join(root(), "config", "environments"), env)
		if err != nil {
			t.Fatal(err)
		}
		alerts := 0
		for _, id := range s.order {
			for _, a := range stackAlerts(t, filepath.Join(s.dir, "stacks", id, "cdk.tf.json")) {
				alerts++
				if err := checkRunbook(cfg.RunbookBaseURL, filepath.Join(root(), "docs", "runbooks"), a.url); err != nil {
					t.Errorf("%s/%s alert %s: %v", env, id, a.name, err)
				}
			}
		}
		for _, id := range s.order {
			// Observability ships the platform's alerts; once it is built there must be some.
			if id == "observability" && alerts == 0 {
				t.Errorf("%s: the observability stack is built but no alert was found", env)
			}
		}
		t.Logf("%s: %d alerts checked", env, alerts)
	}
}

type alertRef struct{ name, url string }

// stackAlerts reads the alerts out of the prometheus-rules releases of one synthesized stack.
func stackAlerts(t *testing.T, path string) []alertRef {
	t.Helper()
	var doc struct {
		Resource struct {
			HelmRelease map[string]struct {
				Description string   `json:"description"`
				Values      []string `json:"values"`
			} `json:"helm_release"`
		} `json:"resource"`
	}
	readJSON(t, path, &doc)
	var out []alertRef
	for name, r := range doc.Resource.HelmRelease {
		if r.Description != "local chart prometheus-rules" {
			continue
		}
		var v struct {
			Groups []struct {
				Rules []struct {
					Alert       string            `yaml:"alert"`
					Annotations map[string]string `yaml:"annotations"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		if len(r.Values) != 1 {
			t.Fatalf("%s: release %s has %d values documents", path, name, len(r.Values))
		}
		if err := yaml.Unmarshal([]byte(r.Values[0]), &v); err != nil {
			t.Fatalf("%s: release %s: %v", path, name, err)
		}
		for _, g := range v.Groups {
			for _, rule := range g.Rules {
				if rule.Alert != "" {
					out = append(out, alertRef{rule.Alert, rule.Annotations["runbook_url"]})
				}
			}
		}
	}
	return out
}

// checkRunbook checks that url is <base>/<file>.md#<anchor> and that docs/runbooks/<file>.md
// has a heading whose GitHub anchor is <anchor>.
func checkRunbook(base, dir, url string) error {
	rest, ok := strings.CutPrefix(url, base+"/")
	if !ok {
		return fmt.Errorf("runbook_url %q is not under %s", url, base)
	}
	file, anchor, ok := strings.Cut(rest, "#")
	if !ok || !strings.HasSuffix(file, ".md") || strings.Contains(file, "/") || anchor == "" {
		return fmt.Errorf("runbook_url %q is not <base>/<file>.md#<section>", url)
	}
	raw, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return fmt.Errorf("runbook_url %q: %v", url, err)
	}
	anchors := headingAnchors(string(raw))
	if !anchors[anchor] {
		return fmt.Errorf("runbook_url %q: %s has no heading with anchor %q", url, file, anchor)
	}
	return nil
}

var anchorDrop = regexp.MustCompile(`[^\p{L}\p{N}\- _]`)

// headingAnchors returns the anchors GitHub gives the Markdown headings of doc: lower case,
// punctuation dropped, spaces to hyphens; repeated headings get -1, -2, ...
func headingAnchors(doc string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fence := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		a := strings.ReplaceAll(anchorDrop.ReplaceAllString(strings.ToLower(text), ""), " ", "-")
		if n := seen[a]; n > 0 {
			out[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

func TestHeadingAnchors(t *testing.T) {
	doc := "# Runbook: foundation\n## Nodes NotReady / Cilium not ready\n```\n# not a heading\n```\n## Helm release pending-upgrade / failed\n## Loki: ingestion failing (429)\n## Repeat\n## Repeat\n"
	got := headingAnchors(doc)
	for _, want := range []string{"runbook-foundation", "nodes-notready--cilium-not-ready", "helm-release-pending-upgrade--failed", "loki-ingestion-failing-429", "repeat", "repeat-1"} {
		if !got[want] {
			t.Errorf("anchor %q missing from %v", want, got)
		}
	}
	if got["not-a-heading"] {
		t.Error("a line inside a code fence became a heading")
	}
}

func TestCheckRunbook(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.md"), []byte("# X\n## Disk full\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const base = "https://example.com/runbooks"
	tests := []struct {
		url  string
		want string // "" for no error
	}{
		{base + "/x.md#disk-full", ""},
		{base + "/x.md#disk-empty", "no heading"},
		{base + "/y.md#disk-full", "no such file"},
		{"https://other.example/x.md#disk-full", "is not under"},
		{base + "/x.md", "is not <base>/<file>.md#<section>"},
	}
	for _, tt := range tests {
		err := checkRunbook(base, dir, tt.url)
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("checkRunbook(%s) = %v, want %q", tt.url, err, tt.want)
		}
	}
}
