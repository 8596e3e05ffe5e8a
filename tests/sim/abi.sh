#!/bin/sh
# SPDX-License-Identifier: MIT
#
# One binary, two hypervisors: xengt-dm is linked against Debian's real
# libxen 4.17 and runs under xensim only because LD_LIBRARY_PATH puts the
# simulator's ABI-compatible libraries first.  Checks:
#  1. without LD_LIBRARY_PATH every Xen library resolves to the system's;
#  2. with it, every one resolves to tests/xensim/lib;
#  3. every versioned Xen symbol the daemon imports is defined by the
#     simulator's library with the same version node;
#  4. a copy of the binary outside the build tree serves a guest.
set -u
dm=./xengt-dm
simlib=$(pwd)/tests/xensim/lib
libs="libxendevicemodel.so.1 libxenforeignmemory.so.1 libxenevtchn.so.1 libxentoolcore.so.1 libxenctrl.so.4.17"
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

for l in $libs; do
	real=$(env -u LD_LIBRARY_PATH ldd "$dm" | awk -v l="$l" '$1 == l { print $3 }')
	case $real in
	/usr/lib/*/"$l" | /lib/*/"$l") ok "$l -> $real without LD_LIBRARY_PATH" ;;
	*) bad "$l resolves to '$real' without LD_LIBRARY_PATH" ;;
	esac
	sim=$(LD_LIBRARY_PATH=$simlib ldd "$dm" | awk -v l="$l" '$1 == l { print $3 }')
	if [ "$sim" = "$simlib/$l" ]; then
		ok "$l -> $sim with LD_LIBRARY_PATH"
	else
		bad "$l resolves to '$sim' with LD_LIBRARY_PATH"
	fi
done

# Imported symbols with their version: "xendevicemodel_open VERS_1.0".
objdump -T "$dm" | awk '$3 == "*UND*" && $(NF-1) ~ /^\(?VERS_/ {
	v = $(NF-1); gsub(/[()]/, "", v); print $NF, v }' | sort -u >abi-imports.tmp
n=$(wc -l <abi-imports.tmp)
[ "$n" -gt 10 ] && ok "$n versioned Xen imports" || bad "only $n versioned imports found"
for l in $libs; do
	objdump -T "$simlib/$l" | awk '$3 != "*UND*" && $2 == "g" { print $NF, $(NF-1) }'
done | sort -u >abi-sim.tmp
missing=$(comm -23 abi-imports.tmp abi-sim.tmp)
if [ -z "$missing" ]; then
	ok "every import is defined by xensim with the same version"
else
	bad "xensim lacks: $(echo $missing | tr '\n' ' ')"
fi
rm -f abi-imports.tmp abi-sim.tmp

# The same binary, copied outside the build tree, serves a guest.
tmp=$(mktemp -d)
cp "$dm" "$tmp/xengt-dm"
if XENGT_DM=$tmp/xengt-dm CK_RUN_CASE=lifecycle ./tests/sim/test_lifecycle >"$tmp/out" 2>&1; then
	ok "a copy of the binary outside the build tree serves a guest"
else
	bad "copied binary: $(tail -n 5 "$tmp/out")"
fi
rm -rf "$tmp"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
