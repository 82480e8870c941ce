package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Gatekeeper enforcement actions (spec.enforcementAction of a Constraint).
const (
	EnforceDeny   = "deny"   // refuse the object at admission
	EnforceWarn   = "warn"   // admit it, warn the client, report it in audit
	EnforceDryRun = "dryrun" // admit it silently, report it in audit only
)

// EnforcementActions are the values Gatekeeper accepts for a Constraint.
var EnforcementActions = []string{EnforceDeny, EnforceWarn, EnforceDryRun}

// Falco priorities, most to least severe (falcosidekick minimumpriority).
var FalcoPriorities = []string{"emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"}

// Security configures Workflow 5: OpenBao with External Secrets, Gatekeeper and Falco.
type Security struct {
	OpenBao    OpenBao    `yaml:"openbao"`
	Gatekeeper Gatekeeper `yaml:"gatekeeper"`
	Falco      Falco      `yaml:"falco"`
	// BudgetOverride replaces the brief's security budget (200m / 600Mi of requests) in an
	// environment that runs the HA replicas; dev keeps the brief's budget. Empty: no override.
	// The type is shared with the observability section (config/observability.go).
	BudgetOverride BudgetOverride `yaml:"budgetOverride"`
}

// OpenBao is the secrets manager: Raft storage, KMS auto-unseal, snapshots to S3.
type OpenBao struct {
	// Replicas of the Raft cluster: 1 (dev) or an odd number from 3 to 5, spread over zones.
	Replicas int `yaml:"replicas"`
	// StorageSize of each replica's Raft volume (gp3), e.g. 10Gi.
	StorageSize string `yaml:"storageSize"`
	// SnapshotSchedule is a five-field cron expression (UTC) for Raft snapshots to S3.
	SnapshotSchedule string `yaml:"snapshotSchedule"`
	// SnapshotRetentionDays is how long the snapshot bucket keeps a snapshot.
	SnapshotRetentionDays int `yaml:"snapshotRetentionDays"`
}

// Gatekeeper is admission policy for workload namespaces.
type Gatekeeper struct {
	// Enforcement is deny, warn or dryrun for every platform constraint.
	Enforcement string `yaml:"enforcement"`
	// ExemptNamespaces are the platform's own namespaces, which the constraints do not check.
	// A trailing * matches a prefix (kube-*).
	ExemptNamespaces []string `yaml:"exemptNamespaces"`
	// AllowedRegistries are image prefixes allowed besides the account's own ECR registry,
	// e.g. public.ecr.aws/myteam/. Each must end with "/" so that a prefix cannot match a
	// look-alike registry (docker.io.evil.com).
	AllowedRegistries []string `yaml:"allowedRegistries"`
	// LoadBalancerNamespaces may hold Services of type LoadBalancer (each one is an NLB); the
	// ingress namespace, and a mesh gateway's if it needs one. Checked in every namespace.
	LoadBalancerNamespaces []string `yaml:"loadBalancerNamespaces"`
}

// Falco is runtime threat detection.
type Falco struct {
	// MinimumPriority of the events falcosidekick forwards.
	MinimumPriority string `yaml:"minimumPriority"`
	// Outputs say where falcosidekick sends events.
	Outputs FalcoOutputs `yaml:"outputs"`
	// Exceptions silence a rule for a platform component (namespace and image prefix).
	Exceptions []FalcoException `yaml:"exceptions"`
}

// FalcoOutputs are the observability stack's endpoints falcosidekick may use.
type FalcoOutputs struct {
	Loki         bool `yaml:"loki"`
	Alertmanager bool `yaml:"alertmanager"`
}

// FalcoException silences Rule for containers in Namespace whose image repository starts with
// ImagePrefix (empty: any image in the namespace).
type FalcoException struct {
	Rule        string `yaml:"rule"`
	Namespace   string `yaml:"namespace"`
	ImagePrefix string `yaml:"imagePrefix"`
}

// defaultSecurity is the security section an empty file yields for env.
func defaultSecurity(env string) Security {
	s := Security{
		OpenBao: OpenBao{
			Replicas:              3,
			StorageSize:           "10Gi",
			SnapshotSchedule:      "0 */6 * * *",
			SnapshotRetentionDays: 30,
		},
		Gatekeeper: Gatekeeper{
			Enforcement: EnforceDeny,
			ExemptNamespaces: []string{
				"kube-system", "kube-public", "kube-node-lease", "default",
				"cert-manager", "emissary", "emissary-system", "external-dns",
				"monitoring", "argocd", "tekton-pipelines", "tekton-operator", "tekton-ci",
				"openbao", "external-secrets", "gatekeeper-system", "falco",
				"istio-system", "cnpg-system", "redis-operator", "strimzi",
			},
			AllowedRegistries:      []string{},
			LoadBalancerNamespaces: []string{"emissary"},
		},
		Falco: Falco{
			MinimumPriority: "warning",
			Outputs:         FalcoOutputs{Loki: true, Alertmanager: true},
			Exceptions:      defaultFalcoExceptions(),
		},
	}
	s.BudgetOverride = BudgetOverride{CPU: "300m", Memory: "1200Mi",
		Reason: "HA: three OpenBao and Gatekeeper replicas over the zones, two of each External Secrets controller"}
	if env == "dev" {
		s.BudgetOverride = BudgetOverride{}
		s.OpenBao.Replicas = 1
		s.OpenBao.SnapshotSchedule = "0 3 * * *"
		s.OpenBao.SnapshotRetentionDays = 7
		s.Gatekeeper.Enforcement = EnforceWarn
	}
	return s
}

// defaultFalcoExceptions are the platform components whose normal behaviour matches stable
// Falco rules: Cilium opens packet sockets and talks to the API server; controllers watch the
// API server (the operators of stacks 4 and 7 too); Falco and Istio read their own credentials.
func defaultFalcoExceptions() []FalcoException {
	out := []FalcoException{
		{Rule: "Packet socket created in container", Namespace: "kube-system", ImagePrefix: "quay.io/cilium/"},
		{Rule: "Read sensitive file untrusted", Namespace: "falco", ImagePrefix: "docker.io/falcosecurity/"},
	}
	for _, ns := range []string{"kube-system", "falco", "istio-system", "openbao", "external-secrets", "gatekeeper-system",
		"cert-manager", "emissary", "emissary-system", "external-dns", "monitoring", "argocd",
		// Stacks 4 and 7: Tekton's operator, controllers and EventListener, the data operators.
		"tekton-operator", "tekton-pipelines", "tekton-ci", "cnpg-system", "redis-operator", "strimzi"} {
		out = append(out, FalcoException{Rule: "Contact K8S API Server From Container", Namespace: ns})
	}
	return out
}

var (
	cronFieldRe    = regexp.MustCompile(`^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$`)
	registryRe     = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(/[a-z0-9._-]+)*/$`)
	imagePrefixRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9._/:-]*$`)
	nsPatternRe    = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|[a-z0-9][a-z0-9-]{0,61}\*)$`)
	falcoRuleRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 _./()-]{0,199}$`)
	cronFieldRange = [5][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}
)

func (s Security) validate(ps *problems) {
	s.OpenBao.validate(ps)
	s.Gatekeeper.validate(ps)
	s.Falco.validate(ps)
	s.BudgetOverride.validate(ps, "security.budgetOverride", "200m / 600Mi")
}

func (o OpenBao) validate(ps *problems) {
	if o.Replicas != 1 && o.Replicas != 3 && o.Replicas != 5 {
		ps.add("security.openbao.replicas", "%d is not allowed; use 1 (dev), 3 or 5 (an odd Raft quorum)", o.Replicas)
	}
	if n, err := ParseMemory(o.StorageSize); err != nil || n < 1<<30 || n > 1000<<30 {
		ps.add("security.openbao.storageSize", "%q is not a volume size from 1Gi to 1000Gi; use a size like 10Gi", o.StorageSize)
	}
	if why := cronProblem(o.SnapshotSchedule); why != "" {
		ps.add("security.openbao.snapshotSchedule", "%q %s; use five cron fields (minute hour day month weekday), e.g. \"0 */6 * * *\"", o.SnapshotSchedule, why)
	}
	if o.SnapshotRetentionDays < 1 || o.SnapshotRetentionDays > 3650 {
		ps.add("security.openbao.snapshotRetentionDays", "%d is out of range; use 1 to 3650 days", o.SnapshotRetentionDays)
	}
}

// cronProblem says why s is not a five-field cron expression, or returns "".
func cronProblem(s string) string {
	fields := strings.Fields(s)
	if len(fields) != 5 {
		return fmt.Sprintf("has %d fields", len(fields))
	}
	for i, f := range fields {
		if !cronFieldRe.MatchString(f) {
			return fmt.Sprintf("has the invalid field %q", f)
		}
		lo, hi := cronFieldRange[i][0], cronFieldRange[i][1]
		for _, part := range strings.Split(f, ",") {
			values, _, _ := strings.Cut(part, "/")
			for _, n := range strings.Split(values, "-") {
				if v, err := strconv.Atoi(n); err == nil && (v < lo || v > hi) {
					return fmt.Sprintf("has %d out of range %d-%d in field %d", v, lo, hi, i+1)
				}
			}
		}
	}
	return ""
}

func (g Gatekeeper) validate(ps *problems) {
	if !slices.Contains(EnforcementActions, g.Enforcement) {
		ps.add("security.gatekeeper.enforcement", "%q is not an enforcement action; allowed: %s", g.Enforcement, strings.Join(EnforcementActions, ", "))
	}
	if len(g.ExemptNamespaces) == 0 {
		ps.add("security.gatekeeper.exemptNamespaces", "is empty; list the platform namespaces (at least kube-system), or the constraints would refuse the platform's own pods")
	}
	seen := map[string]bool{}
	for i, ns := range g.ExemptNamespaces {
		path := fmt.Sprintf("security.gatekeeper.exemptNamespaces[%d]", i)
		switch {
		case !nsPatternRe.MatchString(ns):
			ps.add(path, "%q is not a namespace name; use a DNS label, optionally ending with * for a prefix", ns)
		case seen[ns]:
			ps.add(path, "%q is listed twice; list each namespace once", ns)
		}
		seen[ns] = true
	}
	if len(g.ExemptNamespaces) > 0 && !slices.Contains(g.ExemptNamespaces, "kube-system") && !slices.Contains(g.ExemptNamespaces, "kube-*") {
		ps.add("security.gatekeeper.exemptNamespaces", "does not list kube-system; the cluster's own add-ons run there and must stay exempt")
	}
	checkNamespaces(ps, "security.gatekeeper.loadBalancerNamespaces", g.LoadBalancerNamespaces)
	seen = map[string]bool{}
	for i, r := range g.AllowedRegistries {
		path := fmt.Sprintf("security.gatekeeper.allowedRegistries[%d]", i)
		switch {
		case !registryRe.MatchString(r):
			ps.add(path, "%q is not a registry prefix; use a lowercase registry host and optional path ending with /, e.g. public.ecr.aws/myteam/", r)
		case seen[r]:
			ps.add(path, "%q is listed twice; list each registry once", r)
		}
		seen[r] = true
	}
}

func checkNamespaces(ps *problems, path string, nss []string) {
	seen := map[string]bool{}
	for i, ns := range nss {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !dnsLabelRe.MatchString(ns):
			ps.add(p, "%q is not a namespace name; use a DNS label", ns)
		case seen[ns]:
			ps.add(p, "%q is listed twice; list each namespace once", ns)
		}
		seen[ns] = true
	}
}

func (f Falco) validate(ps *problems) {
	if !slices.Contains(FalcoPriorities, f.MinimumPriority) {
		ps.add("security.falco.minimumPriority", "%q is not a Falco priority; allowed: %s", f.MinimumPriority, strings.Join(FalcoPriorities, ", "))
	}
	seen := map[FalcoException]bool{}
	for i, e := range f.Exceptions {
		path := fmt.Sprintf("security.falco.exceptions[%d]", i)
		switch {
		case !falcoRuleRe.MatchString(e.Rule):
			ps.add(path+".rule", "%q is not a Falco rule name; name a rule of the pinned ruleset, e.g. \"Terminal shell in container\"", e.Rule)
		case !dnsLabelRe.MatchString(e.Namespace):
			ps.add(path+".namespace", "%q is not a namespace name; exceptions are per namespace (a DNS label)", e.Namespace)
		case e.ImagePrefix != "" && !imagePrefixRe.MatchString(e.ImagePrefix):
			ps.add(path+".imagePrefix", "%q is not an image repository prefix; use lowercase like quay.io/cilium/, or leave it empty for any image", e.ImagePrefix)
		case seen[e]:
			ps.add(path, "repeats an earlier exception; list each once")
		}
		seen[e] = true
	}
}
