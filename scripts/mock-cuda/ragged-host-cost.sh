#!/usr/bin/env bash
# Driver calls and Java host time per W1 ragged op on the CUDA path, without a GPU: runs
# CudaRaggedHostCostTest against the mock driver with the ragged kernels as no-ops
# (BWMOCK_NOOP_KERNELS=ragged_); the test prints one line per op and checks the call budgets.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIB_DIR="$(dirname "$("$ROOT/scripts/mock-cuda/build.sh")")"
cd "$ROOT"
BWMOCK_NOOP_KERNELS=ragged_ LD_LIBRARY_PATH="$LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mvn -q -o -pl batchwise-core test -Dtest='CudaRaggedHostCostTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.useFile=false "$@"
