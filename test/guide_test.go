package test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// guide is the brief's final document: every code block in it is an excerpt of a repository
// file that tests exercise, so the guide cannot drift from what the platform does.
const guide = "docs/MICROSERVICES_PLATFORM_GUIDE.md"

var snippetRe = regexp.MustCompile(`^<!-- snippet: (\S+) -->$`)

// TestGuideSnippetsAreReal: each fenced block of the guide is preceded by
// `<!-- snippet: <path> -->` and its lines appear, in order and contiguous, in that file; a line
// holding only "..." marks lines left out between two runs.
func TestGuideSnippetsAreReal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root(), guide))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := guideBlocks(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) < 10 {
		t.Errorf("the guide has %d code blocks; it is expected to show the real files it explains", len(blocks))
	}
	for _, b := range blocks {
		if err := checkExcerpt(b); err != nil {
			t.Errorf("%s line %d: %v", guide, b.line, err)
		}
	}
}

type block struct {
	line int    // of the opening fence
	path string // the file the block is taken from
	body []string
}

// guideBlocks returns the fenced blocks of a Markdown document with their snippet paths; a block
// without a snippet comment right above it is an error.
func guideBlocks(doc string) ([]block, error) {
	var out []block
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		b := block{line: i + 1}
		if i == 0 || !snippetRe.MatchString(strings.TrimSpace(lines[i-1])) {
			return nil, fmt.Errorf("line %d: a code block without a `<!-- snippet: <path> -->` line above it", i+1)
		}
		b.path = snippetRe.FindStringSubmatch(strings.TrimSpace(lines[i-1]))[1]
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			b.body = append(b.body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: unclosed code block", b.line)
		}
		out = append(out, b)
	}
	return out, nil
}

// checkExcerpt checks that the block's runs (split at "..." lines) appear in order in its file.
func checkExcerpt(b block) error {
	raw, err := os.ReadFile(filepath.Join(root(), b.path))
	if err != nil {
		return fmt.Errorf("snippet file: %v", err)
	}
	file := strings.Split(string(raw), "\n")
	for i := range file {
		file[i] = strings.TrimRight(file[i], " \t\r")
	}
	var runs [][]string
	cur := []string{}
	for _, l := range b.body {
		if strings.TrimSpace(l) == "..." {
			runs = append(runs, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, strings.TrimRight(l, " \t\r"))
	}
	runs = append(runs, cur)
	from := 0
	for _, run := range runs {
		if len(run) == 0 {
			continue
		}
		at := indexRun(file, run, from)
		if at < 0 {
			return fmt.Errorf("these lines are not in %s (in this order after line %d):\n%s", b.path, from, strings.Join(run, "\n"))
		}
		from = at + len(run)
	}
	return nil
}

func indexRun(file, run []string, from int) int {
	for i := from; i+len(run) <= len(file); i++ {
		match := true
		for j := range run {
			if file[i+j] != run[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

func TestCheckExcerpt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.yaml")
	if err := os.WriteFile(path, []byte("a: 1\nb:\n  c: 2\nd: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(root(), path)
	tests := []struct {
		body []string
		ok   bool
	}{
		{[]string{"b:", "  c: 2"}, true},
		{[]string{"a: 1", "...", "d: 3"}, true},
		{[]string{"d: 3", "...", "a: 1"}, false}, // out of order
		{[]string{"b:", "  c: 3"}, false},        // typed, not copied
	}
	for _, tt := range tests {
		err := checkExcerpt(block{path: rel, body: tt.body})
		if (err == nil) != tt.ok {
			t.Errorf("checkExcerpt(%q) = %v, want ok=%v", tt.body, err, tt.ok)
		}
	}
	if _, err := guideBlocks("text\n```yaml\na: 1\n```\n"); err == nil {
		t.Error("a block without a snippet line was accepted")
	}
}
