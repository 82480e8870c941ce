package helmaddon

import (
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/capacity"
)

func TestValidate(t *testing.T) {
	fp := []capacity.Footprint{{Replicas: 1}}
	ledger := &capacity.Ledger{}
	tests := []struct {
		name    string
		c       Config
		wantErr string
	}{
		{"pinned", Config{Name: "x", Namespace: "n", Repository: "https://r", Chart: "c", Version: "1.2.3", Footprints: fp, Ledger: ledger}, ""},
		{"local chart", Config{Name: "x", Namespace: "n", LocalChart: "/c", NoWorkloads: true}, ""},
		{"range version", Config{Name: "x", Namespace: "n", Repository: "https://r", Chart: "c", Version: "~1.2", NoWorkloads: true}, "exact version"},
		{"no version", Config{Name: "x", Namespace: "n", Repository: "https://r", Chart: "c", NoWorkloads: true}, "exact version"},
		{"no footprint", Config{Name: "x", Namespace: "n", Repository: "https://r", Chart: "c", Version: "1.0.0"}, "declares no footprint"},
		{"no ledger", Config{Name: "x", Namespace: "n", Repository: "https://r", Chart: "c", Version: "1.0.0", Footprints: fp}, "no ledger"},
		{"both sources", Config{Name: "x", Namespace: "n", Repository: "https://r", LocalChart: "/c", NoWorkloads: true}, "both"},
		{"no namespace", Config{Name: "x", LocalChart: "/c", NoWorkloads: true}, "needs a name and a namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestMarshalValuesIsSorted(t *testing.T) {
	got := MarshalValues(map[string]any{"b": 1, "a": map[string]any{"d": true, "c": "x"}})
	if got != "a:\n    c: x\n    d: true\nb: 1\n" {
		t.Errorf("MarshalValues = %q", got)
	}
}
