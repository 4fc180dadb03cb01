#!/usr/bin/env bash
# Checks that the build is reproducible: builds the working tree twice, in two copies at different
# paths and at different times, and compares every jar (main, sources, javadoc, tests) and SBOM the
# two builds produce, byte for byte. Exits non-zero, naming the files, if any differ.
#
# Usage: scripts/check-reproducible.sh [extra Maven arguments]
#
# Each build is `package -Prelease -DskipTests` (the release profile adds the sources and javadoc
# jars; signing and upload belong to later phases and do not run) from a copy of what git tracks
# or would track, as from a clean clone. Nothing is installed. Jars are reproducible because the
# build fixes project.build.outputTimestamp; a difference usually means a new plugin or resource
# that writes the time, the path or the user into a file (diffoscope shows where).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/holdfast-reproducible.XXXXXX")"
trap 'rm -rf "$work"' EXIT

build() {
  local copy="$work/$1/holdfast"
  mkdir -p "$copy"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$copy"
  echo "=== Build $1 in $copy (log: $work/$1.log)"
  if ! (cd "$copy" && ./mvnw -B -ntp -Prelease -DskipTests "${@:2}" package) >"$work/$1.log" 2>&1; then
    tail -n 40 "$work/$1.log" >&2
    exit 1
  fi
  (cd "$copy" && find . -maxdepth 4 -path '*/target/*' \( -name '*.jar' -o -name 'bom.json' -o -name 'bom.xml' \) \
    -exec sha256sum {} + | sort -k 2) >"$work/$1.sha256"
}

build first "$@"
build second "$@"

count="$(wc -l <"$work/first.sha256")"
if [ "$count" -eq 0 ]; then
  echo "The first build produced no jar" >&2
  exit 1
fi
echo "=== $count files compared"
if ! diff <(awk '{print $2}' "$work/first.sha256") <(awk '{print $2}' "$work/second.sha256") >/dev/null; then
  echo "The two builds produced different sets of files:" >&2
  diff <(awk '{print $2}' "$work/first.sha256") <(awk '{print $2}' "$work/second.sha256") >&2 || true
  exit 1
fi
differing="$(join -1 2 -2 2 <(sort -k 2 "$work/first.sha256") <(sort -k 2 "$work/second.sha256") \
  | awk '$2 != $3 {print $1}')"
if [ -n "$differing" ]; then
  echo "Not reproducible; these files differ between the two builds:" >&2
  echo "$differing" >&2
  exit 1
fi
awk '{print "  " $2}' "$work/first.sha256"
echo "Reproducible: every file is byte for byte the same in both builds."
