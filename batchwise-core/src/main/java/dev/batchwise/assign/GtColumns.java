package dev.batchwise.assign;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GT of every sample laid out column-wise — per sample one flat {@code double[k * W]} holding
 * {@code k} quantities of its GT, each padded with zeros to the width {@code W} (the padded GT
 * count {@code M} rounded up to whole vectors), computed once per call in the form each box term
 * needs (normalised centres and sizes, pixel corners and areas, ...) — and the box terms of
 * {@link CostTerm} as {@link Kernel}s that add one term for a block of queries against whole
 * vectors of GT columns with the Vector API.
 *
 * <p>A kernel computes lanes up to the valid GT count rounded up to whole vectors; lanes past the
 * valid count read the zero padding and hold finite garbage that the caller never writes out. No
 * value depends on its lane or on how many GT or queries share a call, so a cost is the same bits
 * whether it is computed for one sample or for a whole batch.
 */
final class GtColumns {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = S.length();
    private static final double OVERLAP_EPS = 1e-6;

    private final CostInputs.Layout lay;
    private final long[] counts;
    private final double[] gtBoxes;
    private final double[] gtCenters;
    private final double w;
    private final double h;
    private final int width;

    GtColumns(CostInputs in, CostInputs.Layout lay, long[] counts) {
        this.lay = lay;
        this.counts = counts;
        this.gtBoxes = lay.predBoxDim() > 0 ? in.gtBoxes.toDoubleArray() : null;
        this.gtCenters = in.gtCenters != null && in.predCenters != null ? in.gtCenters.toDoubleArray() : null;
        this.w = in.imageWidth;
        this.h = in.imageHeight;
        this.width = paddedWidth(lay.maxGt());
    }

    /** {@code n} rounded up to whole vectors. */
    static int paddedWidth(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** The padded column width {@code W} of this call. */
    int width() {
        return width;
    }

    /**
     * The predictions of one block of consecutive queries of one problem, as doubles in their
     * tensor layout: {@code box[r * d + i]} and {@code ctr[r * 2 + i]} for row {@code r}.
     */
    static final class Block {
        double[] box = new double[0];
        double[] ctr = new double[0];
        int d;
    }

    /** One box term over padded GT columns. */
    abstract static class Kernel {
        /**
         * Adds this term to {@code acc[r * stride + j]} for rows {@code r < rows} and columns
         * {@code j < np} ({@code np} a multiple of {@link #LANES}) against the GT of sample {@code s}.
         */
        abstract void add(int s, int np, int rows, Block b, double[] acc, int stride);
    }

    Kernel kernel(CostTerm t) {
        return switch (t) {
            case CostTerm.BBox3DL1 b -> new L1(b.weight(), b.k(), columns(b.k(), (g, i) -> gtBoxes[g + i]));
            case CostTerm.BBoxL1 b -> b.format() == BoxFormat.XYWH ? xywh(b.weight()) : xyxy(b.weight());
            case CostTerm.IoU i -> new Overlap(i.weight(), i.mode() == IouMode.GIOU, w, h,
                    columns(5, (g, k) -> k < 4 ? gtBoxes[g + k]
                            : (gtBoxes[g + 2] - gtBoxes[g]) * (gtBoxes[g + 3] - gtBoxes[g + 1])));
            case CostTerm.CenterL1 c -> center(c.weight());
            case CostTerm.FocalLoss f -> throw new IllegalArgumentException("not a box term: " + t);
            case CostTerm.Classification c -> throw new IllegalArgumentException("not a box term: " + t);
        };
    }

    @FunctionalInterface
    private interface ColumnValue {
        /** Quantity {@code i} of the GT whose box values start at {@code boxBase}. */
        double value(int boxBase, int i);
    }

    /** {@code cols[s][i * W + j]} = f(GT j of sample s, i) for {@code i < k}, zero past the valid GT. */
    private double[][] columns(int k, ColumnValue f) {
        int m = lay.maxGt();
        int e = lay.gtBoxDim();
        double[][] cols = new double[counts.length][k * width];
        for (int s = 0; s < counts.length; s++) {
            for (int j = 0; j < counts[s]; j++) {
                int base = (s * m + j) * e;
                for (int i = 0; i < k; i++) {
                    cols[s][i * width + j] = f.value(base, i);
                }
            }
        }
        return cols;
    }

    private Kernel xywh(double weight) {
        // GT corners normalised by the image size, then (cx, cy, w, h) — as mmdet's bbox_xyxy_to_cxcywh
        return new FourValueL1(weight, columns(4, (g, i) -> {
            double x1 = gtBoxes[g] / w;
            double y1 = gtBoxes[g + 1] / h;
            double x2 = gtBoxes[g + 2] / w;
            double y2 = gtBoxes[g + 3] / h;
            return switch (i) {
                case 0 -> (x1 + x2) / 2;
                case 1 -> (y1 + y2) / 2;
                case 2 -> x2 - x1;
                default -> y2 - y1;
            };
        }), false);
    }

    private Kernel xyxy(double weight) {
        return new FourValueL1(weight, columns(4, (g, i) -> gtBoxes[g + i] / (i % 2 == 0 ? w : h)), true);
    }

    private Kernel center(double weight) {
        int m = lay.maxGt();
        double[][] cols = new double[counts.length][2 * width];
        for (int s = 0; s < counts.length; s++) {
            for (int j = 0; j < counts[s]; j++) {
                cols[s][j] = gtCenters[(s * m + j) * 2] / w;
                cols[s][width + j] = gtCenters[(s * m + j) * 2 + 1] / h;
            }
        }
        return new CenterL1(weight, cols);
    }

    /** L1 over the first {@code k} prediction values against {@code k} GT columns (BBox3DL1, BBoxL1 xywh). */
    private static final class L1 extends Kernel {
        private final double weight;
        private final int k;
        private final double[][] cols;
        private final int width;

        L1(double weight, int k, double[][] cols) {
            this.weight = weight;
            this.k = k;
            this.cols = cols;
            this.width = cols.length == 0 ? 0 : cols[0].length / k;
        }

        @Override
        void add(int s, int np, int rows, Block b, double[] acc, int stride) {
            double[] g = cols[s];
            double[] box = b.box;
            int d = b.d;
            for (int r = 0; r < rows; r++) {
                int pb = r * d;
                int ab = r * stride;
                for (int j = 0; j < np; j += LANES) {
                    DoubleVector t = DoubleVector.broadcast(S, box[pb]).sub(DoubleVector.fromArray(S, g, j)).abs();
                    for (int i = 1; i < k; i++) {
                        t = t.add(DoubleVector.broadcast(S, box[pb + i])
                                .sub(DoubleVector.fromArray(S, g, i * width + j)).abs());
                    }
                    DoubleVector.fromArray(S, acc, ab + j).add(t.mul(weight)).intoArray(acc, ab + j);
                }
            }
        }
    }

    /**
     * L1 over four prediction values against four GT columns: the first 4 values as they are (BBoxL1
     * xywh) or, with {@code toCorners}, the (cx, cy, w, h) prediction converted to corners (BBoxL1
     * xyxy against normalised GT corners).
     */
    private static final class FourValueL1 extends Kernel {
        private final double weight;
        private final double[][] cols;
        private final boolean toCorners;

        FourValueL1(double weight, double[][] cols, boolean toCorners) {
            this.weight = weight;
            this.cols = cols;
            this.toCorners = toCorners;
        }

        @Override
        void add(int s, int np, int rows, Block b, double[] acc, int stride) {
            double[] g = cols[s];
            int wd = g.length / 4;
            double[] box = b.box;
            int d = b.d;
            for (int r = 0; r < rows; r++) {
                int pb = r * d;
                int ab = r * stride;
                if (toCorners) {
                    addL1OfFour(g, wd, np, box[pb] - 0.5 * box[pb + 2], box[pb + 1] - 0.5 * box[pb + 3],
                            box[pb] + 0.5 * box[pb + 2], box[pb + 1] + 0.5 * box[pb + 3], weight, acc, ab);
                } else {
                    addL1OfFour(g, wd, np, box[pb], box[pb + 1], box[pb + 2], box[pb + 3], weight, acc, ab);
                }
            }
        }
    }

    /**
     * {@code acc[ab + j] += weight * (|a0 - g0[j]| + |a1 - g1[j]| + |a2 - g2[j]| + |a3 - g3[j]|)} for
     * the GT columns {@code j < np}, where column {@code k} of coordinate {@code c} is
     * {@code g[c * wd + k]} (one vector loop for every four-coordinate L1 term, same operation order
     * as the per-element reference).
     */
    private static void addL1OfFour(double[] g, int wd, int np, double a0, double a1, double a2, double a3,
                                    double weight, double[] acc, int ab) {
        for (int j = 0; j < np; j += LANES) {
            DoubleVector t = DoubleVector.broadcast(S, a0).sub(DoubleVector.fromArray(S, g, j)).abs()
                    .add(DoubleVector.broadcast(S, a1).sub(DoubleVector.fromArray(S, g, wd + j)).abs())
                    .add(DoubleVector.broadcast(S, a2).sub(DoubleVector.fromArray(S, g, 2 * wd + j)).abs())
                    .add(DoubleVector.broadcast(S, a3).sub(DoubleVector.fromArray(S, g, 3 * wd + j)).abs());
            DoubleVector.fromArray(S, acc, ab + j).add(t.mul(weight)).intoArray(acc, ab + j);
        }
    }


    /** Centre L1 against normalised GT centres. */
    private static final class CenterL1 extends Kernel {
        private final double weight;
        private final double[][] cols;

        CenterL1(double weight, double[][] cols) {
            this.weight = weight;
            this.cols = cols;
        }

        @Override
        void add(int s, int np, int rows, Block b, double[] acc, int stride) {
            double[] g = cols[s];
            int wd = g.length / 2;
            double[] ctr = b.ctr;
            for (int r = 0; r < rows; r++) {
                int ab = r * stride;
                double px = ctr[2 * r];
                double py = ctr[2 * r + 1];
                for (int j = 0; j < np; j += LANES) {
                    DoubleVector t = DoubleVector.broadcast(S, px).sub(DoubleVector.fromArray(S, g, j)).abs()
                            .add(DoubleVector.broadcast(S, py).sub(DoubleVector.fromArray(S, g, wd + j)).abs());
                    DoubleVector.fromArray(S, acc, ab + j).add(t.mul(weight)).intoArray(acc, ab + j);
                }
            }
        }
    }

    /**
     * {@code -weight * bbox_overlaps} (IoU or GIoU, eps 1e-6) of the prediction converted to pixel
     * corners against GT pixel corners; columns x1, y1, x2, y2 and the GT area.
     */
    private static final class Overlap extends Kernel {
        private final double weight;
        private final boolean giou;
        private final double w;
        private final double h;
        private final double[][] cols;

        Overlap(double weight, boolean giou, double w, double h, double[][] cols) {
            this.weight = weight;
            this.giou = giou;
            this.w = w;
            this.h = h;
            this.cols = cols;
        }

        @Override
        void add(int s, int np, int rows, Block b, double[] acc, int stride) {
            double[] g = cols[s];
            int wd = g.length / 5;
            double[] box = b.box;
            int d = b.d;
            for (int r = 0; r < rows; r++) {
                int pb = r * d;
                int ab = r * stride;
                double ax1 = (box[pb] - 0.5 * box[pb + 2]) * w;
                double ay1 = (box[pb + 1] - 0.5 * box[pb + 3]) * h;
                double ax2 = (box[pb] + 0.5 * box[pb + 2]) * w;
                double ay2 = (box[pb + 1] + 0.5 * box[pb + 3]) * h;
                double areaA = (ax2 - ax1) * (ay2 - ay1);
                for (int j = 0; j < np; j += LANES) {
                    DoubleVector bx1 = DoubleVector.fromArray(S, g, j);
                    DoubleVector by1 = DoubleVector.fromArray(S, g, wd + j);
                    DoubleVector bx2 = DoubleVector.fromArray(S, g, 2 * wd + j);
                    DoubleVector by2 = DoubleVector.fromArray(S, g, 3 * wd + j);
                    DoubleVector areaB = DoubleVector.fromArray(S, g, 4 * wd + j);
                    DoubleVector iw = bx2.min(ax2).sub(bx1.max(ax1)).max(0.0);
                    DoubleVector ih = by2.min(ay2).sub(by1.max(ay1)).max(0.0);
                    DoubleVector inter = iw.mul(ih);
                    DoubleVector union = DoubleVector.broadcast(S, areaA).add(areaB).sub(inter).max(OVERLAP_EPS);
                    DoubleVector o = inter.div(union);
                    if (giou) {
                        DoubleVector ew = bx2.max(ax2).sub(bx1.min(ax1)).max(0.0);
                        DoubleVector eh = by2.max(ay2).sub(by1.min(ay1)).max(0.0);
                        DoubleVector enclose = ew.mul(eh).max(OVERLAP_EPS);
                        o = o.sub(enclose.sub(union).div(enclose));
                    }
                    DoubleVector.fromArray(S, acc, ab + j).sub(o.mul(weight)).intoArray(acc, ab + j);
                }
            }
        }
    }
}
