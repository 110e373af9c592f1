// Host emulation of heatmap.cu's draw_gaussians (see emulate.sh): one std::thread per CUDA thread,
// blocks one after another, std::barrier for __syncthreads. Compares the maps with the CPU results
// written by dev.batchwise.heatmap.KernelCheckCases. Usage: emulate cases.bin [NAME-FILTER]
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>
#include <algorithm>
using std::max; using std::min; using std::abs;
struct dim3 { unsigned x = 1, y = 1, z = 1; };
thread_local dim3 threadIdx, blockIdx;
dim3 gridDim, blockDim;
std::barrier<>* g_bar;
#define __global__
#define __device__
#define __forceinline__ inline
#define __noinline__
#define __shared__ static
#define __restrict__
#define __launch_bounds__(...)
inline void __syncthreads() { g_bar->arrive_and_wait(); }
// Warp collectives: every lane publishes its value, waits for the warp, reads all, waits again.
struct WarpSync { std::barrier<> bar{32}; unsigned vals[32]; };
WarpSync* g_warps;
inline unsigned warp_gather(unsigned v, unsigned (*op)(unsigned, unsigned, int)) {
    WarpSync& w = g_warps[threadIdx.x / 32];
    w.vals[threadIdx.x % 32] = v;
    w.bar.arrive_and_wait();
    unsigned acc = 0;
    for (int l = 0; l < 32; l++) acc = op(acc, w.vals[l], l);
    w.bar.arrive_and_wait();
    return acc;
}
inline unsigned __ballot_sync(unsigned, bool p) {
    return warp_gather(p ? 1u : 0u, [](unsigned a, unsigned v, int l) { return a | (v << l); });
}
inline unsigned __reduce_or_sync(unsigned, unsigned v) {
    return warp_gather(v, [](unsigned a, unsigned v, int) { return a | v; });
}
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int atomicMax(int* p, int v) {
    std::atomic_ref<int> a(*p); int old = a.load();
    while (old < v && !a.compare_exchange_weak(old, v)) {}
    return old;
}
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
struct int4 { int x, y, z, w; };
struct float4 { float x, y, z, w; };
inline int4 make_int4(int x, int y, int z, int w) { return {x, y, z, w}; }
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
#define __align__(n) __attribute__((aligned(n)))
inline int atomicAdd(int* p, int v) { return std::atomic_ref<int>(*p).fetch_add(v); }
inline unsigned atomicOr(unsigned* p, unsigned v) { return std::atomic_ref<unsigned>(*p).fetch_or(v); }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline int __ffs(unsigned x) { return __builtin_ffs((int) x); }
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long c, unsigned long long v) {
    std::atomic_ref<unsigned long long>(*p).compare_exchange_strong(c, v); return c; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __fma_rn(double a, double b, double c) { return std::fma(a, b, c); }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline float __double2float_rn(double a) { return (float) a; }
inline unsigned __float_as_uint(float f) { unsigned u; std::memcpy(&u, &f, 4); return u; }
inline double __longlong_as_double(long long b) { double d; std::memcpy(&d, &b, 8); return d; }
inline int __float2int_rz(float f) { return (int) f; }
#include "../../batchwise-core/src/main/cuda/heatmap.cu"

#include "harness_common.h"
int main(int argc, char** argv) {
    FILE* f = std::fopen(argv[1], "rb");
    std::vector<unsigned char> data; unsigned char chunk[1 << 16]; size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) data.insert(data.end(), chunk, chunk + n);
    Reader rd{data.data()};
    int cases = rd.get<int>(), failures = 0;
    for (int c = 0; c < cases; c++) {
        int format = rd.get<int>(), mode = rd.get<int>(), numMaps = rd.get<int>(), h = rd.get<int>(), w = rd.get<int>();
        int samples = rd.get<int>(), slots = rd.get<int>(), classes = rd.get<int>(), zeroFill = rd.get<int>();
        int entries = rd.get<int>(), repeat = rd.get<int>(); (void) repeat;
        double factor = rd.get<double>(); float k = rd.get<float>();
        char name[33] = {0}; std::memcpy(name, rd.p, 32); rd.p += 32;
        auto centers = rd.arr<int>(2 * (size_t) entries); auto radii = rd.arr<int>(entries);
        std::vector<int> keys; if (format != 1) keys = rd.arr<int>(entries);
        std::vector<long long> sizes; if (format != 0) sizes = rd.arr<long long>(samples);
        size_t mapElems = (size_t) numMaps * h * w;
        auto maps = rd.arr<float>(mapElems); auto expected = rd.arr<float>(mapElems);
        if (argc > 2 && !std::strstr(name, argv[2])) continue;
        unsigned long long flag[8] = {0};
        int keysPerSample = format == 1 ? 1 : format == 2 ? classes : numMaps;
        // Knobs from the environment (EMU_TARGET, EMU_MINPIX, EMU_GRID) to exercise other splits.
        int target = getenv("EMU_TARGET") ? atoi(getenv("EMU_TARGET")) : 264;
        int minPix = getenv("EMU_MINPIX") ? atoi(getenv("EMU_MINPIX")) : 256;
        Grid g = tileGrid(samples, keysPerSample, h, w, target, minPix);
        long long maxGrid = getenv("EMU_GRID") ? atoll(getenv("EMU_GRID")) : (1 << 20);
        gridDim = {(unsigned) std::min<long long>(g.items, maxGrid), 1, 1};
        blockDim = {256, 1, 1};
        if (numMaps > 0) {
            for (unsigned bx = 0; bx < gridDim.x; bx++) {
                std::barrier<> bar(256); g_bar = &bar;
                WarpSync ws[8]; g_warps = ws;
                std::vector<std::thread> ts;
                for (unsigned t = 0; t < 256; t++) ts.emplace_back([&, t] {
                    threadIdx = {t, 0, 0}; blockIdx = {bx, 0, 0};
                    draw_gaussians(maps.data(), h, w, centers.data(), radii.data(), keys.empty() ? nullptr : keys.data(), 0,
                        sizes.empty() ? nullptr : sizes.data(), 1, samples, slots, keysPerSample, format, mode, factor, k,
                        zeroFill, g.tileW, g.tileH, g.tilesX, g.tilesY, g.keysPerCta, g.groups, flag);
                });
                for (auto& t : ts) t.join();
            }
        }
        size_t bad = 0, firstBad = 0;
        for (size_t i = 0; i < mapElems; i++) {
            unsigned a, b; std::memcpy(&a, &expected[i], 4); std::memcpy(&b, &maps[i], 4);
            if (a != b && !(std::isnan(expected[i]) && std::isnan(maps[i]))) { if (!bad) firstBad = i; bad++; }
        }
        if (bad || flag[0]) { failures++; std::printf("FAIL %-28s %zu of %zu differ (first %zu: want %.9g got %.9g) flag %llu\n", name, bad, mapElems, firstBad, bad ? expected[firstBad] : 0.f, bad ? maps[firstBad] : 0.f, flag[0]); }
        else std::printf("ok %s\n", name);
        std::fflush(stdout);
    }
    std::printf("%d failures\n", failures);
    return failures != 0;
}
