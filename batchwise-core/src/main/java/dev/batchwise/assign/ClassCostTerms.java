package dev.batchwise.assign;

import dev.batchwise.cpu.DoubleBuffers;
import dev.batchwise.cpu.VectorMath;

/**
 * The class terms of {@link CostTerm} over a block of logits: {@code out[i] += weight *
 * focalCost(x[i])} with mmdetection's {@code FocalLossCost}, and the softmax
 * {@code ClassificationCost} per row — bit-reproducible whatever the JIT has compiled.
 */
final class ClassCostTerms {
    private static final double EPS = 1e-12; // mmdetection's FocalLossCost eps
    private static final DoubleBuffers BUF = new DoubleBuffers(5);

    private ClassCostTerms() {}

    /**
     * {@code out[i] += weight * focalCost(x[i], alpha, gamma)} for {@code i < n}, in passes over
     * {@link VectorMath} (reproducible bits, whatever the JIT has compiled: costs decide assignments,
     * which must be identical between the batched step and the per-sample baseline). Every element
     * goes through the same operations, so no bit depends on the element's position.
     */
    static void addFocal(double[] x, int n, double weight, double alpha, double gamma, double[] out) {
        double[] logQ = BUF.get(0, n);
        double[] logP = BUF.get(1, n);
        double[] p = BUF.get(2, n);
        double[] powQ = BUF.get(3, n);
        double[] powP = BUF.get(4, n);
        for (int i = 0; i < n; i++) {
            logQ[i] = -Math.abs(x[i]);
        }
        VectorMath.exp(logQ, logQ, n); // e = exp(-|x|)
        for (int i = 0; i < n; i++) {
            double e = logQ[i];
            double inv = 1.0 / (e + 1.0);
            double pi = x[i] >= 0.0 ? inv : e * inv; // sigmoid(x) without overflow
            double qi = 1.0 - pi;
            p[i] = pi;
            powQ[i] = qi;
            logQ[i] = qi + EPS;
            logP[i] = pi + EPS;
        }
        VectorMath.log(logQ, logQ, n);
        VectorMath.log(logP, logP, n);
        VectorMath.pow(powQ, gamma, powQ, n);
        VectorMath.pow(p, gamma, powP, n);
        for (int i = 0; i < n; i++) {
            double neg = -logQ[i] * (1 - alpha) * powP[i];
            double pos = -logP[i] * alpha * powQ[i];
            out[i] += (pos - neg) * weight;
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
