#!/usr/bin/env bash
# make soak: the long run that make test cannot afford. 10^8 rounds (SOAK_ROUNDS) of the safe GPC
# protocols, in each isolation mode the tool has, must show 0 harness-inconsistency and 0 finding;
# the process's file descriptors, mappings and RSS are sampled every 10 s and printed at the start,
# the end and at their peak: they must stay flat. About 45 minutes per isolation mode on 2 CPUs.
# Usage: bench/soak.sh [OUTDIR]   (default target/soak)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
G="$here/target/gpcrace"
out=${1:-$here/target/soak}
total=${SOAK_ROUNDS:-100000000}
[ -x "$G" ] || { echo "soak: build first (make)" >&2; exit 2; }
mkdir -p "$out"
# a bounded heap: a per-round leak ends in OutOfMemoryError instead of hiding in a growing heap
export GPCRACE_JAVA_OPTS="${GPCRACE_JAVA_OPTS:--Xmx512m}"
protocols="rwlock,seqcount-srcu,uffd-invalidate-then-read"
tests=5 # rwlock spin+sleeping, seqcount-srcu, uffd-invalidate-then-read spin+sleeping
per_test=$(( total / tests ))
modes="default"
"$G" run gpc --help 2>/dev/null | grep -q -- '--isolation' && modes="process jvm"

# fds, mappings, RSS (kB) of a process and its children (the actor process, when there is one)
sample() {
  local fds=0 maps=0 rss=0 p
  for p in $1 $(pgrep -P "$1" 2>/dev/null); do
    [ -d /proc/$p ] || continue
    fds=$(( fds + $(ls /proc/$p/fd 2>/dev/null | wc -l) ))
    maps=$(( maps + $(wc -l < /proc/$p/maps 2>/dev/null || echo 0) ))
    rss=$(( rss + $(awk '/^VmRSS:/ {print $2}' /proc/$p/status 2>/dev/null || echo 0) ))
  done
  echo "$fds $maps $rss"
}

status=0
for mode in $modes; do
  iso=(); [ "$mode" != default ] && iso=(--isolation "$mode")
  log="$out/soak-$mode.txt"
  echo "== soak ($mode): $per_test rounds each of $protocols (spin and sleeping locks), $(date)"
  "$G" run gpc --protocol "$protocols" --lock spin,sleeping --rounds "$per_test" "${iso[@]}" -q --out "$out/$mode" > "$log" 2>&1 &
  pid=$!
  sleep 3 # past start-up and the first calibration
  first=$(sample "$pid"); last=$first; peak=$first
  while kill -0 "$pid" 2>/dev/null; do
    s=$(sample "$pid"); [ -n "$s" ] && [ "$s" != "0 0 0" ] && last=$s
    set -- $s $peak; [ "${1:-0}" -gt "$4" ] || [ "${2:-0}" -gt "$5" ] || [ "${3:-0}" -gt "$6" ] && peak="$(( $1 > $4 ? $1 : $4 )) $(( $2 > $5 ? $2 : $5 )) $(( $3 > $6 ? $3 : $6 ))"
    sleep 10
  done
  wait "$pid"; code=$?
  echo "   exit $code; fds mappings rssKB: start $first, end $last, peak $peak"
  grep -E "^  (gpc-|verdicts)|harness-inconsistency +[1-9]" "$log" | sed 's/^/   /'
  inconsistent=$(grep -E "^  harness-inconsistency" "$log" | awk '{s+=$2} END {print s+0}')
  echo "   harness-inconsistency rounds: $inconsistent"
  [ "$code" -eq 0 ] && [ "$inconsistent" -eq 0 ] || status=1
done
exit $status
