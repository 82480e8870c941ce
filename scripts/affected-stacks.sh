#!/usr/bin/env bash
# Which stacks a change affects, for the deploy workflow (.github/workflows/deploy.yml):
#
#   scripts/affected-stacks.sh <base-sha> <head-sha>   files changed between two commits
#   scripts/affected-stacks.sh --files                 changed files on stdin, one per line
#   scripts/affected-stacks.sh --all                   every stack
#
# Prints one `<stack>=true|false` line per stack workflow (.github/workflows/0N-*.yml), in
# workflow order, for $GITHUB_OUTPUT. A stack is affected when a changed file matches one of its
# workflow's pull_request paths (the same list the workflow plans pull requests on) and the stack
# exists in the app (stacks/<stack>.go, or without hyphens: stacks/servicemesh.go). Matching is bash pattern matching, where * also matches
# /: a pattern matches at least the files GitHub's filter would, so no affected stack is missed.
# An unknown or all-zero base (a new branch, a force push) affects every stack.
set -euo pipefail
cd "$(dirname "$0")/.."

workflows=(.github/workflows/0[1-7]-*.yml)

# stack_of prints the `stack:` input a workflow passes to _stack.yml.
stack_of() { sed -n 's/^ *stack: *\([a-z0-9-]*\) *$/\1/p' "$1" | head -n 1; }

# paths_of prints the pull_request paths of a workflow, one per line.
paths_of() {
	awk '
		/^  pull_request:/ { in_pr = 1; next }
		in_pr && /^    paths:/ { in_paths = 1; next }
		in_paths && /^      - / { sub(/^      - /, ""); gsub(/["'\'']/, ""); print; next }
		in_paths { exit }
		in_pr && /^  [a-z_]+:/ { exit }
	' "$1"
}

all=false
changed=()
case "${1:-}" in
--all) all=true ;;
--files) mapfile -t changed ;;
"") echo "usage: scripts/affected-stacks.sh <base-sha> <head-sha> | --files | --all" >&2 && exit 2 ;;
*)
	base=$1 head=${2:?usage: scripts/affected-stacks.sh <base-sha> <head-sha>}
	if [[ $base =~ ^0+$ ]] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then
		echo "affected-stacks: base $base is unknown here; every stack is affected" >&2
		all=true
	else
		mapfile -t changed < <(git diff --name-only "$base" "$head")
	fi
	;;
esac

for wf in "${workflows[@]}"; do
	stack=$(stack_of "$wf")
	[[ -n $stack ]] || { echo "affected-stacks: $wf passes no stack: input" >&2 && exit 1; }
	hit=false
	if [[ -f stacks/$stack.go || -f stacks/${stack//-/}.go ]]; then
		if $all; then
			hit=true
		else
			mapfile -t patterns < <(paths_of "$wf")
			[[ ${#patterns[@]} -gt 0 ]] || { echo "affected-stacks: $wf has no pull_request paths" >&2 && exit 1; }
			for f in "${changed[@]}"; do
				for p in "${patterns[@]}"; do
					# shellcheck disable=SC2053 # $p is a pattern on purpose
					if [[ $f == $p ]]; then
						hit=true
						break 2
					fi
				done
			done
		fi
	fi
	echo "$stack=$hit"
done
