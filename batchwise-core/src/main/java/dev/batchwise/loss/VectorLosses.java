package dev.batchwise.loss;

import dev.batchwise.cpu.DoubleBuffers;
import dev.batchwise.cpu.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised (Vector API) value-and-gradient loops of the element-wise losses whose cost is in
 * their transcendental functions: sigmoid focal loss and Gaussian focal loss. Each loop handles a
 * block of {@code n} elements held in {@code double[]}s and returns the block's (unscaled) loss sum.
 * The work is a few passes over the block (the transcendentals through {@link VectorMath}, whose bits
 * do not depend on JIT state, then one combining loop), with intermediate values in per-thread
 * buffers; every element goes through the same operations whatever its position, and the sum is
 * added in a fixed order (lane-wise, then the lanes in index order), so a block's result is
 * reproducible bit for bit.
 */
final class VectorLosses {
    private static final VectorSpecies<Double> S = VectorMath.S;
    private static final DoubleBuffers BUF = new DoubleBuffers(11); // focal uses 6, Gaussian focal all
    private static final ThreadLocal<int[]> CENTRES = ThreadLocal.withInitial(() -> new int[0]);

    private VectorLosses() {}

    /**
     * Sigmoid focal loss: {@code sum_i rowWeight[i] * focal(x[i], target[i] == 1)} and
     * {@code grad[i] = scale * rowWeight[i] * dfocal/dx}. {@code weight} may be null (all 1).
     */
    static double focal(double[] x, double[] target, double[] weight, int n, double alpha, double gamma,
                        double scale, double[] grad) {
        double[][] buf = BUF.all(n);
        double[] e = buf[0];
        double[] l1p = buf[1];
        double[] a = buf[2];
        double[] b = buf[3];
        double[] ag = buf[4];
        double[] corr = buf[5];
        for (int i = 0; i < n; i++) {
            e[i] = -Math.abs(x[i]);
        }
        VectorMath.exp(e, e, n);       // e = exp(-|x|)
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector ev = DoubleVector.fromArray(S, e, i, m);
            DoubleVector u = ev.add(1.0);
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(u);
            DoubleVector ei = ev.mul(inv);
            DoubleVector p = ei.blend(inv, v.compare(VectorOperators.GE, 0.0));     // sigmoid(x)
            DoubleVector q = ei.blend(inv, v.compare(VectorOperators.LE, 0.0));     // sigmoid(-x)
            VectorMask<Double> pos = DoubleVector.fromArray(S, target, i, m).compare(VectorOperators.EQ, 1.0);
            // positive: a = sigmoid(-x), b = sigmoid(x); negative: a = sigmoid(x), b = sigmoid(-x)
            p.blend(q, pos).intoArray(a, i, m);
            q.blend(p, pos).intoArray(b, i, m);
            // softplus(-|x|) = log1p(e) = log(u) + log(1 + c / u) with c = (1 - u) + e the exact
            // rounding error of u = 1 + e (e <= 1); log(1 + c/u) = c/u to far below an ulp, and 1/u
            // is the sigmoid's inv: no division of its own, unlike a general log1p
            u.intoArray(l1p, i, m);
            DoubleVector.broadcast(S, 1.0).sub(u).add(ev).mul(inv).intoArray(corr, i, m);
        }
        VectorMath.log(l1p, l1p, n);
        VectorMath.pow(a, gamma, ag, n);
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector lp = DoubleVector.fromArray(S, l1p, i, m).add(DoubleVector.fromArray(S, corr, i, m));
            VectorMask<Double> pos = DoubleVector.fromArray(S, target, i, m).compare(VectorOperators.EQ, 1.0);
            // value alpha a^g softplus(-x), grad -alpha a^g (g b sp + a) for positives;
            // (1 - alpha) a^g softplus(x) and +(1 - alpha) a^g (g b sp + a) for negatives
            DoubleVector spPos = v.max(0.0).add(lp);         // softplus(x)
            DoubleVector spNeg = v.neg().max(0.0).add(lp);   // softplus(-x)
            DoubleVector sp = spPos.blend(spNeg, pos);
            DoubleVector av = DoubleVector.fromArray(S, a, i, m);
            DoubleVector bv = DoubleVector.fromArray(S, b, i, m);
            DoubleVector agv = DoubleVector.fromArray(S, ag, i, m);
            DoubleVector coef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, -alpha), pos);
            DoubleVector valueCoef = DoubleVector.broadcast(S, 1 - alpha).blend(DoubleVector.broadcast(S, alpha), pos);
            DoubleVector value = agv.mul(sp).mul(valueCoef);
            DoubleVector g = coef.mul(agv).mul(bv.mul(sp).mul(gamma).add(av));
            if (weight != null) {
                DoubleVector w = DoubleVector.fromArray(S, weight, i, m);
                value = value.mul(w);
                g = g.mul(w);
            }
            // lanes past n hold values of the zeros loaded there: drop them (a masked add is not
            // intrinsified by C2 here and boxed every vector)
            acc = acc.add(DoubleVector.zero(S).blend(value, m));
            g.mul(scale).intoArray(grad, i, m);
        }
        return sumLanes(acc);
    }

    /**
     * Gaussian focal loss on {@code p = clipSigmoid(x)} (logits) or {@code p = x}: returns the sum
     * of the values and writes {@code grad[i] = scale * dloss/dx}.
     */
    static double gaussianFocal(double[] x, double[] t, int n, boolean logits, double alpha, double gamma,
                                double scale, double[] grad) {
        double[] p = BUF.get(0, n);
        double[] dpdx = BUF.get(1, n);
        double[] logNeg = BUF.get(2, n);
        double[] pa = BUF.get(3, n);
        double[] pa1 = BUF.get(4, n);
        double[] nw = BUF.get(5, n);
        double[] value = BUF.get(6, n);
        double[] d = BUF.get(7, n);
        if (logits) {
            clipSigmoid(x, n, p, dpdx);
        } else {
            System.arraycopy(x, 0, p, 0, n);
            java.util.Arrays.fill(dpdx, 0, n, 1.0);
        }
        for (int i = 0; i < n; i++) {
            logNeg[i] = (1.0 - p[i]) + LossMath.GAUSSIAN_EPS;
            nw[i] = 1.0 - t[i];
        }
        VectorMath.log(logNeg, logNeg, n);
        VectorMath.pow(p, alpha, pa, n);
        VectorMath.pow(p, alpha - 1, pa1, n);
        VectorMath.pow(nw, gamma, nw, n);
        for (int i = 0; i < n; i++) {
            double omp = 1.0 - p[i];
            value[i] = -logNeg[i] * pa[i] * nw[i];
            d[i] = nw[i] * (pa[i] / (omp + LossMath.GAUSSIAN_EPS) - logNeg[i] * pa1[i] * alpha);
        }
        addCentres(t, n, p, alpha, value, d);
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            acc = acc.add(DoubleVector.fromArray(S, value, i, m)); // zeros past n
            DoubleVector dp = DoubleVector.fromArray(S, dpdx, i, m);
            DoubleVector g = DoubleVector.fromArray(S, d, i, m).mul(dp).mul(scale);
            DoubleVector.zero(S).blend(g, dp.compare(VectorOperators.NE, 0.0)).intoArray(grad, i, m);
        }
        return sumLanes(acc);
    }

    /** {@code p = clamp(sigmoid(x), eps, 1 - eps)} and its derivative (0 where clamped), mmdet3d's clip_sigmoid. */
    private static void clipSigmoid(double[] x, int n, double[] p, double[] dpdx) {
        for (int i = 0; i < n; i++) {
            p[i] = -Math.abs(x[i]);
        }
        VectorMath.exp(p, p, n);
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector e = DoubleVector.fromArray(S, p, i, m);
            DoubleVector inv = DoubleVector.broadcast(S, 1.0).div(e.add(1.0));
            DoubleVector ei = e.mul(inv);
            DoubleVector sig = ei.blend(inv, v.compare(VectorOperators.GE, 0.0));
            DoubleVector sigNeg = ei.blend(inv, v.compare(VectorOperators.LE, 0.0));
            VectorMask<Double> inside = sig.compare(VectorOperators.GE, LossMath.CLIP_EPS)
                    .and(sig.compare(VectorOperators.LE, 1 - LossMath.CLIP_EPS));
            sig.max(LossMath.CLIP_EPS).min(1 - LossMath.CLIP_EPS).intoArray(p, i, m);
            DoubleVector.zero(S).blend(sig.mul(sigNeg), inside).intoArray(dpdx, i, m);
        }
    }

    /**
     * Adds the positive term at the centres ({@code t == 1}, a few per map): gathered into short
     * runs so that their logs and powers take the same {@link VectorMath} path as everything else.
     */
    private static void addCentres(double[] t, int n, double[] p, double alpha, double[] value, double[] d) {
        int[] at = CENTRES.get();
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == 1.0) {
                if (k == at.length) {
                    at = java.util.Arrays.copyOf(at, Math.max(16, 2 * k));
                    CENTRES.set(at);
                }
                at[k++] = i;
            }
        }
        if (k == 0) {
            return;
        }
        double[] logPos = BUF.get(8, k);
        double[] qa = BUF.get(9, k);
        double[] qa1 = BUF.get(10, k);
        for (int j = 0; j < k; j++) {
            logPos[j] = p[at[j]] + LossMath.GAUSSIAN_EPS;
            qa1[j] = 1.0 - p[at[j]];
        }
        VectorMath.log(logPos, logPos, k);
        VectorMath.pow(qa1, alpha, qa, k);
        VectorMath.pow(qa1, alpha - 1, qa1, k);
        for (int j = 0; j < k; j++) {
            int i = at[j];
            value[i] += -logPos[j] * qa[j];
            d[i] += -qa[j] / (p[i] + LossMath.GAUSSIAN_EPS) + logPos[j] * qa1[j] * alpha;
        }
    }

    /** The lanes of {@code acc} added in index order (a fixed order, unlike {@code reduceLanes}). */
    private static double sumLanes(DoubleVector acc) {
        double[] lanes = acc.toArray();
        double sum = 0;
        for (double v : lanes) {
            sum += v;
        }
        return sum;
    }
}
