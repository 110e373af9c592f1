package dev.batchwise.assign;

import java.util.List;

/**
 * Batched equivalent of mmdet3d's {@code HungarianAssigner3D} (DETR3D / PETR / StreamPETR): for
 * every decoder layer and sample at once, the cost {@code FocalLossCost + BBox3DL1Cost} between all
 * queries and the sample's GT, then a minimum-cost one-to-one matching (each GT gets one query).
 * Costs and matching stay on the device of the inputs.
 *
 * <pre>{@code
 * MatchedAssignment m = HungarianAssigner3D.streamPetr().assign(CostInputs.builder()
 *         .logits(clsScores).predBoxes(bboxPreds)            // (L, B, Q, C), (L, B, Q, 10)
 *         .gtLabels(labels).gtBoxes(normalisedGtBoxes)       // (B, M), (B, M, 10)
 *         .gtCounts(counts).build());                        // (B)
 * }</pre>
 *
 * @param focal the classification term (StreamPETR: weight 2.0, alpha 0.25, gamma 2.0)
 * @param regression the box term (StreamPETR: weight 0.25 on the first 8 values)
 */
public record HungarianAssigner3D(CostTerm.FocalLoss focal, CostTerm.BBox3DL1 regression) {
    /** Validates that both terms are present. */
    public HungarianAssigner3D {
        if (focal == null || regression == null) {
            throw new IllegalArgumentException("focal and regression terms must not be null");
        }
    }

    /** StreamPETR's configuration: FocalLossCost(weight 2.0, alpha 0.25, gamma 2.0) + BBox3DL1Cost(weight 0.25), k = 8. */
    public static HungarianAssigner3D streamPetr() {
        return new HungarianAssigner3D(new CostTerm.FocalLoss(2.0, 0.25, 2.0), new CostTerm.BBox3DL1(0.25, 8));
    }

    /** The cost terms, in order. */
    public List<CostTerm> terms() {
        return List.of(focal, regression);
    }

    /**
     * Matches every problem; inputs need logits, predicted boxes, GT labels, GT boxes and counts.
     *
     * @return pairs with the prediction batch shape, and the solved costs
     */
    public MatchedAssignment assign(CostInputs inputs) {
        return HungarianMatching.assign(inputs, terms());
    }
}
