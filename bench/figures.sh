#!/usr/bin/env bash
# Reproduces the headline figures of gpcrace on this machine (run it on a quiet machine; it takes
# about 5 minutes): rounds/s, time to the first FORBIDDEN outcome (10 seeds), forbidden rate per
# unsafe protocol, the latency probes, kvm-pvclock, pin, memslot-fairness, model and compare.
# Usage: bench/figures.sh [OUTDIR]   (default target/figures); each step's console output is
# OUTDIR/<step>.txt and its results in OUTDIR/<step>/.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
G="$here/target/gpcrace"
out=${1:-$here/target/figures}
[ -x "$G" ] || { echo "figures: build first (make)" >&2; exit 2; }
mkdir -p "$out" && cd "$out" || exit 2
step() { local name=$1; shift; echo "== $name: gpcrace $*"; "$G" "$@" --out "$name" > "$name.txt" 2>&1; echo "   exit $?"; }
uptime
step rwlock run gpc --protocol rwlock --readers 1 --source dontneed --pages 1 --duration 10s
grep -h "rounds/s" rwlock.txt
for s in 1 2 3 4 5 6 7 8 9 10; do
  step first-forbidden-$s run gpc --protocol seqcount-srcu-unmap-only --stop-on-forbidden --rounds 2000000 --seed $s >/dev/null
done
grep -h "first FORBIDDEN" first-forbidden-*.txt | sed 's/^ */  /'
grep -h "first FORBIDDEN" first-forbidden-*.txt | awk '{print $(NF-3), $(NF-1)}' | sort -n | awk '{r[NR]=$1} END {print "  median rounds to first FORBIDDEN: " (NR%2 ? r[(NR+1)/2] : (r[NR/2]+r[NR/2+1])/2)}'
step unsafe run gpc --protocol seqcount-srcu-unmap-only,seqcount,unlocked,pinned,uffd-read-then-invalidate --duration 10s
grep -h "^  Observation" unsafe.txt | awk '{printf "  %-40s %8.0f forbidden rounds per million\n", $2, 1e6*$4/($4+$5)}'
step latency latency --probe clock,madvise,shootdown,refault,uffd-remove,futex,bridge --sources dontneed --sizes 4K --spinners 0,1 --backing anon --iterations 20000
step latency-jna --bridge jna latency --probe bridge --iterations 20000
"$here/bench/isolation-figures.sh" "$out/isolation"
step kvm run kvm-pvclock --storm --memslot-updates
step pin run pin
step fairness run memslot-fairness
step model model
step hardware run gpc --protocol all --lock spin,sleeping --duration 2s
echo "== compare model hardware"
"$G" compare model hardware > compare.txt 2>&1; echo "   exit $?"
tail -2 compare.txt
uptime
echo "figures: console outputs and results in $out"
