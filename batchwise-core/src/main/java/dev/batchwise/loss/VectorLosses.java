package dev.batchwise.loss;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised (Vector API) value-and-gradient loops of the element-wise losses whose cost is in
 * their transcendental functions: sigmoid focal loss and Gaussian focal loss. Each loop handles a
 * block of {@code n} elements held in {@code double[]}s and returns the block's (unscaled) loss sum;
 * the tail that does not fill a vector uses the scalar {@link LossMath} formulas.
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
        boolean square = gamma == 2.0;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
            DoubleVector ei = e.mul(inv);
            VectorMask<Double> nonNeg = v.compare(VectorOperators.GE, 0.0);
            VectorMask<Double> nonPos = v.compare(VectorOperators.LE, 0.0);
            DoubleVector p = ei.blend(inv, nonNeg);     // sigmoid(x)
            DoubleVector q = ei.blend(inv, nonPos);     // sigmoid(-x)
            DoubleVector l1p = e.lanewise(VectorOperators.LOG1P);
            DoubleVector spPos = v.max(0.0).add(l1p);   // softplus(x)
            DoubleVector spNeg = v.neg().max(0.0).add(l1p); // softplus(-x)
            VectorMask<Double> pos = DoubleVector.fromArray(S, target, i).compare(VectorOperators.EQ, 1.0);
            // positive: a = sigmoid(-x), b = sigmoid(x), sp = softplus(-x), value  alpha a^g sp,
            //           grad -alpha a^g (g b sp + a); negative: a = p, b = q, sp = softplus(x), (1 - alpha), +
            DoubleVector a = p.blend(q, pos);
            DoubleVector b = q.blend(p, pos);
            DoubleVector sp = spPos.blend(spNeg, pos);
            DoubleVector coef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, -alpha), pos);
            DoubleVector ag = square ? a.mul(a) : a.lanewise(VectorOperators.POW, gamma);
            DoubleVector valueCoef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, alpha), pos);
            DoubleVector value = ag.mul(sp).mul(valueCoef);
            DoubleVector g = coef.mul(ag).mul(b.mul(sp).mul(gamma).add(a));
            if (weight != null) {
                DoubleVector w = DoubleVector.fromArray(S, weight, i);
                value = value.mul(w);
                g = g.mul(w);
            }
            acc = acc.add(value);
            g.mul(scale).intoArray(grad, i);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            boolean pos = target[i] == 1.0;
            double w = weight == null ? 1.0 : weight[i];
            sum += w * LossMath.focal(x[i], pos, alpha, gamma);
            grad[i] = scale * w * LossMath.focalGrad(x[i], pos, alpha, gamma);
        }
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
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            DoubleVector tv = DoubleVector.fromArray(S, t, i);
            DoubleVector p = v;
            DoubleVector dpdx = DoubleVector.broadcast(S, 1.0);
            if (logits) {
                DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
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
            DoubleVector logNeg = oneMinusP.add(LossMath.GAUSSIAN_EPS).lanewise(VectorOperators.LOG);
            DoubleVector pa = pow(p, alpha);
            DoubleVector pa1 = pow(p, alpha - 1);
            DoubleVector nw = pow(DoubleVector.broadcast(S, 1.0).sub(tv), gamma);
            DoubleVector value = logNeg.neg().mul(pa).mul(nw);
            DoubleVector d = nw.mul(pa.div(oneMinusP.add(LossMath.GAUSSIAN_EPS)).sub(logNeg.mul(pa1).mul(alpha)));
            VectorMask<Double> centre = tv.compare(VectorOperators.EQ, 1.0);
            if (centre.anyTrue()) {
                DoubleVector logPos = p.add(LossMath.GAUSSIAN_EPS).lanewise(VectorOperators.LOG);
                DoubleVector qa = pow(oneMinusP, alpha);
                DoubleVector qa1 = pow(oneMinusP, alpha - 1);
                value = value.add(logPos.neg().mul(qa), centre);
                d = d.add(qa.neg().div(p.add(LossMath.GAUSSIAN_EPS)).add(logPos.mul(qa1).mul(alpha)), centre);
            }
            acc = acc.add(value);
            DoubleVector g = d.mul(dpdx).mul(scale);
            DoubleVector.zero(S).blend(g, dpdx.compare(VectorOperators.NE, 0.0)).intoArray(grad, i);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double p = logits ? LossMath.clipSigmoid(x[i]) : x[i];
            double dpdx = logits ? LossMath.clipSigmoidGrad(x[i]) : 1.0;
            sum += LossMath.gaussianFocal(p, t[i], alpha, gamma);
            double d = LossMath.gaussianFocalGrad(p, t[i], alpha, gamma);
            grad[i] = dpdx == 0 ? 0.0 : scale * d * dpdx;
        }
        return sum;
    }

    /** {@code b^e} with exact products for the small integer exponents the losses use. */
    private static DoubleVector pow(DoubleVector b, double e) {
        if (e == 0.0) {
            return DoubleVector.broadcast(S, 1.0);
        }
        if (e == 1.0) {
            return b;
        }
        if (e == 2.0) {
            return b.mul(b);
        }
        if (e == 3.0) {
            return b.mul(b).mul(b);
        }
        if (e == 4.0) {
            DoubleVector sq = b.mul(b);
            return sq.mul(sq);
        }
        return b.lanewise(VectorOperators.POW, e);
    }
}
