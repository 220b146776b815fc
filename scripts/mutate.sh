#!/usr/bin/env bash
# Mutation testing of a generated engine (`mixpe mutate engine`): a seeded sample of the
# single-point mutants of each module, each run by the testbench that sees that module first (its
# own block's, else the engine's), and by the engine's when the first one misses it. Prints the
# kill rate per module and every survivor. Usage:
#   mutate.sh MIXPE "LIBS" OUTROOT "ENGINE OPTIONS" SAMPLE SEED
set -uo pipefail
mixpe=$1 libs=$2 out=$3 opts=$4 sample=$5 seed=$6
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
# shellcheck disable=SC2086
"$mixpe" mutate engine $opts --list > "$out/all.txt" || exit 2
export MIXPE_VERILATOR_FLAGS=-Wno-fatal  # a mutant may leave a signal unused: it must still build
# a testbench per mutant: compiled at -O0, 3 to 8 times faster to build than -O2 (runs are short)
export MIXPE_CXX_OPT=${MIXPE_CXX_OPT:--O0}
harness() { case $1 in pe) echo pe_tb.cpp ;; edge) echo edge_tb.cpp ;; group-unit) echo group_unit_tb.cpp ;; *) echo engine_tb.cpp ;; esac; }
# each testbench with the arguments the test suite gives it (tests/CMakeLists.txt: the PE's and the
# blocks' defaults; the default engine's random GEMMs and the model's layers), so that the campaign
# measures the suite that runs
tb_args() { case $1 in engine) echo "--random 20 --model $root/tests/data/stories260K.bin" ;; *) echo "" ;; esac; }
# run_tb ID BLOCK OPTIONS: 0 the mutant survives, 1 killed, 2 does not build
run_tb() {
  local id=$1 block=$2 bopts=$3 dir="$out/tb_$1_$2"
  # shellcheck disable=SC2086
  MIXPE_RTL="$out/m$id" bash "$root/scripts/verilate_tb.sh" "$mixpe" "$root/tb/$(harness "$block")" "$dir" "$libs" \
    "$block" $bopts > "$dir.build.log" 2>&1 || return 2
  # shellcheck disable=SC2046
  timeout 600 "$dir/tb" $(tb_args "$block") > "$dir.log" 2>&1
  local status=$?
  rm -rf "$dir"
  [ "$status" -eq 0 ] && return 0 || return 1
}
summary=""
total_k=0 total_n=0
for module in $(awk '{ print $2 }' "$out/all.txt" | sort -u); do
  ids=$(awk -v m="$module" '$2 == m { print $1 }' "$out/all.txt" |
        shuf -n "$sample" --random-source=<(yes "$seed") | sort -n)
  killed=0 tried=0 nobuild=0 survivors=""
  for id in $ids; do
    line=$(awk -v i="$id" '$1 == i' "$out/all.txt")
    first=$(cut -d'|' -f2 <<< "$line" | sed 's/^ //; s/ $//')
    what=$(cut -d'|' -f3- <<< "$line" | sed 's/^ //')
    block=${first%% *} bopts=${first#* }
    rm -rf "$out/m$id"
    # shellcheck disable=SC2086
    "$mixpe" mutate engine $opts --mutant "$id" -o "$out/m$id" > /dev/null || { echo "mutant $id: not written"; continue; }
    run_tb "$id" "$block" "$bopts"; r=$?
    if [ "$r" -eq 0 ] && [ "$block" != engine ]; then
      # shellcheck disable=SC2086
      run_tb "$id" engine "$(cut -d'|' -f2 <<< "$(grep -m1 ' | engine ' "$out/all.txt")" | sed 's/^ engine //; s/ $//')"; r=$?
      [ "$r" -eq 2 ] && r=0  # the engine testbench does not build: the first verdict stands
    fi
    rm -rf "$out/m$id"
    if [ "$r" -eq 2 ]; then nobuild=$((nobuild + 1)); echo "  #$id does not build: $what"; continue; fi
    tried=$((tried + 1))
    if [ "$r" -eq 1 ]; then killed=$((killed + 1)); echo "  #$id killed: $what"
    else survivors+="    #$id $what"$'\n'; echo "  #$id SURVIVED: $what"; fi
  done
  total_k=$((total_k + killed)) total_n=$((total_n + tried))
  rate=$(awk -v k="$killed" -v n="$tried" 'BEGIN { printf "%.0f%%", n ? 100 * k / n : 100 }')
  summary+="$(printf '%-64s %3d of %3d killed (%s), %d did not build' "$module" "$killed" "$tried" "$rate" "$nobuild")"$'\n'
  [ -n "$survivors" ] && summary+="$survivors"
done
echo "mutation testing of the engine ($opts), $sample per module, seed $seed:"
printf '%s' "$summary"
echo "all modules: $total_k of $total_n killed"
