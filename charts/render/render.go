// Package render renders the local charts under charts/ offline with the Helm
// Go SDK (helm.sh/helm/v3), the way `helm template` does, and splits the result
// into Kubernetes objects. It is meant for tests (chart tests here and stack
// tests elsewhere); the CDKTF application itself must not import it, so the
// Helm SDK stays out of the app binary.
package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
	"sigs.k8s.io/yaml"
)

// Object is one rendered Kubernetes object (one YAML document of a template).
type Object struct {
	// Template is the template path inside the chart, e.g.
	// "cert-issuers/templates/certificate.yaml".
	Template string
	// APIVersion, Kind, Name and Namespace are read from the document.
	// Namespace is what the document says ("" for cluster-scoped objects or
	// when the template leaves it out; Helm would then use the release
	// namespace for namespaced kinds).
	APIVersion, Kind, Name, Namespace string
	// Raw is the YAML document itself.
	Raw []byte
}

// head is the part of every object that Render reads.
type head struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// Render loads the chart in chartDir, merges values over its values.yaml,
// and renders it as an install of a release named after the chart into
// namespace (Release.Name = chart name, Release.Namespace = namespace,
// Release.Service = "Helm", default capabilities; no cluster is contacted).
// Values given in values.schema.json are validated as Helm does.
//
// It returns every non-empty YAML document of every manifest template
// (NOTES.txt and partials are skipped), ordered by template path and then by
// position in the template. Any failure (a chart that does not load, a
// `required` or `fail` in a template, a document that is not a Kubernetes
// object) is returned as an error, never a panic.
func Render(chartDir string, values map[string]any, namespace string) (objs []Object, err error) {
	defer func() {
		if r := recover(); r != nil {
			objs, err = nil, fmt.Errorf("render %s: panic: %v", chartDir, r)
		}
	}()

	chrt, err := loader.Load(chartDir)
	if err != nil {
		return nil, fmt.Errorf("load chart %s: %w", chartDir, err)
	}
	if values == nil {
		values = map[string]any{}
	}
	// Helm mutates nested maps while coalescing; work on a deep copy so the
	// caller's map is left alone.
	vals, err := deepCopy(values)
	if err != nil {
		return nil, fmt.Errorf("chart %s: values: %w", chrt.Name(), err)
	}
	opts := chartutil.ReleaseOptions{
		Name:      chrt.Name(),
		Namespace: namespace,
		Revision:  1,
		IsInstall: true,
	}
	renderVals, err := chartutil.ToRenderValues(chrt, vals, opts, chartutil.DefaultCapabilities.Copy())
	if err != nil {
		return nil, fmt.Errorf("chart %s: values: %w", chrt.Name(), err)
	}
	files, err := engine.Render(chrt, renderVals)
	if err != nil {
		return nil, fmt.Errorf("render chart %s: %w", chrt.Name(), err)
	}

	templates := make([]string, 0, len(files))
	for name := range files {
		if isManifest(name) {
			templates = append(templates, name)
		}
	}
	sort.Strings(templates)

	for _, tpl := range templates {
		docs := splitDocs(files[tpl])
		for i, doc := range docs {
			obj, ok, err := parseDoc(tpl, doc)
			if err != nil {
				return nil, fmt.Errorf("chart %s: %s document %d: %w", chrt.Name(), tpl, i+1, err)
			}
			if ok {
				objs = append(objs, obj)
			}
		}
	}
	return objs, nil
}

// DecodeStrict converts one YAML document to JSON and decodes it into into,
// failing on any field that into does not declare (json.Decoder with
// DisallowUnknownFields) and on trailing data.
func DecodeStrict(raw []byte, into any) error {
	js, err := yaml.YAMLToJSON(raw)
	if err != nil {
		return fmt.Errorf("yaml to json: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("strict decode into %T: %w", into, err)
	}
	if dec.More() {
		return fmt.Errorf("strict decode into %T: more than one JSON value", into)
	}
	return nil
}

// Find returns the objects with the given kind and name (kind "" or name ""
// match anything).
func Find(objs []Object, kind, name string) []Object {
	var out []Object
	for _, o := range objs {
		if (kind == "" || o.Kind == kind) && (name == "" || o.Name == name) {
			out = append(out, o)
		}
	}
	return out
}

// isManifest reports whether a rendered file is a manifest Helm would install:
// not NOTES.txt, not a partial (_*.tpl), and a .yaml/.yml/.json file.
func isManifest(name string) bool {
	base := path.Base(filepath.ToSlash(name))
	if strings.HasPrefix(base, "_") || strings.EqualFold(base, "NOTES.txt") {
		return false
	}
	switch strings.ToLower(path.Ext(base)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

var manifestKey = regexp.MustCompile(`^manifest-(\d+)$`)

// splitDocs splits a rendered template into its YAML documents, using Helm's
// own splitter (releaseutil.SplitManifests) so the result matches what Helm
// installs, and restores the document order it loses.
func splitDocs(content string) []string {
	m := releaseutil.SplitManifests(content)
	type doc struct {
		idx  int
		text string
	}
	docs := make([]doc, 0, len(m))
	for k, v := range m {
		sm := manifestKey.FindStringSubmatch(k)
		idx := len(m) + len(docs) // unknown key format: keep after the known ones
		if sm != nil {
			if n, err := strconv.Atoi(sm[1]); err == nil {
				idx = n
			}
		}
		docs = append(docs, doc{idx, v})
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].idx < docs[j].idx })
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.text
	}
	return out
}

// parseDoc turns one document into an Object. ok is false for an empty
// document (only whitespace, comments or null).
func parseDoc(tpl, doc string) (Object, bool, error) {
	if strings.TrimSpace(doc) == "" {
		return Object{}, false, nil
	}
	js, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return Object{}, false, fmt.Errorf("invalid YAML: %w", err)
	}
	if t := bytes.TrimSpace(js); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return Object{}, false, nil
	}
	var h head
	if err := json.Unmarshal(js, &h); err != nil {
		return Object{}, false, fmt.Errorf("not a Kubernetes object: %w", err)
	}
	if h.APIVersion == "" || h.Kind == "" {
		return Object{}, false, errors.New("not a Kubernetes object: apiVersion or kind missing")
	}
	return Object{
		Template:   tpl,
		APIVersion: h.APIVersion,
		Kind:       h.Kind,
		Name:       h.Metadata.Name,
		Namespace:  h.Metadata.Namespace,
		Raw:        []byte(strings.TrimSpace(doc) + "\n"),
	}, true, nil
}

// deepCopy copies a values map through JSON-compatible types so Helm can
// mutate it freely. Maps, slices and scalars are copied; other values
// (structs, typed slices) are passed through JSON to plain types.
func deepCopy(in map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(in))
	for k, v := range in {
		c, err := copyValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = c
	}
	return out, nil
}

func copyValue(v any) (any, error) {
	switch t := v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return t, nil
	case map[string]any:
		return deepCopy(t)
	case chartutil.Values:
		return deepCopy(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, err := copyValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return nil, fmt.Errorf("value of type %T cannot be used as a Helm value: %w", v, err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
}
