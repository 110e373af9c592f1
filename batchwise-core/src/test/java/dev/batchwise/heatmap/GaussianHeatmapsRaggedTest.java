package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.heatmap.GaussianRadius.Formula;
import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link RaggedBatch} overloads: same maps as the per-object reference, layout errors, ragged radii. */
class GaussianHeatmapsRaggedTest {
    private static final int SCENES = 12;

    @ParameterizedTest
    @MethodSource("dev.batchwise.heatmap.GaussianHeatmapsTest#cases")
    void raggedBatchedMatchesReference(Device device, GaussianStamp stamp) {
        Backends.assumeUsable(device);
        for (long seed = 0; seed < SCENES; seed++) {
            Scene sc = Scene.random(stamp, 1, 4000 + seed);
            GaussianDrawOptions o = GaussianHeatmapsTest.options(stamp, seed);
            try (Scope scope = Scope.open()) {
                Tensor maps = sc.maps(device, false);
                RaggedBatch centers = RaggedBatch.of(sc.paddedCenters(device), sc.sampleSizes(device));
                RaggedBatch radii = centers.withData(sc.paddedRadii(device));
                GaussianHeatmaps.drawBatchedInto(maps, centers, radii, o);
                GaussianHeatmapsTest.assertBitsEqual(sc.reference(o), maps.toFloatArray(), "ragged batched seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.heatmap.GaussianHeatmapsTest#cases")
    void raggedClasswiseMatchesReference(Device device, GaussianStamp stamp) {
        Backends.assumeUsable(device);
        for (long seed = 0; seed < SCENES; seed++) {
            Scene sc = Scene.random(stamp, 1 + (int) (seed % 4), 5000 + seed);
            GaussianDrawOptions o = GaussianHeatmapsTest.options(stamp, seed);
            try (Scope scope = Scope.open()) {
                Tensor maps = sc.maps(device, true);
                RaggedBatch centers = RaggedBatch.of(sc.paddedCenters(device), sc.sampleSizes(device));
                // Radii and labels as batches of their own, with sizes that are not read.
                Tensor other = Tensor.zeros(DType.INT64, device, sc.b);
                RaggedBatch radii = RaggedBatch.of(sc.paddedRadii(device), other);
                RaggedBatch labels = RaggedBatch.of(sc.paddedLabels(device), other);
                GaussianHeatmaps.drawClasswiseInto(maps, centers, radii, labels, o);
                GaussianHeatmapsTest.assertBitsEqual(sc.reference(o), maps.toFloatArray(),
                        "ragged classwise seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void raggedLayoutsOtherThanSamplesByObjectsAreRejected(Device device) {
        Backends.assumeUsable(device);
        GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF);
        try (Scope scope = Scope.open()) {
            Tensor maps = Tensor.zeros(DType.FLOAT32, device, 2, 4, 5);
            Tensor sizes = Tensor.of(new long[] {1, 2}, 2).to(device);
            RaggedBatch centers = RaggedBatch.of(Tensor.zeros(DType.INT32, device, 2, 3, 2), sizes);
            RaggedBatch radii = centers.withData(Tensor.ones(DType.INT32, device, 2, 3));
            // Centres ragged on their last axis.
            RaggedBatch sideways = RaggedBatch.of(Tensor.zeros(DType.INT32, device, 2, 2, 3), sizes, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianHeatmaps.drawBatchedInto(maps, sideways, radii, o));
            assertTrue(e.getMessage().startsWith("centers must be a RaggedBatch with one batch axis and data (B, M, 2)"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianHeatmaps.drawBatchedInto(maps, centers, centers, o));
            assertTrue(e.getMessage().startsWith("radii must be a RaggedBatch"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianHeatmaps.drawBatchedInto(maps, null, radii, o));
            assertEquals("centers must not be null", e.getMessage());
            // Padded extents that differ are caught by the padded form.
            RaggedBatch shortRadii = RaggedBatch.of(Tensor.ones(DType.INT32, device, 2, 2), sizes);
            e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianHeatmaps.drawBatchedInto(maps, centers, shortRadii, o));
            assertTrue(e.getMessage().startsWith("radii must have shape (B, M) = (2, 3)"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void raggedTargetRadiiKeepTheBatchStructure(Device device) {
        Backends.assumeUsable(device);
        float[] hw = {10, 20, 3, 4, 50, 5, 0, 0, 7, 7, 1, 30};
        try (Scope scope = Scope.open()) {
            RaggedBatch sizes = RaggedBatch.of(Tensor.of(hw, 2, 3, 2).to(device), Tensor.of(new long[] {3, 1}, 2).to(device));
            RaggedBatch r = GaussianRadius.targetRadii(sizes, Formula.CORNERNET_ORIGINAL, 0.1, 2);
            assertArrayEquals(new long[] {2, 3}, r.shape());
            assertEquals(1, r.raggedDim());
            assertArrayEquals(new long[] {3, 1}, r.sampleSizes().toLongArray());
            int[] expected = new int[6];
            for (int i = 0; i < 6; i++) {
                expected[i] = GaussianRadius.targetRadius(Formula.CORNERNET_ORIGINAL, hw[2 * i], hw[2 * i + 1], 0.1, 2);
            }
            assertArrayEquals(expected, r.data().toIntArray());
            RaggedBatch pairsRagged = RaggedBatch.of(Tensor.of(hw, 6, 2).to(device), Tensor.of(new long[] {1, 2, 0, 2, 2, 1}, 6).to(device));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GaussianRadius.targetRadii(pairsRagged, Formula.CORRECTED, 0.1, 2));
            assertTrue(e.getMessage().startsWith("sizes must have its (height, width) pairs on the last axis"), e.getMessage());
        }
    }
}
