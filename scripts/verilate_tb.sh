#!/usr/bin/env bash
# Builds one Verilator testbench: generates the design, verilates it and compiles the model
# with its C++ harness, linked against prebuilt libraries (golden model, harness helpers,
# Verilator runtime). Usage:
#   verilate_tb.sh MIXPE HARNESS.cpp OUTDIR "LIBS" BLOCK [gen options...]
# Produces OUTDIR/tb (the simulator) and OUTDIR/rtl (the generated design). With FST=1 in the
# environment the model is built with FST tracing (slower to build and to run; --fst FILE). With
# MIXPE_RTL=DIR the block's module files are taken from DIR where it has them (e.g. a mutant), and
# MIXPE_VERILATOR_FLAGS adds Verilator options (make mutate: -Wno-fatal). MIXPE_CXX_OPT and
# MIXPE_VERILATOR_OPT replace the optimization levels (-O2, -O3; make mutate and fuzz-configs: -O0).
# MIXPE_NETLIST="FILES" verilates those files (a gate-level netlist, its cell models and a wrapper
# with the design's ports: scripts/mixpe_flow/power.py) instead of the generated design, with Verilator's
# toggle coverage (each net's transitions) compiled in.
set -euo pipefail
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
mixpe=$(abs "$1") harness=$(abs "$2") libs=$4 block=$5
mkdir -p "$3" && out=$(cd "$3" && pwd)
shift 5
root=$(cd "$(dirname "$0")/.." && pwd)
vinc=/usr/share/verilator/include
rm -rf "$out/rtl" "$out/obj" "$out/tb"
"$mixpe" gen "$block" -o "$out/rtl" "$@" > /dev/null
if [ -n "${MIXPE_RTL:-}" ]; then
  # the block's modules as a given design has them (e.g. a mutant of the generated one)
  for f in "$out"/rtl/*.v; do
    if [ -f "$MIXPE_RTL/$(basename "$f")" ]; then cp "$MIXPE_RTL/$(basename "$f")" "$f"; fi
  done
fi
top=$("$mixpe" gen "$block" --print-top "$@")
log="$out/build.log"
trace=0 trace_flag=""
if [ "${FST:-0}" = 1 ]; then trace=1 trace_flag=--trace-fst; fi
sources=("$out"/rtl/*.v) cov=0 cov_src="" vflags="-Wall"
if [ -n "${MIXPE_NETLIST:-}" ]; then
  # shellcheck disable=SC2206
  sources=($MIXPE_NETLIST) cov=1 cov_src="$vinc/verilated_cov.cpp" vflags="-Wno-fatal -Wno-lint -Wno-style --coverage-toggle"
fi
{
  # (each step chained with &&: inside `{ } || ...` a failing step would not stop the build)
  verilator --cc $vflags --default-language 1364-2005 $trace_flag ${MIXPE_VERILATOR_OPT:--O3} ${MIXPE_VERILATOR_FLAGS:-} \
    --prefix Vdut --top-module "$top" -Mdir "$out/obj" "${sources[@]}" &&
  # one translation unit for the model, as Verilator's own non-parallel build does
  for f in "$out"/obj/Vdut*.cpp; do echo "#include \"$f\""; done > "$out/obj/model_all.cpp" &&
  g++ -std=c++20 ${MIXPE_CXX_OPT:--O2} -w -DVM_COVERAGE=$cov -DVM_SC=0 -DVM_TRACE=$trace -DVM_TRACE_FST=$trace -DVM_TRACE_VCD=0 \
    -I"$vinc" -I"$vinc/vltstd" -I"$out/obj" -I"$out/rtl" -I"$root/generator" -I"$root/tb" \
    -DMIXPE_PARAMS="\"${top}_params.h\"" -DMIXPE_PARAMS_NS="${top}_params" \
    "$harness" "$out/obj/model_all.cpp" $cov_src $libs -lfmt -lz -pthread -latomic -o "$out/tb.tmp"
} > "$log" 2>&1 || { cat "$log"; exit 1; }
mv "$out/tb.tmp" "$out/tb"
