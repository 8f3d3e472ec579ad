#!/usr/bin/env bash
# The JMH store suite on two commits, interleaved per data set so that drift on a shared machine falls on both: the
# bitmap and interval stores, one fork each, and a table of ns/op with the interval store's ratio to the bitmap in
# the same run and after/before. Builds each commit's benchmarks.jar in a temporary worktree. Needs python3.
# Usage: benchmarks/scripts/store-before-after.sh BEFORE [AFTER]   (AFTER defaults to HEAD)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
before=${1:?usage: store-before-after.sh BEFORE [AFTER]}
after=${2:-HEAD}
out="${GUESTMEM_CHECK_OUT:-$(mktemp -d)}"
mkdir -p "$out"
for side in before after; do
  rev=${!side}
  tree="$out/tree-$side"
  git -C "$here" worktree add -q --detach "$tree" "$rev"
  (cd "$tree" && mvn -B -ntp -q package -pl benchmarks -am -DskipTests -Dmaven.javadoc.skip=true \
    -Dmaven.source.skip=true)
  cp "$tree/benchmarks/target/benchmarks.jar" "$out/$side.jar"
  git -C "$here" worktree remove --force "$tree"
done
echo "before $(git -C "$here" rev-parse --short "$before"), after $(git -C "$here" rev-parse --short "$after")," \
  "load $(uptime | sed 's/.*load average: //')"
for ds in runs-1e3 runs-1e5 runs-1e6 'dense-2^22'; do
  for side in before after; do
    java -jar "$out/$side.jar" StoreBenchmark -p store=bitmap,intervaltree -p dataSet="$ds" -f 1 -wi 2 -i 3 \
      -w 1s -r 1s -rf json -rff "$out/$side-${ds//^/}.json" >"$out/$side-${ds//^/}.log"
  done
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
res = {}
for f in glob.glob(sys.argv[1] + "/*.json"):
    side = f.rsplit("/", 1)[1].split("-")[0]
    for r in json.load(open(f)):
        res[(side, r["benchmark"].rsplit(".", 1)[1], r["params"]["dataSet"], r["params"]["store"])] = \
            r["primaryMetric"]["score"]
print("| benchmark | data set | bitmap before | interval before | bitmap after | interval after "
      "| interval/bitmap before | interval/bitmap after | interval after/before |")
print("|---|---|---|---|---|---|---|---|---|")
ratios = []
for b in ["rangeSet", "rangeQuery", "iterate", "flip"]:
    for ds in ["runs-1e3", "runs-1e5", "runs-1e6", "dense-2^22"]:
        ob, oi, nb, ni = (res[(s, b, ds, st)] for s, st in
                          [("before", "bitmap"), ("before", "intervaltree"), ("after", "bitmap"), ("after", "intervaltree")])
        ratios.append(ni / oi)
        print(f"| {b} | {ds} | {ob:.1f} | {oi:.1f} | {nb:.1f} | {ni:.1f} | {oi / ob:.2f} | {ni / nb:.2f} | {ni / oi:.2f} |")
print(f"interval store after/before: median {statistics.median(ratios):.2f}, "
      f"range {min(ratios):.2f} to {max(ratios):.2f}, geometric mean {statistics.geometric_mean(ratios):.2f}")
PY
echo "outputs in $out"
