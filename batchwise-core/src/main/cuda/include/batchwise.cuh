// Shared device-side helpers for batchwise kernels. Include with #include "batchwise.cuh"
// (scripts/build-kernels.sh passes -I batchwise-core/src/main/cuda/include).
#pragma once

// Error codes written into a DeviceErrorFlag (dev.batchwise.cuda.DeviceErrorFlag).
// BW_ERR_INDEX: a = flat sample index, b = position in the sample, c = offending index, d = bound.
#define BW_ERR_INDEX 1
// BW_ERR_VALUE: a = sample, b = position, c and d operation-specific.
#define BW_ERR_VALUE 2

// Records an error in flag (8 x int64 on the device, zeroed before the launch): word 0 = code,
// words 1..4 = a, b, c, d. Only the first error is kept: the thread that moves word 0 away from 0
// writes the details; later reporters return without touching the flag. The host reads the flag
// only after the stream has finished, so no fence is needed between the words.
__device__ __forceinline__ void bw_report_error(unsigned long long* flag, long long code, long long a,
                                                long long b, long long c, long long d) {
    if (atomicCAS(flag, 0ULL, (unsigned long long)code) == 0ULL) {
        flag[1] = (unsigned long long)a;
        flag[2] = (unsigned long long)b;
        flag[3] = (unsigned long long)c;
        flag[4] = (unsigned long long)d;
    }
}

// Index of the calling thread in a 1-D grid, and the grid's thread count (for grid-stride loops).
__device__ __forceinline__ long long bw_thread_index() {
    return (long long)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long bw_thread_count() {
    return (long long)gridDim.x * blockDim.x;
}
