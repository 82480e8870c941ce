package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/platformeng/eks-platform/ops/drift"
)

func writeDriftText(w io.Writer, s drift.Summary) {
	fmt.Fprintf(w, "Stack %s (%s), Terraform %s\n", s.Stack, s.Env, s.Terraform)
	if s.Clean() {
		fmt.Fprintln(w, "No drift and no planned changes.")
		return
	}
	section := func(title string, es []drift.Entry) {
		if len(es) == 0 {
			fmt.Fprintf(w, "%s: none\n", title)
			return
		}
		fmt.Fprintf(w, "%s:\n", title)
		tw := table(w)
		fmt.Fprintln(tw, "  action\taddress\tattributes")
		for _, e := range es {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", e.Action, e.Address, attrs(e))
		}
		tw.Flush()
	}
	section("Changed outside Terraform (resource_drift)", s.Drifted)
	section("An apply would (resource_changes)", s.Planned)
	fmt.Fprintf(w, "Plan: %s\n", counts(s))
	for _, x := range s.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", x)
	}
	fmt.Fprintf(w, "Runbook: %s\n", strings.Join(s.Runbooks, ", "))
}

func writeDriftMarkdown(w io.Writer, s drift.Summary, linkBase string) {
	fmt.Fprintf(w, "### Drift summary: `%s` (%s)\n\n", s.Stack, s.Env)
	if s.Clean() {
		fmt.Fprintln(w, "No drift and no planned changes.")
		return
	}
	fmt.Fprintf(w, "Planned actions: %s.\n\n", counts(s))
	rows := func(title string, es []drift.Entry) {
		fmt.Fprintf(w, "**%s**\n\n", title)
		if len(es) == 0 {
			fmt.Fprint(w, "none\n\n")
			return
		}
		fmt.Fprintln(w, "| action | resource | attributes |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, e := range es {
			fmt.Fprintf(w, "| %s | `%s` | %s |\n", e.Action, e.Address, attrs(e))
		}
		fmt.Fprintln(w)
	}
	rows("Changed outside Terraform", s.Drifted)
	rows("What an apply of main would do", s.Planned)
	for _, x := range s.Warnings {
		fmt.Fprintf(w, "> **Warning**: %s\n\n", x)
	}
	var links []string
	for _, r := range s.Runbooks {
		if linkBase == "" {
			links = append(links, "`"+r+"`")
			continue
		}
		links = append(links, fmt.Sprintf("[%s](%s/%s)", r, strings.TrimSuffix(linkBase, "/"), r))
	}
	fmt.Fprintf(w, "Runbook: %s\n", strings.Join(links, ", "))
}

func attrs(e drift.Entry) string {
	a := strings.Join(e.Attributes, ", ")
	if e.Reason != "" {
		a = strings.TrimPrefix(a+" ("+e.Reason+")", " ")
	}
	if a == "" {
		return "-"
	}
	return a
}

func counts(s drift.Summary) string {
	if len(s.Counts) == 0 {
		return "none (drift only: the code already matches, refresh-only apply)"
	}
	var keys []string
	for k := range s.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d to %s", s.Counts[k], k))
	}
	return strings.Join(parts, ", ")
}
