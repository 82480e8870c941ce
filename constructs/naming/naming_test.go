package naming

import (
	"strings"
	"testing"
)

func TestFor(t *testing.T) {
	n := New("eks-platform", "dev")
	tests := []struct {
		name    string
		kind    Kind
		comp    string
		want    string
		wantErr string
	}{
		{"cluster", EKSCluster, "cluster", "eks-platform-dev-cluster", ""},
		{"upper case is lowered", IAMRole, "Cilium-Operator", "eks-platform-dev-cilium-operator", ""},
		{"bucket at limit", S3Bucket, strings.Repeat("a", 63-len("eks-platform-dev-")), "eks-platform-dev-" + strings.Repeat("a", 46), ""},
		{"bucket over limit", S3Bucket, strings.Repeat("a", 47), "", "S3 bucket name"},
		{"role over limit", IAMRole, strings.Repeat("b", 48), "", "AWS allows at most 64"},
		{"empty component", Generic, "", "", "must be lower-case letters"},
		{"trailing hyphen", Generic, "abc-", "", "must be lower-case letters"},
		{"underscore", Generic, "a_b", "", "must be lower-case letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := n.For(tt.kind, tt.comp)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("For(%q) error = %v, want containing %q", tt.comp, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("For(%q) = %q, %v; want %q", tt.comp, got, err, tt.want)
			}
		})
	}
}

func TestMustPanicsWithMessage(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(error).Error(), "IAM role name") {
			t.Fatalf("recover() = %v, want IAM role length error", r)
		}
	}()
	New("eks-platform", "staging").Must(IAMRole, strings.Repeat("x", 60))
}
