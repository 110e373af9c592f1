package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;

/**
 * L1 loss over matched (prediction, GT) pairs with per-coordinate code weights and its gradient —
 * the box regression loss of DETR-style heads (mmdetection {@code L1Loss} with
 * {@code bbox_weights = code_weights} on matched queries, 0 elsewhere):
 * <pre>
 *   loss = lossWeight / (avgFactor + FLT_EPSILON) * sum_pairs sum_d codeWeights[d] |pred[q_k, d] - target[m_k, d]|
 * </pre>
 * The gradient with respect to {@code pred} is {@code codeWeights[d] sign(pred - target)} times the
 * reduction's scale on matched rows (torch's {@code sign(0) = 0}) and 0 on unmatched queries.
 *
 * <p>Reads the pairs directly; no gather of matched rows is materialised.
 */
public final class L1Loss {
    private L1Loss() {}

    /**
     * @param pred {@code (P..., Q, D)} float32|float64 predictions (e.g. normalised 3D boxes)
     * @param target {@code (S..., M, D)} float targets in the same encoding, {@code S...} a suffix of {@code P...}
     * @param pairs matched pairs with batch shape {@code P...}
     * @param codeWeights {@code D} per-coordinate weights, or null for 1
     * @param lossWeight multiplier applied after the reduction
     * @param reduction sum or avg factor (mmdet: number of matched GT); may keep leading dimensions of {@code P...}
     * @return value and d value / d pred {@code (P..., Q, D)}
     */
    public static LossResult matched(Tensor pred, Tensor target, MatchedPairs pairs, double[] codeWeights,
                                     double lossWeight, Reduction reduction) {
        return matchedAccumulate(null, pred, target, pairs, codeWeights, lossWeight, reduction);
    }

    /**
     * As {@link #matched}, but adds the gradient into {@code gradInto} (same shape and dtype as
     * {@code pred}; modified in place and returned as the result's gradient). Null allocates.
     */
    public static LossResult matchedAccumulate(Tensor gradInto, Tensor pred, Tensor target, MatchedPairs pairs,
                                               double[] codeWeights, double lossWeight, Reduction reduction) {
        MatchedLayout lay = MatchedLayout.of(pred, "pred", target, "target", pairs, reduction, gradInto);
        if (codeWeights != null && codeWeights.length != lay.dim()) {
            throw new IllegalArgumentException("codeWeights must have " + lay.dim() + " values (one per coordinate), got "
                    + codeWeights.length);
        }
        LossChecks.requireFinite(lossWeight, "lossWeight");
        double[] cw = codeWeights == null ? null : codeWeights.clone();
        if (pred.device().isCpu()) {
            return CpuMatchedLosses.l1(lay, cw, lossWeight, reduction, gradInto);
        }
        return CudaMatchedLosses.l1(lay, cw, lossWeight, reduction, gradInto);
    }
}
