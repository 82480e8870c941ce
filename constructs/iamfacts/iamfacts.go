// Package iamfacts checks IAM policy documents against a committed table of facts from the AWS
// Service Authorization Reference: which actions exist, which resource types (ARN formats) each
// action authorizes, and which condition keys apply per resource type and per action. It finds
// the mistakes that IAM itself accepts silently and that only show as AccessDenied at apply or
// run time: a made-up action, a resource of a type the action never authorizes, a condition key
// the request does not carry for a resource type (so the condition is never true there).
//
// The table (facts.json) holds only the actions the project uses; Missing lists the ones a
// policy uses that it does not hold yet.
package iamfacts

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

//go:embed facts.json
var factsJSON []byte

// Table is the fact table: global condition keys and, per service prefix, resource types and
// actions.
type Table struct {
	Source              []string           `json:"source"`
	Date                string             `json:"date"`
	Note                string             `json:"note"`
	GlobalConditionKeys []string           `json:"globalConditionKeys"`
	Services            map[string]Service `json:"services"`
}

// Service is one service prefix (ec2, iam, ...).
type Service struct {
	// ResourceTypes of the service that its actions name.
	ResourceTypes map[string]ResourceType `json:"resourceTypes"`
	// Actions by name as AWS spells it.
	Actions map[string]Action `json:"actions"`
}

// ResourceType is a row of the reference's Resource types table.
type ResourceType struct {
	// ARN format, e.g. "arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}".
	ARN string `json:"arn"`
	// ConditionKeys apply to every action on a resource of this type.
	ConditionKeys []string `json:"conditionKeys,omitempty"`
}

// Action is what the reference says about one action.
type Action struct {
	// ConditionKeys apply to the action whatever the resource.
	ConditionKeys []string `json:"conditionKeys,omitempty"`
	// Resources maps each resource type the action authorizes to the condition keys its row
	// lists for it (the type's own keys apply too). An action without resource types only
	// accepts Resource "*".
	Resources map[string][]string `json:"resources,omitempty"`
}

var (
	loadOnce sync.Once
	loaded   *Table
	loadErr  error
)

// Load returns the committed table, checked for internal consistency.
func Load() (*Table, error) {
	loadOnce.Do(func() { loaded, loadErr = Parse(factsJSON) })
	return loaded, loadErr
}

// Parse decodes a table and checks that every resource type an action names is defined.
func Parse(data []byte) (*Table, error) {
	var t Table
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("iamfacts: %w", err)
	}
	for prefix, s := range t.Services {
		for name, a := range s.Actions {
			for rt := range a.Resources {
				if _, ok := s.ResourceTypes[rt]; !ok {
					return nil, fmt.Errorf("iamfacts: %s:%s names resource type %q that %s does not define", prefix, name, rt, prefix)
				}
			}
		}
	}
	return &t, nil
}

// Problem is one finding in one statement.
type Problem struct {
	Statement int    // index in the document
	Sid       string // the statement's Sid, if any
	Msg       string
	// MissingAction is set when the finding is an action (or service) absent from the table.
	MissingAction string
}

func (p Problem) String() string {
	return fmt.Sprintf("statement %d (%s): %s", p.Statement, p.Sid, p.Msg)
}

// actionRef is one action of the table.
type actionRef struct {
	service, name string
	Action
}

func (a actionRef) String() string { return a.service + ":" + a.name }

// match returns the table's actions that an action pattern of a policy (case-insensitive,
// with * and ? wildcards) names.
func (t *Table) match(pattern string) (refs []actionRef, serviceKnown bool) {
	prefix, name, ok := strings.Cut(pattern, ":")
	if !ok {
		return nil, false
	}
	s, ok := t.Services[strings.ToLower(prefix)]
	if !ok {
		return nil, false
	}
	re := globRegexp(name)
	for n, a := range s.Actions {
		if re.MatchString(strings.ToLower(n)) {
			refs = append(refs, actionRef{service: strings.ToLower(prefix), name: n, Action: a})
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].name < refs[j].name })
	return refs, true
}

func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range strings.ToLower(glob) {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// Check returns the problems of every statement of doc. Resources must already be plain ARN
// patterns; use CheckResolved for documents that hold Terraform references.
func (t *Table) Check(doc iampolicy.Document) []Problem {
	var out []Problem
	for i, st := range doc.Statement {
		for _, msg := range t.checkStatement(st) {
			msg.Statement, msg.Sid = i, st.Sid
			out = append(out, msg)
		}
	}
	return out
}

// covered is one action with the resource types a statement's resources give it.
type covered struct {
	ref   actionRef
	types []string
}

func (t *Table) checkStatement(st iampolicy.Statement) []Problem {
	var out []Problem
	bad := func(format string, args ...any) {
		out = append(out, Problem{Msg: fmt.Sprintf(format, args...)})
	}
	// Per action pattern: the table actions it names and the types its resources cover.
	type group struct {
		pattern  string
		wildcard bool
		actions  []covered
		service  *Service // set for "service:*"
	}
	var groups []group
	authorized := make([]bool, len(st.Resource))
	for _, pattern := range st.Action {
		if pattern == "*" {
			bad("action \"*\" cannot be checked")
			continue
		}
		if svc, name, _ := strings.Cut(pattern, ":"); name == "*" {
			// Every action of a service: the table need not hold them all; check the service
			// and that each resource is of one of its types.
			s, ok := t.Services[strings.ToLower(svc)]
			if !ok {
				out = append(out, Problem{MissingAction: pattern,
					Msg: fmt.Sprintf("service %s is not in the fact table (a made-up service, or add its resource types)", svc)})
				continue
			}
			for i, r := range st.Resource {
				for _, rt := range s.ResourceTypes {
					if r == "*" || arnMatches(r, rt.ARN) {
						authorized[i] = true
					}
				}
			}
			groups = append(groups, group{pattern: pattern, wildcard: true, service: &s})
			continue
		}
		refs, known := t.match(pattern)
		wildcard := strings.ContainsAny(pattern, "*?")
		if !known || len(refs) == 0 {
			what := "is not an action of the fact table"
			if wildcard {
				what = "matches no action of the fact table"
			}
			out = append(out, Problem{MissingAction: pattern,
				Msg: fmt.Sprintf("%s %s (a made-up action, or add its facts from the Service Authorization Reference)", pattern, what)})
			continue
		}
		g := group{pattern: pattern, wildcard: wildcard}
		for _, ref := range refs {
			c := covered{ref: ref}
			for i, r := range st.Resource {
				types, ok := t.resourceTypes(ref, r)
				if ok {
					authorized[i] = true
				}
				c.types = appendNew(c.types, types...)
			}
			g.actions = append(g.actions, c)
		}
		if len(st.Resource) > 0 {
			any := false
			for _, c := range g.actions {
				if len(c.types) > 0 || (len(c.ref.Resources) == 0 && slices.Contains(st.Resource, "*")) {
					any = true
				}
			}
			if !any {
				bad("%s authorizes none of the statement's resources %v (it authorizes %s)", pattern, st.Resource, t.describeTypes(g.actions))
			}
		}
		groups = append(groups, g)
	}
	// A resource that no action of the statement authorizes is dead, or a typo of its ARN.
	if len(groups) > 0 && len(groups) == len(st.Action) {
		for i, r := range st.Resource {
			if !authorized[i] {
				bad("resource %s matches no resource type of the statement's actions", r)
			}
		}
	}
	for op, body := range st.Condition {
		keys, ok := body.(map[string]any)
		if !ok {
			bad("condition %s is not a map of keys", op)
			continue
		}
		for key, value := range keys {
			if !mustExist(op, value) || t.global(key) {
				continue
			}
			for _, g := range groups {
				if g.service != nil {
					if !g.service.hasKey(key) {
						bad("condition key %s is not available for any resource type or action of %s", key, g.pattern)
					}
					continue
				}
				if msg := t.keyProblem(g.wildcard, g.actions, key, len(st.Resource) > 0); msg != "" {
					bad("%s", msg)
				}
			}
		}
	}
	return out
}

// hasKey reports whether key applies to some resource type or action of the service.
func (s *Service) hasKey(key string) bool {
	for _, rt := range s.ResourceTypes {
		if keyIn(key, rt.ConditionKeys) {
			return true
		}
	}
	for _, a := range s.Actions {
		if keyIn(key, a.ConditionKeys) {
			return true
		}
		for _, keys := range a.Resources {
			if keyIn(key, keys) {
				return true
			}
		}
	}
	return false
}

// mustExist says whether a condition is false when its key is absent from the request:
// IfExists operators, ForAllValues and a Null test for absence are true then.
func mustExist(op string, value any) bool {
	if strings.HasSuffix(op, "IfExists") || strings.HasPrefix(op, "ForAllValues:") {
		return false
	}
	if op == "Null" {
		return fmt.Sprint(value) != "true"
	}
	return true
}

// resourceTypes returns the resource types of ref that resource r may be; ok reports whether
// r is a resource ref authorizes ("*" is every resource).
func (t *Table) resourceTypes(ref actionRef, r string) (types []string, ok bool) {
	if r == "*" {
		for rt := range ref.Resources {
			types = append(types, rt)
		}
		sort.Strings(types)
		return types, true
	}
	formats := t.Services[ref.service].ResourceTypes
	for rt := range ref.Resources {
		if arnMatches(r, formats[rt].ARN) {
			types = append(types, rt)
		}
	}
	sort.Strings(types)
	return types, len(types) > 0
}

// keyProblem says why key does not apply to the actions of one action pattern, or "". For a
// single action the key must apply to every resource type the statement covers; a wildcard
// pattern needs it on at least one of its actions.
func (t *Table) keyProblem(wildcard bool, actions []covered, key string, hasResource bool) string {
	var missing []string
	anyOK := false
	for _, c := range actions {
		types := c.types
		if !hasResource || len(c.ref.Resources) == 0 {
			types = nil
		}
		if len(types) == 0 {
			if keyIn(key, c.ref.ConditionKeys) {
				anyOK = true
			} else {
				missing = append(missing, c.ref.String())
			}
			continue
		}
		for _, rt := range types {
			if keyIn(key, c.ref.ConditionKeys) || keyIn(key, c.ref.Resources[rt]) ||
				(!requestKey(key) && keyIn(key, t.Services[c.ref.service].ResourceTypes[rt].ConditionKeys)) {
				anyOK = true
			} else {
				missing = append(missing, c.ref.String()+" on "+rt)
			}
		}
	}
	if len(missing) == 0 || (wildcard && anyOK) {
		return ""
	}
	return fmt.Sprintf("condition key %s is not available for %s, so the condition is never true there", key, strings.Join(missing, ", "))
}

func (t *Table) describeTypes(actions []covered) string {
	var parts []string
	for _, c := range actions {
		if len(c.ref.Resources) == 0 {
			parts = append(parts, c.ref.String()+`: only "*"`)
			continue
		}
		var types []string
		for rt := range c.ref.Resources {
			types = append(types, rt+" "+t.Services[c.ref.service].ResourceTypes[rt].ARN)
		}
		sort.Strings(types)
		parts = append(parts, c.ref.String()+": "+strings.Join(types, ", "))
	}
	return strings.Join(parts, "; ")
}

// requestKey reports whether key describes the request (its tags) rather than the resource.
// The Resource types table lists such keys for a type because some action tags it; whether a
// given action carries them is in that action's row only.
func requestKey(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "aws:requesttag/") || k == "aws:tagkeys"
}

// global reports whether key is a global condition key (available in every request).
func (t *Table) global(key string) bool { return keyIn(key, t.GlobalConditionKeys) }

// keyIn reports whether key matches one of the table's key patterns (${...} is a variable
// part, as in aws:RequestTag/${TagKey}). Keys are case-insensitive; a Terraform reference in
// the policy's key (an IRSA issuer) is a variable part too.
func keyIn(key string, patterns []string) bool {
	k := strings.ToLower(formatGlob(key))
	for _, p := range patterns {
		if globsIntersect(k, strings.ToLower(formatGlob(p))) {
			return true
		}
	}
	return false
}

var variable = regexp.MustCompile(`\$\{[^}]*\}`)

// formatGlob turns every ${...} of an ARN format or key into the wildcard *.
func formatGlob(s string) string { return variable.ReplaceAllString(s, "*") }

// globsIntersect reports whether some string matches both glob patterns (* any run, ? any one
// character).
func globsIntersect(a, b string) bool {
	memo := map[[2]int]bool{}
	seen := map[[2]int]bool{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		k := [2]int{i, j}
		if seen[k] {
			return memo[k]
		}
		seen[k] = true
		var r bool
		switch {
		case i == len(a) && j == len(b):
			r = true
		case i < len(a) && a[i] == '*':
			r = rec(i+1, j) || (j < len(b) && rec(i, j+1))
		case j < len(b) && b[j] == '*':
			r = rec(i, j+1) || (i < len(a) && rec(i+1, j))
		case i < len(a) && j < len(b):
			r = (a[i] == b[j] || a[i] == '?' || b[j] == '?') && rec(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return rec(0, 0)
}

// slashNames are the ARN format variables whose values may contain "/" (paths, object keys,
// log group names, ECR repository names, OIDC provider hosts with paths, parameter and secret
// names). Every other variable is one segment: no "/" and no ":".
var slashNames = regexp.MustCompile(`(?i)path|objectname|loggroupname|logstreamname|repositoryname|oidcprovidername|parametername|secretid|resourcename|relativeid`)

// tok is one element of a pattern: a literal byte, '*' (any run), '?' (any byte), or a format
// variable's character class.
type tok struct {
	kind  byte // 'l' literal, '*', '?', 'V' a run of class bytes (a variable, maybe empty)
	ch    byte
	slash bool // the class admits '/'
}

func policyToks(s string) []tok {
	var out []tok
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*', '?':
			out = append(out, tok{kind: c})
		default:
			out = append(out, tok{kind: 'l', ch: lower(c)})
		}
	}
	return out
}

func formatToks(s string) []tok {
	var out []tok
	last := 0
	for _, m := range variable.FindAllStringIndex(s, -1) {
		for i := last; i < m[0]; i++ {
			out = append(out, tok{kind: 'l', ch: lower(s[i])})
		}
		slash := slashNames.MatchString(s[m[0]:m[1]])
		out = append(out, tok{kind: 'V', slash: slash})
		last = m[1]
	}
	for i := last; i < len(s); i++ {
		out = append(out, tok{kind: 'l', ch: lower(s[i])})
	}
	return out
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// arnMatches reports whether some ARN matches both the policy's resource pattern and the
// reference's ARN format (case-insensitive; IAM's "*" matches any run, "/" and ":" included).
func arnMatches(pattern, format string) bool {
	p, f := policyToks(pattern), formatToks(format)
	inClass := func(t tok, c tok) bool { // can policy byte t be a byte of class c?
		if t.kind == '?' {
			return true
		}
		return t.ch != ':' && (t.ch != '/' || c.slash)
	}
	memo := map[[2]int]int8{}
	var rec func(i, j int) bool
	rec = func(i, j int) bool {
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v == 1
		}
		var r bool
		switch {
		case i == len(p) && j == len(f):
			r = true
		case i < len(p) && p[i].kind == '*':
			r = rec(i+1, j) || (j < len(f) && rec(i, j+1))
		case j < len(f) && f[j].kind == 'V':
			r = rec(i, j+1) || (i < len(p) && inClass(p[i], f[j]) && rec(i+1, j))
		case i < len(p) && j < len(f):
			r = (p[i].kind == '?' || p[i].ch == f[j].ch) && rec(i+1, j+1)
		}
		if r {
			memo[k] = 1
		} else {
			memo[k] = 0
		}
		return r
	}
	return rec(0, 0)
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// Missing returns the action patterns of docs that the table does not hold, sorted.
func (t *Table) Missing(docs ...iampolicy.Document) []string {
	seen := map[string]bool{}
	for _, d := range docs {
		for _, p := range t.Check(d) {
			if p.MissingAction != "" {
				seen[p.MissingAction] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// TerraformARNs are the ARN patterns of the Terraform resource types whose "arn" attribute a
// synthesized policy may reference. A reference to another type's ARN is an error until its
// pattern is added here, so that the resource check never silently passes.
var TerraformARNs = map[string]string{
	"aws_vpc":                         "arn:*:ec2:*:*:vpc/*",
	"aws_subnet":                      "arn:*:ec2:*:*:subnet/*",
	"aws_security_group":              "arn:*:ec2:*:*:security-group/*",
	"aws_kms_key":                     "arn:*:kms:*:*:key/*",
	"aws_kms_alias":                   "arn:*:kms:*:*:alias/*",
	"aws_s3_bucket":                   "arn:*:s3:::*",
	"aws_iam_role":                    "arn:*:iam::*:role/*",
	"aws_iam_policy":                  "arn:*:iam::*:policy/*",
	"aws_iam_openid_connect_provider": "arn:*:iam::*:oidc-provider/*",
	"aws_eks_cluster":                 "arn:*:eks:*:*:cluster/*",
	"aws_cloudwatch_log_group":        "arn:*:logs:*:*:log-group:*",
	"aws_ecr_repository":              "arn:*:ecr:*:*:repository/*",
	"aws_secretsmanager_secret":       "arn:*:secretsmanager:*:*:secret:*",
	"aws_sqs_queue":                   "arn:*:sqs:*:*:*",
	"aws_sns_topic":                   "arn:*:sns:*:*:*",
	"aws_dynamodb_table":              "arn:*:dynamodb:*:*:table/*",
}

var arnRef = regexp.MustCompile(`^(?:data\.)?([a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.arn$`)

// ResolveTerraform turns a synthesized resource string into a plain ARN pattern: a reference
// to a known resource type's arn becomes that type's ARN pattern, any other ${...} becomes "*".
func ResolveTerraform(s string) (string, error) {
	var err error
	out := variable.ReplaceAllStringFunc(s, func(m string) string {
		inner := strings.TrimSpace(m[2 : len(m)-1])
		if sub := arnRef.FindStringSubmatch(inner); sub != nil {
			if p, ok := TerraformARNs[sub[1]]; ok {
				return p
			}
			err = fmt.Errorf("iamfacts: %s references the ARN of %s, whose pattern is not in iamfacts.TerraformARNs", s, sub[1])
		}
		return "*"
	})
	return out, err
}

// CheckTerraform is Check for a document decoded from synthesized Terraform: its resources
// may hold references, which are resolved first.
func (t *Table) CheckTerraform(doc iampolicy.Document) []Problem {
	var out []Problem
	resolved := iampolicy.Document{Version: doc.Version}
	for i, st := range doc.Statement {
		rs := make([]string, len(st.Resource))
		for j, r := range st.Resource {
			var err error
			if rs[j], err = ResolveTerraform(r); err != nil {
				out = append(out, Problem{Statement: i, Sid: st.Sid, Msg: err.Error()})
			}
		}
		st.Resource = rs
		resolved.Statement = append(resolved.Statement, st)
	}
	return append(out, t.Check(resolved)...)
}

// ActionsWithKey returns the table's actions that an action pattern of a policy names and whose
// action-level condition keys include key (e.g. which of "iam:*" accept iam:PermissionsBoundary).
func (t *Table) ActionsWithKey(pattern, key string) []string {
	var out []string
	refs, _ := t.match(pattern)
	for _, r := range refs {
		if keyIn(key, r.ConditionKeys) {
			out = append(out, r.String())
		}
	}
	return out
}

// ActionMatches reports whether a policy's action pattern (wildcards, any case) names action.
func ActionMatches(pattern, action string) bool {
	return globRegexp(pattern).MatchString(strings.ToLower(action))
}
