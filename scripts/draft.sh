#!/bin/sh
# `make draft BASE=<git ref> [STAGE=…]`: the plan as a revised draft against content/ as it was
# at that git revision. Usage: scripts/draft.sh REF [STAGE] [more jixi-report plan options]
set -eu
if [ $# -lt 1 ]; then
  echo "usage: make draft BASE=<git ref> [STAGE=征求意见稿]" >&2
  exit 2
fi
ref=$1
stage=${2:-征求意见稿}
[ $# -ge 2 ] && shift 2 || shift 1
JR=${JR:-.venv/bin/jixi-report}
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT INT TERM
if ! git archive --format=tar "$ref" content | tar -x -C "$base"; then
  echo "jixi-report: cannot take content/ from git revision '$ref'" >&2
  exit 2
fi
# shellcheck disable=SC2086 # JR may be a command with arguments
$JR plan --draft "$stage" --base "$base/content" "$@"
