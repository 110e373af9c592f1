package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Quality focal loss (GFL) with its gradient, mmdetection {@code QualityFocalLoss(use_sigmoid=True)}
 * semantics: with {@code p = sigmoid(x)}, every logit first gets the background term
 * {@code BCEWithLogits(x, 0) * p^beta}; for a row whose label {@code l} is in {@code [0, C)} the
 * element at class {@code l} is replaced by {@code BCEWithLogits(x, score) * |score - p|^beta}.
 * The loss of a row is the sum over classes times {@code weight[row]}; the rows are reduced by
 * {@link Reduction} ({@code mean} divides by the number of rows) and multiplied by
 * {@code lossWeight}. Gradient with respect to the logits.
 */
public final class QualityFocalLoss {
    private QualityFocalLoss() {}

    /**
     * @param logits {@code (N..., C)} float32|float64
     * @param labels {@code (N...)} int32|int64; outside {@code [0, C)} (e.g. {@code C}) means background
     * @param scores {@code (N...)} float IoU quality targets of the positive rows
     * @param weight {@code (N...)} float per-row weight, or null for 1
     * @param beta modulating exponent (mmdet default 2.0)
     * @param lossWeight multiplier applied after the reduction
     * @param reduction sum, mean (over rows) or avg factor
     */
    public static LossResult sigmoid(Tensor logits, Tensor labels, Tensor scores, Tensor weight, double beta,
                                     double lossWeight, Reduction reduction) {
        long[] rows = LossChecks.classRows(logits, labels, weight);
        LossChecks.requireFloat(scores, "scores");
        LossChecks.requireShape(scores, "scores", rows);
        LossChecks.requireFinite(beta, "beta");
        LossChecks.requireFinite(lossWeight, "lossWeight");
        LossChecks.requireNonNull(reduction, "reduction");
        TensorChecks.requireSameDevice("logits", logits, "labels", labels, "scores", scores, "weight", weight);
        Groups groups = Groups.of(rows, logits.numel(), reduction, "logits");
        if (logits.device().isCpu()) {
            return CpuDenseLosses.qualityFocal(logits, labels, scores, weight, beta, lossWeight, reduction, groups);
        }
        int c = (int) logits.shape(logits.rank() - 1);
        return CudaDenseLosses.run("QualityFocalLoss", CudaDenseLosses.QUALITY_FOCAL, logits, labels, scores, weight,
                logits.numel(), c, groups, beta, 0, false, 0,
                CudaDenseLosses.scale(groups, reduction, lossWeight, groups.perGroup() / Math.max(c, 1)));
    }
}
