#!/usr/bin/env bash
# Runs ragged_kernels_check.cpp: ragged.cu's gather and map_copy_onto compiled for the host and run
# with one thread per CUDA thread, against plain loops (see the .cpp). Needs g++ with C++20.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/build/mock-cuda}"
mkdir -p "$OUT"
g++ -std=c++20 -O1 -pthread -Wall -Wno-unused-parameter -Wno-unused-function -Wno-unknown-pragmas \
  -I"$ROOT/scripts/mock-cuda" -I"$ROOT/batchwise-core/src/main/cuda/include" -I"$ROOT/batchwise-core/src/main/cuda" \
  -x c++ -o "$OUT/ragged_kernels_check" "$ROOT/scripts/mock-cuda/ragged_kernels_check.cpp"
"$OUT/ragged_kernels_check"
