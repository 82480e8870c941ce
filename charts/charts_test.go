package charts_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/charts"
)

// chartFile mirrors the Chart.yaml fields our charts use; decoding is strict
// (KnownFields) so a misspelled key fails, like `helm lint` would flag it.
type chartFile struct {
	APIVersion  string   `yaml:"apiVersion"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Type        string   `yaml:"type"`
	Version     string   `yaml:"version"`
	AppVersion  string   `yaml:"appVersion"`
	KubeVersion string   `yaml:"kubeVersion"`
	Keywords    []string `yaml:"keywords"`
}

func decodeStrictYAML(t *testing.T, path string, into any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestNamesExistWithChartYAML(t *testing.T) {
	names := charts.Names()
	if len(names) == 0 {
		t.Fatal("Names() is empty")
	}
	if !slices.IsSorted(names) {
		t.Errorf("Names() not sorted: %v", names)
	}
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("Names() has duplicates: %v", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := charts.Path(name)
			if !filepath.IsAbs(dir) {
				t.Fatalf("Path(%q) = %q, not absolute", name, dir)
			}
			for _, f := range []string{"Chart.yaml", "values.yaml", "README.md", "templates"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("chart %s: %v", name, err)
				}
			}
		})
	}
}

func TestNamesCoverEveryChartFolder(t *testing.T) {
	entries, err := os.ReadDir(charts.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(charts.Dir(), e.Name(), "Chart.yaml")); err == nil {
			found = append(found, e.Name())
		}
	}
	if !slices.Equal(found, charts.Names()) {
		t.Errorf("chart folders %v, Names() %v: keep the list in charts.go in step", found, charts.Names())
	}
}

func TestNamesReturnsCopy(t *testing.T) {
	a := charts.Names()
	a[0] = "mutated"
	if charts.Names()[0] == "mutated" {
		t.Error("Names() exposes its internal slice")
	}
}

func TestChartYAML(t *testing.T) {
	for _, name := range charts.Names() {
		t.Run(name, func(t *testing.T) {
			var c chartFile
			decodeStrictYAML(t, filepath.Join(charts.Path(name), "Chart.yaml"), &c)
			if c.APIVersion != "v2" {
				t.Errorf("apiVersion %q, want v2", c.APIVersion)
			}
			if c.Name != name {
				t.Errorf("name %q does not match folder %q", c.Name, name)
			}
			if c.Type != "application" {
				t.Errorf("type %q, want application", c.Type)
			}
			if c.Version != "0.1.0" {
				t.Errorf("version %q, want 0.1.0", c.Version)
			}
			if strings.TrimSpace(c.Description) == "" {
				t.Error("description is empty")
			}
		})
	}
}

func TestValuesYAMLParsesAndREADMEListsTopLevelKeys(t *testing.T) {
	for _, name := range charts.Names() {
		t.Run(name, func(t *testing.T) {
			var vals map[string]any
			decodeStrictYAML(t, filepath.Join(charts.Path(name), "values.yaml"), &vals)
			readme, err := os.ReadFile(filepath.Join(charts.Path(name), "README.md"))
			if err != nil {
				t.Fatal(err)
			}
			for k := range vals {
				if !strings.Contains(string(readme), "`"+k) {
					t.Errorf("README.md does not document value %q", k)
				}
			}
		})
	}
}

func TestPathIndependentOfWorkingDirectory(t *testing.T) {
	want := charts.Path(charts.CertIssuers)
	t.Chdir(t.TempDir())
	got := charts.Path(charts.CertIssuers)
	if got != want {
		t.Fatalf("Path changed with the working directory: %q vs %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(got, "Chart.yaml")); err != nil {
		t.Fatal(err)
	}
}
