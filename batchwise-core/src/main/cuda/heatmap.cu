// Gaussian heatmap targets (dev.batchwise.heatmap): kernels behind GaussianHeatmaps and
// GaussianRadius.targetRadii.
//
// Drawing is a gather: one CTA owns a 32-column tile of one map, each thread owns up to four
// pixels of it (one column, rows 8 apart). The CTA scans the candidate objects of its map in
// chunks of 256 (one per thread), keeps those whose clipped window meets the tile in shared
// memory, and every thread folds them into its pixels with a max. Each pixel is written by one
// thread once, so there are no atomics on the maps, the zero-fill is free (the start value is 0
// instead of the old content), and work per thread is proportional to the objects covering its
// tile, however unevenly the radii vary.
//
// Stamp values of the integer modes depend only on (r, |dx|, |dy|) (and the options), and by
// symmetry only on (r, min(|dx|,|dy|), max(|dx|,|dy|)): a radius-r table has (r+1)(r+2)/2 entries,
// against (2r+1)^2 pixels per object. Each CTA keeps these tables in shared memory for the radii
// up to kTableMaxRadius that its objects use, built the first time a radius appears, one entry per
// thread over all new radii at once, and kept for its later chunks and tiles. The per-pixel loop
// then costs a shared load and a max per object; evaluated directly, the division and exp ran once
// per warp and row for every object that met any lane of the warp. Larger radii and the
// float-centre mode are evaluated directly. The direct evaluation, read_object and build_tables
// are not inlined and the kernel is capped at 64 registers (4 CTAs per SM, against 3 at the 73
// registers of the inlined FP64 code); ptxas spills 24 bytes at that cap (sm_90).
// An entry is computed by the same stamp_value on the same d2 (a^2 + b^2 = dx^2 + dy^2 exactly
// for these small integers; + is commutative), so both paths give the same bits.
//
// Bit-exactness with the CPU path (GaussianValues.java, CpuGaussianHeatmaps.java): every
// floating-point operation on a value is an explicitly rounded intrinsic (__dmul_rn, __fma_rn,
// __fdiv_rn, ...) in the same order as the Java code, so nvcc can neither contract nor reorder
// them, and max-combine follows Math.max(float, float) exactly (NaN wins, +0 above -0). Max is
// commutative and associative under these rules, so the object order does not matter.

#include <stdint.h>

#include "batchwise.cuh"

namespace {

constexpr int kTileW = 32;          // columns per tile = one warp
constexpr int kRowsPerPass = 8;     // warps per CTA
constexpr int kThreads = kTileW * kRowsPerPass;
constexpr int kMaxRowsPerThread = 4;
// Radii 0..kTableMaxRadius get a shared table (bits of a 32-bit mask); all of them together take
// sum (r+1)(r+2)/2 = C(kTableMaxRadius+3, 3) floats.
constexpr int kTableMaxRadius = 15;
constexpr int kTableFloats = (kTableMaxRadius + 1) * (kTableMaxRadius + 2) * (kTableMaxRadius + 3) / 6;

// Stamp modes (GaussianStamp ordinals) and input formats (DrawRequest.Format ordinals).
constexpr int kMmdet = 0;
constexpr int kAccvlab = 1;
constexpr int kDali = 2;
constexpr int kConcatenated = 0;
constexpr int kBatched = 1;
constexpr int kClasswise = 2;

// Details of BW_ERR_VALUE reports: c = the value (raw bits for floats), d = what was wrong.
constexpr long long kWhatRadius = 0;
constexpr long long kWhatCenter = 1;
constexpr long long kWhatSampleSize = 2;

// GaussianValues.exp: range reduction by ln 2 with fma, degree-13 Taylor polynomial, exact 2^n.
__device__ __forceinline__ double det_exp(double x) {
    if (x != x) {
        return x;
    }
    if (x < -700.0) {
        return 0.0;
    }
    const double n = rint(__dmul_rn(x, 0x1.71547652b82fep+0));
    double r = __fma_rn(-n, 0x1.62e42fee00000p-1, x);
    r = __fma_rn(-n, 0x1.a39ef35793c76p-33, r);
    double p = 0x1.6124613a86d09p-33;
    p = __fma_rn(p, r, 0x1.1eed8eff8d898p-29);
    p = __fma_rn(p, r, 0x1.ae64567f544e4p-26);
    p = __fma_rn(p, r, 0x1.27e4fb7789f5cp-22);
    p = __fma_rn(p, r, 0x1.71de3a556c734p-19);
    p = __fma_rn(p, r, 0x1.a01a01a01a01ap-16);
    p = __fma_rn(p, r, 0x1.a01a01a01a01ap-13);
    p = __fma_rn(p, r, 0x1.6c16c16c16c17p-10);
    p = __fma_rn(p, r, 0x1.1111111111111p-7);
    p = __fma_rn(p, r, 0x1.5555555555555p-5);
    p = __fma_rn(p, r, 0x1.5555555555555p-3);
    p = __fma_rn(p, r, 0x1.0000000000000p-1);
    p = __fma_rn(p, r, 1.0);
    p = __fma_rn(p, r, 1.0);
    const long long bits = (static_cast<long long>(n) + 1023) << 52;
    return __dmul_rn(p, __longlong_as_double(bits));
}

// GaussianValues.integerVar
__device__ __forceinline__ double integer_var(int mode, long long r, double f) {
    if (mode == kAccvlab) {
        const float sigma = __fdiv_rn(static_cast<float>(2 * r + 1), static_cast<float>(f));
        return static_cast<double>(__fmul_rn(__fmul_rn(2.0f, sigma), sigma));
    }
    const double sigma = __ddiv_rn(static_cast<double>(2 * r + 1), f);
    return __dmul_rn(__dmul_rn(2.0, sigma), sigma);
}

// GaussianValues.floatVar
__device__ __forceinline__ double float_var(float r, double f) {
    const double sigma = __dmul_rn(static_cast<double>(r), f);
    return __dmul_rn(__dmul_rn(2.0, sigma), sigma);
}

// GaussianValues.value
__device__ __forceinline__ float stamp_value(int mode, double d2, double var) {
    if (d2 == 0.0) {
        return 1.0f;
    }
    if (mode == kAccvlab) {
        const float e = __fdiv_rn(-__double2float_rn(d2), __double2float_rn(var));
        return __double2float_rn(det_exp(static_cast<double>(e)));
    }
    const double h = det_exp(__ddiv_rn(-d2, var));
    if (mode == kMmdet && h < 0x1.0p-52) {
        return 0.0f;
    }
    return __double2float_rn(h);
}

// java.lang.Math.max(float, float)
__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) {
        return a;
    }
    if (a == 0.0f && b == 0.0f && __float_as_uint(a) == 0x80000000u) {
        return b;
    }
    return a >= b ? a : b;
}

// Entries of the radius-r table, and where it starts: (a, b), 0 <= a <= b <= r, is entry
// b(b+1)/2 + a, and the tables of radii 0, 1, ... lie one after the other.
__device__ __forceinline__ int table_entries(int r) {
    return (r + 1) * (r + 2) / 2;
}

__device__ __forceinline__ int table_offset(int r) {
    return r * (r + 1) * (r + 2) / 6;
}

// One stamp value times k, evaluated directly; not inlined, so that the FP64 registers of the
// division and exp do not raise the register count (and lower the occupancy) of the whole kernel.
__device__ __noinline__ float direct_value(int mode, double dx, double dy, double var, float k) {
    const double d2 = __dadd_rn(__dmul_rn(dx, dx), __dmul_rn(dy, dy));
    return __fmul_rn(stamp_value(mode, d2, var), k);
}

// Fills the tables of the radii in `fresh` (a mask of radii <= kTableMaxRadius): entry e of their
// concatenation goes to thread e % kThreads, so all new radii take about one exp per thread.
__device__ __noinline__ void build_tables(float* table, unsigned fresh, int mode, double factor, float k, int tid) {
    int total = 0;
    for (unsigned m = fresh; m != 0; m &= m - 1) {
        total += table_entries(__ffs(m) - 1);
    }
    for (int e = tid; e < total; e += kThreads) {
        unsigned m = fresh;
        int r = __ffs(m) - 1;
        int j = e;
        while (j >= table_entries(r)) {
            j -= table_entries(r);
            m &= m - 1;
            r = __ffs(m) - 1;
        }
        int b = 0;
        while (table_entries(b) <= j) {
            b++;
        }
        const int a = j - b * (b + 1) / 2;
        table[table_offset(r) + j] = direct_value(mode, static_cast<double>(a), static_cast<double>(b),
                                                  integer_var(mode, r, factor), k);
    }
}

__device__ __forceinline__ long long load_index(const void* p, int is64, long long i) {
    return is64 ? static_cast<const long long*>(p)[i] : static_cast<long long>(static_cast<const int*>(p)[i]);
}

// Entry t of the sample starting at `first`: its key (map index or label; none when batched) and
// the raw words of its centre and radius, 0 for t >= slots. The inputs hold `slots` entries per
// sample, so the loads are in bounds for t < slots whatever the sample's size: issued before the
// size is known and independent of each other, they make the collection one memory round trip.
__device__ __forceinline__ void load_entry(const void* centers, const void* radii, const void* keys, int keysAre64,
                                           int format, long long first, int slots, int t, long long* key,
                                           int* rawCx, int* rawCy, int* rawR) {
    *key = 0;
    *rawCx = 0;
    *rawCy = 0;
    *rawR = 0;
    if (t < slots) {
        const long long p = first + t;
        if (format != kBatched) {
            *key = load_index(keys, keysAre64, p);
        }
        *rawCx = static_cast<const int*>(centers)[2 * p];
        *rawCy = static_cast<const int*>(centers)[2 * p + 1];
        *rawR = static_cast<const int*>(radii)[p];
    }
}

// One object whose window meets the tile: window inclusive and clipped to the map. Integer modes
// with r <= kTableMaxRadius: `tab` = r while collected, then the table offset, and (icx, icy) the
// centre; otherwise tab = -1 and (cx, cy, var) are what direct_value needs.
struct TileObject {
    int x0, x1, y0, y1;
    int icx, icy, tab;
    double cx, cy, var;
};

__device__ __forceinline__ bool finite_float(float v) {
    return (__float_as_uint(v) & 0x7f800000u) != 0x7f800000u;
}

// Object from the raw 32-bit words of its centre and radius (int32, or float32 bits in the float
// mode); false when it is invalid (reported when `report`) or its window misses the map. Not
// inlined: it keeps the kernel's register count (and so its occupancy) at the pixel loop's needs.
__device__ __noinline__ bool read_object(int rawCx, int rawCy, int rawR, int mode, double factor,
                                         int height, int width, bool report, unsigned long long* flag,
                                         long long sample, long long pos, TileObject* o) {
    if (mode == kDali) {
        const float cx = __int_as_float(rawCx);
        const float cy = __int_as_float(rawCy);
        const float r = __int_as_float(rawR);
        if (!finite_float(cx) || !finite_float(cy)) {
            if (report) {
                bw_report_error(flag, BW_ERR_VALUE, sample, pos,
                             __float_as_uint(finite_float(cx) ? cy : cx), kWhatCenter);
            }
            return false;
        }
        if (!finite_float(r) || !(r >= 0.0f)) {
            if (report) {
                bw_report_error(flag, BW_ERR_VALUE, sample, pos, __float_as_uint(r), kWhatRadius);
            }
            return false;
        }
        const double x0 = fmax(floor(static_cast<double>(__fsub_rn(cx, r))), 0.0);
        const double x1 = fmin(ceil(static_cast<double>(__fadd_rn(cx, r))), width - 1.0);
        const double y0 = fmax(floor(static_cast<double>(__fsub_rn(cy, r))), 0.0);
        const double y1 = fmin(ceil(static_cast<double>(__fadd_rn(cy, r))), height - 1.0);
        if (x0 > x1 || y0 > y1) {
            return false;
        }
        o->x0 = static_cast<int>(x0);
        o->x1 = static_cast<int>(x1);
        o->y0 = static_cast<int>(y0);
        o->y1 = static_cast<int>(y1);
        o->cx = floor(static_cast<double>(cx));
        o->cy = floor(static_cast<double>(cy));
        o->var = float_var(r, factor);
        o->tab = -1;
        return true;
    }
    const long long cx = rawCx;
    const long long cy = rawCy;
    const long long r = rawR;
    if (r < 0) {
        if (report) {
            bw_report_error(flag, BW_ERR_VALUE, sample, pos, r, kWhatRadius);
        }
        return false;
    }
    const long long x0 = max(0LL, cx - r);
    const long long x1 = min(static_cast<long long>(width) - 1, cx + r);
    const long long y0 = max(0LL, cy - r);
    const long long y1 = min(static_cast<long long>(height) - 1, cy + r);
    if (x0 > x1 || y0 > y1) {
        return false;
    }
    o->x0 = static_cast<int>(x0);
    o->x1 = static_cast<int>(x1);
    o->y0 = static_cast<int>(y0);
    o->y1 = static_cast<int>(y1);
    if (r <= kTableMaxRadius) {
        o->icx = static_cast<int>(cx);
        o->icy = static_cast<int>(cy);
        o->tab = static_cast<int>(r);
        return true;
    }
    o->cx = static_cast<double>(cx);
    o->cy = static_cast<double>(cy);
    o->var = integer_var(mode, r, factor);
    o->tab = -1;
    return true;
}

}  // namespace

// Draws (max-combines) Gaussian stamps into maps (numMaps, height, width); see DrawRequest.java
// for the layouts. Grid: x = map, y = tiles (grid-stride over tilesPerMap); block: 256 threads.
// Object (sample, t) is validated by exactly one CTA: map 0 for the concatenated format, the
// first map of the sample otherwise, in its first tile.
extern "C" __global__ void __launch_bounds__(kThreads, 4) draw_gaussians(
        float* __restrict__ maps, int numMaps, int height, int width,
        const void* __restrict__ centers, const void* __restrict__ radii,
        const void* __restrict__ keys, int keysAre64,
        const void* __restrict__ sampleSizes, int sizesAre64,
        int slots, int classes, int format, int mode, double factor, float k, int zeroFill,
        int rowsPerThread, int tilesX, int tilesPerMap, unsigned long long* __restrict__ errorFlag) {
    __shared__ TileObject objs[kThreads];
    __shared__ float table[kTableFloats];
    __shared__ int objCount;
    __shared__ unsigned radiiUsed;  // radii (<= kTableMaxRadius) of the objects collected so far

    const int m = blockIdx.x;
    const int tid = threadIdx.x;
    const int lane = tid % kTileW;
    const int warp = tid / kTileW;
    long long sample = 0;
    int wantedKey = m;
    if (format == kBatched) {
        sample = m;
    } else if (format == kClasswise) {
        sample = m / classes;
        wantedKey = m % classes;
    }
    const bool validator = blockIdx.y == 0 && (format == kConcatenated ? m == 0 : wantedKey == 0 || format == kBatched);
    const long long first = format == kConcatenated ? 0 : sample * slots;
    // The first chunk's entries, loaded before the sample size is known (see load_entry).
    long long key;
    int rawCx;
    int rawCy;
    int rawR;
    load_entry(centers, radii, keys, keysAre64, format, first, slots, tid, &key, &rawCx, &rawCy, &rawR);
    int count = slots;
    if (format != kConcatenated) {
        const long long n = load_index(sampleSizes, sizesAre64, sample);
        if (n < 0 || n > slots) {
            if (validator && tid == 0) {
                bw_report_error(errorFlag, BW_ERR_VALUE, sample, -1, n, kWhatSampleSize);
            }
            count = n < 0 ? 0 : slots;
        } else {
            count = static_cast<int>(n);
        }
    }
    const long long keyBound = format == kConcatenated ? numMaps : classes;
    float* map = maps + static_cast<long long>(m) * height * width;
    if (tid == 0) {
        objCount = 0;
        radiiUsed = 0;
    }
    __syncthreads();
    unsigned built = 0;  // radii whose table is filled (the same in every thread)

    // At least one pass, so that objects are validated even when the maps have no pixels.
    const int passes = max(tilesPerMap, 1);
    for (int tile = blockIdx.y; tile < passes; tile += gridDim.y) {
        const bool report = validator && tile == static_cast<int>(blockIdx.y);
        const int tx0 = (tile % tilesX) * kTileW;
        const int ty0 = (tile / tilesX) * kRowsPerPass * rowsPerThread;
        const int tx1 = min(tx0 + kTileW, width) - 1;
        const int ty1 = min(ty0 + kRowsPerPass * rowsPerThread, height) - 1;
        const int px = tx0 + lane;
        float acc[kMaxRowsPerThread];
        bool touched[kMaxRowsPerThread];
#pragma unroll
        for (int q = 0; q < kMaxRowsPerThread; q++) {
            const int py = ty0 + warp + kRowsPerPass * q;
            const bool inside = q < rowsPerThread && px < width && py < height;
            acc[q] = zeroFill || !inside ? 0.0f : map[static_cast<long long>(py) * width + px];
            touched[q] = false;
        }

        for (int base = 0; base < count; base += kThreads) {
            const int t = base + tid;
            if (base != 0 || tile != static_cast<int>(blockIdx.y)) {  // else prefetched above
                load_entry(centers, radii, keys, keysAre64, format, first, slots, t, &key, &rawCx, &rawCy, &rawR);
            }
            if (t < count) {
                bool mine = true;
                if (format != kBatched) {
                    if (key < 0 || key >= keyBound) {
                        if (report) {
                            bw_report_error(errorFlag, BW_ERR_INDEX, sample, t, key, keyBound);
                        }
                        mine = false;
                    } else {
                        mine = key == wantedKey;
                    }
                }
                TileObject o;
                // Validators read every object (to report bad radii); others only their own.
                if ((mine || report)
                        && read_object(rawCx, rawCy, rawR, mode, factor, height, width, report, errorFlag, sample, t, &o)
                        && mine && o.x0 <= tx1 && o.x1 >= tx0 && o.y0 <= ty1 && o.y1 >= ty0) {
                    if (o.tab >= 0) {
                        atomicOr(&radiiUsed, 1u << o.tab);
                        o.tab = table_offset(o.tab);
                    }
                    objs[atomicAdd(&objCount, 1)] = o;
                }
            }
            __syncthreads();
            const int n = objCount;
            // radiiUsed is read by all threads here and next written after the syncs below.
            const unsigned fresh = radiiUsed & ~built;
            if (fresh != 0) {
                build_tables(table, fresh, mode, factor, k, tid);
                built |= fresh;
                __syncthreads();
            }
            // Straight-line per object (the branch on tab is the same for the whole warp). Not
            // unrolled: unrolling by 2 spilled at the 64-register cap and was slower on an H200
            // (W3-b/c/d 14.7/11.9/34.1 us against 12.6/10.2/29.1).
#pragma unroll 1
            for (int i = 0; i < n; i++) {
                const TileObject& o = objs[i];
                const int x0 = o.x0;
                const int x1 = o.x1;
                const int y0 = o.y0;
                const int y1 = o.y1;
                const int tab = o.tab;
                if (tab >= 0) {
                    const bool inX = px >= x0 && px <= x1;
                    // Wrapping differences: only used where inX (then |px - icx| <= r).
                    const int adx = abs(static_cast<int>(static_cast<unsigned>(px) - static_cast<unsigned>(o.icx)));
                    const int icy = o.icy;
#pragma unroll
                    for (int q = 0; q < kMaxRowsPerThread; q++) {
                        const int py = ty0 + warp + kRowsPerPass * q;
                        const bool cover = inX && q < rowsPerThread && py >= y0 && py <= y1;
                        const int ady = abs(static_cast<int>(static_cast<unsigned>(py) - static_cast<unsigned>(icy)));
                        const int lo = min(adx, ady);
                        const int hi = max(adx, ady);
                        const float v = table[cover ? tab + hi * (hi + 1) / 2 + lo : 0];
                        if (cover) {
                            acc[q] = java_max(acc[q], v);
                            touched[q] = true;
                        }
                    }
                } else if (px >= x0 && px <= x1) {
                    const double dx = static_cast<double>(px) - o.cx;
#pragma unroll
                    for (int q = 0; q < kMaxRowsPerThread; q++) {
                        const int py = ty0 + warp + kRowsPerPass * q;
                        if (q < rowsPerThread && py >= y0 && py <= y1) {
                            const double dy = static_cast<double>(py) - o.cy;
                            acc[q] = java_max(acc[q], direct_value(mode, dx, dy, o.var, k));
                            touched[q] = true;
                        }
                    }
                }
            }
            // Only when another chunk or tile follows: wait until all have read objs, then empty it.
            if (base + kThreads < count || tile + static_cast<int>(gridDim.y) < passes) {
                __syncthreads();
                if (tid == 0) {
                    objCount = 0;
                }
                __syncthreads();
            }
        }

#pragma unroll
        for (int q = 0; q < kMaxRowsPerThread; q++) {
            const int py = ty0 + warp + kRowsPerPass * q;
            if (q < rowsPerThread && px < width && py < height && (zeroFill || touched[q])) {
                map[static_cast<long long>(py) * width + px] = acc[q];
            }
        }
    }
}

// GaussianRadius.targetRadii: max(minRadius, int(radius_float32(h, w))) per box, operation for
// operation as GaussianRadius.float32 (mmdet3d's gaussian_radius on float32 tensors).
extern "C" __global__ void gaussian_target_radii(
        const float* __restrict__ sizes, int* __restrict__ out, long long n, int corrected,
        float oneMinusO, float onePlusO, float minusTwoO, float oMinusOne, float fourA3, float twoA3,
        int minRadius) {
    for (long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<long long>(gridDim.x) * blockDim.x) {
        const float h = sizes[2 * i];
        const float w = sizes[2 * i + 1];
        const float b1 = __fadd_rn(h, w);
        const float c1 = __fdiv_rn(__fmul_rn(__fmul_rn(w, h), oneMinusO), onePlusO);
        const float sq1 = __fsqrt_rn(__fsub_rn(__fmul_rn(b1, b1), __fmul_rn(4.0f, c1)));
        const float b2 = __fmul_rn(2.0f, __fadd_rn(h, w));
        const float c2 = __fmul_rn(__fmul_rn(oneMinusO, w), h);
        const float sq2 = __fsqrt_rn(__fsub_rn(__fmul_rn(b2, b2), __fmul_rn(16.0f, c2)));
        const float b3 = __fmul_rn(minusTwoO, __fadd_rn(h, w));
        const float c3 = __fmul_rn(__fmul_rn(oMinusOne, w), h);
        const float sq3 = __fsqrt_rn(__fsub_rn(__fmul_rn(b3, b3), __fmul_rn(fourA3, c3)));
        float r1, r2, r3;
        if (corrected) {
            r1 = __fdiv_rn(__fsub_rn(b1, sq1), 2.0f);
            r2 = __fdiv_rn(__fsub_rn(b2, sq2), 8.0f);
            r3 = __fdiv_rn(__fadd_rn(b3, sq3), twoA3);
        } else {
            r1 = __fdiv_rn(__fadd_rn(b1, sq1), 2.0f);
            r2 = __fdiv_rn(__fadd_rn(b2, sq2), 2.0f);
            r3 = __fdiv_rn(__fadd_rn(b3, sq3), 2.0f);
        }
        float r = r1;
        if (r2 < r) {
            r = r2;
        }
        if (r3 < r) {
            r = r3;
        }
        // Java's (int) cast: truncation toward zero, NaN -> 0, saturating (as cvt.rzi.s32.f32).
        const int ri = __float2int_rz(r);
        out[i] = max(minRadius, ri);
    }
}
