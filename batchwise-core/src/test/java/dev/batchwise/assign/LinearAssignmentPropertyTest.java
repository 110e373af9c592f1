package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Optimality on random problems: the dual certificate and brute-force enumeration (CPU). */
class LinearAssignmentPropertyTest {

    /** Checks a solution of one problem ({@code rows x cols} matrix {@code m}) against its dual certificate. */
    static void checkCertificate(double[] m, int rows, int cols, boolean maximize, long[][] pairs,
                                 double[] u, double[] v, double total, String what) {
        int k = Math.min(rows, cols);
        assertEquals(k, pairs[0].length, what + ": pair count");
        double scale = 1;
        for (double x : m) {
            if (Double.isFinite(x)) {
                scale = Math.max(scale, Math.abs(x));
            }
        }
        double tol = 1e-9 * scale * (rows + cols);
        double s = maximize ? -1 : 1; // certificate of the minimisation actually solved
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double c = s * m[i * cols + j];
                if (!(s * (u[i] + v[j]) <= c + tol)) {
                    throw new AssertionError(what + ": u+v > c at (" + i + ", " + j + ")");
                }
            }
        }
        Set<Long> usedRows = new HashSet<>();
        Set<Long> usedCols = new HashSet<>();
        double sum = 0;
        for (int p = 0; p < k; p++) {
            long i = pairs[0][p];
            long j = pairs[1][p];
            assertTrue(p == 0 || pairs[0][p - 1] < i, what + ": rows not increasing");
            assertTrue(usedRows.add(i) && usedCols.add(j), what + ": index used twice");
            double c = m[(int) (i * cols + j)];
            assertTrue(Double.isFinite(c), what + ": forbidden pair assigned");
            assertEquals(c, u[(int) i] + v[(int) j], tol, what + ": no equality on pair " + p);
            sum += c;
        }
        assertEquals(sum, total, 0.0, what + ": total is not the sum over pairs");
        double duals = 0;
        for (int i = 0; i < rows; i++) {
            if (!usedRows.contains((long) i)) {
                assertEquals(0.0, u[i], 0.0, what + ": unassigned row has a potential");
            }
            duals += u[i];
        }
        for (int j = 0; j < cols; j++) {
            if (!usedCols.contains((long) j)) {
                assertEquals(0.0, v[j], 0.0, what + ": unassigned column has a potential");
            }
            duals += v[j];
        }
        assertEquals(total, duals, tol * k, what + ": dual objective differs from the total");
    }

    @Test
    void dualCertificateHoldsOnRandomRaggedBatches() {
        SplittableRandom rnd = new SplittableRandom(41);
        for (int round = 0; round < 40; round++) {
            int b = 1 + rnd.nextInt(24);
            int rMax = 1 + rnd.nextInt(40);
            int cMax = 1 + rnd.nextInt(40);
            boolean maximize = round % 3 == 1;
            int kind = round;
            double[] padded = new double[b * rMax * cMax];
            long[] rows = new long[b];
            long[] cols = new long[b];
            for (int p = 0; p < b; p++) {
                rows[p] = 1 + rnd.nextInt(rMax);
                cols[p] = 1 + rnd.nextInt(cMax);
                double[] m = RandomProblems.matrix(rnd, (int) rows[p], (int) cols[p], kind);
                for (int i = 0; i < rows[p]; i++) {
                    for (int j = 0; j < cols[p]; j++) {
                        double x = m[(int) (i * cols[p] + j)];
                        padded[(p * rMax + i) * cMax + j] = maximize && x == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : x;
                    }
                }
            }
            try (Scope scope = Scope.open()) {
                AssignmentResult r = LinearAssignment.solve(Tensor.of(padded, b, rMax, cMax), Tensor.of(rows),
                        Tensor.of(cols), maximize, false);
                AssignmentStatus[] st = r.statuses();
                double[] u = r.rowPotentials().toDoubleArray();
                double[] v = r.colPotentials().toDoubleArray();
                double[] totals = r.totalCost().toDoubleArray();
                for (int p = 0; p < b; p++) {
                    if (st[p] != AssignmentStatus.OK) {
                        assertEquals(4, kind % 5, "only forbidden entries can make a problem fail");
                        continue;
                    }
                    int nr = (int) rows[p];
                    int nc = (int) cols[p];
                    double[] m = new double[nr * nc];
                    for (int i = 0; i < nr; i++) {
                        System.arraycopy(padded, (p * rMax + i) * cMax, m, i * nc, nc);
                    }
                    double[] up = java.util.Arrays.copyOfRange(u, p * rMax, p * rMax + nr);
                    double[] vp = java.util.Arrays.copyOfRange(v, p * cMax, p * cMax + nc);
                    checkCertificate(m, nr, nc, maximize, r.pairs(p), up, vp, totals[p],
                            "round " + round + " problem " + p + " (" + nr + "x" + nc + ")");
                }
            }
        }
    }

    @Test
    void totalIsTheBruteForceOptimumUpTo7x7() {
        SplittableRandom rnd = new SplittableRandom(7);
        int checked = 0;
        for (int t = 0; t < 1500; t++) {
            int rows = 1 + rnd.nextInt(7);
            int cols = 1 + rnd.nextInt(7);
            boolean maximize = t % 4 == 3;
            double[] m = RandomProblems.matrix(rnd, rows, cols, t);
            if (maximize) {
                for (int i = 0; i < m.length; i++) {
                    m[i] = m[i] == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : m[i];
                }
            }
            double best = BruteForce.optimum(m, rows, cols, maximize);
            try (Scope scope = Scope.open()) {
                AssignmentResult r = LinearAssignment.solve(Tensor.of(m, 1, rows, cols), null, null, maximize, false);
                AssignmentStatus st = r.statuses()[0];
                String what = "trial " + t + " (" + rows + "x" + cols + ", kind " + t % 5 + ")";
                if (Double.isInfinite(best)) {
                    assertEquals(AssignmentStatus.INFEASIBLE, st, what);
                    continue;
                }
                assertEquals(AssignmentStatus.OK, st, what);
                double total = r.totalCost().toDoubleArray()[0];
                assertEquals(best, total, 1e-9 * Math.max(1, Math.abs(best)), what);
                checked++;
            }
        }
        assertTrue(checked > 1000, "feasible trials checked: " + checked);
    }
}
