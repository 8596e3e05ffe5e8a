#!/bin/sh
# SPDX-License-Identifier: MIT
# xengt-guest-check cannot touch a device here: check that it is static,
# that --dry-run parses every scenario file and lists every check, and
# that a malformed file is refused with its line number before anything
# runs.
set -u
bin=./tests/scenario/xengt-guest-check
dir=${srcdir:-.}/tests/scenario
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

[ -x "$bin" ] || fail "$bin not built"
if command -v readelf >/dev/null 2>&1; then
	readelf -l "$bin" | grep -q INTERP && fail "$bin is not static"
	echo "PASS: $bin is statically linked"
fi

"$bin" --dry-run "$dir"/*.scn >"$tmp/out" 2>"$tmp/err" ||
	fail "dry run: $(cat "$tmp/err")"
want=$(cat "$dir"/*.scn | grep -c '^check ')
grep -q "^# dry run: $want checks in " "$tmp/out" ||
	fail "dry run did not list $want checks: $(tail -1 "$tmp/out")"
echo "PASS: --dry-run parses $want checks"

# What --dry-run prints parses again to the same steps.
norm() { sed -e '/^#/d' -e 's/[[:space:]]*# line [0-9]*$//'; }
for f in "$dir"/*.scn; do
	"$bin" --dry-run "$f" >"$tmp/p1.scn" || fail "$f: dry run"
	"$bin" --dry-run "$tmp/p1.scn" >"$tmp/p2.scn" || fail "$f: reprint"
	norm <"$tmp/p1.scn" >"$tmp/n1"
	norm <"$tmp/p2.scn" >"$tmp/n2"
	cmp -s "$tmp/n1" "$tmp/n2" || fail "$f: printed steps do not round-trip"
done
echo "PASS: printed steps round-trip"

printf 'check x\n\tmmio-read 0 0 4 0\n\tmmio-read 9 0 4 0\n' >"$tmp/bad.scn"
"$bin" --dry-run "$tmp/bad.scn" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "malformed file: exit $rc, want 2"
grep -q "bad.scn:3: BAR 9: must be a memory BAR" "$tmp/err" ||
	fail "malformed file: $(cat "$tmp/err")"
echo "PASS: malformed file refused with its line"

"$bin" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no arguments must exit 2"
echo "PASS: usage"
