package dev.batchwise.loss;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/** Argument checks shared by the losses; messages name the argument and show expected vs actual. */
final class LossChecks {
    private LossChecks() {}

    static Tensor requireFloat(Tensor t, String name) {
        return TensorChecks.requireDType(t, name, DType.FLOAT32, DType.FLOAT64);
    }

    static Tensor requireIndex(Tensor t, String name) {
        return TensorChecks.requireDType(t, name, DType.INT32, DType.INT64);
    }

    static void requireShape(Tensor t, String name, long[] expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name + " must have shape " + Shapes.format(expected) + ", got "
                    + Shapes.format(t.shape()));
        }
    }

    /**
     * Checks the inputs of a per-class loss: {@code logits (N..., C)} float, {@code labels (N...)}
     * int32|int64 and an optional float {@code weight (N...)}.
     *
     * @return {@code N...}, the shape of the rows
     */
    static long[] classRows(Tensor logits, Tensor labels, Tensor weight) {
        requireFloat(logits, "logits");
        long[] rows = withoutLast(logits, "logits");
        requireIndex(labels, "labels");
        requireShape(labels, "labels", rows);
        if (weight != null) {
            requireFloat(weight, "weight");
            requireShape(weight, "weight", rows);
        }
        return rows;
    }

    static long[] withoutLast(Tensor t, String name) {
        if (t.rank() < 1) {
            throw new IllegalArgumentException(name + " must have at least one dimension, got a scalar");
        }
        return Arrays.copyOf(t.shape(), t.rank() - 1);
    }

    static void requireFinite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    static void requireNonNull(Object o, String name) {
        if (o == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /**
     * Checks that the GT batch shape is a suffix of the problem batch shape and returns the number
     * of GT samples (problem {@code p} reads GT sample {@code p % samples}).
     */
    static int gtSamples(long[] problemBatch, long[] gtBatch, String gtName) {
        boolean ok = gtBatch.length <= problemBatch.length && Arrays.equals(gtBatch,
                Arrays.copyOfRange(problemBatch, problemBatch.length - gtBatch.length, problemBatch.length));
        if (!ok) {
            throw new IllegalArgumentException("the batch shape of " + gtName + " " + Shapes.format(gtBatch)
                    + " must be a suffix of the pairs' batch shape " + Shapes.format(problemBatch));
        }
        return (int) Shapes.numel(gtBatch);
    }
}
