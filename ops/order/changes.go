package order

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/platformeng/eks-platform/config"
)

// Repo is what mapping a changed file to stacks needs: the repository root, the stack ids in
// registry order, and which stacks install each local chart (from the synthesized releases).
type Repo struct {
	Root        string
	Stacks      []string
	LocalCharts map[string][]string // chart name -> stack ids
}

// Change is one --changed argument resolved to the stacks it affects directly.
type Change struct {
	Input  string   `json:"input"`
	Stacks []string `json:"stacks"` // empty: nothing to re-plan
	Reason string   `json:"reason"`
}

var (
	workflowCall = regexp.MustCompile(`WorkflowByID\("([a-z0-9-]+)"\)`)
	goImport     = regexp.MustCompile(`"github\.com/platformeng/eks-platform/constructs/([a-z0-9_]+)"`)
)

// Resolve maps a stack id or a changed file (relative to the repository root, or absolute
// inside it) to the stacks it affects directly. The rules read the repository, not a list:
//   - a stack id is that stack;
//   - stacks/*.go belongs to the stack whose constructor it holds (WorkflowByID("<id>")) or
//     whose id its name starts with (stacks/foundation_iam.go); other stack files are shared by
//     every stack; *_test.go files change nothing deployed;
//   - constructs/<pkg>/ affects the stacks that import it, directly or through other constructs;
//   - charts/<name>/ affects the stacks that install that local chart;
//   - config/<section>.go and "config:<section>" affect the stacks that read cfg.<Section>;
//     config/environments/<env>.yaml and the other config files affect every stack;
//   - documentation, tests, workflows, scripts, the assistant context and this tooling change
//     nothing deployed;
//   - anything else (go.mod, main.go, cdktf.json, tools/) affects every stack.
func (r Repo) Resolve(input string) (Change, error) {
	c := Change{Input: input}
	if slices.Contains(r.Stacks, input) {
		c.Stacks, c.Reason = []string{input}, "stack id"
		return c, nil
	}
	if sec, ok := strings.CutPrefix(input, "config:"); ok {
		return r.configSection(c, sec)
	}
	rel := input
	if filepath.IsAbs(rel) {
		var err error
		if rel, err = filepath.Rel(r.Root, rel); err != nil || strings.HasPrefix(rel, "..") {
			return c, fmt.Errorf("%s is outside the repository %s", input, r.Root)
		}
	}
	rel = filepath.ToSlash(filepath.Clean(rel))
	parts := strings.Split(rel, "/")
	if _, err := os.Stat(filepath.Join(r.Root, rel)); err != nil {
		if !strings.ContainsAny(input, "/.") {
			return c, fmt.Errorf("unknown stack or file %q; stacks: %s", input, strings.Join(r.Stacks, ", "))
		}
		if !r.knownMissing(parts) {
			return c, fmt.Errorf("no such file %q in the repository (stacks: %s)", input, strings.Join(r.Stacks, ", "))
		}
	}
	top := parts[0]
	switch {
	case strings.HasSuffix(rel, "_test.go") || top == "test" || strings.Contains(rel, "/testdata/"):
		c.Reason = "tests only: nothing deployed changes"
	case strings.HasSuffix(rel, ".md") || slices.Contains([]string{"docs", ".kiro", ".github", "scripts", "ops", "cmd"}, top) ||
		slices.Contains([]string{"Makefile", ".gitignore", "AGENTS.md", "README.md"}, rel):
		c.Reason = "documentation, workflows or tooling: nothing deployed changes"
	case top == "stacks" && len(parts) == 2 && strings.HasPrefix(parts[1], "bootstrap"):
		c.Reason = "the one-time bootstrap stack (docs/bootstrap.md), not one of the registry's stacks: re-run the bootstrap"
	case top == "stacks" && len(parts) == 2 && strings.HasSuffix(rel, ".go"):
		c.Stacks, c.Reason = r.stackFile(rel)
	case top == "constructs" && len(parts) > 2:
		c.Stacks = r.importers(parts[1])
		c.Reason = fmt.Sprintf("stacks using constructs/%s", parts[1])
	case top == "charts" && len(parts) > 2 && parts[1] == "render":
		c.Reason = "chart render tests only: nothing deployed changes"
	case top == "charts" && len(parts) > 2:
		c.Stacks = r.ordered(r.LocalCharts[parts[1]])
		c.Reason = fmt.Sprintf("stacks installing local chart %s", parts[1])
	case top == "config" && len(parts) == 2 && strings.HasSuffix(rel, ".go") && sectionField(strings.TrimSuffix(parts[1], ".go")) != "":
		return r.configSection(c, strings.TrimSuffix(parts[1], ".go"))
	case top == "config" && len(parts) == 3 && parts[1] == "environments":
		c.Stacks, c.Reason = r.Stacks, "environment file: every stack of "+strings.TrimSuffix(parts[2], filepath.Ext(parts[2]))
	default:
		c.Stacks, c.Reason = r.Stacks, "shared code or toolchain: every stack"
	}
	if c.Stacks == nil {
		c.Stacks = []string{}
	}
	return c, nil
}

// knownMissing accepts a path that does not exist (a deleted file, or a stack's file on a
// branch not merged yet) only where the mapping does not need to read it: a stack file named
// after a stack, or documentation and tests.
func (r Repo) knownMissing(parts []string) bool {
	if parts[0] == "stacks" && len(parts) == 2 && strings.HasSuffix(parts[1], ".go") {
		return r.owners(strings.Join(parts, "/")) != nil
	}
	if parts[0] == "charts" && len(parts) > 2 {
		return r.LocalCharts[parts[1]] != nil
	}
	return slices.Contains([]string{"docs", ".kiro", "test"}, parts[0])
}

// stackFile maps stacks/<file>.go to its stack, or to every stack when it is shared.
func (r Repo) stackFile(rel string) ([]string, string) {
	if ids := r.owners(rel); len(ids) > 0 {
		return ids, "stack source"
	}
	if ids, ok := r.sharedUsers(rel); ok {
		return ids, "stacks using the helpers of shared " + filepath.Base(rel)
	}
	return r.Stacks, "shared stack code (" + filepath.Base(rel) + "): every stack"
}

var topLevel = regexp.MustCompile(`(?m)^(?:func (?:\([^)]*\) )?|type |var |const )([A-Za-z_]\w*)`)

// sharedUsers maps a shared file under stacks/ to the stacks whose own files use what it
// declares (b.alertRules in alerts.go, b.route in routes.go). ok is false when other shared
// code uses it too (stack.go's helpers reach every stack) or the file cannot be read.
func (r Repo) sharedUsers(rel string) (ids []string, ok bool) {
	data, err := os.ReadFile(filepath.Join(r.Root, rel))
	if err != nil {
		return nil, false
	}
	var names []string
	for _, m := range topLevel.FindAllStringSubmatch(string(data), -1) {
		names = append(names, regexp.QuoteMeta(m[1]))
	}
	if len(names) == 0 {
		return nil, false
	}
	use := regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
	for file, owners := range r.stackSources() {
		if file == rel {
			continue
		}
		body, err := os.ReadFile(filepath.Join(r.Root, file))
		if err != nil || !use.Match(body) {
			continue
		}
		if owners == nil {
			return nil, false
		}
		ids = append(ids, owners...)
	}
	out := r.ordered(ids)
	if out == nil {
		out = []string{}
	}
	return out, true
}

// owners are the stacks a file under stacks/ belongs to; nil for shared files.
func (r Repo) owners(rel string) []string {
	var ids []string
	if data, err := os.ReadFile(filepath.Join(r.Root, rel)); err == nil {
		for _, m := range workflowCall.FindAllStringSubmatch(string(data), -1) {
			if slices.Contains(r.Stacks, m[1]) && !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
	}
	if len(ids) > 0 {
		return r.ordered(ids)
	}
	base := normalize(strings.TrimSuffix(filepath.Base(rel), ".go"))
	best := ""
	for _, id := range r.Stacks {
		if strings.HasPrefix(base, normalize(id)) && len(id) > len(best) {
			best = id
		}
	}
	if best != "" {
		return []string{best}
	}
	return nil
}

// stackSources maps every non-test Go file under stacks/ to its owners (nil: shared).
func (r Repo) stackSources() map[string][]string {
	out := map[string][]string{}
	files, _ := filepath.Glob(filepath.Join(r.Root, "stacks", "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		if strings.HasPrefix(filepath.Base(f), "bootstrap") {
			continue // the bootstrap stack is not one of the registry's stacks
		}
		rel, _ := filepath.Rel(r.Root, f)
		out[filepath.ToSlash(rel)] = r.owners(filepath.ToSlash(rel))
	}
	return out
}

// importers are the stacks whose code imports constructs/pkg, directly or through other
// construct packages; every stack when shared stack code does.
func (r Repo) importers(pkg string) []string {
	// Construct packages that depend on pkg, transitively.
	users := map[string]bool{pkg: true}
	for changed := true; changed; {
		changed = false
		dirs, _ := filepath.Glob(filepath.Join(r.Root, "constructs", "*"))
		for _, d := range dirs {
			name := filepath.Base(d)
			if users[name] {
				continue
			}
			if importsAny(goFiles(d), users) {
				users[name], changed = true, true
			}
		}
	}
	var ids []string
	for file, owners := range r.stackSources() {
		if !importsAny([]string{filepath.Join(r.Root, file)}, users) {
			continue
		}
		if owners == nil {
			return r.Stacks
		}
		ids = append(ids, owners...)
	}
	return r.ordered(ids)
}

func goFiles(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	return out
}

func importsAny(files []string, pkgs map[string]bool) bool {
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range goImport.FindAllStringSubmatch(string(data), -1) {
			if pkgs[m[1]] {
				return true
			}
		}
	}
	return false
}

// configSection maps a configuration section (its YAML key, e.g. "ingress") to the stacks whose
// code reads cfg.<Field>; every stack when shared stack code reads it.
func (r Repo) configSection(c Change, section string) (Change, error) {
	field := sectionField(section)
	if field == "" {
		return c, fmt.Errorf("unknown configuration section %q; sections: %s", section, strings.Join(sections(), ", "))
	}
	use := regexp.MustCompile(`\b[cC]fg\.` + field + `\b`)
	var ids []string
	for file, owners := range r.stackSources() {
		data, err := os.ReadFile(filepath.Join(r.Root, file))
		if err != nil || !use.Match(data) {
			continue
		}
		if owners == nil {
			users, ok := r.sharedUsers(file)
			if !ok {
				c.Stacks, c.Reason = r.Stacks, fmt.Sprintf("config section %s is read by shared stack code (%s): every stack", section, filepath.Base(file))
				return c, nil
			}
			owners = users
		}
		ids = append(ids, owners...)
	}
	c.Stacks, c.Reason = r.ordered(ids), fmt.Sprintf("stacks reading config section %s (cfg.%s)", section, field)
	if c.Stacks == nil {
		c.Stacks = []string{}
	}
	return c, nil
}

// sectionField is the Go field of config.Config whose YAML key is section ("" if none).
func sectionField(section string) string {
	t := reflect.TypeOf(config.Config{})
	for i := range t.NumField() {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if key != "" && key != "-" && normalize(key) == normalize(section) {
			return f.Name
		}
	}
	return ""
}

func sections() []string {
	var out []string
	t := reflect.TypeOf(config.Config{})
	for i := range t.NumField() {
		if key := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]; key != "" && key != "-" {
			out = append(out, key)
		}
	}
	return out
}

// ordered returns the distinct ids in registry order.
func (r Repo) ordered(ids []string) []string {
	var out []string
	for _, id := range r.Stacks {
		if slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

func normalize(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
}
