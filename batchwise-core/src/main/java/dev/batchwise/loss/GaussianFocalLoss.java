package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Gaussian focal loss (CenterNet heatmap loss) with its gradient, mmdetection
 * {@code GaussianFocalLoss} semantics, for prediction {@code p} and Gaussian target {@code t}:
 * <pre>
 *   pos = -log(p + 1e-12) (1 - p)^alpha          where t == 1
 *   neg = -log(1 - p + 1e-12) p^alpha (1 - t)^gamma
 *   loss = pos + neg
 * </pre>
 * reduced by {@link Reduction} ({@code mean} over all elements; the heads use an avg factor of the
 * number of objects) and multiplied by {@code lossWeight}. Defaults alpha 2, gamma 4.
 */
public final class GaussianFocalLoss {
    /** mmdet default alpha. */
    public static final double DEFAULT_ALPHA = 2.0;
    /** mmdet default gamma. */
    public static final double DEFAULT_GAMMA = 4.0;

    private GaussianFocalLoss() {}

    /**
     * Loss on probabilities {@code p} (already through a sigmoid); gradient with respect to {@code p}.
     *
     * @param probabilities {@code (N...)} float in {@code [0, 1]}
     * @param targets {@code (N...)} float heatmap in {@code [0, 1]}, 1 at object centres
     */
    public static LossResult forward(Tensor probabilities, Tensor targets, double alpha, double gamma,
                                     double lossWeight, Reduction reduction) {
        return run(probabilities, false, targets, alpha, gamma, lossWeight, reduction);
    }

    /**
     * Loss on logits through mmdet3d's {@code clip_sigmoid}: {@code p = clamp(sigmoid(x), 1e-4, 1 - 1e-4)}
     * (what CenterNet-style heads, StreamPETR's focal head included, apply before this loss);
     * gradient with respect to the logits, zero where the clamp is active.
     *
     * @param logits {@code (N...)} float
     * @param targets {@code (N...)} float heatmap in {@code [0, 1]}
     */
    public static LossResult fromLogits(Tensor logits, Tensor targets, double alpha, double gamma,
                                        double lossWeight, Reduction reduction) {
        return run(logits, true, targets, alpha, gamma, lossWeight, reduction);
    }

    private static LossResult run(Tensor pred, boolean logits, Tensor targets, double alpha, double gamma,
                                  double lossWeight, Reduction reduction) {
        String name = logits ? "logits" : "probabilities";
        LossChecks.requireFloat(pred, name);
        LossChecks.requireFloat(targets, "targets");
        LossChecks.requireShape(targets, "targets", pred.shape());
        LossChecks.requireFinite(alpha, "alpha");
        LossChecks.requireFinite(gamma, "gamma");
        LossChecks.requireFinite(lossWeight, "lossWeight");
        LossChecks.requireNonNull(reduction, "reduction");
        TensorChecks.requireSameDevice(name, pred, "targets", targets);
        Groups groups = Groups.of(pred.shape(), pred.numel(), reduction, name);
        if (pred.device().isCpu()) {
            return CpuDenseLosses.gaussianFocal(pred, logits, targets, alpha, gamma, lossWeight, reduction, groups);
        }
        return CudaDenseLosses.run("GaussianFocalLoss", CudaDenseLosses.GAUSSIAN_FOCAL, pred, null, targets, null,
                pred.numel(), 1, groups, alpha, gamma, logits, 0,
                CudaDenseLosses.scale(groups, reduction, lossWeight, groups.perGroup()));
    }
}
