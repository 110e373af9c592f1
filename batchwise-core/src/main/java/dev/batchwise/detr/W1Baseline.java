package dev.batchwise.detr;

import dev.batchwise.assign.CostMatrices;
import dev.batchwise.assign.HungarianAssigner2D;
import dev.batchwise.assign.HungarianAssigner3D;
import dev.batchwise.assign.HungarianMatching;
import dev.batchwise.assign.MatchedAssignment;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.loss.FocalLoss;
import dev.batchwise.loss.GIoULoss;
import dev.batchwise.loss.GaussianFocalLoss;
import dev.batchwise.loss.L1Loss;
import dev.batchwise.loss.LossResult;
import dev.batchwise.loss.MatchedPairs;
import dev.batchwise.loss.Reduction;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The W1 step written the way a training loop does it today: per decoder layer and per sample
 * (and per image for the 2D head) a cost matrix, an assignment, the losses and their gradients,
 * then the per-sample values summed. Same formulas and normalisation as {@link W1Step}, so the
 * two must agree (assignments identical, values within rounding); it is the baseline of the demo
 * and of the W1 benchmark.
 */
public final class W1Baseline {
    private final HungarianAssigner3D assigner3d = HungarianAssigner3D.streamPetr();
    private final HungarianAssigner2D assigner2d = HungarianAssigner2D.streamPetr();

    /** Runs the per-sample loop on the batch's device. */
    public W1Result run(W1Batch b) {
        W1Config cfg = b.config;
        W1Result r = new W1Result();
        double af3 = W1Step.avgFactor(b.counts3d);
        double af2 = W1Step.avgFactor(b.counts2d);
        int layers = cfg.layers();
        int samples = cfg.batch();
        Reduction red3 = Reduction.avgFactor(af3);
        Reduction red2 = Reduction.avgFactor(af2);
        r.gradLogits3d = Tensor.zeros(b.logits3d.dtype(), b.device(), b.logits3d.shape());
        r.gradBoxes3d = Tensor.zeros(b.boxes3d.dtype(), b.device(), b.boxes3d.shape());
        long k3 = Math.min(cfg.queries(), b.gtLabels3d.shape(1));
        Tensor pred3 = Tensor.full(-1, DType.INT64, b.device(), layers, samples, k3);
        Tensor gt3 = Tensor.full(-1, DType.INT64, b.device(), layers, samples, k3);
        Tensor cnt3 = Tensor.zeros(DType.INT64, b.device(), layers, samples);
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            double cls = 0;
            double box = 0;
            for (int s = 0; s < samples; s++) {
                Tensor logits = b.logits3d.select(0, l).narrow(0, s, 1);
                Tensor boxes = b.boxes3d.select(0, l).narrow(0, s, 1);
                Tensor labels = b.gtLabels3d.narrow(0, s, 1);
                Tensor gtBoxes = b.gtBoxes3d.narrow(0, s, 1);
                Tensor counts = b.gtCounts3d.narrow(0, s, 1);
                try (Tensor cost = CostMatrices.weightedSum(W1Step.inputs3d(logits, boxes, labels, gtBoxes, counts),
                        assigner3d.terms());
                     MatchedAssignment m = HungarianMatching.match(cost, counts)) {
                    MatchedPairs p = W1Step.pairs(m);
                    LossResult c = FocalLoss.sigmoidMatched(logits, p, labels, W1Step.ALPHA, W1Step.GAMMA,
                            W1Step.CLS_WEIGHT, red3);
                    LossResult x = L1Loss.matched(boxes, gtBoxes, p, W1Step.CODE_WEIGHTS, W1Step.BBOX3D_WEIGHT, red3);
                    cls += c.scalar();
                    box += x.scalar();
                    r.gradLogits3d.select(0, l).narrow(0, s, 1).copyFrom(c.gradient());
                    r.gradBoxes3d.select(0, l).narrow(0, s, 1).copyFrom(x.gradient());
                    pred3.select(0, l).narrow(0, s, 1).copyFrom(m.predIndices().data());
                    gt3.select(0, l).narrow(0, s, 1).copyFrom(m.gtIndices().data());
                    cnt3.select(0, l).narrow(0, s, 1).copyFrom(m.counts());
                    closeAll(c, x);
                }
            }
            sums.put("3d.cls.d" + l, cls);
            sums.put("3d.bbox.d" + l, box);
        }
        r.pairs3d = new MatchedPairs(pred3, gt3, cnt3);
        head2d(b, r, red2, sums);
        heatmaps(b, r, red2, sums);
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            r.values.put(e.getKey(), Tensor.of(new double[] {e.getValue()}, 1).to(b.device()));
        }
        return r;
    }

    private void head2d(W1Batch b, W1Result r, Reduction red2, Map<String, Double> sums) {
        W1Config cfg = b.config;
        int images = cfg.images();
        r.gradLogits2d = Tensor.zeros(b.logits2d.dtype(), b.device(), b.logits2d.shape());
        r.gradBoxes2d = Tensor.zeros(b.boxes2d.dtype(), b.device(), b.boxes2d.shape());
        r.gradCenters2d = Tensor.zeros(b.centers2d.dtype(), b.device(), b.centers2d.shape());
        long k2 = Math.min(cfg.predictions2d(), b.gtLabels2d.shape(1));
        Tensor pred2 = Tensor.full(-1, DType.INT64, b.device(), images, k2);
        Tensor gt2 = Tensor.full(-1, DType.INT64, b.device(), images, k2);
        Tensor cnt2 = Tensor.zeros(DType.INT64, b.device(), images);
        double cls = 0;
        double box = 0;
        double iou = 0;
        double ctr = 0;
        for (int i = 0; i < images; i++) {
            Tensor logits = b.logits2d.narrow(0, i, 1);
            Tensor boxes = b.boxes2d.narrow(0, i, 1);
            Tensor centers = b.centers2d.narrow(0, i, 1);
            Tensor labels = b.gtLabels2d.narrow(0, i, 1);
            Tensor gtBoxes = b.gtBoxes2d.narrow(0, i, 1);
            Tensor counts = b.gtCounts2d.narrow(0, i, 1);
            try (Tensor cost = CostMatrices.weightedSum(W1Step.inputs2d(cfg, logits, boxes, centers, labels, gtBoxes,
                    b.gtCenters2d.narrow(0, i, 1), counts), assigner2d.terms());
                 MatchedAssignment m = HungarianMatching.match(cost, counts)) {
                MatchedPairs p = W1Step.pairs(m);
                LossResult c = FocalLoss.sigmoidMatched(logits, p, labels, W1Step.ALPHA, W1Step.GAMMA,
                        W1Step.CLS_WEIGHT, red2);
                LossResult x = L1Loss.matched(boxes, b.gtBoxesNorm2d.narrow(0, i, 1), p, null, W1Step.BBOX2D_WEIGHT,
                        red2);
                LossResult ce = L1Loss.matched(centers, b.gtCentersNorm2d.narrow(0, i, 1), p, null,
                        W1Step.CENTERS_WEIGHT, red2);
                Tensor boxGrad = r.gradBoxes2d.narrow(0, i, 1);
                boxGrad.copyFrom(x.gradient());
                Tensor g = GIoULoss.matchedCxcywhAccumulate(boxGrad, boxes, gtBoxes, p, cfg.imageWidth(),
                        cfg.imageHeight(), GIoULoss.DEFAULT_EPS, W1Step.IOU_WEIGHT, red2).value();
                cls += c.scalar();
                box += x.scalar();
                iou += g.toDoubleArray()[0];
                ctr += ce.scalar();
                g.close();
                r.gradLogits2d.narrow(0, i, 1).copyFrom(c.gradient());
                r.gradCenters2d.narrow(0, i, 1).copyFrom(ce.gradient());
                pred2.narrow(0, i, 1).copyFrom(m.predIndices().data());
                gt2.narrow(0, i, 1).copyFrom(m.gtIndices().data());
                cnt2.narrow(0, i, 1).copyFrom(m.counts());
                closeAll(c, x, ce);
            }
        }
        sums.put("2d.cls", cls);
        sums.put("2d.bbox", box);
        sums.put("2d.iou", iou);
        sums.put("2d.centers2d", ctr);
        r.pairs2d = new MatchedPairs(pred2, gt2, cnt2);
    }

    private static void heatmaps(W1Batch b, W1Result r, Reduction red2, Map<String, Double> sums) {
        W1Config cfg = b.config;
        r.heatmaps = Tensor.empty(DType.FLOAT32, b.device(), cfg.images(), cfg.featureHeight(), cfg.featureWidth());
        r.gradCenterness = Tensor.zeros(b.centerness.dtype(), b.device(), b.centerness.shape());
        double total = 0;
        for (int i = 0; i < cfg.images(); i++) {
            Tensor map = r.heatmaps.narrow(0, i, 1);
            GaussianHeatmaps.drawBatchedInto(map, b.heatCenters.narrow(0, i, 1), b.heatRadii.narrow(0, i, 1),
                    b.gtCounts2d.narrow(0, i, 1), W1Step.heatmapOptions());
            LossResult h = GaussianFocalLoss.fromLogits(b.centerness.narrow(0, i, 1), map,
                    GaussianFocalLoss.DEFAULT_ALPHA, GaussianFocalLoss.DEFAULT_GAMMA, W1Step.CENTERNESS_WEIGHT, red2);
            total += h.scalar();
            r.gradCenterness.narrow(0, i, 1).copyFrom(h.gradient());
            closeAll(h);
        }
        sums.put("2d.centerness", total);
    }

    private static void closeAll(LossResult... results) {
        for (LossResult x : List.of(results)) {
            x.value().close();
            x.gradient().close();
        }
    }
}
