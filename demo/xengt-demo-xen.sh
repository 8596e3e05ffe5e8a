#!/bin/bash
# SPDX-License-Identifier: MIT
#
# make demo-xen (tools/run demo --xen): the demo on the real hypervisor.
# Boots Debian's Xen 4.17 in QEMU through the system test (tests/xen,
# software emulation, about six minutes), and tells what happened as it
# happens: two HVM guests each served by its own xengt-dm, what Linux in
# the guest sees of the vGPU, its vblank interrupts arriving as MSIs, the
# dom0 CPU cost against qemu-xen, and the daemons leaving with their guests.
# Needs root, like the system test.  The full per-check list is in
# BUILDDIR/tests/xen/run/console.log afterwards.
# XENGT_DEMO_XEN_REPLAY=FILE tells the story of a saved check-xen output
# instead of booting (tests/xen/demo-replay.sh checks the story so).
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}

echo "== xengt-dm demo on the real Xen 4.17, booted in QEMU (TCG, about 6 minutes) =="
echo
declare -A checks fails
total_fail=0
while IFS= read -r line; do
	case $line in
	"check-xen: "*) echo "${line#check-xen: }" ;;
	"SKIP: "*) echo "$line"; exit 77 ;;
	"dom0 up after"*) echo "Xen is up; its Debian dom0 booted in ${line#dom0 up after }." ;;
	"INFO: Xen "*) echo "xl info: ${line#INFO: }" ;;
	"PASS: check-xen: "*) echo "${line#PASS: check-xen: }" ;;
	"PASS: xengt-dm ready for "*)
		set -- ${line#PASS: xengt-dm ready for }
		echo
		echo "xl create -p $1: HVM guest $2 $3 created paused; xengt-dm ready ${*:4};"
		echo "  the guest is unpaused, boots Linux from a busybox initramfs."
		;;
	"PASS: "*": vGPU at "*)
		g=${line#PASS: }
		echo "  ${g%%:*} (Linux inside): lspci would show ${g#*: vGPU at }"
		;;
	"INFO: "*": interrupts: "*)
		g=${line#INFO: }
		echo "  ${g%%:*} (Linux inside): ${g#*interrupts: }"
		;;
	"INFO: dom0 CPU per read"*)
		echo
		echo "g1 reads a port of xengt-dm and qemu-xen's UART status port in turn:"
		echo "  ${line#INFO: }"
		;;
	"P7 "*) echo "  $line" ;;
	"INFO: guest round trip"*) echo "  ${line#INFO: }" ;;
	"INFO: "*": answered "*)
		g=${line#INFO: }
		set -- ${g#*: answered }
		echo "  ${g%%:*}'s xengt-dm answered $1 ioreqs; ${g##*interrupts: }"
		;;
	"PASS: xengt-dm for "* | "PASS: xl shutdown"*)
		echo
		echo "${line#PASS: }"
		;;
	"INFO: "*": Xen destroyed the ioreq server "*)
		g=${line#INFO: }
		echo
		echo "${g%%:*} is dying: ${g#*: }"
		echo "  (Xen relinquishes the guest's memory first; the daemon learns of the death then)"
		;;
	"PASS: "*": "*)
		g=${line#PASS: }
		g=${g%%:*}
		checks[$g]=$((${checks[$g]:-0} + 1))
		;;
	"FAIL: "*)
		echo "  $line"
		total_fail=$((total_fail + 1))
		;;
	[0-9]*" passed, "*" failed")
		echo
		for g in "${!checks[@]}"; do
			echo "$g: ${checks[$g]} scenario checks passed inside the guest (the same files xensim runs)"
		done
		echo "system test: $line"
		;;
	esac
done < <(if [ -n "${XENGT_DEMO_XEN_REPLAY:-}" ]; then
	cat "$XENGT_DEMO_XEN_REPLAY"
else
	"$src/tests/xen/check-xen.sh" "$build" 2>&1
fi)
echo
echo "== demo done =="
[ "$total_fail" -eq 0 ]
