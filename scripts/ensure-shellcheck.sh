#!/usr/bin/env bash
# Makes sure shellcheck is installed, for `make lint-workflows` (and so `make test`): as root on
# a Debian or Ubuntu machine it installs the distribution's package, as .ci/run does; anywhere
# else it fails with the exact command to run.
set -euo pipefail

command -v shellcheck >/dev/null 2>&1 && exit 0

if command -v apt-get >/dev/null 2>&1; then
	if [[ $(id -u) == 0 ]]; then
		echo "shellcheck is missing: installing the Debian package (apt-get install shellcheck)" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq shellcheck >/dev/null
		command -v shellcheck >/dev/null 2>&1 || { echo "apt-get installed shellcheck, but it is not on PATH" >&2 && exit 1; }
		exit 0
	fi
	echo "shellcheck is not installed; run: sudo apt-get install -y shellcheck" >&2
	exit 1
fi
if command -v brew >/dev/null 2>&1; then
	echo "shellcheck is not installed; run: brew install shellcheck" >&2
	exit 1
fi
echo "shellcheck is not installed; install your system's shellcheck package (https://github.com/koalaman/shellcheck#installing)" >&2
exit 1
