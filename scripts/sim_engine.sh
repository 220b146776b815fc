#!/usr/bin/env bash
# Builds (once per configuration, cached) and runs the engine testbench. Usage:
#   sim_engine.sh MIXPE "LIBS" OUTROOT "GEN OPTIONS" [testbench options...]
# The testbench is rebuilt only when the generator, the libraries, the harness or the options
# change. FST=1 builds it with waveform tracing; --fst FILE then also writes FILE's GTKWave view (.gtkw).
set -euo pipefail
mixpe=$1 libs=$2 out=$3 opts=$4
shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2086
name=$("$mixpe" gen engine --print-top $opts)
dir="$out/$name${FST:+_fst}"
mkdir -p "$dir"
key=$(cat "$mixpe" $libs "$root"/tb/engine_tb.cpp "$root"/tb/engine_driver.h "$root"/tb/engine_workloads.h \
          "$root"/tb/tb_common.h "$root"/tb/wide_bits.h "$root/scripts/verilate_tb.sh" | md5sum)
key="$key $opts FST=${FST:-0} ${MIXPE_CXX_OPT:-} ${MIXPE_VERILATOR_OPT:-}"
if [ ! -x "$dir/tb" ] || [ "$(cat "$dir/key" 2> /dev/null)" != "$key" ]; then
  echo "building the testbench of $name (once per configuration)"
  # shellcheck disable=SC2086
  bash "$root/scripts/verilate_tb.sh" "$mixpe" "$root/tb/engine_tb.cpp" "$dir" "$libs" engine $opts
  echo "$key" > "$dir/key"
fi
# With --fst FILE, the generated GTKWave view opens on it: FILE's name with .gtkw, dump file set
fst="" prev=""
for arg in "$@"; do [ "$prev" = "--fst" ] && fst=$arg; prev=$arg; done
status=0
"$dir/tb" "$@" || status=$?
if [ -n "$fst" ] && [ -f "$dir/rtl/$name.gtkw" ]; then
  fst_abs="$(cd "$(dirname "$fst")" && pwd)/$(basename "$fst")"
  sed "s|^\[dumpfile\] .*|[dumpfile] \"$fst_abs\"|" "$dir/rtl/$name.gtkw" > "${fst%.fst}.gtkw"
  echo "waveform: $fst, view: ${fst%.fst}.gtkw (gtkwave ${fst%.fst}.gtkw)"
fi
exit $status
