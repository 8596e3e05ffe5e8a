#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/ipa.sh BENCH_DEVICE: instructions per handled register access.
# Runs the device-alone loop under callgrind twice, with N accesses and
# with none, and divides the difference by N, so creating the vGPU and
# starting the process are not counted.  Needs valgrind; without it the
# line says so (the goal is not met by default).
set -euo pipefail
dev=$1
n=200004 # whole rounds of the 12-access mix
if ! command -v valgrind >/dev/null 2>&1; then
	echo "P8b instructions per register access (callgrind): not measured, valgrind is not installed"
	exit 0
fi
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$dev" loop "$1" 2>&1 >/dev/null |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
base=$(count 0)
full=$(count $n)
if [ -z "$base" ] || [ -z "$full" ]; then
	echo "bench/ipa.sh: callgrind gave no instruction count" >&2
	exit 1
fi
echo "   callgrind: $full instructions with $n accesses, $base with none"
awk -v b="$base" -v f="$full" -v n="$n" \
	'BEGIN { printf "P8b instructions per register access, device alone (callgrind): %.0f\n", (f - b) / n }'
