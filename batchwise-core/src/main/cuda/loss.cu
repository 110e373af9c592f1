// Fused losses with gradients (dev.batchwise.loss): the CUDA side of CudaDenseLosses and
// CudaMatchedLosses. Formulas are those of LossMath.java, in double precision.
//
// Reductions are deterministic: each block reduces its per-thread sums with a fixed shared-memory
// tree into partials[block]; the last block to finish (an integer ticket, `counter`, zeroed before
// the launch) adds the partials of every group in block order and writes value[g] = sum * scale.
// No floating-point atomics are used.
//
// Layouts
// - Dense losses: `units` loss units (elements, or 4-value boxes for GIoU) in `groups` contiguous
//   groups of units / groups; block b works on group b / bpg, slice b % bpg of it.
// - Matched losses: one block per problem p (prediction batch index); problems are grouped
//   contiguously (problemsPerGroup = P / groups). Pair k < counts[p] matches query pred[p, k] with
//   GT row gt[p, k] of sample p % gtSamples. A query that occurs in several pairs of a problem gets
//   the sum of their gradients (added in pair order by one thread).
//
// Errors: a count outside [0, K] reports BW_ERR_VALUE (a = problem, b = -1, c = count, d = K); a
// pair index outside [0, Q) or [0, M) reports BW_ERR_INDEX (a = problem, b = pair, c = index,
// d = bound); a focal label outside [0, C] reports BW_ERR_INDEX (a = row, b = 0, c = label, d = C + 1).
#include <stdint.h>
#include "batchwise.cuh"

typedef long long i64;
typedef unsigned long long u64;

#define LOSS_THREADS 256

#define KIND_FOCAL 0
#define KIND_QUALITY_FOCAL 1
#define KIND_BCE 2
#define KIND_GAUSSIAN_FOCAL 3
#define KIND_GIOU 4

#define GAUSSIAN_EPS 1e-12
#define CLIP_EPS 1e-4
#define MAX_CODE_WEIGHTS 16

__device__ __forceinline__ i64 load_index(const void* p, int is64, i64 i) {
    return is64 ? ((const i64*)p)[i] : (i64)((const int*)p)[i];
}

// ------------------------------------------------------------------ element formulas (LossMath)

__device__ __forceinline__ double sigmoid_(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

__device__ __forceinline__ double softplus_(double x) {
    return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}

__device__ __forceinline__ double pow_(double b, double e) {
    return e == 2.0 ? b * b : pow(b, e);
}

__device__ __forceinline__ double sign_(double d) {
    return (double)((d > 0) - (d < 0));
}

__device__ __forceinline__ double focal_value(double x, bool pos, double alpha, double gamma) {
    if (pos) return alpha * pow_(sigmoid_(-x), gamma) * softplus_(-x);
    return (1 - alpha) * pow_(sigmoid_(x), gamma) * softplus_(x);
}

__device__ __forceinline__ double focal_grad(double x, bool pos, double alpha, double gamma) {
    double p = sigmoid_(x);
    double q = sigmoid_(-x);
    if (pos) return -alpha * pow_(q, gamma) * (gamma * p * softplus_(-x) + q);
    return (1 - alpha) * pow_(p, gamma) * (gamma * q * softplus_(x) + p);
}

__device__ __forceinline__ double bce_value(double x, double t) {
    return softplus_(x) - t * x;
}

__device__ __forceinline__ double qfl_negative(double x, double beta) {
    return softplus_(x) * pow_(sigmoid_(x), beta);
}

__device__ __forceinline__ double qfl_negative_grad(double x, double beta) {
    double p = sigmoid_(x);
    return pow_(p, beta) * (p + beta * sigmoid_(-x) * softplus_(x));
}

__device__ __forceinline__ double qfl_positive(double x, double score, double beta) {
    return bce_value(x, score) * pow(fabs(score - sigmoid_(x)), beta);
}

__device__ __forceinline__ double qfl_positive_grad(double x, double score, double beta) {
    double p = sigmoid_(x);
    double d = p - score;
    double ad = fabs(d);
    double first = d * pow(ad, beta);
    if (ad == 0) return first;
    return first + bce_value(x, score) * beta * pow(ad, beta - 1) * sign_(d) * p * sigmoid_(-x);
}

__device__ __forceinline__ double gaussian_focal(double p, double t, double alpha, double gamma) {
    double loss = -log(1 - p + GAUSSIAN_EPS) * pow(p, alpha) * pow(1 - t, gamma);
    if (t == 1.0) loss += -log(p + GAUSSIAN_EPS) * pow(1 - p, alpha);
    return loss;
}

__device__ __forceinline__ double gaussian_focal_grad(double p, double t, double alpha, double gamma) {
    double nw = pow(1 - t, gamma);
    double g = nw * (pow(p, alpha) / (1 - p + GAUSSIAN_EPS) - alpha * log(1 - p + GAUSSIAN_EPS) * pow(p, alpha - 1));
    if (t == 1.0) {
        g += -pow(1 - p, alpha) / (p + GAUSSIAN_EPS) + alpha * log(p + GAUSSIAN_EPS) * pow(1 - p, alpha - 1);
    }
    return g;
}

__device__ __forceinline__ double clip_sigmoid(double x) {
    return fmin(fmax(sigmoid_(x), CLIP_EPS), 1 - CLIP_EPS);
}

__device__ __forceinline__ double clip_sigmoid_grad(double x) {
    double p = sigmoid_(x);
    return p >= CLIP_EPS && p <= 1 - CLIP_EPS ? p * sigmoid_(-x) : 0.0;
}

__device__ __forceinline__ double max_share(double a, double b) {
    return a > b ? 1.0 : a == b ? 0.5 : 0.0;
}

// 1 - GIoU of corner boxes a and b (union and enclosure clamped below by eps); g = d loss / d a.
__device__ double giou_loss(double ax1, double ay1, double ax2, double ay2, double bx1, double by1, double bx2,
                            double by2, double eps, double* g) {
    double areaA = (ax2 - ax1) * (ay2 - ay1);
    double areaB = (bx2 - bx1) * (by2 - by1);
    double ltx = fmax(ax1, bx1), lty = fmax(ay1, by1);
    double rbx = fmin(ax2, bx2), rby = fmin(ay2, by2);
    double iwRaw = rbx - ltx, ihRaw = rby - lty;
    double iw = fmax(iwRaw, 0.0), ih = fmax(ihRaw, 0.0);
    double inter = iw * ih;
    double unionRaw = areaA + areaB - inter;
    double uni = fmax(unionRaw, eps);
    double ex1 = fmin(ax1, bx1), ey1 = fmin(ay1, by1);
    double ex2 = fmax(ax2, bx2), ey2 = fmax(ay2, by2);
    double ewRaw = ex2 - ex1, ehRaw = ey2 - ey1;
    double ew = fmax(ewRaw, 0.0), eh = fmax(ehRaw, 0.0);
    double encloseRaw = ew * eh;
    double enclose = fmax(encloseRaw, eps);
    double giou = inter / uni - (enclose - uni) / enclose;
    double dU = (inter / (uni * uni) - 1 / enclose) * max_share(unionRaw, eps);
    double dE = uni / (enclose * enclose) * max_share(encloseRaw, eps);
    double dI = -1 / uni - dU;
    double dA = dU;
    double dIw = iwRaw >= 0 ? dI * ih : 0;
    double dIh = ihRaw >= 0 ? dI * iw : 0;
    double dEw = ewRaw >= 0 ? dE * eh : 0;
    double dEh = ehRaw >= 0 ? dE * ew : 0;
    double wA = ax2 - ax1, hA = ay2 - ay1;
    g[0] = -dA * hA - dIw * max_share(ax1, bx1) - dEw * max_share(-ax1, -bx1);
    g[1] = -dA * wA - dIh * max_share(ay1, by1) - dEh * max_share(-ay1, -by1);
    g[2] = dA * hA + dIw * max_share(-ax2, -bx2) + dEw * max_share(ax2, bx2);
    g[3] = dA * wA + dIh * max_share(-ay2, -by2) + dEh * max_share(ay2, by2);
    return 1 - giou;
}

// ------------------------------------------------------------------ deterministic reduction

// Reduces v over the block (fixed tree), stores partials[blockIdx.x]; the last block to arrive
// writes value[g] = scale * sum_{j < bpg} partials[g * bpg + j] for every group g.
__device__ void reduce_and_finish(double v, double* partials, unsigned* counter, int groups, int bpg, double scale,
                                  double* value) {
    __shared__ double red[LOSS_THREADS];
    __shared__ bool last;
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = LOSS_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) red[threadIdx.x] += red[threadIdx.x + s];
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = red[0];
        __threadfence();
        last = atomicAdd(counter, 1u) == gridDim.x - 1;
    }
    __syncthreads();
    if (!last) return;
    __threadfence();
    for (int g = threadIdx.x; g < groups; g += blockDim.x) {
        double sum = 0;
        for (int j = 0; j < bpg; j++) sum += ((volatile double*)partials)[(i64)g * bpg + j];
        value[g] = sum * scale;
    }
}

// ------------------------------------------------------------------ dense losses

template <typename T>
__device__ void dense_loss(int kind, const T* x, const void* labels, int labels64, const T* aux, const T* weight,
                           T* grad, i64 units, int C, int groups, int bpg, double alpha, double gamma, int fromLogits,
                           double eps, double scale, double* partials, unsigned* counter, double* value, u64* flag) {
    const i64 per = units / groups;
    const i64 chunk = (per + bpg - 1) / bpg;
    const int g = blockIdx.x / bpg;
    const int j = blockIdx.x % bpg;
    const i64 begin = (i64)g * per + (i64)j * chunk;
    const i64 end = (i64)g * per + min(per, (i64)(j + 1) * chunk);
    double sum = 0;
    for (i64 i = begin + threadIdx.x; i < end; i += blockDim.x) {
        switch (kind) {
            case KIND_FOCAL: {
                i64 row = i / C;
                int c = (int)(i - row * C);
                i64 label = load_index(labels, labels64, row);
                if (label < 0 || label > C) {
                    if (c == 0) bw_report_error(flag, BW_ERR_INDEX, row, 0, label, C + 1);
                }
                bool pos = label == c;
                double rw = weight ? (double)weight[row] : 1.0;
                double xi = x[i];
                sum += rw * focal_value(xi, pos, alpha, gamma);
                grad[i] = (T)(scale * rw * focal_grad(xi, pos, alpha, gamma));
                break;
            }
            case KIND_QUALITY_FOCAL: {
                i64 row = i / C;
                int c = (int)(i - row * C);
                i64 label = load_index(labels, labels64, row);
                bool pos = label >= 0 && label < C && label == c;
                double rw = weight ? (double)weight[row] : 1.0;
                double xi = x[i];
                double sc = aux[row];
                double v = pos ? qfl_positive(xi, sc, alpha) : qfl_negative(xi, alpha);
                double d = pos ? qfl_positive_grad(xi, sc, alpha) : qfl_negative_grad(xi, alpha);
                sum += rw * v;
                grad[i] = (T)(scale * rw * d);
                break;
            }
            case KIND_BCE: {
                double ew = weight ? (double)weight[i] : 1.0;
                double xi = x[i];
                double t = aux[i];
                sum += ew * bce_value(xi, t);
                grad[i] = (T)(scale * ew * (sigmoid_(xi) - t));
                break;
            }
            case KIND_GAUSSIAN_FOCAL: {
                double xi = x[i];
                double t = aux[i];
                double p = fromLogits ? clip_sigmoid(xi) : xi;
                double dpdx = fromLogits ? clip_sigmoid_grad(xi) : 1.0;
                sum += gaussian_focal(p, t, alpha, gamma);
                double d = gaussian_focal_grad(p, t, alpha, gamma);
                grad[i] = (T)(dpdx == 0 ? 0.0 : scale * d * dpdx);
                break;
            }
            case KIND_GIOU: {
                const T* a = x + 4 * i;
                const T* b = aux + 4 * i;
                double rw = weight ? (double)weight[i] : 1.0;
                double gg[4];
                sum += rw * giou_loss(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], eps, gg);
                for (int k = 0; k < 4; k++) grad[4 * i + k] = (T)(scale * rw * gg[k]);
                break;
            }
        }
    }
    reduce_and_finish(sum, partials, counter, groups, bpg, scale, value);
}

#define DENSE_ENTRY(NAME, T)                                                                                     \
    extern "C" __global__ void __launch_bounds__(LOSS_THREADS)                                                   \
        NAME(int kind, const T* x, const void* labels, int labels64, const T* aux, const T* weight, T* grad,     \
             i64 units, int C, int groups, int bpg, double alpha, double gamma, int fromLogits, double eps,       \
             double scale, double* partials, unsigned* counter, double* value, u64* flag) {                       \
        dense_loss<T>(kind, x, labels, labels64, aux, weight, grad, units, C, groups, bpg, alpha, gamma,         \
                      fromLogits, eps, scale, partials, counter, value, flag);                                   \
    }

DENSE_ENTRY(loss_dense_f32, float)
DENSE_ENTRY(loss_dense_f64, double)

// ------------------------------------------------------------------ targets from matched pairs

// out[p, q] = gtLabels[p % gtSamples, gt[p, k]] for the last pair k with pred[p, k] == q, else
// background. One block per problem.
extern "C" __global__ void loss_matched_labels(const void* pred, int pred64, const void* gt, int gt64,
                                               const void* counts, int counts64, const void* gtLabels, int labels64,
                                               i64* out, int Q, int M, int K, int gtSamples, i64 background,
                                               u64* flag) {
    const int p = blockIdx.x;
    for (int q = threadIdx.x; q < Q; q += blockDim.x) out[(i64)p * Q + q] = background;
    __syncthreads();
    if (threadIdx.x != 0) return;
    i64 n = load_index(counts, counts64, p);
    if (n < 0 || n > K) {
        bw_report_error(flag, BW_ERR_VALUE, p, -1, n, K);
        return;
    }
    const i64 s = p % gtSamples;
    for (i64 k = 0; k < n; k++) {
        i64 q = load_index(pred, pred64, (i64)p * K + k);
        i64 g = load_index(gt, gt64, (i64)p * K + k);
        if (q < 0 || q >= Q) {
            bw_report_error(flag, BW_ERR_INDEX, p, k, q, Q);
        } else if (g < 0 || g >= M) {
            bw_report_error(flag, BW_ERR_INDEX, p, k, g, M);
        } else {
            out[(i64)p * Q + q] = load_index(gtLabels, labels64, s * M + g);
        }
    }
}

// ------------------------------------------------------------------ losses over matched pairs

struct Pairs {
    const void* pred;
    int pred64;
    const void* gt;
    int gt64;
    i64 base;  // p * K
    i64 n;
    int Q;
    int M;
};

// Checks pair k; returns its query (or -1 after reporting a bad index).
__device__ __forceinline__ i64 pair_query(const Pairs& pr, i64 k, int p, u64* flag, bool report) {
    i64 q = load_index(pr.pred, pr.pred64, pr.base + k);
    i64 g = load_index(pr.gt, pr.gt64, pr.base + k);
    if (q < 0 || q >= pr.Q) {
        if (report) bw_report_error(flag, BW_ERR_INDEX, p, k, q, pr.Q);
        return -1;
    }
    if (g < 0 || g >= pr.M) {
        if (report) bw_report_error(flag, BW_ERR_INDEX, p, k, g, pr.M);
        return -1;
    }
    return q;
}

// True when pair k is the first valid pair of its query q in this problem.
__device__ __forceinline__ bool first_of_query(const Pairs& pr, i64 k, i64 q, int p, u64* flag) {
    for (i64 k2 = 0; k2 < k; k2++) {
        if (pair_query(pr, k2, p, flag, false) == q) return false;
    }
    return true;
}

// Reads the problem's count (checked) and zeroes its gradient rows unless accumulating.
template <typename T>
__device__ Pairs begin_problem(const void* pred, int pred64, const void* gt, int gt64, const void* counts,
                               int counts64, T* grad, int Q, int M, int K, int D, int accumulate, u64* flag) {
    const int p = blockIdx.x;
    Pairs pr{pred, pred64, gt, gt64, (i64)p * K, load_index(counts, counts64, p), Q, M};
    if (pr.n < 0 || pr.n > K) {
        if (threadIdx.x == 0) bw_report_error(flag, BW_ERR_VALUE, p, -1, pr.n, K);
        pr.n = 0;
    }
    if (!accumulate) {
        T* rows = grad + (i64)p * Q * D;
        for (i64 i = threadIdx.x; i < (i64)Q * D; i += blockDim.x) rows[i] = (T)0;
    }
    __syncthreads();
    return pr;
}

template <typename T>
__device__ void matched_l1(const T* pred, const T* target, const void* pi, int pi64, const void* gi, int gi64,
                           const void* counts, int counts64, T* grad, int Q, int M, int D, int K, int gtSamples,
                           int groups, const double* cw, double scale, int accumulate, double* partials,
                           unsigned* counter, double* value, u64* flag) {
    const int p = blockIdx.x;
    Pairs pr = begin_problem<T>(pi, pi64, gi, gi64, counts, counts64, grad, Q, M, K, D, accumulate, flag);
    const i64 s = p % gtSamples;
    double sum = 0;
    for (i64 k = threadIdx.x; k < pr.n; k += blockDim.x) {
        i64 q = pair_query(pr, k, p, flag, true);
        if (q < 0 || !first_of_query(pr, k, q, p, flag)) continue;
        const T* pv = pred + ((i64)p * Q + q) * D;
        T* gv = grad + ((i64)p * Q + q) * D;
        for (int d = 0; d < D; d++) {
            double w = cw ? cw[d] : 1.0;
            double acc = 0;
            for (i64 k2 = k; k2 < pr.n; k2++) {
                if (pair_query(pr, k2, p, flag, false) != q) continue;
                i64 g = load_index(gi, gi64, pr.base + k2);
                double diff = (double)pv[d] - (double)target[(s * M + g) * D + d];
                sum += w * fabs(diff);
                acc += scale * w * sign_(diff);
            }
            gv[d] = (T)((double)gv[d] + acc);
        }
    }
    reduce_and_finish(sum, partials, counter, groups, gridDim.x / groups, scale, value);
}

// GIoU over matched pairs: pred normalised (cx, cy, w, h) -> pixel corners, target pixel corners.
template <typename T>
__device__ void matched_giou(const T* pred, const T* target, const void* pi, int pi64, const void* gi, int gi64,
                             const void* counts, int counts64, T* grad, int Q, int M, int K, int gtSamples, int groups,
                             double width, double height, double eps, double scale, int accumulate, double* partials,
                             unsigned* counter, double* value, u64* flag) {
    const int p = blockIdx.x;
    Pairs pr = begin_problem<T>(pi, pi64, gi, gi64, counts, counts64, grad, Q, M, K, 4, accumulate, flag);
    const i64 s = p % gtSamples;
    double sum = 0;
    for (i64 k = threadIdx.x; k < pr.n; k += blockDim.x) {
        i64 q = pair_query(pr, k, p, flag, true);
        if (q < 0 || !first_of_query(pr, k, q, p, flag)) continue;
        const T* pv = pred + ((i64)p * Q + q) * 4;
        T* gv = grad + ((i64)p * Q + q) * 4;
        double cx = pv[0], cy = pv[1], hw = 0.5 * (double)pv[2], hh = 0.5 * (double)pv[3];
        double acc[4] = {0, 0, 0, 0};
        for (i64 k2 = k; k2 < pr.n; k2++) {
            if (pair_query(pr, k2, p, flag, false) != q) continue;
            const T* t = target + (s * M + load_index(gi, gi64, pr.base + k2)) * 4;
            double g[4];
            sum += giou_loss((cx - hw) * width, (cy - hh) * height, (cx + hw) * width, (cy + hh) * height, t[0], t[1],
                             t[2], t[3], eps, g);
            acc[0] += scale * width * (g[0] + g[2]);
            acc[1] += scale * height * (g[1] + g[3]);
            acc[2] += scale * width * 0.5 * (g[2] - g[0]);
            acc[3] += scale * height * 0.5 * (g[3] - g[1]);
        }
        for (int d = 0; d < 4; d++) gv[d] = (T)((double)gv[d] + acc[d]);
    }
    reduce_and_finish(sum, partials, counter, groups, gridDim.x / groups, scale, value);
}

#define CW_PARAMS                                                                                              \
    double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7, double c8, double c9, \
        double c10, double c11, double c12, double c13, double c14, double c15

#define L1_ENTRY(NAME, T)                                                                                          \
    extern "C" __global__ void __launch_bounds__(LOSS_THREADS)                                                     \
        NAME(const T* pred, const T* target, const void* pi, int pi64, const void* gi, int gi64, const void* counts, \
             int counts64, T* grad, int Q, int M, int D, int K, int gtSamples, int groups, int cwMode,               \
             const double* cwDevice, double scale, int accumulate, double* partials, unsigned* counter,              \
             double* value, u64* flag, CW_PARAMS) {                                                                  \
        double cwLocal[MAX_CODE_WEIGHTS] = {c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15};  \
        const double* cw = cwMode == 0 ? nullptr : cwMode == 1 ? cwLocal : cwDevice;                                \
        matched_l1<T>(pred, target, pi, pi64, gi, gi64, counts, counts64, grad, Q, M, D, K, gtSamples, groups, cw,   \
                      scale, accumulate, partials, counter, value, flag);                                            \
    }

L1_ENTRY(loss_matched_l1_f32, float)
L1_ENTRY(loss_matched_l1_f64, double)

#define GIOU_ENTRY(NAME, T)                                                                                          \
    extern "C" __global__ void __launch_bounds__(LOSS_THREADS)                                                       \
        NAME(const T* pred, const T* target, const void* pi, int pi64, const void* gi, int gi64, const void* counts,   \
             int counts64, T* grad, int Q, int M, int K, int gtSamples, int groups, double width, double height,       \
             double eps, double scale, int accumulate, double* partials, unsigned* counter, double* value, u64* flag) { \
        matched_giou<T>(pred, target, pi, pi64, gi, gi64, counts, counts64, grad, Q, M, K, gtSamples, groups, width,   \
                        height, eps, scale, accumulate, partials, counter, value, flag);                               \
    }

GIOU_ENTRY(loss_matched_giou_f32, float)
GIOU_ENTRY(loss_matched_giou_f64, double)
