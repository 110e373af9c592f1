package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each cost term against a straightforward per-element implementation of mmdetection's formula,
 * on predictions with batch shape (2 layers, 3 samples) matched against per-sample ragged GT.
 */
class CostMatricesTest {
    static final int L = 2;
    static final int B = 3;
    static final int Q = 5;
    static final int C = 4;
    static final int M = 3;
    static final long[] COUNTS = {2, 0, 3}; // includes a sample without GT and a full one
    static final double W = 800;
    static final double H = 320;

    double[] logits;
    double[] boxes;   // normalised cxcywh (first 4) + 6 more values for the 3D term
    double[] centers; // normalised
    long[] labels;
    double[] gtBoxes; // pixel xyxy (first 4) + 6 more values
    double[] gtCenters;
    Scope scope;

    @BeforeEach
    void data() {
        scope = Scope.open();
        SplittableRandom r = new SplittableRandom(21);
        logits = new double[L * B * Q * C];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = -4 + 8 * r.nextDouble();
        }
        logits[0] = 50;
        logits[1] = -50;
        boxes = new double[L * B * Q * 10];
        for (int i = 0; i < L * B * Q; i++) {
            boxes[i * 10] = r.nextDouble();
            boxes[i * 10 + 1] = r.nextDouble();
            boxes[i * 10 + 2] = 0.02 + 0.4 * r.nextDouble();
            boxes[i * 10 + 3] = 0.02 + 0.4 * r.nextDouble();
            for (int j = 4; j < 10; j++) {
                boxes[i * 10 + j] = r.nextDouble() - 0.5;
            }
        }
        boxes[2 * 10 + 2] = 0; // zero-area prediction
        centers = new double[L * B * Q * 2];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = r.nextDouble();
        }
        labels = new long[B * M];
        gtBoxes = new double[B * M * 10];
        gtCenters = new double[B * M * 2];
        for (int i = 0; i < B * M; i++) {
            labels[i] = r.nextInt(C);
            CostTestBoxes.fill(gtBoxes, i, r, false);
            gtCenters[i * 2] = (gtBoxes[i * 10] + gtBoxes[i * 10 + 2]) / 2;
            gtCenters[i * 2 + 1] = (gtBoxes[i * 10 + 1] + gtBoxes[i * 10 + 3]) / 2;
        }
        gtBoxes[4 * 10 + 2] = gtBoxes[4 * 10]; // zero-width GT (sample 1 padding: never read)
        gtBoxes[6 * 10 + 3] = gtBoxes[6 * 10 + 1]; // zero-height valid GT in sample 2
    }

    @AfterEach
    void close() {
        scope.close();
    }

    CostInputs inputs() {
        return CostInputs.builder()
                .logits(Tensor.of(logits, L, B, Q, C))
                .predBoxes(Tensor.of(boxes, L, B, Q, 10))
                .predCenters(Tensor.of(centers, L, B, Q, 2))
                .gtLabels(Tensor.of(labels, B, M))
                .gtBoxes(Tensor.of(gtBoxes, B, M, 10))
                .gtCenters(Tensor.of(gtCenters, B, M, 2))
                .gtCounts(Tensor.of(COUNTS, B))
                .imageSize(W, H)
                .build();
    }

    /** Reference cost of one (problem, query, gt) triple for one term. */
    interface Ref {
        double at(int p, int q, int s, int m);
    }

    void assertMatches(Tensor cost, Ref ref, double scale) {
        assertArrayEquals(new long[] {L, B, Q, M}, cost.shape());
        double[] got = cost.toDoubleArray();
        for (int p = 0; p < L * B; p++) {
            int s = p % B;
            for (int q = 0; q < Q; q++) {
                for (int m = 0; m < M; m++) {
                    double v = got[(p * Q + q) * M + m];
                    assertTrue(Double.isFinite(v), "finite");
                    if (m < COUNTS[s]) {
                        double e = scale * ref.at(p, q, s, m);
                        assertEquals(e, v, 1e-12 * Math.max(1, Math.abs(e)), "p=" + p + " q=" + q + " m=" + m);
                    } else {
                        assertEquals(0.0, v, "padding column");
                    }
                }
            }
        }
    }

    double logit(int p, int q, int c) {
        return logits[(p * Q + q) * C + c];
    }

    double box(int p, int q, int j) {
        return boxes[(p * Q + q) * 10 + j];
    }

    double gt(int s, int m, int j) {
        return gtBoxes[(s * M + m) * 10 + j];
    }

    @Test
    void focalLossCost() {
        Ref ref = (p, q, s, m) -> {
            double prob = 1 / (1 + Math.exp(-logit(p, q, (int) labels[s * M + m])));
            double neg = -Math.log(1 - prob + 1e-12) * (1 - 0.25) * Math.pow(prob, 2);
            double pos = -Math.log(prob + 1e-12) * 0.25 * Math.pow(1 - prob, 2);
            return pos - neg;
        };
        assertMatches(CostMatrices.focalLossCost(inputs(), 2.0, 0.25, 2.0), ref, 2.0);
    }

    @Test
    void classificationCost() {
        Ref ref = (p, q, s, m) -> {
            double sum = 0;
            for (int c = 0; c < C; c++) {
                sum += Math.exp(logit(p, q, c));
            }
            return -Math.exp(logit(p, q, (int) labels[s * M + m])) / sum;
        };
        assertMatches(CostMatrices.classificationCost(inputs(), 1.5), ref, 1.5);
    }

    @Test
    void bboxL1CostInBothFormats() {
        Ref xywh = (p, q, s, m) -> {
            double[] g = {(gt(s, m, 0) + gt(s, m, 2)) / 2 / W, (gt(s, m, 1) + gt(s, m, 3)) / 2 / H,
                (gt(s, m, 2) - gt(s, m, 0)) / W, (gt(s, m, 3) - gt(s, m, 1)) / H};
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(box(p, q, j) - g[j]);
            }
            return sum;
        };
        assertMatches(CostMatrices.bboxL1Cost(inputs(), 5.0, BoxFormat.XYWH), xywh, 5.0);
        Ref xyxy = (p, q, s, m) -> {
            double[] pb = {box(p, q, 0) - box(p, q, 2) / 2, box(p, q, 1) - box(p, q, 3) / 2,
                box(p, q, 0) + box(p, q, 2) / 2, box(p, q, 1) + box(p, q, 3) / 2};
            double[] norm = {W, H, W, H};
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(pb[j] - gt(s, m, j) / norm[j]);
            }
            return sum;
        };
        assertMatches(CostMatrices.bboxL1Cost(inputs(), 1.0, BoxFormat.XYXY), xyxy, 1.0);
    }

    @Test
    void bbox3dL1CostUsesFirstKValues() {
        Ref ref = (p, q, s, m) -> {
            double sum = 0;
            for (int j = 0; j < 8; j++) {
                sum += Math.abs(box(p, q, j) - gt(s, m, j));
            }
            return sum;
        };
        assertMatches(CostMatrices.bbox3dL1Cost(inputs(), 0.25, 8), ref, 0.25);
    }

    @Test
    void iouAndGiouCostsIncludingDegenerateBoxes() {
        for (IouMode mode : IouMode.values()) {
            Ref ref = (p, q, s, m) -> {
                double[] a = {(box(p, q, 0) - box(p, q, 2) / 2) * W, (box(p, q, 1) - box(p, q, 3) / 2) * H,
                    (box(p, q, 0) + box(p, q, 2) / 2) * W, (box(p, q, 1) + box(p, q, 3) / 2) * H};
                double[] b = {gt(s, m, 0), gt(s, m, 1), gt(s, m, 2), gt(s, m, 3)};
                double area1 = (a[2] - a[0]) * (a[3] - a[1]);
                double area2 = (b[2] - b[0]) * (b[3] - b[1]);
                double ov = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
                        * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
                double union = Math.max(area1 + area2 - ov, 1e-6);
                if (mode == IouMode.IOU) {
                    return -ov / union;
                }
                double enc = Math.max(Math.max(0, Math.max(a[2], b[2]) - Math.min(a[0], b[0]))
                        * Math.max(0, Math.max(a[3], b[3]) - Math.min(a[1], b[1])), 1e-6);
                return -(ov / union - (enc - union) / enc);
            };
            assertMatches(CostMatrices.iouCost(inputs(), 2.0, mode), ref, 2.0);
        }
    }

    @Test
    void centerL1Cost() {
        Ref ref = (p, q, s, m) -> Math.abs(centers[(p * Q + q) * 2] - gtCenters[(s * M + m) * 2] / W)
                + Math.abs(centers[(p * Q + q) * 2 + 1] - gtCenters[(s * M + m) * 2 + 1] / H);
        assertMatches(CostMatrices.centerL1Cost(inputs(), 10.0), ref, 10.0);
    }

    @Test
    void fusedSumEqualsSumOfSingleTerms() {
        List<CostTerm> terms = List.of(CostTerm.focal(2.0, 0.25, 2.0), CostTerm.bboxL1(5.0, BoxFormat.XYWH),
                CostTerm.iou(2.0, IouMode.GIOU), CostTerm.centerL1(10.0), CostTerm.classification(1.0),
                CostTerm.bbox3dL1(0.25, 8));
        double[] fused = CostMatrices.weightedSum(inputs(), terms).toDoubleArray();
        double[] sum = new double[fused.length];
        for (CostTerm t : terms) {
            double[] one = CostMatrices.weightedSum(inputs(), List.of(t)).toDoubleArray();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            assertEquals(sum[i], fused[i], 1e-12 * Math.max(1, Math.abs(sum[i])));
        }
    }

    /**
     * The CPU joint path (costs computed straight into the solver) gives the pairs of
     * weightedSum + match, and rejects invalid costs as match does instead of leaving the problem
     * without pairs.
     */
    @Test
    void jointAssignmentMatchesPerHeadMatchingAndRejectsInvalidCosts() {
        List<CostTerm> terms = List.of(CostTerm.focal(2.0, 0.25, 2.0), CostTerm.bbox3dL1(0.25, 8));
        MatchedAssignment joint = HungarianMatching.assignJointly(List.of(inputs()), List.of(terms), null).get(0);
        MatchedAssignment alone = HungarianMatching.match(CostMatrices.weightedSum(inputs(), terms), Tensor.of(COUNTS, B));
        assertArrayEquals(alone.predIndices().data().toLongArray(), joint.predIndices().data().toLongArray());
        assertArrayEquals(alone.gtIndices().data().toLongArray(), joint.gtIndices().data().toLongArray());
        logits[((1 * B + 2) * Q + 3) * C + (int) labels[2 * M + 1]] = Double.NaN; // layer 1, sample 2 (3 GT)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HungarianMatching.assignJointly(List.of(inputs()), List.of(terms), null));
        assertTrue(e.getMessage().startsWith("assignment problem 5 (5 x 3) has invalid costs"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HungarianMatching.match(CostMatrices.weightedSum(inputs(), terms), Tensor.of(COUNTS, B)));
    }

    @Test
    void jointProblemsAreClaimedHeaviestFirstWithTiesInIndexOrder() {
        assertArrayEquals(new int[] {3, 1, 4, 0, 2, 5},
                HungarianMatching.heaviestFirst(new long[] {5, 80, 0, 644 * 80, 80, 0}));
        assertArrayEquals(new int[] {1, 0}, HungarianMatching.heaviestFirst(new long[] {0, Long.MAX_VALUE}));
        assertArrayEquals(new int[0], HungarianMatching.heaviestFirst(new long[0]));
    }

    @Test
    void float32InputsGiveFloat32CostsCloseToFloat64() {
        CostInputs in64 = inputs();
        CostInputs in32 = CostInputs.builder()
                .logits(in64.logits().to(dev.batchwise.tensor.DType.FLOAT32))
                .predBoxes(in64.predBoxes().to(dev.batchwise.tensor.DType.FLOAT32))
                .gtLabels(in64.gtLabels().to(dev.batchwise.tensor.DType.INT32))
                .gtBoxes(in64.gtBoxes().to(dev.batchwise.tensor.DType.FLOAT32))
                .gtCounts(in64.gtCounts().to(dev.batchwise.tensor.DType.INT32))
                .build();
        List<CostTerm> terms = List.of(CostTerm.focal(2.0, 0.25, 2.0), CostTerm.bbox3dL1(0.25, 8));
        Tensor c32 = CostMatrices.weightedSum(in32, terms);
        assertEquals(dev.batchwise.tensor.DType.FLOAT32, c32.dtype());
        double[] a = c32.toDoubleArray();
        double[] b = CostMatrices.weightedSum(in64, terms).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-5 * Math.max(1, Math.abs(b[i])));
        }
    }

    @Test
    void invalidInputsAreRejectedBeforeAnyWork() {
        CostInputs noBoxes = CostInputs.builder().logits(Tensor.of(logits, L, B, Q, C))
                .gtLabels(Tensor.of(labels, B, M)).gtCounts(Tensor.of(COUNTS, B)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CostMatrices.bbox3dL1Cost(noBoxes, 1, 8));
        assertEquals("predBoxes must not be null", e.getMessage());
        CostInputs badCounts = CostInputs.builder().logits(Tensor.of(logits, L, B, Q, C))
                .gtLabels(Tensor.of(labels, B, M)).gtCounts(Tensor.of(new long[] {1, 4, 0}, B)).build();
        assertThrows(IllegalArgumentException.class, () -> CostMatrices.focalLossCost(badCounts, 1, 0.25, 2));
        long[] badLabels = labels.clone();
        badLabels[0] = C;
        CostInputs badLabel = CostInputs.builder().logits(Tensor.of(logits, L, B, Q, C))
                .gtLabels(Tensor.of(badLabels, B, M)).gtCounts(Tensor.of(COUNTS, B)).build();
        assertThrows(IndexOutOfBoundsException.class, () -> CostMatrices.focalLossCost(badLabel, 1, 0.25, 2));
        CostInputs wrongBatch = CostInputs.builder().logits(Tensor.of(logits, L, B, Q, C))
                .gtLabels(Tensor.of(new long[8], 4, 2)).gtCounts(Tensor.of(new long[4], 4)).build();
        e = assertThrows(IllegalArgumentException.class, () -> CostMatrices.focalLossCost(wrongBatch, 1, 0.25, 2));
        assertEquals("the batch shape of logits (2, 3) must end with the GT batch shape (4,) of gtCounts",
                e.getMessage());
    }
}
