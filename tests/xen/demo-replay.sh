#!/bin/sh
# SPDX-License-Identifier: MIT
# The real-Xen demo's story (demo/xengt-demo-xen.sh) told from a saved
# check-xen run (tests/xen/sample-check-xen.txt, a real run): every part a
# person should see is there, and a FAIL line in the run fails the demo.
set -u
dir=${srcdir:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

XENGT_DEMO_XEN_REPLAY=$dir/tests/xen/sample-check-xen.txt \
	sh -c "bash '$dir/demo/xengt-demo-xen.sh' '$tmp'" >"$tmp/out" 2>&1 ||
	fail "the demo failed on a passing run: $(tail -n 5 "$tmp/out")"
for want in \
	'^xl info: Xen 4\.17\.' \
	'^xl create -p g1: HVM guest (domain 1) created paused; xengt-dm ready after [0-9]* ms;$' \
	'^  g1 (Linux inside): lspci would show 00:02.0 (0x8086:0x1912 class 0x030000)$' \
	'^  g1 (Linux inside): xengt_irqtest handled [1-9][0-9]* MSIs from the vGPU' \
	'^  P7 dom0 CPU per port read on real Xen, xengt-dm/qemu-xen: [0-9.]*$' \
	'^g1 is dying: Xen destroyed the ioreq server [0-9]* ms after the domain began dying$' \
	'^xengt-dm for g1 exited 0, [0-9]* ms after Xen destroyed its ioreq server (xl destroy)$' \
	'^  g1.s xengt-dm answered [0-9]* ioreqs; [0-9]* MSIs injected$' \
	'^xl shutdown g2: the guest shut down' \
	'^g2: [0-9]* scenario checks passed inside the guest' \
	'^system test: [0-9]* passed, 0 failed$'; do
	grep -q "$want" "$tmp/out" || fail "no line matching '$want' in: $(cat "$tmp/out")"
done
echo "PASS: the demo tells a passing run"

sed 's/^PASS: g1: data writes reach BAR0$/FAIL: g1: data writes reach BAR0: line 9: .../' \
	"$dir/tests/xen/sample-check-xen.txt" >"$tmp/failed.txt"
if XENGT_DEMO_XEN_REPLAY=$tmp/failed.txt bash "$dir/demo/xengt-demo-xen.sh" "$tmp" >"$tmp/out2" 2>&1; then
	fail "a run with a FAIL line must fail the demo"
fi
grep -q '^  FAIL: g1: data writes reach BAR0' "$tmp/out2" || fail "the FAIL line is not shown"
echo "PASS: the demo shows and fails on a failed check"
echo "2 passed, 0 failed"
