package objectstore

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
)

const keyARN = "arn:aws:kms:us-east-1:111122223333:key/abc"

func synth(t *testing.T, c Config) (map[string]any, *Store) {
	t.Helper()
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
	provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")})
	s := New(stack, "store", c)
	var out map[string]any
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(false))), &out); err != nil {
		t.Fatal(err)
	}
	return out, s
}

// one returns the single resource of a type.
func one(t *testing.T, out map[string]any, typ string) map[string]any {
	t.Helper()
	rs, ok := out["resource"].(map[string]any)[typ].(map[string]any)
	if !ok || len(rs) != 1 {
		t.Fatalf("want one %s, got %v", typ, rs)
	}
	for _, r := range rs {
		return r.(map[string]any)
	}
	return nil
}

func TestBucketSettings(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		versioning bool
		expiration any // days, or nil
		noncurrent any
	}{
		{"logs expire", Config{Component: "loki", ExpirationDays: 30}, false, float64(30), nil},
		{"backups versioned", Config{Component: "pg-backups", Versioning: true, NoncurrentExpirationDays: 7}, true, nil, float64(7)},
		{"versioned default noncurrent", Config{Component: "snapshots", Versioning: true, ExpirationDays: 90}, true, float64(90), float64(30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.Names = naming.New("p", "dev")
			c.KMSKeyARN = jsii.String(keyARN)
			out, _ := synth(t, c)

			b := one(t, out, "aws_s3_bucket")
			if name := b["bucket"].(string); !strings.Contains(name, "p-dev-"+c.Component) || !strings.Contains(name, "account_id") {
				t.Errorf("bucket name = %s, want p-dev-%s joined with the account id", name, c.Component)
			}
			if b["force_destroy"] != false {
				t.Errorf("force_destroy = %v, want false by default", b["force_destroy"])
			}
			if b["tags"].(map[string]any)["Component"] != c.Component {
				t.Errorf("tags = %v", b["tags"])
			}

			enc := one(t, out, "aws_s3_bucket_server_side_encryption_configuration")
			rule := enc["rule"].([]any)[0].(map[string]any)
			def := rule["apply_server_side_encryption_by_default"].(map[string]any)
			if def["sse_algorithm"] != "aws:kms" || def["kms_master_key_id"] != keyARN || rule["bucket_key_enabled"] != true {
				t.Errorf("encryption = %v", rule)
			}

			pab := one(t, out, "aws_s3_bucket_public_access_block")
			for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
				if pab[k] != true {
					t.Errorf("public access block %s = %v", k, pab[k])
				}
			}
			own := one(t, out, "aws_s3_bucket_ownership_controls")
			if own["rule"].(map[string]any)["object_ownership"] != "BucketOwnerEnforced" {
				t.Errorf("ownership = %v", own)
			}
			pol := one(t, out, "aws_s3_bucket_policy")["policy"].(string)
			for _, want := range []string{"DenyInsecureTransport", "aws:SecureTransport", `"false"`, `"s3:*"`} {
				if !strings.Contains(pol, want) {
					t.Errorf("bucket policy lacks %s: %s", want, pol)
				}
			}

			_, versioned := out["resource"].(map[string]any)["aws_s3_bucket_versioning"]
			if versioned != tt.versioning {
				t.Errorf("versioning resource present = %v, want %v", versioned, tt.versioning)
			}
			lc := one(t, out, "aws_s3_bucket_lifecycle_configuration")["rule"].([]any)[0].(map[string]any)
			if lc["abort_incomplete_multipart_upload"].([]any)[0].(map[string]any)["days_after_initiation"] != float64(7) {
				t.Errorf("abort incomplete uploads = %v", lc["abort_incomplete_multipart_upload"])
			}
			if got := daysOf(lc, "expiration"); got != tt.expiration {
				t.Errorf("expiration days = %v, want %v", got, tt.expiration)
			}
			if got := daysOf(lc, "noncurrent_version_expiration"); got != tt.noncurrent {
				t.Errorf("noncurrent expiration days = %v, want %v", got, tt.noncurrent)
			}
		})
	}
}

func daysOf(rule map[string]any, key string) any {
	v, ok := rule[key].([]any)
	if !ok || len(v) == 0 {
		return nil
	}
	m := v[0].(map[string]any)
	if d, ok := m["days"]; ok {
		return d
	}
	return m["noncurrent_days"]
}

func TestAccessIsScopedToTheBucket(t *testing.T) {
	_, s := synth(t, Config{Names: naming.New("p", "dev"), Component: "mimir", KMSKeyARN: jsii.String(keyARN)})
	tests := []struct {
		name      string
		st        []iampolicy.Statement
		writes    bool
		keyAction string
	}{
		{"read-write", s.ReadWrite(), true, "kms:GenerateDataKey"},
		{"read-only", s.ReadOnly(), false, "kms:Decrypt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := iampolicy.New(tt.st...)
			if err := doc.Validate(); err != nil {
				t.Fatal(err)
			}
			var puts bool
			var keyOK bool
			for _, st := range tt.st {
				for _, r := range st.Resource {
					if r == "*" {
						t.Errorf("statement %s allows every resource", st.Sid)
					}
				}
				for _, a := range st.Action {
					switch {
					case a == "s3:PutObject" || a == "s3:DeleteObject":
						puts = true
						if st.Resource[0] != *s.ARN()+"/*" {
							t.Errorf("%s on %v, want the bucket's objects", a, st.Resource)
						}
					case a == tt.keyAction:
						keyOK = st.Resource[0] == keyARN
					case a == "s3:ListBucket" && st.Resource[0] != *s.ARN():
						t.Errorf("ListBucket on %v, want the bucket", st.Resource)
					}
				}
			}
			if puts != tt.writes {
				t.Errorf("writes allowed = %v, want %v", puts, tt.writes)
			}
			if !keyOK {
				t.Errorf("no %s on the bucket's key", tt.keyAction)
			}
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	for _, c := range []Config{
		{KMSKeyARN: jsii.String(keyARN)},
		{Component: "x"},
		{Component: "x", KMSKeyARN: jsii.String(keyARN), ExpirationDays: -1},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", c)
		}
	}
	long := Config{Names: naming.New("project", "staging"), Component: strings.Repeat("a", 40), KMSKeyARN: jsii.String(keyARN)}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "S3 bucket") {
			t.Errorf("a name over the S3 limit did not panic with the kind: %v", r)
		}
	}()
	synth(t, long)
}
