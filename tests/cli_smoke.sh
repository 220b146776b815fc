#!/usr/bin/env bash
# The commands' success paths, briefly (the sanitizer build runs this too): every block of the
# registry generated, the design points listed, a few decoding steps on each backend but rtl,
# the error report and a fidelity point on fresh traces.
set -u
mixpe=$1 model=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
run() {
  if "$mixpe" "$@" > "$tmp/out" 2> "$tmp/err"; then passed=$((passed + 1))
  else echo "FAIL: mixpe $*: $(head -3 "$tmp/err")"; failed=$((failed + 1)); fi
}
for b in $("$mixpe" list blocks | awk '/^[a-z]/ { print $1 }'); do run gen "$b" -o "$tmp/$b"; done
run gen engine -o "$tmp/lut" --preset w4a8 --weight-format nf4 --lut-terms 2 --act fp16 --rows 8 --cols 4 --group-size 32
for l in blocks options pe array engine presets; do run list "$l"; done
for l in area dse eval; do run list "$l" --json; done
for g in fp32 golden software; do run llm --model "$model" --steps 3 --gemm "$g"; done
run llm --model "$model" --steps 3 --gemm golden --weight-format nf4 --lut-terms 2 --group-size 32
run trace --model "$model" --tokens 2 -o "$tmp/traces"
run fidelity --traces "$tmp/traces" --pe fma --group-size 32
run error --model "$model" --act-rows 2
run cycles --shape 1x4096x4096 --shape 64x1024x1024 --pe fma --depth 64
# mixpe perf on the small model (make perf runs the large ones): every design in every output
run perf --model "$model" --decode-model "$model" --sweep-model "$model" --context 64 --out "$tmp/perf"
for f in perf.csv perf.json perf_sweep.csv perf_roofline.csv; do
  if [ "$(grep -c "w4a16-dqf" "$tmp/perf/$f")" -ge 1 ] && [ "$(grep -c "nf4" "$tmp/perf/$f")" -ge 1 ]; then passed=$((passed + 1))
  else echo "FAIL: mixpe perf: $f lacks a design"; failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
