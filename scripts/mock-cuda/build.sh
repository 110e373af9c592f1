#!/usr/bin/env bash
# Builds the mock driver into $1 (default: build/mock-cuda/libcuda.so.1 under the repository root).
# Run the Java tests against it with LD_LIBRARY_PATH=<that folder>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/build/mock-cuda}"
CUDA_INCLUDE="${CUDA_HOME:-/usr/local/cuda}/include"
mkdir -p "$OUT"
g++ -std=c++17 -O1 -fPIC -shared -Wall -Wno-unused-parameter \
  -I"$CUDA_INCLUDE" -I"$ROOT/scripts/mock-cuda" -I"$ROOT/batchwise-core/src/main/cuda/include" \
  -I"$ROOT/batchwise-core/src/main/cuda" -x c++ \
  -o "$OUT/libcuda.so.1" "$ROOT/scripts/mock-cuda/mockcuda.cpp" -ldl
echo "$OUT/libcuda.so.1"
