package iampolicy

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		doc     Document
		wantErr string
	}{
		{"scoped", New(Allow("s3", []string{"s3:GetObject"}, "arn:aws:s3:::b/*")), ""},
		{"describe on any", New(Allow("d", []string{"ec2:DescribeInstances"}, "*")), ""},
		{"star action", New(Allow("all", []string{"*"}, "arn:aws:s3:::b")), `allows action "*"`},
		{"service star on star", New(Allow("ec2", []string{"ec2:*"}, "*")), `allows "ec2:*" on every resource`},
		{"service star scoped", New(Allow("s3", []string{"s3:*"}, "arn:aws:s3:::b/*")), ""},
		{"key policy root", New(Statement{Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, Action: []string{"kms:*"}, Resource: []string{"*"}}), ""},
		{"boundary names services", NewBoundary(Allow("cap", []string{"ec2:*", "s3:*"}, "*")), ""},
		{"boundary still refuses star", NewBoundary(Allow("cap", []string{"*"}, "*")), `allows action "*"`},
		{"deny star is fine", New(Statement{Effect: "Deny", Action: []string{"s3:*"}, Resource: []string{"*"}}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.doc.Validate()
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Validate() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestAssumeRoleJSON(t *testing.T) {
	var got map[string]any
	if err := json.Unmarshal([]byte(AssumeRole("pods.eks.amazonaws.com", "sts:TagSession").JSON()), &got); err != nil {
		t.Fatal(err)
	}
	st := got["Statement"].([]any)[0].(map[string]any)
	if st["Principal"].(map[string]any)["Service"] != "pods.eks.amazonaws.com" {
		t.Fatalf("principal = %v", st["Principal"])
	}
	if a := st["Action"].([]any); len(a) != 2 || a[1] != "sts:TagSession" {
		t.Fatalf("actions = %v", a)
	}
	if _, ok := st["Resource"]; ok {
		t.Fatal("trust policy must not carry Resource")
	}
}
