#!/usr/bin/env bash
# Packs a self-contained folder for a GPU machine that has an NVIDIA driver but no Java, Maven or
# network: a jlink runtime (jre.tar.xz), the jars (lib/), the test jars and their dependencies
# (test/), and run-tests.sh / run-bench.sh / run-cli.sh.
#
#   scripts/gpu-bundle.sh [DIR]      (default: ./gpu-bundle)
#
# On the GPU machine:  bash DIR/run-tests.sh;  bash DIR/run-bench.sh;  bash DIR/run-cli.sh info
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="${1:-$ROOT/gpu-bundle}"
REQUIRED=25
VERSION=0.1.0-SNAPSHOT
CONSOLE_LAUNCHER=org.junit.platform:junit-platform-console-standalone:1.11.4
MAX_MIB=40
# The runtime's modules: what the library and CLI use, jdk.zipfs (the "jar" file system JUnit
# scans test jars with: a service provider, invisible to jdeps), plus what jdeps reports for the
# test stack (JUnit console launcher, jqwik) below.
BASE_MODULES=java.base,jdk.incubator.vector,java.logging,java.management,jdk.unsupported,jdk.management,jdk.zipfs

# ------------------------------------------------------------------ find JDK 25 (as ./batchwise does)
jdk_major() {
  local home="$1" v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  v="${v#1.}"
  echo "${v%%[.+-]*}"
}

find_jdk() {
  local cand m
  if [ -n "${JAVA_HOME:-}" ]; then
    m=$(jdk_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge "$REQUIRED" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for cand in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$cand" ] || continue
    m=$(jdk_major "$cand")
    if [ -n "$m" ] && [ "$m" -ge "$REQUIRED" ]; then echo "$cand"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    m=$(jdk_major "$cand")
    if [ -n "$m" ] && [ "$m" -ge "$REQUIRED" ]; then echo "$cand"; return 0; fi
  fi
  return 1
}

if ! JDK=$(find_jdk); then
  echo "gpu-bundle: needs a JDK $REQUIRED or newer (with jlink and jdeps); set JAVA_HOME to one." >&2
  exit 1
fi
export JAVA_HOME="$JDK"
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
command -v mvn >/dev/null || { echo "gpu-bundle: needs Apache Maven (mvn) on the PATH." >&2; exit 1; }
command -v xz >/dev/null || { echo "gpu-bundle: needs xz to pack the runtime." >&2; exit 1; }

# ------------------------------------------------------------------ build
cd "$ROOT"
echo "gpu-bundle: building with $JAVA_HOME ..." >&2
mvn -q -o -DskipTests package

case "$OUT_DIR" in /*) ;; *) OUT_DIR="$PWD/$OUT_DIR" ;; esac
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR/lib" "$OUT_DIR/test"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

# lib/: the CLI jar and its runtime dependencies (batchwise-core, picocli), as the build copied them.
cp "batchwise-cli/target/batchwise-cli-$VERSION.jar" "$OUT_DIR/lib/"
cp batchwise-cli/target/lib/*.jar "$OUT_DIR/lib/"

# test/: the test jars, every test-scope dependency, and the JUnit console launcher.
cp "batchwise-core/target/batchwise-core-$VERSION-tests.jar" "batchwise-cli/target/batchwise-cli-$VERSION-tests.jar" \
   "$OUT_DIR/test/"
mvn -q -o -pl batchwise-core,batchwise-cli dependency:copy-dependencies \
    -DincludeScope=test -DoutputDirectory="$STAGE/deps" -Dmdep.useRepositoryLayout=false
if ! mvn -q -o -N dependency:copy -Dartifact="$CONSOLE_LAUNCHER" -DoutputDirectory="$STAGE/console" >/dev/null 2>&1; then
  echo "gpu-bundle: fetching $CONSOLE_LAUNCHER from Maven Central ..." >&2
  mvn -q -N dependency:copy -Dartifact="$CONSOLE_LAUNCHER" -DoutputDirectory="$STAGE/console"
fi
cp "$STAGE"/console/junit-platform-console-standalone-*.jar "$OUT_DIR/test/"
for jar in "$STAGE"/deps/*.jar; do
  name=$(basename "$jar")
  case "$name" in
    # Already in lib/ (our own jars, picocli).
    batchwise-*|picocli-*) continue ;;
    # The console launcher bundles the JUnit Platform, Jupiter and their small API jars; a second
    # copy on the class path would register the Jupiter engine twice.
    junit-jupiter-*|junit-platform-*|opentest4j-*|apiguardian-*) continue ;;
  esac
  cp "$jar" "$OUT_DIR/test/"
done

# ------------------------------------------------------------------ runtime image
# Modules the test stack needs beyond our own set, as jdeps sees them. jdeps gets every jar,
# including the JUnit ones left out of test/, so that the modular jars (jqwik) resolve. It reports
# java.sql (parameterized tests' shaded CSV parser), which also brings java.xml for the XML reports.
ANALYSED=("$STAGE"/deps/*.jar "$STAGE"/console/*.jar "$OUT_DIR"/test/*-tests.jar "$OUT_DIR"/lib/*.jar)
ANALYSED_CP=$(printf '%s:' "${ANALYSED[@]}")
EXTRA=$(jdeps --ignore-missing-deps --multi-release "$REQUIRED" --print-module-deps \
        --class-path "$ANALYSED_CP" "${ANALYSED[@]}" 2>/dev/null | tail -1)
case "$EXTRA" in
  java.base*) ;;
  *) echo "gpu-bundle: jdeps failed to list the modules (got: $EXTRA)" >&2; exit 1 ;;
esac
MODULES="$BASE_MODULES"
IFS=',' read -r -a extra_list <<< "$EXTRA"
for m in "${extra_list[@]}"; do
  m="${m//[[:space:]]/}"
  [ -n "$m" ] || continue
  case ",$MODULES," in *",$m,"*) ;; *) MODULES="$MODULES,$m" ;; esac
done
echo "gpu-bundle: jlink modules: $MODULES" >&2
# Uncompressed inside: xz packs plain class data far better than jlink's zip (13 vs 20 MiB).
# (jlink's "Using incubator modules" warning is expected; its log is shown only on failure.)
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
      --output "$STAGE/jre" > "$STAGE/jlink.log" 2>&1 || { cat "$STAGE/jlink.log" >&2; exit 1; }
"$STAGE/jre/bin/java" --add-modules=jdk.incubator.vector -version >/dev/null 2>&1 \
  || { echo "gpu-bundle: the linked runtime does not start" >&2; exit 1; }
tar -C "$STAGE" -cf - jre | xz -9 -T0 > "$OUT_DIR/jre.tar.xz"

# ------------------------------------------------------------------ scripts
cp scripts/bundle/jre.sh scripts/bundle/run-tests.sh scripts/bundle/run-bench.sh scripts/bundle/run-cli.sh "$OUT_DIR/"
chmod +x "$OUT_DIR"/*.sh
{
  echo "batchwise GPU bundle, built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "runtime: $("$STAGE/jre/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), modules $MODULES"
} > "$OUT_DIR/BUNDLE.txt"

SIZE_KIB=$(du -sk "$OUT_DIR" | cut -f1)
awk -v d="$OUT_DIR" -v k="$SIZE_KIB" 'BEGIN { printf "gpu-bundle: wrote %s (%.1f MiB)\n", d, k / 1024 }'
if [ "$SIZE_KIB" -gt $((MAX_MIB * 1024)) ]; then
  echo "gpu-bundle: the bundle is larger than $MAX_MIB MiB" >&2
  exit 1
fi
