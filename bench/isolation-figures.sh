#!/usr/bin/env bash
# The figures of the actor process (the measured address space holds only the actors) and of fast
# start, each measured side by side in one run, with the command that made it (bench/figures.sh
# runs this; alone: bench/isolation-figures.sh [OUTDIR], default target/figures/isolation).
#   1. 1-page MADV_DONTNEED, no spinner: the tool in its actor process, the tool in the JVM, and a
#      separate plain C process (gpcrace-plain): p50, p90; TLB shootdowns per operation.
#   2. the apparatus ratio against the separate process;
#   3. --cross-check trace: the tool's p50 minus the syscall boundary against the kernel's;
#   4. run gpc rwlock rounds/s against a plain C loop of the round's essential work, alternated;
#   5. whole-process wall time to the first FORBIDDEN (10 seeds, median) and gpcrace --version.
# Each line ends "ok" or "MISSED" against the goal. Run it on a quiet machine.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
G="$here/target/gpcrace"
PLAIN="$here/target/native/gpcrace-plain"
out=${1:-$here/target/figures/isolation}
[ -x "$G" ] && [ -x "$PLAIN" ] || { echo "isolation figures: build first (make)" >&2; exit 2; }
mkdir -p "$out" && cd "$out" || exit 2
cpus=$(nproc)
verdict() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { print (v >= lo && v <= hi) ? "ok" : "MISSED" }'; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
echo "== isolation figures ($(nproc) CPUs; $(uptime | sed 's/.*load/load/'))"

# 1-3: one latency run per isolation; the process run carries the comparison with the plain process
for iso in process jvm; do
  cmd="latency --probe madvise --sources dontneed --sizes 4K --spinners 0 --iterations 20000 --isolation $iso --cross-check trace"
  echo "-- gpcrace $cmd"
  "$G" $cmd --out "lat-$iso" > "lat-$iso.txt" 2>&1; echo "   exit $?"
done
p50() { awk '$1=="dontneed" && $2=="4K" && $3=="sp0" && $4=="op" {print $7}' "$1"; }
p90() { awk '$1=="dontneed" && $2=="4K" && $3=="sp0" && $4=="op" {print $8}' "$1"; }
tlb() { sed -n 's/.*no spinner.*dontneed 4K sp0 op \([0-9.]*\).*/\1/p' "$1"; }
cmp=$(grep -h "vs a separate plain C process" lat-process.txt)
pp50=$(echo "$cmp" | sed -n 's/.*p50 \([0-9]*\) vs \([0-9]*\) ns.*/\2/p'); pp90=$(echo "$cmp" | sed -n 's/.*p90 \([0-9]*\) vs \([0-9]*\) ns.*/\2/p')
tp50=$(echo "$cmp" | sed -n 's/.*p50 \([0-9]*\) vs.*/\1/p'); tp90=$(echo "$cmp" | sed -n 's/.*p90 \([0-9]*\) vs.*/\1/p')
echo "  1-page DONTNEED, no spinner, p50 / p90 ns: actor process sweep $(p50 lat-process.txt) / $(p90 lat-process.txt),"\
     "JVM sweep $(p50 lat-jvm.txt) / $(p90 lat-jvm.txt); alternated with gpcrace-plain: tool $tp50 / $tp90, plain $pp50 / $pp90"
r50=$(awk -v a="$tp50" -v b="$pp50" 'BEGIN {printf "%.3f", a/b}'); r90=$(awk -v a="$tp90" -v b="$pp90" 'BEGIN {printf "%.3f", a/b}')
echo "  tool / plain C process: p50 x$r50 $(verdict "$r50" 0.9 1.1), p90 x$r90 $(verdict "$r90" 0.9 1.1) (goal: within 10%)"
echo "  TLB shootdowns per sp0 operation: actor process $(tlb lat-process.txt) $(verdict "$(tlb lat-process.txt)" 0 0.01),"\
     "JVM $(tlb lat-jvm.txt) (goal <= 0.01)"
ratio=$(sed -n 's/.*apparatus:.*: ratio \([0-9.]*\).*/\1/p' lat-process.txt)
echo "  apparatus ratio vs a separate plain C process (best of 7 alternated): $ratio $(verdict "$ratio" 0.97 99) (goal >= 0.97);"\
     "ratio of medians $(sed -n 's/.*ratio of medians \([0-9.]*\).*/\1/p' lat-process.txt)"
trace=$(grep -h "cross-check trace" lat-process.txt)
agree=$(echo "$trace" | sed -n 's/.*: x\([0-9.]*\) of the kernel.*/\1/p')
if [ -n "$agree" ]; then
  echo "  $(echo "$trace" | sed 's/^ *note: //') $(verdict "$agree" 0.9 1.1)"
else
  echo "  ${trace:-cross-check trace: no line}"
fi

# 4: rounds/s of the race engine against the plain loop of the round's essential work, alternated 3 times
if [ "$cpus" -ge 2 ]; then
  echo "-- gpcrace run gpc --protocol rwlock --readers 1 --source dontneed --pages 1 --duration 3s  vs  gpcrace-plain round 300000 0 1 (3 times each, alternated)"
  : > tool-rounds.txt; : > plain-rounds.txt
  for i in 1 2 3; do
    "$G" run gpc --protocol rwlock --readers 1 --source dontneed --pages 1 --duration 3s --out "rwlock-$i" > "rwlock-$i.txt" 2>&1
    sed -n 's/.*rounds [0-9]* in [0-9.]* s (\([0-9]*\) rounds\/s).*/\1/p' "rwlock-$i.txt" | head -1 >> tool-rounds.txt
    "$PLAIN" round 300000 0 1 | awk '{printf "%.0f\n", $2 * 1e9 / $4}' >> plain-rounds.txt
  done
  t=$(median < tool-rounds.txt); p=$(median < plain-rounds.txt); r=$(awk -v a="$t" -v b="$p" 'BEGIN {printf "%.2f", a/b}')
  echo "  rounds/s (median of 3): gpcrace $t ($(tr '\n' ' ' < tool-rounds.txt)), plain C loop $p ($(tr '\n' ' ' < plain-rounds.txt)): x$r $(verdict "$r" 0.7 99) (goal >= 0.7)"
fi

# 5: wall time from the process start to the console's "first FORBIDDEN" line, 10 seeds
echo "-- gpcrace run gpc --protocol seqcount-srcu-unmap-only --stop-on-forbidden --rounds 2000000 --seed S (S = 1..10), wall time to the 'first FORBIDDEN' line"
: > first-forbidden.txt
for s in 1 2 3 4 5 6 7 8 9 10; do
  t0=$(date +%s%N)
  "$G" run gpc --protocol seqcount-srcu-unmap-only --stop-on-forbidden --rounds 2000000 --seed "$s" --out first-forbidden 2>/dev/null |
    while IFS= read -r line; do
      case $line in *"first FORBIDDEN"*) echo $(( ($(date +%s%N) - t0) / 1000000 )) >> first-forbidden.txt ;; esac
    done
done
ff=$(median < first-forbidden.txt)
echo "  to the first FORBIDDEN, ms per seed: $(tr '\n' ' ' < first-forbidden.txt); median $ff ms $(verdict "$ff" 0 300) (goal <= 300 ms)"
echo "-- gpcrace --version"
if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends hyperfine >/dev/null 2>&1
fi
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs 20 --export-json version.json "$G --version" > version.txt 2>&1
  v=$(sed -n 's/.*"median": *\([0-9.]*\).*/\1/p' version.json | head -1 | awk '{printf "%.0f", $1 * 1000}')
  echo "  gpcrace --version (hyperfine, 20 runs): median $v ms $(verdict "$v" 0 150) (goal <= 150 ms)"
else
  : > version.txt
  for i in $(seq 20); do t0=$(date +%s%N); "$G" --version >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000000 )) >> version.txt; done
  v=$(median < version.txt)
  echo "  gpcrace --version (20 runs, date +%s%N; no hyperfine): median $v ms $(verdict "$v" 0 150) (goal <= 150 ms)"
fi
echo "== isolation figures: outputs in $out ($(uptime | sed 's/.*load/load/'))"
