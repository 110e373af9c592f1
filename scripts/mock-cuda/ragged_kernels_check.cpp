// Checks the logic of ragged.cu's gather and map_copy_onto kernels without a GPU: the .cu is compiled
// for the host (host_shim.h) and each launch runs one std::thread per CUDA thread, so __syncthreads
// is a real barrier and a block's copy and scan interleave as on the GPU. Results are compared with
// plain loops, and reported errors with the expected flag words. Built and run by
// ragged-kernels-check.sh. Not a timing tool; the CUDA tests on a GPU remain the reference.
#include <algorithm>
#include <barrier>
#include <cmath>
using std::isfinite;
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>
#include <vector>
#include "host_shim.h"
thread_local bw_mock_dim3 blockIdx, threadIdx, blockDim, gridDim;
thread_local std::barrier<>* block_barrier;
#define __syncthreads() block_barrier->arrive_and_wait()
inline float atomicAdd(float* a, float v) { float o = *a; *a += v; return o; }
inline double atomicAdd(double* a, double v) { double o = *a; *a += v; return o; }
inline int atomicAdd(int* a, int v) { int o = *a; *a += v; return o; }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) { auto o = *a; *a += v; return o; }
inline unsigned __ballot_sync(unsigned, int) { abort(); }
inline int __popc(unsigned v) { return __builtin_popcount(v); }
#include "ragged.cu"

template <typename F>
void launch(unsigned grid, unsigned block, F kernel) {
    for (unsigned b = 0; b < grid; b++) {
        std::barrier<> bar(block);
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < block; t++)
            ts.emplace_back([&, t] {
                blockIdx = {b, 0, 0}; threadIdx = {t, 0, 0}; blockDim = {block, 1, 1}; gridDim = {grid, 1, 1};
                block_barrier = &bar;
                kernel();
            });
        for (auto& th : ts) th.join();
    }
}

int failures = 0;
void expect(bool ok, const char* what, long long at) {
    if (!ok && failures++ < 10) printf("FAIL %s at %lld\n", what, at);
}

// write/mapping: S samples x P x E entries x Q values; M index slots; C entries per block
void onto_case(std::mt19937_64& rng, i64 S, i64 P, i64 E, i64 Q, i64 M, i64 srcE, bool srcIndexed, i64 C,
               unsigned grid, unsigned block) {
    std::vector<uint32_t> base(S * P * E * Q), dst(base.size(), 0xdeadbeef), src(S * P * srcE * Q);
    for (auto& v : base) v = rng();
    for (auto& v : src) v = rng();
    std::vector<i64> sizes(S), dIdx(S * M, 77777), sIdx(S * M, 88888); // i64 = long long
    for (i64 s = 0; s < S; s++) {
        i64 limit = std::min(M, std::min(E, srcIndexed ? M : srcE));
        sizes[s] = rng() % (limit + 1);
        std::vector<i64> perm(E);
        for (i64 e = 0; e < E; e++) perm[e] = e;
        std::shuffle(perm.begin(), perm.end(), rng);
        for (i64 j = 0; j < sizes[s]; j++) {
            dIdx[s * M + j] = rng() % 2 ? perm[j] : perm[j] - E;  // distinct targets, some negative
            sIdx[s * M + j] = (i64)(rng() % srcE) - (rng() % 2 ? srcE : 0);
        }
    }
    std::vector<u64> flag(8, 0);
    launch(grid, block, [&] {
        ragged_map_copy_onto_e4_i64((const uint32_t*)src.data(), S, P, srcE, Q, srcIndexed ? (const int64_t*)sIdx.data() : nullptr, base.data(),
                                    dst.data(), E, (const int64_t*)dIdx.data(), sizes.data(), M, C, flag.data());
    });
    std::vector<uint32_t> ref = base;
    for (i64 s = 0; s < S; s++)
        for (i64 p = 0; p < P; p++)
            for (i64 j = 0; j < sizes[s]; j++) {
                i64 to = dIdx[s * M + j] < 0 ? dIdx[s * M + j] + E : dIdx[s * M + j];
                i64 from = srcIndexed ? (sIdx[s * M + j] < 0 ? sIdx[s * M + j] + srcE : sIdx[s * M + j]) : j;
                for (i64 q = 0; q < Q; q++)
                    ref[((s * P + p) * E + to) * Q + q] = src[((s * P + p) * srcE + from) * Q + q];
            }
    expect(flag[0] == 0, "onto: no error", (long long)flag[0]);
    for (size_t i = 0; i < ref.size(); i++) expect(ref[i] == dst[i], "onto value", (long long)i);
}

void onto_bad_index(unsigned block) {
    i64 S = 2, P = 1, E = 10, Q = 3, M = 4;
    std::vector<uint32_t> base(S * E * Q, 5), dst(base.size()), src(S * M * Q, 9);
    std::vector<i64> sizes = {4, 2}, idx = {0, 1, 2, 3, 1, 12, 0, 0};  // sample 1 position 1: 12 >= 10
    std::vector<u64> flag(8, 0);
    launch(3, block, [&] {
        ragged_map_copy_onto_e4_i64((const uint32_t*)src.data(), S, P, M, Q, nullptr, base.data(), dst.data(), E, (const int64_t*)idx.data(),
                                    sizes.data(), M, 4, flag.data());
    });
    expect(flag[0] == BW_ERR_INDEX && flag[1] == 1 && flag[2] == 1 && (i64)flag[3] == 12 && flag[4] == 10,
           "onto: index error reported", (long long)flag[0]);
    std::vector<i64> badSize = {4, 5};  // 5 > M
    std::fill(flag.begin(), flag.end(), 0);
    launch(3, block, [&] {
        ragged_map_copy_onto_e4_i64((const uint32_t*)src.data(), S, P, M, Q, nullptr, base.data(), dst.data(), E, (const int64_t*)idx.data(),
                                    badSize.data(), M, 4, flag.data());
    });
    expect(flag[0] == BW_ERR_VALUE && flag[1] == 1 && (i64)flag[2] == -1 && flag[3] == 5 && flag[4] == 4,
           "onto: size error reported", (long long)flag[0]);
}

void gather_case(std::mt19937_64& rng, i64 S, i64 P, i64 E, i64 Q, i64 M, unsigned grid, unsigned block) {
    std::vector<uint64_t> data(S * P * E * Q), out(S * P * M * Q, 1);
    for (auto& v : data) v = rng();
    std::vector<int32_t> idx(S * M);
    std::vector<i64> sizes(S);
    for (i64 s = 0; s < S; s++) {
        sizes[s] = rng() % (M + 1);
        for (i64 j = 0; j < M; j++) idx[s * M + j] = j < sizes[s] ? (int32_t)(rng() % E) - (rng() % 2 ? (int32_t)E : 0)
                                                                 : 999999;  // filler slots: garbage
    }
    std::vector<u64> flag(8, 0);
    const u64 filler = 0x123456789ULL;
    launch(grid, block, [&] {
        ragged_gather_e8_i32((const uint64_t*)data.data(), S, P, E, Q, idx.data(), sizes.data(), M, out.data(), filler, flag.data());
    });
    expect(flag[0] == 0, "gather: no error", (long long)flag[0]);
    for (i64 s = 0; s < S; s++)
        for (i64 p = 0; p < P; p++)
            for (i64 j = 0; j < M; j++)
                for (i64 q = 0; q < Q; q++) {
                    i64 o = ((s * P + p) * M + j) * Q + q;
                    u64 want = filler;
                    if (j < sizes[s]) {
                        i64 e = idx[s * M + j] < 0 ? idx[s * M + j] + E : idx[s * M + j];
                        want = data[((s * P + p) * E + e) * Q + q];
                    }
                    expect(out[o] == want, "gather value", (long long)o);
                }
    // an index out of range is reported with sample, position, value and extent
    idx[1 * M + 0] = (int32_t)E;
    sizes[1] = std::max<i64>(sizes[1], 1);
    std::fill(flag.begin(), flag.end(), 0);
    launch(grid, block, [&] {
        ragged_gather_e8_i32((const uint64_t*)data.data(), S, P, E, Q, idx.data(), sizes.data(), M, out.data(), filler, flag.data());
    });
    expect(flag[0] == BW_ERR_INDEX && flag[1] == 1 && flag[2] == 0 && (i64)flag[3] == E && (i64)flag[4] == E,
           "gather: index error reported", (long long)flag[0]);
}

int main() {
    std::mt19937_64 rng(3);
    for (int rep = 0; rep < 3; rep++) {
        onto_case(rng, 3, 1, 40, 3, 6, 6, false, 682, 2, 64);          // one block per sample
        onto_case(rng, 3, 1, 900, 3, 300, 300, false, 100, 5, 64);    // many blocks, > SCAN_UNROLL x block per thread
        onto_case(rng, 2, 2, 500, 2, 200, 150, true, 64, 7, 32);      // index mapping, P = 2, srcE < M
        onto_case(rng, 4, 1, 644, 10, 80, 80, false, 204, 9, 256);    // W1-like
        onto_case(rng, 2, 1, 300, 20, 90, 90, true, 50, 4, 64);       // Q > ONTO_ENTRY_MAX_Q: the per-element path
        gather_case(rng, 3, 2, 50, 3, 20, 4, 64);
    }
    onto_bad_index(64);
    onto_bad_index(1);
    printf(failures ? "FAILED (%d)\n" : "ok\n", failures);
    return failures != 0;
}
