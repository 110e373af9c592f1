// Gaussian heatmap targets (dev.batchwise.heatmap): kernels behind GaussianHeatmaps and
// GaussianRadius.targetRadii.
//
// Drawing: one CTA owns a region of pixels, a tile of rows (full width unless a row exceeds the
// region) of one or more maps of one sample (class-wise: a group of consecutive classes; batched:
// its map; concatenated: a group of consecutive maps), and keeps that region in shared memory as
// order-preserving integers (see to_key). The CTA starts the region at 0 (zero-fill) or at the
// maps' content, scans the objects of its sample in chunks of 256 (one per thread), keeps those of
// its maps whose clipped window meets the tile (compacted per warp with a ballot, no atomics and
// no barrier before the scan), and then every warp takes whole objects and its lanes their window
// pixels, folding each value in with a shared-memory atomicMax. Finally the region goes out to the
// maps with coalesced (vector where aligned) stores. Work is proportional to the covered pixels,
// not to pixels x objects, the zero-fill is the region's start value, and one chunk takes three
// barriers (collected, tables built, drawn), two when no new radius appears.
//
// Max-combine as integers: to_key maps a float's bits to an int whose signed order is the order
// of java.lang.Math.max(float, float): -0 below +0 and every NaN (as 0x7fffffff) above +inf. So
// an integer max of keys is Math.max of the values, commutative and associative, and the object
// order does not matter. Only NaN payloads are not kept: a NaN result becomes 0x7fffffff, which is
// what the GPU's multiplication by a NaN k gives anyway, and where the map held a NaN before (no
// zero-fill) that NaN is written back as it was, as Math.max(map, v) returns it.
//
// Stamp values of the integer modes depend only on (r, |dx|, |dy|) (and the options), and by
// symmetry only on (r, min(|dx|,|dy|), max(|dx|,|dy|)): a radius-r table has (r+1)(r+2)/2 entries,
// against (2r+1)^2 pixels per object. Each CTA keeps these tables (as keys, k applied) in shared
// memory for the radii up to kTableMaxRadius that its objects use, built the first time a radius
// appears, one entry per thread over all new radii at once. Larger radii and the float-centre
// mode are evaluated directly per pixel. The direct evaluation, read_object and build_tables are
// not inlined, so that their FP64 registers do not count for the whole kernel.
// An entry is computed by the same stamp_value on the same d2 (a^2 + b^2 = dx^2 + dy^2 exactly
// for these small integers; + is commutative), so both paths give the same bits.
//
// Bit-exactness with the CPU path (GaussianValues.java, CpuGaussianHeatmaps.java): every
// floating-point operation on a value is an explicitly rounded intrinsic (__dmul_rn, __fma_rn,
// __fdiv_rn, ...) in the same order as the Java code, so nvcc can neither contract nor reorder
// them, and max-combine follows Math.max(float, float) exactly (see to_key).

#include <stdint.h>

#include "batchwise.cuh"

namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
// Pixels (all maps) of a CTA's region: 32 KiB of keys. CudaGaussianHeatmaps.REGION_PIXELS.
constexpr int kRegionPixels = 8192;
// Radii 0..kTableMaxRadius get a shared table (bits of a 32-bit mask); all of them together take
// sum (r+1)(r+2)/2 = C(kTableMaxRadius+3, 3) floats.
constexpr int kTableMaxRadius = 15;
constexpr int kTableFloats = (kTableMaxRadius + 1) * (kTableMaxRadius + 2) * (kTableMaxRadius + 3) / 6;

// Stamp modes (GaussianStamp ordinals) and input formats (DrawRequest.Format ordinals).
constexpr int kMmdet = 0;
constexpr int kAccvlab = 1;
constexpr int kDali = 2;
constexpr int kConcatenated = 0;
constexpr int kBatched = 1;  // (2: class-wise)

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

// Key of a float for max-combining as int: signed int order = Math.max(float, float) order.
__device__ __forceinline__ int to_key(float v) {
    const int b = __float_as_int(v);
    if (v != v) {
        return 0x7fffffff;
    }
    return b >= 0 ? b : b ^ 0x7fffffff;
}

__device__ __forceinline__ float from_key(int key) {
    return __int_as_float(key >= 0 ? key : key ^ 0x7fffffff);
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
__device__ __noinline__ void build_tables(int* table, unsigned fresh, int mode, double factor, float k, int tid) {
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
        table[table_offset(r) + j] = to_key(direct_value(mode, static_cast<double>(a), static_cast<double>(b),
                                                         integer_var(mode, r, factor), k));
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

// An object's window (inclusive, clipped to the map) and what its values need: integer modes with
// r <= kTableMaxRadius: tab = r, (cx, cy) the centre; otherwise tab = -1, (cx, cy) the centre
// (int32, or floor of the float centre as float bits) and r the radius (int32, or float bits).
struct Window {
    int x0, x1, y0, y1;
    int cx, cy, r, tab;
};

// A collected object: window clipped to the CTA's tile, relative to the tile; base = where its
// map's tile starts in the region; tab = table offset or -1 (direct); cx, cy, r as in Window.
struct RegionObject {
    short x0, y0, w, h;
    int base, tab;
    int cx, cy, r, pad;
};

__device__ __forceinline__ bool finite_float(float v) {
    return (__float_as_uint(v) & 0x7f800000u) != 0x7f800000u;
}

// Object from the raw 32-bit words of its centre and radius (int32, or float32 bits in the float
// mode); false when it is invalid (reported when `report`) or its window misses the map. Not
// inlined: it keeps the kernel's register count (and so its occupancy) at the drawing's needs.
__device__ __noinline__ bool read_object(int rawCx, int rawCy, int rawR, int mode, int height, int width,
                                         bool report, unsigned long long* flag, long long sample, long long pos,
                                         Window* o) {
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
        // floor of a finite float is a float: exact, and (double) of it is floor((double) cx).
        o->cx = __float_as_int(floorf(cx));
        o->cy = __float_as_int(floorf(cy));
        o->r = rawR;
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
    o->cx = rawCx;
    o->cy = rawCy;
    o->r = rawR;
    o->tab = r <= kTableMaxRadius ? rawR : -1;
    return true;
}

// p / w for 0 <= p < 2^24, 1 <= w, given inv = 1.0f / w: the float quotient is off by at most one.
__device__ __forceinline__ int div_small(int p, int w, float inv) {
    int q = static_cast<int>(static_cast<float>(p) * inv);
    if (q * w > p) {
        q--;
    } else if ((q + 1) * w <= p) {
        q++;
    }
    return q;
}

// The direct evaluation of draw_object (radii above kTableMaxRadius, float centres); not inlined,
// so that its FP64 registers do not count for the whole kernel.
__device__ __noinline__ void draw_direct(int* origin, int tw, int n, int w, float inv, int gx0, int gy0, int rawCx,
                                         int rawCy, int rawR, int mode, double factor, float k, int lane) {
    double var;
    double cx;
    double cy;
    if (mode == kDali) {
        var = float_var(__int_as_float(rawR), factor);
        cx = static_cast<double>(__int_as_float(rawCx));
        cy = static_cast<double>(__int_as_float(rawCy));
    } else {
        var = integer_var(mode, rawR, factor);
        cx = static_cast<double>(rawCx);
        cy = static_cast<double>(rawCy);
    }
    for (int p = lane; p < n; p += 32) {
        const int row = div_small(p, w, inv);
        const int col = p - row * w;
        const double dx = static_cast<double>(gx0 + col) - cx;
        const double dy = static_cast<double>(gy0 + row) - cy;
        atomicMax(origin + row * tw + col, to_key(direct_value(mode, dx, dy, var, k)));
    }
}

// Folds one object into the region: the warp's lanes take its window pixels in row-major order.
__device__ __forceinline__ void draw_object(int* region, const int* table, const RegionObject& ob, int tw,
                                            int tx0, int ty0, int mode, double factor, float k, int lane) {
    const int w = ob.w;
    const int n = w * ob.h;
    const float inv = 1.0f / static_cast<float>(w);
    int* const origin = region + ob.base + ob.y0 * tw + ob.x0;
    const int gx0 = tx0 + ob.x0;  // map coordinates of the window's first pixel
    const int gy0 = ty0 + ob.y0;
    if (ob.tab < 0) {
        draw_direct(origin, tw, n, w, inv, gx0, gy0, ob.cx, ob.cy, ob.r, mode, factor, k, lane);
        return;
    }
    const int* const tab = table + ob.tab;
    const int dx0 = gx0 - ob.cx;  // |dx| <= r here, so no overflow
    const int dy0 = gy0 - ob.cy;
    for (int p = lane; p < n; p += 32) {
        const int row = div_small(p, w, inv);
        const int col = p - row * w;
        const int adx = abs(dx0 + col);
        const int ady = abs(dy0 + row);
        const int lo = min(adx, ady);
        const int hi = max(adx, ady);
        atomicMax(origin + row * tw + col, tab[hi * (hi + 1) / 2 + lo]);
    }
}

// Writes `n` keys of the region as floats to `dst` (contiguous); without zero-fill, a NaN result
// where the map held a NaN keeps the map's NaN (Math.max returns its NaN first argument).
__device__ __forceinline__ void store_run(float* dst, const int* src, int n, int zeroFill, int tid) {
    int i0 = 0;
    if (((reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src)) & 15) == 0) {
        const int n4 = n >> 2;
        for (int i = tid; i < n4; i += kThreads) {
            const int4 key = reinterpret_cast<const int4*>(src)[i];
            float4 v = make_float4(from_key(key.x), from_key(key.y), from_key(key.z), from_key(key.w));
            if (!zeroFill) {
                const float4 old = reinterpret_cast<const float4*>(dst)[i];
                v.x = old.x != old.x ? old.x : v.x;
                v.y = old.y != old.y ? old.y : v.y;
                v.z = old.z != old.z ? old.z : v.z;
                v.w = old.w != old.w ? old.w : v.w;
            }
            reinterpret_cast<float4*>(dst)[i] = v;
        }
        i0 = n4 << 2;
    }
    for (int i = i0 + tid; i < n; i += kThreads) {
        float v = from_key(src[i]);
        if (!zeroFill && v != v) {
            const float old = dst[i];
            v = old != old ? old : v;
        }
        dst[i] = v;
    }
}

}  // namespace

// Draws (max-combines) Gaussian stamps into maps (samples * keysPerSample, height, width); see
// DrawRequest.java for the layouts. keysPerSample: 1 (batched), the classes (class-wise) or the
// maps (concatenated, one sample). A work item is (sample, group of keysPerCta keys, tile of
// tileH x tileW pixels); items are taken grid-stride by 1-D CTAs of 256 threads. Object
// (sample, t) is validated by exactly one CTA: the one with group 0 and tile 0 of its sample.
extern "C" __global__ void __launch_bounds__(kThreads, 4) draw_gaussians(
        float* __restrict__ maps, int height, int width,
        const void* __restrict__ centers, const void* __restrict__ radii,
        const void* __restrict__ keys, int keysAre64,
        const void* __restrict__ sampleSizes, int sizesAre64,
        int samples, int slots, int keysPerSample, int format, int mode, double factor, float k, int zeroFill,
        int tileW, int tileH, int tilesX, int tilesY, int keysPerCta, int groups,
        unsigned long long* __restrict__ errorFlag) {
    __shared__ __align__(16) int region[kRegionPixels];
    __shared__ RegionObject objs[kThreads];
    __shared__ int table[kTableFloats];
    __shared__ int warpCount[kWarps];
    __shared__ unsigned warpRadii[kWarps];

    const int tid = threadIdx.x;
    const int lane = tid % 32;
    const int warp = tid / 32;
    unsigned built = 0;  // radii whose table is filled (the same in every thread)
    const long long items = static_cast<long long>(samples) * groups * tilesY * tilesX;
    for (long long item = blockIdx.x; item < items; item += gridDim.x) {
        // 32-bit divisions where the item count allows (a 64-bit division is a long routine on
        // the GPU, and this decomposition starts every CTA's critical path)
        int tx, ty, g;
        long long sample;
        if (items <= 0xffffffffLL) {
            const unsigned it = static_cast<unsigned>(item);
            const unsigned row = it / static_cast<unsigned>(tilesX);
            const unsigned rest = row / static_cast<unsigned>(tilesY);
            tx = static_cast<int>(it - row * static_cast<unsigned>(tilesX));
            ty = static_cast<int>(row - rest * static_cast<unsigned>(tilesY));
            g = static_cast<int>(rest % static_cast<unsigned>(groups));
            sample = rest / static_cast<unsigned>(groups);
        } else {
            tx = static_cast<int>(item % tilesX);
            ty = static_cast<int>(item / tilesX % tilesY);
            const long long rest = item / tilesX / tilesY;
            g = static_cast<int>(rest % groups);
            sample = rest / groups;
        }
        const int k0 = g * keysPerCta;
        const int nk = min(keysPerCta, keysPerSample - k0);
        const int tx0 = tx * tileW;
        const int ty0 = ty * tileH;
        const int tw = max(0, min(tileW, width - tx0));
        const int th = max(0, min(tileH, height - ty0));
        const int tilePixels = tw * th;
        const bool validator = g == 0 && tx == 0 && ty == 0;
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
        const long long mapPixels = static_cast<long long>(height) * width;
        float* const tileStart = maps + (sample * keysPerSample + k0) * mapPixels + static_cast<long long>(ty0) * width + tx0;

        // The region's start: zero, or the maps' content.
        if (zeroFill) {
            const int4 zero = make_int4(0, 0, 0, 0);
            for (int i = tid * 4; i < nk * tilePixels; i += kThreads * 4) {
                *reinterpret_cast<int4*>(region + i) = zero;
            }
        } else {
            for (int j = 0; j < nk; j++) {
                for (int e = tid; e < tilePixels; e += kThreads) {
                    const int row = e / tw;
                    region[j * tilePixels + e] = to_key(tileStart[j * mapPixels + static_cast<long long>(row) * width + e - row * tw]);
                }
            }
        }

        for (int base = 0; base < count; base += kThreads) {
            const int t = base + tid;
            if (base != 0) {  // else loaded above
                load_entry(centers, radii, keys, keysAre64, format, first, slots, t, &key, &rawCx, &rawCy, &rawR);
            }
            bool keep = false;
            RegionObject o;
            int rTab = -1;
            if (t < count) {
                bool mine = true;
                int local = 0;
                if (format != kBatched) {
                    if (key < 0 || key >= keysPerSample) {
                        if (validator) {
                            bw_report_error(errorFlag, BW_ERR_INDEX, sample, t, key, keysPerSample);
                        }
                        mine = false;
                    } else {
                        local = static_cast<int>(key) - k0;
                        mine = local >= 0 && local < nk;
                    }
                }
                Window wd;
                // The validator reads every object (to report bad radii); others only their own.
                if ((mine || validator)
                        && read_object(rawCx, rawCy, rawR, mode, height, width, validator, errorFlag, sample, t, &wd)
                        && mine) {
                    const int x0 = max(wd.x0, tx0);
                    const int x1 = min(wd.x1, tx0 + tw - 1);
                    const int y0 = max(wd.y0, ty0);
                    const int y1 = min(wd.y1, ty0 + th - 1);
                    if (x0 <= x1 && y0 <= y1) {
                        keep = true;
                        o.x0 = static_cast<short>(x0 - tx0);
                        o.y0 = static_cast<short>(y0 - ty0);
                        o.w = static_cast<short>(x1 - x0 + 1);
                        o.h = static_cast<short>(y1 - y0 + 1);
                        o.base = local * tilePixels;
                        o.tab = wd.tab >= 0 ? table_offset(wd.tab) : -1;
                        o.cx = wd.cx;
                        o.cy = wd.cy;
                        o.r = wd.r;
                        o.pad = 0;
                        rTab = wd.tab;
                    }
                }
            }
            const unsigned kept = __ballot_sync(0xffffffffu, keep);
            const unsigned radiiBits = __reduce_or_sync(0xffffffffu, rTab >= 0 ? 1u << rTab : 0u);
            if (keep) {
                objs[warp * 32 + __popc(kept & ((1u << lane) - 1u))] = o;
            }
            if (lane == 0) {
                warpCount[warp] = __popc(kept);
                warpRadii[warp] = radiiBits;
            }
            __syncthreads();  // objects collected; the region's start written
            int total = 0;
            unsigned used = 0;
#pragma unroll
            for (int w = 0; w < kWarps; w++) {
                total += warpCount[w];
                used |= warpRadii[w];
            }
            const unsigned fresh = used & ~built;
            if (fresh != 0) {
                build_tables(table, fresh, mode, factor, k, tid);
                built |= fresh;
                __syncthreads();
            }
            // Object i of the concatenated per-warp lists goes to warp i % kWarps.
            int seg = 0;
            int off = warp;
            for (int i = warp; i < total; i += kWarps) {
                while (off >= warpCount[seg]) {
                    off -= warpCount[seg];
                    seg++;
                }
                draw_object(region, table, objs[seg * 32 + off], tw, tx0, ty0, mode, factor, k, lane);
                off += kWarps;
            }
            if (base + kThreads < count) {
                __syncthreads();  // objs and the counts are refilled by the next chunk
            }
        }
        __syncthreads();  // region complete

        for (int j = 0; j < nk; j++) {
            float* const dst = tileStart + j * mapPixels;
            const int* const src = region + j * tilePixels;
            if (tw == width) {
                store_run(dst, src, tilePixels, zeroFill, tid);
            } else {
                for (int e = tid; e < tilePixels; e += kThreads) {
                    const int row = e / tw;
                    float* const p = dst + static_cast<long long>(row) * width + e - row * tw;
                    float v = from_key(src[e]);
                    if (!zeroFill && v != v) {
                        const float old = *p;
                        v = old != old ? old : v;
                    }
                    *p = v;
                }
            }
        }
        if (item + gridDim.x < items) {
            __syncthreads();  // the region is reused by the next item
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
