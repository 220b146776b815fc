#!/usr/bin/env bash
# The Makefile's make variables are the option schema's: OPTION_VARS in the Makefile lists
# exactly the pairs `mixpe list options` prints, so `make sim VAR=...` can never miss an option.
set -u
mixpe=$1 makefile=$2
want=$("$mixpe" list options | awk '{ print $2 ":" $1 }' | sort)
got=$(sed -n '/^OPTION_VARS/,/^[^ ]/p' "$makefile" | grep -v '^ENGINE_OPTS' | tr ' \\' '\n\n' | grep ':--' | sort)
if [ "$want" = "$got" ]; then
  echo "the Makefile's $(wc -l <<< "$got") option variables match the schema: 1 passed, 0 failed"
else
  diff <(echo "$want") <(echo "$got")
  echo "0 passed, 1 failed"
  exit 1
fi
