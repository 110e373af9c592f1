package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random shapes, data and index batches for the property tests (1–3 batch dims, any entry axis). */
final class RandomRagged {
    final SplittableRandom rnd;
    final long[] batchShape;
    final int nb;

    RandomRagged(long seed) {
        rnd = new SplittableRandom(seed);
        nb = 1 + rnd.nextInt(3);
        batchShape = new long[nb];
        boolean zeroBatch = rnd.nextInt(12) == 0;
        for (int k = 0; k < nb; k++) {
            batchShape[k] = 1 + rnd.nextInt(3);
        }
        if (zeroBatch) {
            batchShape[rnd.nextInt(nb)] = 0;
        }
    }

    long samples() {
        return Shapes.numel(batchShape);
    }

    /** A data shape: batch shape, 0–1 axes before the entry axis, the entry axis of {@code extent}, 0–2 after. */
    long[] dataShape(int before, long extent, int after) {
        long[] s = Arrays.copyOf(batchShape, nb + before + 1 + after);
        for (int k = 0; k < before; k++) {
            s[nb + k] = 1 + rnd.nextInt(2);
        }
        s[nb + before] = extent;
        for (int k = 0; k < after; k++) {
            s[nb + before + 1 + k] = 1 + rnd.nextInt(3);
        }
        return s;
    }

    DType dataType() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL};
        return all[rnd.nextInt(all.length)];
    }

    DType indexType() {
        return rnd.nextBoolean() ? DType.INT32 : DType.INT64;
    }

    /** Random values exactly representable in every dtype (small integers, halves for floats). */
    Tensor data(DType dtype, long... shape) {
        int n = Math.toIntExact(Shapes.numel(shape));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = dtype == DType.BOOL ? rnd.nextInt(2)
                    : dtype.isFloatingPoint() ? (rnd.nextInt(41) - 20) * 0.5 : rnd.nextInt(41) - 20;
        }
        return Tensor.of(v, shape).to(dtype);
    }

    /** Sizes in {@code [0, max]}, some samples empty. */
    long[] sizes(long max) {
        long[] s = new long[Math.toIntExact(samples())];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(max + 1);
        }
        return s;
    }

    /**
     * An index batch of width {@code width} for an axis of {@code extent}: valid values in
     * {@code [-extent, extent)} (duplicates allowed unless {@code unique}), fillers out of range
     * (they must never be read). Sizes are at most {@code extent} when unique.
     */
    RaggedBatch indices(DType type, long width, long extent, boolean unique) {
        return indices(type, width, extent, unique, sizes(unique ? Math.min(width, extent) : extent == 0 ? 0 : width));
    }

    /** Like {@link #indices(DType, long, long, boolean)} with given sizes. */
    RaggedBatch indices(DType type, long width, long extent, boolean unique, long[] sizes) {
        long[] v = new long[Math.toIntExact(samples() * width)];
        for (int s = 0; s < sizes.length; s++) {
            long[] perm = permutation(extent);
            for (int j = 0; j < width; j++) {
                long value;
                if (j >= sizes[s]) {
                    value = 1000 + j;
                } else {
                    long raw = unique ? perm[j] : rnd.nextLong(extent);
                    value = rnd.nextBoolean() ? raw - extent : raw;
                }
                v[(int) (s * width + j)] = value;
            }
        }
        Tensor data = Tensor.of(v, Shapes.concat(batchShape, width)).to(type);
        return RaggedBatch.of(data, Tensor.of(sizes, batchShape));
    }

    long[] permutation(long n) {
        long[] p = new long[(int) n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = p.length - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            long t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    /** A random BOOL mask of {@code shape}. */
    Tensor mask(long... shape) {
        return data(DType.BOOL, shape);
    }

    static Device cudaIfUsable() {
        return Device.cudaAvailable() ? Device.cuda(0) : null;
    }
}
