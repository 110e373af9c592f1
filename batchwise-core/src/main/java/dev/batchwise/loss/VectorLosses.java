package dev.batchwise.loss;

import dev.batchwise.cpu.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised (Vector API) value-and-gradient loops of the element-wise losses whose cost is in
 * their transcendental functions: sigmoid focal loss and Gaussian focal loss. Each loop handles a
 * block of {@code n} elements held in {@code double[]}s and returns the block's (unscaled) loss sum;
 * the tail that does not fill a vector is a masked vector, so every position takes the same path.
 * Transcendentals come from {@link VectorMath}, whose bits do not depend on JIT state (the Vector
 * API's own EXP/LOG differ before and after C2 compiles them).
 */
final class VectorLosses {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorLosses() {}

    /**
     * Sigmoid focal loss: {@code sum_i rowWeight[i] * focal(x[i], target[i] == 1)} and
     * {@code grad[i] = scale * rowWeight[i] * dfocal/dx}. {@code weight} may be null (all 1).
     */
    static double focal(double[] x, double[] target, double[] weight, int n, double alpha, double gamma,
                        double scale, double[] grad) {
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        for (; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector e = VectorMath.exp(v.abs().neg());
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
            DoubleVector ei = e.mul(inv);
            VectorMask<Double> nonNeg = v.compare(VectorOperators.GE, 0.0);
            VectorMask<Double> nonPos = v.compare(VectorOperators.LE, 0.0);
            DoubleVector p = ei.blend(inv, nonNeg);     // sigmoid(x)
            DoubleVector q = ei.blend(inv, nonPos);     // sigmoid(-x)
            DoubleVector l1p = VectorMath.log1p(e);
            DoubleVector spPos = v.max(0.0).add(l1p);   // softplus(x)
            DoubleVector spNeg = v.neg().max(0.0).add(l1p); // softplus(-x)
            VectorMask<Double> pos = DoubleVector.fromArray(S, target, i, m).compare(VectorOperators.EQ, 1.0);
            // positive: a = sigmoid(-x), b = sigmoid(x), sp = softplus(-x), value  alpha a^g sp,
            //           grad -alpha a^g (g b sp + a); negative: a = p, b = q, sp = softplus(x), (1 - alpha), +
            DoubleVector a = p.blend(q, pos);
            DoubleVector b = q.blend(p, pos);
            DoubleVector sp = spPos.blend(spNeg, pos);
            DoubleVector coef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, -alpha), pos);
            DoubleVector ag = VectorMath.pow(a, gamma);
            DoubleVector valueCoef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, alpha), pos);
            DoubleVector value = ag.mul(sp).mul(valueCoef);
            DoubleVector g = coef.mul(ag).mul(b.mul(sp).mul(gamma).add(a));
            if (weight != null) {
                DoubleVector w = DoubleVector.fromArray(S, weight, i, m);
                value = value.mul(w);
                g = g.mul(w);
            }
            acc = acc.add(value, m);
            g.mul(scale).intoArray(grad, i, m);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        return sum;
    }

    /**
     * Gaussian focal loss on {@code p = clipSigmoid(x)} (logits) or {@code p = x}: returns the sum
     * of the values and writes {@code grad[i] = scale * dloss/dx}.
     */
    static double gaussianFocal(double[] x, double[] t, int n, boolean logits, double alpha, double gamma,
                                double scale, double[] grad) {
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        for (; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector tv = DoubleVector.fromArray(S, t, i, m);
            DoubleVector p = v;
            DoubleVector dpdx = DoubleVector.broadcast(S, 1.0);
            if (logits) {
                DoubleVector e = VectorMath.exp(v.abs().neg());
                DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
                DoubleVector ei = e.mul(inv);
                DoubleVector sig = ei.blend(inv, v.compare(VectorOperators.GE, 0.0));
                DoubleVector sigNeg = ei.blend(inv, v.compare(VectorOperators.LE, 0.0));
                VectorMask<Double> inside = sig.compare(VectorOperators.GE, LossMath.CLIP_EPS)
                        .and(sig.compare(VectorOperators.LE, 1 - LossMath.CLIP_EPS));
                p = sig.max(LossMath.CLIP_EPS).min(1 - LossMath.CLIP_EPS);
                dpdx = DoubleVector.zero(S).blend(sig.mul(sigNeg), inside);
            }
            DoubleVector oneMinusP = DoubleVector.broadcast(S, 1.0).sub(p);
            DoubleVector logNeg = VectorMath.log(oneMinusP.add(LossMath.GAUSSIAN_EPS));
            DoubleVector pa = pow(p, alpha);
            DoubleVector pa1 = pow(p, alpha - 1);
            DoubleVector nw = pow(DoubleVector.broadcast(S, 1.0).sub(tv), gamma);
            DoubleVector value = logNeg.neg().mul(pa).mul(nw);
            DoubleVector d = nw.mul(pa.div(oneMinusP.add(LossMath.GAUSSIAN_EPS)).sub(logNeg.mul(pa1).mul(alpha)));
            VectorMask<Double> centre = tv.compare(VectorOperators.EQ, 1.0);
            if (centre.anyTrue()) {
                DoubleVector logPos = VectorMath.log(p.add(LossMath.GAUSSIAN_EPS));
                DoubleVector qa = pow(oneMinusP, alpha);
                DoubleVector qa1 = pow(oneMinusP, alpha - 1);
                value = value.add(logPos.neg().mul(qa), centre);
                d = d.add(qa.neg().div(p.add(LossMath.GAUSSIAN_EPS)).add(logPos.mul(qa1).mul(alpha)), centre);
            }
            acc = acc.add(value, m);
            DoubleVector g = d.mul(dpdx).mul(scale);
            DoubleVector.zero(S).blend(g, dpdx.compare(VectorOperators.NE, 0.0)).intoArray(grad, i, m);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        return sum;
    }

    private static DoubleVector pow(DoubleVector b, double e) {
        return VectorMath.pow(b, e);
    }
}
