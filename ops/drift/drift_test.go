package drift

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func load(t *testing.T, name string) *Plan {
	t.Helper()
	data, err := os.ReadFile("../../cmd/platform/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSummarize(t *testing.T) {
	p := load(t, "plan-drift.json")
	if got := StackOf(p); got != "foundation" {
		t.Fatalf("StackOf = %q", got)
	}
	s := Summarize("foundation", p)
	if len(s.Drifted) != 2 || s.Drifted[0].Action != "update" || s.Drifted[1].Action != "delete" {
		t.Errorf("drifted %+v (data sources must be skipped)", s.Drifted)
	}
	if !slices.Equal(s.Drifted[0].Attributes, []string{"scaling_config"}) {
		t.Errorf("attributes %v: tags_all must be ignored", s.Drifted[0].Attributes)
	}
	if s.Counts["update"] != 1 || s.Counts["replace"] != 1 || len(s.Planned) != 2 {
		t.Errorf("planned %+v counts %v (no-op must be skipped)", s.Planned, s.Counts)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "aws_kms_key.kms_key_28C05A0F would be replaced") {
		t.Errorf("warnings %v", s.Warnings)
	}
	if s.Clean() {
		t.Error("a drifted plan is clean")
	}
	clean := Summarize("foundation", load(t, "plan-clean.json"))
	if !clean.Clean() || StackOf(load(t, "plan-clean.json")) != "" {
		t.Errorf("clean plan: %+v", clean)
	}
}

func TestAction(t *testing.T) {
	for want, actions := range map[string][]string{
		"replace": {"delete", "create"}, "create": {"create"}, "delete": {"delete"}, "update": {"update"}, "": {"no-op"},
	} {
		if got := action(actions); got != want {
			t.Errorf("action(%v) = %q, want %q", actions, got, want)
		}
	}
	if got := action([]string{"create", "delete"}); got != "replace" {
		t.Errorf("create-before-destroy = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"truncated":  `{"format_version": "1.2", "resource_changes": [`,
		"not a plan": `{"resources": []}`,
		"text plan":  "Terraform will perform the following actions:",
	} {
		if _, err := Parse("x.json", []byte(doc)); err == nil || !strings.Contains(err.Error(), "x.json") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
