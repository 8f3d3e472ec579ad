#!/usr/bin/env bash
# Builds (or finds in the cache) the guest kernel for the real-kernel tests and prints the path of its bzImage.
#
# Debian ships no binary kernel with CONFIG_IOMMUFD, so this builds one from Debian's linux-source package
# (default: linux-source-7.2 from trixie-backports), starting at `make tinyconfig` and enabling the options listed
# in kernel.config. kernel-source.sh fetches and unpacks the package (with a private apt, never installing it)
# into a shared tree that this script never writes to: the build runs out of tree (make O=...).
#
# The result is cached outside the repository in $GUESTMEM_CACHE (default /var/cache/guestmem) under
# kernel-<key>, where <key> hashes kernel.config, the source package's version and this recipe's revision, so a
# later run with the same inputs skips the build (about 9 minutes on 2 cores).
#
# Environment: GUESTMEM_CACHE, GUESTMEM_KERNEL_SUITE (trixie-backports), GUESTMEM_KERNEL_PACKAGE
# (linux-source-7.2), GUESTMEM_DEBIAN_MIRROR (default: the first Debian mirror in the machine's apt sources),
# GUESTMEM_JOBS (make -j, default: number of CPUs). Progress goes to stderr; only the bzImage path goes to stdout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fragment="$here/kernel.config"
cache="${GUESTMEM_CACHE:-/var/cache/guestmem}"
suite="${GUESTMEM_KERNEL_SUITE:-trixie-backports}"
package="${GUESTMEM_KERNEL_PACKAGE:-linux-source-7.2}"
jobs="${GUESTMEM_JOBS:-$(nproc)}"
# Bump when the build steps below change in a way that changes the kernel.
recipe_revision=1

log() { echo "[kernel] $*" >&2; }
die() { echo "[kernel] ERROR: $*" >&2; exit 1; }

mkdir -p "$cache"
exec 9>"$cache/kernel.lock"
flock 9   # one build at a time; a second caller waits and then finds the cached kernel

# The version the suite offers is part of the cache key; kernel-source.sh owns the private apt that knows it.
version="$(GUESTMEM_CACHE="$cache" GUESTMEM_KERNEL_SUITE="$suite" GUESTMEM_KERNEL_PACKAGE="$package" \
  "$here/kernel-source.sh" --version)" || die "no version of $package in $suite"
version="${version#"$package="}"

key="$( { cat "$fragment"; echo "$package=$version recipe=$recipe_revision"; } | sha256sum | cut -c1-16)"
out="$cache/kernel-$key"
if [[ -s "$out/bzImage" ]]; then
  log "cached: $out ($package $version)"
  echo "$out/bzImage"
  exit 0
fi

log "building $package $version with kernel.config into $out (make -j$jobs; about 9 minutes on 2 cores)"
start=$SECONDS
src="$(GUESTMEM_CACHE="$cache" GUESTMEM_KERNEL_SUITE="$suite" GUESTMEM_KERNEL_PACKAGE="$package" \
  "$here/kernel-source.sh")" || die "no source tree for $package"
# Out of tree (make O=...): the unpacked source stays clean and shared with other users of kernel-source.sh.
work="$cache/build-$key"
rm -rf "$cache"/build-*   # objects left by an interrupted build (we hold the lock)
mkdir -p "$work"

mapfile -t options < <(grep -E '^[A-Z0-9_]+$' "$fragment")
make -C "$src" O="$work" -s tinyconfig >&2
args=()
for o in "${options[@]}"; do args+=(--enable "$o"); done
"$src/scripts/config" --file "$work/.config" "${args[@]}"
make -C "$src" O="$work" -s olddefconfig >&2
# olddefconfig silently drops an option whose dependencies are missing: refuse such a kernel.
missing=()
for o in "${options[@]}"; do
  grep -qx "CONFIG_$o=y" "$work/.config" || missing+=("$o")
done
((${#missing[@]} == 0)) || die "options not enabled after olddefconfig (missing dependencies?): ${missing[*]}"

make -C "$src" O="$work" -s -j"$jobs" bzImage >&2 || die "kernel build failed"
mkdir -p "$out.tmp"
cp "$work/arch/x86/boot/bzImage" "$out.tmp/bzImage"
cp "$work/.config" "$out.tmp/config"
echo "$package $version" > "$out.tmp/version"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$work"
log "built in $((SECONDS - start)) s: $out/bzImage ($(stat -c %s "$out/bzImage") bytes)"
echo "$out/bzImage"
