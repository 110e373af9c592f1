package dev.batchwise.detr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.loss.MatchedPairs;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The batched W1 step against the per-sample baseline, on every backend, and CUDA against the CPU. */
class W1StepTest {
    /** A smaller W1 (batch 3, 2 layers) keeps the test quick while covering every code path. */
    static W1Config small() {
        return W1Config.streamPetr().withBatch(3).withLayers(2);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void batchedStepEqualsPerSampleBaseline(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open(); W1Batch batch = W1Batch.generate(small()).to(device)) {
            W1Result batched = new W1Step().run(batch, W1Stages.NONE);
            W1Result baseline = new W1Baseline().run(batch);
            assertSamePairs(baseline.pairs3d(), batched.pairs3d());
            assertSamePairs(baseline.pairs2d(), batched.pairs2d());
            assertLossesClose(baseline.losses(), batched.losses(), 1e-5);
            for (int i = 0; i < 6; i++) {
                assertClose(baseline.gradients().get(i), batched.gradients().get(i), 1e-6, "gradient " + i);
            }
            assertArrayEquals(baseline.heatmaps().toFloatArray(), batched.heatmaps().toFloatArray());
        }
    }

    /** Same counts and the same valid pairs per problem (the padded widths may differ). */
    static void assertSamePairs(MatchedPairs expected, MatchedPairs actual) {
        long[] ce = expected.counts().toLongArray();
        assertArrayEquals(ce, actual.counts().toLongArray());
        long ke = expected.maxPairs();
        long ka = actual.maxPairs();
        long[][] e = {expected.predIndices().toLongArray(), expected.gtIndices().toLongArray()};
        long[][] a = {actual.predIndices().toLongArray(), actual.gtIndices().toLongArray()};
        for (int p = 0; p < ce.length; p++) {
            for (int k = 0; k < ce[p]; k++) {
                for (int i = 0; i < 2; i++) {
                    assertEquals(e[i][(int) (p * ke + k)], a[i][(int) (p * ka + k)], "problem " + p + " pair " + k);
                }
            }
        }
    }

    @Test
    void everyGtIsMatchedOnceAndTheStepIsReproducible() {
        try (Scope s = Scope.open(); W1Batch batch = W1Batch.generate(small())) {
            W1Result a = new W1Step().run(batch, W1Stages.NONE);
            W1Result b = new W1Step().run(batch, W1Stages.NONE);
            assertEquals(a.losses(), b.losses());
            long[] counts3d = batch.gtCounts3dHost();
            long[] matched = a.pairs3d().counts().toLongArray();
            for (int p = 0; p < matched.length; p++) {
                assertEquals(counts3d[p % counts3d.length], matched[p]);
            }
            assertArrayEquals(batch.gtCounts2dHost(), a.pairs2d().counts().toLongArray());
            for (double v : a.losses().values()) {
                assertTrue(Double.isFinite(v) && v > 0, "loss " + v);
            }
            assertEquals(2 * 2 + 5, a.losses().size());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void cudaStepEqualsCpuStep(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open(); W1Batch cpu = W1Batch.generate(small()); W1Batch gpu = cpu.to(device)) {
            W1Result c = new W1Step().run(cpu, W1Stages.NONE);
            W1Result g = new W1Step().run(gpu, W1Stages.NONE);
            assertArrayEquals(c.pairs3d().predIndices().toLongArray(), g.pairs3d().predIndices().toLongArray());
            assertArrayEquals(c.pairs3d().gtIndices().toLongArray(), g.pairs3d().gtIndices().toLongArray());
            assertArrayEquals(c.pairs2d().predIndices().toLongArray(), g.pairs2d().predIndices().toLongArray());
            assertArrayEquals(c.pairs2d().gtIndices().toLongArray(), g.pairs2d().gtIndices().toLongArray());
            assertLossesClose(c.losses(), g.losses(), 1e-5);
            for (int i = 0; i < 6; i++) {
                assertClose(c.gradients().get(i), g.gradients().get(i), 1e-5, "gradient " + i);
            }
        }
    }

    @Test
    void generatorFollowsTheWorkloadDefinition() {
        try (Scope s = Scope.open(); W1Batch a = W1Batch.generate(W1Config.streamPetr());
             W1Batch b = W1Batch.generate(W1Config.streamPetr())) {
            long[] c3 = a.gtCounts3dHost();
            long[] c2 = a.gtCounts2dHost();
            assertEquals(8, c3.length);
            assertEquals(48, c2.length);
            java.util.SplittableRandom r3 = new java.util.SplittableRandom(2026);
            for (long c : c3) {
                assertEquals(r3.nextInt(10, 81), c);
            }
            java.util.SplittableRandom r2 = new java.util.SplittableRandom(2027);
            for (long c : c2) {
                assertEquals(r2.nextInt(0, 31), c);
            }
            assertArrayEquals(new long[] {6, 8, 644, 10}, a.logits3d().shape());
            assertArrayEquals(new long[] {48, 1000, 10}, a.logits2d().shape());
            assertArrayEquals(new long[] {48, 20, 50}, a.centerness().shape());
            assertArrayEquals(a.boxes2d().toFloatArray(), b.boxes2d().toFloatArray());
        }
    }

    static void assertLossesClose(Map<String, Double> expected, Map<String, Double> actual, double rel) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            double e = expected.get(k);
            assertEquals(e, actual.get(k), rel * Math.abs(e), k);
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], atol + 1e-5 * Math.abs(e[i]), what + "[" + i + "]");
        }
    }
}
