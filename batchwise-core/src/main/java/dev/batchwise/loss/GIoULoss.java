package dev.batchwise.loss;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Generalised IoU loss with its gradient, mmdetection {@code GIoULoss} semantics:
 * {@code loss = 1 - GIoU(pred, target)} per aligned box pair, where ({@code bbox_overlaps},
 * {@code is_aligned=True}) the union and the enclosing area are clamped below by {@code eps}
 * (mmdet default 1e-6), so degenerate boxes of zero area give finite values and gradients.
 * The gradient follows torch's conventions at the kinks (clamp passes at equality, ties of
 * min/max split the gradient in half).
 */
public final class GIoULoss {
    /** mmdetection's default eps of {@code GIoULoss}. */
    public static final double DEFAULT_EPS = 1e-6;

    private GIoULoss() {}

    /**
     * Dense GIoU loss on corner boxes.
     *
     * @param pred {@code (N..., 4)} float {@code (x1, y1, x2, y2)}
     * @param target {@code (N..., 4)} float {@code (x1, y1, x2, y2)}
     * @param weight {@code (N...)} float per-box weight, or null for 1
     * @param reduction sum, mean (over boxes) or avg factor
     * @return value and d value / d pred
     */
    public static LossResult forward(Tensor pred, Tensor target, Tensor weight, double eps, double lossWeight,
                                     Reduction reduction) {
        LossChecks.requireFloat(pred, "pred");
        long[] rows = LossChecks.withoutLast(pred, "pred");
        if (pred.shape(pred.rank() - 1) != 4) {
            throw new IllegalArgumentException("pred must have shape (N..., 4), got "
                    + dev.batchwise.tensor.Shapes.format(pred.shape()));
        }
        LossChecks.requireFloat(target, "target");
        LossChecks.requireShape(target, "target", pred.shape());
        if (weight != null) {
            LossChecks.requireFloat(weight, "weight");
            LossChecks.requireShape(weight, "weight", rows);
        }
        checkScalars(eps, lossWeight, reduction);
        TensorChecks.requireSameDevice("pred", pred, "target", target, "weight", weight);
        Groups groups = Groups.of(rows, pred.numel() / 4, reduction, "pred");
        if (pred.device().isCpu()) {
            return CpuDenseLosses.giou(pred, target, weight, eps, lossWeight, reduction, groups);
        }
        return CudaDenseLosses.run("GIoULoss", CudaDenseLosses.GIOU, pred, null, target, weight, pred.numel() / 4, 4,
                groups, 0, 0, false, eps, CudaDenseLosses.scale(groups, reduction, lossWeight, groups.perGroup()));
    }

    /**
     * GIoU loss over matched pairs in the DETR convention: the prediction is a normalised
     * {@code (cx, cy, w, h)} box, converted to pixel corners with the image size
     * ({@code bbox_cxcywh_to_xyxy(pred) * [W, H, W, H]}); the target is a pixel corner box. The
     * gradient is with respect to the normalised {@code (cx, cy, w, h)} predictions.
     *
     * @param pred {@code (P..., Q, 4)} float normalised {@code (cx, cy, w, h)}
     * @param gtBoxes {@code (S..., M, 4)} float pixel {@code (x1, y1, x2, y2)}
     * @param pairs matched pairs with batch shape {@code P...}
     * @param reduction sum or avg factor (mmdet: number of matched GT)
     */
    public static LossResult matchedCxcywh(Tensor pred, Tensor gtBoxes, MatchedPairs pairs, double imageWidth,
                                           double imageHeight, double eps, double lossWeight, Reduction reduction) {
        return matchedCxcywhAccumulate(null, pred, gtBoxes, pairs, imageWidth, imageHeight, eps, lossWeight,
                reduction);
    }

    /**
     * As {@link #matchedCxcywh}, adding the gradient into {@code gradInto} (shape and dtype of
     * {@code pred}, modified in place); null allocates.
     */
    public static LossResult matchedCxcywhAccumulate(Tensor gradInto, Tensor pred, Tensor gtBoxes,
                                                     MatchedPairs pairs, double imageWidth, double imageHeight,
                                                     double eps, double lossWeight, Reduction reduction) {
        MatchedLayout lay = MatchedLayout.of(pred, "pred", gtBoxes, "gtBoxes", pairs, reduction, gradInto);
        if (lay.dim() != 4) {
            throw new IllegalArgumentException("pred must have shape (P..., Q, 4), got "
                    + dev.batchwise.tensor.Shapes.format(pred.shape()));
        }
        if (!(imageWidth > 0) || !(imageHeight > 0) || Double.isInfinite(imageWidth)
                || Double.isInfinite(imageHeight)) {
            throw new IllegalArgumentException("image size must be positive and finite, got " + imageWidth + " x "
                    + imageHeight);
        }
        checkScalars(eps, lossWeight, reduction);
        if (pred.device().isCpu()) {
            return CpuMatchedLosses.giouCxcywh(lay, imageWidth, imageHeight, eps, lossWeight, reduction, gradInto);
        }
        return CudaMatchedLosses.giouCxcywh(lay, imageWidth, imageHeight, eps, lossWeight, reduction, gradInto);
    }

    private static void checkScalars(double eps, double lossWeight, Reduction reduction) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
        LossChecks.requireFinite(lossWeight, "lossWeight");
        LossChecks.requireNonNull(reduction, "reduction");
    }
}
