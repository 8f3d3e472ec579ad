#!/usr/bin/env bash
# Builds the native peers against an unpacked kernel source tree (it/real-kernel/kernel-source.sh prints one):
#
#   benchmarks/native/build.sh <kernel source tree> <output dir>
#
# The kernel's user-space test harness (the kernel tree's tools/testing/radix-tree and the tools/testing/shared
# directory it builds with; docs/native-peers.md, section 1) is built in a private copy under <output dir>/tree, the
# rest of the tree linked in read-only, so the cached source stays clean. The harness's own Makefile compiles its
# objects (lib/xarray.c, the slab accounting, the kernel helpers; 1.2), with two changes from its test defaults so
# the figures are the kernel's: XA_CHUNK_SHIFT 6, the kernel's node size (1.3), and -O2 without the sanitizers (1.4).
# The drivers in this directory are compiled with the same flags and linked with those objects; peer-maple includes
# the kernel tree's maple shim, which includes lib/maple_tree.c (1.5). Writes peer-maple, peer-xarray and peer-qemu
# to <output dir>; prints nothing else on stdout. Needs gcc, make and liburcu-dev.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="${1:?usage: build.sh <kernel source tree> <output dir>}"
out="${2:?usage: build.sh <kernel source tree> <output dir>}"
src="$(cd "$src" && pwd)"
[[ -f "$src/tools/testing/radix-tree/Makefile" ]] || { echo "no tools/testing/radix-tree in $src" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
tree="$out/tree"

link_all_but() { # link every entry of $1 into $2 except the names given
  local from="$1" to="$2"; shift 2
  mkdir -p "$to"
  local e name
  for e in "$from"/* "$from"/.[!.]*; do
    [[ -e "$e" ]] || continue
    name="$(basename "$e")"
    [[ " $* " == *" $name "* ]] && continue
    ln -sfn "$e" "$to/$name"
  done
}
if [[ ! -f "$tree/.source" || "$(cat "$tree/.source")" != "$src" ]]; then
  rm -rf "$tree"
  link_all_but "$src" "$tree" tools
  link_all_but "$src/tools" "$tree/tools" testing
  link_all_but "$src/tools/testing" "$tree/tools/testing" radix-tree shared
  cp -r "$src/tools/testing/radix-tree" "$src/tools/testing/shared" "$tree/tools/testing/"
  echo "$src" > "$tree/.source"
fi

harness="$tree/tools/testing/radix-tree"
flags=(SHIFT=6 "EXTRA_CFLAGS=-O2 -fno-sanitize=all" LDFLAGS=)
objects=(xarray-shared.o radix-tree.o idr.o linux.o slab.o find_bit.o bitmap.o hweight.o vsprintf.o)
make -s -C "$harness" "${flags[@]}" generated/map-shift.h generated/bit-length.h generated/autoconf.h \
  "${objects[@]}" >&2

cflags=(-I"$tree/tools/testing/shared" -I"$harness" -I"$tree/tools/include" -I"$tree/tools/arch/x86/include"
  -I"$tree/lib" -I"$here" -g -O2 -Wall -Wno-unused-function -D_LGPL_SOURCE)
harness_objects=()
for o in "${objects[@]}"; do harness_objects+=("$harness/$o"); done
cc="${CC:-gcc}"
"$cc" "${cflags[@]}" -c "$here/peer.c" -o "$out/peer.o"
# peer_maple.c includes maple-shim.c through -I<tree>/tools/testing/shared (docs/native-peers.md, 1.5).
"$cc" "${cflags[@]}" -c "$here/peer_maple.c" -o "$out/peer_maple.o"
"$cc" "${cflags[@]}" -c "$here/peer_xarray.c" -o "$out/peer_xarray.o"
"$cc" -O2 -Wall -I"$here" -c "$here/peer_qemu.c" -o "$out/peer_qemu.o"
"$cc" -o "$out/peer-maple" "$out/peer_maple.o" "$out/peer.o" "${harness_objects[@]}" -lpthread -lurcu
"$cc" -o "$out/peer-xarray" "$out/peer_xarray.o" "$out/peer.o" "${harness_objects[@]}" -lpthread -lurcu
"$cc" -o "$out/peer-qemu" "$out/peer_qemu.o" "$out/peer.o"
