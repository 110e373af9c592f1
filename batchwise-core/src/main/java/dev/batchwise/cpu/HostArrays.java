package dev.batchwise.cpu;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Moves Java arrays into CPU tensors of a chosen floating dtype without an intermediate tensor.
 * Used by CPU kernels that compute in {@code double} and hand results back in the caller's dtype.
 */
public final class HostArrays {
    private HostArrays() {}

    /**
     * A new CPU tensor of {@code shape} and {@code dtype} (FLOAT32 or FLOAT64) holding
     * {@code data} rounded to the dtype.
     *
     * @throws IllegalArgumentException for another dtype or a length that does not match the shape
     */
    public static Tensor tensorOf(double[] data, DType dtype, long... shape) {
        Tensor t = Tensor.empty(dtype, Device.CPU, shape);
        if (t.numel() != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " elements but the shape needs " + t.numel());
        }
        MemorySegment seg = t.cpuSegment();
        switch (dtype) {
            case FLOAT64 -> MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_DOUBLE, 0, data.length);
            case FLOAT32 -> {
                for (int i = 0; i < data.length; i++) {
                    seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) data[i]);
                }
            }
            default -> throw new IllegalArgumentException("dtype must be FLOAT32 or FLOAT64, got " + dtype);
        }
        return t;
    }

    /**
     * A Fisher–Yates permutation of {@code [0, n)} drawn from {@code random}: for i from n-1 down
     * to 1, swap entry i with entry {@code random.nextInt(i + 1)}. Seeded workloads and tests
     * rely on this exact sequence of draws.
     */
    public static int[] permutation(SplittableRandom random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
