#!/usr/bin/env bash
# Runs any batchwise command with the bundled Java runtime and the JVM flags it needs:
#   bash run-cli.sh info
#   bash run-cli.sh bench --filter W2 --device cuda
# Extra JVM options (e.g. -Xmx8g) go in JAVA_OPTS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jre.sh"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
exec "$JAVA" "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} -cp "$BUNDLE/lib/*" dev.batchwise.cli.Main "$@"
