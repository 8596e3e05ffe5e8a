#!/bin/bash
# SPDX-License-Identifier: MIT
#
# check-xen.sh BUILDDIR: the system test on the real hypervisor.
#
# Boots Debian's Xen 4.17 inside QEMU (TCG) with a Debian 12 dom0 that
# carries this build's installed files, runs tests/xen/dom0-run.sh there
# (two HVM guests, each served by its own xengt-dm, running the shared
# scenarios from a busybox initramfs), and prints one PASS/FAIL line per
# check and a closing "N passed, N failed".  The dom0 base image is cached
# under BUILDDIR/tests/xen/cache and rebuilt only when its inputs change.
# The guests' i915 step (see below) is on; XENGT_I915_CHECKS=0 leaves it out.
# Needs root (mmdebstrap, image ownership).  Facts behind the settings:
# shared/reference/xen-in-qemu-facts.md.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
cache=${XENGT_XEN_CACHE:-$build/tests/xen/cache}
work=$build/tests/xen/run
# Each guest also loads Debian's unmodified i915 (and its module chain)
# against the vGPU and checks what the driver made of it (guest-init's
# i915 step); XENGT_I915_CHECKS=0 leaves the step out.
i915=${XENGT_I915_CHECKS:-1}
[ "$i915" = 1 ] || i915=0
timeout_s=${XENGT_XEN_TIMEOUT:-720}
[ "$i915" = 0 ] || timeout_s=${XENGT_XEN_TIMEOUT:-1000}
# QEMU's TCG mode and the number of emulated CPUs (Xen's pCPUs).  One:
# with two, Xen, dom0 and the guests saw memory corruption in most runs
# on a 2-core host (dom0 programs dying of SIGSEGV/SIGABRT, guests hung in
# early boot), with either TCG threading mode; with one, none in our runs
# (docs/real-xen.md, "One emulated CPU").  Guests keep two vCPUs.
accel=${XENGT_XEN_ACCEL:-tcg}
smp=${XENGT_XEN_SMP:-1}
cpu=${XENGT_XEN_CPU:-max,-smap}
xen_extra=${XENGT_XEN_ARGS:-}
start=$(date +%s)

note() { echo "check-xen: $*" >&2; }
skip() {
	echo "SKIP: check-xen: $*"
	exit 77
}

[ "$(id -u)" -eq 0 ] || skip "needs root (mmdebstrap and the dom0 image); run as root"
pkgs=(qemu-system-x86 xen-hypervisor-4.17-amd64 linux-image-amd64 busybox-static
	mmdebstrap e2fsprogs cpio)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	note "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null ||
		skip "cannot install ${missing[*]}"
fi
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not available"
qemu-system-x86_64 -accel help 2>/dev/null | grep -q tcg || skip "QEMU has no TCG accelerator"
xen_gz=/boot/xen-4.17-amd64.gz
[ -f $xen_gz ] || skip "$xen_gz missing"
kver=$(cd /boot && ls vmlinuz-* | sed 's/^vmlinuz-//' | sort -V | tail -n 1)
[ -n "$kver" ] && [ -d "/lib/modules/$kver" ] || skip "no kernel with modules in /boot"

# The guest's interrupt test driver (tests/xen/irqtest), built against the
# headers of the kernel the guest boots.  Without it the interrupt
# scenario fails in the guest, saying why; the rest still runs.  Built in
# a scratch directory of its own: in an in-tree build
# $build/tests/xen/irqtest is the source directory.
irqtest=$build/tests/xen/irqtest-build
pre_passed=0 pre_failed=0
rm -rf "$irqtest" && mkdir -p "$irqtest"
cp "$src/tests/xen/irqtest/xengt_irqtest.c" "$irqtest/"
echo 'obj-m := xengt_irqtest.o' >"$irqtest/Kbuild"
if ! [ -d "/lib/modules/$kver/build" ]; then
	note "installing linux-headers-$kver for the guest's test driver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"linux-headers-$kver" >/dev/null 2>&1
fi
if make -C "/lib/modules/$kver/build" M="$irqtest" modules >"$irqtest/build.log" 2>&1; then
	echo "PASS: check-xen: built the guest's xengt_irqtest.ko for $kver"
	pre_passed=1
else
	pre_failed=1
	echo "FAIL: check-xen: cannot build the guest's xengt_irqtest.ko for $kver: $(grep -m1 -i error "$irqtest/build.log")"
fi

# The i915 step's modules: i915 and what it depends on, in load order as
# modprobe resolves it from the guest kernel's modules.dep, stored
# uncompressed (busybox insmod loads plain .ko files; Debian signs the
# uncompressed module, so decompressing keeps the signature) and packed
# as an XZ cpio archive the guest kernel unpacks after the gzip one.
# Cached by the modules' names, sizes and times: packing takes a few
# seconds.
if [ "$i915" = 1 ]; then
	mkdir -p "$cache"
	i915_key=$(modprobe -S "$kver" --show-depends i915 | awk '$1 == "insmod" { print $2 }' |
		xargs -r ls -lL | sha256sum | cut -c1-16)
	i915_cpio=$cache/i915-modules-$kver-$i915_key.cpio.xz
	if [ ! -s "$i915_cpio" ]; then
		m=$cache/i915-modules.d
		rm -rf "$m" "$cache"/i915-modules-*.cpio.xz && mkdir -p "$m/i915"
		n=0
		for f in $(modprobe -S "$kver" --show-depends i915 | awk '$1 == "insmod" { print $2 }'); do
			n=$((n + 1))
			b=${f##*/}
			out=$m/i915/$(printf %02d $n)-${b%%.ko*}.ko
			case $f in
			*.ko) cp "$f" "$out" ;;
			*.ko.xz) xz -dc "$f" >"$out" ;;
			*.ko.zst) zstd -qdc "$f" >"$out" ;;
			*.ko.gz) gzip -dc "$f" >"$out" ;;
			*) echo "FAIL: check-xen: unknown module file $f"; exit 1 ;;
			esac
		done
		[ -f "$m/i915/$(printf %02d $n)-i915.ko" ] ||
			{ echo "FAIL: check-xen: modprobe found no i915 module chain for $kver"; exit 1; }
		(cd "$m" && find . | cpio -o -H newc --quiet | xz --check=crc32 -6) >"$i915_cpio.tmp"
		mv "$i915_cpio.tmp" "$i915_cpio"
		rm -rf "$m"
	fi
	note "i915 checks on: the guests load $(xz -dc "$i915_cpio" | cpio -it --quiet 2>/dev/null | sort |
		sed -n 's|^\(\./\)*i915/[0-9]*-\(.*\)\.ko$|\2|p' | tr '\n' ' ')"
fi

for f in xengt-dm tests/scenario/xengt-guest-check tests/xen/guest-portbench tests/xen/guest-uevents \
	tests/xen/guest-fbpattern tests/xen/guest-drmflip tests/xen/domwatch tests/xen/fbcheck; do
	[ -x "$build/$f" ] || { echo "FAIL: check-xen: $build/$f is not built"; exit 1; }
done

# The dom0 base: Debian 12 with the Xen tools, from this machine's own
# apt sources, plus the host kernel's modules.  Cached by its inputs.
# libjson-c5, libpng16-16 and libvncserver1: what xengt-dm links besides
# the Xen and libdrm libraries.
dom0_pkgs="xen-utils-4.17,qemu-system-xen,kmod,iproute2,procps,util-linux,xenstore-utils,libjson-c5,libpng16-16,libvncserver1"
sources=
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
	[ -s "$f" ] && { sources=$f; break; }
done
[ -n "$sources" ] || skip "no apt sources to build the dom0 from"
key=$( { echo "$dom0_pkgs $kver"; cat "$sources"; } | sha256sum | cut -c1-16)
base=$cache/dom0-base-$key.tar
mkdir -p "$cache"
if [ ! -f "$base" ]; then
	note "building the dom0 base image ($dom0_pkgs)"
	rm -rf "$cache"/dom0-base-*
	# Into a directory (tar output in root mode cannot create the
	# chroot's /dev/null here), then packed.
	mmdebstrap --quiet --variant=minbase --mode=root --include="$dom0_pkgs" \
		bookworm "$base.d" "$sources" >&2
	tar -C "$base.d" -cf "$base.tmp" .
	rm -rf "$base.d"
	mv "$base.tmp" "$base"
fi

rm -rf "$work"
mkdir -p "$work/root"
tar -xf "$base" -C "$work/root"
mkdir -p "$work/root/lib/modules" "$work/root/xengt"
cp -a "/lib/modules/$kver" "$work/root/lib/modules/"
make -s -C "$build" install DESTDIR="$work/root" >/dev/null
cp "$src/tests/xen/dom0-init" "$src/tests/xen/dom0-run.sh" "$build/tests/xen/domwatch" \
	"$build/tests/xen/fbcheck" \
	"$work/root/xengt/"
cp "/boot/vmlinuz-$kver" "$work/root/xengt/vmlinuz"

# The guest: a busybox initramfs with our static programs and scenarios.
g=$work/guest
mkdir -p "$g/bin" "$g/scn" "$g/proc" "$g/sys" "$g/dev"
cp /bin/busybox "$g/bin/busybox"
for a in $("$g/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$g/bin/$a"
done
ln -sf bin "$g/sbin"
cp "$src/tests/xen/guest-init" "$g/init"
cp "$build/tests/scenario/xengt-guest-check" "$build/tests/xen/guest-portbench" "$build/tests/xen/guest-uevents" \
	"$build/tests/xen/guest-fbpattern" "$build/tests/xen/guest-drmflip" "$g/"
[ -f "$irqtest/xengt_irqtest.ko" ] && cp "$irqtest/xengt_irqtest.ko" "$g/"
cp "$src"/tests/scenario/*.scn "$g/scn/"
(cd "$g" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/root/xengt/guest.cpio.gz"
if [ "$i915" = 1 ]; then
	# the guest's init runs its i915 step when /i915 exists; dom0-run.sh
	# gives the guests the time for it when this file exists
	cat "$i915_cpio" >>"$work/root/xengt/guest.cpio.gz"
	echo 1 >"$work/root/xengt/i915-checks"
fi

mke2fs -q -t ext4 -d "$work/root" "$work/dom0.img" 3G
zcat $xen_gz >"$work/xen.elf"
note "image ready after $(($(date +%s) - start)) s; booting Xen in QEMU (TCG)"

# The three settings xen-in-qemu-facts.md found necessary: -cpu max,-smap,
# tsc_mode=native in the guests (dom0-run.sh), HAP only.
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel "$accel" -machine q35 \
	-cpu "$cpu" -m 6G -smp "$smp" -nographic -no-reboot -kernel "$work/xen.elf" \
	-append "dom0_mem=2048M,max:2048M dom0_max_vcpus=$smp console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot console_timestamps=boot $xen_extra" \
	-initrd "/boot/vmlinuz-$kver root=/dev/vda rw console=hvc0 earlyprintk=xen quiet loglevel=3 init=/xengt/dom0-init,/boot/initrd.img-$kver" \
	-drive "file=$work/dom0.img,if=virtio,format=raw,cache=unsafe" \
	</dev/null 2>&1 | sed -u 's/\r//g' | tee "$work/console.log" |
	sed -u -n '/^XENTEST: TALLY /d; s/^XENTEST: //p'
qrc=${PIPESTATUS[0]}
set -e

cpassed=$(grep -c '^XENTEST: PASS:' "$work/console.log" || true)
cfailed=$(grep -c '^XENTEST: FAIL:' "$work/console.log" || true)
passed=$((cpassed + pre_passed))
failed=$((cfailed + pre_failed))
tally=$(sed -n 's/^XENTEST: TALLY \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$work/console.log" | tail -n 1)
if [ -z "$tally" ] && grep -q '^XENTEST: END' "$work/console.log"; then
	echo "FAIL: dom0's tally of its results did not arrive intact"
	failed=$((failed + 1))
elif [ -n "$tally" ] && [ "$tally" != "$cpassed $cfailed" ]; then
	echo "FAIL: dom0 wrote $tally (passed failed) results, the console shows $cpassed $cfailed: lines were garbled on the serial line"
	failed=$((failed + 1))
fi
if ! grep -q '^XENTEST: END' "$work/console.log"; then
	echo "FAIL: the run did not complete (QEMU exit $qrc); last lines of $work/console.log:"
	tail -n 15 "$work/console.log"
	failed=$((failed + 1))
fi
if [ $((passed + failed)) -eq 0 ]; then
	echo "FAIL: no check reported a result"
	failed=1
fi
if [ "$i915" = 1 ]; then
	# Each guest's serial log and its xengt-dm log, from the dom0's disk,
	# and the i915 step's kernel log (between its markers in the serial
	# log), for reading after the run.
	for n in g1 g2; do
		for f in $n-serial xengt-dm-$n; do
			rm -f "$build/tests/xen/$f.log"
			debugfs -R "dump /var/log/xen/$f.log $build/tests/xen/$f.log" "$work/dom0.img" >/dev/null 2>&1 || true
		done
		# the daemon's screenshots of what the guest showed (shot() in
		# dom0-run.sh): its console, its fb0 picture, its flipped frame
		for f in console fb0 flip; do
			rm -f "$build/tests/xen/$n-$f.png"
			debugfs -R "dump /var/log/xen/$n-$f.png $build/tests/xen/$n-$f.png" "$work/dom0.img" >/dev/null 2>&1 || true
			[ -s "$build/tests/xen/$n-$f.png" ] &&
				echo "INFO: $n: the screenshot of its $f is in $build/tests/xen/$n-$f.png"
		done
		out=$build/tests/xen/i915-dmesg-$n.txt
		touch "$build/tests/xen/$n-serial.log"
		if tr -d '\r' <"$build/tests/xen/$n-serial.log" | sed -n 's/^I915-DMESG-GZ //p' |
			base64 -d 2>/dev/null | gzip -dc >"$out" 2>/dev/null; then
			echo "INFO: $n: its i915 step's kernel log ($(wc -l <"$out") lines) is in $out"
		else
			echo "INFO: $n: its i915 step's kernel log did not arrive intact ($(wc -l <"$out") lines decoded into $out)"
		fi
	done
fi
note "whole run: $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
