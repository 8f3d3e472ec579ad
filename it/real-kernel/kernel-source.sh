#!/usr/bin/env bash
# Fetches and unpacks a Debian linux-source package (or finds it in the cache) and prints the source tree's path.
#
# The tree is kept unpacked in $GUESTMEM_CACHE (default /var/cache/guestmem) under source-<package>-<version>/ and
# is shared: the guest kernel (kernel.sh) builds out of tree from it with `make O=...`, and the native peers of the
# benchmarks compile the kernel's user-space test harness from a copy of the parts they need. Nothing writes into
# the tree after it is unpacked.
#
# apt gets a private state directory and sources list for the suite ($GUESTMEM_CACHE/apt-<suite>), so the
# machine's own apt configuration and package lists stay as they are; the package is only downloaded and
# unpacked, never installed.
#
# Usage: kernel-source.sh            fetch if needed, print the tree's path
#        kernel-source.sh --version  print "<package>=<version>" that the suite offers, fetch nothing
#
# Environment: GUESTMEM_CACHE, GUESTMEM_KERNEL_SUITE (trixie-backports), GUESTMEM_KERNEL_PACKAGE
# (linux-source-7.2), GUESTMEM_DEBIAN_MIRROR (default: the first Debian mirror in the machine's apt sources).
# Progress goes to stderr; only the path (or the version) goes to stdout.
set -euo pipefail

cache="${GUESTMEM_CACHE:-/var/cache/guestmem}"
suite="${GUESTMEM_KERNEL_SUITE:-trixie-backports}"
package="${GUESTMEM_KERNEL_PACKAGE:-linux-source-7.2}"

log() { echo "[kernel-source] $*" >&2; }
die() { echo "[kernel-source] ERROR: $*" >&2; exit 1; }

debian_mirror() {
  if [[ -n "${GUESTMEM_DEBIAN_MIRROR:-}" ]]; then echo "$GUESTMEM_DEBIAN_MIRROR"; return; fi
  local m
  m="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -E '/debian/?$' | head -n1 || true)"
  if [[ -z "$m" ]]; then
    m="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }' \
          | grep -E '/debian/?$' | head -n1 || true)"
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

mode=path
case "${1:-}" in
  "") ;;
  --version) mode=version ;;
  *) die "unknown argument '$1' (expected nothing or --version)" ;;
esac

mkdir -p "$cache"
exec 8>"$cache/source.lock"
flock 8   # one fetch at a time, and the private apt below is used by one caller at a time

# A private apt for the suite: own sources list, own lists/cache; never touches /etc/apt or /var/lib/apt.
aptdir="$cache/apt-$suite"
mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/sources.list.d" "$aptdir/preferences.d"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) $suite main" \
  > "$aptdir/sources.list"
apt_private=(
  -o "Dir::Etc::sourcelist=$aptdir/sources.list" -o "Dir::Etc::sourceparts=$aptdir/sources.list.d"
  -o "Dir::Etc::preferencesparts=$aptdir/preferences.d"
  -o "Dir::State::lists=$aptdir/lists" -o "Dir::Cache=$aptdir" -o "Dir::Cache::archives=$aptdir/archives"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  -o "APT::Default-Release=$suite" -o "APT::Sandbox::User=root"
)
# Refresh the suite's index at most once a day; the version it names picks the tree (and kernel.sh's cache key).
if [[ -z "$(find "$aptdir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null)" ]]; then
  log "apt-get update for $suite (private state in $aptdir)"
  apt-get -q "${apt_private[@]}" update >&2 || die "apt-get update of $suite failed"
fi
version="$(apt-cache "${apt_private[@]}" show "$package" 2>/dev/null | awk '/^Version:/ { print $2; exit }')"
[[ -n "$version" ]] || die "package $package not found in $suite"
if [[ $mode == version ]]; then
  echo "$package=$version"
  exit 0
fi

# make cannot take a ':' (a Debian epoch) in a path.
tree="$cache/source-$package-${version//:/_}"
if [[ -f "$tree/Makefile" && -f "$tree.complete" ]]; then
  log "cached: $tree ($package $version)"
  echo "$tree"
  exit 0
fi

log "fetching $package $version from $suite into $tree"
start=$SECONDS
work="$tree.tmp"
rm -rf "$work" "$tree" "$tree.complete"   # left by an interrupted fetch (we hold the lock)
mkdir -p "$work"
(cd "$work" && apt-get -q "${apt_private[@]}" download "$package=$version" >&2) || die "download of $package failed"
deb="$(ls "$work"/*.deb)"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards '*.tar.xz' || die "could not unpack $deb"
tarball="$(find "$work/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' | head -n1)"
[[ -n "$tarball" ]] || die "no linux-source tarball in $deb"
tar -xJf "$tarball" -C "$work" || die "could not unpack $tarball"
src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n1)"
[[ -n "$src" && -f "$src/Makefile" ]] || die "no source tree in $tarball"
mv "$src" "$tree"
rm -rf "$work"
echo "$package $version" > "$tree.complete"
log "unpacked in $((SECONDS - start)) s: $tree"
echo "$tree"
