package dev.batchwise.assign;

import dev.batchwise.tensor.Tensor;

/**
 * The one-to-one matching of a batch of DETR assignment problems, on the device of the inputs:
 * for problem {@code p...} (prediction batch shape {@code P...}), pair {@code k < counts[p...]}
 * matches query {@code predIndices[p..., k]} with GT row {@code gtIndices[p..., k]}, query
 * indices strictly increasing (SciPy's {@code linear_sum_assignment} order); padding holds -1.
 * With at least as many queries as GT, every valid GT is matched ({@code counts = gtCounts}).
 *
 * @param predIndices int64 {@code (P..., K)}, {@code K = min(Q, M)}
 * @param gtIndices int64 {@code (P..., K)}
 * @param counts int64 {@code (P...)}
 */
public record MatchedAssignment(Tensor predIndices, Tensor gtIndices, Tensor counts)
        implements AutoCloseable {
    /** Frees the index tensors. */
    @Override
    public void close() {
        predIndices.close();
        gtIndices.close();
        counts.close();
    }
}
