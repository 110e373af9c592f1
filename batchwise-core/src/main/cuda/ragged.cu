// Ragged-batch kernels (dev.batchwise.ragged): the CUDA side of RaggedKernels.
//
// Conventions
// - A data tensor is seen as (S, P, E, Q) around its ragged/entry axis: S samples (product of the
//   batch extents), P = product of the axes between the batch axes and the entry axis, E = entry
//   extent, Q = product of the axes after it. Element (s, p, j, q) is at ((s*P + p)*E + j)*Q + q.
// - Copies move raw element bits: suffix _e1/_e4/_e8 = element size in bytes (bool/uint8,
//   float32/int32, float64/int64). Fill values arrive as raw bits in an unsigned 64-bit argument.
// - Index tensors are (S, M) int32 (_i32) or int64 (_i64); sizes are int64 (S). Negative indices
//   wrap once; filler index slots (j >= size) may be loaded (they exist) but are never used.
// - Latency, not bandwidth, bounds these kernels at training sizes (W1: 48 x 644 x 10): where a
//   thread needs several values from global memory, the loads that do not depend on each other
//   are issued before any of them is used, so the thread waits for one round trip, not a chain.
// - Sizes are read on the device, never copied to the host. A size outside [0, limit] reports
//   BW_ERR_VALUE (a = sample, b = -1, c = size, d = limit); an index outside the axis reports
//   BW_ERR_INDEX (a = sample, b = position, c = index value, d = extent). Only the first error is
//   kept; the op's results are then unspecified and reading them throws on the host.
// - All kernels use grid-stride loops over 64-bit element counts, so any grid size is correct;
//   consecutive threads handle consecutive q (coalesced along the innermost axis).
#include <stdint.h>
#include "batchwise.cuh"

typedef long long i64;
typedef unsigned long long u64;

#define GRID_STRIDE(i, n) \
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)

/**
 * a / b and a % b for a >= 0, b >= 1. A 64-bit division is a long software routine on the GPU,
 * and these kernels are latency-bound chains of index arithmetic: where both operands fit in 32
 * bits (every training-sized launch) the much shorter 32-bit sequence does it, else the 64-bit one.
 */
__device__ __forceinline__ i64 quot(i64 a, i64 b) {
    if ((((u64)a | (u64)b) >> 32) == 0) return (i64)((uint32_t)a / (uint32_t)b);
    return a / b;
}
__device__ __forceinline__ i64 rem(i64 a, i64 b) {
    return a - quot(a, b) * b;
}

template <typename T>
__device__ __forceinline__ T from_bits(u64 bits) {
    T v;
    memcpy(&v, &bits, sizeof(T));
    return v;
}

/** Checks a loaded size: 0 <= n <= limit; an invalid size reads as 0 after reporting. */
__device__ __forceinline__ i64 valid_size(i64 n, i64 s, i64 limit, u64* flag) {
    if (n < 0 || n > limit) {
        bw_report_error(flag, BW_ERR_VALUE, s, -1, n, limit);
        return 0;
    }
    return n;
}

/** Reads sizes[s] and checks 0 <= size <= limit; an invalid size reads as 0 after reporting. */
__device__ __forceinline__ i64 checked_size(const i64* sizes, i64 s, i64 limit, u64* flag) {
    return valid_size(sizes[s], s, limit, flag);
}

/** Wraps a loaded negative index once and checks it; returns -1 (after reporting) when out of range. */
__device__ __forceinline__ i64 valid_index(i64 v, i64 s, i64 j, i64 extent, u64* flag) {
    i64 w = v < 0 ? v + extent : v;
    if (w < 0 || w >= extent) {
        bw_report_error(flag, BW_ERR_INDEX, s, j, v, extent);
        return -1;
    }
    return w;
}

/** Wraps a negative index once and checks it; returns -1 (after reporting) when out of range. */
template <typename I>
__device__ __forceinline__ i64 wrapped_index(const I* idx, i64 s, i64 j, i64 width, i64 extent, u64* flag) {
    return valid_index((i64)idx[s * width + j], s, j, extent, flag);
}

// ------------------------------------------------------------------ validity fill, padded set

template <typename T>
__device__ void fill_by_validity(T* out, const i64* sizes, i64 S, i64 P, i64 N, i64 Q, u64 valid, u64 filler,
                                 u64* flag) {
    const T v = from_bits<T>(valid), f = from_bits<T>(filler);
    GRID_STRIDE(i, S * P * N * Q) {
        i64 j = rem(quot(i, Q), N);
        i64 s = quot(i, Q * N * P);
        out[i] = j < checked_size(sizes, s, N, flag) ? v : f;
    }
}

template <typename T>
__device__ void set_padded(T* data, const i64* sizes, i64 S, i64 P, i64 N, i64 Q, u64 value, u64* flag) {
    const T v = from_bits<T>(value);
    GRID_STRIDE(i, S * P * N * Q) {
        i64 j = rem(quot(i, Q), N);
        i64 s = quot(i, Q * N * P);
        if (j >= checked_size(sizes, s, N, flag)) data[i] = v;
    }
}

// ------------------------------------------------------------------ gather / index copies

/** out(s,p,j,q) = j < size ? data(s,p,idx[s,j],q) : filler; out is (S, P, M, Q). */
template <typename T, typename I>
__device__ void gather(const T* data, i64 S, i64 P, i64 E, i64 Q, const I* idx, const i64* sizes, i64 M, T* out,
                       u64 filler, u64* flag) {
    const T f = from_bits<T>(filler);
    GRID_STRIDE(i, S * P * M * Q) {
        i64 q = rem(i, Q);
        i64 j = rem(quot(i, Q), M);
        i64 sp = quot(i, Q * M);
        i64 s = quot(sp, P);
        const i64 n = sizes[s];              // size and index load together: the data load then
        const i64 raw = (i64)idx[s * M + j]; // waits for one round trip, not two
        T v = f;
        if (j < valid_size(n, s, M, flag)) {
            i64 e = valid_index(raw, s, j, E, flag);
            if (e >= 0) v = data[(sp * E + e) * Q + q];
        }
        out[i] = v;
    }
}

__device__ __forceinline__ void atomic_add(float* a, float v) { atomicAdd(a, v); }
__device__ __forceinline__ void atomic_add(double* a, double v) { atomicAdd(a, v); }
__device__ __forceinline__ void atomic_add(int32_t* a, int32_t v) { atomicAdd((int*)a, (int)v); }
__device__ __forceinline__ void atomic_add(int64_t* a, int64_t v) {
    atomicAdd((unsigned long long*)a, (unsigned long long)v);  // two's complement: same bits as signed add
}

/**
 * The one entry walk of map_copy and map_add: for each valid (s, p, j, q) the source and target
 * entries after optional index mapping, then a store (ACCUMULATE false) or an atomic add
 * (ACCUMULATE true: duplicate destinations sum, in unspecified order).
 */
template <typename T, typename I, bool ACCUMULATE>
__device__ void map_entries(const T* src, i64 S, i64 P, i64 srcE, i64 Q, const I* srcIdx, T* dst, i64 dstE,
                            const I* dstIdx, const i64* sizes, i64 M, u64* flag) {
    GRID_STRIDE(i, S * P * M * Q) {
        i64 q = rem(i, Q);
        i64 j = rem(quot(i, Q), M);
        i64 sp = quot(i, Q * M);
        i64 s = quot(sp, P);
        if (j >= checked_size(sizes, s, M, flag)) continue;
        i64 from = srcIdx ? wrapped_index(srcIdx, s, j, M, srcE, flag) : j;
        i64 to = dstIdx ? wrapped_index(dstIdx, s, j, M, dstE, flag) : j;
        if (!srcIdx && j >= srcE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, srcE); continue; }
        if (!dstIdx && j >= dstE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, dstE); continue; }
        if (from < 0 || to < 0) continue;
        const T v = src[(sp * srcE + from) * Q + q];
        T* d = &dst[(sp * dstE + to) * Q + q];
        if constexpr (ACCUMULATE) {
            atomic_add(d, v);
        } else {
            *d = v;
        }
    }
}

/**
 * dst(s,p, dstIdx[s,j] or j, q) = src(s,p, srcIdx[s,j] or j, q) for j < size (null index = identity).
 * Threads cover (S, P, M, Q).
 */
template <typename T, typename I>
__device__ void map_copy(const T* src, i64 S, i64 P, i64 srcE, i64 Q, const I* srcIdx, T* dst, i64 dstE,
                         const I* dstIdx, const i64* sizes, i64 M, u64* flag) {
    map_entries<T, I, false>(src, S, P, srcE, Q, srcIdx, dst, dstE, dstIdx, sizes, M, flag);
}

/** map_copy that accumulates (duplicate destinations sum, in unspecified order). */
template <typename T, typename I>
__device__ void map_add(const T* src, i64 S, i64 P, i64 srcE, i64 Q, const I* srcIdx, T* dst, i64 dstE,
                        const I* dstIdx, const i64* sizes, i64 M, u64* flag) {
    map_entries<T, I, true>(src, S, P, srcE, Q, srcIdx, dst, dstE, dstIdx, sizes, M, flag);
}

/** dst(s,p,idx[s,j],q) = value for j < size. */
template <typename T, typename I>
__device__ void set_at_indices(T* dst, i64 S, i64 P, i64 E, i64 Q, const I* idx, const i64* sizes, i64 M, u64 value,
                               u64* flag) {
    const T v = from_bits<T>(value);
    GRID_STRIDE(i, S * P * M * Q) {
        i64 q = rem(i, Q);
        i64 j = rem(quot(i, Q), M);
        i64 sp = quot(i, Q * M);
        i64 s = quot(sp, P);
        if (j >= checked_size(sizes, s, M, flag)) continue;
        i64 e = wrapped_index(idx, s, j, M, E, flag);
        if (e >= 0) dst[(sp * E + e) * Q + q] = v;
    }
}

// ------------------------------------------------------------------ masks to indices (one warp per sample)

__device__ __forceinline__ i64 mask_limit(const i64* limits, i64 s, i64 N, u64* flag) {
    return limits ? checked_size(limits, s, N, flag) : N;
}

extern "C" __global__ void ragged_count_true(const uint8_t* mask, i64 S, i64 N, const i64* limits, i64* counts,
                                             u64* flag) {
    const int lane = threadIdx.x & 31;
    for (i64 s = ((i64)blockIdx.x * blockDim.x + threadIdx.x) >> 5; s < S; s += ((i64)blockDim.x * gridDim.x) >> 5) {
        i64 end = mask_limit(limits, s, N, flag);
        i64 count = 0;
        for (i64 base = 0; base < end; base += 32) {
            i64 j = base + lane;
            bool bit = j < end && mask[s * N + j] != 0;
            count += __popc(__ballot_sync(0xffffffffu, bit));
        }
        if (lane == 0) counts[s] = count;
    }
}

/** Ascending positions of the true entries of each row into out (S, W) int64, fillers 0. */
extern "C" __global__ void ragged_compact_indices(const uint8_t* mask, i64 S, i64 N, const i64* limits, i64* out,
                                                  i64 W, u64* flag) {
    const int lane = threadIdx.x & 31;
    const unsigned below = (1u << lane) - 1u;
    for (i64 s = ((i64)blockIdx.x * blockDim.x + threadIdx.x) >> 5; s < S; s += ((i64)blockDim.x * gridDim.x) >> 5) {
        i64 end = mask_limit(limits, s, N, flag);
        i64 offset = 0;
        for (i64 base = 0; base < end; base += 32) {
            i64 j = base + lane;
            bool bit = j < end && mask[s * N + j] != 0;
            unsigned ballot = __ballot_sync(0xffffffffu, bit);
            i64 k = offset + __popc(ballot & below);
            if (bit && k < W) out[s * W + k] = j;
            offset += __popc(ballot);
        }
        for (i64 k = offset + lane; k < W; k += 32) out[s * W + k] = 0;
    }
}

// ------------------------------------------------------------------ reductions over the valid entries

/** out(s,p,q) = sum_{j<size} data(s,p,j,q) (double/int64 accumulation, sequential in j like the CPU). */
template <typename T, typename A>
__device__ void reduce_over_targets(const T* data, i64 S, i64 P, i64 N, i64 Q, const i64* sizes, T* out, int average,
                                    int nans_to_zero, u64* flag) {
    GRID_STRIDE(i, S * P * Q) {
        i64 q = rem(i, Q);
        i64 sp = quot(i, Q);
        i64 s = quot(sp, P);
        i64 n = checked_size(sizes, s, N, flag);
        A acc = 0;
        for (i64 j = 0; j < n; j++) acc += (A)data[(sp * N + j) * Q + q];
        out[i] = (T)acc;
        if (average) {
            T mean = (T)((T)acc / (T)n);
            if (nans_to_zero && !isfinite((double)mean)) mean = (T)0;
            out[i] = mean;
        }
    }
}

/** out(s,p,j,q) = j < size ? g(s,p,q) * (average ? 1/size : 1) : 0, and 0 where forward is not finite. */
template <typename T>
__device__ void broadcast_over_targets(const T* grad, i64 S, i64 P, i64 N, i64 Q, const i64* sizes, T* out,
                                       int average, const T* forward, u64* flag) {
    GRID_STRIDE(i, S * P * N * Q) {
        i64 q = rem(i, Q);
        i64 j = rem(quot(i, Q), N);
        i64 sp = quot(i, Q * N);
        i64 s = quot(sp, P);
        i64 n = checked_size(sizes, s, N, flag);
        i64 gi = sp * Q + q;
        T v = grad[gi];
        if (average) v = v / (T)n;
        if (forward && !isfinite((double)forward[gi])) v = (T)0;
        out[i] = j < n ? v : (T)0;
    }
}

// ------------------------------------------------------------------ masks, strided copies, combine

/** out[i] = mask[i / inner] ? data[i] : value. */
template <typename T>
__device__ void apply_mask(const T* data, const uint8_t* mask, i64 inner, i64 total, T* out, u64 value) {
    const T v = from_bits<T>(value);
    GRID_STRIDE(i, total) out[i] = mask[quot(i, inner)] ? data[i] : v;
}

/**
 * out[o] = src[sum_k (o_k mod srcExtent_k) * srcStride_k] over the row-major multi-index o of
 * outShape; meta = outShape[rank], srcExtent[rank], srcStride[rank] (int64, on the device).
 */
template <typename T>
__device__ void strided_copy(const T* src, T* out, i64 total, int rank, const i64* meta) {
    GRID_STRIDE(i, total) {
        i64 r = i, off = 0;
        for (int k = rank - 1; k >= 0; k--) {
            i64 o = rem(r, meta[k]);
            r = quot(r, meta[k]);
            off += rem(o, meta[rank + k]) * meta[2 * rank + k];
        }
        out[i] = src[off];
    }
}

/**
 * Per-launch table of combine, passed by value (CudaKernel.Launch.words): samples first .. first +
 * count - 1 of the batch, their device pointers and sizes. Word layout: [0] first, [1] count,
 * [2 .. 2+N) src, then size. Filled by CudaRaggedKernels.combine. Two sizes: N = 64 (1 KiB of
 * parameters, cheaper to launch) and N = 240 (close to the 4 KiB parameter limit).
 */
template <int N>
struct CombineTable {
    i64 first;
    i64 count;
    u64 src[N];
    i64 size[N];
};

/**
 * out (S, W, Q): row first + k holds the first size[k]*Q elements of the sample at src[k], zeros
 * after; sizesOut[first + k] = size[k] (unless null). Every element of the rows is written (no fill first).
 */
template <typename T, int N>
__device__ void combine(const CombineTable<N>& t, i64 W, i64 Q, T* out, i64* sizesOut) {
    const i64 row = W * Q;
    const i64 span = row > 0 ? row : 1;  // an empty row still has a thread that writes the size
    GRID_STRIDE(i, t.count * span) {
        i64 r = rem(i, span);
        i64 k = quot(i, span);
        i64 n = t.size[k];
        if (r == 0 && sizesOut) sizesOut[t.first + k] = n;
        if (r < row) out[(t.first + k) * row + r] = r < n * Q ? ((const T*)t.src[k])[r] : (T)0;
    }
}

/** Shapes and strides of strided_copy by value: outShape[rank], srcExtent[rank], srcStride[rank]. */
#define STRIDED_MAX_RANK 16
struct StridedMeta {
    i64 w[3 * STRIDED_MAX_RANK];
};

/** strided_copy with its shapes and strides passed by value (rank <= STRIDED_MAX_RANK). */
template <typename T>
__device__ void strided_copy_by_value(const T* src, T* out, i64 total, int rank, const StridedMeta& m) {
    GRID_STRIDE(i, total) {
        i64 r = i, off = 0;
        for (int k = rank - 1; k >= 0; k--) {
            i64 o = rem(r, m.w[k]);
            r = quot(r, m.w[k]);
            off += rem(o, m.w[rank + k]) * m.w[2 * rank + k];
        }
        out[i] = src[off];
    }
}

/**
 * dst[0..n) = src[0..n) by the threads of one block, ONTO_UNROLL loads in flight per thread before
 * their stores (a plain loop would wait for each load: the compiler cannot move a load above the
 * previous store when it cannot rule out aliasing).
 */
#define ONTO_UNROLL 8
template <typename T>
__device__ __forceinline__ void block_copy(T* __restrict__ dst, const T* __restrict__ src, i64 n) {
    const i64 step = blockDim.x;
    i64 i = threadIdx.x;
    for (; i + (ONTO_UNROLL - 1) * step < n; i += ONTO_UNROLL * step) {
        T v[ONTO_UNROLL];
#pragma unroll
        for (int u = 0; u < ONTO_UNROLL; u++) v[u] = src[i + u * step];
#pragma unroll
        for (int u = 0; u < ONTO_UNROLL; u++) dst[i + u * step] = v[u];
    }
    for (; i < n; i += step) dst[i] = src[i];
}

/**
 * SCAN_UNROLL scanned entries of one thread in map_copy_onto: their raw indices and their source
 * values, loaded speculatively (a value is stored only if every check of scan_targets passes).
 */
#define SCAN_UNROLL 4
template <typename T>
struct ScanBatch {
    i64 rawTo[SCAN_UNROLL], rawFrom[SCAN_UNROLL];
    T v[SCAN_UNROLL];
};

/**
 * Loads the entries i0 + u * blockDim.x (u < SCAN_UNROLL) below `bound` of sample s: indices (the
 * identity j without an index tensor) and the source value wherever the raw source index is in range.
 * No checks, no reports: `bound` <= M * Q keeps every index slot inside the index tensor.
 */
template <typename T, typename I>
__device__ __forceinline__ void scan_load(ScanBatch<T>& x, i64 i0, i64 bound, const T* src, i64 sp, i64 srcE, i64 Q,
                                          const I* srcIdx, const I* dstIdx, i64 s, i64 M) {
#pragma unroll
    for (int u = 0; u < SCAN_UNROLL; u++) {
        const i64 i = i0 + u * (i64)blockDim.x;
        if (i >= bound) continue;
        const i64 j = quot(i, Q);
        const i64 q = rem(i, Q);
        x.rawTo[u] = dstIdx ? (i64)dstIdx[s * M + j] : j;
        x.rawFrom[u] = srcIdx ? (i64)srcIdx[s * M + j] : j;
        const i64 from = x.rawFrom[u] < 0 ? x.rawFrom[u] + srcE : x.rawFrom[u];
        x.v[u] = from >= 0 && from < srcE ? src[(sp * srcE + from) * Q + q] : (T)0;
    }
}

/**
 * Checks the loaded entries below `total` (the sample's n * Q) in the order, and with the reports,
 * of map_entries, and stores those whose destination lies in this block's range [a, e).
 */
template <typename T, typename I>
__device__ __forceinline__ void scan_store(const ScanBatch<T>& x, i64 i0, i64 total, T* dst, i64 off, i64 a, i64 e,
                                           i64 dstE, i64 srcE, i64 Q, const I* srcIdx, const I* dstIdx, i64 s,
                                           u64* flag) {
    i64 at[SCAN_UNROLL];  // destination element offset, or -1: nothing to store
#pragma unroll
    for (int u = 0; u < SCAN_UNROLL; u++) {
        at[u] = -1;
        const i64 i = i0 + u * (i64)blockDim.x;
        if (i >= total) continue;
        const i64 j = quot(i, Q);
        if (!dstIdx && j >= dstE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, dstE); continue; }
        const i64 to = dstIdx ? valid_index(x.rawTo[u], s, j, dstE, flag) : j;
        if (to < a || to >= e) continue;  // another block's range (or invalid: reported)
        if (!srcIdx && j >= srcE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, srcE); continue; }
        const i64 from = srcIdx ? valid_index(x.rawFrom[u], s, j, srcE, flag) : j;
        if (from < 0) continue;
        at[u] = off + to * Q + rem(i, Q);
    }
#pragma unroll
    for (int u = 0; u < SCAN_UNROLL; u++) {
        if (at[u] >= 0) dst[at[u]] = x.v[u];
    }
}

/** Values per entry (Q) up to which map_copy_onto takes the per-entry path (copy_entries). */
#define ONTO_ENTRY_MAX_Q 16

/**
 * map_copy_onto's scan for small Q: a thread takes whole entries j rather than single elements, so
 * the index loads, the checks and the destination test run once per entry instead of once per
 * element (no index division either), and the Q values of a kept entry move through registers,
 * all loads before the stores. The checks and reports are scan_store's, entry by entry. rawTo0 and
 * rawFrom0 are the raw indices of the thread's first entry, loaded before the block copy.
 */
template <typename T, typename I>
__device__ __forceinline__ void copy_entries(const T* src, i64 sp, i64 srcE, i64 Q, const I* srcIdx, T* dst,
                                             i64 off, i64 a, i64 e, i64 dstE, const I* dstIdx, i64 s, i64 M,
                                             i64 n, i64 rawTo0, i64 rawFrom0, u64* flag) {
    for (i64 j = threadIdx.x; j < n; j += blockDim.x) {
        const bool first = j == (i64)threadIdx.x;
        const i64 rawTo = first ? rawTo0 : (dstIdx ? (i64)dstIdx[s * M + j] : j);
        const i64 rawFrom = first ? rawFrom0 : (srcIdx ? (i64)srcIdx[s * M + j] : j);
        if (!dstIdx && j >= dstE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, dstE); continue; }
        const i64 to = dstIdx ? valid_index(rawTo, s, j, dstE, flag) : j;
        if (to < a || to >= e) continue;  // another block's range (or invalid: reported)
        if (!srcIdx && j >= srcE) { bw_report_error(flag, BW_ERR_VALUE, s, j, j + 1, srcE); continue; }
        const i64 from = srcIdx ? valid_index(rawFrom, s, j, srcE, flag) : j;
        if (from < 0) continue;
        const T* in = src + (sp * srcE + from) * Q;
        T* out = dst + off + to * Q;
        T v[ONTO_ENTRY_MAX_Q];
#pragma unroll
        for (int q = 0; q < ONTO_ENTRY_MAX_Q; q++) {
            if (q < Q) v[q] = in[q];
        }
#pragma unroll
        for (int q = 0; q < ONTO_ENTRY_MAX_Q; q++) {
            if (q < Q) out[q] = v[q];
        }
    }
}

/**
 * dst = base, then dst(s,p, dstIdx[s,j] or j, q) = src(s,p, srcIdx[s,j] or j, q) for j < size, in
 * one launch. Block b owns the destination entries [a, a + C) of one (s, p): it copies them from
 * base, waits for the block, then scans the sample's n valid entries and writes those whose
 * destination falls in its range. Blocks own disjoint ranges, so no ordering between blocks is
 * needed, and every sample is spread over many blocks. The caller picks C (entries per block) and
 * keeps the repeated scans (blocks per sample x n x Q) small against the copy.
 *
 * With at most ONTO_ENTRY_MAX_Q values per entry a thread takes whole entries (copy_entries);
 * otherwise, for long entries, threads take single elements: the following describes that path.
 * Latency: each thread scans SCAN_UNROLL entries at a time, all their loads before any store, and
 * the loads of its first batch (and the size) are issued before the block copy, so a W1 block
 * (n * Q <= 800 <= SCAN_UNROLL x 256) waits for about two memory round trips (copy loads and scan
 * loads together, then the stores) instead of two per scanned entry after the copy.
 */
template <typename T, typename I>
__device__ void map_copy_onto(const T* src, i64 S, i64 P, i64 srcE, i64 Q, const I* srcIdx, const T* base, T* dst,
                              i64 dstE, const I* dstIdx, const i64* sizes, i64 M, i64 C, u64* flag) {
    const i64 chunks = (dstE + C - 1) / C;
    const i64 step = SCAN_UNROLL * (i64)blockDim.x;
    for (i64 b = blockIdx.x; b < S * P * chunks; b += gridDim.x) {
        const i64 sp = quot(b, chunks);
        const i64 s = quot(sp, P);
        const i64 a = rem(b, chunks) * C;
        const i64 e = a + C < dstE ? a + C : dstE;
        const i64 off = sp * dstE * Q;
        const i64 size = sizes[s];
        if (Q <= ONTO_ENTRY_MAX_Q) {
            const i64 j0 = threadIdx.x;  // the thread's first entry: its raw indices before the copy
            const i64 rawTo0 = dstIdx && j0 < M ? (i64)dstIdx[s * M + j0] : j0;
            const i64 rawFrom0 = srcIdx && j0 < M ? (i64)srcIdx[s * M + j0] : j0;
            block_copy(dst + off + a * Q, base + off + a * Q, (e - a) * Q);
            __syncthreads();
            copy_entries(src, sp, srcE, Q, srcIdx, dst, off, a, e, dstE, dstIdx, s, M, valid_size(size, s, M, flag),
                         rawTo0, rawFrom0, flag);
            __syncthreads();
            continue;
        }
        ScanBatch<T> x;
        scan_load(x, threadIdx.x, M * Q, src, sp, srcE, Q, srcIdx, dstIdx, s, M);  // before the size is known
        block_copy(dst + off + a * Q, base + off + a * Q, (e - a) * Q);
        __syncthreads();
        const i64 total = valid_size(size, s, M, flag) * Q;
        scan_store(x, threadIdx.x, total, dst, off, a, e, dstE, srcE, Q, srcIdx, dstIdx, s, flag);
        for (i64 i0 = threadIdx.x + step; i0 < total; i0 += step) {
            scan_load(x, i0, total, src, sp, srcE, Q, srcIdx, dstIdx, s, M);
            scan_store(x, i0, total, dst, off, a, e, dstE, srcE, Q, srcIdx, dstIdx, s, flag);
        }
        __syncthreads();
    }
}

// ------------------------------------------------------------------ extern "C" entry points

#define BY_ELEMENT(SUF, T)                                                                                       \
    extern "C" __global__ void ragged_fill_by_validity_##SUF(T* out, const i64* sizes, i64 S, i64 P, i64 N, i64 Q, \
                                                             u64 valid, u64 filler, u64* flag) {                \
        fill_by_validity<T>(out, sizes, S, P, N, Q, valid, filler, flag);                                        \
    }                                                                                                            \
    extern "C" __global__ void ragged_set_padded_##SUF(T* data, const i64* sizes, i64 S, i64 P, i64 N, i64 Q,     \
                                                       u64 value, u64* flag) {                                   \
        set_padded<T>(data, sizes, S, P, N, Q, value, flag);                                                     \
    }                                                                                                            \
    extern "C" __global__ void ragged_apply_mask_##SUF(const T* data, const uint8_t* mask, i64 inner, i64 total,   \
                                                       T* out, u64 value) {                                      \
        apply_mask<T>(data, mask, inner, total, out, value);                                                     \
    }                                                                                                            \
    extern "C" __global__ void ragged_strided_copy_##SUF(const T* src, T* out, i64 total, int rank,               \
                                                         const i64* meta) {                                      \
        strided_copy<T>(src, out, total, rank, meta);                                                            \
    }                                                                                                            \
    extern "C" __global__ void ragged_strided_copy_v_##SUF(const T* src, T* out, i64 total, int rank,             \
                                                           const __grid_constant__ StridedMeta meta) {           \
        strided_copy_by_value<T>(src, out, total, rank, meta);                                                   \
    }                                                                                                            \
    extern "C" __global__ void ragged_combine64_##SUF(const __grid_constant__ CombineTable<64> table, i64 W,      \
                                                      i64 Q, T* out, i64* sizesOut) {                            \
        combine<T, 64>(table, W, Q, out, sizesOut);                                                              \
    }                                                                                                            \
    extern "C" __global__ void ragged_combine240_##SUF(const __grid_constant__ CombineTable<240> table, i64 W,    \
                                                       i64 Q, T* out, i64* sizesOut) {                           \
        combine<T, 240>(table, W, Q, out, sizesOut);                                                             \
    }

#define BY_ELEMENT_AND_INDEX(SUF, T, ISUF, I)                                                                    \
    extern "C" __global__ void ragged_gather_##SUF##_##ISUF(const T* data, i64 S, i64 P, i64 E, i64 Q,            \
                                                            const I* idx, const i64* sizes, i64 M, T* out,        \
                                                            u64 filler, u64* flag) {                             \
        gather<T, I>(data, S, P, E, Q, idx, sizes, M, out, filler, flag);                                        \
    }                                                                                                            \
    extern "C" __global__ void ragged_map_copy_##SUF##_##ISUF(const T* src, i64 S, i64 P, i64 srcE, i64 Q,        \
                                                              const I* srcIdx, T* dst, i64 dstE, const I* dstIdx, \
                                                              const i64* sizes, i64 M, u64* flag) {               \
        map_copy<T, I>(src, S, P, srcE, Q, srcIdx, dst, dstE, dstIdx, sizes, M, flag);                           \
    }                                                                                                            \
    extern "C" __global__ void ragged_map_copy_onto_##SUF##_##ISUF(const T* src, i64 S, i64 P, i64 srcE, i64 Q,   \
                                                                   const I* srcIdx, const T* base, T* dst,        \
                                                                   i64 dstE, const I* dstIdx, const i64* sizes,   \
                                                                   i64 M, i64 C, u64* flag) {                    \
        map_copy_onto<T, I>(src, S, P, srcE, Q, srcIdx, base, dst, dstE, dstIdx, sizes, M, C, flag);             \
    }                                                                                                            \
    extern "C" __global__ void ragged_set_at_indices_##SUF##_##ISUF(T* dst, i64 S, i64 P, i64 E, i64 Q,           \
                                                                    const I* idx, const i64* sizes, i64 M,        \
                                                                    u64 value, u64* flag) {                      \
        set_at_indices<T, I>(dst, S, P, E, Q, idx, sizes, M, value, flag);                                       \
    }

#define BY_NUMBER_AND_INDEX(SUF, T, ISUF, I)                                                                     \
    extern "C" __global__ void ragged_map_add_##SUF##_##ISUF(const T* src, i64 S, i64 P, i64 srcE, i64 Q,         \
                                                             const I* srcIdx, T* dst, i64 dstE, const I* dstIdx,  \
                                                             const i64* sizes, i64 M, u64* flag) {                \
        map_add<T, I>(src, S, P, srcE, Q, srcIdx, dst, dstE, dstIdx, sizes, M, flag);                            \
    }

#define BY_NUMBER(SUF, T, A)                                                                                     \
    extern "C" __global__ void ragged_reduce_##SUF(const T* data, i64 S, i64 P, i64 N, i64 Q, const i64* sizes,   \
                                                   T* out, int average, int nans_to_zero, u64* flag) {           \
        reduce_over_targets<T, A>(data, S, P, N, Q, sizes, out, average, nans_to_zero, flag);                    \
    }

BY_ELEMENT(e1, uint8_t)
BY_ELEMENT(e4, uint32_t)
BY_ELEMENT(e8, uint64_t)
BY_ELEMENT_AND_INDEX(e1, uint8_t, i32, int32_t)
BY_ELEMENT_AND_INDEX(e1, uint8_t, i64, int64_t)
BY_ELEMENT_AND_INDEX(e4, uint32_t, i32, int32_t)
BY_ELEMENT_AND_INDEX(e4, uint32_t, i64, int64_t)
BY_ELEMENT_AND_INDEX(e8, uint64_t, i32, int32_t)
BY_ELEMENT_AND_INDEX(e8, uint64_t, i64, int64_t)
BY_NUMBER_AND_INDEX(f32, float, i32, int32_t)
BY_NUMBER_AND_INDEX(f32, float, i64, int64_t)
BY_NUMBER_AND_INDEX(f64, double, i32, int32_t)
BY_NUMBER_AND_INDEX(f64, double, i64, int64_t)
BY_NUMBER_AND_INDEX(s32, int32_t, i32, int32_t)
BY_NUMBER_AND_INDEX(s32, int32_t, i64, int64_t)
BY_NUMBER_AND_INDEX(s64, int64_t, i32, int32_t)
BY_NUMBER_AND_INDEX(s64, int64_t, i64, int64_t)
BY_NUMBER(f32, float, double)
BY_NUMBER(f64, double, double)
BY_NUMBER(s32, int32_t, i64)
BY_NUMBER(s64, int64_t, i64)

extern "C" __global__ void ragged_broadcast_f32(const float* grad, i64 S, i64 P, i64 N, i64 Q, const i64* sizes,
                                                float* out, int average, const float* forward, u64* flag) {
    broadcast_over_targets<float>(grad, S, P, N, Q, sizes, out, average, forward, flag);
}

extern "C" __global__ void ragged_broadcast_f64(const double* grad, i64 S, i64 P, i64 N, i64 Q, const i64* sizes,
                                                double* out, int average, const double* forward, u64* flag) {
    broadcast_over_targets<double>(grad, S, P, N, Q, sizes, out, average, forward, flag);
}
