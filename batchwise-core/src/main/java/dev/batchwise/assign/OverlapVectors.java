package dev.batchwise.assign;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code bbox_overlaps} (IoU or GIoU, eps 1e-6) of one predicted corner box against a row of GT
 * corner boxes, vectorised with the Vector API; the same operations in the same order as
 * {@link CpuCostMatrices#overlap}, so every lane equals the scalar result.
 */
final class OverlapVectors {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double EPS = 1e-6;

    private OverlapVectors() {}

    /**
     * {@code acc[j] -= weight * overlap(a, gt[j])} for the whole vectors among {@code j < n};
     * returns the first {@code j} left for the scalar tail.
     */
    static int addNegatedOverlap(double ax1, double ay1, double ax2, double ay2, double[] x1, double[] y1,
                                 double[] x2, double[] y2, int n, boolean giou, double weight, double[] acc) {
        double areaA = (ax2 - ax1) * (ay2 - ay1);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += S.length()) {
            DoubleVector bx1 = DoubleVector.fromArray(S, x1, j);
            DoubleVector by1 = DoubleVector.fromArray(S, y1, j);
            DoubleVector bx2 = DoubleVector.fromArray(S, x2, j);
            DoubleVector by2 = DoubleVector.fromArray(S, y2, j);
            DoubleVector areaB = bx2.sub(bx1).mul(by2.sub(by1));
            DoubleVector iw = bx2.min(ax2).sub(bx1.max(ax1)).max(0.0);
            DoubleVector ih = by2.min(ay2).sub(by1.max(ay1)).max(0.0);
            DoubleVector inter = iw.mul(ih);
            DoubleVector union = DoubleVector.broadcast(S, areaA).add(areaB).sub(inter).max(EPS);
            DoubleVector o = inter.div(union);
            if (giou) {
                DoubleVector ew = bx2.max(ax2).sub(bx1.min(ax1)).max(0.0);
                DoubleVector eh = by2.max(ay2).sub(by1.min(ay1)).max(0.0);
                DoubleVector enclose = ew.mul(eh).max(EPS);
                o = o.sub(enclose.sub(union).div(enclose));
            }
            DoubleVector.fromArray(S, acc, j).sub(o.mul(weight)).intoArray(acc, j);
        }
        return j;
    }
}
