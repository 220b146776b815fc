#!/usr/bin/env bash
# The LLM commands end to end:
#  1. FP32 greedy decoding from BOS gives the 40 tokens that an independent float64 NumPy
#     implementation of the llama2.c forward pass gives for stories260K;
#  2. --gemm golden and --gemm rtl (the Verilated default engine) give identical logits, bit for
#     bit, over 20 tokens (needs build/sim/<engine>/tb, built by the sim_engine_w4a16 test).
set -u
mixpe=$1 model=$2
passed=0 failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }

want="461 461 401 401 401 461 378 455 473 456 435 299 362 409 283 264 283 452 288 13 431 431 431 431 431 431 431 431 431 431 431 431 431 293 430 417 363 416 315 342"
got=$("$mixpe" llm --model "$model" --steps 40)
[ "$got" = "$want" ] && ok "fp32 tokens match the NumPy reference" || bad "fp32 tokens: $got"

tmp=$(mktemp -d)
"$mixpe" llm --model "$model" --steps 20 --gemm golden --logits "$tmp/golden.f32" > "$tmp/golden.txt"
if "$mixpe" llm --model "$model" --steps 20 --gemm rtl --logits "$tmp/rtl.f32" > "$tmp/rtl.txt" 2> "$tmp/rtl.log"; then
  if cmp -s "$tmp/golden.f32" "$tmp/rtl.f32" && [ -s "$tmp/rtl.f32" ]; then
    ok "golden and rtl logits identical over 20 tokens ($(stat -c %s "$tmp/rtl.f32") bytes): $(cat "$tmp/rtl.txt")"
  else
    bad "golden and rtl logits differ"
  fi
  grep -q " 0 failed" "$tmp/rtl.log" && ok "the simulator checked every served GEMM: $(tail -n 1 "$tmp/rtl.log")" \
    || bad "simulator log: $(tail -n 3 "$tmp/rtl.log")"
  # the engine's cycles over the run, measured and from the cycle model (mixpe perf's compute)
  line=$(grep "command to last output" "$tmp/rtl.log")
  if [[ "$line" =~ summed:\ ([0-9]+)\ cycles\ \(cycle\ model:\ ([0-9]+)\) ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
    ok "engine cycles over the run equal the cycle model's: $line"
  else
    bad "engine cycles against the cycle model: '$line'"
  fi
else
  bad "--gemm rtl failed: $(cat "$tmp/rtl.log" | tail -n 3)"
fi
rm -rf "$tmp"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
