#!/usr/bin/env bash
# Times every bad invocation of CliTest's matrix through ./guestmem (a fresh JVM each, as a user runs it): each one
# N times (default 5), printing the slowest time, the exit code and the error line. The goal is exit 2, one line,
# well under 2 s. Usage: benchmarks/scripts/time-bad-invocations.sh [N]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf x >"$tmp/a-file.txt"
mkdir "$tmp/a-dir"
printf '\177ELF\002\001\001\000\000\000' >"$tmp/binary.trace"
printf '# caf\351\n' >"$tmp/latin1.trace"
"$here/guestmem" --version >/dev/null # builds the jar first if needed, outside the timings

big="--workload checkerboard --size 16T --dma none"
matrix="--workload checkerboard --size 16T --dmas none"
cases=(
  "replay $big --json /proc/version/x.json"
  "replay $big --json /dev/full"
  "replay $big --json $tmp/a-dir"
  "compare $matrix --stores bitmap --out $tmp/a-file.txt"
  "compare $matrix --stores bitmap --out -"
  "trace --workload checkerboard --size 16T --out $tmp/a-file.txt/t.trace"
  "compare $matrix --stores , --out $tmp/r"
  "compare $matrix --mappings sideways --out $tmp/r"
  "replay --trace $tmp/binary.trace --size 1G --dma none"
  "replay --trace $tmp/latin1.trace --size 1G --dma none"
  "replay $big --mapping nope"
  "replay $big --granularity 3072"
  "replay $big --entry-limit lots"
  "replay $big --kernel fast"
  "replay $big --base -1"
  "replay $big --ops 99999999999999"
  "trace --workload checkerboard --size 16T --ops 99999999999999 --out $tmp/t.trace"
  "replay $big --verify-every -1"
)
worst=0
for c in "${cases[@]}"; do
  max=0
  for ((i = 0; i < n; i++)); do
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # the case is a word list on purpose
    err="$("$here/guestmem" $c 2>&1 >/dev/null)"
    code=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    (( ms > max )) && max=$ms
  done
  (( max > worst )) && worst=$max
  lines=$(printf '%s\n' "$err" | wc -l)
  printf '%5d ms  exit %d  %d line%s  %s\n      %s\n' "$max" "$code" "$lines" "$([ "$lines" = 1 ] || echo s)" \
    "${c//$tmp/TMP}" "${err//$tmp/TMP}"
done
printf 'slowest of %d bad invocations, max of %d runs each: %d ms (load: %s)\n' "${#cases[@]}" "$n" "$worst" \
  "$(uptime | sed 's/.*load average: //')"
