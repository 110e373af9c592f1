package dev.batchwise.assign;

import dev.batchwise.cpu.CpuPool;
import dev.batchwise.cpu.FloatRows;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU implementation of {@link CostMatrices}, in double precision, parallel over blocks of
 * queries of every problem. The terms are specialised before the loops: the class terms of a
 * block of queries are computed once per (query, class) with the Vector API, and every box term
 * is a {@link GtColumns.RowTerm} that adds its contribution to a whole row of GT columns in one
 * tight loop over precomputed per-sample GT columns — no per-element dispatch on the term type.
 */
final class CpuCostMatrices {
    private static final double FOCAL_EPS = 1e-12;
    private static final double OVERLAP_EPS = 1e-6;
    private static final int QUERY_BLOCK = 64;

    private CpuCostMatrices() {}

    static CostMatrices.ProblemCosts weightedSum(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay) {
        long[] counts = in.gtCounts.toLongArray();
        long[] labels = lay.classes() > 0 ? in.gtLabels.toLongArray() : null;
        checkValues(lay, counts, labels);
        int q = lay.queries();
        int m = lay.maxGt();
        int problems = lay.problems();
        long[] batch = lay.batchShape();
        long[] shape = new long[batch.length + 2];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        shape[batch.length] = q;
        shape[batch.length + 1] = m;
        Tensor out = Tensor.empty(lay.dtype(), Device.CPU, shape);
        long[] perProblem = new long[problems];
        for (int p = 0; p < problems; p++) {
            perProblem[p] = counts[p % lay.gtSamples()];
        }
        Tensor columnCounts = Tensor.of(perProblem, batch);
        if (problems == 0 || q == 0) {
            return new CostMatrices.ProblemCosts(out, columnCounts);
        }
        List<CostTerm> classTerms = new ArrayList<>();
        List<GtColumns.RowTerm> rowTerms = new ArrayList<>();
        GtColumns gt = new GtColumns(in, lay, counts);
        for (CostTerm t : terms) {
            if (t instanceof CostTerm.FocalLoss || t instanceof CostTerm.Classification) {
                classTerms.add(t);
            } else {
                rowTerms.add(gt.rowTerm(t));
            }
        }
        Job job = new Job(lay, counts, labels, classTerms.toArray(CostTerm[]::new),
                rowTerms.toArray(GtColumns.RowTerm[]::new), FloatRows.of(in.logits),
                FloatRows.of(lay.predBoxDim() > 0 ? in.predBoxes : null), FloatRows.of(in.predCenters),
                FloatRows.of(out));
        int blocks = (q + QUERY_BLOCK - 1) / QUERY_BLOCK;
        CpuPool.parallelFor(problems * blocks, 1, i -> job.block(i / blocks, (i % blocks) * QUERY_BLOCK));
        return new CostMatrices.ProblemCosts(out, columnCounts);
    }

    private static void checkValues(CostInputs.Layout lay, long[] counts, long[] labels) {
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

    /** One call's inputs; {@link #block} computes the rows of one block of queries of one problem. */
    private record Job(CostInputs.Layout lay, long[] counts, long[] labels, CostTerm[] classTerms,
                       GtColumns.RowTerm[] rowTerms, FloatRows logits, FloatRows boxes, FloatRows centers,
                       FloatRows out) {
        void block(int p, int q0) {
            int qn = lay.queries();
            int m = lay.maxGt();
            int c = lay.classes();
            int d = lay.predBoxDim();
            int s = p % lay.gtSamples();
            int n = (int) counts[s];
            int rows = Math.min(QUERY_BLOCK, qn - q0);
            long row0 = (long) p * qn + q0;
            double[] cls = null;
            if (classTerms.length > 0) {
                double[] x = new double[rows * c];
                cls = new double[rows * c];
                logits.read(row0 * c, x, 0, rows * c);
                for (CostTerm t : classTerms) {
                    if (t instanceof CostTerm.FocalLoss f) {
                        FocalCostVectors.addFocal(x, rows * c, f.weight(), f.alpha(), f.gamma(), cls);
                    } else {
                        FocalCostVectors.addClassification(x, rows, c, t.weight(), cls);
                    }
                }
            }
            double[] acc = new double[m];
            double[] tmp = new double[m];
            double[] box = new double[Math.max(d, 4)];
            double[] ctr = new double[2];
            for (int r = 0; r < rows; r++) {
                long row = row0 + r;
                if (cls != null) {
                    int base = r * c;
                    for (int j = 0; j < n; j++) {
                        acc[j] = cls[base + (int) labels[s * m + j]];
                    }
                } else {
                    java.util.Arrays.fill(acc, 0, n, 0.0);
                }
                if (boxes != null) {
                    boxes.read(row * d, box, 0, d);
                }
                if (centers != null) {
                    centers.read(row * 2, ctr, 0, 2);
                }
                for (GtColumns.RowTerm t : rowTerms) {
                    t.add(s, n, box, ctr, acc, tmp);
                }
                out.write(row * m, acc, 0, n);
                if (n < m) {
                    out.zero(row * m + n, m - n);
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
}
