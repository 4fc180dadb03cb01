#!/usr/bin/env bash
# Builds what a release would hand to Maven Central, without signing or uploading it, and lists
# everything the Central Portal would refuse: per published module a pom, and for a jar module the
# jar, its sources and javadoc jars; an .md5 and .sha1 next to every file; and in every POM (its
# own or inherited from a parent in the bundle) url, licenses, developers and scm, with its own
# name and description. It also fails when a published module is missing from lock-bom or lock-bom
# lists a module of this build that is not published. Exits non-zero on anything missing.
#
# Usage: scripts/check-artifacts.sh [extra Maven arguments, e.g. -DskipTests]
#
# How: the working tree (what git tracks or would track, so no target/ directories: as from a
# clean clone, plus uncommitted changes) is copied to a temporary directory, its version has
# "-SNAPSHOT" removed as a release would (the Central plugin bundles release versions only;
# snapshots go to a snapshot repository), and `deploy -Prelease -Dgpg.skip -DskipUpload` builds the
# bundle there. -Dmaven.install.skip keeps the shared local repository (~/.m2) untouched. The
# bundle zip is kept as target/central-bundle.zip under the repository root.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/holdfast-artifacts.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "=== Copying the working tree to $work/src"
mkdir -p "$work/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
  | tar --null -T - -cf -) | tar -xf - -C "$work/src"

snapshot="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/lock-bom/pom.xml" | head -n 1)"
release="${snapshot%-SNAPSHOT}"
echo "=== Bundling version $release (from $snapshot)"
find "$work/src" -name pom.xml -exec sed -i "s:<version>$snapshot</version>:<version>$release</version>:" {} +

(cd "$work/src" && ./mvnw -B -ntp -Prelease -Dgpg.skip -DskipUpload -Dmaven.install.skip=true "$@" deploy)

bundle="$(find "$work/src" -path '*/central-publishing/central-bundle.zip' | head -n 1)"
if [ -z "$bundle" ]; then
  echo "No central-bundle.zip was built" >&2
  exit 1
fi
mkdir -p "$root/target" "$work/bundle"
cp "$bundle" "$root/target/central-bundle.zip"
(cd "$work/bundle" && jar -xf "$bundle")

echo "=== Checking $root/target/central-bundle.zip"
java "$root/scripts/CheckBundle.java" "$work/bundle" "$root"
