package dev.batchwise.assign;

import dev.batchwise.cpu.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The class terms of {@link CostTerm} over a block of logits: {@code out[i] += weight *
 * focalCost(x[i])} with mmdetection's {@code FocalLossCost}, and the softmax
 * {@code ClassificationCost} per row — bit-reproducible whatever the JIT has compiled.
 */
final class ClassCostTerms {
    private static final double EPS = 1e-12; // mmdetection's FocalLossCost eps

    private ClassCostTerms() {}

    /**
     * {@code out[i] += weight * focalCost(x[i], alpha, gamma)} for {@code i < n}, vectorised with
     * {@link VectorMath} (reproducible bits, whatever the JIT has compiled: costs decide assignments,
     * which must be identical between the batched step and the per-sample baseline); the tail is a
     * masked vector, so every position takes the same path.
     */
    static void addFocal(double[] x, int n, double weight, double alpha, double gamma, double[] out) {
        VectorSpecies<Double> s = VectorMath.S;
        for (int i = 0; i < n; i += s.length()) {
            VectorMask<Double> m = s.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(s, x, i, m);
            DoubleVector e = VectorMath.exp(v.abs().neg());
            DoubleVector inv = DoubleVector.broadcast(s, 1.0).div(e.add(1.0));
            DoubleVector p = e.mul(inv).blend(inv, v.compare(VectorOperators.GE, 0.0)); // sigmoid(x)
            DoubleVector q = DoubleVector.broadcast(s, 1.0).sub(p);
            DoubleVector neg = VectorMath.log(q.add(EPS)).neg().mul(1 - alpha).mul(VectorMath.pow(p, gamma));
            DoubleVector pos = VectorMath.log(p.add(EPS)).neg().mul(alpha).mul(VectorMath.pow(q, gamma));
            DoubleVector.fromArray(s, out, i, m).add(pos.sub(neg).mul(weight)).intoArray(out, i, m);
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
