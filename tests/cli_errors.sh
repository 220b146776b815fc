#!/usr/bin/env bash
# Bad command-line input: exit status 2 and exactly one line on stderr, nothing on stdout.
set -u
case $1 in /*) mixpe=$1 ;; *) mixpe=$PWD/$1 ;; esac  # (absolute: some cases run elsewhere)
failed=0 passed=0
expect_error() {
  local out err status
  out=$("$mixpe" "$@" 2>/tmp/mixpe_cli_err.$$); status=$?
  err=$(cat /tmp/mixpe_cli_err.$$); rm -f /tmp/mixpe_cli_err.$$
  if [ "$status" -ne 2 ] || [ -n "$out" ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [ "${#err}" -gt 500 ]; then
    echo "FAIL: mixpe $* -> status $status, stdout '$out', stderr '$err'"; failed=$((failed + 1))
  else
    echo "ok: mixpe $* -> $err"; passed=$((passed + 1))
  fi
}
# expect_error_like PATTERN ARGS...: expect_error, and the message matches the extended regex PATTERN
expect_error_like() {
  local pattern=$1; shift
  local before=$failed
  expect_error "$@"
  if [ "$failed" -eq "$before" ] && ! "$mixpe" "$@" 2>&1 >/dev/null | grep -Eq -- "$pattern"; then
    echo "FAIL: mixpe $*: the message does not match '$pattern'"; failed=$((failed + 1)); passed=$((passed - 1))
  fi
}
# expect_ok ARGS...: a legal invocation (in a test of errors: one that used to be refused)
expect_ok() {
  if "$mixpe" "$@" > /dev/null 2>/tmp/mixpe_cli_err.$$; then echo "ok: mixpe $* accepted"; passed=$((passed + 1))
  else echo "FAIL: mixpe $* refused: $(head -c 300 /tmp/mixpe_cli_err.$$)"; failed=$((failed + 1)); fi
  rm -f /tmp/mixpe_cli_err.$$
}
expect_error error --weight-bits 5
expect_error error --group-size 100
expect_error error --act fp8
expect_error error --accum kulisch
expect_error error --act bf16 --accum exact
expect_error error --act int8 --accum prealign
expect_error error --align-bits 40
expect_error error --rows 3
expect_error error --weight-format nf4 --weight-bits 8
expect_error gen pe --pe int8 --int8-psum 16 -o /tmp/never
expect_error gen pe --int8-psum column -o /tmp/never
expect_error error --weight-format nf5
expect_error error --rows x
expect_error error --weight-signed=maybe
expect_error error --model /nonexistent.bin
out=$(mktemp -d)
expect_error gen pe -o "$out/pe" --weight-bits 5
expect_error gen pe -o "$out/pe" --pe fma --act bf16
expect_error gen pe -o "$out/pe" --pe int8 --weight-bits 4
expect_error gen pe -o "$out/pe" --accum exact --act bf16
expect_error gen pe -o "$out/pe" --pipeline 3
expect_error gen pe -o "$out/pe" --rows 3
expect_error gen pe -o "$out/pe" --group-size 64
expect_error gen engine -o "$out/pe" --preset w4a16 --weight-format nf4 --pe mixpe
expect_error gen engine -o "$out/pe" --preset nope
expect_error gen engine --rows 4
expect_error gen pe -o "$out/pe" --align-bits 7
expect_error gen pe
if [ -e "$out/pe" ]; then echo "FAIL: a rejected gen wrote $out/pe"; failed=$((failed + 1)); fi
rm -rf "$out"
model=$(dirname "$0")/data/stories260K.bin
head -c 1000 "$model" > "$out.trunc.bin"
expect_error llm --model "$out.trunc.bin" --steps 2
rm -f "$out.trunc.bin"
# hostile model files: a directory, an extreme header field, NaN weights, a checkpoint too large for memory
expect_error llm --model "$(dirname "$0")" --steps 2
bad=$(mktemp)
cp "$model" "$bad"
printf '\x00\x00\x00\x80' | dd of="$bad" bs=1 seek=20 conv=notrunc status=none   # vocab_size = INT32_MIN
expect_error llm --model "$bad" --steps 2
cp "$model" "$bad"
printf '\x00\x00\xc0\x7f' | dd of="$bad" bs=1 seek=428 conv=notrunc status=none  # a NaN weight
expect_error llm --model "$bad" --steps 2 --gemm fp32
expect_error llm --model "$bad" --steps 2 --gemm golden
# dim 16384, hidden 65536, 64 layers, 128 heads, vocab 32000, 4096 positions: 1.1 TB, as a sparse file
printf '\x00\x40\x00\x00\x00\x00\x01\x00\x40\x00\x00\x00\x80\x00\x00\x00\x80\x00\x00\x00\x00\x7d\x00\x00\x00\x10\x00\x00' > "$bad"
truncate -s $((28 + 4 * (32000 * 16384 + 64 * 16384 + 4 * 64 * 16384 * 16384 + 64 * 16384 + 3 * 64 * 65536 * 16384 + 16384 + 4096 * 128))) "$bad"
expect_error llm --model "$bad" --steps 2
rm -f "$bad"
expect_error llm --model "$model" --steps 2147483647
expect_error llm --model "$model" --prompt-tokens 5,
expect_error llm --model "$model" --prompt-tokens ,5
expect_error llm --model "$model" --steps 2 --weight-bits 3
expect_error llm --model "$model" --steps 2 --gemm golden --cols 8
expect_error llm --model "$model" --steps 2 --gemm software --accum exact
expect_error fidelity --traces /nonexistent --depth 8
expect_error error --pipeline 1
expect_error llm --model "$model" --prompt-tokens 1,x,3
expect_error llm --model "$model" --prompt-tokens 9999
expect_error llm --model "$model" --steps 600
expect_error llm --model "$model" --gemm fp64
expect_error llm --model "$model" --gemm rtl --rtl-sim /nonexistent/tb --steps 1
expect_error trace --model "$model" --tokens 0 -o "$out/traces"
expect_error error --no-such-flag
expect_error cycles --shape 1x4096
expect_error cycles --shape 0x64x64
expect_error cycles --shape 128x64x64
expect_error cycles --shape 1x64x64 --shape 1x999999999x64
expect_error cycles
perf_out=/tmp/mixpe_perf_never.$$
expect_error perf --model gpt-5 --out $perf_out
expect_error perf --decode-model /nonexistent.bin --out $perf_out
expect_error perf --design fp8 --out $perf_out
expect_error perf --dram-gbps 0 --out $perf_out
expect_error perf --weight-buffer-kib 0.5 --out $perf_out
expect_error perf --act-buffer-kib 1 --out $perf_out
expect_error perf --area-mm2 0.01 --out $perf_out
expect_error perf --area /nonexistent.json --out $perf_out
expect_error perf --decode-batch 0 --out $perf_out
out=$(mktemp -d)
# the validation layer (cli/validate.h), one case per class: numbers finite and in range, seeds,
# flags strictly 0/1, lists without empty or repeated items, options a configuration ignores
expect_error perf --area-mm2 inf --out $perf_out
expect_error perf --clock-mhz 1e-300 --out $perf_out
expect_error perf --leak-w-mm2 inf --out $perf_out
expect_error perf --batch 0x10 --out $perf_out
expect_error error --seed -1
expect_error list random --seed 18446744073709551616
expect_error cycles --shape 1x16x16 --axis=2
expect_error gen engine --print-top=2
expect_error error --sweep-align 16,,8
expect_error error --sweep-align 16,16
expect_error error --sweep-align 12 --align-bits 8
expect_error cycles --shape 1x16x16 --preset fma --align-bits 12
expect_error cycles --shape 1x16x16 --act int8 --edge-frac-bits 99999
expect_error mutate pe --list --mutant 3 -o "$out/m"
expect_ok mutate pe --list=0 --mutant 3 -o "$out/m0"
expect_error_like "sweep-align" error --sweep-align 8 --accum fp32
expect_error error --sweep-align ""
expect_error perf --design fp16 --design int8 --design fp16 --out $perf_out
expect_error perf --model vit-b16 --model vit-b16 --out $perf_out
expect_error perf --decode-model opt-6.7b --decode-model opt-6.7b --out $perf_out
expect_error perf --decode-batch 1 8 1 --out $perf_out
expect_error mutate pe
# checked before anything runs: values that used to fail late or crash, output paths
expect_error error --act-rows -1
expect_error error --act-rows 0
expect_error eval --model "$model" --steps 2 --csv "$out"
expect_error eval --model "$model" --steps 2 --csv /dev/null/fidelity.csv
expect_error trace --model "$model" --tokens 2 -o /dev/null/traces
expect_error gen engine -o /dev/null/rtl
# bounded work: the step model refuses shapes beyond 2^24 cycles
expect_error cycles --shape 16x65536x65536
# weak messages: an unknown command named, a huge value shortened (expect_error: at most 500 characters)
expect_error nosuch
expect_error cycles --shape "$(printf '%0100000d' 1)"
# one rule for integers (numerics/user_text.h): plain decimal, as CLI11 would read 010 as octal 8
# and refuse 08; the same in validators, design options, seeds and lists
expect_error_like "leading zeros" error --act-rows 010
expect_error_like "leading zeros" error --rows 010
expect_error_like "leading zeros" perf --batch 08 --out $perf_out
expect_error error --seed 010
expect_error error --sweep-align 08
expect_error llm --model "$model" --prompt-tokens 01 --steps 1
expect_error error --act-rows +4
# echoed values: control characters escaped (one line), long values shortened everywhere
expect_error error --act $'fp\n16'
expect_error error --rows $'4\n4'
expect_error llm --model "$model" --steps 1 --gemm $'x\ny'
expect_error error --rows "$(printf '%0100000d' 1)"
expect_error error --weight-format "$(printf 'n%.0s' {1..5000})"
expect_error llm --model "$model" --prompt-tokens "$(printf '%0100000d' 1)" --steps 1
expect_error llm --model "$model/$(printf 'm%.0s' {1..3000})" --steps 1
expect_error fidelity --traces "$out/$(printf 't%.0s' {1..3000})"
# the atomic writer (io/output_files.h): every destination checked before anything is written
# (a directory in a file's place), empty output paths refused (not the current directory), names
# too long for the file system refused up front (not late, as a failing temporary)
gen_names=$("$mixpe" gen pe -o "$out/gen" | xargs -n1 basename); rm -rf "$out/gen"
mkdir -p "$out/gen/$(echo "$gen_names" | tail -1)"
expect_error_like "is a directory" gen pe -o "$out/gen"
if [ "$(ls -A "$out/gen")" != "$(echo "$gen_names" | tail -1)" ]; then
  echo "FAIL: a refused gen wrote $(ls -A "$out/gen" | tr '\n' ' ')"; failed=$((failed + 1)); fi
rm -rf "$out/gen"
abs_model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
cwd=$PWD; mkdir -p "$out/cwd"; cd "$out/cwd"
expect_error trace --model "$abs_model" --tokens 1 -o ""
expect_error perf --out ""
expect_error gen pe -o ""
expect_error mutate pe --mutant 0 -o ""
expect_error llm --model "$abs_model" --steps 1 --logits ""
if [ -n "$(ls -A)" ]; then echo "FAIL: an empty output path wrote into the current directory: $(ls -A | tr '\n' ' ')"; failed=$((failed + 1)); fi
cd "$cwd"
expect_error_like "limit of" llm --model "$model" --steps 1 --logits "$out/$(printf 'y%.0s' {1..260})"
expect_error_like "limit of" gen pe -o "$out/$(printf 'd%.0s' {1..300})/x"
expect_error llm --model "$model" --steps 1 --logits /dev/null
# input files validated for every value they will use: an area table with a zero area, one with
# the own-logic points swapped; a trace with a NaN activation, one with every activation zero
python3 - "$out" "$(dirname "$0")/../docs/measured/area.json" <<'PY'
import json, struct, sys, os
out, area = sys.argv[1], sys.argv[2]
d = json.load(open(area))
for r in d["designs"]:
    if r["name"] == "mixpe_w4a16": r["timing_area_um2"] = r["area_um2"] = 0
json.dump(d, open(os.path.join(out, "zero_area.json"), "w"))
d = json.load(open(area))
a = {r["name"]: r for r in d["designs"]}
a["w4a16_top_l1"]["area_um2"], a["w4a16_top_l16"]["area_um2"] = a["w4a16_top_l16"]["area_um2"], a["w4a16_top_l1"]["area_um2"]
json.dump(d, open(os.path.join(out, "swapped_area.json"), "w"))
for name, x in (("nan", [float("nan"), 1.0]), ("zero", [0.0, 0.0])):
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "l.trace"), "wb") as f:  # M = 1, K = 2, N = 1
        f.write(b"MXTR" + struct.pack("<4i", 1, 1, 2, 1) + struct.pack("<2f", *x) + struct.pack("<2f", 0.5, -0.5))
PY
expect_error perf --area "$out/zero_area.json" --out $perf_out
expect_error perf --area "$out/swapped_area.json" --out $perf_out
expect_error error --traces "$out/nan"
expect_error error --traces "$out/zero"
# a binary with no area table beside it or under the working directory: perf names the option to give
mkdir -p "$out/lone/bin" && cp "$mixpe" "$out/lone/bin/mixpe"
(cd "$out/lone" && mixpe="$out/lone/bin/mixpe" && expect_error_like "give --area FILE" perf --out $perf_out; \
  expect_error_like "no area table found" list presets --markdown; echo "$passed $failed" > "$out/lone/counts")
read -r passed failed < "$out/lone/counts"
if [ -e $perf_out ]; then echo "FAIL: mixpe perf wrote $perf_out on bad input"; failed=$((failed + 1)); fi
for bad in "$out/m" /dev/null/fidelity.csv; do
  if [ -e "$bad" ]; then echo "FAIL: a refused command wrote $bad"; failed=$((failed + 1)); fi
done
rm -rf "$out"
expect_error
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
