#!/usr/bin/env bash
# The DMA bookkeeping benchmark of the README: 16,384 conversions of 2 MiB to shared (32 GiB of a 64 GiB region),
# interval-tree store, embedded iommufd, default heap, replayed with granule and with coalesce mapping, each
# REPEATS times (default 3), alternating; prints per policy the median wall time, the largest max RSS, the longest GC
# pause (from -Xlog:gc) and the DMA bookkeeping JOL line, then the granule/coalesce wall ratio. With --tib it also
# replays a 1 TiB region with 256 GiB shared in 2 MiB steps (granule) and prints its entries and kernel estimate.
# Usage: benchmarks/scripts/dma-bookkeeping.sh [--tib]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${GUESTMEM_CHECK_OUT:-$(mktemp -d)}"
repeats="${REPEATS:-3}"
mkdir -p "$out"
"$here/guestmem" --version >/dev/null # builds the jar if the sources changed
cp "$here/benchmarks/target/guestmem.jar" "$out/guestmem.jar"

# trace FILE SIZE LINES: LINES conversions of 2 MiB to shared from offset 0 of a region of SIZE bytes at 4 GiB.
trace() {
  local i
  {
    printf '# guestmem-trace size=0x%x granularity=0x1000 base=0x100000000 plug=none\n' "$2"
    for ((i = 0; i < $3; i++)); do
      printf 'kvm_convert_memory start 0x%x size 0x200000 private_to_shared\n' $((0x100000000 + i * 0x200000))
    done
  } >"$1"
}

# replay NAME TRACE MAPPING [options]: one replay under /usr/bin/time with GC logging, output in $out/NAME.*
replay() {
  local name=$1 trace=$2 mapping=$3
  shift 3
  /usr/bin/time -v -o "$out/$name.time" java -Xlog:gc:file="$out/$name.gc" -jar "$out/guestmem.jar" replay \
    --trace "$trace" --store intervaltree --dma iommufd --mapping "$mapping" "$@" >"$out/$name.txt"
}

seconds() { # wall clock "h:mm:ss" or "m:ss.ss" from /usr/bin/time -v, in seconds
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}

trace "$out/big.log" $((64 << 30)) 16384
echo "load before: $(uptime | sed 's/.*load average: //')"
for r in $(seq 1 "$repeats"); do
  for mapping in granule coalesce; do
    replay "$mapping-$r" "$out/big.log" "$mapping"
  done
done
printf '%-9s %9s %12s %15s  %s\n' mapping "wall (s)" "max RSS" "longest GC" "DMA bookkeeping"
declare -A wall
for mapping in granule coalesce; do
  walls=$(for r in $(seq 1 "$repeats"); do seconds "$out/$mapping-$r.time"; done | sort -n)
  wall[$mapping]=$(sed -n "$(( (repeats + 1) / 2 ))p" <<<"$walls")
  rss=$(cat "$out/$mapping"-*.time | awk -F': ' '/Maximum resident set size/ { if ($2 > m) m = $2 } END { printf "%.0f MiB", m / 1024 }')
  gc=$(cat "$out/$mapping"-*.gc | grep -Eo '[0-9.]+ms$' | sed 's/ms//' | sort -g | tail -n 1)
  jol=$(grep -h '^DMA bookkeeping' "$out/$mapping-1.txt" | sed 's/^DMA bookkeeping *//')
  printf '%-9s %9s %12s %12s ms  %s\n' "$mapping" "${wall[$mapping]}" "$rss" "${gc:-none}" "$jol"
done
echo "granule/coalesce wall: $(awk -v g="${wall[granule]}" -v c="${wall[coalesce]}" 'BEGIN { printf "%.2f", g / c }')"
echo "map/unmap/cut (granule): $(grep -h '^map/unmap/cut' "$out/granule-1.txt" | sed 's/^map\/unmap\/cut *//')"
echo "load after: $(uptime | sed 's/.*load average: //')"

if [ "${1:-}" = "--tib" ]; then
  trace "$out/tib.log" $((1 << 40)) 131072
  replay tib "$out/tib.log" granule --json "$out/tib.json"
  echo "1 TiB, 256 GiB shared, granule: wall $(seconds "$out/tib.time") s," \
    "max RSS $(awk -F': ' '/Maximum resident set size/ { printf "%.0f MiB", $2 / 1024 }' "$out/tib.time")"
  grep -hE '^(DMA entries|kernel memory|DMA bookkeeping)' "$out/tib.txt"
  python3 - "$out/tib.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n, k = d["finalEntries"], d["kernelBytes"]
print(f"json: finalEntries {n:,}, kernelBytes {k:,} ({k // n} B per entry), dmaBytesJol {d['dmaBytesJol']:,}")
PY
fi
echo "outputs in $out"
