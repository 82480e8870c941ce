package order

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The seven stacks and dependencies of DESIGN.md section 3.
var design = []Node{
	{"foundation", nil},
	{"ingress", []string{"foundation"}},
	{"observability", []string{"foundation", "ingress"}},
	{"gitops", []string{"foundation", "ingress"}},
	{"security", []string{"foundation"}},
	{"service-mesh", []string{"foundation", "observability"}},
	{"data-services", []string{"foundation", "security", "observability"}},
}

func ids(steps []Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.ID)
	}
	return out
}

func TestOrderAndWaves(t *testing.T) {
	g, err := New(design)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := g.Order()
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(steps); !slices.Equal(got, g.IDs()) {
		t.Errorf("order %v, want registry order", got)
	}
	waves := map[string]int{}
	for _, s := range steps {
		waves[s.ID] = s.Wave
	}
	want := map[string]int{"foundation": 1, "ingress": 2, "security": 2, "observability": 3, "gitops": 3, "service-mesh": 4, "data-services": 4}
	for id, w := range want {
		if waves[id] != w {
			t.Errorf("wave of %s = %d, want %d", id, waves[id], w)
		}
	}
}

func TestOrderFixesARegistryOutOfOrder(t *testing.T) {
	g, err := New([]Node{{"b", []string{"a"}}, {"a", nil}, {"c", []string{"b"}}})
	if err != nil {
		t.Fatal(err)
	}
	steps, _ := g.Order()
	if got := ids(steps); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("order %v, want a b c", got)
	}
}

func TestReplan(t *testing.T) {
	g, _ := New(design)
	cases := []struct {
		changed []string
		want    []string
	}{
		{[]string{"foundation"}, g.IDs()},
		{[]string{"security"}, []string{"security", "data-services"}},
		{[]string{"observability"}, []string{"observability", "service-mesh", "data-services"}},
		{[]string{"gitops", "service-mesh"}, []string{"gitops", "service-mesh"}},
		{[]string{"data-services", "ingress"}, []string{"ingress", "observability", "gitops", "service-mesh", "data-services"}},
		{nil, nil},
	}
	for _, c := range cases {
		steps, err := g.Replan(c.changed)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(steps); !slices.Equal(got, c.want) {
			t.Errorf("Replan(%v) = %v, want %v", c.changed, got, c.want)
		}
	}
	if _, err := g.Replan([]string{"kafka"}); err == nil || !strings.Contains(err.Error(), `unknown stack "kafka"`) {
		t.Errorf("unknown stack: %v", err)
	}
}

func TestGraphErrors(t *testing.T) {
	if _, err := New([]Node{{"a", []string{"zz"}}}); err == nil || !strings.Contains(err.Error(), `unknown stack "zz"`) {
		t.Errorf("unknown dependency: %v", err)
	}
	if _, err := New([]Node{{"a", nil}, {"a", nil}}); err == nil {
		t.Error("duplicate stack accepted")
	}
	g, _ := New([]Node{{"a", []string{"b"}}, {"b", []string{"a"}}, {"c", nil}})
	if _, err := g.Order(); err == nil || !strings.Contains(err.Error(), "cycle among a, b") {
		t.Errorf("cycle: %v", err)
	}
}

// repo writes a small repository: two stack files (one named after its stack, one holding its
// constructor), shared code, construct packages importing each other, a config section.
func repo(t *testing.T) Repo {
	dir := t.TempDir()
	files := map[string]string{
		"stacks/foundation.go":         `package stacks; import _ "github.com/platformeng/eks-platform/constructs/network"; func f() { WorkflowByID("foundation"); _ = cfg.Network }`,
		"stacks/foundation_iam.go":     `package stacks`,
		"stacks/mesh.go":               `package stacks; import _ "github.com/platformeng/eks-platform/constructs/helmaddon"; func m() { WorkflowByID("service-mesh"); _ = b.Cfg.Ingress }`,
		"stacks/stack.go":              `package stacks; import _ "github.com/platformeng/eks-platform/constructs/tagging"`,
		"stacks/mesh_test.go":          `package stacks`,
		"constructs/network/n.go":      `package network`,
		"constructs/capacity/c.go":     `package capacity`,
		"constructs/helmaddon/h.go":    `package helmaddon; import _ "github.com/platformeng/eks-platform/constructs/capacity"`,
		"constructs/tagging/t.go":      `package tagging`,
		"config/environments/dev.yaml": "project: x\n",
		"docs/x.md":                    "# x\n",
		"go.mod":                       "module x\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Repo{Root: dir, Stacks: []string{"foundation", "ingress", "service-mesh"}, LocalCharts: map[string][]string{"storage-classes": {"foundation"}}}
}

func TestResolve(t *testing.T) {
	r := repo(t)
	all := []string{"foundation", "ingress", "service-mesh"}
	cases := []struct {
		in   string
		want []string
	}{
		{"ingress", []string{"ingress"}},
		{"stacks/foundation.go", []string{"foundation"}},
		{"stacks/foundation_iam.go", []string{"foundation"}},     // by name
		{"stacks/mesh.go", []string{"service-mesh"}},             // by its constructor
		{"stacks/service_mesh_iam.go", []string{"service-mesh"}}, // not there yet: by name
		{"stacks/stack.go", all},                                 // shared
		{"stacks/mesh_test.go", []string{}},                      // tests
		{"constructs/network/n.go", []string{"foundation"}},      // direct import
		{"constructs/capacity/c.go", []string{"service-mesh"}},   // through helmaddon
		{"constructs/tagging/t.go", all},                         // shared stack code imports it
		{"charts/storage-classes/values.yaml", []string{"foundation"}},
		{"config:ingress", []string{"service-mesh"}},
		{"config:network", []string{"foundation"}},
		{"config/environments/dev.yaml", all},
		{"docs/x.md", []string{}},
		{"go.mod", all},
		{filepath.Join(r.Root, "stacks/mesh.go"), []string{"service-mesh"}}, // absolute
	}
	for _, c := range cases {
		got, err := r.Resolve(c.in)
		if err != nil {
			t.Errorf("Resolve(%q): %v", c.in, err)
			continue
		}
		if !slices.Equal(got.Stacks, c.want) {
			t.Errorf("Resolve(%q) = %v (%s), want %v", c.in, got.Stacks, got.Reason, c.want)
		}
	}
	for in, msg := range map[string]string{
		"kafka":                      `unknown stack or file "kafka"`,
		"stacks/nothing.go":          `no such file "stacks/nothing.go"`,
		"charts/unknown/values.yaml": `no such file`,
		"config:nosuch":              `unknown configuration section "nosuch"`,
		"/etc/passwd":                "outside the repository",
	} {
		if _, err := r.Resolve(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Resolve(%q) error = %v, want %q", in, err, msg)
		}
	}
}

// Shared helpers (alerts.go) map to the stacks that call them; shared code that other shared
// code uses (stack.go) maps to every stack; a config section read only by a shared helper maps
// to the stacks that call the helper.
func TestResolveSharedHelpers(t *testing.T) {
	r := repo(t)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(r.Root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("stacks/alerts.go", "package stacks\nfunc (b *Base) alertRules() {}\n")
	write("stacks/routes.go", "package stacks\nfunc (b *Base) route() { _ = b.Cfg.Ingress.Domain }\n")
	write("stacks/mesh.go", `package stacks; func m() { WorkflowByID("service-mesh"); b.alertRules(); b.route() }`)
	for in, want := range map[string][]string{
		"stacks/alerts.go": {"service-mesh"},
		"stacks/routes.go": {"service-mesh"},
		"config:ingress":   {"service-mesh"},
		"stacks/stack.go":  {"foundation", "ingress", "service-mesh"},
	} {
		got, err := r.Resolve(in)
		if err != nil || !slices.Equal(got.Stacks, want) {
			t.Errorf("Resolve(%q) = %v (%s), %v; want %v", in, got.Stacks, got.Reason, err, want)
		}
	}
}
