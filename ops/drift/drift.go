// Package drift summarizes a Terraform plan in JSON (`terraform show -json <planfile>`): which
// resources changed outside Terraform (resource_drift), what the plan would do about it
// (resource_changes), per stack, and which runbook applies.
package drift

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Plan is the part of Terraform's JSON plan format this package reads.
type Plan struct {
	FormatVersion    string           `json:"format_version"`
	TerraformVersion string           `json:"terraform_version"`
	ResourceDrift    []ResourceChange `json:"resource_drift"`
	ResourceChanges  []ResourceChange `json:"resource_changes"`
}

// ResourceChange is one entry of resource_drift or resource_changes.
type ResourceChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Change  struct {
		Actions []string       `json:"actions"`
		Before  map[string]any `json:"before"`
		After   map[string]any `json:"after"`
	} `json:"change"`
	ActionReason string `json:"action_reason,omitempty"`
}

// Parse decodes a JSON plan; file is used in messages.
func Parse(file string, data []byte) (*Plan, error) {
	var p Plan
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: not a JSON plan (make it with `terraform show -json <planfile>`): %w", file, err)
	}
	if p.FormatVersion == "" {
		return nil, fmt.Errorf("%s: no format_version: not the output of `terraform show -json <planfile>`", file)
	}
	return &p, nil
}

// Entry is one resource in the summary.
type Entry struct {
	Address    string   `json:"address"`
	Type       string   `json:"type"`
	Action     string   `json:"action"` // create, update, delete, replace
	Attributes []string `json:"attributes,omitempty"`
	Reason     string   `json:"reason,omitempty"`
}

// Summary is one stack's plan, summarized.
type Summary struct {
	Stack     string         `json:"stack"`
	Env       string         `json:"env,omitempty"`
	Terraform string         `json:"terraformVersion"`
	Drifted   []Entry        `json:"drifted"` // changed outside Terraform
	Planned   []Entry        `json:"planned"` // what an apply would do
	Counts    map[string]int `json:"counts"`  // planned actions
	Runbooks  []string       `json:"runbooks"`
	Warnings  []string       `json:"warnings"`
}

// Clean reports whether neither drift nor planned changes were found.
func (s Summary) Clean() bool { return len(s.Drifted) == 0 && len(s.Planned) == 0 }

// stateful resource types whose replacement or deletion loses data or breaks every later stack.
var stateful = []string{"aws_eks_cluster", "aws_vpc", "aws_subnet", "aws_kms_key", "aws_s3_bucket", "aws_eks_node_group", "aws_iam_openid_connect_provider"}

// Summarize builds the summary of p for stack.
func Summarize(stack string, p *Plan) Summary {
	s := Summary{Stack: stack, Terraform: p.TerraformVersion, Counts: map[string]int{}, Drifted: []Entry{}, Planned: []Entry{}, Warnings: []string{}}
	for _, rc := range p.ResourceDrift {
		if rc.Mode == "data" {
			continue
		}
		if a := action(rc.Change.Actions); a != "" {
			s.Drifted = append(s.Drifted, Entry{Address: rc.Address, Type: rc.Type, Action: a, Attributes: changed(rc.Change.Before, rc.Change.After)})
		}
	}
	for _, rc := range p.ResourceChanges {
		if rc.Mode == "data" {
			continue
		}
		a := action(rc.Change.Actions)
		if a == "" {
			continue
		}
		s.Planned = append(s.Planned, Entry{Address: rc.Address, Type: rc.Type, Action: a, Attributes: changed(rc.Change.Before, rc.Change.After), Reason: rc.ActionReason})
		s.Counts[a]++
		if (a == "replace" || a == "delete") && slices.Contains(stateful, rc.Type) {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s would be %s: review before applying (data loss or an outage for every later stack)", rc.Address, map[string]string{"replace": "replaced", "delete": "deleted"}[a]))
		}
	}
	return s
}

// action folds Terraform's action lists into one word; "" for no-op and read.
func action(actions []string) string {
	switch {
	case slices.Contains(actions, "delete") && slices.Contains(actions, "create"):
		return "replace"
	case slices.Contains(actions, "create"):
		return "create"
	case slices.Contains(actions, "delete"):
		return "delete"
	case slices.Contains(actions, "update"):
		return "update"
	}
	return ""
}

// changed lists the top-level attributes whose values differ (tags_all is folded into tags).
func changed(before, after map[string]any) []string {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if k == "tags_all" {
			continue
		}
		b, _ := json.Marshal(before[k])
		a, _ := json.Marshal(after[k])
		if string(a) != string(b) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// StackOf infers the stack of a plan from the Workflow tag every AWS resource carries; "" when
// the plan has no tagged resource or several workflows.
func StackOf(p *Plan) string {
	found := map[string]bool{}
	for _, rc := range append(append([]ResourceChange{}, p.ResourceChanges...), p.ResourceDrift...) {
		for _, v := range []map[string]any{rc.Change.Before, rc.Change.After} {
			for _, key := range []string{"tags_all", "tags"} {
				if t, ok := v[key].(map[string]any); ok {
					if w, ok := t["Workflow"].(string); ok && w != "" {
						found[w] = true
					}
				}
			}
		}
	}
	if len(found) != 1 {
		return ""
	}
	for w := range found {
		return w
	}
	return ""
}
