#!/usr/bin/env bash
# Describes the machine, then times every workload on the CPU and the GPU and writes the JSON
# to $OUT/bench.json (or ./bench.json). Extra arguments go to `bench`, e.g. --filter W2 --runs 50.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$HERE/run-cli.sh" info
exec bash "$HERE/run-cli.sh" bench --device all --json "${OUT:-.}/bench.json" "$@"
