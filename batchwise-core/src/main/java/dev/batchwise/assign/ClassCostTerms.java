package dev.batchwise.assign;

import dev.batchwise.cpu.DoubleBuffers;
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
    private static final DoubleBuffers BUF = new DoubleBuffers(5);

    private ClassCostTerms() {}

    /**
     * {@code out[i] += weight * focalCost(x[i], alpha, gamma)} for {@code i < n}, in passes over
     * {@link VectorMath} (reproducible bits, whatever the JIT has compiled: costs decide assignments,
     * which must be identical between the batched step and the per-sample baseline). Every element
     * goes through the same operations, so no bit depends on the element's position.
     */
    static void addFocal(double[] x, int n, double weight, double alpha, double gamma, double[] out) {
        double[][] buf = BUF.all(n);
        double[] logQ = buf[0];
        double[] logP = buf[1];
        double[] p = buf[2];
        double[] powQ = buf[3];
        double[] powP = buf[4];
        for (int i = 0; i < n; i++) {
            logQ[i] = -Math.abs(x[i]);
        }
        VectorMath.exp(logQ, logQ, n); // e = exp(-|x|)
        VectorSpecies<Double> s = VectorMath.S;
        for (int i = 0; i < n; i += s.length()) {
            VectorMask<Double> m = s.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(s, x, i, m);
            DoubleVector e = DoubleVector.fromArray(s, logQ, i, m);
            DoubleVector inv = DoubleVector.broadcast(s, 1.0).div(e.add(1.0));
            DoubleVector pv = e.mul(inv).blend(inv, v.compare(VectorOperators.GE, 0.0)); // sigmoid(x)
            DoubleVector qv = DoubleVector.broadcast(s, 1.0).sub(pv);
            pv.intoArray(p, i, m);
            qv.intoArray(powQ, i, m);
            qv.add(EPS).intoArray(logQ, i, m);
            pv.add(EPS).intoArray(logP, i, m);
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
