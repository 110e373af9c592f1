#!/usr/bin/env bash
# Checks heatmap.cu on a GPU without the Java CUDA runtime: writes drawing cases and their CPU
# results (KernelCheckCases), builds the standalone harness check.cu with nvcc, runs it. Prints
# FAIL lines for any case whose GPU maps differ from the CPU's in a single bit, and TIME lines for
# the W3 workloads. Run from the repository root on a machine with a JDK 25, Maven, nvcc and a GPU
# (or run steps 1-2 elsewhere and carry build/kcheck to the GPU machine).
set -euo pipefail
mkdir -p build/kcheck
mvn -q -o -pl batchwise-core test-compile
java -cp batchwise-core/target/classes:batchwise-core/target/test-classes \
    dev.batchwise.heatmap.KernelCheckCases build/kcheck/cases.bin
(cd scripts/kernel-check && nvcc -O3 -std=c++17 -I ../../batchwise-core/src/main/cuda/include -gencode arch=compute_80,code=sm_80 \
    -gencode arch=compute_90,code=sm_90 -o ../../build/kcheck/check check.cu)
if command -v nvidia-smi >/dev/null && nvidia-smi >/dev/null 2>&1; then
    build/kcheck/check build/kcheck/cases.bin
fi
