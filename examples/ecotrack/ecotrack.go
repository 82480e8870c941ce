// Package ecotrack loads the EcoTrack example (examples/ecotrack/apps/<env>/<service>) the way
// Argo CD builds each directory: kustomize inflates the golden-path chart charts/microservice
// with the directory's values.yaml (helmCharts), then applies the kustomization's image pins
// (images[].newName/newTag, written by the Tekton pipeline) to the rendered containers.
//
// Like charts/render, which it uses, this package is for tests: the CDKTF application must not
// import it.
package ecotrack

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts"
	"github.com/platformeng/eks-platform/charts/render"
)

// Services are EcoTrack's five microservices.
var Services = []string{"alerts-processor", "dashboard-read", "devices", "ecotrack-api", "readings"}

// Namespace is where EcoTrack runs: the ecotrack team's namespace (gitops.teams) and a meshed
// namespace (serviceMesh.namespaces).
const Namespace = "ecotrack"

// Kustomization mirrors the kustomize.config.k8s.io/v1beta1 Kustomization fields the example
// uses (decoded strictly: a misspelled field fails).
type Kustomization struct {
	APIVersion  string `json:"apiVersion"`
	Kind        string `json:"kind"`
	HelmGlobals struct {
		ChartHome string `json:"chartHome"`
	} `json:"helmGlobals"`
	HelmCharts []struct {
		Name        string `json:"name"`
		Version     string `json:"version"`
		ReleaseName string `json:"releaseName"`
		Namespace   string `json:"namespace"`
		ValuesFile  string `json:"valuesFile"`
	} `json:"helmCharts"`
	Images []Image `json:"images"`
}

// Image is one kustomize image pin.
type Image struct {
	Name    string `json:"name"`
	NewName string `json:"newName"`
	NewTag  string `json:"newTag"`
}

// Service is one service directory of one environment, built.
type Service struct {
	Env, Name, Dir string
	Kustomization  Kustomization
	Values         map[string]any
	// Objects are the chart's objects after the image pins, as Argo CD applies them.
	Objects []render.Object
}

// Root is examples/ecotrack.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Load builds every service directory of every environment under Root()/apps.
func Load() ([]Service, error) {
	var out []Service
	envs, err := os.ReadDir(filepath.Join(Root(), "apps"))
	if err != nil {
		return nil, err
	}
	for _, e := range envs {
		dirs, err := os.ReadDir(filepath.Join(Root(), "apps", e.Name()))
		if err != nil {
			return nil, err
		}
		for _, d := range dirs {
			s, err := Build(e.Name(), d.Name())
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// Build builds apps/<env>/<name>.
func Build(env, name string) (Service, error) {
	s := Service{Env: env, Name: name, Dir: filepath.Join(Root(), "apps", env, name)}
	fail := func(format string, a ...any) (Service, error) {
		return s, fmt.Errorf("apps/%s/%s: %s", env, name, fmt.Sprintf(format, a...))
	}
	raw, err := os.ReadFile(filepath.Join(s.Dir, "kustomization.yaml"))
	if err != nil {
		return fail("%v", err)
	}
	if err := render.DecodeStrict(raw, &s.Kustomization); err != nil {
		return fail("kustomization.yaml: %v", err)
	}
	k := s.Kustomization
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" || len(k.HelmCharts) != 1 {
		return fail("kustomization.yaml must be a Kustomization inflating exactly one chart")
	}
	hc := k.HelmCharts[0]
	// The chart kustomize would inflate is the golden-path chart at its current version.
	chartDir := filepath.Clean(filepath.Join(s.Dir, k.HelmGlobals.ChartHome, hc.Name))
	if chartDir != filepath.Clean(charts.Path(charts.Microservice)) {
		return fail("helmCharts resolves to %s, not the golden-path chart %s", chartDir, charts.Path(charts.Microservice))
	}
	meta, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return fail("%v", err)
	}
	if !bytes.Contains(meta, []byte("\nversion: "+hc.Version+"\n")) {
		return fail("helmCharts version %s is not the chart's version", hc.Version)
	}
	if hc.ReleaseName != name || hc.Namespace != Namespace || hc.ValuesFile != "values.yaml" {
		return fail("helmCharts needs releaseName %s, namespace %s and valuesFile values.yaml", name, Namespace)
	}
	if raw, err = os.ReadFile(filepath.Join(s.Dir, "values.yaml")); err != nil {
		return fail("%v", err)
	}
	if err := yaml.Unmarshal(raw, &s.Values); err != nil {
		return fail("values.yaml: %v", err)
	}
	if s.Values["name"] != name {
		return fail("values.yaml name is %v, not the directory's name", s.Values["name"])
	}
	objs, err := render.Render(chartDir, s.Values, hc.Namespace)
	if err != nil {
		return fail("%v", err)
	}
	if s.Objects, err = pinImages(objs, k.Images); err != nil {
		return fail("%v", err)
	}
	return s, nil
}

// pinImages applies kustomize's images transformer to the Deployments' containers: a container
// image whose name (before the tag) equals an entry's name gets the entry's newName and newTag.
// Every entry must match at least one container, as a stale pin would silently do nothing.
func pinImages(objs []render.Object, images []Image) ([]render.Object, error) {
	used := map[string]bool{}
	for i, o := range objs {
		if o.Kind != "Deployment" {
			continue
		}
		var d map[string]any
		if err := yaml.Unmarshal(o.Raw, &d); err != nil {
			return nil, fmt.Errorf("deployment %s: %v", o.Name, err)
		}
		spec, _ := d["spec"].(map[string]any)
		tmpl, _ := spec["template"].(map[string]any)
		pod, _ := tmpl["spec"].(map[string]any)
		containers, _ := pod["containers"].([]any)
		for _, c := range containers {
			c := c.(map[string]any)
			image, _ := c["image"].(string)
			name, _, _ := strings.Cut(image, ":")
			k := slices.IndexFunc(images, func(im Image) bool { return im.Name == name })
			if k < 0 {
				continue
			}
			used[name] = true
			c["image"] = images[k].NewName + ":" + images[k].NewTag
		}
		raw, err := yaml.Marshal(d)
		if err != nil {
			return nil, err
		}
		objs[i].Raw = raw
	}
	for _, im := range images {
		if !used[im.Name] {
			return nil, fmt.Errorf("images entry %s matches no container", im.Name)
		}
	}
	return objs, nil
}
