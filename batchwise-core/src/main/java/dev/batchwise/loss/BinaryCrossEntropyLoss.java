package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Binary cross-entropy on logits with its gradient — the existence / objectness loss, mmdetection
 * {@code CrossEntropyLoss(use_sigmoid=True)} semantics:
 * {@code loss = weight * (softplus(x) - t x)} (= {@code BCEWithLogits(x, t)}), reduced by
 * {@link Reduction} ({@code mean} over all elements) and multiplied by {@code lossWeight}. Stable
 * for any finite logit; d loss / d x = {@code weight (sigmoid(x) - t)}.
 */
public final class BinaryCrossEntropyLoss {
    private BinaryCrossEntropyLoss() {}

    /**
     * @param logits {@code (N...)} float32|float64
     * @param targets {@code (N...)} float in {@code [0, 1]} (soft targets allowed)
     * @param weight {@code (N...)} float element weights, or null for 1
     * @param lossWeight multiplier applied after the reduction
     * @param reduction sum, mean or avg factor; may keep leading dimensions
     */
    public static LossResult withLogits(Tensor logits, Tensor targets, Tensor weight, double lossWeight,
                                        Reduction reduction) {
        LossChecks.requireFloat(logits, "logits");
        LossChecks.requireFloat(targets, "targets");
        LossChecks.requireShape(targets, "targets", logits.shape());
        if (weight != null) {
            LossChecks.requireFloat(weight, "weight");
            LossChecks.requireShape(weight, "weight", logits.shape());
        }
        LossChecks.requireFinite(lossWeight, "lossWeight");
        LossChecks.requireNonNull(reduction, "reduction");
        TensorChecks.requireSameDevice("logits", logits, "targets", targets, "weight", weight);
        Groups groups = Groups.of(logits.shape(), logits.numel(), reduction, "logits");
        if (logits.device().isCpu()) {
            return CpuDenseLosses.bce(logits, targets, weight, lossWeight, reduction, groups);
        }
        return CudaDenseLosses.run("BinaryCrossEntropyLoss", CudaDenseLosses.BCE, logits, null, targets, weight,
                logits.numel(), 1, groups, 0, 0, false, 0,
                CudaDenseLosses.scale(groups, reduction, lossWeight, groups.perGroup()));
    }
}
