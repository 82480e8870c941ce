package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/stacks"
)

// Tests of the assistant context: Kiro hooks, steering, the spec template, AGENTS.md and the
// requirements traceability table. They check that everything these files name exists.

// repoFiles lists every file of the repository (slash paths), without generated folders.
func repoFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	skip := map[string]bool{".git": true, "tools": true, ".gen": true, "cdktf.out": true, "bin": true, ".state": true}
	err := filepath.WalkDir(root(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root(), p)
		if d.IsDir() && skip[rel] {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// globRegexp translates a Kiro glob (**, *, ?, {a,b}) into a regular expression.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '{':
			b.WriteString("(")
		case c == '}':
			b.WriteString(")")
		case c == ',':
			b.WriteString("|")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

func globMatchesSomething(t *testing.T, files []string, glob string) bool {
	t.Helper()
	re, err := globRegexp(glob)
	if err != nil {
		t.Errorf("glob %q: %v", glob, err)
		return false
	}
	return slices.ContainsFunc(files, re.MatchString)
}

// makeTargets are the targets the Makefile defines.
func makeTargets(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(), "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z][a-z0-9-]*):`).FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = true
	}
	return out
}

// platformVerbs are the verbs cmd/platform dispatches.
func platformVerbs(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root(), "cmd", "platform", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`"([a-z]+)": \(\*cli\)\.`).FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = true
	}
	if len(out) < 6 {
		t.Fatalf("found verbs %v in cmd/platform/main.go", out)
	}
	return out
}

var (
	makeRef     = regexp.MustCompile("`make ([a-z][a-z0-9-]*)")
	platformRef = regexp.MustCompile("`(?:go run \\./cmd/)?platform ([a-z]+)")
)

// checkCommands fails for a `make X` or `platform V` mentioned in text that does not exist.
func checkCommands(t *testing.T, where, text string, targets, verbs map[string]bool) {
	t.Helper()
	for _, m := range makeRef.FindAllStringSubmatch(text, -1) {
		if !targets[m[1]] {
			t.Errorf("%s: `make %s`: no such Makefile target", where, m[1])
		}
	}
	for _, m := range platformRef.FindAllStringSubmatch(text, -1) {
		if !verbs[m[1]] {
			t.Errorf("%s: `platform %s`: no such verb", where, m[1])
		}
	}
}

type kiroHook struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version"`
	Enabled     *bool  `json:"enabled"`
	When        struct {
		Type     string   `json:"type"`
		Patterns []string `json:"patterns"`
	} `json:"when"`
	Then struct {
		Type    string `json:"type"`
		Prompt  string `json:"prompt"`
		Command string `json:"command"`
		Timeout int    `json:"timeout"`
	} `json:"then"`
}

func TestKiroHooks(t *testing.T) {
	files := repoFiles(t)
	targets, verbs := makeTargets(t), platformVerbs(t)
	hooks, _ := filepath.Glob(filepath.Join(root(), ".kiro", "hooks", "*"))
	if len(hooks) < 10 {
		t.Fatalf("%d hooks", len(hooks))
	}
	fileTriggers := []string{"fileEdited", "fileCreated", "fileDeleted"}
	triggers := append([]string{"userTriggered", "promptSubmit", "agentStop", "preToolUse", "postToolUse"}, fileTriggers...)
	for _, path := range hooks {
		name := filepath.Base(path)
		if !strings.HasSuffix(name, ".kiro.hook") {
			t.Errorf("%s: hooks are <name>.kiro.hook", name)
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var h kiroHook
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&h); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if h.Name == "" || h.Description == "" || h.Version != "1" {
			t.Errorf("%s: needs name, description and version \"1\"", name)
		}
		if !slices.Contains(triggers, h.When.Type) {
			t.Errorf("%s: trigger %q is not one of %v", name, h.When.Type, triggers)
		}
		if slices.Contains(fileTriggers, h.When.Type) {
			if len(h.When.Patterns) == 0 {
				t.Errorf("%s: a file trigger needs patterns", name)
			}
			for _, p := range h.When.Patterns {
				if !globMatchesSomething(t, files, p) {
					t.Errorf("%s: pattern %q matches no file of the repository", name, p)
				}
			}
		}
		switch h.Then.Type {
		case "askAgent":
			if len(h.Then.Prompt) < 80 {
				t.Errorf("%s: askAgent needs a real prompt", name)
			}
			checkCommands(t, name, h.Then.Prompt, targets, verbs)
		case "runCommand":
			if h.Then.Command == "" {
				t.Errorf("%s: runCommand needs a command", name)
			}
			checkCommands(t, name, "`"+h.Then.Command, targets, verbs)
		default:
			t.Errorf("%s: action %q is not askAgent or runCommand", name, h.Then.Type)
		}
	}
}

// steering is one steering file's front matter.
type steering struct {
	Inclusion        string `yaml:"inclusion"`
	FileMatchPattern string `yaml:"fileMatchPattern"`
	Name             string `yaml:"name"`
	Description      string `yaml:"description"`
}

var fileRef = regexp.MustCompile(`#\[\[file:([^\]]+)\]\]`)

func TestKiroSteering(t *testing.T) {
	files := repoFiles(t)
	targets, verbs := makeTargets(t), platformVerbs(t)
	paths, _ := filepath.Glob(filepath.Join(root(), ".kiro", "steering", "*.md"))
	alwaysLines := 0
	texts := map[string]string{}
	for _, p := range paths {
		name := filepath.Base(p)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		texts[name] = text
		fm := steering{Inclusion: "always"}
		if strings.HasPrefix(text, "---\n") {
			end := strings.Index(text[4:], "\n---\n")
			if end < 0 {
				t.Errorf("%s: unterminated front matter", name)
				continue
			}
			dec := yaml.NewDecoder(strings.NewReader(text[4 : 4+end]))
			dec.KnownFields(true)
			if err := dec.Decode(&fm); err != nil {
				t.Errorf("%s: front matter: %v", name, err)
			}
		}
		switch fm.Inclusion {
		case "always":
			alwaysLines += strings.Count(text, "\n")
		case "fileMatch":
			if fm.FileMatchPattern == "" || !globMatchesSomething(t, files, fm.FileMatchPattern) {
				t.Errorf("%s: fileMatchPattern %q matches no file", name, fm.FileMatchPattern)
			}
		case "auto":
			if fm.Name == "" || fm.Description == "" {
				t.Errorf("%s: auto inclusion needs name and description", name)
			}
		case "manual":
		default:
			t.Errorf("%s: inclusion %q", name, fm.Inclusion)
		}
		for _, m := range fileRef.FindAllStringSubmatch(text, -1) {
			if _, err := os.Stat(filepath.Join(root(), m[1])); err != nil {
				t.Errorf("%s: #[[file:%s]] does not exist", name, m[1])
			}
		}
		checkCommands(t, name, text, targets, verbs)
	}
	// The always-on context stays short; the rest loads by file match or by name.
	if alwaysLines > 250 {
		t.Errorf("always-included steering is %d lines; keep it under 250", alwaysLines)
	}
	// Every workflow of the registry is in the product and workflow context, by id and exact name.
	for _, w := range stacks.Workflows {
		for _, f := range []string{"product.md", "workflows.md"} {
			if !strings.Contains(texts[f], "`"+w.ID+"`") {
				t.Errorf("%s does not mention stack %s", f, w.ID)
			}
		}
		if !strings.Contains(texts["product.md"], w.Name) {
			t.Errorf("product.md does not give the exact workflow name %q", w.Name)
		}
	}
}

func TestKiroSpecTemplate(t *testing.T) {
	dir := filepath.Join(root(), ".kiro", "specs", "new-workflow-stack")
	read := func(f string) string {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	req, design, tasks := read("requirements.md"), read("design.md"), read("tasks.md")
	// Criteria N.M from "## Requirement N" headings and their numbered EARS criteria.
	criteria := map[string]bool{}
	n := ""
	for _, line := range strings.Split(req, "\n") {
		if m := regexp.MustCompile(`^## Requirement (\d+):`).FindStringSubmatch(line); m != nil {
			n = m[1]
		}
		if m := regexp.MustCompile(`^(\d+)\. WHEN .* THEN .*`).FindStringSubmatch(line); m != nil && n != "" {
			criteria[n+"."+m[1]] = true
		}
	}
	if len(criteria) < 12 {
		t.Fatalf("requirements.md has %d EARS criteria (WHEN ... THEN ... SHALL)", len(criteria))
	}
	covered := map[string]bool{}
	for _, m := range regexp.MustCompile(`_Requirements: ([0-9., ]+)_`).FindAllStringSubmatch(tasks, -1) {
		for _, id := range strings.Split(m[1], ",") {
			id = strings.TrimSpace(id)
			if !criteria[id] {
				t.Errorf("tasks.md names requirement %s, which requirements.md does not define", id)
			}
			covered[id] = true
		}
	}
	for id := range criteria {
		if !covered[id] {
			t.Errorf("no task meets requirement %s", id)
		}
	}
	// The design template asks for what DESIGN section 7 requires.
	for _, want := range []string{"stacks/versions.go", "values", "podidentity", "IRSA", "ServiceMonitor", "alertRules", "footprints", "make capacity", "config/<section>.go", "golden HCL", "ADR", "teardown"} {
		if !strings.Contains(design+tasks, want) {
			t.Errorf("spec template does not cover %q", want)
		}
	}
}

func TestAgentsPointsAtSources(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(), "AGENTS.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\]\(([^)#]+)`).FindAllStringSubmatch(string(data), -1) {
		if _, err := os.Stat(filepath.Join(root(), m[1])); err != nil {
			t.Errorf("AGENTS.md links %s, which does not exist", m[1])
		}
	}
	for _, f := range []string{"product.md", "structure.md", "workflows.md", "security.md", "docs/requirements.md"} {
		if !strings.Contains(string(data), f) {
			t.Errorf("AGENTS.md does not point at %s", f)
		}
	}
	checkCommands(t, "AGENTS.md", string(data), makeTargets(t), platformVerbs(t))
}

// TestRequirementsTable parses docs/requirements.md: one row per acceptance criterion 1.1-10.5,
// and every item it names exists.
func TestRequirementsTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root(), "docs", "requirements.md"))
	if err != nil {
		t.Fatal(err)
	}
	targets, verbs := makeTargets(t), platformVerbs(t)
	var ids []string
	row := regexp.MustCompile(`^\| (\d+\.\d+) \|`)
	tick := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(string(data), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ids = append(ids, m[1])
		cells := splitRow(line)
		if len(cells) != 4 {
			t.Errorf("row %s has %d columns, want 4", m[1], len(cells))
			continue
		}
		for col, cell := range cells[2:] {
			items := tick.FindAllStringSubmatch(cell, -1)
			if len(items) == 0 {
				t.Errorf("row %s column %d names nothing", m[1], col+3)
			}
			for _, it := range items {
				if err := checkItem(strings.ReplaceAll(it[1], `\|`, "|"), targets, verbs); err != nil {
					t.Errorf("row %s: %v", m[1], err)
				}
			}
		}
	}
	var want []string
	for r := 1; r <= 10; r++ {
		for c := 1; c <= 5; c++ {
			want = append(want, fmt.Sprintf("%d.%d", r, c))
		}
	}
	if !slices.Equal(ids, want) {
		t.Errorf("rows %v, want one per criterion 1.1 ... 10.5 in order", ids)
	}
}

// splitRow splits a Markdown table row on unescaped pipes.
func splitRow(line string) []string {
	line = strings.Trim(strings.TrimSpace(line), "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' && i+1 < len(line) && line[i+1] == '|' {
			cur.WriteString(`\|`)
			i++
			continue
		}
		if line[i] == '|' {
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(line[i])
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

var goTestRef = regexp.MustCompile(`^go test (\./[a-z0-9/_-]+) -run (\S+)$`)

// checkItem checks one backticked item of the table.
func checkItem(item string, targets, verbs map[string]bool) error {
	f := strings.Fields(item)
	switch {
	case strings.HasPrefix(item, "hook:"):
		if _, err := os.Stat(filepath.Join(root(), ".kiro", "hooks", strings.TrimPrefix(item, "hook:")+".kiro.hook")); err != nil {
			return fmt.Errorf("hook %s does not exist", item)
		}
	case f[0] == "make":
		if len(f) < 2 || !targets[f[1]] {
			return fmt.Errorf("%q: no such make target", item)
		}
	case f[0] == "platform":
		if len(f) < 2 || !verbs[f[1]] {
			return fmt.Errorf("%q: no such platform verb", item)
		}
	case f[0] == "go":
		m := goTestRef.FindStringSubmatch(item)
		if m == nil {
			return fmt.Errorf("%q: write go test references as `go test ./<pkg> -run <regexp>`", item)
		}
		return checkGoTest(m[1], m[2])
	default:
		path, anchor, _ := strings.Cut(item, "#")
		data, err := os.ReadFile(filepath.Join(root(), path))
		if err != nil {
			if st, serr := os.Stat(filepath.Join(root(), path)); serr == nil && st.IsDir() && anchor == "" {
				return nil
			}
			return fmt.Errorf("%s does not exist", path)
		}
		if anchor != "" && !headingAnchors(string(data))[anchor] {
			return fmt.Errorf("%s has no heading #%s", path, anchor)
		}
	}
	return nil
}

// checkGoTest checks that package pkg has a test whose name matches the -run regexp.
func checkGoTest(pkg, run string) error {
	re, err := regexp.Compile(run)
	if err != nil {
		return fmt.Errorf("-run %q: %v", run, err)
	}
	files, _ := filepath.Glob(filepath.Join(root(), pkg, "*_test.go"))
	if len(files) == 0 {
		return fmt.Errorf("package %s has no tests", pkg)
	}
	fn := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for _, m := range fn.FindAllStringSubmatch(string(data), -1) {
			if re.MatchString(m[1]) {
				return nil
			}
		}
	}
	return fmt.Errorf("no test in %s matches -run %s", pkg, run)
}

// TestKiroStackTablesMatchTheCode keeps the per-stack tables of the always-on steering true:
// a stack the registry builds is "built" in product.md and not "(planned)" in workflows.md, and
// its "needs" column there is exactly the dependencies in the synthesized manifest.json.
func TestKiroStackTablesMatchTheCode(t *testing.T) {
	s := synthAll(t)["dev"]
	if s.err != nil {
		t.Fatalf("synth dev: %v", s.err)
	}
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	readJSON(t, filepath.Join(s.dir, "manifest.json"), &manifest)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(root(), ".kiro", "steering", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	product, workflows := read("product.md"), read("workflows.md")
	for _, w := range stacks.Workflows {
		_, built := manifest.Stacks[w.ID]
		row := regexp.MustCompile(`(?m)^\| \d \| ` + "`" + regexp.QuoteMeta(w.ID) + "`" + `( \(planned\))? \| ([^|]*) \|`).FindStringSubmatch(workflows)
		if row == nil {
			t.Errorf("workflows.md has no row for %s", w.ID)
			continue
		}
		if planned := row[1] != ""; planned == built {
			t.Errorf("workflows.md: %s is marked planned=%v but the registry builds it=%v", w.ID, planned, built)
		}
		if built {
			var needs []string
			for _, d := range strings.Split(row[2], ",") {
				// "gitops (when ...)": the stack id is the first word; the rest says why.
				if d = strings.TrimSpace(strings.Split(strings.TrimSpace(d), " ")[0]); d != "" && d != "—" {
					needs = append(needs, d)
				}
			}
			deps := append([]string{}, manifest.Stacks[w.ID].Dependencies...)
			slices.Sort(needs)
			slices.Sort(deps)
			if !slices.Equal(needs, deps) {
				t.Errorf("workflows.md: %s needs %v, the code declares %v", w.ID, needs, deps)
			}
		}
		status := regexp.MustCompile(`(?m)^\| \d \| ` + "`" + regexp.QuoteMeta(w.ID) + "`" + ` \| [^|]* \| (built|planned)`).FindStringSubmatch(product)
		if status == nil {
			t.Errorf("product.md has no status for %s", w.ID)
		} else if (status[1] == "built") != built {
			t.Errorf("product.md says %s is %s; the registry builds it: %v", w.ID, status[1], built)
		}
	}
}
