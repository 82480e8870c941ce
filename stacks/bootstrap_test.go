package stacks

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

const bootstrapTestRepo = "acme/platform"

// synthBootstrap synthesizes the bootstrap stack of dev with validations on, so the tag check
// runs too.
func synthBootstrap(t *testing.T, cfg config.Config, opt BootstrapOptions) tf {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("synth failed: %v", r)
		}
	}()
	app := cdktf.Testing_App(nil)
	stack := NewBootstrapWith(app, &cfg, opt)
	var out tf
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(true))), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// bsPolicy decodes a policy document attribute.
func bsPolicy(t *testing.T, r map[string]any, attr string) iampolicy.Document {
	t.Helper()
	return policyOf(t, r[attr])
}

func TestBootstrap(t *testing.T) {
	cfg := config.Defaults("dev")
	b := synthBootstrap(t, cfg, BootstrapOptions{Repo: bootstrapTestRepo})

	t.Run("state bucket", func(t *testing.T) {
		bucket := b.one(t, "aws_s3_bucket", "")
		if bucket["bucket"] != "eks-platform-dev-tfstate" {
			t.Errorf("bucket = %v, want eks-platform-dev-tfstate", bucket["bucket"])
		}
		if val(bucket, "lifecycle", "prevent_destroy") != true {
			t.Error("state bucket must have prevent_destroy")
		}
		checks := []struct {
			typ  string
			path []any
			want any
		}{
			{"aws_s3_bucket_server_side_encryption_configuration", []any{"rule", "apply_server_side_encryption_by_default", "sse_algorithm"}, "aws:kms"},
			{"aws_s3_bucket_server_side_encryption_configuration", []any{"rule", "apply_server_side_encryption_by_default", "kms_master_key_id"}, "${aws_kms_key.state-key.arn}"},
			{"aws_s3_bucket_server_side_encryption_configuration", []any{"rule", "bucket_key_enabled"}, true},
			{"aws_s3_bucket_versioning", []any{"versioning_configuration", "status"}, "Enabled"},
			{"aws_s3_bucket_public_access_block", []any{"block_public_acls"}, true},
			{"aws_s3_bucket_public_access_block", []any{"block_public_policy"}, true},
			{"aws_s3_bucket_public_access_block", []any{"ignore_public_acls"}, true},
			{"aws_s3_bucket_public_access_block", []any{"restrict_public_buckets"}, true},
			{"aws_s3_bucket_ownership_controls", []any{"rule", "object_ownership"}, "BucketOwnerEnforced"},
			{"aws_s3_bucket_lifecycle_configuration", []any{"rule", "noncurrent_version_expiration", "noncurrent_days"}, float64(90)},
			{"aws_kms_key", []any{"enable_key_rotation"}, true},
			{"aws_kms_alias", []any{"name"}, "alias/eks-platform-dev-tfstate"},
		}
		for _, c := range checks {
			if got := val(b.one(t, c.typ, ""), c.path...); got != c.want {
				t.Errorf("%s %v = %v, want %v", c.typ, c.path, got, c.want)
			}
		}
	})

	t.Run("TLS only", func(t *testing.T) {
		d := bsPolicy(t, b.one(t, "aws_s3_bucket_policy", ""), "policy")
		for _, s := range d.Statement {
			if s.Effect == "Deny" && reflect.DeepEqual(s.Condition, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}) &&
				slices.Contains(s.Action, "s3:*") &&
				slices.Equal(s.Resource, []string{"arn:aws:s3:::eks-platform-dev-tfstate", "arn:aws:s3:::eks-platform-dev-tfstate/*"}) {
				return
			}
		}
		t.Fatalf("no statement denies non-TLS access to the bucket and its objects: %+v", d.Statement)
	})

	t.Run("OIDC trust", func(t *testing.T) {
		oidc := b.one(t, "aws_iam_openid_connect_provider", "")
		if oidc["url"] != "https://token.actions.githubusercontent.com" || !reflect.DeepEqual(oidc["client_id_list"], []any{"sts.amazonaws.com"}) {
			t.Errorf("OIDC provider = %v", oidc)
		}
		base := map[string]any{
			"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
			"token.actions.githubusercontent.com:sub": "repo:acme/platform:environment:dev",
		}
		withRef := map[string]any{"token.actions.githubusercontent.com:ref": "refs/heads/main"}
		for k, v := range base {
			withRef[k] = v
		}
		for _, tt := range []struct {
			id, name string
			want     map[string]any
		}{
			{"plan-role", "eks-platform-dev-github-plan", base},
			{"apply-role", "eks-platform-dev-github-apply", withRef},
		} {
			role := b.one(t, "aws_iam_role", tt.id)
			if role["name"] != tt.name {
				t.Errorf("%s name = %v, want %s", tt.id, role["name"], tt.name)
			}
			if role["permissions_boundary"] != "${aws_iam_policy.permissions-boundary.arn}" {
				t.Errorf("%s permissions_boundary = %v", tt.id, role["permissions_boundary"])
			}
			d := bsPolicy(t, role, "assume_role_policy")
			if len(d.Statement) != 1 {
				t.Fatalf("%s trust policy has %d statements, want 1", tt.id, len(d.Statement))
			}
			s := d.Statement[0]
			want := map[string]any{"StringEquals": tt.want}
			if s.Effect != "Allow" || !slices.Equal(s.Action, []string{"sts:AssumeRoleWithWebIdentity"}) || !reflect.DeepEqual(s.Condition, want) {
				t.Errorf("%s trust statement = %+v, want web identity limited by %v", tt.id, s, want)
			}
			if s.Principal["Federated"] != "${aws_iam_openid_connect_provider.github-oidc.arn}" {
				t.Errorf("%s trusted principal = %v", tt.id, s.Principal)
			}
		}
	})

	t.Run("deploy policies", func(t *testing.T) {
		policies := b.resources("aws_iam_policy")
		if want := len(PlanPolicyParts) + len(ApplyPolicyParts) + 1; len(policies) != want {
			t.Fatalf("%d managed policies, want %d (plan, apply, boundary)", len(policies), want)
		}
		attachedTo := map[string]any{}
		for _, a := range b.resources("aws_iam_role_policy_attachment") {
			attachedTo[a["policy_arn"].(string)] = a["role"]
		}
		for id, p := range policies {
			// IAM counts characters without white space; the account id is 12 digits.
			text := strings.ReplaceAll(p["policy"].(string), "${data.aws_caller_identity.current.account_id}", "123456789012")
			if len(text) > 6144 {
				t.Errorf("policy %s is %d characters; IAM allows 6144", id, len(text))
			}
			role := attachedTo["${aws_iam_policy."+id+".arn}"]
			switch {
			case id == "permissions-boundary":
				if role != nil {
					t.Errorf("the boundary is attached as a permissions policy to %v", role)
				}
			case slices.Contains(PlanPolicyParts, id):
				eq(t, id+" attached to", role, "${aws_iam_role.plan-role.name}")
			case slices.Contains(ApplyPolicyParts, id):
				eq(t, id+" attached to", role, "${aws_iam_role.apply-role.name}")
			default:
				t.Errorf("unexpected policy %s", id)
			}
		}
		apply := roleStatements(t, b, "apply-role")
		if !bsHasAllow(apply, "s3:PutObject", "arn:aws:s3:::eks-platform-dev-tfstate/eks-platform/dev/*") {
			t.Error("the apply role cannot write the state of eks-platform/dev")
		}
		if !bsHasAllow(apply, "iam:CreateRole", "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/eks-platform-dev-*") {
			t.Error("the apply role must create roles under the eks-platform-dev- prefix")
		}
		// Issue 7 defect 1: tagging at creation needs kms:TagResource on every key of the
		// account and Region, not only on keys already tagged; aliases need the key and the alias.
		own := map[string]any{"aws:RequestTag/Project": "eks-platform", "aws:RequestTag/Environment": "dev"}
		var tagNew, createKey, aliasKey, aliasAlias bool
		for _, s := range apply {
			switch {
			case slices.Equal(s.Action, []string{"kms:TagResource"}):
				tagNew = slices.Equal(s.Resource, []string{"arn:aws:kms:us-east-1:${data.aws_caller_identity.current.account_id}:key/*"}) &&
					reflect.DeepEqual(s.Condition["StringEquals"], own)
			case slices.Equal(s.Action, []string{"kms:CreateKey"}):
				createKey = reflect.DeepEqual(s.Condition, map[string]any{"StringEquals": own})
			case slices.Contains(s.Action, "kms:CreateAlias") && slices.Contains(s.Resource, "arn:aws:kms:us-east-1:${data.aws_caller_identity.current.account_id}:key/*"):
				aliasKey = true
			case slices.Contains(s.Action, "kms:CreateAlias") && slices.Contains(s.Resource, "arn:aws:kms:us-east-1:${data.aws_caller_identity.current.account_id}:alias/eks-platform-dev-*"):
				aliasAlias = true
			}
		}
		if !tagNew || !createKey || !aliasKey || !aliasAlias {
			t.Errorf("KMS: tag new keys %v, create tagged keys %v, alias on key %v, alias on alias %v; want all", tagNew, createKey, aliasKey, aliasAlias)
		}
		for _, s := range append(apply, roleStatements(t, b, "plan-role")...) {
			if s.Effect != "Allow" {
				continue
			}
			if slices.Contains(s.Action, "iam:CreateRole") && !slices.Equal(s.Resource, []string{"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/eks-platform-dev-*"}) {
				t.Errorf("iam:CreateRole on %v", s.Resource)
			}
			anyResource := slices.Contains(s.Resource, "*")
			for _, a := range s.Action {
				if a == "*" || (anyResource && strings.HasSuffix(a, ":*")) {
					t.Errorf("statement %s allows %q on %v", s.Sid, a, s.Resource)
				}
			}
		}
	})

	t.Run("tags", func(t *testing.T) {
		defaults := at(t, b, "provider", "aws", 0, "default_tags", "tags").(map[string]any)
		for _, k := range []string{tagging.Project, tagging.Environment, tagging.Workflow, tagging.ManagedBy, tagging.Owner} {
			if defaults[k] == nil || defaults[k] == "" {
				t.Errorf("provider default tag %s missing", k)
			}
		}
		if defaults[tagging.Workflow] != "bootstrap" {
			t.Errorf("Workflow tag = %v, want bootstrap", defaults[tagging.Workflow])
		}
		for _, typ := range []string{"aws_kms_key", "aws_s3_bucket", "aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_policy"} {
			if len(b.resources(typ)) == 0 {
				t.Errorf("no %s", typ)
			}
			for id, r := range b.resources(typ) {
				if val(r, "tags", tagging.Component) == nil {
					t.Errorf("%s.%s has no Component tag", typ, id)
				}
			}
		}
	})

	t.Run("local backend", func(t *testing.T) {
		if got := val(b["terraform"], "backend", "local", "path"); got != "../../../.state/dev/bootstrap.tfstate" {
			t.Errorf("backend path = %v", got)
		}
		if val(b["terraform"], "backend", "s3") != nil {
			t.Error("bootstrap must not use the S3 backend it creates")
		}
	})

	t.Run("outputs", func(t *testing.T) {
		for _, o := range []string{"plan_role_arn", "apply_role_arn", "permissions_boundary_arn", "state_bucket", "state_region"} {
			if val(b, "output", o) == nil {
				t.Errorf("output %s missing", o)
			}
		}
	})
}

// roleStatements returns the statements of the managed policies attached to a bootstrap role.
func roleStatements(t *testing.T, b tf, roleID string) []iampolicy.Statement {
	t.Helper()
	var out []iampolicy.Statement
	policies := b.resources("aws_iam_policy")
	for _, a := range b.resources("aws_iam_role_policy_attachment") {
		if a["role"] != "${aws_iam_role."+roleID+".name}" {
			continue
		}
		id := strings.TrimSuffix(strings.TrimPrefix(a["policy_arn"].(string), "${aws_iam_policy."), ".arn}")
		out = append(out, bsPolicy(t, policies[id], "policy").Statement...)
	}
	if len(out) == 0 {
		t.Fatalf("no policy attached to %s", roleID)
	}
	return out
}

func bsHasAllow(statements []iampolicy.Statement, action, resource string) bool {
	for _, s := range statements {
		if s.Effect == "Allow" && slices.Contains(s.Action, action) && slices.Contains(s.Resource, resource) {
			return true
		}
	}
	return false
}

func TestBootstrapVariants(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*config.Config)
		opt    BootstrapOptions
		verify func(*testing.T, tf)
	}{
		{
			name: "existing OIDC provider",
			opt:  BootstrapOptions{Repo: bootstrapTestRepo, ExistingOIDCProvider: true},
			verify: func(t *testing.T, b tf) {
				if len(b.resources("aws_iam_openid_connect_provider")) != 0 {
					t.Error("the OIDC provider must not be created")
				}
				for _, id := range []string{"plan-role", "apply-role"} {
					s := bsPolicy(t, b.one(t, "aws_iam_role", id), "assume_role_policy").Statement[0]
					if s.Principal["Federated"] != "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" {
						t.Errorf("%s trusted principal = %v", id, s.Principal)
					}
				}
			},
		},
		{
			name: "configured bucket and secret, prod",
			edit: func(c *config.Config) {
				*c = config.Defaults("prod")
				c.State.Bucket = "acme-terraform-state"
				c.Ingress.TokenSecretName = "cloudflare/api-token"
			},
			opt: BootstrapOptions{Repo: "acme/other-repo"},
			verify: func(t *testing.T, b tf) {
				if got := b.one(t, "aws_s3_bucket", "")["bucket"]; got != "acme-terraform-state" {
					t.Errorf("bucket = %v", got)
				}
				for _, id := range []string{"plan-role", "apply-role"} {
					sub := val(bsPolicy(t, b.one(t, "aws_iam_role", id), "assume_role_policy").Statement[0].Condition, "StringEquals", "token.actions.githubusercontent.com:sub")
					if sub != "repo:acme/other-repo:environment:prod" {
						t.Errorf("%s sub = %v", id, sub)
					}
					all := roleStatements(t, b, id)
					if !bsHasAllow(all, "s3:GetObject", "arn:aws:s3:::acme-terraform-state/eks-platform/prod/*") {
						t.Errorf("%s: no state access under eks-platform/prod/", id)
					}
					// The ingress stack reads the token in plans and applies.
					if !bsHasAllow(all, "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:cloudflare/api-token-??????") {
						t.Errorf("%s: no read access to the configured secret", id)
					}
				}
				if val(b["terraform"], "backend", "local", "path") != "../../../.state/prod/bootstrap.tfstate" {
					t.Errorf("backend = %v", val(b, "terraform", "backend"))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Defaults("dev")
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			tt.verify(t, synthBootstrap(t, cfg, tt.opt))
		})
	}
}

func TestBootstrapRejectsBadRepository(t *testing.T) {
	for _, repo := range []string{"", "platform", "acme/platform/extra", "acme/plat form"} {
		t.Run(repo, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(error).Error(), "owner/name") {
					t.Fatalf("NewBootstrap(%q) recover() = %v, want an owner/name error", repo, r)
				}
			}()
			cfg := config.Defaults("dev")
			NewBootstrap(cdktf.Testing_App(nil), &cfg, repo)
		})
	}
}

func TestStateBucketName(t *testing.T) {
	cfg := config.Defaults("staging")
	if got := StateBucketName(&cfg); got != "eks-platform-staging-tfstate" {
		t.Errorf("default = %q", got)
	}
	cfg.State.Bucket = "mine"
	if got := StateBucketName(&cfg); got != "mine" {
		t.Errorf("configured = %q", got)
	}
}
