package dev.batchwise.assign;

/**
 * One weighted term of a DETR-style matching cost between every prediction (query) {@code q} and
 * every ground-truth object {@code m} of a problem. Terms are summed by
 * {@link CostMatrices#weightedSum}; the formulas are those of mmdetection's
 * {@code match_costs}, each multiplied by its {@code weight}. Which inputs a term reads from
 * {@link CostInputs} is said on each record.
 */
public sealed interface CostTerm {
    /** The multiplier of this term. */
    double weight();

    /**
     * mmdetection {@code FocalLossCost} (sigmoid): with {@code p = sigmoid(logits[q, label[m]])},
     * {@code neg = -log(1 - p + 1e-12) (1 - alpha) p^gamma}, {@code pos = -log(p + 1e-12) alpha (1 - p)^gamma},
     * cost = {@code (pos - neg) * weight}. Reads logits and GT labels.
     */
    record FocalLoss(double weight, double alpha, double gamma) implements CostTerm {}

    /**
     * mmdetection {@code ClassificationCost}: {@code -softmax(logits[q])[label[m]] * weight}. Reads
     * logits and GT labels.
     */
    record Classification(double weight) implements CostTerm {}

    /**
     * mmdetection {@code BBoxL1Cost} as used by its {@code HungarianAssigner}: L1 distance
     * ({@code cdist}, p = 1) between the predicted box, normalised {@code (cx, cy, w, h)}, and the GT
     * box {@code (x1, y1, x2, y2)} divided by the image size of {@link CostInputs}. With
     * {@link BoxFormat#XYWH} the GT is converted to {@code (cx, cy, w, h)}; with {@link BoxFormat#XYXY}
     * the prediction is converted to corners. Reads predicted boxes and GT boxes (first 4 values).
     */
    record BBoxL1(double weight, BoxFormat format) implements CostTerm {}

    /**
     * mmdet3d {@code BBox3DL1Cost}: L1 distance over the first {@code k} values of the (normalised)
     * predicted and GT box vectors (StreamPETR: k = 8, i.e. centre, log size and sin/cos yaw, no
     * velocity). Reads predicted boxes and GT boxes.
     */
    record BBox3DL1(double weight, int k) implements CostTerm {}

    /**
     * mmdetection {@code IoUCost}: {@code -overlap * weight} where overlap is IoU or GIoU
     * ({@code bbox_overlaps}, eps 1e-6) between the predicted box converted to pixel corners
     * ({@code cxcywh -> xyxy}, times the image size) and the GT box in pixel corners.
     */
    record IoU(double weight, IouMode mode) implements CostTerm {}

    /**
     * Centre L1 cost (StreamPETR {@code centers2d_cost}, a {@code BBox3DL1Cost} on 2-vectors): L1
     * distance between the predicted centre (normalised {@code (x, y)}) and the GT centre in pixels
     * divided by the image size. Reads predicted centres and GT centres.
     */
    record CenterL1(double weight) implements CostTerm {}

    /** {@link FocalLoss} term. */
    static CostTerm focal(double weight, double alpha, double gamma) {
        return new FocalLoss(weight, alpha, gamma);
    }

    /** {@link Classification} term. */
    static CostTerm classification(double weight) {
        return new Classification(weight);
    }

    /** {@link BBoxL1} term. */
    static CostTerm bboxL1(double weight, BoxFormat format) {
        return new BBoxL1(weight, format);
    }

    /** {@link BBox3DL1} term. */
    static CostTerm bbox3dL1(double weight, int k) {
        return new BBox3DL1(weight, k);
    }

    /** {@link IoU} term. */
    static CostTerm iou(double weight, IouMode mode) {
        return new IoU(weight, mode);
    }

    /** {@link CenterL1} term. */
    static CostTerm centerL1(double weight) {
        return new CenterL1(weight);
    }
}
