// DETR matching costs (dev.batchwise.assign.CostMatrices): the CUDA side of CudaCostMatrices.
//
// One launch computes the weighted sum of up to COST_MAX_TERMS cost terms for every problem p
// (all leading prediction batch indices, e.g. decoder layers x samples), query q and GT column m:
//   out[p, q, m] = sum_t term_t(q, m)    for m < count[s], s = p % gtSamples
//   out[p, q, m] = 0                      for m >= count[s]
// in double precision, rounded once to the output type. Block b covers problem b / tiles and a
// tile of `tileQ` queries; the class terms of the tile (one value per query and class) are
// computed once into shared memory, then every (query, column) element of the tile is written by
// consecutive threads along m (coalesced). Element (p, q, m) is written at
// p * outProblemStride + q * outRowStride + m, so several heads can write their costs into one
// padded (problems, R, C) buffer for a single assignment launch. Side outputs (either may be
// null): problemCounts[p] = count[s] and problemRows[p] = Q (int64), the column and row counts that
// LinearAssignment takes.
//
// Errors: a count outside [0, M] reports BW_ERR_VALUE (a = sample, b = -1, c = count, d = M) and
// the sample is treated as empty; a valid GT label outside [0, C) reports BW_ERR_INDEX
// (a = sample, b = GT position, c = label, d = C).
#include <stdint.h>
#include "batchwise.cuh"

typedef long long i64;
typedef unsigned long long u64;

#define COST_MAX_TERMS 7
#define COST_FOCAL 0
#define COST_CLASSIFICATION 1
#define COST_BBOX_L1 2
#define COST_BBOX3D_L1 3
#define COST_IOU 4
#define COST_CENTER_L1 5

// BoxFormat ordinals (BBoxL1 iparam) and IouMode ordinals (IoU iparam).
#define FORMAT_XYXY 0
#define MODE_IOU 0

#define FOCAL_EPS 1e-12
#define OVERLAP_EPS 1e-6

struct CostTerms {
    int n;
    int kind[COST_MAX_TERMS];
    int iparam[COST_MAX_TERMS];
    double weight[COST_MAX_TERMS];
    double a[COST_MAX_TERMS];
    double g[COST_MAX_TERMS];
};

__device__ __forceinline__ i64 load_index(const void* p, int is64, i64 i) {
    return is64 ? ((const i64*)p)[i] : (i64)((const int*)p)[i];
}

__device__ __forceinline__ double cost_sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

__device__ __forceinline__ double cost_pow(double b, double e) {
    return e == 2.0 ? b * b : pow(b, e);
}

// mmdetection FocalLossCost of one logit (before the weight).
__device__ __forceinline__ double focal_cost(double x, double alpha, double gamma) {
    double p = cost_sigmoid(x);
    double neg = -log(1.0 - p + FOCAL_EPS) * (1.0 - alpha) * cost_pow(p, gamma);
    double pos = -log(p + FOCAL_EPS) * alpha * cost_pow(1.0 - p, gamma);
    return pos - neg;
}

// bbox_overlaps of one pair of corner boxes, eps 1e-6.
__device__ __forceinline__ double overlap(double ax1, double ay1, double ax2, double ay2, double bx1, double by1,
                                          double bx2, double by2, int mode) {
    double areaA = (ax2 - ax1) * (ay2 - ay1);
    double areaB = (bx2 - bx1) * (by2 - by1);
    double iw = fmax(fmin(ax2, bx2) - fmax(ax1, bx1), 0.0);
    double ih = fmax(fmin(ay2, by2) - fmax(ay1, by1), 0.0);
    double inter = iw * ih;
    double uni = fmax(areaA + areaB - inter, OVERLAP_EPS);
    double iou = inter / uni;
    if (mode == MODE_IOU) return iou;
    double ew = fmax(fmax(ax2, bx2) - fmin(ax1, bx1), 0.0);
    double eh = fmax(fmax(ay2, by2) - fmin(ay1, by1), 0.0);
    double enclose = fmax(ew * eh, OVERLAP_EPS);
    return iou - (enclose - uni) / enclose;
}

template <typename TI>
__device__ double box_term(const CostTerms& t, int k, const TI* pb, const TI* gb, const TI* pc, const TI* gc,
                           double imgW, double imgH) {
    switch (t.kind[k]) {
        case COST_BBOX_L1: {
            double gx1 = (double)gb[0] / imgW, gy1 = (double)gb[1] / imgH;
            double gx2 = (double)gb[2] / imgW, gy2 = (double)gb[3] / imgH;
            double cx = pb[0], cy = pb[1], bw = pb[2], bh = pb[3];
            double v;
            if (t.iparam[k] == FORMAT_XYXY) {
                v = fabs(cx - 0.5 * bw - gx1) + fabs(cy - 0.5 * bh - gy1) + fabs(cx + 0.5 * bw - gx2)
                    + fabs(cy + 0.5 * bh - gy2);
            } else {
                v = fabs(cx - (gx1 + gx2) / 2) + fabs(cy - (gy1 + gy2) / 2) + fabs(bw - (gx2 - gx1))
                    + fabs(bh - (gy2 - gy1));
            }
            return t.weight[k] * v;
        }
        case COST_BBOX3D_L1: {
            double v = 0;
            for (int i = 0; i < t.iparam[k]; i++) v += fabs((double)pb[i] - (double)gb[i]);
            return t.weight[k] * v;
        }
        case COST_IOU: {
            double cx = pb[0], cy = pb[1], bw = pb[2], bh = pb[3];
            double o = overlap((cx - 0.5 * bw) * imgW, (cy - 0.5 * bh) * imgH, (cx + 0.5 * bw) * imgW,
                               (cy + 0.5 * bh) * imgH, gb[0], gb[1], gb[2], gb[3], t.iparam[k]);
            return -t.weight[k] * o;
        }
        case COST_CENTER_L1:
            return t.weight[k] * (fabs((double)pc[0] - (double)gc[0] / imgW) + fabs((double)pc[1] - (double)gc[1] / imgH));
        default:
            return 0.0;
    }
}

// Weighted sum of the class terms of one logit x of a row with softmax max `mx` and sum `sum`.
__device__ __forceinline__ double class_terms(const CostTerms& t, double x, double mx, double sum) {
    double c = 0;
    for (int k = 0; k < t.n; k++) {
        if (t.kind[k] == COST_FOCAL) {
            c += t.weight[k] * focal_cost(x, t.a[k], t.g[k]);
        } else if (t.kind[k] == COST_CLASSIFICATION) {
            c -= t.weight[k] * (exp(x - mx) / sum);
        }
    }
    return c;
}

template <typename TI>
__device__ void row_softmax_stats(const TI* row, int C, double* mx, double* sum) {
    double m = -INFINITY;
    for (int c = 0; c < C; c++) m = fmax(m, (double)row[c]);
    double s = 0;
    for (int c = 0; c < C; c++) s += exp((double)row[c] - m);
    *mx = m;
    *sum = s;
}

template <typename TI, typename TO>
__device__ void weighted_costs(const TI* logits, const TI* predBoxes, const TI* predCenters, const void* labels,
                               int labels64, const TI* gtBoxes, const TI* gtCenters, const void* counts, int counts64,
                               TO* out, i64 outProblemStride, i64 outRowStride, i64* problemCounts, i64* problemRows,
                               int gtSamples, int Q, int M, int C, int D, int E, double imgW, double imgH,
                               const CostTerms& t, int sharedClass, int tileQ, int accumulate, u64* flag) {
    int hasClass = 0, softmax = 0;
    for (int k = 0; k < t.n; k++) {
        hasClass |= t.kind[k] == COST_FOCAL || t.kind[k] == COST_CLASSIFICATION;
        softmax |= t.kind[k] == COST_CLASSIFICATION;
    }
    extern __shared__ double smem[];
    const int tiles = (Q + tileQ - 1) / tileQ;
    const int p = blockIdx.x / tiles;
    const int q0 = (blockIdx.x % tiles) * tileQ;
    const int nq = min(tileQ, Q - q0);
    const int s = p % gtSamples;
    i64 n = load_index(counts, counts64, s);
    if (n < 0 || n > M) {
        if (threadIdx.x == 0 && p < gtSamples && q0 == 0) bw_report_error(flag, BW_ERR_VALUE, s, -1, n, M);
        n = 0;
    }
    if (q0 == 0 && threadIdx.x == 0) {
        if (problemCounts) problemCounts[p] = n;
        if (problemRows) problemRows[p] = Q;
    }

    double* cls = smem;                                 // tileQ x C class costs
    double* stats = smem + (sharedClass ? tileQ * C : 0);  // tileQ x 2 softmax max and sum
    if (hasClass) {
        if (softmax) {
            for (int i = threadIdx.x; i < nq; i += blockDim.x) {
                row_softmax_stats(logits + ((i64)p * Q + q0 + i) * C, C, &stats[2 * i], &stats[2 * i + 1]);
            }
            __syncthreads();
        }
        if (sharedClass) {
            for (int i = threadIdx.x; i < nq * C; i += blockDim.x) {
                int ql = i / C;
                double x = logits[((i64)p * Q + q0) * C + i];
                cls[i] = class_terms(t, x, softmax ? stats[2 * ql] : 0.0, softmax ? stats[2 * ql + 1] : 1.0);
            }
            __syncthreads();
        }
    }
    const i64 gtBase = (i64)s * M;
    for (int i = threadIdx.x; i < nq * M; i += blockDim.x) {
        int ql = i / M;
        int j = i - ql * M;
        int q = q0 + ql;
        i64 o = (i64)p * outProblemStride + (i64)q * outRowStride + j;
        if (j >= n) {
            if (!accumulate) out[o] = (TO)0;
            continue;
        }
        double cost = 0;
        if (hasClass) {
            i64 label = load_index(labels, labels64, gtBase + j);
            if (label < 0 || label >= C) {
                if (p < gtSamples && ql == 0 && q0 == 0) bw_report_error(flag, BW_ERR_INDEX, s, j, label, C);
                cost = NAN;
            } else if (sharedClass) {
                cost = cls[ql * C + label];
            } else {
                double mx = 0, sum = 1;
                const TI* row = logits + ((i64)p * Q + q) * C;
                if (softmax) row_softmax_stats(row, C, &mx, &sum);
                cost = class_terms(t, (double)row[label], mx, sum);
            }
        }
        const TI* pb = predBoxes ? predBoxes + ((i64)p * Q + q) * D : nullptr;
        const TI* gb = gtBoxes ? gtBoxes + (gtBase + j) * E : nullptr;
        const TI* pc = predCenters ? predCenters + ((i64)p * Q + q) * 2 : nullptr;
        const TI* gc = gtCenters ? gtCenters + (gtBase + j) * 2 : nullptr;
        for (int k = 0; k < t.n; k++) {
            if (t.kind[k] >= COST_BBOX_L1) cost += box_term(t, k, pb, gb, pc, gc, imgW, imgH);
        }
        out[o] = accumulate ? (TO)((double)out[o] + cost) : (TO)cost;
    }
}

#define COST_TERM_PARAMS(i) int kind##i, int ip##i, double w##i, double a##i, double g##i
#define COST_SET_TERM(i) \
    t.kind[i] = kind##i; t.iparam[i] = ip##i; t.weight[i] = w##i; t.a[i] = a##i; t.g[i] = g##i;

#define COST_ENTRY(NAME, TI, TO)                                                                                    \
    extern "C" __global__ void NAME(const TI* logits, const TI* predBoxes, const TI* predCenters,                  \
                                    const void* labels, int labels64, const TI* gtBoxes, const TI* gtCenters,      \
                                    const void* counts, int counts64, TO* out, i64 outProblemStride,               \
                                    i64 outRowStride, i64* problemCounts, i64* problemRows, int gtSamples, int Q,   \
                                    int M, int C, int D, int E, double imgW, double imgH, int sharedClass,          \
                                    int tileQ, int accumulate, u64* flag, int nTerms,                              \
                                    COST_TERM_PARAMS(0), COST_TERM_PARAMS(1), COST_TERM_PARAMS(2),                 \
                                    COST_TERM_PARAMS(3), COST_TERM_PARAMS(4), COST_TERM_PARAMS(5),                 \
                                    COST_TERM_PARAMS(6)) {                                                         \
        CostTerms t;                                                                                                \
        t.n = nTerms;                                                                                               \
        COST_SET_TERM(0) COST_SET_TERM(1) COST_SET_TERM(2) COST_SET_TERM(3) COST_SET_TERM(4) COST_SET_TERM(5)     \
        COST_SET_TERM(6)                                                                                            \
        weighted_costs<TI, TO>(logits, predBoxes, predCenters, labels, labels64, gtBoxes, gtCenters, counts,       \
                               counts64, out, outProblemStride, outRowStride, problemCounts, problemRows,          \
                               gtSamples, Q, M, C, D, E, imgW, imgH, t, sharedClass, tileQ, accumulate, flag);     \
    }

COST_ENTRY(costs_weighted_f32, float, float)
COST_ENTRY(costs_weighted_f64, double, double)
COST_ENTRY(costs_weighted_f32_acc64, float, double)
