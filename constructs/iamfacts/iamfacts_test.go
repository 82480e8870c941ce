package iamfacts

import (
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

func load(t *testing.T) *Table {
	t.Helper()
	table, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return table
}

func TestFactsHeader(t *testing.T) {
	table := load(t)
	if table.Date != "2026-11-29" {
		t.Errorf("date = %q", table.Date)
	}
	if len(table.Source) == 0 || !strings.HasPrefix(table.Source[0], "https://docs.aws.amazon.com/service-authorization/") {
		t.Errorf("source = %v", table.Source)
	}
	for _, k := range []string{"aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"} {
		if keyIn(k, table.GlobalConditionKeys) {
			t.Errorf("%s must not be global: it applies only where an action or resource type lists it", k)
		}
	}
}

func TestParseRejectsUndefinedResourceType(t *testing.T) {
	_, err := Parse([]byte(`{"services": {"ec2": {"resourceTypes": {}, "actions": {"AttachNetworkInterface": {"resources": {"instance": []}}}}}}`))
	if err == nil || !strings.Contains(err.Error(), `"instance"`) {
		t.Fatalf("Parse = %v, want an undefined resource type error", err)
	}
}

// TestCheck holds cases that must pass and cases that must fail, among them the defects the
// review of issue 7 found: an ec2:Vpc condition on instances (AttachNetworkInterface), and on
// the vpc resource of CreateSecurityGroup.
func TestCheck(t *testing.T) {
	const acct = "111122223333"
	vpc := "arn:aws:ec2:us-east-1:" + acct + ":vpc/vpc-0abc"
	inVPC := map[string]any{"ArnEquals": map[string]any{"ec2:Vpc": vpc}}
	stmt := func(actions []string, resources []string, cond map[string]any) iampolicy.Document {
		return iampolicy.New(iampolicy.Statement{Sid: "S", Effect: "Allow", Action: actions, Resource: resources, Condition: cond})
	}
	tests := []struct {
		name    string
		doc     iampolicy.Document
		wantErr string // "" passes
	}{
		{"describe on any", stmt([]string{"ec2:DescribeInstances"}, []string{"*"}, nil), ""},
		{"made-up action", stmt([]string{"ec2:AttachNetworkInterfaces"}, []string{"*"}, nil), "is not an action of the fact table"},
		{"made-up service", stmt([]string{"ec3:DescribeInstances"}, []string{"*"}, nil), "is not an action of the fact table"},
		{"wildcard matching nothing", stmt([]string{"ec2:Frobnicate*"}, []string{"*"}, nil), "matches no action"},
		{"wildcard", stmt([]string{"eks:Describe*"}, []string{"arn:aws:eks:us-east-1:" + acct + ":cluster/c"}, nil), ""},
		{"case-insensitive action", stmt([]string{"EC2:describeinstances"}, []string{"*"}, nil), ""},
		{"ec2:Vpc on instance (defect 3)", stmt([]string{"ec2:AttachNetworkInterface"},
			[]string{"arn:aws:ec2:*:" + acct + ":network-interface/*", "arn:aws:ec2:*:" + acct + ":instance/*"}, inVPC),
			"condition key ec2:Vpc is not available for ec2:AttachNetworkInterface on instance"},
		{"ec2:Vpc on network interfaces only", stmt([]string{"ec2:AttachNetworkInterface"},
			[]string{"arn:aws:ec2:*:" + acct + ":network-interface/*"}, inVPC), ""},
		{"instances by tag", stmt([]string{"ec2:AttachNetworkInterface"}, []string{"arn:aws:ec2:*:" + acct + ":instance/*"},
			map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/Environment": "dev"}}), ""},
		{"ec2:Vpc on the vpc of CreateSecurityGroup (defect 2)", stmt([]string{"ec2:CreateSecurityGroup"},
			[]string{"arn:aws:ec2:*:" + acct + ":vpc/*"}, inVPC), "ec2:Vpc is not available for ec2:CreateSecurityGroup on vpc"},
		{"ec2:VpcID on the vpc of CreateSecurityGroup", stmt([]string{"ec2:CreateSecurityGroup"},
			[]string{"arn:aws:ec2:*:" + acct + ":vpc/*"}, map[string]any{"StringEquals": map[string]any{"ec2:VpcID": "vpc-0abc"}}), ""},
		{"request tag on a parent resource", stmt([]string{"ec2:CreateSubnet"},
			[]string{"arn:aws:ec2:*:" + acct + ":vpc/*"}, map[string]any{"StringEquals": map[string]any{"aws:RequestTag/Project": "p"}}),
			"aws:RequestTag/Project is not available for ec2:CreateSubnet on vpc"},
		{"IfExists tolerates an absent key", stmt([]string{"ec2:CreateSecurityGroup"},
			[]string{"arn:aws:ec2:*:" + acct + ":vpc/*"}, map[string]any{"ArnEqualsIfExists": map[string]any{"ec2:Vpc": vpc}}), ""},
		{"ARN of the wrong type", stmt([]string{"ec2:DeleteSecurityGroup"}, []string{"arn:aws:ec2:*:" + acct + ":subnet/*"}, nil),
			"authorizes none of the statement's resources"},
		{"bucket action on objects", stmt([]string{"s3:ListBucket"}, []string{"arn:aws:s3:::b/*"}, nil), "authorizes none"},
		{"object action on objects", stmt([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/state/*"}, nil), ""},
		{"resource no action authorizes", stmt([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*", "arn:aws:s3:::b"}, nil),
			"resource arn:aws:s3:::b matches no resource type"},
		{"specific ARN for a *-only action", stmt([]string{"eks:CreateCluster"}, []string{"arn:aws:eks:us-east-1:" + acct + ":cluster/c"}, nil),
			`only "*"`},
		{"request tags of CreateCluster", stmt([]string{"eks:CreateCluster"}, []string{"*"},
			map[string]any{"StringEquals": map[string]any{"aws:RequestTag/Project": "p"}}), ""},
		{"resource tag of a KMS key (resource type key)", stmt([]string{"kms:DescribeKey"}, []string{"arn:aws:kms:us-east-1:" + acct + ":key/*"},
			map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/Project": "p"}}), ""},
		{"encryption context on DescribeKey", stmt([]string{"kms:DescribeKey"}, []string{"*"},
			map[string]any{"StringEquals": map[string]any{"kms:EncryptionContext:aws:logs:arn": "x"}}), "is not available for kms:DescribeKey"},
		{"boundary condition on CreateRole", stmt([]string{"iam:CreateRole"}, []string{"arn:aws:iam::" + acct + ":role/p-*"},
			map[string]any{"StringEquals": map[string]any{"iam:PermissionsBoundary": "arn:aws:iam::" + acct + ":policy/b"}}), ""},
		{"global key", stmt([]string{"ec2:CreateTags"}, []string{"*"}, map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": "us-east-1"}}), ""},
		{"made-up condition key", stmt([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"},
			map[string]any{"StringEquals": map[string]any{"s3:Colour": "blue"}}), "s3:Colour is not available"},
		{"service wildcard", stmt([]string{"iam:*"}, []string{"arn:aws:iam::" + acct + ":role/x"}, nil), ""},
		{"service wildcard, foreign ARN", stmt([]string{"iam:*"}, []string{"arn:aws:s3:::b"}, nil), "matches no resource type"},
		{"GitHub trust", iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: map[string]any{"Federated": "x"},
			Action: []string{"sts:AssumeRoleWithWebIdentity"}, Condition: map[string]any{"StringEquals": map[string]any{
				"token.actions.githubusercontent.com:sub": "repo:a/b:environment:dev",
				"token.actions.githubusercontent.com:ref": "refs/heads/main",
			}}}), ""},
		{"made-up trust key", iampolicy.New(iampolicy.Statement{Effect: "Allow", Principal: map[string]any{"Federated": "x"},
			Action: []string{"sts:AssumeRole"}, Condition: map[string]any{"StringEquals": map[string]any{"sts:Colour": "x"}}}),
			"sts:Colour is not available"},
	}
	table := load(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var msgs []string
			for _, p := range table.Check(tt.doc) {
				msgs = append(msgs, p.String())
			}
			got := strings.Join(msgs, "\n")
			if tt.wantErr == "" && got != "" {
				t.Fatalf("Check() = %s, want no problem", got)
			}
			if tt.wantErr != "" && !strings.Contains(got, tt.wantErr) {
				t.Fatalf("Check() = %q, want a problem with %q", got, tt.wantErr)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	table := load(t)
	doc := iampolicy.New(iampolicy.Allow("S", []string{"ec2:DescribeInstances", "ec2:MadeUp", "foo:Bar"}, "*"))
	if got := strings.Join(table.Missing(doc), ","); got != "ec2:MadeUp,foo:Bar" {
		t.Errorf("Missing = %s", got)
	}
}

func TestResolveTerraform(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"${aws_vpc.network_vpc_1234.arn}", "arn:*:ec2:*:*:vpc/*", ""},
		{"${aws_s3_bucket.b.arn}/*", "arn:*:s3:::*/*", ""},
		{"arn:${data.aws_partition.p.partition}:ec2:*:${data.aws_caller_identity.c.account_id}:subnet/*", "arn:*:ec2:*:*:subnet/*", ""},
		{"${aws_lambda_function.f.arn}", "*", "aws_lambda_function"},
	}
	for _, tt := range tests {
		got, err := ResolveTerraform(tt.in)
		if got != tt.want || (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ResolveTerraform(%q) = %q, %v; want %q, error with %q", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestARNMatches(t *testing.T) {
	tests := []struct {
		pattern, format string
		want            bool
	}{
		{"arn:aws:s3:::b", "arn:${Partition}:s3:::${BucketName}", true},
		{"arn:aws:s3:::b/*", "arn:${Partition}:s3:::${BucketName}", false},
		{"arn:aws:s3:::b/k/*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", true},
		{"arn:aws:iam::1:role/aws-service-role/x/*", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", true},
		{"arn:aws:ssm:us-east-1::parameter/aws/service/eks/*", "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}", true},
		{"arn:aws:secretsmanager:r:1:secret:n-??????", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}", true},
		{"*", "arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}", true},
		{"arn:aws:ec2:*:1:subnet/*", "arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}", false},
	}
	for _, tt := range tests {
		if got := arnMatches(tt.pattern, tt.format); got != tt.want {
			t.Errorf("arnMatches(%q, %q) = %v, want %v", tt.pattern, tt.format, got, tt.want)
		}
	}
}
