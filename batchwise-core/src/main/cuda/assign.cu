// Batched linear sum assignment with SciPy's exact answers: one thread block per problem.
//
// Each block solves problem blockIdx.x of a padded batch costs (B, R, C) by Crouse's shortest
// augmenting path, exactly as scipy.optimize.linear_sum_assignment (SciPy >= 1.4) does, in
// double precision with the same operation order, so indices and potentials are bit-identical to
// the CPU back end (CpuLinearAssignment / AugmentingPathSolver):
//   * a problem with more rows than columns is solved transposed (rows <-> columns);
//   * SciPy keeps the unvisited columns in a list `remaining` that starts in reverse column order
//     and removes an element by moving the list's last element into its slot. The block keeps
//     the same list; each scan step is a parallel pass over the list positions followed by a
//     block argmin of the key (reduced cost, rank) with rank = -1 - position for a free column and
//     rank = position for an assigned one. That is SciPy's sequential choice: the first minimum,
//     unless an equal minimum on a free column comes later, in which case the last such free one.
//     (The removed column is moved to the list's tail instead of being dropped, so the tail lists
//     the visited columns for the dual update; the positions before it are unchanged.)
//   * per-problem sizes are read on the device; work is proportional to the actual sizes.
// Potentials, path and list live in shared memory when they fit (useShared), otherwise in the
// problem's slice of the global scratch buffer. A transposed problem is first copied, transposed,
// into the scratch buffer so that its rows are contiguous.
//
// Launch: grid = B blocks; block = a multiple of 32 threads, at most 512; measured on an H200,
// roundup32(clamp(max(min(m, 320), m / 2), 32, 512)) with m = max(R, C) is best for the W2 shapes
// (more threads shorten each scan step; past ~320 threads per block, occupancy loses more).
// Dynamic shared memory: 28 * m + 12 * n bytes (n = min(R, C)) when that is at most 48 KiB
// (useShared = 1), else 0 with the work arrays in scratch at workOffset. Scratch per problem:
// workOffset = align16(R * C * sizeof(T)) for the transposed copy, plus align16(28 * m + 12 * n)
// when useShared = 0. `finished` must be zeroed before the launch.
//
// Errors: per-problem status (0 ok, 1 infeasible, 2 invalid cost, -1 size outside the padded
// extent). The last block to finish scans the statuses and reports the lowest-indexed bad problem
// through the device error flag: a bad size always (BW_ERR_INDEX: a = problem, b = 0 rows / 1
// cols, c = size, d = extent), a bad problem when reportProblems != 0 (BW_ERR_VALUE: a = problem,
// b = 0, c = status, d = 0).

#include <stdint.h>

#if __has_include("batchwise.cuh")
#include "batchwise.cuh"
#define ASSIGN_REPORT(flag, code, a, b, c, d) \
    bw_report_error(reinterpret_cast<unsigned long long*>(flag), (code), (a), (b), (c), (d))
#ifndef BW_ERR_INDEX
#define BW_ERR_INDEX 1
#endif
#ifndef BW_ERR_VALUE
#define BW_ERR_VALUE 2
#endif
#else
#define BW_ERR_INDEX 1
#define BW_ERR_VALUE 2
// The first error wins: flag[0] = code, flag[1..4] = a, b, c, d (the batchwise.cuh convention).
__device__ static void assign_report_error(long long* flag, long long code, long long a, long long b,
                                           long long c, long long d) {
    if (flag == nullptr) return;
    if (atomicCAS(reinterpret_cast<unsigned long long*>(flag), 0ULL, static_cast<unsigned long long>(code)) == 0ULL) {
        flag[1] = a;
        flag[2] = b;
        flag[3] = c;
        flag[4] = d;
        __threadfence();
    }
}
#define ASSIGN_REPORT(flag, code, a, b, c, d) assign_report_error((flag), (code), (a), (b), (c), (d))
#endif

// Largest block: 512 threads (80 registers each fit an SM's register file).
#define ASSIGN_MAX_WARPS 16

namespace {

constexpr int STATUS_OK = 0;
constexpr int STATUS_INFEASIBLE = 1;
constexpr int STATUS_INVALID = 2;
constexpr int STATUS_BAD_SIZE = -1;

__device__ __forceinline__ long long read_count(const void* counts, int kind, int b, long long full) {
    if (kind == 4) return static_cast<const int32_t*>(counts)[b];
    if (kind == 8) return static_cast<const int64_t*>(counts)[b];
    return full;
}

// (value, rank) lexicographic "better than" with IEEE comparisons (no NaN can occur).
__device__ __forceinline__ bool better(double v, int rank, double bestV, int bestRank) {
    return v < bestV || (v == bestV && rank < bestRank);
}

// Work arrays of one problem (n rows <= m columns), in shared or global memory.
struct Work {
    double* v;         // m column potentials
    double* spc;       // m shortest path costs
    double* u;         // n row potentials
    int* path;         // m
    int* row4col;      // m
    int* remaining;    // m
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
    w.col4row = w.remaining + m;
    return w;
}

// Shared state of the block's sequential control flow.
struct Control {
    double minVal;
    int row;        // current row i
    int sink;
    int num;        // number of remaining columns
    int infeasible;
    double redV[ASSIGN_MAX_WARPS];
    int redRank[ASSIGN_MAX_WARPS];
    int redPos[ASSIGN_MAX_WARPS];
};

// Warp argmin of (v, rank) carrying pos; the result is valid in lane 0.
__device__ __forceinline__ void warp_argmin(double& v, int& rank, int& pos) {
    for (int off = 16; off > 0; off >>= 1) {
        double ov = __shfl_down_sync(0xffffffffu, v, off);
        int orank = __shfl_down_sync(0xffffffffu, rank, off);
        int opos = __shfl_down_sync(0xffffffffu, pos, off);
        if (better(ov, orank, v, rank)) {
            v = ov;
            rank = orank;
            pos = opos;
        }
    }
}

template <typename T>
__device__ __forceinline__ double load(const T* p, long long idx) {
    return static_cast<double>(p[idx]);
}

// One shortest augmenting path from row cur, the dual update and the augmentation.
// Returns false (uniformly in the block) when the problem is infeasible.
template <typename T>
__device__ bool augment(const T* W, long long stride, bool negate, int cur, int m, Work w, Control& ctl) {
    const int tid = threadIdx.x;
    const int nthreads = blockDim.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int nwarps = (nthreads + 31) >> 5;

    for (int it = tid; it < m; it += nthreads) {
        w.spc[it] = __longlong_as_double(0x7ff0000000000000LL);  // +inf
        w.remaining[it] = m - 1 - it;
    }
    if (tid == 0) {
        ctl.minVal = 0.0;
        ctl.row = cur;
        ctl.sink = -1;
        ctl.num = m;
        ctl.infeasible = 0;
    }
    __syncthreads();

    while (true) {
        const int i = ctl.row;
        const int num = ctl.num;
        const double minVal = ctl.minVal;
        const double ui = w.u[i];
        const T* rowp = W + static_cast<long long>(i) * stride;
        double bestV = __longlong_as_double(0x7ff0000000000000LL);
        int bestRank = 0x7fffffff;
        int bestPos = -1;
        for (int it = tid; it < num; it += nthreads) {
            const int j = w.remaining[it];
            double c = load(rowp, j);
            if (negate) c = -c;
            const double r = __dsub_rn(__dsub_rn(__dadd_rn(minVal, c), ui), w.v[j]);
            double s = w.spc[j];
            if (r < s) {
                w.path[j] = i;
                w.spc[j] = r;
                s = r;
            }
            const int rank = w.row4col[j] == -1 ? -1 - it : it;
            if (better(s, rank, bestV, bestRank)) {
                bestV = s;
                bestRank = rank;
                bestPos = it;
            }
        }
        warp_argmin(bestV, bestRank, bestPos);
        if (lane == 0) {
            ctl.redV[warp] = bestV;
            ctl.redRank[warp] = bestRank;
            ctl.redPos[warp] = bestPos;
        }
        __syncthreads();
        if (warp == 0) {
            double v = lane < nwarps ? ctl.redV[lane] : __longlong_as_double(0x7ff0000000000000LL);
            int rank = lane < nwarps ? ctl.redRank[lane] : 0x7fffffff;
            int pos = lane < nwarps ? ctl.redPos[lane] : -1;
            warp_argmin(v, rank, pos);
            if (lane == 0) {
                ctl.minVal = v;
                if (v == __longlong_as_double(0x7ff0000000000000LL) || pos < 0) {
                    ctl.infeasible = 1;
                } else {
                    const int j = w.remaining[pos];
                    if (w.row4col[j] == -1) {
                        ctl.sink = j;
                    } else {
                        ctl.row = w.row4col[j];
                    }
                    const int last = num - 1;
                    w.remaining[pos] = w.remaining[last];
                    w.remaining[last] = j;
                    ctl.num = last;
                }
            }
        }
        __syncthreads();
        if (ctl.infeasible) return false;
        if (ctl.sink >= 0) break;
    }

    // Dual update: visited columns are remaining[num..m); the visited rows other than cur are the
    // rows assigned to the visited columns other than the sink.
    const double minVal = ctl.minVal;
    const int sink = ctl.sink;
    for (int k = ctl.num + tid; k < m; k += nthreads) {
        const int j = w.remaining[k];
        const double d = __dsub_rn(minVal, w.spc[j]);
        if (j != sink) {
            const int r = w.row4col[j];
            w.u[r] = __dadd_rn(w.u[r], d);
        }
        w.v[j] = __dsub_rn(w.v[j], d);
    }
    if (tid == 0) {
        w.u[cur] = __dadd_rn(w.u[cur], minVal);
    }
    __syncthreads();
    if (tid == 0) {
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
    __shared__ Control ctl;
    __shared__ int sInvalid;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    const int nthreads = blockDim.x;
    const long long K = R < C ? R : C;

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

    // Reject NaN and the forbidden-direction infinity (after negation, as SciPy).
    if (tid == 0) sInvalid = 0;
    __syncthreads();
    int bad = 0;
    for (long long k = tid; k < static_cast<long long>(nr) * nc; k += nthreads) {
        double x = load(prob, (k / nc) * C + (k % nc));
        if (negate) x = -x;
        bad |= (x != x) || (x == __longlong_as_double(0xfff0000000000000LL));
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

    const bool transposed = nr > nc;
    const int n = transposed ? nc : nr;
    const int m = transposed ? nr : nc;
    char* mine = scratch + static_cast<long long>(b) * scratchPerProblem;
    const T* W = prob;
    long long stride = C;
    if (transposed) {
        T* t = reinterpret_cast<T*>(mine);
        for (long long k = tid; k < static_cast<long long>(n) * m; k += nthreads) {
            const long long i = k / m;  // original column
            const long long j = k % m;  // original row
            t[k] = prob[j * C + i];
        }
        W = t;
        stride = m;
    }
    Work w = carve(useShared ? smem : mine + workOffset, n, m);
    for (int j = tid; j < m; j += nthreads) {
        w.v[j] = 0.0;
        w.row4col[j] = -1;
    }
    for (int i = tid; i < n; i += nthreads) {
        w.u[i] = 0.0;
        w.col4row[i] = -1;
    }
    __syncthreads();

    for (int cur = 0; cur < n; cur++) {
        if (!augment<T>(W, stride, negate, cur, m, w, ctl)) {
            if (tid == 0) {
                sizes[b] = 0;
                total[b] = __longlong_as_double(0x7ff8000000000000LL);
                status[b] = STATUS_INFEASIBLE;
            }
            return;
        }
    }

    const long long out = static_cast<long long>(b) * K;
    if (!transposed) {
        for (int r = tid; r < n; r += nthreads) {
            rowInd[out + r] = r;
            colInd[out + r] = w.col4row[r];
        }
    } else if (tid < 32) {
        // Original rows are the working columns: compact them in order with warp ballots.
        int count = 0;
        for (int base = 0; base < m; base += 32) {
            const int r = base + tid;
            const bool has = r < m && w.row4col[r] != -1;
            const unsigned mask = __ballot_sync(0xffffffffu, has);
            if (has) {
                const int p = count + __popc(mask & ((1u << tid) - 1u));
                rowInd[out + p] = r;
                colInd[out + p] = w.row4col[r];
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
            sum = __dadd_rn(sum, load(prob, rowInd[out + p] * C + colInd[out + p]));
        }
        sizes[b] = n;
        total[b] = sum;
        status[b] = STATUS_OK;
    }
}

// Called by every block after its problem is done: the last block to finish reports the
// lowest-indexed bad problem (deterministic, whatever the block order).
__device__ void report_errors(int B, int R, int C, const void* rowCounts, int rowKind, const void* colCounts,
                              int colKind, int reportProblems, const int* status, unsigned int* finished,
                              long long* errorFlag) {
    __shared__ bool last;
    __syncthreads();
    if (threadIdx.x == 0) {
        __threadfence();
        last = atomicAdd(finished, 1u) == static_cast<unsigned>(B - 1);
    }
    __syncthreads();
    if (!last || threadIdx.x != 0 || errorFlag == nullptr) return;
    __threadfence();
    for (int p = 0; p < B; p++) {
        const int s = reinterpret_cast<const volatile int*>(status)[p];
        if (s == STATUS_BAD_SIZE) {
            const long long nr = read_count(rowCounts, rowKind, p, R);
            const bool rowsBad = nr < 0 || nr > R;
            const long long value = rowsBad ? nr : read_count(colCounts, colKind, p, C);
            ASSIGN_REPORT(errorFlag, BW_ERR_INDEX, p, rowsBad ? 0 : 1, value, rowsBad ? R : C);
            return;
        }
        if (s != STATUS_OK && reportProblems) {
            ASSIGN_REPORT(errorFlag, BW_ERR_VALUE, p, 0, s, 0);
            return;
        }
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
