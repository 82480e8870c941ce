package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadFromBytes: whatever the bytes, LoadFromBytes does not panic, and it returns either a
// configuration that validates and can be synthesized from, or a *ValidationError.
func FuzzLoadFromBytes(f *testing.F) {
	for i, env := range Environments {
		data, err := os.ReadFile(filepath.Join(envDir, env+".yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(i)) // the second argument picks the environment
	}
	f.Add([]byte("a: &a [*a]\nnodes: *a\n"), uint8(0))
	f.Add([]byte("nodes: &n {minSize: 1}\ncluster:\n  <<: *n\n"), uint8(1))
	f.Add([]byte("services: {cpuRequest: 0.0001, memoryLimit: 1.5Gi}\n"), uint8(2))

	f.Fuzz(func(t *testing.T, data []byte, e uint8) {
		env := Environments[int(e)%len(Environments)]
		c, err := LoadFromBytes(env+".yaml", data, env)
		if err != nil {
			var verr *ValidationError
			if c != nil || !errors.As(err, &verr) || len(verr.Problems) == 0 {
				t.Fatalf("LoadFromBytes = %v, %T %v; want nil and a *ValidationError with problems", c, err, err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("loaded config does not validate: %v", err)
		}
		if c.Environment != env {
			t.Fatalf("Environment = %q, want %q", c.Environment, env)
		}
		if _, err := c.Network.Subnets(); err != nil {
			t.Fatalf("valid config, but Subnets: %v", err)
		}
		if AutoscalerImageTag(c.Cluster.Version) == "" {
			t.Fatalf("valid config, but no autoscaler tag for %q", c.Cluster.Version)
		}
		for _, q := range []struct {
			parse func(string) (int64, error)
			s     string
		}{{ParseCPU, c.Services.CPURequest}, {ParseCPU, c.Services.CPULimit}, {ParseMemory, c.Services.MemoryRequest}, {ParseMemory, c.Services.MemoryLimit}} {
			if n, err := q.parse(q.s); err != nil || n <= 0 {
				t.Fatalf("valid config, but quantity %q = %d, %v", q.s, n, err)
			}
		}
	})
}
