#!/bin/sh
# SPDX-License-Identifier: MIT
# Run xengt-guest-check's device paths on this machine against a stand-in
# sysfs tree (XENGT_GUEST_SYSFS): `config` and `resource` are plain files
# and `resource0` is a 16 MiB file, so MMIO is plain storage.  That checks
# the real instructions (single movs of each size, unaligned 8-byte,
# rep movs / rep stos with DF both ways, RAM buffers crossing a page)
# and the buffer placement, everything but port I/O, which needs the
# device.  string-mmio.scn only relies on storage, so it runs unchanged.
set -u
bin=./tests/scenario/xengt-guest-check
dir=${srcdir:-.}/tests/scenario
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

dev=$tmp/0000:00:02.0
mkdir "$dev" || exit 99
# 8086:1912, COMMAND 0x0007, class 030000 rev 06, BAR0 0xf0000004,
# BAR2 0xe000000c, BAR4 0xc001; the rest 0.
{
	printf '\206\200\022\031\007\000\020\000\006\000\000\003\000\000\000\000'
	printf '\004\000\000\360\000\000\000\000\014\000\000\340\000\000\000\000'
	printf '\001\300\000\000'
	head -c 220 /dev/zero
} >"$dev/config"
[ "$(wc -c <"$dev/config")" -eq 256 ] || fail "config is not 256 bytes"
cat >"$dev/resource" <<'RES'
0x00000000f0000000 0x00000000f0ffffff 0x0000000000140204
0x0000000000000000 0x0000000000000000 0x0000000000000000
0x00000000e0000000 0x00000000efffffff 0x000000000014220c
0x0000000000000000 0x0000000000000000 0x0000000000000000
0x000000000000c000 0x000000000000c03f 0x0000000000040101
0x0000000000000000 0x0000000000000000 0x0000000000000000
0x0000000000000000 0x0000000000000000 0x0000000000000000
RES
truncate -s 16M "$dev/resource0" && truncate -s 256M "$dev/resource2" ||
	exit 99

cat >"$tmp/fake.scn" <<'SCN'
# SPDX-License-Identifier: MIT
check config through the file
	cfg-read 0x00 4 0x19128086
	cfg-read 0x0a 2 0x0300
	cfg-read 0x01 2 0x1280
	cfg-write 0x3c 1 0x0b
	cfg-read 0x3c 1 0x0b
check bars from resource
	bar-size 0 0x1000000
	bar-flags 0 mem64
	bar-size 2 0x10000000
	bar-flags 2 mem64-pref
	bar-size 4 64
	bar-flags 4 io
check every size and alignment
	mmio-write 0 0xc180 8 0x8877665544332211
	mmio-read 0 0xc180 1 0x11
	mmio-read 0 0xc181 2 0x3322
	mmio-read 0 0xc183 4 0x77665544
	mmio-read 0 0xc181 8 0x0088776655443322
	mmio-write 0 0xc19a 8 0xfedcba9876543210
	mmio-read 0 0xc19c 4 0xba987654
	mmio-write 0 0xffe 4 0xa1b2c3d4		# across a page of the mapping
	mmio-read 0 0x1000 2 0xa1b2
	mmio-read 2 0xffffff8 8 0
check the last bytes of BAR2
	mmio-write 2 0xffffffc 4 0x600dd00d
	mmio-read 2 0xffffffc 4 0x600dd00d
check rep stos down stays inside its items
	mmio-write 0 0x2000 8 0x1111111111111111
	mmio-write 0 0x2018 8 0x2222222222222222
	rep-stos 0 0x2008 8 2 0x3333333333333333 down
	mmio-read 0 0x2000 8 0x1111111111111111
	mmio-read 0 0x2018 8 0x2222222222222222
check rep movs items keep their order both ways
	rep-movs-to 0 0x3000 2 7 0x100 down cross
	mmio-read 0 0x3000 2 0x100
	mmio-read 0 0x300c 2 0x106
	rep-movs-from 0 0x3000 1 14 down cross
	rep-movs-from 0 0x3001 1 1 0x01
SCN

run() {
	XENGT_GUEST_SYSFS=$tmp "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	sed "s/^/  | /" "$tmp/out" "$tmp/err" # nested output, indented
}

run "$tmp/fake.scn" "$dir/string-mmio.scn"
[ $rc -eq 0 ] || fail "scenarios on the stand-in device: exit $rc"
grep -q '^13 passed, 0 failed$' "$tmp/out" || fail "not 13 passed"

# A wrong expectation: FAIL line with the step and what was read, exit 1.
printf 'mmio-write 0 0xc180 4 0x44332211\ncheck wrong\n\tmmio-read 0 0xc180 4 0x12345678\ncheck right\n\tmmio-read 0 0xc180 1 0x11\n' \
	>"$tmp/wrong.scn"
run "$tmp/wrong.scn"
[ $rc -eq 1 ] || fail "a failing check must exit 1 (got $rc)"
grep -q '^FAIL: wrong: line 3: mmio-read 0 0xc180 4 0x12345678: read 0x44332211, expected 0x12345678$' \
	"$tmp/out" || fail "FAIL line"
grep -q '^PASS: right$' "$tmp/out" || fail "the next check must still run"
grep -q '^1 passed, 1 failed$' "$tmp/out" || fail "summary"

# Beyond the BAR: a failed step, not a crash.
printf 'check beyond\n\tmmio-read 0 0xfffffe 4 *\n' >"$tmp/beyond.scn"
run "$tmp/beyond.scn"
[ $rc -eq 1 ] && grep -q '^FAIL: beyond: .*beyond BAR 0' "$tmp/out" ||
	fail "access beyond the BAR"

# A fault during an access (SIGBUS: the file behind BAR0 is shorter than
# the BAR) fails that step; the run goes on, and DF is clear afterwards.
cp -r "$dev" "$tmp/0000:00:03.0" && truncate -s 4096 "$tmp/0000:00:03.0/resource0"
printf 'check fault\n\trep-stos 0 0xff0 4 8 0x1 down\ncheck after\n\tmmio-write 0 0x10 4 7\n\trep-movs-to 0 0x100 4 8 0x10 cross\n' \
	>"$tmp/fault.scn"
run -d 0000:00:03.0 "$tmp/fault.scn"
[ $rc -eq 1 ] && grep -q '^FAIL: fault: .*error: Bus error during the access' "$tmp/out" &&
	grep -q '^PASS: after$' "$tmp/out" || fail "fault handling"
# Interrupts: driver_override and bind written, counts summed over CPUs
# from the driver's /proc/interrupts line; a count that moves fails
# irq-none, one that stays fails irq-wait.
mkdir -p "$tmp/drivers/xengt_irqtest" && : >"$tmp/drivers/xengt_irqtest/bind" &&
	: >"$tmp/drivers/xengt_irqtest/unbind" && : >"$dev/driver_override" || exit 99
printf '           CPU0       CPU1\n  0:         42          0   IO-APIC   2-edge      timer\n 24:          3          4  PCI-MSI 16384-edge      xengt_irqtest\n' \
	>"$tmp/interrupts"
printf 'irq-attach\ncheck quiet\n\tirq-none 20\ncheck waits in vain\n\tirq-wait 1 20\ncheck detach\n\tirq-detach\n' >"$tmp/irq.scn"
XENGT_GUEST_DRIVERS=$tmp/drivers XENGT_GUEST_INTERRUPTS=$tmp/interrupts run "$tmp/irq.scn"
[ $rc -eq 1 ] && grep -q '^PASS: quiet$' "$tmp/out" &&
	grep -q '^FAIL: waits in vain: line 5: irq-wait 1 20: 0 interrupts in 20 ms$' "$tmp/out" &&
	grep -q '^PASS: detach$' "$tmp/out" || fail "interrupts through the driver"
[ "$(cat "$tmp/drivers/xengt_irqtest/bind")" = 0000:00:02.0 ] &&
	[ "$(cat "$tmp/drivers/xengt_irqtest/unbind")" = 0000:00:02.0 ] &&
	[ "$(cat "$dev/driver_override")" = "" ] || fail "bind/unbind/driver_override"
( sleep 0.3; sed -i 's/  3   /  9   /' "$tmp/interrupts" ) &
printf 'irq-attach\ncheck counted\n\tirq-wait 6 3000\n' >"$tmp/irq2.scn"
XENGT_GUEST_DRIVERS=$tmp/drivers XENGT_GUEST_INTERRUPTS=$tmp/interrupts run "$tmp/irq2.scn"
wait
[ $rc -eq 0 ] && grep -q '^PASS: counted$' "$tmp/out" || fail "interrupt count from /proc/interrupts"
echo "PASS: stand-in device"
