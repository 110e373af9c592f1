// Lets CUDA C++ kernels written for batchwise compile as ordinary host C++ for the mock driver:
// kernel launches become loops over blocks and threads on the calling host thread.
#pragma once
#include <cstdint>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__
#define __grid_constant__

struct bw_mock_dim3 {
    unsigned x, y, z;
};
extern thread_local bw_mock_dim3 blockIdx, threadIdx, blockDim, gridDim;

// Single host thread executes the "kernel": a plain compare-and-swap is atomic enough.
inline unsigned long long atomicCAS(unsigned long long* address, unsigned long long compare, unsigned long long value) {
    unsigned long long old = *address;
    if (old == compare) *address = value;
    return old;
}
// x86-64 converts with round-to-nearest-even, as these intrinsics do on the GPU.
inline float __ll2float_rn(long long v) { return (float)v; }
inline double __ll2double_rn(long long v) { return (double)v; }
inline float __double2float_rn(double v) { return (float)v; }
