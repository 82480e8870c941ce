package runbook

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/ops/model"
)

//go:embed errors.yaml
var errorsYAML []byte

// Pattern maps an error message to a runbook section.
type Pattern struct {
	ID      string `yaml:"id" json:"id"`
	Tool    string `yaml:"tool" json:"tool"`
	Pattern string `yaml:"pattern" json:"pattern"`
	Runbook string `yaml:"runbook" json:"runbook"`
	Summary string `yaml:"summary" json:"summary"`
	re      *regexp.Regexp
}

// Patterns is the committed error table, compiled.
func Patterns() ([]Pattern, error) { return ParsePatterns(errorsYAML) }

// ParsePatterns decodes an error table strictly and compiles its patterns.
func ParsePatterns(data []byte) ([]Pattern, error) {
	var doc struct {
		Errors []Pattern `yaml:"errors"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("errors.yaml: %w", err)
	}
	ids := map[string]bool{}
	for i := range doc.Errors {
		p := &doc.Errors[i]
		if p.ID == "" || p.Pattern == "" || p.Runbook == "" || ids[p.ID] {
			return nil, fmt.Errorf("errors.yaml: entry %d needs a unique id, a pattern and a runbook", i+1)
		}
		ids[p.ID] = true
		re, err := regexp.Compile("(?i)" + p.Pattern)
		if err != nil {
			return nil, fmt.Errorf("errors.yaml: %s: %w", p.ID, err)
		}
		p.re = re
	}
	return doc.Errors, nil
}

// Match is an error pattern that matched, resolved to its runbook section.
type Match struct {
	Pattern Pattern `json:"pattern"`
	Matched string  `json:"matched"`
	Section Section `json:"section"`
	Link    string  `json:"link"`
}

// Explain returns every pattern matching text, most specific (first in the table) first.
func Explain(text string, patterns []Pattern, idx *Index) ([]Match, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("explain: give the error text to look up, e.g. platform explain 'Error acquiring the state lock'")
	}
	var out []Match
	for _, p := range patterns {
		m := p.re.FindString(text)
		if m == "" {
			continue
		}
		s, err := idx.Lookup(p.Runbook)
		if err != nil {
			return nil, fmt.Errorf("errors.yaml %s: %w", p.ID, err)
		}
		out = append(out, Match{Pattern: p, Matched: m, Section: s, Link: s.Path()})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no known error matches %q; read the runbooks in %s or add a pattern to ops/runbook/errors.yaml", abbreviate(text), Dir)
	}
	return out, nil
}

// AlertRef is an alert declared by a stack, resolved to its runbook section.
type AlertRef struct {
	Stack   string  `json:"stack"`
	Alert   string  `json:"alert"`
	Release string  `json:"release"`
	URL     string  `json:"runbookUrl"`
	Section Section `json:"section"`
	Link    string  `json:"link"`
}

// Alerts lists every alert the stacks declare with its runbook section, sorted by name. An
// alert without a runbook_url, or whose section does not exist, is an error naming it.
func Alerts(m *model.Model, idx *Index) ([]AlertRef, error) {
	var out []AlertRef
	var problems []string
	for _, s := range m.Stacks {
		for _, a := range s.Alerts {
			r := AlertRef{Stack: s.ID, Alert: a.Name, Release: a.Release, URL: a.RunbookURL}
			sec, err := idx.Lookup(a.RunbookURL)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s/%s: %v", s.ID, a.Name, err))
				continue
			}
			r.Section, r.Link = sec, sec.Path()
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Alert < out[j].Alert })
	if len(problems) > 0 {
		return out, fmt.Errorf("alerts without a valid runbook:\n  %s", strings.Join(problems, "\n  "))
	}
	return out, nil
}

// Alert finds one alert by name (case-insensitive).
func Alert(name string, m *model.Model, idx *Index) (AlertRef, error) {
	all, err := Alerts(m, idx)
	for _, a := range all {
		if strings.EqualFold(a.Alert, name) {
			return a, nil
		}
	}
	if err != nil {
		return AlertRef{}, err
	}
	var names []string
	for _, a := range all {
		names = append(names, a.Alert)
	}
	if len(names) == 0 {
		return AlertRef{}, fmt.Errorf("unknown alert %q: the stacks of %s declare no alerts yet", name, m.Env)
	}
	return AlertRef{}, fmt.Errorf("unknown alert %q in %s; alerts: %s", name, m.Env, strings.Join(names, ", "))
}

func abbreviate(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
