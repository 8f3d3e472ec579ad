#!/usr/bin/env bash
# Runs compare twice with the store order swapped and prints every combination's median p50 latency in both runs
# and their ratio; a fair measurement keeps each ratio near 1 (the goal is within 20%). Extra arguments go to both
# compare runs. Needs python3 to read compare.json.
# Usage: benchmarks/scripts/compare-order-check.sh [--workload boot-swiotlb] [--size 64G] [compare options...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${GUESTMEM_CHECK_OUT:-$(mktemp -d)}"
mkdir -p "$out"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--workload boot-swiotlb --size 64G)
echo "load before: $(uptime | sed 's/.*load average: //')"
"$here/guestmem" --version >/dev/null # builds the jar if the sources changed
# Both runs (and their fresh JVMs) use one copy of the jar, whatever is rebuilt meanwhile.
cp "$here/benchmarks/target/guestmem.jar" "$out/guestmem.jar"
for order in bitmap,intervaltree intervaltree,bitmap; do
  start=$(date +%s)
  # shellcheck disable=SC2086 # GUESTMEM_JAVA_OPTS is a word list, as in ./guestmem
  java ${GUESTMEM_JAVA_OPTS:-} -cp "$out/guestmem.jar" org.guestmem.cli.GuestmemCli compare "${args[@]}" \
    --stores "$order" --out "$out/$order" >"$out/$order.txt"
  echo "stores $order: $(( $(date +%s) - start )) s, load after: $(uptime | sed 's/.*load average: //')"
done
python3 - "$out/bitmap,intervaltree/compare.json" "$out/intervaltree,bitmap/compare.json" <<'PY'
import json, sys
def medians(path):
    doc = json.load(open(path))
    rows = {}
    for r in doc["runs"]:
        if r["status"] == "ok":
            key = "/".join([r["store"], r["dma"], r["mapping"]])
            rows[key] = r["spread"]["latencyP50Nanos"]
    return doc["method"], rows
method, a = medians(sys.argv[1])
_, b = medians(sys.argv[2])
print("measured:", method)
print(f"{'combination':36} {'bitmap first':>22} {'intervaltree first':>22} {'ratio':>6}")
worst = 1.0
for key in a:
    x, y = a[key], b[key]
    ratio = max(x["median"], y["median"]) / min(x["median"], y["median"])
    worst = max(worst, ratio)
    fmt = lambda s: f"{s['median']:,} ({s['min']:,}-{s['max']:,})"
    print(f"{key:36} {fmt(x):>22} {fmt(y):>22} {ratio:6.2f}")
print(f"largest ratio of median p50 (ns): {worst:.2f} ({'within' if worst <= 1.2 else 'NOT within'} 20%)")
PY
