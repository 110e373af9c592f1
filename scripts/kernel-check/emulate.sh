#!/usr/bin/env bash
# Checks heatmap.cu's draw_gaussians without a GPU: compiles the kernel for the host (emulate.cpp:
# one std::thread per CUDA thread, one block at a time, a barrier for __syncthreads, the rounding
# intrinsics as plain IEEE operations with contraction off) and runs it on the cases of
# KernelCheckCases, bit for bit against the CPU. Slow (thread per CUDA thread) and blind to GPU
# timing and races, but it catches logic errors in the kernel before a GPU run.
#   scripts/kernel-check/emulate.sh [NAME-FILTER]       (from the repository root)
set -euo pipefail
mkdir -p build/kcheck
mvn -q -o -pl batchwise-core test-compile
java -cp batchwise-core/target/classes:batchwise-core/target/test-classes \
    dev.batchwise.heatmap.KernelCheckCases build/kcheck/cases.bin
(cd scripts/kernel-check && g++ -std=c++20 -O1 -ffp-contract=off -I ../../batchwise-core/src/main/cuda/include \
    -o ../../build/kcheck/emulate emulate.cpp -pthread)
build/kcheck/emulate build/kcheck/cases.bin "$@"
