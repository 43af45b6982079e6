#!/usr/bin/env bash
# The non-blockable policies side by side on this machine (no memory pressure): per protocol,
# sleep / spin / eagain / defer with readers inside their read section (3 us per access), and
# readers in guest mode waited for, not waited for (no-wait), -EAGAIN or sleep, with the kick
# latency. Prints one line per test: outcome counts, rounds, and the deferral or kick latency.
# Usage: bench/policies.sh [OUTDIR [TIME]]   (default target/policies, 2s per test; about 1 minute)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
G="$here/target/gpcrace"
out=${1:-$here/target/policies}
time=${2:-2s}
[ -x "$G" ] || { echo "policies: build first (make)" >&2; exit 2; }
mkdir -p "$out" && cd "$out" || exit 2
line() {  # the console block of each test: name, outcomes seen, rounds, the latency row named $2
  awk -v lat="$2" '/^\[/{name=$1} /^  (clean|stale-visible|stale-lost|would-sleep|eagain|unmap-use|refresh-livelock) /{c[$1]=$2}
    /^  rounds /{r=$2} index($0, lat) && lat != "" {l=$0}
    /^  verdict:/{printf "%-48s clean %s visible %s lost %s would-sleep %s eagain %s livelock %s of %s rounds\n", name, c["clean"], c["stale-visible"], c["stale-lost"], c["would-sleep"], c["eagain"], c["refresh-livelock"], r;
      if (l != "") print "      " l; l=""}' "$1"
}
uptime
for p in sleep spin eagain defer; do
  "$G" run gpc --protocol rwlock,seqcount-srcu --lock spin,sleeping --nonblock --nonblock-policy $p --access-ns 3000 --stride 4 \
    --duration "$time" --out nonblock-$p -q > nonblock-$p.txt 2>&1
  line nonblock-$p.txt "deferral:"
done
"$G" run gpc --protocol rwlock,seqcount-srcu --reader-mode guest --duration "$time" --out guest-wait -q > guest-wait.txt 2>&1
line guest-wait.txt "kick:"
for p in no-wait eagain sleep; do
  "$G" run gpc --protocol rwlock,seqcount-srcu --reader-mode guest --nonblock --nonblock-policy $p --duration "$time" --out guest-$p -q > guest-$p.txt 2>&1
  line guest-$p.txt "kick:"
done
uptime
