package dev.batchwise.assign;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD column scans of {@link AugmentingPathSolver}: relaxing all columns from one row, and
 * finding columns of a given path cost. Lane-wise arithmetic is the scalar arithmetic, in the same
 * order, so the results are bit-identical to a scalar loop.
 */
final class ColumnScan {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I =
            VectorSpecies.of(int.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private ColumnScan() {}

    /**
     * For every column {@code j < m}: {@code r = minVal + cost[base + j] - ui - vScan[j]}; where
     * {@code r < spc[j]}, sets {@code spc[j] = r} and {@code path[j] = row}. Visited columns have
     * {@code vScan = -inf}, so their {@code r} is {@code +inf} and they are left alone.
     *
     * @return the minimum of {@code spc} over all columns after the update
     */
    static double relax(double[] cost, int base, int m, double minVal, double ui, double[] vScan, double[] spc,
                        int[] path, int row) {
        int j = 0;
        double lowest = Double.POSITIVE_INFINITY;
        int upper = D.loopBound(m);
        if (upper > 0) {
            DoubleVector mv = DoubleVector.broadcast(D, minVal);
            DoubleVector uv = DoubleVector.broadcast(D, ui);
            IntVector rowV = IntVector.broadcast(I, row);
            DoubleVector lowV = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
            for (; j < upper; j += L) {
                DoubleVector r = mv.add(DoubleVector.fromArray(D, cost, base + j)).sub(uv)
                        .sub(DoubleVector.fromArray(D, vScan, j));
                DoubleVector s = DoubleVector.fromArray(D, spc, j);
                VectorMask<Double> better = r.compare(VectorOperators.LT, s);
                if (better.anyTrue()) {
                    s = s.blend(r, better);
                    s.intoArray(spc, j);
                    rowV.intoArray(path, j, better.cast(I));
                }
                lowV = lowV.min(s);
            }
            lowest = lowV.reduceLanes(VectorOperators.MIN);
        }
        for (; j < m; j++) {
            double r = minVal + cost[base + j] - ui - vScan[j];
            double s = spc[j];
            if (r < s) {
                spc[j] = r;
                path[j] = row;
                s = r;
            }
            if (s < lowest) {
                lowest = s;
            }
        }
        return lowest;
    }

    /** The first {@code j} in {@code [from, m)} with {@code spc[j] == value}, or -1. */
    static int nextEqual(double[] spc, int from, int m, double value) {
        int j = from;
        int upper = from + D.loopBound(m - from);
        if (j < upper) {
            DoubleVector target = DoubleVector.broadcast(D, value);
            for (; j < upper; j += L) {
                VectorMask<Double> eq = DoubleVector.fromArray(D, spc, j).compare(VectorOperators.EQ, target);
                if (eq.anyTrue()) {
                    return j + eq.firstTrue();
                }
            }
        }
        for (; j < m; j++) {
            if (spc[j] == value) {
                return j;
            }
        }
        return -1;
    }
}
