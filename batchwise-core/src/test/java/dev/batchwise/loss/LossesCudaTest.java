package dev.batchwise.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss on CUDA against the CPU implementation: values (relative 1e-10) and gradients
 * (float32 ulps, or 1e-12 in float64), with reduction groups, weights, gradient accumulation and
 * index dtypes varied; bad indices are reported when a result is read.
 */
class LossesCudaTest {
    static final int L = 2;
    static final int B = 3;
    static final int Q = 300;
    static final int C = 6;
    static final int M = 5;
    static final int K = 5;

    /** Runs {@code loss} on CPU inputs and on their copies on {@code device} and compares. */
    static void agree(Device device, List<Tensor> cpuInputs, Function<List<Tensor>, LossResult> loss, String what) {
        LossResult a = loss.apply(cpuInputs);
        LossResult b = loss.apply(cpuInputs.stream().map(t -> t == null ? null : t.to(device)).toList());
        assertEquals(device, b.value().device(), what);
        assertEquals(device, b.gradient().device(), what);
        double[] va = a.value().toDoubleArray();
        double[] vb = b.value().toDoubleArray();
        assertArrayEquals(a.value().shape(), b.value().shape(), what);
        for (int i = 0; i < va.length; i++) {
            assertEquals(va[i], vb[i], 1e-10 * Math.max(1e-3, Math.abs(va[i])), what + " value " + i);
        }
        double[] ga = a.gradient().toDoubleArray();
        double[] gb = b.gradient().toDoubleArray();
        double scale = 0;
        for (double g : ga) {
            scale = Math.max(scale, Math.abs(g));
        }
        double tol = (a.gradient().dtype() == DType.FLOAT32 ? 1e-6 : 1e-12) * Math.max(scale, 1e-30);
        for (int i = 0; i < ga.length; i++) {
            assertEquals(ga[i], gb[i], tol, what + " gradient " + i);
        }
    }

    static Tensor randn(SplittableRandom r, DType dtype, double sd, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * sd;
        }
        return Tensor.of(v, shape).to(dtype);
    }

    static Tensor uniform(SplittableRandom r, DType dtype, double lo, double hi, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Tensor.of(v, shape).to(dtype);
    }

    /** Pairs (L, B, K) with distinct queries per problem (or a repeated query when asked). */
    static MatchedPairs pairs(SplittableRandom r, boolean int32, boolean repeat) {
        long[] pred = new long[L * B * K];
        long[] gt = new long[L * B * K];
        long[] counts = new long[L * B];
        for (int p = 0; p < L * B; p++) {
            counts[p] = p % B == 1 ? 0 : r.nextInt(1, K + 1);
            for (int k = 0; k < K; k++) {
                pred[p * K + k] = k < counts[p] ? 7 * k + r.nextInt(7) : -1;
                gt[p * K + k] = k < counts[p] ? r.nextInt(M) : -1;
            }
            if (repeat && counts[p] >= 3) {
                pred[p * K + 2] = pred[p * K];
            }
        }
        Tensor a = Tensor.of(pred, L, B, K);
        Tensor b = Tensor.of(gt, L, B, K);
        Tensor c = Tensor.of(counts, L, B);
        return int32 ? new MatchedPairs(a.to(DType.INT32), b.to(DType.INT32), c.to(DType.INT32))
                : new MatchedPairs(a, b, c);
    }

    static MatchedPairs on(MatchedPairs p, Device d) {
        return new MatchedPairs(p.predIndices().to(d), p.gtIndices().to(d), p.counts().to(d));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void denseLossesEqualTheCpu(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom r = new SplittableRandom(3);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            try (Scope s = Scope.open()) {
                Tensor x = randn(r, dt, 4, L, B, Q, C);
                long[] lab = new long[L * B * Q];
                for (int i = 0; i < lab.length; i++) {
                    lab[i] = r.nextInt(C + 1);
                }
                Tensor labels = Tensor.of(lab, L, B, Q);
                Tensor rowW = uniform(r, dt, 0, 2, L, B, Q);
                for (Reduction red : List.of(Reduction.sum(), Reduction.mean(), Reduction.avgFactor(17).keepLeading(1),
                        Reduction.mean().keepLeading(2))) {
                    agree(device, List.of(x, labels), in -> FocalLoss.sigmoid(in.get(0), in.get(1), null, 0.25, 2, 2, red),
                            "focal " + red);
                    agree(device, List.of(x, labels.to(DType.INT32), rowW), in -> FocalLoss.sigmoid(in.get(0), in.get(1),
                            in.get(2), 0.4, 1.5, 1, red), "focal weighted " + red);
                    Tensor scores = uniform(r, dt, 0, 1, L, B, Q);
                    agree(device, List.of(x, labels, scores, rowW), in -> QualityFocalLoss.sigmoid(in.get(0), in.get(1),
                            in.get(2), in.get(3), 2, 1.5, red), "qfl " + red);
                    Tensor targets = uniform(r, dt, 0, 1, L, B, Q, C);
                    Tensor elemW = uniform(r, dt, 0, 1, L, B, Q, C);
                    agree(device, List.of(x, targets, elemW), in -> BinaryCrossEntropyLoss.withLogits(in.get(0),
                            in.get(1), in.get(2), 0.7, red), "bce " + red);
                    double[] heat = targets.toDoubleArray();
                    for (int i = 0; i < heat.length; i += 13) {
                        heat[i] = 1.0;
                    }
                    Tensor heatmap = Tensor.of(heat, L, B, Q, C).to(dt);
                    agree(device, List.of(x, heatmap), in -> GaussianFocalLoss.fromLogits(in.get(0), in.get(1), 2, 4, 1,
                            red), "gaussian focal logits " + red);
                    Tensor probs = uniform(r, dt, 0.001, 0.999, L, B, Q, C);
                    agree(device, List.of(probs, heatmap), in -> GaussianFocalLoss.forward(in.get(0), in.get(1), 2, 4, 1,
                            red), "gaussian focal " + red);
                    Tensor a = corners(r, dt);
                    Tensor b = corners(r, dt);
                    agree(device, List.of(a, b, rowW), in -> GIoULoss.forward(in.get(0), in.get(1), in.get(2), 1e-6, 2,
                            red), "giou " + red);
                }
            }
        }
    }

    static Tensor corners(SplittableRandom r, DType dt) {
        double[] v = new double[L * B * Q * 4];
        for (int i = 0; i < L * B * Q; i++) {
            v[i * 4] = r.nextDouble() * 50;
            v[i * 4 + 1] = r.nextDouble() * 50;
            v[i * 4 + 2] = v[i * 4] + (i % 17 == 0 ? 0 : r.nextDouble() * 30);
            v[i * 4 + 3] = v[i * 4 + 1] + r.nextDouble() * 30;
        }
        return Tensor.of(v, L, B, Q, 4).to(dt);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void matchedLossesEqualTheCpu(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom r = new SplittableRandom(4);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean int32 : List.of(false, true)) {
                for (boolean repeat : List.of(false, true)) {
                    try (Scope s = Scope.open()) {
                        MatchedPairs cpuPairs = pairs(r, int32, repeat);
                        MatchedPairs gpuPairs = on(cpuPairs, device);
                        Tensor x = randn(r, dt, 3, L, B, Q, C);
                        long[] lab = new long[B * M];
                        for (int i = 0; i < lab.length; i++) {
                            lab[i] = r.nextInt(C);
                        }
                        Tensor gtLabels = Tensor.of(lab, B, M);
                        String what = dt + " int32=" + int32 + " repeat=" + repeat;
                        for (Reduction red : List.of(Reduction.avgFactor(9), Reduction.sum().keepLeading(1),
                                Reduction.avgFactor(4).keepLeading(2))) {
                            agree(device, List.of(x, gtLabels), in -> FocalLoss.sigmoidMatched(in.get(0),
                                    in.get(0).device().isCpu() ? cpuPairs : gpuPairs, in.get(1), 0.25, 2, 2, red),
                                    "focal matched " + what);
                            for (int d : new int[] {10, 20}) {
                                double[] cw = new double[d];
                                for (int j = 0; j < d; j++) {
                                    cw[j] = 0.5 + j % 3;
                                }
                                Tensor pred = randn(r, dt, 1, L, B, Q, d);
                                Tensor tgt = randn(r, dt, 1, B, M, d);
                                agree(device, List.of(pred, tgt), in -> L1Loss.matched(in.get(0), in.get(1),
                                        in.get(0).device().isCpu() ? cpuPairs : gpuPairs, cw, 0.25, red),
                                        "l1 d=" + d + " " + what);
                                agree(device, List.of(pred, tgt), in -> L1Loss.matched(in.get(0), in.get(1),
                                        in.get(0).device().isCpu() ? cpuPairs : gpuPairs, null, 5, red),
                                        "l1 no weights " + what);
                            }
                            Tensor boxes = uniform(r, dt, 0.05, 0.5, L, B, Q, 4);
                            Tensor gtBoxes = corners(r, dt).reshape(-1).narrow(0, 0, B * M * 4).reshape(B, M, 4);
                            Tensor start = randn(r, dt, 1, L, B, Q, 4);
                            agree(device, List.of(boxes, gtBoxes, start), in -> GIoULoss.matchedCxcywhAccumulate(
                                    in.get(2).copy(), in.get(0), in.get(1), in.get(0).device().isCpu() ? cpuPairs
                                            : gpuPairs, 100, 60, 1e-6, 2, red), "giou matched accumulate " + what);
                            agree(device, List.of(boxes, gtBoxes), in -> GIoULoss.matchedCxcywh(in.get(0), in.get(1),
                                    in.get(0).device().isCpu() ? cpuPairs : gpuPairs, 100, 60, 1e-6, 2, red),
                                    "giou matched " + what);
                            agree(device, List.of(boxes, gtBoxes, start), in -> L1Loss.matchedAccumulate(in.get(2).copy(),
                                    in.get(0), in.get(1), in.get(0).device().isCpu() ? cpuPairs : gpuPairs, null, 5, red),
                                    "l1 accumulate " + what);
                        }
                        assertArrayEquals(MatchedTargets.classLabels(cpuPairs, gtLabels, Q, C).toLongArray(),
                                MatchedTargets.classLabels(gpuPairs, gtLabels.to(device), Q, C).toLongArray());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void badIndicesAreReportedWhenResultsAreRead(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            SplittableRandom r = new SplittableRandom(8);
            Tensor pred = randn(r, DType.FLOAT32, 1, L, B, Q, 4).to(device);
            Tensor tgt = randn(r, DType.FLOAT32, 1, B, M, 4).to(device);
            long[] idx = pairs(r, false, false).predIndices().toLongArray();
            idx[0] = Q;
            MatchedPairs bad = new MatchedPairs(Tensor.of(idx, L, B, K).to(device),
                    pairs(new SplittableRandom(8), false, false).gtIndices().to(device),
                    Tensor.of(new long[] {2, 0, 1, 1, 0, 1}, L, B).to(device));
            LossResult l1 = L1Loss.matched(pred, tgt, bad, null, 1, Reduction.sum());
            assertThrows(IndexOutOfBoundsException.class, () -> l1.value().toDoubleArray());
            Tensor labels = Tensor.of(new long[] {0, C + 1, 2}, 3).to(device);
            LossResult f = FocalLoss.sigmoid(randn(r, DType.FLOAT32, 1, 3, C).to(device), labels, null, 0.25, 2, 1,
                    Reduction.sum());
            assertThrows(IndexOutOfBoundsException.class, () -> f.gradient().toFloatArray());
            MatchedPairs badCount = new MatchedPairs(pairs(r, false, false).predIndices().to(device),
                    pairs(r, false, false).gtIndices().to(device),
                    Tensor.of(new long[] {K + 1, 0, 1, 1, 0, 1}, L, B).to(device));
            LossResult g = GIoULoss.matchedCxcywh(pred, tgt, badCount, 10, 10, 1e-6, 1, Reduction.sum());
            assertThrows(IllegalArgumentException.class, () -> g.gradient().toFloatArray());
        }
    }
}
