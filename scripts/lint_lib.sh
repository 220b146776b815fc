# Sourced by lint.sh and fuzz_configs.sh. lint_design DIR TOP [BLOCK]: lints the Verilog files of
# DIR with the three tools the output must satisfy, verilator --lint-only -Wall (zero warnings),
# yosys (read + hierarchy -check + proc) and iverilog -g2005 -Wall (no output); arrays again at
# ROWS=3, COLS=5 by parameter override. Prints the problems (empty: clean); logs in DIR.log*.
lint_design() {
  local dir=$1 name=$2 block=${3:-} problems=""
  local files=("$dir"/*.v)
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
  echo "$problems"
}
