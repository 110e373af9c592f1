package dev.batchwise.assign;

/**
 * The GT of every sample laid out column-wise (one {@code double[M]} per quantity and sample,
 * normalised the way each box term needs it), and the box terms of {@link CostTerm} as row
 * kernels over those columns: {@link RowTerm#add} adds one term for one query against all valid
 * GT of its sample in a single loop the JIT can vectorise.
 */
final class GtColumns {
    private final CostInputs.Layout lay;
    private final long[] counts;
    private final double[] gtBoxes;
    private final double[] gtCenters;
    private final double w;
    private final double h;

    GtColumns(CostInputs in, CostInputs.Layout lay, long[] counts) {
        this.lay = lay;
        this.counts = counts;
        this.gtBoxes = lay.predBoxDim() > 0 ? in.gtBoxes.toDoubleArray() : null;
        this.gtCenters = in.gtCenters != null && in.predCenters != null ? in.gtCenters.toDoubleArray() : null;
        this.w = in.imageWidth;
        this.h = in.imageHeight;
    }

    /** Adds one box term of one query to the first {@code n} entries of {@code acc}. */
    interface RowTerm {
        /**
         * @param s GT sample
         * @param n valid GT of the sample
         * @param box the query's predicted box values
         * @param ctr the query's predicted centre
         * @param acc cost accumulator per GT column
         * @param tmp scratch of at least {@code n}
         */
        void add(int s, int n, double[] box, double[] ctr, double[] acc, double[] tmp);
    }

    RowTerm rowTerm(CostTerm t) {
        return switch (t) {
            case CostTerm.BBox3DL1 b -> l1Columns(b.weight(), b.k());
            case CostTerm.BBoxL1 b -> b.format() == BoxFormat.XYWH ? bboxL1Xywh(b.weight()) : bboxL1Xyxy(b.weight());
            case CostTerm.IoU i -> iou(i.weight(), i.mode());
            case CostTerm.CenterL1 c -> centerL1(c.weight());
            case CostTerm.FocalLoss f -> throw new IllegalArgumentException("not a box term: " + t);
            case CostTerm.Classification c -> throw new IllegalArgumentException("not a box term: " + t);
        };
    }

    /** {@code cols[s][i][j]} = f(GT j of sample s) for {@code i < k}. */
    private double[][][] columns(int k, ColumnValue f) {
        int m = lay.maxGt();
        int e = lay.gtBoxDim();
        double[][][] cols = new double[counts.length][k][m];
        for (int s = 0; s < counts.length; s++) {
            for (int j = 0; j < counts[s]; j++) {
                int base = (s * m + j) * e;
                for (int i = 0; i < k; i++) {
                    cols[s][i][j] = f.value(base, i);
                }
            }
        }
        return cols;
    }

    @FunctionalInterface
    private interface ColumnValue {
        double value(int boxBase, int i);
    }

    private RowTerm l1Columns(double weight, int k) {
        double[][][] cols = columns(k, (b, i) -> gtBoxes[b + i]);
        return (s, n, box, ctr, acc, tmp) -> {
            java.util.Arrays.fill(tmp, 0, n, 0.0);
            for (int i = 0; i < k; i++) {
                double pv = box[i];
                double[] g = cols[s][i];
                for (int j = 0; j < n; j++) {
                    tmp[j] += Math.abs(pv - g[j]);
                }
            }
            for (int j = 0; j < n; j++) {
                acc[j] += weight * tmp[j];
            }
        };
    }

    private double[][][] normalisedCorners() {
        return columns(4, (b, i) -> gtBoxes[b + i] / (i % 2 == 0 ? w : h));
    }

    private RowTerm bboxL1Xywh(double weight) {
        double[][][] c = normalisedCorners();
        return (s, n, box, ctr, acc, tmp) -> {
            double[] x1 = c[s][0];
            double[] y1 = c[s][1];
            double[] x2 = c[s][2];
            double[] y2 = c[s][3];
            double cx = box[0];
            double cy = box[1];
            double bw = box[2];
            double bh = box[3];
            for (int j = 0; j < n; j++) {
                acc[j] += weight * (Math.abs(cx - (x1[j] + x2[j]) / 2) + Math.abs(cy - (y1[j] + y2[j]) / 2)
                        + Math.abs(bw - (x2[j] - x1[j])) + Math.abs(bh - (y2[j] - y1[j])));
            }
        };
    }

    private RowTerm bboxL1Xyxy(double weight) {
        double[][][] c = normalisedCorners();
        return (s, n, box, ctr, acc, tmp) -> {
            double ax1 = box[0] - 0.5 * box[2];
            double ay1 = box[1] - 0.5 * box[3];
            double ax2 = box[0] + 0.5 * box[2];
            double ay2 = box[1] + 0.5 * box[3];
            double[] x1 = c[s][0];
            double[] y1 = c[s][1];
            double[] x2 = c[s][2];
            double[] y2 = c[s][3];
            for (int j = 0; j < n; j++) {
                acc[j] += weight * (Math.abs(ax1 - x1[j]) + Math.abs(ay1 - y1[j]) + Math.abs(ax2 - x2[j])
                        + Math.abs(ay2 - y2[j]));
            }
        };
    }

    private RowTerm iou(double weight, IouMode mode) {
        double[][][] c = columns(4, (b, i) -> gtBoxes[b + i]);
        boolean giou = mode == IouMode.GIOU;
        return (s, n, box, ctr, acc, tmp) -> {
            double ax1 = (box[0] - 0.5 * box[2]) * w;
            double ay1 = (box[1] - 0.5 * box[3]) * h;
            double ax2 = (box[0] + 0.5 * box[2]) * w;
            double ay2 = (box[1] + 0.5 * box[3]) * h;
            double[] x1 = c[s][0];
            double[] y1 = c[s][1];
            double[] x2 = c[s][2];
            double[] y2 = c[s][3];
            int j = OverlapVectors.addNegatedOverlap(ax1, ay1, ax2, ay2, x1, y1, x2, y2, n, giou, weight, acc);
            for (; j < n; j++) {
                acc[j] -= weight * CpuCostMatrices.overlap(ax1, ay1, ax2, ay2, x1[j], y1[j], x2[j], y2[j], mode);
            }
        };
    }

    private RowTerm centerL1(double weight) {
        int m = lay.maxGt();
        double[][] cx = new double[counts.length][m];
        double[][] cy = new double[counts.length][m];
        for (int s = 0; s < counts.length; s++) {
            for (int j = 0; j < counts[s]; j++) {
                cx[s][j] = gtCenters[(s * m + j) * 2] / w;
                cy[s][j] = gtCenters[(s * m + j) * 2 + 1] / h;
            }
        }
        return (s, n, box, ctr, acc, tmp) -> {
            double px = ctr[0];
            double py = ctr[1];
            double[] gx = cx[s];
            double[] gy = cy[s];
            for (int j = 0; j < n; j++) {
                acc[j] += weight * (Math.abs(px - gx[j]) + Math.abs(py - gy[j]));
            }
        };
    }
}
