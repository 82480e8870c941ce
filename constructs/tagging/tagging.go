// Package tagging holds the platform's required AWS tags and the synth-time Aspect that
// fails synthesis when a taggable resource lacks one of them.
package tagging

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Tag keys every taggable AWS resource must carry.
const (
	Project     = "Project"
	Environment = "Environment"
	Workflow    = "Workflow"
	Component   = "Component"
	ManagedBy   = "ManagedBy"
	Owner       = "Owner"
)

// Required lists the mandatory tag keys in a stable order.
var Required = []string{Project, Environment, Workflow, Component, ManagedBy, Owner}

// Defaults are the tags a stack's AWS provider applies to every resource (default_tags). The
// Component tag is per resource and is set by the construct that creates it.
func Defaults(project, env, workflow, owner string) map[string]string {
	return map[string]string{
		Project:     project,
		Environment: env,
		Workflow:    workflow,
		ManagedBy:   "cdktf",
		Owner:       owner,
	}
}

// ComponentTags returns the per-resource tags for a component, in the shape the bindings expect.
func ComponentTags(name string) *map[string]*string {
	return &map[string]*string{Component: jsii.String(name)}
}

// taggable is what every AWS resource with a `tags` argument implements in the Go bindings.
type taggable interface {
	TagsInput() *map[string]*string
}

// Checker is the Aspect that checks required tags. Defaults are the provider default tags of
// the stack it is added to.
type Checker struct {
	Defaults map[string]string
}

// Check adds the tag Aspect to a stack.
func Check(stack cdktf.TerraformStack, defaults map[string]string) {
	cdktf.Aspects_Of(stack).Add(&Checker{Defaults: defaults})
}

// Visit implements cdktf.IAspect. A violation becomes a construct validation error, so that
// synthesis stops and names the resource by its construct path.
func (c *Checker) Visit(node constructs.IConstruct) {
	// Data sources take tags as a filter, not as tags of their own.
	r, ok := node.(taggable)
	if !ok || !*cdktf.TerraformResource_IsTerraformResource(node) {
		return
	}
	if missing := Missing(c.Defaults, r.TagsInput()); len(missing) > 0 {
		node.Node().AddValidation(&violation{fmt.Sprintf("missing required tags %s (set them with tagging.ComponentTags or the provider default tags)",
			strings.Join(missing, ", "))})
	}
}

// Missing returns the required keys that neither the defaults nor the resource's own tags
// carry with a non-empty value.
func Missing(defaults map[string]string, own *map[string]*string) []string {
	var missing []string
	for _, k := range Required {
		if defaults[k] != "" {
			continue
		}
		if own != nil {
			if v, ok := (*own)[k]; ok && v != nil && *v != "" {
				continue
			}
		}
		missing = append(missing, k)
	}
	sort.Strings(missing)
	return missing
}

// violation is a construct validation; jsii needs a struct (passed by reference), not a string.
type violation struct{ msg string }

// Validate implements constructs.IValidation.
func (v *violation) Validate() *[]*string { return &[]*string{jsii.String(v.msg)} }
