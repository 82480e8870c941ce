// Package runbook maps what an operator sees (a Terraform, Helm or Kubernetes error message, an
// alert name, a drifted resource) to the runbook section that handles it, and checks that every
// section it points at exists in docs/runbooks.
package runbook

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Dir is the runbooks folder, relative to the repository root.
const Dir = "docs/runbooks"

// Section is one heading of a runbook file.
type Section struct {
	File    string `json:"file"` // e.g. foundation (docs/runbooks/foundation.md)
	Anchor  string `json:"anchor"`
	Heading string `json:"heading"`
}

// Ref is "file#anchor" relative to docs/runbooks.
func (s Section) Ref() string { return s.File + "#" + s.Anchor }

// Path is the section's link from the repository root.
func (s Section) Path() string { return fmt.Sprintf("%s/%s.md#%s", Dir, s.File, s.Anchor) }

// Index holds every heading of every runbook.
type Index struct {
	sections map[string]Section // by Ref
	files    []string
}

// Load reads docs/runbooks/*.md under root.
func Load(root string) (*Index, error) {
	files, err := filepath.Glob(filepath.Join(root, Dir, "*.md"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no runbooks in %s", filepath.Join(root, Dir))
	}
	idx := &Index{sections: map[string]Section{}}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		idx.files = append(idx.files, name)
		if err := idx.addFile(f, name); err != nil {
			return nil, err
		}
	}
	sort.Strings(idx.files)
	return idx, nil
}

func (idx *Index) addFile(path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	seen := map[string]int{}
	fence := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		heading := strings.TrimSpace(strings.TrimLeft(line, "#"))
		anchor := Slug(heading)
		if n := seen[anchor]; n > 0 {
			seen[anchor]++
			anchor = fmt.Sprintf("%s-%d", anchor, n)
		} else {
			seen[anchor] = 1
		}
		s := Section{File: name, Anchor: anchor, Heading: heading}
		idx.sections[s.Ref()] = s
	}
	return sc.Err()
}

// Slug is GitHub's heading anchor: lower case, spaces to '-', punctuation other than '-' and
// '_' dropped.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// HasFile reports whether docs/runbooks/<name>.md exists.
func (idx *Index) HasFile(name string) bool {
	i := sort.SearchStrings(idx.files, name)
	return i < len(idx.files) && idx.files[i] == name
}

// Lookup resolves "file#anchor" (also "file.md#anchor", a docs/runbooks/ path or a URL ending in
// one) to its section.
func (idx *Index) Lookup(ref string) (Section, error) {
	file, anchor, ok := strings.Cut(ref, "#")
	if !ok || anchor == "" {
		return Section{}, fmt.Errorf("runbook reference %q has no #section", ref)
	}
	file = strings.TrimSuffix(file[strings.LastIndex(file, "/")+1:], ".md")
	s, ok := idx.sections[file+"#"+anchor]
	if !ok {
		return Section{}, fmt.Errorf("runbook section %s/%s.md#%s does not exist (runbooks: %s)", Dir, file, anchor, strings.Join(idx.files, ", "))
	}
	return s, nil
}
