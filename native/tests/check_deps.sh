#!/bin/sh
# The C units under native/src depend on each other without a circle.
#
# A unit is a file name up to its first '_' (sync_rwlock.c and sync.h are unit sync, gpc_pinned.c
# is gpc, uffd_notifier.c is uffd). Unit A depends on unit B when a file of A includes a header
# of B, or when an object of A uses a symbol an object of B defines (nm). gpcrace.h, the public
# ABI every unit includes, is no unit's internals and adds no edge by inclusion. The graph must
# sort topologically (tsort); a circle fails with the units on it.
#
# usage: native/tests/check_deps.sh [-v] [objdir]    (-v: print the graph)
# env:   CC, CFLAGS (the build's), defaults good enough to compile every unit
set -eu
verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
objdir=${1:-target/native/deps}
src=native/src
CC=${CC:-cc}
CFLAGS=${CFLAGS:-"-O2 -std=gnu11 -fPIC -pthread -Inative/include"}

unit() { b=$(basename "$1"); b=${b%.*}; echo "${b%%_*}"; }

mkdir -p "$objdir"
edges=$objdir/edges
: > "$edges"

# include edges
for f in "$src"/*.c "$src"/*.h; do
    from=$(unit "$f")
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        if [ "$h" = gpcrace.h ]; then continue; fi
        if [ ! -f "$src/$h" ]; then
            echo "check_deps: $f includes \"$h\", which is not under $src" >&2
            exit 2
        fi
        to=$(unit "$h")
        if [ "$from" != "$to" ]; then echo "$from $to" >> "$edges"; fi
    done
done

# symbol edges: who defines each global symbol, who uses it
defs=$objdir/defs
: > "$defs"
for f in "$src"/*.c; do
    o=$objdir/$(basename "$f" .c).o
    $CC $CFLAGS -c -o "$o" "$f"
    nm -g --defined-only "$o" | awk -v u="$(unit "$f")" 'NF == 3 { print $3, u }' >> "$defs"
done
for f in "$src"/*.c; do
    nm -u "$objdir/$(basename "$f" .c).o" |
        awk -v from="$(unit "$f")" 'NR == FNR { def[$1] = $2; next }
                                    ($NF in def) && def[$NF] != from { print from, def[$NF] }' "$defs" - >> "$edges"
done

sort -u "$edges" -o "$edges"
if [ "$verbose" = 1 ]; then
    awk '{ d[$1] = d[$1] " " $2 } END { for (u in d) print u " ->" d[u] }' "$edges" | sort
fi
# tsort lists a circle on stderr and exits non-zero
if ! out=$(tsort "$edges" 2>&1 >/dev/null) || [ -n "$out" ]; then
    echo "check_deps: the C units under $src depend on each other in a circle:" >&2
    echo "$out" | awk '/input contains a loop/ { if (c) print "  " c " -> " first; c = ""; next }
                       { sub(/^tsort: /, ""); if (c == "") { c = $0; first = $0 } else c = c " -> " $0 }
                       END { if (c) print "  " c " -> " first }' >&2
    exit 1
fi
echo "check_deps: $(for f in "$src"/*.[ch]; do unit "$f"; done | sort -u | wc -l) units under $src, no circle"
