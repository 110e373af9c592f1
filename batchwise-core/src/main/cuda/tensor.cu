// Tensor kernels: element-type conversion (all ordered pairs of batchwise's dtypes), 64-bit fill,
// an empty kernel for launch-latency measurement, and a kernel that reports an error through a
// DeviceErrorFlag (used to test the error path end to end).
//
// Conversion rules are those of dev.batchwise.tensor.Tensor#to(DType) and CpuTensorOps, i.e. Java's
// casts: float -> integer truncates toward zero and saturates at the target range, NaN -> 0;
// integer -> narrower integer keeps the low bits; float -> uint8 first converts to int32 (saturating)
// and keeps the low 8 bits; anything -> bool is value != 0 with NaN -> true; bool -> number is 0/1;
// integer -> float rounds to nearest even; float64 -> float32 rounds to nearest even.
// Everything is spelled out explicitly rather than left to C++ conversions, whose out-of-range
// float -> integer behaviour is undefined.
#include <stdint.h>
#include "batchwise.cuh"

// BOOL is one byte holding 0 or 1; a distinct type (not uint8_t) so that templates tell them apart.
struct bw_bool {
    unsigned char v;
};

// ---- reading any element as the widest value of its kind (integers as int64, floats as double)

template <typename T> struct bw_kind { static const bool is_float = false; };
template <> struct bw_kind<float> { static const bool is_float = true; };
template <> struct bw_kind<double> { static const bool is_float = true; };

__device__ __forceinline__ long long bw_as_long(int32_t v) { return v; }
__device__ __forceinline__ long long bw_as_long(long long v) { return v; }
__device__ __forceinline__ long long bw_as_long(uint8_t v) { return v; }

// Java's (int) of a double: NaN -> 0, saturate, else truncate.
__device__ __forceinline__ int32_t bw_double_to_i32(double x) {
    if (x != x) return 0;
    if (x >= 2147483647.0) return 2147483647;
    if (x <= -2147483648.0) return (-2147483647 - 1);
    return (int32_t)x;  // in range: truncation toward zero is defined
}

// Java's (long) of a double: NaN -> 0, saturate, else truncate.
__device__ __forceinline__ long long bw_double_to_i64(double x) {
    if (x != x) return 0;
    if (x >= 9223372036854775807.0) return 9223372036854775807LL;  // 2^63 as a double
    if (x <= -9223372036854775808.0) return (-9223372036854775807LL - 1);
    return (long long)x;
}

// ---- converting from a double (float sources; float32 is widened exactly first)

template <typename D> __device__ __forceinline__ D bw_from_double(double x);
template <> __device__ __forceinline__ float bw_from_double<float>(double x) { return (float)x; }
template <> __device__ __forceinline__ double bw_from_double<double>(double x) { return x; }
template <> __device__ __forceinline__ int32_t bw_from_double<int32_t>(double x) { return bw_double_to_i32(x); }
template <> __device__ __forceinline__ long long bw_from_double<long long>(double x) { return bw_double_to_i64(x); }
template <> __device__ __forceinline__ uint8_t bw_from_double<uint8_t>(double x) {
    return (uint8_t)(uint32_t)bw_double_to_i32(x);
}
template <> __device__ __forceinline__ bw_bool bw_from_double<bw_bool>(double x) {
    bw_bool b = {(unsigned char)((x != 0.0 || x != x) ? 1 : 0)};
    return b;
}

// ---- converting from an int64 (integer and bool sources)

template <typename D> __device__ __forceinline__ D bw_from_long(long long v);
template <> __device__ __forceinline__ float bw_from_long<float>(long long v) { return __ll2float_rn(v); }
template <> __device__ __forceinline__ double bw_from_long<double>(long long v) { return __ll2double_rn(v); }
template <> __device__ __forceinline__ int32_t bw_from_long<int32_t>(long long v) {
    return (int32_t)(uint32_t)(unsigned long long)v;  // low 32 bits
}
template <> __device__ __forceinline__ long long bw_from_long<long long>(long long v) { return v; }
template <> __device__ __forceinline__ uint8_t bw_from_long<uint8_t>(long long v) {
    return (uint8_t)(unsigned long long)v;  // low 8 bits
}
template <> __device__ __forceinline__ bw_bool bw_from_long<bw_bool>(long long v) {
    bw_bool b = {(unsigned char)(v != 0 ? 1 : 0)};
    return b;
}

// Sources: floats go through double, integers through int64, bool through 0/1.
template <typename S, typename D> struct bw_convert {
    __device__ __forceinline__ static D apply(S v) { return bw_from_long<D>(bw_as_long(v)); }
};
template <typename D> struct bw_convert<float, D> {
    __device__ __forceinline__ static D apply(float v) { return bw_from_double<D>((double)v); }
};
template <typename D> struct bw_convert<double, D> {
    __device__ __forceinline__ static D apply(double v) { return bw_from_double<D>(v); }
};
template <typename D> struct bw_convert<bw_bool, D> {
    __device__ __forceinline__ static D apply(bw_bool v) { return bw_from_long<D>(v.v != 0 ? 1 : 0); }
};
// float64 -> float32 directly (round to nearest even), not via the generic double path (same result,
// stated for clarity).
template <> struct bw_convert<double, float> {
    __device__ __forceinline__ static float apply(double v) { return __double2float_rn(v); }
};

template <typename S, typename D>
__device__ __forceinline__ void bw_cast(const S* __restrict__ src, D* __restrict__ dst, long long n) {
    for (long long i = bw_thread_index(); i < n; i += bw_thread_count()) {
        dst[i] = bw_convert<S, D>::apply(src[i]);
    }
}

// One entry point per ordered pair: bw_cast_<from>_<to>(const from* src, to* dst, long long n).
#define BW_CAST(SN, ST, DN, DT)                                                               \
    extern "C" __global__ void bw_cast_##SN##_##DN(const ST* src, DT* dst, long long n) {    \
        bw_cast<ST, DT>(src, dst, n);                                                         \
    }

#define BW_CAST_FROM(SN, ST)               \
    BW_CAST(SN, ST, f32, float)            \
    BW_CAST(SN, ST, f64, double)           \
    BW_CAST(SN, ST, i32, int32_t)          \
    BW_CAST(SN, ST, i64, long long)        \
    BW_CAST(SN, ST, u8, uint8_t)           \
    BW_CAST(SN, ST, b8, bw_bool)

BW_CAST_FROM(f32, float)
BW_CAST_FROM(f64, double)
BW_CAST_FROM(i32, int32_t)
BW_CAST_FROM(i64, long long)
BW_CAST_FROM(u8, uint8_t)
BW_CAST_FROM(b8, bw_bool)

// Sets n 64-bit words to the bit pattern `bits` (FLOAT64 and INT64 fills; 8- and 32-bit fills use
// cuMemsetD8Async / cuMemsetD32Async).
extern "C" __global__ void bw_fill_u64(unsigned long long* dst, long long n, unsigned long long bits) {
    for (long long i = bw_thread_index(); i < n; i += bw_thread_count()) {
        dst[i] = bits;
    }
}

// Does nothing: measures the cost of a launch.
extern "C" __global__ void bw_noop() {}

// A parameter passed by value as consecutive 64-bit words (CudaKernel.Launch.words); see
// bw_debug_copy_words.
struct bw_debug_words {
    long long count;
    long long word[15];
};

// out[0] = before, out[1 .. 1 + table.count) = table.word, out[1 + table.count] = after: checks that
// a by-value table and the scalars around it arrive intact (one thread).
extern "C" __global__ void bw_debug_copy_words(long long before, const __grid_constant__ bw_debug_words table,
                                               long long after, long long* out) {
    if (bw_thread_index() != 0) return;
    out[0] = before;
    for (long long i = 0; i < table.count && i < 15; i++) out[1 + i] = table.word[i];
    out[1 + table.count] = after;
}

// Every thread i < n reports BW error `code` with a = i, b = i + 1, c = value + i, d = bound; the
// flag keeps whichever report lands first. Exercises bw_report_error and the host-side checks.
extern "C" __global__ void bw_debug_report_error(unsigned long long* flag, long long n, long long code,
                                                 long long value, long long bound) {
    long long i = bw_thread_index();
    if (i < n) {
        bw_report_error(flag, code, i, i + 1, value + i, bound);
    }
}
