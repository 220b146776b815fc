#!/usr/bin/env bash
# Random legal engine configurations (`mixpe list random`): each generated and linted with the
# three tools; every SIM_EVERY-th also simulated (a testbench built for it, random and corner
# GEMMs bit-exact against the golden model, 20 shapes' cycles against the cycle model). A
# failure prints the command that reproduces it.
# Usage: fuzz_configs.sh MIXPE "LIBS" OUTROOT COUNT SEED SIM_EVERY
set -uo pipefail
mixpe=$1 libs=$2 out=$3 count=$4 seed=$5 every=$6
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lint_lib.sh"
mkdir -p "$out/rtl"
# a testbench per simulated configuration: compiled at -O0, 3 to 8 times faster to build than -O2
export MIXPE_CXX_OPT=${MIXPE_CXX_OPT:--O0}
echo "fuzz-configs: $count configurations from seed $seed, every $every simulated"
linted=0 simulated=0 failed=0 i=0
while read -r name opts; do
  i=$((i + 1))
  dir="$out/rtl/$name"
  rm -rf "$dir"
  # shellcheck disable=SC2086
  if ! "$mixpe" gen engine -o "$dir" $opts > /dev/null 2> "$dir.log"; then
    echo "FAIL #$i $name: generation: $(cat "$dir.log"); reproduce: mixpe gen engine -o DIR $opts"
    failed=$((failed + 1)); continue
  fi
  problems=$(lint_design "$dir" "$name")
  linted=$((linted + 1))
  if [ -n "$problems" ]; then
    echo "FAIL #$i $name:$problems; reproduce: mixpe gen engine -o DIR $opts && make lint"
    failed=$((failed + 1)); continue
  fi
  if [ $((i % every)) -eq 0 ]; then
    # shellcheck disable=SC2086
    if bash "$root/scripts/sim_engine.sh" "$mixpe" "$libs" "$out/sim" "$opts" --quick --random 4 --cycle-shapes 20 --seed "$i" \
        > "$out/sim.log" 2>&1; then
      simulated=$((simulated + 1))
      echo "ok   #$i $name: linted, simulated: $(tail -n 1 "$out/sim.log")"
    else
      echo "FAIL #$i $name: simulation: $(grep -E 'MISMATCH|passed|rror' "$out/sim.log" | head -3)"
      echo "     reproduce: scripts/sim_engine.sh MIXPE LIBS build/sim \"$opts\" --quick --random 4 --cycle-shapes 20 --seed $i"
      failed=$((failed + 1))
    fi
    rm -rf "$out/sim"  # a testbench per configuration: keep the disk
  else
    echo "ok   #$i $name: linted"
  fi
done < <("$mixpe" list random --count "$count" --seed "$seed")
echo "fuzz-configs: $linted linted, $simulated simulated"
echo "$((linted - failed < 0 ? 0 : linted - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
