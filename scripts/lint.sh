#!/usr/bin/env bash
# Lints the generated Verilog of every configuration `mixpe list BLOCK` names with the three tools
# (scripts/lint_lib.sh). Usage: lint.sh MIXPE OUTROOT [BLOCK]
set -uo pipefail
mixpe=$1 out=$2 block=${3:-pe}
source "$(dirname "$0")/lint_lib.sh"
mkdir -p "$out"
passed=0 failed=0
while read -r name opts; do
  dir="$out/$name"
  rm -rf "$dir"
  # shellcheck disable=SC2086
  if ! "$mixpe" gen "$block" -o "$dir" $opts > /dev/null 2> "$dir.log"; then
    echo "FAIL $name: generation: $(cat "$dir.log")"; failed=$((failed + 1)); continue
  fi
  problems=$(lint_design "$dir" "$name" "$block")
  if [ -n "$problems" ]; then
    echo "FAIL $name:$problems"; cat "$dir.log" "$dir.iverilog.log" | head -20; failed=$((failed + 1))
  else
    echo "clean $name"; passed=$((passed + 1))
  fi
done < <("$mixpe" list "$block")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
