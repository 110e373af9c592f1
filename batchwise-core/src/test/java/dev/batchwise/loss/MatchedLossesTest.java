package dev.batchwise.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Losses over matched pairs: batch dims (layers, samples), GT shared over layers, ragged pair counts. */
class MatchedLossesTest {
    // 2 layers x 3 samples, Q = 4 queries, M = 3 GT rows, K = 3 pairs max
    static final int L = 2;
    static final int B = 3;
    static final int Q = 4;
    static final int M = 3;
    static final long[] COUNTS = {2, 0, 3, 1, 0, 3}; // sample 1 has no GT; sample 2 matches 3 of 4 queries
    static final long[] PRED = {3, 0, 0, 0, 0, 0, 1, 2, 3, 2, 0, 0, 0, 0, 0, 0, 1, 3};
    static final long[] GT = {1, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 0};

    static MatchedPairs pairs() {
        return new MatchedPairs(Tensor.of(PRED, L, B, 3), Tensor.of(GT, L, B, 3), Tensor.of(COUNTS, L, B));
    }

    @Test
    void l1WithCodeWeightsMatchesPerPairReferenceAndGradient() {
        SplittableRandom r = new SplittableRandom(11);
        int d = 3;
        double[] pred = DenseLossesTest.random(r, L * B * Q * d, -2, 2);
        double[] tgt = DenseLossesTest.random(r, B * M * d, -2, 2);
        double[] cw = {2, 1, 0.5};
        double[] expected = new double[L];
        for (int p = 0; p < L * B; p++) {
            int s = p % B;
            for (int k = 0; k < COUNTS[p]; k++) {
                for (int j = 0; j < d; j++) {
                    expected[p / B] += cw[j] * Math.abs(pred[(p * Q + (int) PRED[p * 3 + k]) * d + j]
                            - tgt[(s * M + (int) GT[p * 3 + k]) * d + j]);
                }
            }
        }
        Reduction red = Reduction.avgFactor(6).keepLeading(1);
        try (Scope sc = Scope.open()) {
            Tensor t = Tensor.of(tgt, B, M, d);
            LossResult res = L1Loss.matched(Tensor.of(pred, L, B, Q, d), t, pairs(), cw, 0.25, red);
            double[] v = res.value().toDoubleArray();
            for (int l = 0; l < L; l++) {
                assertEquals(expected[l] * 0.25 / (6 + Reduction.AVG_FACTOR_EPS), v[l], 1e-12);
            }
            double[] g = res.gradient().toDoubleArray();
            // unmatched queries get no gradient (sample 1 has no GT at all)
            for (int j = 0; j < Q * d; j++) {
                assertEquals(0.0, g[(1 * Q) * d + j]);
            }
            GradientCheck.check(pred, g, x -> sum(L1Loss.matched(Tensor.of(x, L, B, Q, d), t, pairs(), cw, 0.25, red)
                    .value().toDoubleArray()), 1e-6, 1e-9, 1e-6);
        }
    }

    @Test
    void accumulateAddsIntoTheGivenGradient() {
        SplittableRandom r = new SplittableRandom(12);
        double[] pred = DenseLossesTest.random(r, L * B * Q * 2, -1, 1);
        double[] tgt = DenseLossesTest.random(r, B * M * 2, -1, 1);
        try (Scope sc = Scope.open()) {
            Tensor p = Tensor.of(pred, L, B, Q, 2);
            Tensor t = Tensor.of(tgt, B, M, 2);
            double[] plain = L1Loss.matched(p, t, pairs(), null, 1, Reduction.sum()).gradient().toDoubleArray();
            Tensor acc = Tensor.full(0.5, dev.batchwise.tensor.DType.FLOAT64, dev.batchwise.tensor.Device.CPU,
                    L, B, Q, 2);
            LossResult res = L1Loss.matchedAccumulate(acc, p, t, pairs(), null, 1, Reduction.sum());
            double[] got = acc.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(plain[i] + 0.5, got[i], 0);
            }
            assertEquals(acc, res.gradient());
        }
    }

    @Test
    void giouOverPairsEqualsDenseGiouOnConvertedBoxesAndGradientMatches() {
        SplittableRandom r = new SplittableRandom(13);
        double w = 800;
        double h = 320;
        double[] pred = new double[L * B * Q * 4];
        for (int i = 0; i < L * B * Q; i++) {
            pred[i * 4] = 0.2 + 0.6 * r.nextDouble();
            pred[i * 4 + 1] = 0.2 + 0.6 * r.nextDouble();
            pred[i * 4 + 2] = 0.05 + 0.3 * r.nextDouble();
            pred[i * 4 + 3] = 0.05 + 0.3 * r.nextDouble();
        }
        double[] gt = new double[B * M * 4];
        for (int i = 0; i < B * M; i++) {
            double x1 = r.nextDouble() * 600;
            double y1 = r.nextDouble() * 200;
            gt[i * 4] = x1;
            gt[i * 4 + 1] = y1;
            gt[i * 4 + 2] = x1 + 10 + r.nextDouble() * 190;
            gt[i * 4 + 3] = y1 + 10 + r.nextDouble() * 110;
        }
        double expected = 0;
        for (int p = 0; p < L * B; p++) {
            for (int k = 0; k < COUNTS[p]; k++) {
                int pi = (p * Q + (int) PRED[p * 3 + k]) * 4;
                double[] a = {(pred[pi] - pred[pi + 2] / 2) * w, (pred[pi + 1] - pred[pi + 3] / 2) * h,
                    (pred[pi] + pred[pi + 2] / 2) * w, (pred[pi + 1] + pred[pi + 3] / 2) * h};
                double[] b = new double[4];
                System.arraycopy(gt, ((p % B) * M + (int) GT[p * 3 + k]) * 4, b, 0, 4);
                expected += 1 - DenseLossesTest.refGiou(a, b, 0);
            }
        }
        try (Scope sc = Scope.open()) {
            Tensor g = Tensor.of(gt, B, M, 4);
            LossResult res = GIoULoss.matchedCxcywh(Tensor.of(pred, L, B, Q, 4), g, pairs(), w, h, 1e-6, 2.0,
                    Reduction.avgFactor(4));
            assertEquals(expected * 2.0 / (4 + Reduction.AVG_FACTOR_EPS), res.scalar(), 1e-12);
            GradientCheck.check(pred, res.gradient().toDoubleArray(), x -> GIoULoss.matchedCxcywh(
                    Tensor.of(x, L, B, Q, 4), g, pairs(), w, h, 1e-6, 2.0, Reduction.avgFactor(4)).scalar(),
                    1e-7, 1e-7, 1e-5);
        }
    }

    @Test
    void focalOverPairsEqualsFocalOnLabelsBuiltByHand() {
        SplittableRandom r = new SplittableRandom(14);
        int c = 3;
        double[] x = DenseLossesTest.random(r, L * B * Q * c, -3, 3);
        long[] gtLabels = {0, 2, 1, 1, 1, 1, 2, 0, 1};
        long[] labels = new long[L * B * Q];
        java.util.Arrays.fill(labels, c);
        for (int p = 0; p < L * B; p++) {
            for (int k = 0; k < COUNTS[p]; k++) {
                labels[p * Q + (int) PRED[p * 3 + k]] = gtLabels[(p % B) * M + (int) GT[p * 3 + k]];
            }
        }
        try (Scope sc = Scope.open()) {
            Tensor logits = Tensor.of(x, L, B, Q, c);
            LossResult viaPairs = FocalLoss.sigmoidMatched(logits, pairs(), Tensor.of(gtLabels, B, M), 0.25, 2, 2,
                    Reduction.avgFactor(6).keepLeading(1));
            LossResult dense = FocalLoss.sigmoid(logits, Tensor.of(labels, L, B, Q), null, 0.25, 2, 2,
                    Reduction.avgFactor(6).keepLeading(1));
            assertArrayEquals(dense.value().toDoubleArray(), viaPairs.value().toDoubleArray(), 0);
            assertArrayEquals(dense.gradient().toDoubleArray(), viaPairs.gradient().toDoubleArray(), 0);
            assertArrayEquals(labels, MatchedTargets.classLabels(pairs(), Tensor.of(gtLabels, B, M), Q, c)
                    .toLongArray());
        }
    }

    @Test
    void allQueriesMatchedAndBadIndicesAreReported() {
        try (Scope sc = Scope.open()) {
            // one problem, every query matched
            MatchedPairs all = new MatchedPairs(Tensor.of(new long[] {0, 1, 2}, 1, 3), Tensor.of(new long[] {2, 0, 1}, 1, 3),
                    Tensor.of(new long[] {3}, 1));
            Tensor pred = Tensor.of(new double[] {1, 2, 3}, 1, 3, 1);
            Tensor tgt = Tensor.of(new double[] {0, 0, 5}, 1, 3, 1);
            LossResult res = L1Loss.matched(pred, tgt, all, null, 1, Reduction.sum());
            assertEquals(Math.abs(1 - 5) + Math.abs(2 - 0) + Math.abs(3 - 0), res.scalar(), 0);
            assertArrayEquals(new double[] {-1, 1, 1}, res.gradient().toDoubleArray(), 0);
            MatchedPairs bad = new MatchedPairs(Tensor.of(new long[] {0, 3}, 1, 2), Tensor.of(new long[] {0, 0}, 1, 2),
                    Tensor.of(new long[] {2}, 1));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> L1Loss.matched(pred, tgt, bad, null, 1, Reduction.sum()));
            assertEquals("predIndices[0, 1] = 3 is outside [0, 3)", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> L1Loss.matched(pred, tgt, all, null, 1, Reduction.mean()));
        }
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
