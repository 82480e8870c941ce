// Package policy evaluates Gatekeeper ConstraintTemplates and Constraints offline with the OPA
// Go library, the way Gatekeeper does: the template's Rego (and its libraries, as data.lib.*)
// is queried for `violation` with input.review.object set to the object under review and
// input.parameters to the constraint's parameters. Constraint matching follows Gatekeeper's
// spec.match for the fields the platform uses (kinds, namespaces, excludedNamespaces with a
// trailing * as prefix).
//
// Templates and constraints are read from rendered charts (charts/render), so what is tested is
// what the charts install. Like charts/render this package is for tests: the CDKTF application
// must not import it.
package policy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"sigs.k8s.io/yaml"

	"github.com/platformeng/eks-platform/charts/render"
)

// Template is one ConstraintTemplate, compiled.
type Template struct {
	Kind string
	pkg  string
	q    rego.PreparedEvalQuery
}

// KindSelector is one entry of spec.match.kinds.
type KindSelector struct {
	APIGroups []string `json:"apiGroups"`
	Kinds     []string `json:"kinds"`
}

// Match is the part of spec.match the platform uses.
type Match struct {
	Kinds              []KindSelector `json:"kinds"`
	Namespaces         []string       `json:"namespaces"`
	ExcludedNamespaces []string       `json:"excludedNamespaces"`
}

// Constraint is one rendered Constraint.
type Constraint struct {
	Kind              string
	Name              string
	EnforcementAction string
	Match             Match
	Parameters        map[string]any
}

// Violation is one refusal (or warning) of an object by a constraint.
type Violation struct {
	Constraint        string // <Kind>/<name>
	EnforcementAction string
	Msg               string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s [%s]: %s", v.Constraint, v.EnforcementAction, v.Msg)
}

// constraintTemplate mirrors templates.gatekeeper.sh/v1 ConstraintTemplate, the fields read here.
type constraintTemplate struct {
	Spec struct {
		CRD struct {
			Spec struct {
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
			} `json:"spec"`
		} `json:"crd"`
		Targets []struct {
			Target string `json:"target"`
			Rego   string `json:"rego"`
			Code   []struct {
				Engine string `json:"engine"`
				Source struct {
					Version string   `json:"version"`
					Rego    string   `json:"rego"`
					Libs    []string `json:"libs"`
				} `json:"source"`
			} `json:"code"`
		} `json:"targets"`
	} `json:"spec"`
}

// Compile compiles a ConstraintTemplate's Rego for the admission target, as Gatekeeper does:
// the code entry of engine Rego, in the Rego version it declares (v0 when it says nothing),
// with its libraries. The module must define `violation`.
func Compile(raw []byte) (*Template, error) {
	var ct constraintTemplate
	if err := yaml.Unmarshal(raw, &ct); err != nil {
		return nil, err
	}
	kind := ct.Spec.CRD.Spec.Names.Kind
	for _, t := range ct.Spec.Targets {
		if t.Target != "admission.k8s.gatekeeper.sh" {
			continue
		}
		for _, c := range t.Code {
			if c.Engine != "Rego" {
				continue
			}
			version := ast.RegoV0
			if c.Source.Version == "v1" {
				version = ast.RegoV1
			}
			return compile(kind, version, c.Source.Rego, c.Source.Libs)
		}
		if t.Rego != "" {
			return compile(kind, ast.RegoV0, t.Rego, nil)
		}
	}
	return nil, fmt.Errorf("template %s has no Rego for target admission.k8s.gatekeeper.sh", kind)
}

func compile(kind string, version ast.RegoVersion, src string, libs []string) (*Template, error) {
	opts := ast.ParserOptions{RegoVersion: version}
	main, err := ast.ParseModuleWithOpts(kind+".rego", src, opts)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", kind, err)
	}
	pkg := main.Package.Path.String()
	hasViolation := false
	for _, r := range main.Rules {
		if r.Head.Name.String() == "violation" || (len(r.Head.Reference) > 0 && r.Head.Reference[0].String() == "violation") {
			hasViolation = true
		}
	}
	if !hasViolation {
		return nil, fmt.Errorf("template %s: package %s defines no violation rule", kind, pkg)
	}
	args := []func(*rego.Rego){
		rego.Query(pkg + ".violation"),
		rego.ParsedModule(main),
		rego.SetRegoVersion(version),
		// Gatekeeper disables http.send by default (chart value disabledBuiltins).
		rego.UnsafeBuiltins(map[string]struct{}{"http.send": {}}),
	}
	for i, lib := range libs {
		m, err := ast.ParseModuleWithOpts(fmt.Sprintf("%s-lib-%d.rego", kind, i), lib, opts)
		if err != nil {
			return nil, fmt.Errorf("template %s library %d: %w", kind, i, err)
		}
		if !strings.HasPrefix(m.Package.Path.String(), "data.lib.") {
			return nil, fmt.Errorf("template %s library %d: package %s must be under data.lib (Gatekeeper's rule)", kind, i, m.Package.Path)
		}
		args = append(args, rego.ParsedModule(m))
	}
	q, err := rego.New(args...).PrepareForEval(context.Background())
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", kind, err)
	}
	return &Template{Kind: kind, pkg: pkg, q: q}, nil
}

// Eval returns the messages of the violations of object under parameters, sorted. namespace
// is the admission request's namespace (used when the object does not name one).
func (t *Template) Eval(object map[string]any, namespace string, parameters map[string]any) ([]string, error) {
	if parameters == nil {
		parameters = map[string]any{}
	}
	input := map[string]any{
		"review":     map[string]any{"object": object, "namespace": namespace, "operation": "CREATE"},
		"parameters": parameters,
	}
	rs, err := t.q.Eval(context.Background(), rego.EvalInput(input))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", t.Kind, err)
	}
	var msgs []string
	for _, r := range rs {
		for _, e := range r.Expressions {
			set, ok := e.Value.([]any)
			if !ok {
				return nil, fmt.Errorf("template %s: violation is %T, want a set", t.Kind, e.Value)
			}
			for _, v := range set {
				m, _ := v.(map[string]any)
				msg, ok := m["msg"].(string)
				if !ok {
					return nil, fmt.Errorf("template %s: violation %v has no msg string", t.Kind, v)
				}
				msgs = append(msgs, msg)
			}
		}
	}
	sort.Strings(msgs)
	return msgs, nil
}

// Set is the compiled templates and the constraints of a platform.
type Set struct {
	Templates   map[string]*Template // by kind
	Constraints []Constraint
}

// constraintObject mirrors a constraints.gatekeeper.sh/v1beta1 object, the fields read here.
type constraintObject struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		EnforcementAction string         `json:"enforcementAction"`
		Match             Match          `json:"match"`
		Parameters        map[string]any `json:"parameters"`
	} `json:"spec"`
}

// Load compiles the ConstraintTemplates and reads the Constraints among rendered objects. Every
// constraint must have its template.
func Load(objs ...[]render.Object) (*Set, error) {
	s := &Set{Templates: map[string]*Template{}}
	for _, list := range objs {
		for _, o := range list {
			switch {
			case o.APIVersion == "templates.gatekeeper.sh/v1" && o.Kind == "ConstraintTemplate":
				t, err := Compile(o.Raw)
				if err != nil {
					return nil, err
				}
				s.Templates[t.Kind] = t
			case strings.HasPrefix(o.APIVersion, "constraints.gatekeeper.sh/"):
				var c constraintObject
				if err := yaml.Unmarshal(o.Raw, &c); err != nil {
					return nil, err
				}
				action := c.Spec.EnforcementAction
				if action == "" {
					action = "deny"
				}
				s.Constraints = append(s.Constraints, Constraint{
					Kind: c.Kind, Name: c.Metadata.Name, EnforcementAction: action,
					Match: c.Spec.Match, Parameters: c.Spec.Parameters,
				})
			}
		}
	}
	for _, c := range s.Constraints {
		if s.Templates[c.Kind] == nil {
			return nil, fmt.Errorf("constraint %s/%s has no ConstraintTemplate", c.Kind, c.Name)
		}
	}
	return s, nil
}

// Review evaluates object against every constraint that matches it and returns the
// violations, in constraint order. namespace is where the object is installed (its own
// metadata.namespace wins); it is "" for cluster-scoped objects.
func (s *Set) Review(object map[string]any, namespace string) ([]Violation, error) {
	if md, ok := object["metadata"].(map[string]any); ok {
		if ns, ok := md["namespace"].(string); ok && ns != "" {
			namespace = ns
		}
	}
	apiVersion, _ := object["apiVersion"].(string)
	kind, _ := object["kind"].(string)
	group := ""
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		group = apiVersion[:i]
	}
	var out []Violation
	for _, c := range s.Constraints {
		if !c.Match.matches(group, kind, namespace) {
			continue
		}
		msgs, err := s.Templates[c.Kind].Eval(object, namespace, c.Parameters)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			out = append(out, Violation{Constraint: c.Kind + "/" + c.Name, EnforcementAction: c.EnforcementAction, Msg: m})
		}
	}
	return out, nil
}

func (m Match) matches(group, kind, namespace string) bool {
	if len(m.Kinds) > 0 {
		ok := false
		for _, k := range m.Kinds {
			if anyOf(k.APIGroups, group) && anyOf(k.Kinds, kind) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if namespace == "" {
		return true // cluster-scoped objects ignore namespace criteria
	}
	if len(m.Namespaces) > 0 && !nsIn(m.Namespaces, namespace) {
		return false
	}
	return !nsIn(m.ExcludedNamespaces, namespace)
}

func anyOf(list []string, v string) bool {
	for _, x := range list {
		if x == "*" || x == v {
			return true
		}
	}
	return false
}

// nsIn matches a namespace against names, where a trailing * is a prefix match.
func nsIn(patterns []string, ns string) bool {
	for _, p := range patterns {
		if p == ns || (strings.HasSuffix(p, "*") && strings.HasPrefix(ns, strings.TrimSuffix(p, "*"))) {
			return true
		}
	}
	return false
}
