package dev.batchwise.loss;

import dev.batchwise.ragged.RaggedBatch;
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

    /**
     * The pairs of two ragged index batches as the assigners return them
     * ({@code dev.batchwise.assign.MatchedAssignment}): data {@code (P..., K)} int32|int64 ragged
     * along the last axis, with the sample sizes of {@code predIndices} as the pair counts. The two
     * batches must have the same layout; their sizes must be the same tensor or (CPU) equal.
     *
     * @throws IllegalArgumentException when the layouts differ or the ragged axis is not the last
     */
    public static MatchedPairs of(RaggedBatch predIndices, RaggedBatch gtIndices) {
        LossChecks.requireNonNull(predIndices, "predIndices");
        LossChecks.requireNonNull(gtIndices, "gtIndices");
        for (RaggedBatch rb : new RaggedBatch[] {predIndices, gtIndices}) {
            if (rb.raggedDim() != rb.rank() - 1 || rb.numBatchDims() != rb.rank() - 1) {
                throw new IllegalArgumentException("pair indices must be ragged along their last axis with all other "
                        + "axes batch axes, got shape " + Shapes.format(rb.shape()) + " with ragged axis "
                        + rb.raggedDim() + " and " + rb.numBatchDims() + " batch axes");
            }
        }
        Tensor sizes = predIndices.sampleSizes();
        Tensor other = gtIndices.sampleSizes();
        if (sizes != other && !sizes.sharesMemoryWith(other)) {
            TensorChecks.requireSameShape(sizes, "predIndices.sampleSizes()", other, "gtIndices.sampleSizes()");
            if (sizes.device().isCpu() && !Arrays.equals(sizes.toLongArray(), other.toLongArray())) {
                throw new IllegalArgumentException("predIndices and gtIndices must have the same sample sizes");
            }
        }
        return new MatchedPairs(predIndices.data(), gtIndices.data(), sizes);
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
