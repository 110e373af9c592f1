package dev.batchwise.assign;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.Tensor;

/**
 * The one-to-one matching of a batch of DETR assignment problems, on the device of the inputs, as
 * two {@link RaggedBatch}es sharing one sample-size tensor: for problem {@code p...} (prediction
 * batch shape {@code P...}), pair {@code k < sizes[p...]} matches query {@code predIndices.data()[p..., k]}
 * with GT row {@code gtIndices.data()[p..., k]}, query indices strictly increasing (SciPy's
 * {@code linear_sum_assignment} order); filler positions hold -1. With at least as many queries as
 * GT, every valid GT is matched ({@code sizes = gtCounts}).
 *
 * <pre>{@code
 * MatchedAssignment m = HungarianAssigner3D.streamPetr().assign(inputs);   // (L, B) problems
 * RaggedBatch queries = m.predIndices();        // data (L, B, K) int64, sampleSizes (L, B)
 * MatchedPairs pairs = MatchedPairs.of(m.predIndices(), m.gtIndices());   // for the losses
 * }</pre>
 *
 * @param predIndices matched query indices: int64 data {@code (P..., K)}, {@code K = min(Q, M)}, ragged
 *     along the last axis, sample sizes int64 {@code (P...)}
 * @param gtIndices matched GT rows, same layout and the same sample-size tensor
 */
public record MatchedAssignment(RaggedBatch predIndices, RaggedBatch gtIndices) implements AutoCloseable {
    /** The number of pairs of every problem, int64 {@code (P...)} (the shared sample sizes). */
    public Tensor counts() {
        return predIndices.sampleSizes();
    }

    /** Frees the index tensors and the sample sizes. */
    @Override
    public void close() {
        predIndices.close();
        gtIndices.close();
        Tensor sizes = predIndices.sampleSizes();
        if (!sizes.isClosed()) {
            sizes.close();
        }
    }
}
