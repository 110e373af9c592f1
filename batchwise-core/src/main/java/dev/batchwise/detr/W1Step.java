package dev.batchwise.detr;

import dev.batchwise.assign.CostInputs;
import dev.batchwise.assign.HungarianAssigner2D;
import dev.batchwise.assign.HungarianAssigner3D;
import dev.batchwise.assign.HungarianMatching;
import dev.batchwise.assign.MatchedAssignment;
import dev.batchwise.heatmap.GaussianDrawOptions;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.heatmap.GaussianStamp;
import dev.batchwise.loss.FocalLoss;
import dev.batchwise.loss.GIoULoss;
import dev.batchwise.loss.GaussianFocalLoss;
import dev.batchwise.loss.L1Loss;
import dev.batchwise.loss.LossResult;
import dev.batchwise.loss.MatchedPairs;
import dev.batchwise.loss.Reduction;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Tensor;
import java.util.List;

/**
 * The W1 loss step, batched: both heads of a StreamPETR-style detector in a handful of batched
 * calls on the device of the batch — costs for all layers x samples and all images (one kernel
 * per head), one joint assignment of both heads' problems
 * ({@link HungarianMatching#assignJointly}), fused losses with gradients reading the matched pairs
 * directly, and the centerness heatmaps drawn for all images at once. On CUDA it only enqueues
 * work; nothing waits for the device until a result is read. The matched pairs of both heads have
 * the joint width {@code min(max Q, max M)}.
 *
 * <p>3D head, per layer {@code l} (normalised by {@code max(1, total GT)}, mmdet's
 * {@code num_total_pos}): {@code 3d.cls.d<l>} = sigmoid focal loss (alpha 0.25, gamma 2, weight 2) over
 * all queries x classes with unmatched queries as background; {@code 3d.bbox.d<l>} = L1 (weight 0.25)
 * with code weights {@code [2, 2, 1, 1, 1, 1, 1, 1, 1, 1]} over matched pairs. 2D head (normalised by
 * {@code max(1, total 2D GT)}): focal 2.0, L1 on normalised {@code (cx, cy, w, h)} 5.0, GIoU in pixels
 * 2.0, centre L1 10.0, Gaussian focal (clip-sigmoid logits) 1.0 on centerness maps.
 *
 * <pre>{@code
 * try (W1Batch batch = W1Batch.generate(W1Config.streamPetr()).to(Device.best());
 *      W1Result r = new W1Step().run(batch, W1Stages.NONE)) {
 *     Map<String, Double> losses = r.losses();
 *     Tensor dLogits = r.gradLogits3d();    // feed back into the network's backward pass
 * }
 * }</pre>
 */
public final class W1Step {
    /** StreamPETR's code weights of the 3D box L1 loss. */
    static final double[] CODE_WEIGHTS = {2, 2, 1, 1, 1, 1, 1, 1, 1, 1};
    static final double ALPHA = 0.25;
    static final double GAMMA = 2.0;
    static final double CLS_WEIGHT = 2.0;
    static final double BBOX3D_WEIGHT = 0.25;
    static final double BBOX2D_WEIGHT = 5.0;
    static final double IOU_WEIGHT = 2.0;
    static final double CENTERS_WEIGHT = 10.0;
    static final double CENTERNESS_WEIGHT = 1.0;

    private final HungarianAssigner3D assigner3d = HungarianAssigner3D.streamPetr();
    private final HungarianAssigner2D assigner2d = HungarianAssigner2D.streamPetr();

    /** mmdet's {@code num_total_pos} clamped to at least 1. */
    static double avgFactor(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return Math.max(1, total);
    }

    static CostInputs inputs3d(Tensor logits, Tensor boxes, Tensor gtLabels, Tensor gtBoxes, Tensor gtCounts) {
        return CostInputs.builder().logits(logits).predBoxes(boxes).gtLabels(gtLabels).gtBoxes(gtBoxes)
                .gtCounts(gtCounts).build();
    }

    static CostInputs inputs2d(W1Config cfg, Tensor logits, Tensor boxes, Tensor centers, Tensor gtLabels,
                               Tensor gtBoxes, Tensor gtCenters, Tensor gtCounts) {
        return CostInputs.builder().logits(logits).predBoxes(boxes).predCenters(centers).gtLabels(gtLabels)
                .gtBoxes(gtBoxes).gtCenters(gtCenters).gtCounts(gtCounts)
                .imageSize(cfg.imageWidth(), cfg.imageHeight()).build();
    }

    static MatchedPairs pairs(MatchedAssignment a) {
        return MatchedPairs.of(a.predIndices(), a.gtIndices());
    }

    static GaussianDrawOptions heatmapOptions() {
        return GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true);
    }

    /** Runs the whole step on the batch's device; reports stage ends to {@code stages}. */
    public W1Result run(W1Batch b, W1Stages stages) {
        W1Config cfg = b.config;
        W1Result r = new W1Result();
        double af3 = avgFactor(b.counts3d);
        double af2 = avgFactor(b.counts2d);

        // both heads' costs into one padded buffer and one assignment launch for all 96 problems
        List<MatchedAssignment> ms = HungarianMatching.assignJointly(
                List.of(inputs3d(b.logits3d, b.boxes3d, b.gtLabels3d, b.gtBoxes3d, b.gtCounts3d),
                        inputs2d(cfg, b.logits2d, b.boxes2d, b.centers2d, b.gtLabels2d, b.gtBoxes2d, b.gtCenters2d,
                                b.gtCounts2d)),
                List.of(assigner3d.terms(), assigner2d.terms()), () -> stages.stageDone("costs"));
        stages.stageDone("matching");
        MatchedAssignment m3 = ms.get(0);
        MatchedAssignment m2 = ms.get(1);
        r.pairs3d = pairs(m3);
        r.pairs2d = pairs(m2);

        Reduction perLayer = Reduction.avgFactor(af3).keepLeading(1);
        LossResult cls3 = FocalLoss.sigmoidMatched(b.logits3d, r.pairs3d, b.gtLabels3d, ALPHA, GAMMA, CLS_WEIGHT,
                perLayer);
        LossResult box3 = L1Loss.matched(b.boxes3d, b.gtBoxes3d, r.pairs3d, CODE_WEIGHTS, BBOX3D_WEIGHT, perLayer);
        for (int l = 0; l < cfg.layers(); l++) {
            r.putElement("3d.cls.d" + l, cls3.value(), l);
            r.putElement("3d.bbox.d" + l, box3.value(), l);
        }
        r.gradLogits3d = cls3.gradient();
        r.gradBoxes3d = box3.gradient();

        Reduction red2 = Reduction.avgFactor(af2);
        LossResult cls2 = FocalLoss.sigmoidMatched(b.logits2d, r.pairs2d, b.gtLabels2d, ALPHA, GAMMA, CLS_WEIGHT,
                red2);
        LossResult box2 = L1Loss.matched(b.boxes2d, b.gtBoxesNorm2d, r.pairs2d, null, BBOX2D_WEIGHT, red2);
        LossResult iou2 = GIoULoss.matchedCxcywhAccumulate(box2.gradient(), b.boxes2d, b.gtBoxes2d, r.pairs2d,
                cfg.imageWidth(), cfg.imageHeight(), GIoULoss.DEFAULT_EPS, IOU_WEIGHT, red2);
        LossResult ctr2 = L1Loss.matched(b.centers2d, b.gtCentersNorm2d, r.pairs2d, null, CENTERS_WEIGHT, red2);
        r.values.put("2d.cls", cls2.value());
        r.values.put("2d.bbox", box2.value());
        r.values.put("2d.iou", iou2.value());
        r.values.put("2d.centers2d", ctr2.value());
        r.gradLogits2d = cls2.gradient();
        r.gradBoxes2d = iou2.gradient();
        r.gradCenters2d = ctr2.gradient();
        stages.stageDone("losses");

        r.heatmaps = Tensor.empty(DType.FLOAT32, b.device(), cfg.images(), cfg.featureHeight(), cfg.featureWidth());
        GaussianHeatmaps.drawBatchedInto(r.heatmaps, b.heatCenters, b.heatRadii, b.gtCounts2d, heatmapOptions());
        LossResult heat = GaussianFocalLoss.fromLogits(b.centerness, r.heatmaps, GaussianFocalLoss.DEFAULT_ALPHA,
                GaussianFocalLoss.DEFAULT_GAMMA, CENTERNESS_WEIGHT, red2);
        r.values.put("2d.centerness", heat.value());
        r.gradCenterness = heat.gradient();
        stages.stageDone("heatmaps");
        return r;
    }
}
