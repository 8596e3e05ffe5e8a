#!/bin/sh
# SPDX-License-Identifier: MIT
# xensim's libraries must be drop-in replacements for Debian's libxen 4.17:
# same SONAME, and every symbol the real library defines defined in ours
# under the same version node (and no extra ones).  If the daemon is
# built, every Xen symbol it imports must resolve the same way in ours.
set -u
real=${XENSIM_REAL_LIBDIR:-/usr/lib/x86_64-linux-gnu}
ours=tests/xensim/lib
fail=0

command -v objdump >/dev/null && command -v readelf >/dev/null || {
	echo "SKIP: objdump/readelf not found"; exit 77; }

soname() {
	readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'
}

# "version symbol" for each defined dynamic symbol
defined() {
	objdump -T "$1" | awk '$0 !~ /\*UND\*/ && NF >= 7 &&
		$(NF-1) ~ /^VERS_/ && $NF !~ /^VERS_/ { print $(NF-1), $NF }' |
		sort -u
}

for lib in libxendevicemodel.so.1 libxenforeignmemory.so.1 \
	libxenevtchn.so.1 libxentoolcore.so.1 libxenctrl.so.4.17; do
	if [ ! -e "$ours/$lib" ]; then
		echo "FAIL: $ours/$lib not built"; fail=1; continue
	fi
	if [ ! -e "$real/$lib" ]; then
		echo "SKIP: no real $lib to compare"; continue
	fi
	if [ "$(soname "$ours/$lib")" != "$(soname "$real/$lib")" ]; then
		echo "FAIL: $lib SONAME $(soname "$ours/$lib") !=" \
			"$(soname "$real/$lib")"
		fail=1
	fi
	defined "$real/$lib" >"$lib.real.tmp"
	defined "$ours/$lib" >"$lib.ours.tmp"
	if ! diff -u "$lib.real.tmp" "$lib.ours.tmp" >"$lib.diff.tmp"; then
		echo "FAIL: $lib symbols/versions differ (- real, + ours):"
		grep '^[-+][^-+]' "$lib.diff.tmp" | head -20
		fail=1
	else
		echo "ok: $lib ($(wc -l <"$lib.ours.tmp") symbols," \
			"SONAME $(soname "$ours/$lib"))"
	fi
	cat "$lib.ours.tmp" >>abi-ours.tmp
	rm -f "$lib.real.tmp" "$lib.ours.tmp" "$lib.diff.tmp"
done

# The daemon's imports (if it is built).
for bin in xengt-dm tests/xensim/null-responder; do
	[ -x "$bin" ] || continue
	objdump -T "$bin" | awk '/\*UND\*/ && $NF ~ /^(xc_|xen)/ {
		v = $(NF-1); gsub(/[()]/, "", v); print v, $NF }' |
		sort -u >imports.tmp
	n=0
	while read -r ver sym; do
		n=$((n + 1))
		if ! grep -qx "$ver $sym" abi-ours.tmp; then
			echo "FAIL: $bin imports $sym@$ver, not in xensim's libs"
			fail=1
		fi
	done <imports.tmp
	echo "ok: $bin: $n Xen imports checked"
	rm -f imports.tmp
done
rm -f abi-ours.tmp
exit $fail
