#!/bin/sh
# One sweep job (scripts/mixpe_flow/sweep.py): unpack the sweep's bundle here once (the first job on a host
# does it, the others wait on the lock), then run the point's command with its output in logs/ID.log.
# The command itself writes results/ID.json, last: a result file means the job succeeded.
# Usage: sh job.sh BUNDLE ID COMMAND...
set -u
bundle=$1 id=$2
shift 2
mkdir -p results logs
flock .unpack.lock sh -c "[ -f .unpacked-$bundle ] || { tar xf $bundle.tar && touch .unpacked-$bundle; }" || exit 97
exec "$@" > "logs/$id.log" 2>&1
