#!/usr/bin/env bash
# The C++ follows .clang-format: every source file of generator/, tb/ and tests/ unchanged by
# clang-format (the generated RTL headers under rtl/ are the emitter's). Fix: clang-format -i FILE.
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0
while IFS= read -r f; do
  if clang-format --dry-run --Werror "$f" > /dev/null 2>&1; then passed=$((passed + 1))
  else echo "FAIL: $f is not formatted (clang-format -i $f)"; failed=$((failed + 1)); fi
done < <(find generator tb tests \( -name '*.cpp' -o -name '*.h' \) | sort)
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
