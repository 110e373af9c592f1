package dev.batchwise.assign;

/**
 * The class terms of {@link CostTerm} over a block of logits: {@code out[i] += weight *
 * focalCost(x[i])} with mmdetection's {@code FocalLossCost}, and the softmax
 * {@code ClassificationCost} per row — bit-reproducible whatever the JIT has compiled.
 */
final class ClassCostTerms {
    private ClassCostTerms() {}

    /**
     * {@code out[i] += weight * focalCost(x[i], alpha, gamma)} for {@code i < n}.
     *
     * <p>Scalar on purpose: the Vector API's lanewise EXP/LOG give different bits before and after
     * C2 compiles them (Java fallback vs SVML intrinsic), so a cost value would depend on JIT state
     * and on whether it fell in a vector or the tail — and costs decide assignments, which must be
     * identical between the batched step and the per-sample baseline. {@code Math.exp}/{@code log}
     * give the same bits in interpreted and compiled code.
     */
    static void addFocal(double[] x, int n, double weight, double alpha, double gamma, double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] += weight * CpuCostMatrices.focalCost(x[i], alpha, gamma);
        }
    }

    /** {@code out[r*c + k] -= weight * softmax(x[r*c ..])[k]} for rows {@code r < rows}. */
    static void addClassification(double[] x, int rows, int c, double weight, double[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, x[base + k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(x[base + k] - max);
            }
            for (int k = 0; k < c; k++) {
                out[base + k] -= weight * (Math.exp(x[base + k] - max) / sum);
            }
        }
    }
}
