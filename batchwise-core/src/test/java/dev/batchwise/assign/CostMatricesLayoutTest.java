package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CPU costs on shapes that cross the implementation's blocking: more queries than one block
 * (not a multiple of it), a padded GT count that is not a whole number of vectors, samples
 * without GT, with all GT slots used and with only a few classes among their labels. Every
 * problem of a batch must come out bit for bit as when it is computed alone (the per-sample
 * baseline relies on it), and close to a per-element reference of the summed terms.
 */
class CostMatricesLayoutTest {
    static final int L = 2;
    static final int B = 4;
    static final int Q = 70;
    static final int C = 10;
    static final int M = 37;
    static final long[] COUNTS = {0, 37, 9, 23};
    static final double W = 800;
    static final double H = 320;

    static final List<CostTerm> TERMS_2D = List.of(CostTerm.focal(2.0, 0.25, 2.0),
            CostTerm.bboxL1(5.0, BoxFormat.XYWH), CostTerm.iou(2.0, IouMode.GIOU), CostTerm.centerL1(10.0));
    static final List<CostTerm> TERMS_3D = List.of(CostTerm.focal(2.0, 0.25, 2.0), CostTerm.bbox3dL1(0.25, 8));
    static final List<CostTerm> TERMS_OTHER = List.of(CostTerm.classification(1.5),
            CostTerm.bboxL1(1.0, BoxFormat.XYXY), CostTerm.iou(3.0, IouMode.IOU), CostTerm.focal(1.0, 0.3, 1.5));

    double[] logits;
    double[] boxes;
    double[] centers;
    long[] labels;
    double[] gtBoxes;
    double[] gtCenters;
    Scope scope;

    @BeforeEach
    void data() {
        scope = Scope.open();
        SplittableRandom r = new SplittableRandom(77);
        logits = new double[L * B * Q * C];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = 3 * r.nextGaussian();
        }
        boxes = new double[L * B * Q * 10];
        for (int i = 0; i < L * B * Q; i++) {
            boxes[i * 10] = r.nextDouble();
            boxes[i * 10 + 1] = r.nextDouble();
            boxes[i * 10 + 2] = 0.02 + 0.3 * r.nextDouble();
            boxes[i * 10 + 3] = 0.02 + 0.3 * r.nextDouble();
            for (int j = 4; j < 10; j++) {
                boxes[i * 10 + j] = r.nextGaussian();
            }
        }
        centers = new double[L * B * Q * 2];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = r.nextDouble();
        }
        labels = new long[B * M];
        gtBoxes = new double[B * M * 10];
        gtCenters = new double[B * M * 2];
        for (int i = 0; i < B * M; i++) {
            labels[i] = i / M == 2 ? 3 + 4 * r.nextInt(2) : r.nextInt(C); // sample 2 uses classes 3 and 7 only
            CostTestBoxes.fill(gtBoxes, i, r, true);
            gtCenters[i * 2] = (gtBoxes[i * 10] + gtBoxes[i * 10 + 2]) / 2;
            gtCenters[i * 2 + 1] = (gtBoxes[i * 10 + 1] + gtBoxes[i * 10 + 3]) / 2;
        }
        // predictions that coincide with a GT box: overlapping pairs next to disjoint ones
        for (int q = 0; q < 5; q++) {
            int row = (1 * B + 1) * Q + 40 + q;
            int g = 1 * M + q;
            boxes[row * 10] = (gtBoxes[g * 10] + gtBoxes[g * 10 + 2]) / 2 / W;
            boxes[row * 10 + 1] = (gtBoxes[g * 10 + 1] + gtBoxes[g * 10 + 3]) / 2 / H;
            boxes[row * 10 + 2] = (gtBoxes[g * 10 + 2] - gtBoxes[g * 10]) / W;
            boxes[row * 10 + 3] = (gtBoxes[g * 10 + 3] - gtBoxes[g * 10 + 1]) / H;
        }
    }

    @AfterEach
    void close() {
        scope.close();
    }

    CostInputs inputs(DType dtype, int l, int s) {
        Tensor lg = Tensor.of(logits, L, B, Q, C).to(dtype);
        Tensor bx = Tensor.of(boxes, L, B, Q, 10).to(dtype);
        Tensor ct = Tensor.of(centers, L, B, Q, 2).to(dtype);
        Tensor lb = Tensor.of(labels, B, M);
        Tensor gb = Tensor.of(gtBoxes, B, M, 10).to(dtype);
        Tensor gc = Tensor.of(gtCenters, B, M, 2).to(dtype);
        Tensor cn = Tensor.of(COUNTS, B);
        if (l >= 0) {
            lg = lg.select(0, l).narrow(0, s, 1);
            bx = bx.select(0, l).narrow(0, s, 1);
            ct = ct.select(0, l).narrow(0, s, 1);
            lb = lb.narrow(0, s, 1);
            gb = gb.narrow(0, s, 1);
            gc = gc.narrow(0, s, 1);
            cn = cn.narrow(0, s, 1);
        }
        return CostInputs.builder().logits(lg).predBoxes(bx).predCenters(ct).gtLabels(lb).gtBoxes(gb)
                .gtCenters(gc).gtCounts(cn).imageSize(W, H).build();
    }

    @Test
    void everyProblemOfABatchHasTheBitsOfTheProblemAlone() {
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (List<CostTerm> terms : List.of(TERMS_2D, TERMS_3D, TERMS_OTHER)) {
                double[] batched = CostMatrices.weightedSum(inputs(dtype, -1, 0), terms).toDoubleArray();
                for (int l = 0; l < L; l++) {
                    for (int s = 0; s < B; s++) {
                        double[] alone = CostMatrices.weightedSum(inputs(dtype, l, s), terms).toDoubleArray();
                        int p = l * B + s;
                        double[] part = java.util.Arrays.copyOfRange(batched, p * Q * M, (p + 1) * Q * M);
                        assertArrayEquals(alone, part, 0.0, dtype + " " + terms + " layer " + l + " sample " + s);
                    }
                }
            }
        }
    }

    @Test
    void summedTermsMatchThePerElementFormulas() {
        for (List<CostTerm> terms : List.of(TERMS_2D, TERMS_3D, TERMS_OTHER)) {
            double[] got = CostMatrices.weightedSum(inputs(DType.FLOAT64, -1, 0), terms).toDoubleArray();
            for (int p = 0; p < L * B; p++) {
                int s = p % B;
                for (int q = 0; q < Q; q++) {
                    for (int m = 0; m < M; m++) {
                        double v = got[(p * Q + q) * M + m];
                        if (m >= COUNTS[s]) {
                            assertEquals(0.0, v, "padding column");
                            continue;
                        }
                        double e = 0;
                        for (CostTerm t : terms) {
                            e += reference(t, p, q, s, m);
                        }
                        assertEquals(e, v, 1e-12 * Math.max(1, Math.abs(e)), terms + " p=" + p + " q=" + q + " m=" + m);
                    }
                }
            }
        }
    }

    double reference(CostTerm t, int p, int q, int s, int m) {
        int row = p * Q + q;
        int g = s * M + m;
        double x = logits[row * C + (int) labels[g]];
        double[] a = {(boxes[row * 10] - boxes[row * 10 + 2] / 2), (boxes[row * 10 + 1] - boxes[row * 10 + 3] / 2),
            (boxes[row * 10] + boxes[row * 10 + 2] / 2), (boxes[row * 10 + 1] + boxes[row * 10 + 3] / 2)};
        double[] norm = {W, H, W, H};
        return switch (t) {
            case CostTerm.FocalLoss f -> {
                double prob = 1 / (1 + Math.exp(-x));
                double neg = -Math.log(1 - prob + 1e-12) * (1 - f.alpha()) * Math.pow(prob, f.gamma());
                double pos = -Math.log(prob + 1e-12) * f.alpha() * Math.pow(1 - prob, f.gamma());
                yield f.weight() * (pos - neg);
            }
            case CostTerm.Classification c -> {
                double sum = 0;
                for (int k = 0; k < C; k++) {
                    sum += Math.exp(logits[row * C + k]);
                }
                yield -c.weight() * Math.exp(x) / sum;
            }
            case CostTerm.BBoxL1 b -> {
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    double gj = b.format() == BoxFormat.XYXY ? gtBoxes[g * 10 + j] / norm[j]
                            : j < 2 ? (gtBoxes[g * 10 + j] + gtBoxes[g * 10 + j + 2]) / 2 / norm[j]
                            : (gtBoxes[g * 10 + j] - gtBoxes[g * 10 + j - 2]) / norm[j];
                    sum += Math.abs((b.format() == BoxFormat.XYXY ? a[j] : boxes[row * 10 + j]) - gj);
                }
                yield b.weight() * sum;
            }
            case CostTerm.BBox3DL1 b -> {
                double sum = 0;
                for (int j = 0; j < b.k(); j++) {
                    sum += Math.abs(boxes[row * 10 + j] - gtBoxes[g * 10 + j]);
                }
                yield b.weight() * sum;
            }
            case CostTerm.IoU i -> {
                double[] pa = {a[0] * W, a[1] * H, a[2] * W, a[3] * H};
                double[] gb = {gtBoxes[g * 10], gtBoxes[g * 10 + 1], gtBoxes[g * 10 + 2], gtBoxes[g * 10 + 3]};
                double ov = Math.max(0, Math.min(pa[2], gb[2]) - Math.max(pa[0], gb[0]))
                        * Math.max(0, Math.min(pa[3], gb[3]) - Math.max(pa[1], gb[1]));
                double union = Math.max((pa[2] - pa[0]) * (pa[3] - pa[1]) + (gb[2] - gb[0]) * (gb[3] - gb[1]) - ov,
                        1e-6);
                double o = ov / union;
                if (i.mode() == IouMode.GIOU) {
                    double enc = Math.max(Math.max(0, Math.max(pa[2], gb[2]) - Math.min(pa[0], gb[0]))
                            * Math.max(0, Math.max(pa[3], gb[3]) - Math.min(pa[1], gb[1])), 1e-6);
                    o -= (enc - union) / enc;
                }
                yield -i.weight() * o;
            }
            case CostTerm.CenterL1 c -> c.weight() * (Math.abs(centers[row * 2] - gtCenters[g * 2] / W)
                    + Math.abs(centers[row * 2 + 1] - gtCenters[g * 2 + 1] / H));
        };
    }
}
