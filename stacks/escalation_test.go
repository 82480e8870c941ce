package stacks

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/iamfacts"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// escalation is what the escalation check reads from a bootstrap stack.
type escalation struct {
	plan, apply []iampolicy.Statement
	boundary    iampolicy.Document
	// boundaryARN is the boundary as the apply role's conditions name it.
	boundaryARN string
	// roleBoundaries are the permissions_boundary attributes of the plan and apply roles, and
	// boundaryRef is what they must be (a reference to the boundary policy).
	roleBoundaries map[string]any
	boundaryRef    string
	// protected are the ARNs the boundary must shield from every role: the deploy roles,
	// their policies, the boundary itself.
	protected []string
}

// readOnlyVerbs start the names of actions that only read.
var readOnlyVerbs = []string{"Describe", "Get", "List"}

// lockExceptions are the plan role's only writes: the S3 backend's lock object (use_lockfile)
// and the state key operations that reading state and writing the encrypted lock need.
func planException(s iampolicy.Statement, action string) bool {
	switch action {
	case "s3:PutObject", "s3:DeleteObject":
		for _, r := range s.Resource {
			if !strings.HasSuffix(r, ".tflock") {
				return false
			}
		}
		return len(s.Resource) > 0
	case "kms:Decrypt", "kms:GenerateDataKey":
		return true // on the state key only: checked by TestBootstrapEscalation
	}
	return false
}

// escalationProblems returns every way in which the deploy roles could write (plan) or grant
// themselves more than the boundary (apply), or the boundary fails to hold.
func escalationProblems(table *iamfacts.Table, e escalation) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	for role, got := range e.roleBoundaries {
		if got != e.boundaryRef {
			bad("%s has permissions boundary %v, want %s", role, got, e.boundaryRef)
		}
	}
	for _, s := range e.plan {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			_, verb, _ := strings.Cut(a, ":")
			read := false
			for _, v := range readOnlyVerbs {
				read = read || strings.HasPrefix(verb, v)
			}
			if !read && !planException(s, a) {
				bad("plan role may write: %s (statement %s on %v)", a, s.Sid, s.Resource)
			}
		}
	}
	userActions := []string{"iam:CreateUser", "iam:CreateAccessKey", "iam:AttachUserPolicy", "iam:PutUserPolicy",
		"iam:CreateLoginProfile", "iam:AddUserToGroup", "iam:PutUserPermissionsBoundary", "iam:UpdateAccessKey"}
	for _, s := range e.apply {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			needs := slices.DeleteFunc(table.ActionsWithKey(a, "iam:PermissionsBoundary"), func(name string) bool {
				_, verb, _ := strings.Cut(name, ":")
				return strings.HasPrefix(verb, "Get") || strings.HasPrefix(verb, "List") // reads
			})
			if len(needs) > 0 &&
				!reflect.DeepEqual(condValue(s, "StringEquals", "iam:PermissionsBoundary"), e.boundaryARN) {
				bad("apply role: %s (%s) writes roles without the permissions boundary condition (statement %s)", a, strings.Join(needs, ", "), s.Sid)
			}
			for _, u := range userActions {
				if iamfacts.ActionMatches(a, u) {
					bad("apply role may call %s (statement %s)", u, s.Sid)
				}
			}
			if iamfacts.ActionMatches(a, "iam:PassRole") && condValue(s, "StringEquals", "iam:PassedToService") == nil {
				bad("apply role passes roles to any service (statement %s)", s.Sid)
			}
			if iamfacts.ActionMatches(a, "iam:CreateServiceLinkedRole") && condValue(s, "StringEquals", "iam:AWSServiceName") == nil {
				bad("apply role creates any service-linked role (statement %s)", s.Sid)
			}
		}
	}

	denies := func(action, resource string, cond map[string]any) bool {
		for _, s := range e.boundary.Statement {
			if s.Effect != "Deny" || !reflect.DeepEqual(s.Condition, cond) && !(cond == nil && len(s.Condition) == 0) {
				continue
			}
			actionOK := slices.ContainsFunc(s.Action, func(p string) bool { return iamfacts.ActionMatches(p, action) })
			resourceOK := slices.ContainsFunc(s.Resource, func(p string) bool {
				return p == resource || globMatch(terraformRef.ReplaceAllString(p, "*"), resource)
			})
			if actionOK && resourceOK {
				return true
			}
		}
		return false
	}
	without := map[string]any{"StringNotEquals": map[string]any{"iam:PermissionsBoundary": e.boundaryARN}}
	anyRole := "arn:aws:iam::123456789012:role/anything"
	for _, a := range []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"} {
		if !denies(a, anyRole, without) {
			bad("boundary does not deny %s without the boundary", a)
		}
	}
	if !denies("iam:DeleteRolePermissionsBoundary", anyRole, nil) {
		bad("boundary does not deny removing a role's boundary")
	}
	for _, a := range userActions {
		if !denies(a, "*", nil) {
			bad("boundary does not deny %s", a)
		}
	}
	for _, a := range []string{"organizations:LeaveOrganization", "organizations:CreateAccount", "organizations:DetachPolicy"} {
		if !denies(a, "*", nil) {
			bad("boundary does not deny %s", a)
		}
	}
	for _, arn := range e.protected {
		for _, a := range []string{"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeleteRole"} {
			if !denies(a, arn, nil) {
				bad("boundary does not deny %s on %s", a, arn)
			}
		}
	}
	return out
}

// terraformRef is a ${...} reference inside a synthesized string.
var terraformRef = regexp.MustCompile(`\$\{[^}]*\}`)

// condValue returns Condition[op][key], or nil.
func condValue(s iampolicy.Statement, op, key string) any {
	m, _ := s.Condition[op].(map[string]any)
	return m[key]
}

// globMatch matches an IAM resource pattern (* and ?) against an ARN.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}

// bootstrapEscalation reads the escalation inputs from a synthesized bootstrap stack.
func bootstrapEscalation(t *testing.T, b tf) escalation {
	t.Helper()
	const acct = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:"
	policies := b.resources("aws_iam_policy")
	boundaryPolicy := policies["permissions-boundary"]
	if boundaryPolicy == nil {
		t.Fatal("no permissions-boundary policy")
	}
	e := escalation{
		plan:           roleStatements(t, b, "plan-role"),
		apply:          roleStatements(t, b, "apply-role"),
		boundary:       bsPolicy(t, boundaryPolicy, "policy"),
		boundaryARN:    acct + "policy/" + boundaryPolicy["name"].(string),
		boundaryRef:    "${aws_iam_policy.permissions-boundary.arn}",
		roleBoundaries: map[string]any{},
	}
	for id, r := range b.resources("aws_iam_role") {
		e.roleBoundaries[id] = r["permissions_boundary"]
		e.protected = append(e.protected, acct+"role/"+r["name"].(string))
	}
	for _, p := range policies {
		e.protected = append(e.protected, acct+"policy/"+p["name"].(string))
	}
	slices.Sort(e.protected)
	return e
}

// TestBootstrapEscalation runs the escalation check on the bootstrap stack of every environment.
func TestBootstrapEscalation(t *testing.T) {
	table, err := iamfacts.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{"dev", "staging", "prod"} {
		t.Run(env, func(t *testing.T) {
			cfg := *loadEnv(t, env)
			cfg.Ingress.TokenSecretName = "cloudflare/api-token" // the plan role reads it too
			b := synthBootstrap(t, cfg, BootstrapOptions{Repo: bootstrapTestRepo})
			e := bootstrapEscalation(t, b)
			if len(e.protected) != len(PlanPolicyParts)+len(ApplyPolicyParts)+1+2 {
				t.Errorf("protected ARNs = %v", e.protected)
			}
			for _, p := range escalationProblems(table, e) {
				t.Error(p)
			}
			stateKey := "${aws_kms_key.state-key.arn}"
			for _, s := range e.plan {
				for _, a := range s.Action {
					if strings.HasPrefix(a, "kms:") && !strings.HasPrefix(a, "kms:Describe") && !strings.HasPrefix(a, "kms:Get") &&
						!strings.HasPrefix(a, "kms:List") && !slices.Equal(s.Resource, []string{stateKey}) {
						t.Errorf("plan role uses %s on %v, want the state key only", a, s.Resource)
					}
				}
			}
		})
	}
}

// TestEscalationCheckFails feeds the check deploy roles that must fail it.
func TestEscalationCheckFails(t *testing.T) {
	table, err := iamfacts.Load()
	if err != nil {
		t.Fatal(err)
	}
	good := bootstrapEscalation(t, synthBootstrap(t, *loadEnv(t, "dev"), BootstrapOptions{Repo: bootstrapTestRepo}))
	if p := escalationProblems(table, good); len(p) > 0 {
		t.Fatalf("the synthesized roles fail: %v", p)
	}
	without := func(d iampolicy.Document, sid string) iampolicy.Document {
		out := iampolicy.Document{Version: d.Version, Boundary: d.Boundary}
		for _, s := range d.Statement {
			if s.Sid != sid {
				out.Statement = append(out.Statement, s)
			}
		}
		if len(out.Statement) == len(d.Statement) {
			t.Fatalf("no statement %s", sid)
		}
		return out
	}
	tests := []struct {
		name string
		edit func(*escalation)
		want string
	}{
		{"plan writes state", func(e *escalation) {
			e.plan = append(e.plan, iampolicy.Allow("W", []string{"s3:PutObject"}, "arn:aws:s3:::b/eks-platform/dev/*"))
		}, "plan role may write: s3:PutObject"},
		{"plan tags", func(e *escalation) {
			e.plan = append(e.plan, iampolicy.Allow("T", []string{"ec2:CreateTags"}, "*"))
		}, "plan role may write: ec2:CreateTags"},
		{"role without boundary", func(e *escalation) {
			e.apply = append(e.apply, iampolicy.Allow("R", []string{"iam:CreateRole"}, "arn:aws:iam::1:role/x-*"))
		}, "iam:CreateRole (iam:CreateRole) writes roles without"},
		{"inline policy with another boundary", func(e *escalation) {
			s := iampolicy.Allow("P", []string{"iam:PutRolePolicy"}, "arn:aws:iam::1:role/x-*")
			s.Condition = map[string]any{"StringEquals": map[string]any{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/weak"}}
			e.apply = append(e.apply, s)
		}, "iam:PutRolePolicy (iam:PutRolePolicy) writes roles without"},
		{"IAM wildcard", func(e *escalation) {
			e.apply = append(e.apply, iampolicy.Allow("W", []string{"iam:Put*"}, "arn:aws:iam::1:role/x-*"))
		}, "writes roles without the permissions boundary"},
		{"users", func(e *escalation) {
			e.apply = append(e.apply, iampolicy.Allow("U", []string{"iam:CreateAccessKey"}, "*"))
		}, "apply role may call iam:CreateAccessKey"},
		{"pass any role", func(e *escalation) {
			e.apply = append(e.apply, iampolicy.Allow("P", []string{"iam:PassRole"}, "arn:aws:iam::1:role/x-*"))
		}, "passes roles to any service"},
		{"apply role unbounded", func(e *escalation) { e.roleBoundaries["apply-role"] = nil }, "apply-role has permissions boundary <nil>"},
		{"no Organizations deny", func(e *escalation) { e.boundary = without(e.boundary, "DenyOrganizations") }, "does not deny organizations:"},
		{"boundary removable", func(e *escalation) { e.boundary = without(e.boundary, "DenyBoundaryRemoval") }, "does not deny removing"},
		{"roles without boundary", func(e *escalation) { e.boundary = without(e.boundary, "DenyRoleWritesWithoutBoundary") }, "does not deny iam:CreateRole without"},
		{"users allowed", func(e *escalation) { e.boundary = without(e.boundary, "DenyUsersGroupsAndKeys") }, "does not deny iam:CreateUser"},
		{"deploy roles editable", func(e *escalation) { e.boundary = without(e.boundary, "DenyDeployRolesAndBoundary") }, "does not deny iam:PutRolePolicy on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := good
			e.plan = slices.Clone(good.plan)
			e.apply = slices.Clone(good.apply)
			e.roleBoundaries = map[string]any{}
			for k, v := range good.roleBoundaries {
				e.roleBoundaries[k] = v
			}
			tt.edit(&e)
			got := strings.Join(escalationProblems(table, e), "\n")
			if !strings.Contains(got, tt.want) {
				t.Fatalf("problems = %q, want one with %q", got, tt.want)
			}
		})
	}
}

// TestPlanRoleReadsTheCluster checks that the foundation gives the bootstrap's plan role read
// access to the cluster (Helm plans read release Secrets), and nothing more.
func TestPlanRoleReadsTheCluster(t *testing.T) {
	d := foundation(t, "dev")
	entry := d.one(t, "aws_eks_access_entry", "plan-role-access")
	principal := entry["principal_arn"].(string)
	if !strings.HasPrefix(principal, "arn:${data.aws_partition.") || !strings.HasSuffix(principal, ".account_id}:role/eks-platform-dev-github-plan") {
		t.Errorf("plan role principal = %s", principal)
	}
	assoc := d.one(t, "aws_eks_access_policy_association", "plan-role-access-policy")
	if p := assoc["policy_arn"].(string); !strings.HasSuffix(p, ".partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy") {
		t.Errorf("plan role access policy = %s", p)
	}
	eq(t, "plan role access scope", val(assoc, "access_scope", "type"), "cluster")
}
