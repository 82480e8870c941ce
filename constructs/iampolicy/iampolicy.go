// Package iampolicy builds IAM policy documents as typed Go values, and refuses the shapes that
// least privilege forbids (a wildcard action on a wildcard resource).
package iampolicy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/platformeng/eks-platform/constructs/tfexpr"
)

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
	// Boundary marks a permissions boundary: it only caps what roles' own policies grant, so
	// it may allow a service wildcard ("ec2:*") on every resource. "*" stays forbidden.
	Boundary bool `json:"-"`
}

// Statement is one IAM statement. Principal and Condition are free-form because their shapes
// vary by policy type.
type Statement struct {
	Sid       string         `json:"Sid,omitempty"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal,omitempty"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource,omitempty"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// New returns a document of statements.
func New(st ...Statement) Document { return Document{Version: "2012-10-17", Statement: st} }

// NewBoundary returns a permissions boundary document of statements.
func NewBoundary(st ...Statement) Document {
	d := New(st...)
	d.Boundary = true
	return d
}

// Allow is an Allow statement on resources.
func Allow(sid string, actions []string, resources ...string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// Validate rejects statements that allow every action, or, in identity policies, a service
// wildcard on every resource (e.g. "ec2:*" on "*"). In a resource policy (a statement with a
// Principal, such as a KMS key policy) Resource "*" means the resource itself; a permissions
// boundary grants nothing by itself, so it may name services by wildcard.
func (d Document) Validate() error {
	for i, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		anyResource := false
		for _, r := range s.Resource {
			if r == "*" && s.Principal == nil && !d.Boundary {
				anyResource = true
			}
		}
		for _, a := range s.Action {
			if a == "*" {
				return fmt.Errorf("iampolicy: statement %d (%s) allows action \"*\"", i, s.Sid)
			}
			if anyResource && strings.HasSuffix(a, ":*") {
				return fmt.Errorf("iampolicy: statement %d (%s) allows %q on every resource", i, s.Sid, a)
			}
		}
	}
	return nil
}

// JSON renders the document; invalid documents are programming errors and panic.
func (d Document) JSON() string {
	if err := d.Validate(); err != nil {
		panic(err)
	}
	out, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	return string(out)
}

// Expr renders the document as a Terraform jsonencode() expression. Unlike a JSON string with
// interpolations inside, it stays valid, readable HCL in the synthesized (golden) Terraform.
// Invalid documents are programming errors and panic.
func (d Document) Expr() *string {
	var v any
	if err := json.Unmarshal([]byte(d.JSON()), &v); err != nil {
		panic(err)
	}
	return tfexpr.JSONEncode(v)
}

// AssumeRole is a trust policy for an AWS service principal (e.g. "eks.amazonaws.com").
func AssumeRole(service string, extraActions ...string) Document {
	return New(Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Service": service},
		Action:    append([]string{"sts:AssumeRole"}, extraActions...),
	})
}
