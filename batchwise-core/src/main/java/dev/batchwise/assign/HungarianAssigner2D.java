package dev.batchwise.assign;

import java.util.List;

/**
 * Batched equivalent of StreamPETR's {@code HungarianAssigner2D} (focal head): for every image at
 * once, a configurable weighted sum of {@link CostTerm}s — by default FocalLossCost 2.0 +
 * BBoxL1Cost 5.0 (xywh, GT normalised by the image size) + IoUCost 2.0 (GIoU) + centre L1 cost 10.0 —
 * then a minimum-cost one-to-one matching. Costs and matching stay on the device of the inputs.
 *
 * <pre>{@code
 * MatchedAssignment m = HungarianAssigner2D.streamPetr().assign(CostInputs.builder()
 *         .logits(cls).predBoxes(boxesCxcywh).predCenters(centers)    // (I, P, C), (I, P, 4), (I, P, 2)
 *         .gtLabels(labels).gtBoxes(gtXyxyPixels).gtCenters(gtCentersPixels).gtCounts(counts)
 *         .imageSize(800, 320).build());
 * }</pre>
 *
 * @param terms the cost terms (at least one)
 */
public record HungarianAssigner2D(List<CostTerm> terms) {
    /** Copies and validates the terms. */
    public HungarianAssigner2D {
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("terms must name at least one cost term");
        }
        terms = List.copyOf(terms);
    }

    /** StreamPETR's focal head: focal 2.0 (alpha 0.25, gamma 2.0), bbox L1 5.0 (xywh), GIoU 2.0, centre L1 10.0. */
    public static HungarianAssigner2D streamPetr() {
        return new HungarianAssigner2D(List.of(CostTerm.focal(2.0, 0.25, 2.0), CostTerm.bboxL1(5.0, BoxFormat.XYWH),
                CostTerm.iou(2.0, IouMode.GIOU), CostTerm.centerL1(10.0)));
    }

    /** Matches every image; see {@link CostInputs} for what each term reads. */
    public MatchedAssignment assign(CostInputs inputs) {
        return HungarianMatching.assign(inputs, terms);
    }
}
