#!/usr/bin/env bash
# source-archive.sh REPO ARCHIVE [with-build]
# The source a fleet builds: REPO's tracked files (everything but target/ outside a git tree), plus
# COMMIT = `git describe --always --dirty`, which a build without .git records as its commit
# (pom.xml, build-commit). "with-build" also ships the controller's build (target/gpcrace.jar,
# the native library, the launcher, the commit stamp) with its times, so `make` on a host finds it
# up to date: the fleet test uses it to stay within its time budget; a real fleet builds on each host.
set -euo pipefail
repo=$(cd "$1" && pwd)
archive=$2
ship=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$repo"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git describe --always --dirty >"$tmp/COMMIT" 2>/dev/null || echo unknown >"$tmp/COMMIT"
  # tracked files that exist (a file deleted but not yet committed is left out)
  git ls-files -z | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done >"$tmp/files"
else
  cat COMMIT >"$tmp/COMMIT" 2>/dev/null || echo unknown >"$tmp/COMMIT"
  find . -path ./target -prune -o -type f -print0 >"$tmp/files"
fi
tar --null -T "$tmp/files" -cf "$tmp/src.tar"
tar -C "$tmp" -rf "$tmp/src.tar" COMMIT
if [ "$ship" = with-build ]; then
  for f in target/gpcrace.jar target/native/libgpcrace.so target/gpcrace target/find-jdk target/commit.stamp; do
    [ -e "$f" ] || { echo "source-archive.sh: $f missing: run make first" >&2; exit 1; }
  done
  tar -rf "$tmp/src.tar" target/gpcrace.jar target/native/libgpcrace.so target/gpcrace target/find-jdk target/commit.stamp
fi
gzip -c "$tmp/src.tar" >"$archive"
