#!/usr/bin/env bash
# Bad command-line input: exit status 2 and exactly one line on stderr, nothing on stdout.
set -u
mixpe="$1"
failed=0 passed=0
expect_error() {
  local out err status
  out=$("$mixpe" "$@" 2>/tmp/mixpe_cli_err.$$); status=$?
  err=$(cat /tmp/mixpe_cli_err.$$); rm -f /tmp/mixpe_cli_err.$$
  if [ "$status" -ne 2 ] || [ -n "$out" ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then
    echo "FAIL: mixpe $* -> status $status, stdout '$out', stderr '$err'"; failed=$((failed + 1))
  else
    echo "ok: mixpe $* -> $err"; passed=$((passed + 1))
  fi
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
if [ -e $perf_out ]; then echo "FAIL: mixpe perf wrote $perf_out on bad input"; failed=$((failed + 1)); fi
expect_error
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
