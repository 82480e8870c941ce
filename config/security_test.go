package config

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSecurityDefaults(t *testing.T) {
	tests := []struct {
		env         string
		replicas    int
		enforcement string
	}{
		{"dev", 1, EnforceWarn},
		{"staging", 3, EnforceDeny},
		{"prod", 3, EnforceDeny},
	}
	for _, tt := range tests {
		s := Defaults(tt.env).Security
		if s.OpenBao.Replicas != tt.replicas || s.Gatekeeper.Enforcement != tt.enforcement {
			t.Errorf("%s: replicas %d enforcement %s, want %d %s", tt.env, s.OpenBao.Replicas, s.Gatekeeper.Enforcement, tt.replicas, tt.enforcement)
		}
		var ps problems
		s.validate(&ps)
		if len(ps) > 0 {
			t.Errorf("%s defaults invalid: %v", tt.env, ps)
		}
	}
}

// The committed files say what the defaults say, so the files are the documentation.
func TestSecurityFilesMatchDefaults(t *testing.T) {
	for _, env := range Environments {
		c, err := Load(envDir, env)
		if err != nil {
			t.Fatal(err)
		}
		d := Defaults(env).Security
		if got, want := toYAML(t, c.Security), toYAML(t, d); got != want {
			t.Errorf("%s.yaml security differs from defaults:\n%s\nwant\n%s", env, got, want)
		}
	}
}

func TestSecurityValid(t *testing.T) {
	for name, y := range map[string]string{
		"five replicas":       "security:\n  openbao:\n    replicas: 5\n",
		"cron list + step":    "security:\n  openbao:\n    snapshotSchedule: \"15,45 1-5/2 * * 1-5\"\n",
		"dryrun":              "security:\n  gatekeeper:\n    enforcement: dryrun\n",
		"registry with port":  "security:\n  gatekeeper:\n    allowedRegistries: [\"registry.example.com:5000/team/\", \"public.ecr.aws/acme/\"]\n",
		"prefix namespace":    "security:\n  gatekeeper:\n    exemptNamespaces: [kube-*, tenant-system]\n",
		"exception any image": "security:\n  falco:\n    exceptions:\n      - {rule: \"Terminal shell in container\", namespace: debug}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadFromBytes("dev.yaml", []byte(doc(y)), "dev"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSecurityInvalid(t *testing.T) {
	tests := []struct {
		name, yaml, path, msg string
	}{
		{"even replicas", "security:\n  openbao:\n    replicas: 2\n", "security.openbao.replicas", "use 1 (dev), 3 or 5"},
		{"storage not a size", "security:\n  openbao:\n    storageSize: ten\n", "security.openbao.storageSize", "not a volume size from 1Gi to 1000Gi"},
		{"storage too small", "security:\n  openbao:\n    storageSize: 512Mi\n", "security.openbao.storageSize", "not a volume size"},
		{"cron four fields", "security:\n  openbao:\n    snapshotSchedule: \"0 3 * *\"\n", "security.openbao.snapshotSchedule", "has 4 fields"},
		{"cron hour 24", "security:\n  openbao:\n    snapshotSchedule: \"0 24 * * *\"\n", "security.openbao.snapshotSchedule", "24 out of range 0-23"},
		{"cron macro", "security:\n  openbao:\n    snapshotSchedule: \"@daily\"\n", "security.openbao.snapshotSchedule", "has 1 fields"},
		{"retention zero", "security:\n  openbao:\n    snapshotRetentionDays: 0\n", "security.openbao.snapshotRetentionDays", "use 1 to 3650"},
		{"enforcement", "security:\n  gatekeeper:\n    enforcement: block\n", "security.gatekeeper.enforcement", "allowed: deny, warn, dryrun"},
		{"no exempt namespaces", "security:\n  gatekeeper:\n    exemptNamespaces: []\n", "security.gatekeeper.exemptNamespaces", "is empty"},
		{"kube-system not exempt", "security:\n  gatekeeper:\n    exemptNamespaces: [monitoring]\n", "security.gatekeeper.exemptNamespaces", "does not list kube-system"},
		{"namespace uppercase", "security:\n  gatekeeper:\n    exemptNamespaces: [kube-system, Monitoring]\n", "security.gatekeeper.exemptNamespaces[1]", "not a namespace name"},
		{"namespace twice", "security:\n  gatekeeper:\n    exemptNamespaces: [kube-system, kube-system]\n", "security.gatekeeper.exemptNamespaces[1]", "listed twice"},
		{"registry without slash", "security:\n  gatekeeper:\n    allowedRegistries: [docker.io]\n", "security.gatekeeper.allowedRegistries[0]", "ending with /"},
		{"registry with tag", "security:\n  gatekeeper:\n    allowedRegistries: [\"docker.io/library/nginx:latest/\"]\n", "security.gatekeeper.allowedRegistries[0]", "not a registry prefix"},
		{"load balancer namespace", "security:\n  gatekeeper:\n    loadBalancerNamespaces: [Emissary]\n", "security.gatekeeper.loadBalancerNamespaces[0]", "not a namespace name"},
		{"falco priority", "security:\n  falco:\n    minimumPriority: high\n", "security.falco.minimumPriority", "allowed: emergency, alert"},
		{"exception without rule", "security:\n  falco:\n    exceptions:\n      - {namespace: x}\n", "security.falco.exceptions[0].rule", "not a Falco rule name"},
		{"exception namespace", "security:\n  falco:\n    exceptions:\n      - {rule: \"Terminal shell in container\", namespace: \"a b\"}\n", "security.falco.exceptions[0].namespace", "not a namespace name"},
		{"exception image", "security:\n  falco:\n    exceptions:\n      - {rule: \"Terminal shell in container\", namespace: x, imagePrefix: \"Quay.io/\"}\n", "security.falco.exceptions[0].imagePrefix", "not an image repository prefix"},
		{"exception repeated", "security:\n  falco:\n    exceptions:\n      - {rule: r1, namespace: x}\n      - {rule: r1, namespace: x}\n", "security.falco.exceptions[1]", "repeats an earlier exception"},
		{"override cpu", "security:\n  budgetOverride: {cpu: lots, memory: 1Gi, reason: ha}\n", "security.budgetOverride.cpu", "not a CPU quantity"},
		{"override without reason", "security:\n  budgetOverride: {cpu: 300m, memory: 1Gi}\n", "security.budgetOverride.reason", "is required"},
		{"unknown key", "security:\n  openbao:\n    ui: true\n", "security.openbao.ui", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFromBytes("environments/dev.yaml", []byte(doc(tt.yaml)), "dev")
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			p, ok := verr.ProblemAt(tt.path)
			if !ok {
				t.Fatalf("no problem at %s:\n%v", tt.path, err)
			}
			if !strings.Contains(p.Message, tt.msg) {
				t.Errorf("%s: %q, want it to contain %q", tt.path, p.Message, tt.msg)
			}
			if !strings.Contains(err.Error(), "environments/dev.yaml: "+tt.path+": ") {
				t.Errorf("error does not name file and field:\n%v", err)
			}
		})
	}
}

func toYAML(t *testing.T, v any) string {
	t.Helper()
	out, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
