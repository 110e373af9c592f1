package dev.batchwise.assign;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The class terms of {@link CostTerm} over a block of logits, vectorised with the Vector API
 * (exp and log of whole vectors): {@code out[i] += weight * focalCost(x[i])} with mmdetection's
 * {@code FocalLossCost}, and the softmax {@code ClassificationCost} per row.
 */
final class FocalCostVectors {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double EPS = 1e-12;

    private FocalCostVectors() {}

    /** {@code out[i] += weight * focalCost(x[i], alpha, gamma)} for {@code i < n}. */
    static void addFocal(double[] x, int n, double weight, double alpha, double gamma, double[] out) {
        int i = 0;
        boolean square = gamma == 2.0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
            VectorMask<Double> nonNeg = v.compare(VectorOperators.GE, 0.0);
            DoubleVector p = e.mul(inv).blend(inv, nonNeg);
            DoubleVector q = DoubleVector.broadcast(S, 1.0).sub(p);
            DoubleVector pg = square ? p.mul(p) : p.lanewise(VectorOperators.POW, gamma);
            DoubleVector qg = square ? q.mul(q) : q.lanewise(VectorOperators.POW, gamma);
            DoubleVector neg = q.add(EPS).lanewise(VectorOperators.LOG).neg().mul(1 - alpha).mul(pg);
            DoubleVector pos = p.add(EPS).lanewise(VectorOperators.LOG).neg().mul(alpha).mul(qg);
            DoubleVector.fromArray(S, out, i).add(pos.sub(neg).mul(weight)).intoArray(out, i);
        }
        for (; i < n; i++) {
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
