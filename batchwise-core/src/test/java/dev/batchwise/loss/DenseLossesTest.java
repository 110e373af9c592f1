package dev.batchwise.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Element-wise losses against straightforward per-element mmdetection formulas and finite differences. */
class DenseLossesTest {
    private static final double EPS_F32 = Math.ulp(1.0f);

    // ---- references, written as mmdetection writes them (not the stable forms of the library)

    static double refSigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double refBce(double x, double t) {
        // torch's binary_cross_entropy_with_logits
        return Math.max(x, 0) - x * t + Math.log(1 + Math.exp(-Math.abs(x)));
    }

    static double refFocal(double x, double t, double alpha, double gamma) {
        double p = refSigmoid(x);
        double pt = (1 - p) * t + p * (1 - t);
        double fw = (alpha * t + (1 - alpha) * (1 - t)) * Math.pow(pt, gamma);
        return refBce(x, t) * fw;
    }

    static double[] random(SplittableRandom r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    @Test
    void focalMatchesMmdetFormulaWithAvgFactorAndWeights() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 7;
        int c = 5;
        double[] x = random(r, n * c, -4, 4);
        long[] labels = new long[n];
        double[] w = random(r, n, 0.2, 1.5);
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(c + 1); // c = background
        }
        double expected = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                expected += w[i] * refFocal(x[i * c + k], labels[i] == k ? 1 : 0, 0.25, 2.0);
            }
        }
        expected = expected / (3.0 + EPS_F32) * 2.0;
        try (Scope s = Scope.open()) {
            LossResult res = FocalLoss.sigmoid(Tensor.of(x, n, c), Tensor.of(labels, n), Tensor.of(w, n), 0.25, 2.0,
                    2.0, Reduction.avgFactor(3.0));
            assertEquals(expected, res.scalar(), 1e-12 * Math.abs(expected));
            assertArrayEquals(new long[] {1}, res.value().shape());
        }
    }

    /**
     * Every element's value and gradient, over logits from tiny to saturated, against the scalar
     * formulas of LossMath (Math.exp / Math.log1p): the vector kernel's softplus is log(1 + e) plus
     * the rounding correction of 1 + e, which must hold where e is tiny or 1.
     */
    @Test
    void focalElementsMatchScalarFormulasOverTheWholeRange() {
        double[] pts = {0, 1e-300, -1e-300, 1e-12, -1e-12, 1e-6, -1e-6, 0.5, -0.5, 1, -1, 3, -3, 17.5, -17.5, 36, -36,
            40, -40, 300, -300, 700, -700};
        int c = 3;
        int n = pts.length;
        double[] x = new double[n * c];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                x[i * c + k] = pts[i] * (k == 2 ? 0.37 : 1);
            }
            labels[i] = i % (c + 1);
        }
        try (Scope s = Scope.open()) {
            LossResult res = FocalLoss.sigmoid(Tensor.of(x, n, c), Tensor.of(labels, n), null, 0.25, 2.0, 1.0,
                    Reduction.sum());
            double[] g = res.gradient().toDoubleArray();
            double expected = 0;
            for (int i = 0; i < n * c; i++) {
                boolean pos = labels[i / c] == i % c;
                double v = LossMath.focal(x[i], pos, 0.25, 2.0);
                expected += v;
                double d = LossMath.focalGrad(x[i], pos, 0.25, 2.0);
                assertEquals(d, g[i], 1e-14 * Math.abs(d) + 1e-300, "grad at x = " + x[i] + ", positive " + pos);
            }
            assertEquals(expected, res.scalar(), 1e-14 * expected);
        }
    }

    @Test
    void focalGradientMatchesFiniteDifferencesForNonIntegerGamma() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 6;
        int c = 3;
        double[] x = random(r, n * c, -3, 3);
        long[] labels = {0, 1, 2, 3, 1, 3};
        try (Scope s = Scope.open()) {
            Tensor lab = Tensor.of(labels, n);
            double[] g = FocalLoss.sigmoid(Tensor.of(x, n, c), lab, null, 0.3, 1.5, 1.7, Reduction.mean())
                    .gradient().toDoubleArray();
            GradientCheck.check(x, g, v -> FocalLoss.sigmoid(Tensor.of(v, n, c), lab, null, 0.3, 1.5, 1.7,
                    Reduction.mean()).scalar(), 1e-6, 1e-9, 1e-6);
        }
    }

    @Test
    void focalIsFiniteForExtremeLogits() {
        double[] x = {50, -50, 50, -50, 1e4, -1e4};
        long[] labels = {0, 0, 1, 1, 0, 0};
        try (Scope s = Scope.open()) {
            LossResult res = FocalLoss.sigmoid(Tensor.of(x, 6, 1).reshape(6, 1), Tensor.of(labels, 6), null, 0.25,
                    2.0, 1.0, Reduction.sum());
            GradientCheck.assertAllFinite(res.value().toDoubleArray(), "value");
            GradientCheck.assertAllFinite(res.gradient().toDoubleArray(), "gradient");
            // confident and right costs ~nothing; confident and wrong costs ~ alpha * 50 or (1 - alpha) * 50
            double[] v = new double[6];
            for (int i = 0; i < 6; i++) {
                v[i] = LossMath.focal(x[i], labels[i] == 0, 0.25, 2.0);
            }
            assertEquals(0.25 * 50, v[1], 1e-9);
            assertEquals(0.75 * 50, v[2], 1e-9);
            assertEquals(0.0, v[0], 1e-15);
            assertEquals(0.0, v[4], 1e-15);
            assertEquals(0.25 * 1e4, v[5], 1e-6);
        }
    }

    @Test
    void keepLeadingGivesOneValuePerGroupEqualToSeparateCalls() {
        SplittableRandom r = new SplittableRandom(3);
        int layers = 3;
        int n = 4;
        int c = 2;
        double[] x = random(r, layers * n * c, -2, 2);
        long[] labels = new long[layers * n];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(c + 1);
        }
        try (Scope s = Scope.open()) {
            LossResult all = FocalLoss.sigmoid(Tensor.of(x, layers, n, c), Tensor.of(labels, layers, n), null, 0.25,
                    2.0, 2.0, Reduction.avgFactor(5).keepLeading(1));
            assertArrayEquals(new long[] {layers}, all.value().shape());
            double[] grads = all.gradient().toDoubleArray();
            for (int l = 0; l < layers; l++) {
                LossResult one = FocalLoss.sigmoid(Tensor.of(x, layers, n, c).select(0, l),
                        Tensor.of(labels, layers, n).select(0, l), null, 0.25, 2.0, 2.0, Reduction.avgFactor(5));
                assertEquals(one.scalar(), all.value().toDoubleArray()[l], 1e-15);
                double[] g1 = one.gradient().toDoubleArray();
                for (int i = 0; i < g1.length; i++) {
                    assertEquals(g1[i], grads[l * n * c + i], 0);
                }
            }
        }
    }

    @Test
    void focalRejectsLabelsOutsideClassesAndBackground() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new double[4], 2, 2);
            assertThrows(IndexOutOfBoundsException.class, () -> FocalLoss.sigmoid(x, Tensor.of(new long[] {0, 3}, 2),
                    null, 0.25, 2, 1, Reduction.sum()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FocalLoss.sigmoid(x,
                    Tensor.of(new long[] {0, 1, 1}, 3), null, 0.25, 2, 1, Reduction.sum()));
            assertEquals("labels must have shape (2,), got (3,)", e.getMessage());
        }
    }

    @Test
    void qualityFocalMatchesMmdetFormulaAndGradient() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 5;
        int c = 4;
        double[] x = random(r, n * c, -3, 3);
        long[] labels = {2, 4, 0, 3, -1};
        double[] score = random(r, n, 0, 1);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double p = refSigmoid(x[i * c + k]);
                expected += labels[i] == k ? refBce(x[i * c + k], score[i]) * Math.pow(Math.abs(score[i] - p), 2)
                        : refBce(x[i * c + k], 0) * p * p;
            }
        }
        expected /= n; // mean over rows
        try (Scope s = Scope.open()) {
            Tensor lab = Tensor.of(labels, n);
            Tensor sc = Tensor.of(score, n);
            LossResult res = QualityFocalLoss.sigmoid(Tensor.of(x, n, c), lab, sc, null, 2.0, 1.0, Reduction.mean());
            assertEquals(expected, res.scalar(), 1e-12);
            GradientCheck.check(x, res.gradient().toDoubleArray(), v -> QualityFocalLoss.sigmoid(Tensor.of(v, n, c),
                    lab, sc, null, 2.0, 1.0, Reduction.mean()).scalar(), 1e-6, 1e-9, 1e-6);
            LossResult ext = QualityFocalLoss.sigmoid(Tensor.of(new double[] {50, -50, -50, 50}, 2, 2),
                    Tensor.of(new long[] {0, 1}, 2), Tensor.of(new double[] {0.5, 1.0}, 2), null, 2.0, 1.0,
                    Reduction.sum());
            GradientCheck.assertAllFinite(ext.value().toDoubleArray(), "value");
            GradientCheck.assertAllFinite(ext.gradient().toDoubleArray(), "gradient");
        }
    }

    @Test
    void binaryCrossEntropyMatchesTorchFormulaAndGradient() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 9;
        double[] x = random(r, n, -5, 5);
        double[] t = random(r, n, 0, 1);
        double[] w = random(r, n, 0, 2);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            expected += w[i] * refBce(x[i], t[i]);
        }
        try (Scope s = Scope.open()) {
            Tensor tt = Tensor.of(t, 3, 3);
            Tensor wt = Tensor.of(w, 3, 3);
            LossResult res = BinaryCrossEntropyLoss.withLogits(Tensor.of(x, 3, 3), tt, wt, 0.5, Reduction.mean());
            assertEquals(expected / n * 0.5, res.scalar(), 1e-12);
            GradientCheck.check(x, res.gradient().toDoubleArray(), v -> BinaryCrossEntropyLoss.withLogits(
                    Tensor.of(v, 3, 3), tt, wt, 0.5, Reduction.mean()).scalar(), 1e-6, 1e-9, 1e-6);
            LossResult ext = BinaryCrossEntropyLoss.withLogits(Tensor.of(new double[] {50, -50, 1e5}, 3),
                    Tensor.of(new double[] {0, 1, 0}, 3), null, 1, Reduction.sum());
            assertEquals(50 + 50 + 1e5, ext.scalar(), 1e-9);
        }
    }

    @Test
    void gaussianFocalMatchesMmdetFormulaOnProbabilities() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 12;
        double[] p = random(r, n, 0.01, 0.99);
        double[] t = random(r, n, 0, 1);
        t[0] = 1.0;
        t[5] = 1.0;
        t[7] = 0.0;
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double pos = t[i] == 1.0 ? -Math.log(p[i] + 1e-12) * Math.pow(1 - p[i], 2) : 0;
            double neg = -Math.log(1 - p[i] + 1e-12) * Math.pow(p[i], 2) * Math.pow(1 - t[i], 4);
            expected += pos + neg;
        }
        try (Scope s = Scope.open()) {
            Tensor tt = Tensor.of(t, 3, 4);
            LossResult res = GaussianFocalLoss.forward(Tensor.of(p, 3, 4), tt, 2, 4, 1.0, Reduction.avgFactor(2));
            assertEquals(expected / (2 + EPS_F32), res.scalar(), 1e-12);
            GradientCheck.check(p, res.gradient().toDoubleArray(), v -> GaussianFocalLoss.forward(Tensor.of(v, 3, 4),
                    tt, 2, 4, 1.0, Reduction.avgFactor(2)).scalar(), 1e-7, 1e-8, 1e-6);
        }
    }

    @Test
    void gaussianFocalOnLogitsClipsLikeClipSigmoid() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 10;
        double[] x = random(r, n, -4, 4);
        x[2] = 50; // clipped: p = 1 - 1e-4, no gradient
        x[3] = -50;
        double[] t = random(r, n, 0, 1);
        t[1] = 1.0;
        t[2] = 1.0;
        try (Scope s = Scope.open()) {
            Tensor tt = Tensor.of(t, n);
            LossResult res = GaussianFocalLoss.fromLogits(Tensor.of(x, n), tt, 2, 4, 1.0, Reduction.sum());
            double expected = 0;
            for (int i = 0; i < n; i++) {
                double p = Math.min(Math.max(refSigmoid(x[i]), 1e-4), 1 - 1e-4);
                expected += LossMath.gaussianFocal(p, t[i], 2, 4);
            }
            assertEquals(expected, res.scalar(), 1e-12);
            double[] g = res.gradient().toDoubleArray();
            assertEquals(0.0, g[2]);
            assertEquals(0.0, g[3]);
            GradientCheck.check(x, g, v -> GaussianFocalLoss.fromLogits(Tensor.of(v, n), tt, 2, 4, 1.0,
                    Reduction.sum()).scalar(), 1e-6, 1e-8, 1e-6);
        }
    }

    @Test
    void denseGiouMatchesMmdetOverlapsAndGradient() {
        double[] a = {0, 0, 10, 10, 2, 3, 8, 9, 0, 0, 4, 4};
        double[] b = {5, 5, 15, 15, 1, 1, 6, 7, 10, 10, 14, 13};
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = 1 - refGiou(a, b, i * 4);
        }
        try (Scope s = Scope.open()) {
            Tensor tb = Tensor.of(b, 3, 4);
            LossResult res = GIoULoss.forward(Tensor.of(a, 3, 4), tb, null, 1e-6, 2.0, Reduction.sum());
            assertEquals(2.0 * (expected[0] + expected[1] + expected[2]), res.scalar(), 1e-12);
            GradientCheck.check(a, res.gradient().toDoubleArray(), v -> GIoULoss.forward(Tensor.of(v, 3, 4), tb, null,
                    1e-6, 2.0, Reduction.sum()).scalar(), 1e-6, 1e-8, 1e-6);
        }
    }

    @Test
    void giouOfDegenerateZeroAreaBoxesIsFinite() {
        double[] a = {3, 3, 3, 3, 0, 0, 0, 5, 1, 1, 1, 1};
        double[] b = {3, 3, 3, 3, 1, 1, 4, 1, 5, 5, 6, 6};
        try (Scope s = Scope.open()) {
            LossResult res = GIoULoss.forward(Tensor.of(a, 3, 4), Tensor.of(b, 3, 4), null, 1e-6, 1.0,
                    Reduction.sum());
            GradientCheck.assertAllFinite(res.gradient().toDoubleArray(), "gradient");
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                expected += 1 - refGiou(a, b, i * 4);
            }
            assertEquals(expected, res.scalar(), 1e-9);
            assertEquals(1.0, 1 - refGiou(a, b, 0), 0); // identical points: IoU 0, enclose = union = eps
        }
    }

    /** mmdet bbox_overlaps(mode='giou', is_aligned=True, eps=1e-6) for rows at {@code i}. */
    static double refGiou(double[] a, double[] b, int i) {
        double area1 = (a[i + 2] - a[i]) * (a[i + 3] - a[i + 1]);
        double area2 = (b[i + 2] - b[i]) * (b[i + 3] - b[i + 1]);
        double w = Math.max(0, Math.min(a[i + 2], b[i + 2]) - Math.max(a[i], b[i]));
        double h = Math.max(0, Math.min(a[i + 3], b[i + 3]) - Math.max(a[i + 1], b[i + 1]));
        double overlap = w * h;
        double union = Math.max(area1 + area2 - overlap, 1e-6);
        double ew = Math.max(0, Math.max(a[i + 2], b[i + 2]) - Math.min(a[i], b[i]));
        double eh = Math.max(0, Math.max(a[i + 3], b[i + 3]) - Math.min(a[i + 1], b[i + 1]));
        double enclose = Math.max(ew * eh, 1e-6);
        return overlap / union - (enclose - union) / enclose;
    }
}
