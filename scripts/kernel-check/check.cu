// Standalone check of heatmap.cu on a GPU: runs draw_gaussians on the cases written by
// dev.batchwise.heatmap.KernelCheckCases (inputs + CPU results), compares bit for bit and times
// the W3 cases (device time from events, end-to-end time per call with a stream sync).
// Build: nvcc -O3 -std=c++17 -I ../../batchwise-core/src/main/cuda/include -gencode arch=compute_90,code=sm_90 -o check check.cu
// Run:   ./check cases.bin [--only PREFIX] [--target N] [--minpix N] [--noop] [--once]
//   --only PREFIX  only the cases whose name starts with PREFIX
//   --target N     TileGrid's target CTA count (default 264)
//   --minpix N     TileGrid's least pixels per CTA when splitting tiles (default 256)
//   --noop         also time an empty kernel (launch floor)
//   --once         one launch per case, no timing (for profilers: ncu ./check cases.bin --only W3 --once)
#include "../../batchwise-core/src/main/cuda/heatmap.cu"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>
#include <algorithm>

#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { \
    std::printf("CUDA error %s at %s:%d\n", cudaGetErrorString(e), __FILE__, __LINE__); std::exit(2); } } while (0)

#include "harness_common.h"


__global__ void noop() {}

int main(int argc, char** argv) {
    const char* only = "";
    int target = 264, minPixels = 256;
    bool once = false, noopToo = false;
    for (int i = 2; i < argc; i++) {
        if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else if (!std::strcmp(argv[i], "--target") && i + 1 < argc) target = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--minpix") && i + 1 < argc) minPixels = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--noop")) noopToo = true;
        else if (!std::strcmp(argv[i], "--once")) once = true;
    }
    FILE* f = std::fopen(argv[1], "rb");
    std::vector<unsigned char> data;
    unsigned char chunk[1 << 16];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) data.insert(data.end(), chunk, chunk + n);
    std::fclose(f);
    Reader rd{data.data()};
    int cases = rd.get<int>();
    int failures = 0;
    cudaStream_t stream;
    CK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    unsigned long long* flag;
    CK(cudaMalloc(&flag, 64));
    if (noopToo) {
        cudaEvent_t e0, e1;
        CK(cudaEventCreate(&e0)); CK(cudaEventCreate(&e1));
        for (int i = 0; i < 100; i++) noop<<<1, 32, 0, stream>>>();
        CK(cudaStreamSynchronize(stream));
        std::vector<double> wall;
        std::vector<float> single;
        for (int i = 0; i < 200; i++) {
            auto t0 = std::chrono::steady_clock::now();
            noop<<<1, 32, 0, stream>>>();
            CK(cudaStreamSynchronize(stream));
            wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
            CK(cudaEventRecord(e0, stream)); noop<<<1, 32, 0, stream>>>(); CK(cudaEventRecord(e1, stream)); CK(cudaEventSynchronize(e1));
            float s; CK(cudaEventElapsedTime(&s, e0, e1)); single.push_back(s * 1000);
        }
        std::sort(wall.begin(), wall.end());
        std::sort(single.begin(), single.end());
        std::printf("TIME noop   single-launch event median %.2f us  end-to-end median %.2f us (min %.2f)\n",
                    single[single.size() / 2], wall[wall.size() / 2], wall[0]);
    }
    for (int c = 0; c < cases; c++) {
        int format = rd.get<int>(), mode = rd.get<int>(), numMaps = rd.get<int>(), h = rd.get<int>(), w = rd.get<int>();
        int samples = rd.get<int>(), slots = rd.get<int>(), classes = rd.get<int>(), zeroFill = rd.get<int>();
        int entries = rd.get<int>(), repeat = rd.get<int>();
        double factor = rd.get<double>();
        float k = rd.get<float>();
        char name[33] = {0};
        std::memcpy(name, rd.p, 32); rd.p += 32;
        auto centers = rd.arr<int>(2 * (size_t) entries);
        auto radii = rd.arr<int>(entries);
        std::vector<int> keys;
        if (format != 1) keys = rd.arr<int>(entries);
        std::vector<long long> sizes;
        if (format != 0) sizes = rd.arr<long long>(samples);
        size_t mapElems = (size_t) numMaps * h * w;
        auto initial = rd.arr<float>(mapElems);
        auto expected = rd.arr<float>(mapElems);
        if (std::strncmp(name, only, std::strlen(only)) != 0) continue;

        void *dC, *dR, *dK = nullptr, *dS = nullptr;
        float* dM;
        CK(cudaMalloc(&dC, std::max<size_t>(4, centers.size() * 4)));
        CK(cudaMalloc(&dR, std::max<size_t>(4, radii.size() * 4)));
        CK(cudaMalloc(&dM, std::max<size_t>(4, mapElems * 4)));
        CK(cudaMemcpy(dC, centers.data(), centers.size() * 4, cudaMemcpyHostToDevice));
        CK(cudaMemcpy(dR, radii.data(), radii.size() * 4, cudaMemcpyHostToDevice));
        if (!keys.empty()) { CK(cudaMalloc(&dK, keys.size() * 4)); CK(cudaMemcpy(dK, keys.data(), keys.size() * 4, cudaMemcpyHostToDevice)); }
        if (!sizes.empty()) { CK(cudaMalloc(&dS, sizes.size() * 8)); CK(cudaMemcpy(dS, sizes.data(), sizes.size() * 8, cudaMemcpyHostToDevice)); }
        CK(cudaMemcpy(dM, initial.data(), mapElems * 4, cudaMemcpyHostToDevice));
        CK(cudaMemset(flag, 0, 64));
        // cudaMemcpy from pageable memory may return before the data has reached the device, and
        // the non-blocking stream does not wait for the legacy stream: without this the first
        // launch could read the tail of the inputs unwritten (seen as W3-c FAILs, objects missing).
        CK(cudaDeviceSynchronize());

        int keysPerSample = format == 1 ? 1 : format == 2 ? classes : numMaps;
        Grid g = tileGrid(samples, keysPerSample, h, w, target, minPixels);
        dim3 grid((unsigned) std::min<long long>(g.items, 1 << 20));
        auto launch = [&]() {
            if (numMaps == 0) return;
            draw_gaussians<<<grid, 256, 0, stream>>>(dM, h, w, dC, dR, dK, 0, dS, 1, samples, slots, keysPerSample,
                format, mode, factor, k, zeroFill, g.tileW, g.tileH, g.tilesX, g.tilesY, g.keysPerCta, g.groups, flag);
        };
        launch();
        CK(cudaStreamSynchronize(stream));
        CK(cudaGetLastError());
        std::vector<float> got(mapElems);
        CK(cudaMemcpy(got.data(), dM, mapElems * 4, cudaMemcpyDeviceToHost));
        long long hflag[8];
        CK(cudaMemcpy(hflag, flag, 64, cudaMemcpyDeviceToHost));
        size_t bad = 0, firstBad = 0;
        for (size_t i = 0; i < mapElems; i++) {
            unsigned a, b;
            std::memcpy(&a, &expected[i], 4);
            std::memcpy(&b, &got[i], 4);
            bool nan = std::isnan(expected[i]) && std::isnan(got[i]);
            if (a != b && !nan) { if (!bad) firstBad = i; bad++; }
        }
        if (bad || hflag[0]) {
            failures++;
            std::printf("FAIL %-28s %zu of %zu differ (first %zu: want %.9g got %.9g) flag %lld\n", name, bad, mapElems,
                        firstBad, bad ? expected[firstBad] : 0.f, bad ? got[firstBad] : 0.f, hflag[0]);
        }
        if (repeat > 0 && !once) {
            cudaEvent_t e0, e1;
            CK(cudaEventCreate(&e0)); CK(cudaEventCreate(&e1));
            for (int i = 0; i < 20; i++) launch();
            CK(cudaStreamSynchronize(stream));
            CK(cudaEventRecord(e0, stream));
            for (int i = 0; i < repeat; i++) launch();
            CK(cudaEventRecord(e1, stream));
            CK(cudaEventSynchronize(e1));
            float ms;
            CK(cudaEventElapsedTime(&ms, e0, e1));
            std::vector<double> wall;
            for (int i = 0; i < repeat; i++) {
                auto t0 = std::chrono::steady_clock::now();
                launch();
                CK(cudaStreamSynchronize(stream));
                wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
            }
            std::sort(wall.begin(), wall.end());
            // Device-only time of one launch in isolation.
            std::vector<float> single;
            for (int i = 0; i < 50; i++) {
                CK(cudaEventRecord(e0, stream)); launch(); CK(cudaEventRecord(e1, stream)); CK(cudaEventSynchronize(e1));
                float s; CK(cudaEventElapsedTime(&s, e0, e1)); single.push_back(s * 1000);
            }
            std::sort(single.begin(), single.end());
            std::printf("TIME %-6s tile %dx%d x%d maps, %lld CTAs  back-to-back %.2f us/call  single-launch event median %.2f us  end-to-end median %.2f us (min %.2f)\n",
                        name, g.tileH, g.tileW, g.keysPerCta, g.items, ms * 1000 / repeat, single[single.size() / 2], wall[wall.size() / 2], wall[0]);
        }
        cudaFree(dC); cudaFree(dR); cudaFree(dM); if (dK) cudaFree(dK); if (dS) cudaFree(dS);
    }
    std::printf("%d cases, %d failures\n", cases, failures);
    return failures ? 1 : 0;
}
