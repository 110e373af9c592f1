package dev.batchwise.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.Arrays;

/** Small builders and assertions shared by the ragged tests. */
final class RaggedTesting {
    private RaggedTesting() {}

    /** 0, 1, 2, … as {@code dtype} on {@code device}. */
    static Tensor arange(DType dtype, Device device, long... shape) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape).to(device, dtype);
    }

    static Tensor longs(Device device, long[] values, long... shape) {
        return Tensor.of(values, shape.length == 0 ? new long[] {values.length} : shape).to(device);
    }

    static Tensor doubles(Device device, DType dtype, double[] values, long... shape) {
        return Tensor.of(values, shape.length == 0 ? new long[] {values.length} : shape).to(device, dtype);
    }

    /** An index batch from per-sample lists (row-major over {@code batchShape}); fillers {@code pad}. */
    static RaggedBatch indexBatch(Device device, DType dtype, long pad, long[] batchShape, long[]... rows) {
        int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
        long[] data = new long[rows.length * width];
        long[] sizes = new long[rows.length];
        Arrays.fill(data, pad);
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(rows[s], 0, data, s * width, rows[s].length);
            sizes[s] = rows[s].length;
        }
        long[] shape = Arrays.copyOf(batchShape, batchShape.length + 1);
        shape[batchShape.length] = width;
        return RaggedBatch.of(Tensor.of(data, shape).to(device, dtype), Tensor.of(sizes, batchShape).to(device));
    }

    static void assertValues(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 0.0);
    }

    static void assertShape(long[] expected, Tensor t) {
        assertArrayEquals(expected, t.shape(), () -> "shape " + Arrays.toString(t.shape()));
    }
}
