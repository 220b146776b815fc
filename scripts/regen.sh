#!/usr/bin/env bash
# Generates every engine preset into OUTROOT/<preset>/. Usage: regen.sh MIXPE OUTROOT [--check]
# With --check, generates into a temporary folder and fails if OUTROOT differs from it: the
# checked-in RTL must be what the generator makes now.
set -euo pipefail
mixpe=$1 out=$2 check=${3:-}
target=$out
if [ "$check" = --check ]; then target=$(mktemp -d); trap 'rm -rf "$target"' EXIT; fi
while read -r name _ rest; do
  preset=${rest#--preset }
  rm -rf "${target:?}/$preset"
  "$mixpe" gen engine --preset "$preset" -o "$target/$preset" > /dev/null
done < <("$mixpe" list engine)
if [ "$check" = --check ]; then
  if diff -r -x README.md "$out" "$target" > /dev/null; then
    echo "rtl/ matches the generator: 1 passed, 0 failed"
  else
    diff -r -x README.md "$out" "$target" | head -20
    echo "rtl/ differs from what the generator makes now: run 'make regen' and commit"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
