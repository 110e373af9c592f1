package dev.batchwise.loss;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/**
 * Matched (prediction, GT) index pairs of a batch of matching problems, as produced by the
 * assigners: for problem {@code p...}, pair {@code k < counts[p...]} matches query
 * {@code predIndices[p..., k]} to GT row {@code gtIndices[p..., k]}; entries at {@code k >= counts}
 * are padding and never read.
 *
 * @param predIndices {@code (P..., K)} int32|int64
 * @param gtIndices {@code (P..., K)} int32|int64
 * @param counts {@code (P...)} int32|int64, in {@code [0, K]}
 */
public record MatchedPairs(Tensor predIndices, Tensor gtIndices, Tensor counts) {
    /** Validates shapes and dtypes. */
    public MatchedPairs {
        TensorChecks.requireDType(predIndices, "predIndices", DType.INT32, DType.INT64);
        TensorChecks.requireDType(gtIndices, "gtIndices", DType.INT32, DType.INT64);
        TensorChecks.requireDType(counts, "counts", DType.INT32, DType.INT64);
        TensorChecks.requireSameShape(predIndices, "predIndices", gtIndices, "gtIndices");
        long[] s = predIndices.shape();
        if (s.length < 1 || !Arrays.equals(Arrays.copyOf(s, s.length - 1), counts.shape())) {
            throw new IllegalArgumentException("counts must have the batch shape of predIndices "
                    + Shapes.format(s) + " without its last axis, got " + Shapes.format(counts.shape()));
        }
        TensorChecks.requireSameDevice("predIndices", predIndices, "gtIndices", gtIndices, "counts", counts);
    }

    /** The batch shape {@code P...}. */
    public long[] batchShape() {
        return counts.shape();
    }

    /** Number of problems (product of the batch shape). */
    public long problems() {
        return counts.numel();
    }

    /** Padded pair count {@code K}. */
    public long maxPairs() {
        return predIndices.shape(predIndices.rank() - 1);
    }
}
