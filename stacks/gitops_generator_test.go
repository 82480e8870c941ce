package stacks

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"text/template"

	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// appSetDoc is the part of an ApplicationSet the generator evaluation needs (strict decoding of
// the whole object is charts/render's job).
type appSetDoc struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		GoTemplateOptions []string `json:"goTemplateOptions"`
		Generators        []struct {
			Git struct {
				RepoURL     string `json:"repoURL"`
				Revision    string `json:"revision"`
				Directories []struct {
					Path    string `json:"path"`
					Exclude bool   `json:"exclude"`
				} `json:"directories"`
			} `json:"git"`
		} `json:"generators"`
		Template struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec struct {
				Project string `json:"project"`
				Source  struct {
					RepoURL string `json:"repoURL"`
					Path    string `json:"path"`
				} `json:"source"`
				Destination struct {
					Namespace string `json:"namespace"`
				} `json:"destination"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// generatedApp is one Application an ApplicationSet would create.
type generatedApp struct {
	Name, Project, Namespace, Path string
}

// repoDirs lists every directory of the sample GitOps repository, relative to its root, the
// way Argo CD's Git directory generator sees the repository (directories only, / separators).
func repoDirs(t *testing.T) []string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "examples", "gitops-repo")
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		dirs = append(dirs, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// generate evaluates an ApplicationSet's Git directory generator against dirs as Argo CD does:
// a directory is a candidate when it matches one of the include patterns (path.Match) and no
// exclude pattern; each candidate yields the parameters path.path, path.basename and
// path.segments, which fill the Go template of the Application (missingkey=error).
func generate(t *testing.T, as appSetDoc, dirs []string) []generatedApp {
	t.Helper()
	var out []generatedApp
	for _, g := range as.Spec.Generators {
		for _, dir := range dirs {
			included, excluded := false, false
			for _, d := range g.Git.Directories {
				ok, err := path.Match(d.Path, dir)
				if err != nil {
					t.Fatalf("pattern %q: %v", d.Path, err)
				}
				if ok && d.Exclude {
					excluded = true
				} else if ok {
					included = true
				}
			}
			if !included || excluded {
				continue
			}
			params := map[string]any{"path": map[string]any{
				"path": dir, "basename": path.Base(dir), "segments": strings.Split(dir, "/"),
			}}
			fill := func(text string) string {
				tpl := template.New("app").Option(as.Spec.GoTemplateOptions...)
				tpl, err := tpl.Parse(text)
				if err != nil {
					t.Fatalf("template %q: %v", text, err)
				}
				var b bytes.Buffer
				if err := tpl.Execute(&b, params); err != nil {
					t.Fatalf("template %q: %v", text, err)
				}
				return b.String()
			}
			out = append(out, generatedApp{
				Name:      fill(as.Spec.Template.Metadata.Name),
				Project:   fill(as.Spec.Template.Spec.Project),
				Namespace: fill(as.Spec.Template.Spec.Destination.Namespace),
				Path:      fill(as.Spec.Template.Spec.Source.Path),
			})
		}
	}
	return out
}

// TestGitOpsApplicationSetGenerator renders the argocd-platform chart with the values each
// environment synthesizes, evaluates its ApplicationSets against examples/gitops-repo, and
// asserts the exact Applications Argo CD would create.
func TestGitOpsApplicationSetGenerator(t *testing.T) {
	want := map[string][]generatedApp{
		// legacy-tool has a directory but is not a configured service; user-service/overlays
		// is nested, not a service directory.
		"dev": {
			{"api-gateway", "ecotrack", "ecotrack", "apps/dev/api-gateway"},
			{"user-service", "ecotrack", "ecotrack", "apps/dev/user-service"},
		},
		"staging": {
			{"api-gateway", "ecotrack", "ecotrack", "apps/staging/api-gateway"},
			{"user-service", "ecotrack", "ecotrack", "apps/staging/user-service"},
		},
		// user-service is not promoted to prod yet: no directory, no Application.
		"prod": {
			{"api-gateway", "ecotrack", "ecotrack", "apps/prod/api-gateway"},
		},
	}
	dirs := repoDirs(t)
	for env, apps := range want {
		t.Run(env, func(t *testing.T) {
			cfg := loadEnv(t, env)
			_, values := gitops(t, env).release(t, "argocd-platform")
			objs, err := render.Render(charts.Path(charts.ArgoCDPlatform), values, ArgoCDNamespace)
			if err != nil {
				t.Fatal(err)
			}
			var got []generatedApp
			for _, o := range render.Find(objs, "ApplicationSet", "") {
				var as appSetDoc
				if err := yaml.Unmarshal(o.Raw, &as); err != nil {
					t.Fatal(err)
				}
				eq(t, as.Metadata.Name+" repository", as.Spec.Generators[0].Git.RepoURL, cfg.GitOps.Repository)
				eq(t, as.Metadata.Name+" revision", as.Spec.Generators[0].Git.Revision, cfg.GitOps.Branch)
				eq(t, as.Metadata.Name+" source", as.Spec.Template.Spec.Source.RepoURL, cfg.GitOps.Repository)
				got = append(got, generate(t, as, dirs)...)
			}
			slices.SortFunc(got, func(a, b generatedApp) int { return strings.Compare(a.Name, b.Name) })
			eq(t, "applications", got, apps)
			// Every generated Application's path exists and holds a kustomization.
			for _, a := range got {
				if _, err := os.Stat(filepath.Join("..", "examples", "gitops-repo", a.Path, "kustomization.yaml")); err != nil {
					t.Errorf("%s: %v", a.Name, err)
				}
			}
		})
	}
}

// TestGeneratorEvaluation checks the evaluator itself on patterns and excludes, so the
// assertions above rest on Argo CD's matching rules rather than on a permissive helper.
func TestGeneratorEvaluation(t *testing.T) {
	var as appSetDoc
	as.Spec.GoTemplateOptions = []string{"missingkey=error"}
	as.Spec.Generators = make([]struct {
		Git struct {
			RepoURL     string `json:"repoURL"`
			Revision    string `json:"revision"`
			Directories []struct {
				Path    string `json:"path"`
				Exclude bool   `json:"exclude"`
			} `json:"directories"`
		} `json:"git"`
	}, 1)
	as.Spec.Generators[0].Git.Directories = []struct {
		Path    string `json:"path"`
		Exclude bool   `json:"exclude"`
	}{{Path: "apps/dev/*"}, {Path: "apps/dev/legacy-*", Exclude: true}}
	as.Spec.Template.Metadata.Name = "{{ .path.basename }}"
	as.Spec.Template.Spec.Source.Path = "{{ .path.path }}"
	as.Spec.Template.Spec.Project = "p"
	as.Spec.Template.Spec.Destination.Namespace = "{{ index .path.segments 1 }}"
	got := generate(t, as, repoDirs(t))
	var names []string
	for _, a := range got {
		names = append(names, a.Name+"@"+a.Namespace)
	}
	slices.Sort(names)
	// * does not cross /, so apps/dev/user-service/overlays is not matched.
	eq(t, "matches", names, []string{"api-gateway@dev", "user-service@dev"})
}
