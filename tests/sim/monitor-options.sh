#!/bin/sh
# SPDX-License-Identifier: MIT
# The monitor's options as an admin meets them: xengt-dm refuses a bad
# mode and a missing, short, long or corrupt EDID file, each with exit
# status 1 and a line naming the problem, before it touches Xen (the
# options are parsed first).
set -u
dm=./xengt-dm
[ -x "$dm" ] || { echo "SKIP: xengt-dm not built"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0

refuse() { # WANT-IN-MESSAGE ARGS...: exit 1, the message says WANT
	want=$1
	shift
	"$dm" --domid 1 "$@" >"$t/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q -- "$want" "$t/out"; then
		echo "PASS: $* refused: $(head -n 1 "$t/out")"
	else
		echo "FAIL: $*: exit $rc, said: $(head -n 2 "$t/out" | tr '\n' ' ')"
		fail=1
	fi
}

refuse "expected 1024x768" --monitor 800x600
refuse "expected 1024x768" --monitor 1024x768x
refuse "No such file" --edid "$t/none"
head -c 100 /dev/zero >"$t/short"
refuse "not a valid EDID" --edid "$t/short"
head -c 513 /dev/zero >"$t/long"
refuse "longer than 512" --edid "$t/long"
# a valid-looking header with a wrong checksum
{ printf '\000\377\377\377\377\377\377\000'; head -c 120 /dev/zero; } >"$t/sum"
refuse "not a valid EDID" --edid "$t/sum"
exit $fail
