package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Sigmoid focal loss with its gradient, mmdetection {@code FocalLoss(use_sigmoid=True)} semantics
 * ({@code py_sigmoid_focal_loss}): with {@code p = sigmoid(x)} and one-hot target {@code t},
 * <pre>
 *   pt           = (1 - p) t + p (1 - t)
 *   focal_weight = (alpha t + (1 - alpha)(1 - t)) pt^gamma
 *   loss         = BCEWithLogits(x, t) * focal_weight * weight[row]
 * </pre>
 * reduced by {@link Reduction} ({@code mean} divides by the number of logits {@code N * C}) and
 * multiplied by {@code lossWeight}. Evaluated with log-sigmoid forms, so logits of ±50 and beyond
 * give finite values and gradients. The gradient is the full derivative (the focal weight is not
 * detached), with respect to the logits.
 */
public final class FocalLoss {
    private FocalLoss() {}

    /**
     * Focal loss over dense labels.
     *
     * @param logits {@code (N..., C)} float32|float64
     * @param labels {@code (N...)} int32|int64: class in {@code [0, C)}, or {@code C} for background
     *     (all-zero target row), as mmdetection's label convention
     * @param weight {@code (N...)} float per-row weight ({@code label_weights}), or null for 1
     * @param alpha balance of positives (mmdet default 0.25)
     * @param gamma focusing exponent (mmdet default 2.0)
     * @param lossWeight multiplier applied after the reduction
     * @param reduction sum, mean or avg factor; may keep leading dimensions of {@code N...}
     * @return value and d value / d logits {@code (N..., C)}
     * @throws IndexOutOfBoundsException (CPU: before any work) for a label outside {@code [0, C]}
     */
    public static LossResult sigmoid(Tensor logits, Tensor labels, Tensor weight, double alpha, double gamma,
                                     double lossWeight, Reduction reduction) {
        long[] rows = LossChecks.classRows(logits, labels, weight);
        LossChecks.requireFinite(alpha, "alpha");
        LossChecks.requireFinite(gamma, "gamma");
        LossChecks.requireFinite(lossWeight, "lossWeight");
        LossChecks.requireNonNull(reduction, "reduction");
        TensorChecks.requireSameDevice("logits", logits, "labels", labels, "weight", weight);
        Groups groups = Groups.of(rows, logits.numel(), reduction, "logits");
        if (logits.device().isCpu()) {
            return CpuDenseLosses.focal(logits, labels, weight, alpha, gamma, lossWeight, reduction, groups);
        }
        return CudaDenseLosses.run("FocalLoss (sample = row)", CudaDenseLosses.FOCAL, logits, labels, null, weight,
                logits.numel(), (int) logits.shape(logits.rank() - 1), groups, alpha, gamma, false, 0,
                CudaDenseLosses.scale(groups, reduction, lossWeight, groups.perGroup()));
    }

    /**
     * Focal loss over all queries with targets from matched pairs: query {@code pred[k]} of problem
     * {@code p} gets class {@code gtLabels[s, gt[k]]} (with {@code s = p % samples}, the GT batch
     * shape being a suffix of the pairs' batch shape), every other query is background — the
     * {@code labels} that DETR heads build from their assignment. Equivalent to
     * {@link #sigmoid} on those labels.
     *
     * @param logits {@code (P..., Q, C)}
     * @param pairs matched pairs with batch shape {@code P...}
     * @param gtLabels {@code (S..., M)} int32|int64
     */
    public static LossResult sigmoidMatched(Tensor logits, MatchedPairs pairs, Tensor gtLabels, double alpha,
                                            double gamma, double lossWeight, Reduction reduction) {
        LossChecks.requireFloat(logits, "logits");
        long[] rows = LossChecks.withoutLast(logits, "logits");
        Tensor labels = MatchedTargets.classLabels(pairs, gtLabels, rows[rows.length - 1],
                logits.shape(logits.rank() - 1));
        try {
            return sigmoid(logits, labels, null, alpha, gamma, lossWeight, reduction);
        } finally {
            labels.close();
        }
    }
}
