#!/usr/bin/env bash
# Installs every system dependency of mixpe on Debian 12 (idempotent: quick when all is present).
set -euo pipefail
packages=(cmake g++ make verilator yosys opensta iverilog libcli11-dev libfmt-dev libgtest-dev
          nlohmann-json3-dev zlib1g-dev python3 python3-matplotlib python3-yaml parallel rsync clang-format)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
