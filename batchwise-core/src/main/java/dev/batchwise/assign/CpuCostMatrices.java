package dev.batchwise.assign;

import dev.batchwise.cpu.CpuPool;
import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Tensor;
import java.util.List;

/** CPU implementation of {@link CostMatrices}: computes in double, parallel over problems and query blocks. */
final class CpuCostMatrices {
    private static final double FOCAL_EPS = 1e-12;
    private static final double OVERLAP_EPS = 1e-6;
    private static final int QUERY_BLOCK = 128;

    private CpuCostMatrices() {}

    static Tensor weightedSum(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay) {
        Data d = new Data(in, lay);
        d.checkValues();
        int q = lay.queries();
        int m = lay.maxGt();
        double[] out = new double[lay.problems() * q * m];
        int blocks = (q + QUERY_BLOCK - 1) / QUERY_BLOCK;
        CostTerm[] ts = terms.toArray(CostTerm[]::new);
        CpuPool.parallelFor(lay.problems() * blocks, 1, i -> {
            int p = i / blocks;
            int q0 = (i % blocks) * QUERY_BLOCK;
            problem(d, ts, out, p, q0, Math.min(q, q0 + QUERY_BLOCK));
        });
        long[] shape = new long[lay.batchShape().length + 2];
        System.arraycopy(lay.batchShape(), 0, shape, 0, lay.batchShape().length);
        shape[shape.length - 2] = q;
        shape[shape.length - 1] = m;
        return HostArrays.tensorOf(out, lay.dtype(), shape);
    }

    /** Host copies of the inputs a cost needs. */
    private static final class Data {
        final CostInputs.Layout lay;
        final double[] logits;
        final double[] predBoxes;
        final double[] predCenters;
        final long[] labels;
        final double[] gtBoxes;
        final double[] gtCenters;
        final long[] counts;
        final double w;
        final double h;

        Data(CostInputs in, CostInputs.Layout lay) {
            this.lay = lay;
            this.logits = lay.classes() > 0 ? in.logits.toDoubleArray() : null;
            this.labels = lay.classes() > 0 ? in.gtLabels.toLongArray() : null;
            this.predBoxes = lay.predBoxDim() > 0 ? in.predBoxes.toDoubleArray() : null;
            this.gtBoxes = lay.predBoxDim() > 0 ? in.gtBoxes.toDoubleArray() : null;
            boolean centers = in.predCenters != null && in.gtCenters != null;
            this.predCenters = centers ? in.predCenters.toDoubleArray() : null;
            this.gtCenters = centers ? in.gtCenters.toDoubleArray() : null;
            this.counts = in.gtCounts.toLongArray();
            this.w = in.imageWidth;
            this.h = in.imageHeight;
        }

        void checkValues() {
            int m = lay.maxGt();
            for (int s = 0; s < counts.length; s++) {
                if (counts[s] < 0 || counts[s] > m) {
                    throw new IllegalArgumentException("gtCounts[" + s + "] must be in [0, " + m + "], got " + counts[s]);
                }
                if (labels != null) {
                    for (int j = 0; j < counts[s]; j++) {
                        long l = labels[s * m + j];
                        if (l < 0 || l >= lay.classes()) {
                            throw new IndexOutOfBoundsException("gtLabels[" + s + ", " + j + "] = " + l
                                    + " is not a class in [0, " + lay.classes() + ")");
                        }
                    }
                }
            }
        }
    }

    private static void problem(Data d, CostTerm[] terms, double[] out, int p, int qFrom, int qTo) {
        CostInputs.Layout lay = d.lay;
        int qn = lay.queries();
        int m = lay.maxGt();
        int c = lay.classes();
        int s = p % lay.gtSamples();
        int n = (int) d.counts[s];
        double[] classCost = c > 0 ? new double[c] : null;
        double[] soft = c > 0 ? new double[c] : null;
        for (int q = qFrom; q < qTo; q++) {
            int row = p * qn + q;
            if (classCost != null) {
                classCosts(d.logits, row * c, c, terms, classCost, soft);
            }
            int outBase = row * m;
            for (int j = 0; j < n; j++) {
                double cost = classCost != null ? classCost[(int) d.labels[s * m + j]] : 0.0;
                for (CostTerm t : terms) {
                    cost += switch (t) {
                        case CostTerm.FocalLoss f -> 0.0;
                        case CostTerm.Classification cl -> 0.0;
                        case CostTerm.BBoxL1 b -> b.weight() * bboxL1(d, row, s * m + j, b.format());
                        case CostTerm.BBox3DL1 b -> b.weight() * l1(d.predBoxes, row * lay.predBoxDim(),
                                d.gtBoxes, (s * m + j) * lay.gtBoxDim(), b.k());
                        case CostTerm.IoU i -> -i.weight() * overlap(d, row, s * m + j, i.mode());
                        case CostTerm.CenterL1 ce -> ce.weight() * centerL1(d, row, s * m + j);
                    };
                }
                out[outBase + j] = cost;
            }
        }
    }

    /** Weighted sum of the class terms for every class of one query. */
    private static void classCosts(double[] logits, int base, int c, CostTerm[] terms, double[] cost, double[] soft) {
        java.util.Arrays.fill(cost, 0.0);
        boolean softmaxDone = false;
        for (CostTerm t : terms) {
            if (t instanceof CostTerm.FocalLoss f) {
                for (int k = 0; k < c; k++) {
                    cost[k] += f.weight() * focalCost(logits[base + k], f.alpha(), f.gamma());
                }
            } else if (t instanceof CostTerm.Classification cl) {
                if (!softmaxDone) {
                    softmax(logits, base, c, soft);
                    softmaxDone = true;
                }
                for (int k = 0; k < c; k++) {
                    cost[k] -= cl.weight() * soft[k];
                }
            }
        }
    }

    static double focalCost(double x, double alpha, double gamma) {
        double p = sigmoid(x);
        double negCost = -Math.log(1 - p + FOCAL_EPS) * (1 - alpha) * pow(p, gamma);
        double posCost = -Math.log(p + FOCAL_EPS) * alpha * pow(1 - p, gamma);
        return posCost - negCost;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double pow(double b, double e) {
        return e == 2.0 ? b * b : Math.pow(b, e);
    }

    private static void softmax(double[] x, int base, int c, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            max = Math.max(max, x[base + k]);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            out[k] = Math.exp(x[base + k] - max);
            sum += out[k];
        }
        for (int k = 0; k < c; k++) {
            out[k] /= sum;
        }
    }

    private static double l1(double[] a, int ai, double[] b, int bi, int k) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.abs(a[ai + i] - b[bi + i]);
        }
        return sum;
    }

    private static double bboxL1(Data d, int row, int gtRow, BoxFormat format) {
        int pi = row * d.lay.predBoxDim();
        int gi = gtRow * d.lay.gtBoxDim();
        double[] pb = d.predBoxes;
        double[] gb = d.gtBoxes;
        double gx1 = gb[gi] / d.w;
        double gy1 = gb[gi + 1] / d.h;
        double gx2 = gb[gi + 2] / d.w;
        double gy2 = gb[gi + 3] / d.h;
        double cx = pb[pi];
        double cy = pb[pi + 1];
        double bw = pb[pi + 2];
        double bh = pb[pi + 3];
        if (format == BoxFormat.XYWH) {
            return Math.abs(cx - (gx1 + gx2) / 2) + Math.abs(cy - (gy1 + gy2) / 2)
                    + Math.abs(bw - (gx2 - gx1)) + Math.abs(bh - (gy2 - gy1));
        }
        return Math.abs(cx - 0.5 * bw - gx1) + Math.abs(cy - 0.5 * bh - gy1)
                + Math.abs(cx + 0.5 * bw - gx2) + Math.abs(cy + 0.5 * bh - gy2);
    }

    private static double overlap(Data d, int row, int gtRow, IouMode mode) {
        int pi = row * d.lay.predBoxDim();
        int gi = gtRow * d.lay.gtBoxDim();
        double[] pb = d.predBoxes;
        double ax1 = (pb[pi] - 0.5 * pb[pi + 2]) * d.w;
        double ay1 = (pb[pi + 1] - 0.5 * pb[pi + 3]) * d.h;
        double ax2 = (pb[pi] + 0.5 * pb[pi + 2]) * d.w;
        double ay2 = (pb[pi + 1] + 0.5 * pb[pi + 3]) * d.h;
        double[] gb = d.gtBoxes;
        return overlap(ax1, ay1, ax2, ay2, gb[gi], gb[gi + 1], gb[gi + 2], gb[gi + 3], mode);
    }

    /** mmdetection {@code bbox_overlaps} for one pair of corner boxes, eps 1e-6. */
    static double overlap(double ax1, double ay1, double ax2, double ay2,
                          double bx1, double by1, double bx2, double by2, IouMode mode) {
        double areaA = (ax2 - ax1) * (ay2 - ay1);
        double areaB = (bx2 - bx1) * (by2 - by1);
        double iw = Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0);
        double ih = Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0);
        double inter = iw * ih;
        double union = Math.max(areaA + areaB - inter, OVERLAP_EPS);
        double iou = inter / union;
        if (mode == IouMode.IOU) {
            return iou;
        }
        double ew = Math.max(Math.max(ax2, bx2) - Math.min(ax1, bx1), 0);
        double eh = Math.max(Math.max(ay2, by2) - Math.min(ay1, by1), 0);
        double enclose = Math.max(ew * eh, OVERLAP_EPS);
        return iou - (enclose - union) / enclose;
    }

    private static double centerL1(Data d, int row, int gtRow) {
        return Math.abs(d.predCenters[row * 2] - d.gtCenters[gtRow * 2] / d.w)
                + Math.abs(d.predCenters[row * 2 + 1] - d.gtCenters[gtRow * 2 + 1] / d.h);
    }
}
