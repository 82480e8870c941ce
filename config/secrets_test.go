package config

import (
	"errors"
	"strings"
	"testing"
)

// TestDataUnderGatekeeper: dev's data instances are refused at enforcement deny unless their
// namespace is exempt, with one problem per instance naming its field.
func TestDataUnderGatekeeper(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Config)
		problem string // path of the expected problem, or "" for none
	}{
		{"warn admits them", func(c *Config) {}, ""},
		{"deny refuses them", func(c *Config) { c.Security.Gatekeeper.Enforcement = EnforceDeny }, "dataServices.postgres[0].namespace"},
		{"deny with the namespace exempt", func(c *Config) {
			c.Security.Gatekeeper.Enforcement = EnforceDeny
			c.Security.Gatekeeper.ExemptNamespaces = append(c.Security.Gatekeeper.ExemptNamespaces, "dem*")
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("environments", "dev")
			if err != nil {
				t.Fatal(err)
			}
			if len(c.DataServices.Postgres) == 0 || len(c.DataServices.Kafka) == 0 {
				t.Fatal("dev has no data instances to check")
			}
			tt.mutate(c)
			err = c.Validate()
			var ve *ValidationError
			switch {
			case tt.problem == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.problem != "":
				if !errors.As(err, &ve) {
					t.Fatalf("err = %v, want a validation error at %s", err, tt.problem)
				}
				p, ok := ve.ProblemAt(tt.problem)
				if !ok || !strings.Contains(p.Message, "operator creates") {
					t.Fatalf("problems = %v, want one at %s", ve.Problems, tt.problem)
				}
				if _, ok := ve.ProblemAt("dataServices.kafka[0].namespace"); !ok {
					t.Errorf("the Kafka instance was not reported: %v", ve.Problems)
				}
			}
		})
	}
}
