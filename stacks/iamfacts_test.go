package stacks

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/iamfacts"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// foundPolicy is one policy document of a synthesized stack and where it is.
type foundPolicy struct {
	where string // env/stack/resource type.name.attribute
	doc   iampolicy.Document
}

// policyDocuments returns every policy document of a synthesized stack: each string attribute,
// at any depth, of any resource or data source that is a jsonencode() of an object with a
// Statement. Identity and inline policies, trust policies, key and bucket policies all are,
// whatever the resource type, so new stacks are covered without new code here.
func policyDocuments(t *testing.T, prefix string, stack tf) []foundPolicy {
	t.Helper()
	var out []foundPolicy
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(where+"."+k, x[k])
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", where, i), e)
			}
		case string:
			if !strings.HasPrefix(x, "${jsonencode(") || !strings.Contains(x, "Statement") {
				return
			}
			v, err := decodeJSONEncode(x)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				return
			}
			if m, ok := v.(map[string]any); ok && m["Statement"] != nil {
				out = append(out, foundPolicy{where: where, doc: policyOf(t, x)})
			}
		}
	}
	for _, block := range []string{"resource", "data"} {
		walk(prefix, stack[block])
	}
	return out
}

// allPolicies synthesizes every stack of every environment (as the registry builds them) and
// the bootstrap stack of each, and returns all their policy documents.
func allPolicies(t *testing.T) []foundPolicy {
	t.Helper()
	var out []foundPolicy
	for _, env := range []string{"dev", "staging", "prod"} {
		stacks := synthPlatform(t, env, "", nil)
		ids := make([]string, 0, len(stacks))
		for id := range stacks {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			out = append(out, policyDocuments(t, env+"/"+id, stacks[id])...)
		}
		b := synthBootstrap(t, *loadEnv(t, env), BootstrapOptions{Repo: bootstrapTestRepo})
		out = append(out, policyDocuments(t, env+"/"+BootstrapID, b)...)
	}
	return out
}

// TestIAMAgainstServiceAuthorizationReference checks every statement of every synthesized
// policy against the fact table (constructs/iamfacts/facts.json): the action exists, each
// resource is of a type the action authorizes, each condition key applies to what the
// statement covers. An action missing from the table fails the test with the list of all of
// them; add their facts from the Service Authorization Reference.
func TestIAMAgainstServiceAuthorizationReference(t *testing.T) {
	table, err := iamfacts.Load()
	if err != nil {
		t.Fatal(err)
	}
	policies := allPolicies(t)
	if len(policies) < 20 {
		t.Fatalf("found only %d policy documents; the walker is broken", len(policies))
	}
	var docs []iampolicy.Document
	for _, p := range policies {
		docs = append(docs, p.doc)
		for _, problem := range table.CheckTerraform(p.doc) {
			if problem.MissingAction == "" {
				t.Errorf("%s: %s", p.where, problem)
			}
		}
	}
	if missing := table.Missing(docs...); len(missing) > 0 {
		t.Errorf("actions used but missing from constructs/iamfacts/facts.json (a made-up action, or add its facts from the Service Authorization Reference):\n  %s",
			strings.Join(missing, "\n  "))
	}
}

// TestIAMFactsMissing lists, with -v, the actions the synthesized policies use that the fact
// table lacks (IAMFACTS_MISSING=1 go test ./stacks -run TestIAMFactsMissing -v). It fails
// nothing: TestIAMAgainstServiceAuthorizationReference does.
func TestIAMFactsMissing(t *testing.T) {
	if os.Getenv("IAMFACTS_MISSING") == "" {
		t.Skip("set IAMFACTS_MISSING=1 to list actions missing from the fact table")
	}
	table, err := iamfacts.Load()
	if err != nil {
		t.Fatal(err)
	}
	var docs []iampolicy.Document
	for _, p := range allPolicies(t) {
		docs = append(docs, p.doc)
	}
	for _, a := range table.Missing(docs...) {
		fmt.Println(a)
	}
}

// TestEveryRoleHasTheBoundary checks that every IAM role of every stack of every environment
// carries the environment's permissions boundary: without it the apply role may not create the
// role (iam:PermissionsBoundary), and the apply fails.
func TestEveryRoleHasTheBoundary(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		want := "arn:${data.aws_partition.boundary-partition.partition}:iam::${data.aws_caller_identity.boundary-account.account_id}:policy/eks-platform-" + env + "-permissions-boundary"
		roles := 0
		for id, stack := range synthPlatform(t, env, "", nil) {
			for name, r := range stack.resources("aws_iam_role") {
				roles++
				if r["permissions_boundary"] != want {
					t.Errorf("%s/%s: aws_iam_role.%s permissions_boundary = %v, want %s", env, id, name, r["permissions_boundary"], want)
				}
			}
		}
		if roles < 5 {
			t.Errorf("%s: only %d roles found", env, roles)
		}
	}
}
