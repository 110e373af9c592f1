package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input: the exception type and message, and nothing written to the maps (CPU). */
class GaussianHeatmapsErrorsTest {
    private static final GaussianDrawOptions MM = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true);

    private final Tensor maps = Tensor.full(0.5, DType.FLOAT32, Device.CPU, 2, 4, 5);
    private final Tensor centers = Tensor.of(new int[] {1, 1, 2, 2}, 2, 2);

    private <T extends Throwable> void assertRejected(Class<T> type, String message, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
        float[] untouched = new float[40];
        java.util.Arrays.fill(untouched, 0.5f);
        assertArrayEquals(untouched, maps.toFloatArray(), "maps must not be modified");
    }

    @Test
    void negativeRadius() {
        assertRejected(IllegalArgumentException.class, "radii[1] must be >= 0, got -1", () -> GaussianHeatmaps.drawInto(
                maps, centers, Tensor.of(new int[] {1, -1}, 2), Tensor.of(new int[] {0, 1}, 2), MM));
    }

    @Test
    void mapIndexOutOfRange() {
        assertRejected(IndexOutOfBoundsException.class, "mapIndex[1] = 2 is out of range [0, 2) (the number of maps)",
                () -> GaussianHeatmaps.drawInto(maps, centers, Tensor.of(new int[] {1, 1}, 2),
                        Tensor.of(new long[] {0, 2}, 2), MM));
        assertRejected(IndexOutOfBoundsException.class, "mapIndex[0] = -1 is out of range [0, 2) (the number of maps)",
                () -> GaussianHeatmaps.drawInto(maps, centers, Tensor.of(new int[] {1, 1}, 2),
                        Tensor.of(new int[] {-1, 0}, 2), MM));
    }

    @Test
    void labelOutOfRangeButFillerLabelsIgnored() {
        Tensor maps4 = maps.reshape(1, 2, 4, 5);
        Tensor c = centers.reshape(1, 2, 2);
        Tensor r = Tensor.of(new int[] {1, 1}, 1, 2);
        assertRejected(IndexOutOfBoundsException.class,
                "labels[0, 0] = 2 is out of range [0, 2) (the number of classes of maps)",
                () -> GaussianHeatmaps.drawClasswiseInto(maps4, c, r, Tensor.of(new int[] {2, 0}, 1, 2),
                        Tensor.of(new long[] {2}, 1), MM));
        // The bad label sits in a filler slot: drawn without complaint.
        GaussianHeatmaps.drawClasswiseInto(maps4, c, r, Tensor.of(new int[] {1, 99}, 1, 2), Tensor.of(new long[] {1}, 1), MM);
        assertEquals(1.0, maps.getDouble(1, 1, 1));
    }

    @Test
    void sampleSizeBeyondPadding() {
        assertRejected(IllegalArgumentException.class,
                "sampleSizes[0] must be in [0, 1] (the padded number of objects per sample), got 2",
                () -> GaussianHeatmaps.drawBatchedInto(maps, Tensor.of(new int[] {1, 1, 2, 2}, 2, 1, 2),
                        Tensor.of(new int[] {1, 1}, 2, 1), Tensor.of(new int[] {2, 0}, 2), MM));
    }

    @Test
    void nonFiniteFloatInputs() {
        GaussianDrawOptions dali = GaussianDrawOptions.of(GaussianStamp.DALI_FLOAT_CENTERS);
        Tensor fc = Tensor.of(new float[] {1, 1, Float.NaN, 2}, 2, 2);
        assertRejected(IllegalArgumentException.class, "centers[1][0] must be finite, got NaN",
                () -> GaussianHeatmaps.drawInto(maps, fc, Tensor.of(new float[] {1, 1}, 2), Tensor.of(new int[] {0, 1}, 2), dali));
        Tensor ok = Tensor.of(new float[] {1, 1, 2, 2}, 2, 2);
        assertRejected(IllegalArgumentException.class, "radii[0] must be >= 0, got -0.5",
                () -> GaussianHeatmaps.drawInto(maps, ok, Tensor.of(new float[] {-0.5f, 1}, 2), Tensor.of(new int[] {0, 1}, 2), dali));
    }

    @Test
    void shapesAndDtypes() {
        Tensor r = Tensor.of(new int[] {1, 1}, 2);
        Tensor idx = Tensor.of(new int[] {0, 1}, 2);
        assertRejected(IllegalArgumentException.class, "maps must have shape (N, H, W), got (2, 20)",
                () -> GaussianHeatmaps.drawInto(maps.reshape(2, 20), centers, r, idx, MM));
        assertRejected(IllegalArgumentException.class, "maps must have dtype float32, got float64",
                () -> GaussianHeatmaps.drawInto(maps.to(DType.FLOAT64), centers, r, idx, MM));
        assertRejected(IllegalArgumentException.class, "centers must have shape (T, 2), got (2, 3)",
                () -> GaussianHeatmaps.drawInto(maps, Tensor.of(new int[6], 2, 3), r, idx, MM));
        assertRejected(IllegalArgumentException.class, "centers must have dtype int32, got float32",
                () -> GaussianHeatmaps.drawInto(maps, centers.to(DType.FLOAT32), r, idx, MM));
        assertRejected(IllegalArgumentException.class, "radii must have shape (T) with T = 2, got (3,)",
                () -> GaussianHeatmaps.drawInto(maps, centers, Tensor.of(new int[3], 3), idx, MM));
        assertRejected(IllegalArgumentException.class, "mapIndex must have dtype [int32, int64], got float32",
                () -> GaussianHeatmaps.drawInto(maps, centers, r, idx.to(DType.FLOAT32), MM));
        assertRejected(IllegalArgumentException.class, "radii must have shape (B, M) = (2, 1), got (2,)",
                () -> GaussianHeatmaps.drawBatchedInto(maps, centers.reshape(2, 1, 2), r, idx, MM));
        assertRejected(IllegalArgumentException.class, "centers must have shape (B, M, 2) with B = 2, got (1, 2, 2)",
                () -> GaussianHeatmaps.drawBatchedInto(maps, centers.reshape(1, 2, 2), r, idx, MM));
        assertRejected(IllegalArgumentException.class, "labels must have shape (B, M) = (1, 2), got (2,)",
                () -> GaussianHeatmaps.drawClasswiseInto(maps.reshape(1, 2, 4, 5), centers.reshape(1, 2, 2),
                        r.reshape(1, 2), idx, Tensor.of(new int[] {2}, 1), MM));
        assertThrows(IllegalArgumentException.class, () -> GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withK(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withSigmaFactor(0));
    }
}
