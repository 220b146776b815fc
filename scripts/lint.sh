#!/usr/bin/env bash
# Lints the generated Verilog of every configuration `mixpe list BLOCK` names, with all three
# tools the output must satisfy: verilator --lint-only -Wall (zero warnings), yosys read +
# hierarchy -check + proc, iverilog -g2005. Arrays are linted again at another size by parameter
# override (ROWS=3, COLS=5): the same module must elaborate there too. Usage:
#   lint.sh MIXPE OUTROOT [BLOCK]
set -uo pipefail
mixpe=$1 out=$2 block=${3:-pe}
mkdir -p "$out"
passed=0 failed=0
while read -r name opts; do
  dir="$out/$name"
  rm -rf "$dir"
  # shellcheck disable=SC2086
  if ! "$mixpe" gen "$block" -o "$dir" $opts > /dev/null 2> "$dir.log"; then
    echo "FAIL $name: generation: $(cat "$dir.log")"; failed=$((failed + 1)); continue
  fi
  files=("$dir"/*.v)
  problems=""
  verilator --lint-only -Wall --default-language 1364-2005 --top-module "$name" "${files[@]}" > "$dir.log" 2>&1 \
    || problems+=" verilator"
  yosys -q -l "$dir.yosys.log" -p "read_verilog -defer ${files[*]}; hierarchy -check -top $name; proc" \
    > /dev/null 2>&1 || problems+=" yosys"
  iverilog -g2005 -Wall -s "$name" -o /dev/null "${files[@]}" > "$dir.iverilog.log" 2>&1 || problems+=" iverilog"
  if [ -s "$dir.iverilog.log" ]; then problems+=" iverilog-warnings"; fi
  if [ "$block" = array ]; then
    verilator --lint-only -Wall --default-language 1364-2005 --top-module "$name" -GROWS=3 -GCOLS=5 "${files[@]}" \
      >> "$dir.log" 2>&1 || problems+=" verilator-ROWS=3,COLS=5"
    yosys -q -p "read_verilog -defer ${files[*]}; chparam -set ROWS 3 -set COLS 5 $name; hierarchy -check -top $name; proc" \
      > /dev/null 2>&1 || problems+=" yosys-ROWS=3,COLS=5"
    iverilog -g2005 -Wall -s "$name" -P"$name.ROWS=3" -P"$name.COLS=5" -o /dev/null "${files[@]}" \
      >> "$dir.iverilog.log" 2>&1 || problems+=" iverilog-ROWS=3,COLS=5"
  fi
  if [ -n "$problems" ]; then
    echo "FAIL $name:$problems"; cat "$dir.log" "$dir.iverilog.log" | head -20; failed=$((failed + 1))
  else
    echo "clean $name"; passed=$((passed + 1))
  fi
done < <("$mixpe" list "$block")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
