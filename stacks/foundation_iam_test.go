package stacks

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// statement returns the statement with sid, or fails.
func statement(t *testing.T, d iampolicy.Document, sid string) iampolicy.Statement {
	t.Helper()
	for _, s := range d.Statement {
		if s.Sid == sid {
			return s
		}
	}
	t.Fatalf("no statement %s", sid)
	return iampolicy.Statement{}
}

// inlinePolicy returns the inline policy of a foundation role whose resource id starts with
// prefix.
func inlinePolicy(t *testing.T, d tf, prefix string) iampolicy.Document {
	t.Helper()
	for id, p := range d.resources("aws_iam_role_policy") {
		if strings.HasPrefix(id, prefix) {
			return policyOf(t, p["policy"])
		}
	}
	t.Fatalf("no inline policy %s*", prefix)
	return iampolicy.Document{}
}

// TestLoadBalancerControllerSecurityGroups pins the fix of issue 7 defect 2: the controller
// creates security groups in the cluster's VPC (named by ARN: the vpc resource type has no
// ec2:Vpc key) tagged for its cluster, and deletes or re-tags only groups tagged so.
func TestLoadBalancerControllerSecurityGroups(t *testing.T) {
	d := foundation(t, "dev")
	p := inlinePolicy(t, d, "lbc-identity_policy")
	own := map[string]any{"aws:ResourceTag/elbv2.k8s.aws/cluster": "eks-platform-dev-eks"}

	create := statement(t, p, "CreateSecurityGroupInVPC")
	if len(create.Resource) != 1 || !strings.HasPrefix(create.Resource[0], "${aws_vpc.") || create.Condition != nil {
		t.Errorf("CreateSecurityGroupInVPC = %+v, want the cluster VPC's ARN without condition", create)
	}
	eq(t, "tagged create", statement(t, p, "CreateTaggedSecurityGroup").Condition,
		map[string]any{"StringEquals": map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": "eks-platform-dev-eks"}})
	del := statement(t, p, "DeleteOwnSecurityGroups")
	eq(t, "delete actions", del.Action, []string{"ec2:DeleteSecurityGroup"})
	eq(t, "delete condition", del.Condition, map[string]any{"StringEquals": own})
	retag := statement(t, p, "RetagOwnSecurityGroups")
	eq(t, "retag condition", retag.Condition, map[string]any{
		"Null": map[string]any{"aws:RequestTag/elbv2.k8s.aws/cluster": "true"}, "StringEquals": own})
	for _, s := range p.Statement {
		if slices.Contains(s.Action, "ec2:DeleteSecurityGroup") && !reflect.DeepEqual(s.Condition, map[string]any{"StringEquals": own}) {
			t.Errorf("%s deletes security groups not tagged for the cluster", s.Sid)
		}
	}
}

// TestCiliumOperatorAttachesToOwnNodes pins the fix of issue 7 defect 3: instances are scoped by
// the environment's tags, ENIs, subnets and security groups by the VPC.
func TestCiliumOperatorAttachesToOwnNodes(t *testing.T) {
	d := foundation(t, "dev")
	p := inlinePolicy(t, d, "cilium-operator-identity_policy")
	attach := statement(t, p, "AttachToOwnNodes")
	if len(attach.Resource) != 1 || !strings.HasSuffix(attach.Resource[0], ":instance/*") {
		t.Errorf("AttachToOwnNodes resources = %v", attach.Resource)
	}
	eq(t, "node tags", attach.Condition, map[string]any{"StringEquals": map[string]any{
		"aws:ResourceTag/Project": "eks-platform", "aws:ResourceTag/Environment": "dev"}})
	for _, s := range p.Statement {
		if _, vpc := s.Condition["ArnEquals"]; vpc {
			for _, r := range s.Resource {
				if strings.HasSuffix(r, ":instance/*") {
					t.Errorf("%s conditions instances on ec2:Vpc", s.Sid)
				}
			}
		}
	}
	// The node launch template puts those tags on the instances.
	lt := d.one(t, "aws_launch_template", "")
	found := false
	for _, spec := range lt["tag_specifications"].([]any) {
		m := spec.(map[string]any)
		if m["resource_type"] == "instance" {
			found = true
			tags := m["tags"].(map[string]any)
			eq(t, "instance Project tag", tags["Project"], "eks-platform")
			eq(t, "instance Environment tag", tags["Environment"], "dev")
		}
	}
	if !found {
		t.Error("the launch template does not tag instances")
	}
}
