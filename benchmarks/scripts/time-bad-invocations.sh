#!/usr/bin/env bash
# Times every bad invocation of CliTest's matrix (benchmarks/src/test/resources/org/guestmem/cli/bad-invocations.txt,
# which the test reads too) through ./guestmem (a fresh JVM each, as a user runs it): each one N times (default 5),
# printing the slowest time, the exit code and the error line. The goal is exit 2, one line on stderr containing the
# case's expected text, nothing on stdout, well under 2 s; the script exits 1 naming every case that misses it.
# Usage: benchmarks/scripts/time-bad-invocations.sh [N]
set -uo pipefail
set -f # the cases' words are taken as they are, never as globs
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-5}"
limit_ms=2000
cases_file="$here/benchmarks/src/test/resources/org/guestmem/cli/bad-invocations.txt"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scratch="$tmp/scratch" # TMP in the cases: what the test's directory holds, nothing else
mkdir "$scratch"
printf x >"$scratch/a-file.txt"
mkdir "$scratch/a-dir"
printf '\177ELF\002\001\001\000\000\000' >"$scratch/binary.trace"
printf '# caf\351\n' >"$scratch/latin1.trace"
"$here/guestmem" --version >/dev/null # builds the jar first if needed, outside the timings

cases=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  cases+=("${line//TMP/$scratch}")
done <"$cases_file"

worst=0
problems=()
for c in "${cases[@]}"; do
  expected="${c%% | *}"
  args="${c#* | }"
  max=0
  wrong=""
  for ((i = 0; i < n; i++)); do
    start=$(date +%s%N)
    # shellcheck disable=SC2086 # the arguments are a word list on purpose
    out="$("$here/guestmem" $args 2>"$tmp/err")"
    code=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    err="$(cat "$tmp/err")"
    (( ms > max )) && max=$ms
    lines=$(grep -c '' "$tmp/err")
    if [ -z "$wrong" ]; then
      if (( code != 2 )); then
        wrong="exit $code, not 2"
      elif (( lines != 1 )); then
        wrong="$lines lines on stderr, not 1"
      elif [ -n "$out" ]; then
        wrong="printed on stdout: ${out%%$'\n'*}"
      elif [[ "$err" != *"$expected"* ]]; then
        wrong="the error does not contain '$expected'"
      fi
    fi
  done
  (( max > worst )) && worst=$max
  if [ -z "$wrong" ] && (( max > limit_ms )); then
    wrong="took $max ms, over $limit_ms ms"
  fi
  [ -n "$wrong" ] && problems+=("${args//$scratch/TMP}: ${wrong//$scratch/TMP}")
  printf '%5d ms  exit %d  %d line%s  %s\n      %s\n' "$max" "$code" "$lines" "$([ "$lines" = 1 ] || echo s)" \
    "${args//$scratch/TMP}" "${err//$scratch/TMP}"
done
printf 'slowest of %d bad invocations, max of %d runs each: %d ms (load: %s)\n' "${#cases[@]}" "$n" "$worst" \
  "$(uptime | sed 's/.*load average: //')"
if (( ${#cases[@]} == 0 )); then
  echo "FAILED: no case read from $cases_file"
  exit 1
fi
if (( ${#problems[@]} > 0 )); then
  printf 'FAILED: %d of %d bad invocations missed the goal:\n' "${#problems[@]}" "${#cases[@]}"
  printf '  %s\n' "${problems[@]}"
  exit 1
fi
