package stacks

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"gopkg.in/yaml.v3"

	"github.com/platformeng/eks-platform/config"
)

// tf is one synthesized stack (Terraform JSON), decoded.
type tf map[string]any

type synthesized struct {
	platform *Platform
	stacks   map[string]tf
}

var (
	synthMu    sync.Mutex
	synthCache = map[string]synthesized{}
)

// loadEnv loads a committed environment file, as main does.
func loadEnv(t *testing.T, env string) *config.Config {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	cfg, err := config.Load(filepath.Join(filepath.Dir(file), "..", "config", "environments"), env)
	if err != nil {
		t.Fatalf("load %s: %v", env, err)
	}
	return cfg
}

// synthPlatform builds every stack of env (after mutate, if any) and returns the decoded JSON
// of each stack by id. Results are cached by key: synthesis is the slow part of these tests.
func synthPlatform(t *testing.T, env, key string, mutate func(*config.Config)) map[string]tf {
	t.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	cacheKey := env + "/" + key
	if s, ok := synthCache[cacheKey]; ok {
		return s.stacks
	}
	cfg := loadEnv(t, env)
	if mutate != nil {
		mutate(cfg)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("mutated config is invalid: %v", err)
		}
	}
	app := cdktf.Testing_App(nil)
	p, err := Build(app, cfg)
	if err != nil {
		t.Fatalf("Build(%s): %v", env, err)
	}
	// app.Synth prepares every stack first, which is when cross-stack references become
	// remote-state reads; Testing_Synth alone does not.
	for _, s := range p.Stacks {
		s.PrepareStack()
	}
	out := map[string]tf{}
	for _, s := range p.Stacks {
		var doc tf
		raw := cdktf.Testing_Synth(s.TerraformStack, jsii.Bool(true))
		if err := json.Unmarshal([]byte(*raw), &doc); err != nil {
			t.Fatalf("decode %s: %v", s.Workflow.ID, err)
		}
		out[s.Workflow.ID] = doc
	}
	synthCache[cacheKey] = synthesized{platform: p, stacks: out}
	return out
}

// synthPlatformApp returns the Platform of an unmodified environment.
func synthPlatformApp(t *testing.T, env string) *Platform {
	t.Helper()
	synthPlatform(t, env, "", nil)
	synthMu.Lock()
	defer synthMu.Unlock()
	return synthCache[env+"/"].platform
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// blocks returns the named blocks of a kind, e.g. resources("aws_vpc").
func (d tf) blocks(section, kind string) map[string]map[string]any {
	out := map[string]map[string]any{}
	sec, _ := d[section].(map[string]any)
	items, _ := sec[kind].(map[string]any)
	for name, v := range items {
		out[name] = v.(map[string]any)
	}
	return out
}

func (d tf) resources(kind string) map[string]map[string]any { return d.blocks("resource", kind) }
func (d tf) data(kind string) map[string]map[string]any      { return d.blocks("data", kind) }

// one returns the only block of a kind whose name starts with prefix.
func (d tf) one(t *testing.T, kind, prefix string) map[string]any {
	t.Helper()
	var found []map[string]any
	var names []string
	for name, b := range d.resources(kind) {
		names = append(names, name)
		if strings.HasPrefix(name, prefix) {
			found = append(found, b)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s with prefix %q: found %d among %v", kind, prefix, len(found), names)
	}
	return found[0]
}

// release returns the helm_release named name and its decoded values.
func (d tf) release(t *testing.T, name string) (map[string]any, map[string]any) {
	t.Helper()
	for _, r := range d.resources("helm_release") {
		if r["name"] == name {
			values := map[string]any{}
			if vs, ok := r["values"].([]any); ok && len(vs) == 1 {
				if err := yaml.Unmarshal([]byte(vs[0].(string)), &values); err != nil {
					t.Fatalf("release %s values: %v", name, err)
				}
			}
			return r, values
		}
	}
	t.Fatalf("no helm_release %q", name)
	return nil, nil
}

// get walks a decoded document: get(v, "a", "b", 0, "c"). A string key applied to a
// one-element list reads its element (CDKTF renders blocks so). It reports whether the path
// exists.
func get(v any, path ...any) (any, bool) {
	cur := v
	if d, ok := v.(tf); ok {
		cur = map[string]any(d)
	}
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if l, ok := cur.([]any); ok && len(l) == 1 {
				cur = l[0]
			}
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[k]; !ok {
				return nil, false
			}
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return nil, false
			}
			cur = l[k]
		}
	}
	return cur, true
}

// val is get's value, nil where the path does not exist.
func val(v any, path ...any) any {
	out, _ := get(v, path...)
	return out
}

// at is get for paths that must exist.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	out, ok := get(v, path...)
	if !ok {
		t.Fatalf("no %v in %.300v", path, v)
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
