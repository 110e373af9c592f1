#!/usr/bin/env bash
# Runs the whole test suite (core and CLI test jars) with the JUnit console launcher and the
# bundled Java runtime. XML reports go to $OUT when set, else ./reports. Prints the summary and
# exits non-zero when a test fails. DETAILS=tree lists every test (and why CUDA tests skipped);
# extra arguments go to the launcher (e.g. --include-classname '.*Cuda.*').
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jre.sh"
REPORTS="${OUT:-./reports}"
mkdir -p "$REPORTS"
CONSOLE=$(ls "$BUNDLE"/test/junit-platform-console-standalone-*.jar)
CLASS_PATH="" TEST_JARS=""
for jar in "$BUNDLE"/test/*.jar "$BUNDLE"/lib/*.jar; do
  [ "$jar" = "$CONSOLE" ] && continue
  CLASS_PATH="$CLASS_PATH${CLASS_PATH:+:}$jar"
  case "$jar" in *-tests.jar) TEST_JARS="$TEST_JARS${TEST_JARS:+:}$jar" ;; esac
done
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
exec "$JAVA" "${JVM_FLAGS[@]}" -Xss4m ${JAVA_OPTS:-} -jar "$CONSOLE" execute \
  --disable-banner --fail-if-no-tests --details="${DETAILS:-summary}" \
  --config=jqwik.database="$REPORTS/jqwik-database" \
  --class-path "$CLASS_PATH" --scan-classpath "$TEST_JARS" --reports-dir "$REPORTS" "$@"
