#!/usr/bin/env bash
# Builds (cached per configuration) and runs the PE testbench of every configuration that
# `mixpe list pe` names, two at a time. Usage:
#   sim_pe.sh MIXPE "LIBS" OUTROOT [testbench options...]
# A configuration is rebuilt only when the generator, the libraries or the harness change.
set -uo pipefail
mixpe=$1 libs=$2 out=$3
shift 3
tb_args="$*"
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
export mixpe libs out root tb_args

run_one() {
  local name=$1; shift
  local dir="$out/$name"
  # the cache key: what the testbench is built from
  local key
  key=$(cat "$mixpe" $libs "$root/tb/pe_tb.cpp" "$root/tb/tb_common.h" "$root/scripts/verilate_tb.sh" | md5sum)
  key="$key $*"
  if [ ! -x "$dir/tb" ] || [ "$(cat "$dir/key" 2>/dev/null)" != "$key" ]; then
    if ! bash "$root/scripts/verilate_tb.sh" "$mixpe" "$root/tb/pe_tb.cpp" "$dir" "$libs" pe "$@" > "$dir.build.log" 2>&1; then
      echo "FAIL $name: build"; cat "$dir.build.log" | head -20; return 1
    fi
    echo "$key" > "$dir/key"
  fi
  # shellcheck disable=SC2086
  if "$dir/tb" $tb_args > "$dir.log" 2>&1; then
    echo "ok   $name: $(grep -E '^(exhaustive|corners)' "$dir.log") | $(tail -n 1 "$dir.log")"
  else
    echo "FAIL $name:"; grep -E 'MISMATCH|passed' "$dir.log" | head -5; return 1
  fi
}
export -f run_one

results=$("$mixpe" list pe | xargs -P 2 -L 1 bash -c 'run_one "$@"' _)
status=$?
echo "$results"
passed=$(grep -c '^ok' <<< "$results")
failed=$(grep -c '^FAIL' <<< "$results")
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
