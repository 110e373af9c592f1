// Batched linear sum assignment with SciPy's exact answers: one thread block per problem.
//
// Each block solves problem blockIdx.x of a padded batch costs (B, R, C) by Crouse's shortest
// augmenting path, exactly as scipy.optimize.linear_sum_assignment (SciPy >= 1.4) does, in
// double precision with the same operation order, so indices and potentials are bit-identical to
// the CPU back end (CpuLinearAssignment / AugmentingPathSolver):
//   * a problem with more rows than columns is solved transposed (rows <-> columns);
//   * SciPy keeps the unvisited columns in a list `remaining` that starts in reverse column order
//     and removes an element by moving the list's last element into its slot. The block keeps
//     the same list; each Dijkstra step is a parallel pass over the list positions followed by a
//     block argmin of the key (reduced cost, rank) with rank = -1 - position for a free column and
//     rank = position for an assigned one. That is SciPy's sequential choice: the first minimum,
//     unless an equal minimum on a free column comes later, in which case the last such free one.
//   * per-problem sizes are read on the device; work is proportional to the actual sizes.
//
// One __syncthreads per Dijkstra step: each warp reduces its candidates with three redux.sync
// minima (the reduced cost as an order-preserving 64-bit key, high then low word, then the rank),
// publishes them in a double-buffered slot, and after the barrier every warp repeats the final
// reduction itself, so every thread knows the chosen column, the next row and the new minimum
// without a second barrier. Thread 0 then moves the list's last element into the chosen slot; the
// next pass reads that one slot from a register (every thread knows the moved value), so the
// write needs no barrier of its own. The visited columns are recorded in their own list for the
// dual update. Per augmentation: the steps' barriers plus two (dual update, path update).
//
// Potentials, path and lists live in shared memory when they fit (useShared), otherwise in the
// problem's slice of the global scratch buffer. A transposed problem is first copied, transposed,
// into the scratch buffer so that its rows are contiguous (a warp per working row: coalesced
// writes, reads served by L1 across neighbouring warps); the validity check is fused into that
// copy, or is a separate pass over the problem otherwise.
//
// Launch: grid = B blocks; block = a multiple of 32 threads, at most 512 (see
// CudaLinearAssignment.threadsFor). Dynamic shared memory: workBytes(n, m) = 24 * m + 8 * n
// (doubles v, spc, u) + 16 * m + 4 * n (ints path, row4col, remaining, visited, col4row) bytes,
// n = min(R, C), m = max(R, C), when that fits (useShared = 1), else 0 with the work arrays in
// scratch at workOffset. Scratch per problem: workOffset = align16(R * C * sizeof(T)) for the
// transposed copy (0 when no problem can be transposed), plus align16(workBytes) when
// useShared = 0. `finished` must be zeroed before the launch.
//
// Errors: per-problem status (0 ok, 1 infeasible, 2 invalid cost, -1 size outside the padded
// extent). The last block to finish finds the lowest-indexed bad problem (a parallel scan) and
// reports it through the device error flag: a bad size always (BW_ERR_INDEX: a = problem, b = 0
// rows / 1 cols, c = size, d = extent), a bad problem when reportProblems != 0 (BW_ERR_VALUE:
// a = problem, b = its row count, c = status, d = its column count).

#include <stdint.h>

#include "batchwise.cuh"

// Largest block: 512 threads.
#define ASSIGN_MAX_WARPS 16

// Bytes of the shared tile of the transposed copy (the launch provides at least this much
// dynamic shared memory whenever a problem may be transposed): 128 x 33 floats or 64 x 33 doubles.
#define TILE_BYTES 16896

// Phase markers for a kernel-timing harness that includes this file with ASSIGN_PROFILE defined;
// empty in the library build.
#ifndef ASSIGN_MARK
#define ASSIGN_MARK(phase)
#endif
#ifndef ASSIGN_COUNT
#define ASSIGN_COUNT(counter)
#endif

// Speculative prefetch (into L1) of the cost row that each warp's best candidate would make the
// next Dijkstra row; a tuning switch, off unless the build defines it.
#ifndef ASSIGN_PREFETCH_CANDIDATES
#define ASSIGN_PREFETCH_CANDIDATES 0
#endif

namespace {

constexpr int STATUS_OK = 0;
constexpr int STATUS_INFEASIBLE = 1;
constexpr int STATUS_INVALID = 2;
constexpr int STATUS_BAD_SIZE = -1;
constexpr unsigned FULL = 0xffffffffu;

__device__ __forceinline__ long long read_count(const void* counts, int kind, int b, long long full) {
    if (kind == 4) return static_cast<const int32_t*>(counts)[b];
    if (kind == 8) return static_cast<const int64_t*>(counts)[b];
    return full;
}

__device__ __forceinline__ double pos_inf() { return __longlong_as_double(0x7ff0000000000000LL); }

// Order-preserving map of a non-NaN double to an unsigned 64-bit key: x < y iff key(x) < key(y),
// and x == y iff key(x) == key(y) (-0.0 is first turned into +0.0, which it equals).
__device__ __forceinline__ unsigned long long order_key(double x) {
    const long long bits = __double_as_longlong(__dadd_rn(x, 0.0));
    return bits < 0 ? ~static_cast<unsigned long long>(bits)
                    : static_cast<unsigned long long>(bits) | 0x8000000000000000ULL;
}

__device__ __forceinline__ double key_value(unsigned long long key) {
    const unsigned long long bits = (key & 0x8000000000000000ULL) ? key & 0x7fffffffffffffffULL : ~key;
    return __longlong_as_double(static_cast<long long>(bits));
}

// The largest key a candidate can have is key(+inf); an empty candidate is above every real one.
constexpr unsigned long long EMPTY_KEY = 0xffffffffffffffffULL;
constexpr unsigned long long INF_KEY = 0xfff0000000000000ULL;

// Warp argmin of (key, rank): every lane gets the warp's minimum; the rank is unique per
// candidate (a list position), so `won` is true in exactly one lane unless all are empty.
struct Best {
    unsigned long long key;
    int rank;   // signed: -1 - position (free column) or position (assigned column)
    int col;    // the candidate's column
};

__device__ __forceinline__ void warp_min(unsigned long long key, int rank, unsigned long long& outKey,
                                         unsigned& outRank) {
    const unsigned hi = static_cast<unsigned>(key >> 32);
    const unsigned lo = static_cast<unsigned>(key);
    const unsigned mhi = __reduce_min_sync(FULL, hi);
    const unsigned mlo = __reduce_min_sync(FULL, hi == mhi ? lo : 0xffffffffu);
    const bool eq = hi == mhi && lo == mlo;
    // Signed rank -> unsigned order by flipping the sign bit.
    outRank = __reduce_min_sync(FULL, eq ? static_cast<unsigned>(rank) ^ 0x80000000u : 0xffffffffu);
    outKey = (static_cast<unsigned long long>(mhi) << 32) | mlo;
}

// Work arrays of one problem (n rows <= m columns), in shared or global memory.
struct Work {
    double* v;         // m column potentials
    double* spc;       // m shortest path costs
    double* u;         // n row potentials
    int* path;         // m
    int* row4col;      // m
    int* remaining;    // m, SciPy's list of unvisited columns
    int* visited;      // m, visited columns in visiting order
    int* col4row;      // n
};

__device__ __forceinline__ Work carve(char* base, int n, int m) {
    Work w;
    w.v = reinterpret_cast<double*>(base);
    w.spc = w.v + m;
    w.u = w.spc + m;
    w.path = reinterpret_cast<int*>(w.u + n);
    w.row4col = w.path + m;
    w.remaining = w.row4col + m;
    w.visited = w.remaining + m;
    w.col4row = w.visited + m;
    return w;
}

// Per-warp candidates of one step, double-buffered by step parity.
struct Slots {
    unsigned long long key[2][ASSIGN_MAX_WARPS];
    unsigned rank[2][ASSIGN_MAX_WARPS];
    int col[2][ASSIGN_MAX_WARPS];
};

// Prefetches the first 4 KiB of `bytes` from p into L1, a 128-byte line per lane.
__device__ __forceinline__ void prefetch_row(const void* p, int bytes, int lane) {
    if (lane * 128 < bytes) {
        asm volatile("prefetch.global.L1 [%0];" ::"l"(static_cast<const char*>(p) + lane * 128));
    }
}

template <typename T>
__device__ __forceinline__ double load(const T* p, long long idx) {
    return static_cast<double>(p[idx]);
}

// Scans list position `it` (column j) from row i: relaxes spc/path and folds the candidate into
// (bestKey, bestRank, bestCol).
template <typename T>
__device__ __forceinline__ void relax(const T* rowp, bool negate, double minVal, double ui, int i, int it, int j,
                                      const Work& w, unsigned long long& bestKey, int& bestRank, int& bestCol,
                                      int& bestRow) {
    double c = load(rowp, j);
    if (negate) c = -c;
    const double r = __dsub_rn(__dsub_rn(__dadd_rn(minVal, c), ui), w.v[j]);
    double s = w.spc[j];
    if (r < s) {
        w.path[j] = i;
        w.spc[j] = r;
        s = r;
    }
    const int row = w.row4col[j];
    const int rank = row == -1 ? -1 - it : it;
    const unsigned long long key = order_key(s);
    if (key < bestKey || (key == bestKey && rank < bestRank)) {
        bestKey = key;
        bestRank = rank;
        bestCol = j;
        bestRow = row;
    }
}

// One shortest augmenting path from row cur, the dual update and the augmentation. Expects
// spc = +inf and remaining = reverse order on entry (visible to all threads); leaves them so
// for the next row. Returns false (uniformly in the block) when the problem is infeasible.
template <typename T>
__device__ bool augment(const T* W, long long stride, bool negate, int cur, int n, int m, Work w, Slots& slots) {
    const int tid = threadIdx.x;
    const int nthreads = blockDim.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int nwarps = (nthreads + 31) >> 5;

    int i = cur;
    double minVal = 0.0;
    int num = m;
    int swapPos = -1;   // list slot rewritten after the last barrier, and its new value
    int swapVal = 0;
    int parity = 0;
    int sink;
    int count = 0;      // visited columns so far

    while (true) {
        ASSIGN_COUNT(1);
        const double ui = w.u[i];
        const T* rowp = W + static_cast<long long>(i) * stride;
        unsigned long long bestKey = EMPTY_KEY;
        int bestRank = 0x7fffffff;
        int bestCol = -1;
        int bestRow = -1;
        int it = tid;
        for (; it + nthreads < num; it += 2 * nthreads) {
            const int it2 = it + nthreads;
            const int j1 = it == swapPos ? swapVal : w.remaining[it];
            const int j2 = it2 == swapPos ? swapVal : w.remaining[it2];
            relax(rowp, negate, minVal, ui, i, it, j1, w, bestKey, bestRank, bestCol, bestRow);
            relax(rowp, negate, minVal, ui, i, it2, j2, w, bestKey, bestRank, bestCol, bestRow);
        }
        if (it < num) {
            const int j = it == swapPos ? swapVal : w.remaining[it];
            relax(rowp, negate, minVal, ui, i, it, j, w, bestKey, bestRank, bestCol, bestRow);
        }
        unsigned long long wk;
        unsigned wr;
        warp_min(bestKey, bestRank, wk, wr);
        const unsigned myRank = static_cast<unsigned>(bestRank) ^ 0x80000000u;
        const bool mine = bestKey == wk && myRank == wr && wk != EMPTY_KEY;
        if (mine) {
            slots.key[parity][warp] = wk;
            slots.rank[parity][warp] = wr;
            slots.col[parity][warp] = bestCol;
        } else if (lane == 0 && wk == EMPTY_KEY) {
            slots.key[parity][warp] = EMPTY_KEY;
            slots.rank[parity][warp] = 0xffffffffu;
            slots.col[parity][warp] = -1;
        }
#if ASSIGN_PREFETCH_CANDIDATES
        {
            const unsigned who = __ballot_sync(FULL, mine);
            const int row = who ? __shfl_sync(FULL, bestRow, __ffs(who) - 1) : -1;
            if (row >= 0) prefetch_row(W + static_cast<long long>(row) * stride, m * static_cast<int>(sizeof(T)), lane);
        }
#endif
        __syncthreads();
        // Every warp finishes the reduction itself.
        const unsigned long long k = lane < nwarps ? slots.key[parity][lane] : EMPTY_KEY;
        const unsigned rk = lane < nwarps ? slots.rank[parity][lane] : 0xffffffffu;
        unsigned long long bk;
        unsigned br;
        warp_min(k, static_cast<int>(rk ^ 0x80000000u), bk, br);
        if (bk >= INF_KEY) {
            return false;  // only forbidden entries left (uniform: every thread saw the same minimum)
        }
        const unsigned winner = __ballot_sync(FULL, lane < nwarps && k == bk && rk == br);
        const int j = __shfl_sync(FULL, lane < nwarps ? slots.col[parity][lane] : -1, __ffs(winner) - 1);
        const int rank = static_cast<int>(br ^ 0x80000000u);
        const int pos = rank < 0 ? -1 - rank : rank;
        minVal = key_value(bk);
        const int last = num - 1;
        const int lastVal = w.remaining[last];  // not written in this phase (only slot pos is)
        if (tid == 0) {
            if (pos != last) w.remaining[pos] = lastVal;
            w.visited[count] = j;
        }
        swapPos = pos;
        swapVal = lastVal;
        num = last;
        count++;
        parity ^= 1;
        const int r = w.row4col[j];
        if (r == -1) {
            sink = j;
            break;
        }
        i = r;
    }

    // Dual update over the visited columns other than the sink (visited[0 .. count-1), written
    // before the last barrier); the sink's own change is minVal - spc[sink] = 0.
    for (int k = tid; k < count - 1; k += nthreads) {
        const int j = w.visited[k];
        const double d = __dsub_rn(minVal, w.spc[j]);
        const int r = w.row4col[j];
        w.u[r] = __dadd_rn(w.u[r], d);
        w.v[j] = __dsub_rn(w.v[j], d);
    }
    __syncthreads();
    // Path update (thread 0) while the others reset the list and the path costs for the next row.
    if (tid == 0) {
        w.u[cur] = __dadd_rn(w.u[cur], minVal);
        int j = sink;
        while (true) {
            const int r = w.path[j];
            w.row4col[j] = r;
            const int previous = w.col4row[r];
            w.col4row[r] = j;
            j = previous;
            if (r == cur) break;
        }
    }
    for (int it = tid; it < m; it += nthreads) {
        w.spc[it] = pos_inf();
        w.remaining[it] = m - 1 - it;
    }
    __syncthreads();
    return true;
}

template <typename T>
__device__ void solve_problem(const T* costs, int B, int R, int C,
                              const void* rowCounts, int rowKind, const void* colCounts, int colKind,
                              int maximize, char* scratch, long long scratchPerProblem, long long workOffset,
                              int useShared, long long* rowInd, long long* colInd, long long* sizes,
                              double* total, double* rowPot, double* colPot, int* status) {
    extern __shared__ __align__(16) char smem[];
    __shared__ Slots slots;
    __shared__ int sInvalid;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    const int nthreads = blockDim.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int nwarps = (nthreads + 31) >> 5;
    const long long K = R < C ? R : C;
    ASSIGN_MARK(0);

    // Outputs start empty: indices -1, potentials 0.
    for (long long k = tid; k < K; k += nthreads) {
        rowInd[b * K + k] = -1;
        colInd[b * K + k] = -1;
    }
    for (long long r = tid; r < R; r += nthreads) rowPot[static_cast<long long>(b) * R + r] = 0.0;
    for (long long c = tid; c < C; c += nthreads) colPot[static_cast<long long>(b) * C + c] = 0.0;

    const long long nrl = read_count(rowCounts, rowKind, b, R);
    const long long ncl = read_count(colCounts, colKind, b, C);
    if (nrl < 0 || nrl > R || ncl < 0 || ncl > C) {
        if (tid == 0) {
            sizes[b] = 0;
            total[b] = __longlong_as_double(0x7ff8000000000000LL);
            status[b] = STATUS_BAD_SIZE;
        }
        return;
    }
    const int nr = static_cast<int>(nrl);
    const int nc = static_cast<int>(ncl);
    const T* prob = costs + static_cast<long long>(b) * R * C;
    const bool negate = maximize != 0;
    const bool transposed = nr > nc;
    const int n = transposed ? nc : nr;
    const int m = transposed ? nr : nc;
    char* mine = scratch + static_cast<long long>(b) * scratchPerProblem;

    // Reject NaN and the forbidden-direction infinity (after negation, as SciPy); a transposed
    // problem is copied, transposed, in the same pass.
    if (tid == 0) sInvalid = 0;
    __syncthreads();
    int bad = 0;
    if (transposed) {
        // Tiles of TILE_ROWS original rows x 32 original columns through shared memory, so that
        // both the reads and the writes are coalesced; every thread has several loads in flight.
        constexpr int TILE_ROWS = TILE_BYTES / (33 * static_cast<int>(sizeof(T)));
        T* tile = reinterpret_cast<T*>(smem);
        T* t = reinterpret_cast<T*>(mine);
        for (int ti = 0; ti < n; ti += 32) {
            for (int tj = 0; tj < m; tj += TILE_ROWS) {
                const int i = ti + lane;
                for (int y0 = warp; y0 < TILE_ROWS; y0 += 8 * nwarps) {
                    T x[8];
#pragma unroll
                    for (int u = 0; u < 8; u++) {  // all loads first: 8 in flight per thread
                        const int y = y0 + u * nwarps;
                        if (y < TILE_ROWS && tj + y < m && i < n) x[u] = prob[static_cast<long long>(tj + y) * C + i];
                    }
#pragma unroll
                    for (int u = 0; u < 8; u++) {
                        const int y = y0 + u * nwarps;
                        if (y < TILE_ROWS && tj + y < m && i < n) {
                            tile[y * 33 + lane] = x[u];
                            double v = static_cast<double>(x[u]);
                            if (negate) v = -v;
                            bad |= (v != v) || (v == -pos_inf());
                        }
                    }
                }
                __syncthreads();
                for (int y = warp; y < 32 && ti + y < n; y += nwarps) {
                    for (int x = lane; x < TILE_ROWS && tj + x < m; x += 32) {
                        t[static_cast<long long>(ti + y) * m + tj + x] = tile[x * 33 + y];
                    }
                }
                __syncthreads();
            }
        }
    } else {
        for (int r = warp; r < nr; r += nwarps) {
            for (int c = lane; c < nc; c += 32) {
                double y = load(prob, static_cast<long long>(r) * C + c);
                if (negate) y = -y;
                bad |= (y != y) || (y == -pos_inf());
            }
        }
    }
    if (bad) sInvalid = 1;
    __syncthreads();
    if (sInvalid) {
        if (tid == 0) {
            sizes[b] = 0;
            total[b] = __longlong_as_double(0x7ff8000000000000LL);
            status[b] = STATUS_INVALID;
        }
        return;
    }
    if (nr == 0 || nc == 0) {
        if (tid == 0) {
            sizes[b] = 0;
            total[b] = 0.0;
            status[b] = STATUS_OK;
        }
        return;
    }

    ASSIGN_MARK(1);
    const T* W = transposed ? reinterpret_cast<const T*>(mine) : prob;
    const long long stride = transposed ? m : C;
    Work w = carve(useShared ? smem : mine + workOffset, n, m);
    for (int j = tid; j < m; j += nthreads) {
        w.v[j] = 0.0;
        w.row4col[j] = -1;
        w.spc[j] = pos_inf();
        w.remaining[j] = m - 1 - j;
    }
    for (int i = tid; i < n; i += nthreads) {
        w.u[i] = 0.0;
        w.col4row[i] = -1;
    }
    __syncthreads();

    for (int cur = 0; cur < n; cur++) {
        if (!augment<T>(W, stride, negate, cur, n, m, w, slots)) {
            if (tid == 0) {
                sizes[b] = 0;
                total[b] = __longlong_as_double(0x7ff8000000000000LL);
                status[b] = STATUS_INFEASIBLE;
            }
            return;
        }
    }

    ASSIGN_MARK(2);
    // Pairs in row order, and each pair's original cost in buf (spc is free now) for the total.
    const long long out = static_cast<long long>(b) * K;
    double* buf = w.spc;
    if (!transposed) {
        for (int r = tid; r < n; r += nthreads) {
            const int c = w.col4row[r];
            rowInd[out + r] = r;
            colInd[out + r] = c;
            buf[r] = load(prob, static_cast<long long>(r) * C + c);
        }
    } else if (warp == 0) {
        // Original rows are the working columns: compact them in order with warp ballots.
        int count = 0;
        for (int base = 0; base < m; base += 32) {
            const int r = base + lane;
            const int c = r < m ? w.row4col[r] : -1;
            const unsigned mask = __ballot_sync(FULL, c != -1);
            if (c != -1) {
                const int p = count + __popc(mask & ((1u << lane) - 1u));
                rowInd[out + p] = r;
                colInd[out + p] = c;
                buf[p] = load(prob, static_cast<long long>(r) * C + c);
            }
            count += __popc(mask);
        }
    }
    const double sign = negate ? -1.0 : 1.0;
    const double* rowU = transposed ? w.v : w.u;
    const double* colV = transposed ? w.u : w.v;
    for (int r = tid; r < nr; r += nthreads) {
        rowPot[static_cast<long long>(b) * R + r] = negate ? sign * rowU[r] : rowU[r];
    }
    for (int c = tid; c < nc; c += nthreads) {
        colPot[static_cast<long long>(b) * C + c] = negate ? sign * colV[c] : colV[c];
    }
    __syncthreads();
    if (tid == 0) {
        // Sum in pair order, left to right, like the CPU back end.
        double sum = 0.0;
        for (int p = 0; p < n; p++) {
            sum = __dadd_rn(sum, buf[p]);
        }
        sizes[b] = n;
        total[b] = sum;
        status[b] = STATUS_OK;
    }
    ASSIGN_MARK(3);
}

// Called by every block after its problem is done: the last block to finish reports the
// lowest-indexed bad problem (deterministic, whatever the block order).
__device__ void report_errors(int B, int R, int C, const void* rowCounts, int rowKind, const void* colCounts,
                              int colKind, int reportProblems, const int* status, unsigned int* finished,
                              long long* errorFlag) {
    __shared__ bool last;
    __shared__ int first;
    __syncthreads();
    if (threadIdx.x == 0) {
        __threadfence();
        last = atomicAdd(finished, 1u) == static_cast<unsigned>(B - 1);
        first = B;
    }
    __syncthreads();
    if (!last || errorFlag == nullptr) return;
    __threadfence();
    for (int p = threadIdx.x; p < B; p += blockDim.x) {
        const int s = reinterpret_cast<const volatile int*>(status)[p];
        if (s == STATUS_BAD_SIZE || (s != STATUS_OK && reportProblems)) {
            atomicMin(&first, p);
            break;  // later problems of this thread are higher
        }
    }
    __syncthreads();
    const int p = first;
    if (threadIdx.x != 0 || p == B) return;
    const int s = reinterpret_cast<const volatile int*>(status)[p];
    const long long nr = read_count(rowCounts, rowKind, p, R);
    const long long nc = read_count(colCounts, colKind, p, C);
    if (s == STATUS_BAD_SIZE) {
        const bool rowsBad = nr < 0 || nr > R;
        bw_report_error(reinterpret_cast<unsigned long long*>(errorFlag), BW_ERR_INDEX, p, rowsBad ? 0 : 1,
                        rowsBad ? nr : nc, rowsBad ? R : C);
    } else {
        bw_report_error(reinterpret_cast<unsigned long long*>(errorFlag), BW_ERR_VALUE, p, nr, s, nc);
    }
}

}  // namespace

#define ASSIGN_KERNEL(NAME, T)                                                                               \
    extern "C" __global__ void __launch_bounds__(ASSIGN_MAX_WARPS * 32) NAME(                               \
        const T* costs, int B, int R, int C, const void* rowCounts, int rowKind, const void* colCounts,      \
        int colKind, int maximize, char* scratch, long long scratchPerProblem, long long workOffset,          \
        int useShared, long long* rowInd, long long* colInd, long long* sizes, double* total, double* rowPot, \
        double* colPot, int* status, unsigned int* finished, long long* errorFlag, int reportProblems) {     \
        solve_problem<T>(costs, B, R, C, rowCounts, rowKind, colCounts, colKind, maximize, scratch,          \
                         scratchPerProblem, workOffset, useShared, rowInd, colInd, sizes, total, rowPot,     \
                         colPot, status);                                                                    \
        report_errors(B, R, C, rowCounts, rowKind, colCounts, colKind, reportProblems, status, finished,     \
                      errorFlag);                                                                            \
    }

ASSIGN_KERNEL(assign_solve_f32, float)
ASSIGN_KERNEL(assign_solve_f64, double)
