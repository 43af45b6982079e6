#!/usr/bin/env bash
# Model against hardware for every protocol and every option of the GPC engine: per set of
# options, `gpcrace model` (2 readers x 2 accesses) and `gpcrace run gpc` with the same options
# (1 reader, TIME per test), then `gpcrace compare` of the two. Prints one line per set with
# compare's totals; any `!!! Unexpected` row makes the script exit 1.
# Usage: bench/fidelity.sh [OUTDIR [TIME]]   (default target/fidelity, 400ms; about 4 minutes)
# Run it on a quiet machine (the race runs are timing-sensitive).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
G="$here/target/gpcrace"
out=${1:-$here/target/fidelity}
time=${2:-400ms}
[ -x "$G" ] || { echo "fidelity: build first (make)" >&2; exit 2; }
mkdir -p "$out" && cd "$out" || exit 2

HOOK=rwlock,seqcount-srcu,seqcount-srcu-unmap-only,seqcount,unlocked,pinned
NOPIN=rwlock,seqcount-srcu,seqcount-srcu-unmap-only,seqcount,unlocked   # pinned's remap cannot run twice at once
LOCKS="--lock spin,sleeping"
bad=0
# set NAME "MODEL OPTIONS" "RUN GPC OPTIONS"
set_() {
  local name=$1 m=$2 h=$3
  # model exit 1 can be its reachability report: a subset of configurations leaves some steps unreached
  "$G" model $m --out "$name-model" -q > "$name-model.txt" 2>&1; local me=$?
  "$G" run gpc $h --duration "$time" --out "$name-hw" -q > "$name-hw.txt" 2>&1; local he=$?
  "$G" compare "$name-model" "$name-hw" > "$name-compare.txt" 2>&1; local ce=$?
  printf '%-22s model exit %d, run exit %d, compare exit %d: %s\n' "$name" "$me" "$he" "$ce" \
    "$(grep -h '^verdicts:' "$name-compare.txt" | sed 's/ (.*//')"
  [ "$ce" -eq 0 ] || bad=1
}
uptime
set_ base            "--protocol all"                                    "--protocol all $LOCKS"
set_ file-kept       "--protocol $HOOK --frames file-kept"               "--protocol $HOOK $LOCKS --backing shmem --source dontneed"
set_ file-new        "--protocol $HOOK --frames file-new"                "--protocol $HOOK $LOCKS --backing shmem --source punch-hole"
set_ unmap           "--protocol $HOOK --unmap-rounds on"                "--protocol $HOOK $LOCKS --unmap-every 4"
set_ unmap-file-kept "--protocol $HOOK --unmap-rounds on --frames file-kept" "--protocol $HOOK $LOCKS --unmap-every 4 --backing shmem --source dontneed"
set_ refresh-wait    "--protocol $HOOK --refresh wait"                   "--protocol $HOOK $LOCKS --refresh wait"
set_ x2              "--protocol $NOPIN --invalidations 2"               "--protocol $NOPIN $LOCKS --invalidations 2 --invalidators 2"
set_ x2-pinned       "--protocol pinned --invalidations 2 --frames file-kept" "--protocol pinned --invalidations 2 --invalidators 2 --backing shmem --source dontneed"
set_ x3              "--protocol $NOPIN --invalidations 3 --readers 1"   "--protocol $NOPIN $LOCKS --invalidations 3 --invalidators 2"
set_ storm           "--protocol $HOOK --storm on"                       "--protocol $HOOK $LOCKS --storm 1"
set_ preempt-rt      "--protocol $HOOK --preempt-rt on"                  "--protocol $HOOK --lock sleeping --preempt-rt"
set_ rt-wait-x2      "--protocol $NOPIN --preempt-rt on --refresh wait --invalidations 2" "--protocol $NOPIN --lock sleeping --preempt-rt --refresh wait --invalidations 2 --invalidators 2"
for p in sleep spin eagain defer; do
  set_ nonblock-$p   "--protocol $HOOK --nonblock on --nonblock-policy $p" "--protocol $HOOK $LOCKS --nonblock --nonblock-policy $p"
done
set_ rt-eagain       "--protocol $HOOK --preempt-rt on --nonblock on --nonblock-policy eagain" "--protocol $HOOK --lock sleeping --preempt-rt --nonblock --nonblock-policy eagain"
set_ guest           "--protocol $HOOK --reader-mode guest"              "--protocol $HOOK $LOCKS --reader-mode guest"
for p in no-wait eagain sleep defer; do
  set_ guest-$p      "--protocol $HOOK --reader-mode guest --nonblock on --nonblock-policy $p" "--protocol $HOOK $LOCKS --reader-mode guest --nonblock --nonblock-policy $p"
done
set_ guest-unmap     "--protocol $HOOK --reader-mode guest --unmap-rounds on --frames file-kept" "--protocol $HOOK $LOCKS --reader-mode guest --unmap-every 4 --backing shmem --source dontneed"
uptime
[ "$bad" -eq 0 ] && echo "fidelity: no Unexpected row in any set" || echo "fidelity: a set has Unexpected rows or failed (see OUTDIR/*-compare.txt)"
exit "$bad"
