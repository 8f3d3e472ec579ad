#!/usr/bin/env bash
# Builds (or finds in the cache) the guest kernel for the real-kernel tests and prints the path of its bzImage.
#
# Debian ships no binary kernel with CONFIG_IOMMUFD, so this builds one from Debian's linux-source package
# (default: linux-source-6.12 from bookworm-backports), starting at `make tinyconfig` and enabling the options
# listed in kernel.config. apt gets a private state directory and sources list for that suite, so the machine's
# own apt configuration and package lists stay as they are; the package is only downloaded and unpacked, never
# installed.
#
# The result is cached outside the repository in $GUESTMEM_CACHE (default /var/cache/guestmem) under
# kernel-<key>, where <key> hashes kernel.config, the source package's version and this recipe's revision, so a
# later run with the same inputs skips the build (about 9 minutes on 2 cores).
#
# Environment: GUESTMEM_CACHE, GUESTMEM_KERNEL_SUITE (bookworm-backports), GUESTMEM_KERNEL_PACKAGE
# (linux-source-6.12), GUESTMEM_DEBIAN_MIRROR (default: the first Debian mirror in the machine's apt sources),
# GUESTMEM_JOBS (make -j, default: number of CPUs). Progress goes to stderr; only the bzImage path goes to stdout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fragment="$here/kernel.config"
cache="${GUESTMEM_CACHE:-/var/cache/guestmem}"
suite="${GUESTMEM_KERNEL_SUITE:-bookworm-backports}"
package="${GUESTMEM_KERNEL_PACKAGE:-linux-source-6.12}"
jobs="${GUESTMEM_JOBS:-$(nproc)}"
# Bump when the build steps below change in a way that changes the kernel.
recipe_revision=1

log() { echo "[kernel] $*" >&2; }
die() { echo "[kernel] ERROR: $*" >&2; exit 1; }

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

mkdir -p "$cache"
exec 9>"$cache/kernel.lock"
flock 9   # one build at a time; a second caller waits and then finds the cached kernel

# A private apt for the kernel suite: own sources list, own lists/cache; never touches /etc/apt or /var/lib/apt.
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
# Refresh the suite's index at most once a day; the version it names is part of the cache key.
if [[ -z "$(find "$aptdir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null)" ]]; then
  log "apt-get update for $suite (private state in $aptdir)"
  apt-get -q "${apt_private[@]}" update >&2 || die "apt-get update of $suite failed"
fi
version="$(apt-cache "${apt_private[@]}" show "$package" 2>/dev/null | awk '/^Version:/ { print $2; exit }')"
[[ -n "$version" ]] || die "package $package not found in $suite"

key="$( { cat "$fragment"; echo "$package=$version recipe=$recipe_revision"; } | sha256sum | cut -c1-16)"
out="$cache/kernel-$key"
if [[ -s "$out/bzImage" ]]; then
  log "cached: $out ($package $version)"
  echo "$out/bzImage"
  exit 0
fi

log "building $package $version with kernel.config into $out (make -j$jobs; about 9 minutes on 2 cores)"
start=$SECONDS
work="$cache/build-$key"
rm -rf "$cache"/build-*   # sources left by an interrupted build (we hold the lock)
mkdir -p "$work"
(cd "$work" && apt-get -q "${apt_private[@]}" download "$package=$version" >&2) || die "download of $package failed"
deb="$(ls "$work"/*.deb)"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards '*.tar.xz' \
  || die "could not unpack $deb"
tarball="$(find "$work/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' | head -n1)"
[[ -n "$tarball" ]] || die "no linux-source tarball in $deb"
tar -xJf "$tarball" -C "$work"
rm -rf "$deb" "$work/usr"
src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n1)"

mapfile -t options < <(grep -E '^[A-Z0-9_]+$' "$fragment")
make -C "$src" -s tinyconfig >&2
args=()
for o in "${options[@]}"; do args+=(--enable "$o"); done
"$src/scripts/config" --file "$src/.config" "${args[@]}"
make -C "$src" -s olddefconfig >&2
# olddefconfig silently drops an option whose dependencies are missing: refuse such a kernel.
missing=()
for o in "${options[@]}"; do
  grep -qx "CONFIG_$o=y" "$src/.config" || missing+=("$o")
done
((${#missing[@]} == 0)) || die "options not enabled after olddefconfig (missing dependencies?): ${missing[*]}"

make -C "$src" -s -j"$jobs" bzImage >&2 || die "kernel build failed"
mkdir -p "$out.tmp"
cp "$src/arch/x86/boot/bzImage" "$out.tmp/bzImage"
cp "$src/.config" "$out.tmp/config"
echo "$package $version" > "$out.tmp/version"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -rf "$work"
log "built in $((SECONDS - start)) s: $out/bzImage ($(stat -c %s "$out/bzImage") bytes)"
echo "$out/bzImage"
