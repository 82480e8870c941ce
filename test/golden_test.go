package test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGoldenHCL compares each environment's synthesized HCL with test/golden/<env>/<stack>.tf,
// the Terraform that reviewers read in pull requests. `make hcl` refreshes it.
func TestGoldenHCL(t *testing.T) {
	for env, s := range synthAll(t) {
		if s.err != nil {
			t.Fatalf("%s: %v", env, s.err)
		}
		for _, id := range s.order {
			path := filepath.Join(root(), "test", "golden", env, id+".tf")
			got := s.hcl[id]
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s/%s: %v (run make hcl)", env, id, err)
				continue
			}
			if string(want) != got {
				t.Errorf("%s is stale: the synthesized HCL changed; review the change and run make hcl", path)
			}
		}
	}
}
