#!/usr/bin/env bash
# Runs batchwise-core's CUDA tests on a machine without a GPU against the mock driver
# (mockcuda.cpp, host memory, kernels of tensor.cu compiled for the host). This exercises the Java
# side of the runtime (FFM signatures and symbol names, struct layouts, kernel parameter arrays,
# contexts, error flags, graph bookkeeping) but not GPU timing or asynchrony; the real test run is
# on a GPU. Extra arguments go to Maven, e.g. -Dtest='CudaMemoryTest'.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIB_DIR="$(dirname "$("$ROOT/scripts/mock-cuda/build.sh")")"
cd "$ROOT"
LD_LIBRARY_PATH="$LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  mvn -q -o -pl batchwise-core test -Dtest='dev.batchwise.cuda.*Test' -Dsurefire.failIfNoSpecifiedTests=false "$@"
