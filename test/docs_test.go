package test

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Directories that hold no Markdown of ours: generated, installed or machine-local.
var skipDirs = map[string]bool{".git": true, ".gen": true, "node_modules": true, "cdktf.out": true, ".state": true, "bin": true}

var (
	// [text](target) and ![alt](target), with an optional "title".
	inlineLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	// [label]: target
	refLink  = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$`)
	codeSpan = regexp.MustCompile("`[^`]*`")
	scheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	htmlID   = regexp.MustCompile(`<a\s+(?:name|id)="([^"]+)"`)
)

// markdownLinks returns the link targets of a Markdown document, outside code blocks and code
// spans, in order.
func markdownLinks(doc string) []string {
	var out []string
	fence := ""
	for _, line := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(line)
		if fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			fence = t[:3]
			continue
		}
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		line = codeSpan.ReplaceAllString(line, "")
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
		if m := refLink.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// anchorsOf returns the anchors a Markdown file offers: its headings' (GitHub's rules) and
// explicit <a name|id="..."> tags.
func anchorsOf(doc string) map[string]bool {
	a := headingAnchors(doc)
	for _, m := range htmlID.FindAllStringSubmatch(doc, -1) {
		a[m[1]] = true
	}
	return a
}

// checkLink resolves one relative link of the Markdown file at rel (a path relative to the
// repository root) and returns why it is broken, or nil. External links are not checked.
func checkLink(root, rel, target string) error {
	if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
		return nil
	}
	path, frag, _ := strings.Cut(target, "#")
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	var file string
	switch {
	case path == "":
		file = rel // #anchor in the same file
	case strings.HasPrefix(path, "/"):
		file = filepath.Clean(strings.TrimPrefix(path, "/"))
	default:
		file = filepath.Join(filepath.Dir(rel), path)
	}
	file = filepath.ToSlash(filepath.Clean(file))
	if file == ".." || strings.HasPrefix(file, "../") {
		return fmt.Errorf("%s points outside the repository", target)
	}
	info, err := os.Stat(filepath.Join(root, file))
	if err != nil {
		return fmt.Errorf("%s: no such file %s", target, file)
	}
	if frag == "" || info.IsDir() || !strings.HasSuffix(file, ".md") {
		return nil
	}
	raw, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return err
	}
	if !anchorsOf(string(raw))[frag] {
		return fmt.Errorf("%s: %s has no heading with anchor #%s", target, file, frag)
	}
	return nil
}

// brokenLinks checks every relative link of every Markdown file under root.
func brokenLinks(root string) (problems []string, files, links int, err error) {
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		for _, target := range markdownLinks(string(raw)) {
			links++
			if e := checkLink(root, rel, target); e != nil {
				problems = append(problems, filepath.ToSlash(rel)+": "+e.Error())
			}
		}
		return nil
	})
	sort.Strings(problems)
	return problems, files, links, err
}

// TestMarkdownLinksResolve: every relative link in the repository's Markdown (README, docs,
// charts, examples, steering) points to a file that exists and, for a #fragment into Markdown,
// to a heading that exists, so documentation cannot silently point nowhere.
func TestMarkdownLinksResolve(t *testing.T) {
	problems, files, links, err := brokenLinks(root())
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 || links < 100 {
		t.Fatalf("found %d Markdown files with %d links; the walk or the parser missed the docs", files, links)
	}
	t.Logf("%d links in %d Markdown files", links, files)
	for _, p := range problems {
		t.Error(p)
	}
}

func TestMarkdownLinkChecker(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docs/a.md", "# A\n## Deploy order (security first)\n<a name=\"legacy\"></a>\n")
	write("docs/sub/b.md", "# B\n")
	write("node_modules/x/README.md", "[broken](nowhere.md)\n")
	write("README.md", strings.Join([]string{
		"[ok](docs/a.md) [ok dir](docs/sub/) [ok anchor](docs/a.md#deploy-order-security-first)",
		"[ok html anchor](docs/a.md#legacy) [ok self](#top) [ok root](/docs/sub/b.md)",
		"[ext](https://example.com/x.md) [mail](mailto:a@b.c)",
		"[missing](docs/c.md)",
		"[bad anchor](docs/a.md#deploy-order)",
		"[bad self](#nothing)",
		"[outside](../x.md)",
		"`[in code](docs/nope.md)`",
		"```",
		"[in fence](docs/nope.md)",
		"```",
		"[ref]: docs/missing-ref.md",
		"# Top",
	}, "\n"))
	problems, files, links, err := brokenLinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if files != 3 || links != 13 {
		t.Errorf("checked %d links in %d files, want 13 in 3 (node_modules skipped, code ignored)", links, files)
	}
	want := []string{
		"README.md: #nothing: README.md has no heading with anchor #nothing",
		"README.md: ../x.md points outside the repository",
		"README.md: docs/a.md#deploy-order: docs/a.md has no heading with anchor #deploy-order",
		"README.md: docs/c.md: no such file docs/c.md",
		"README.md: docs/missing-ref.md: no such file docs/missing-ref.md",
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}
