package dev.batchwise.assign;

import java.util.Arrays;

/**
 * Crouse's shortest augmenting path for one dense problem with {@code n <= m} (rows no more than
 * columns), in double precision, with SciPy's tie-breaking. One instance is a reusable workspace
 * owned by one thread: the arrays grow to the largest problem seen and are reused afterwards, so
 * solving allocates nothing in steady state.
 *
 * <p>Usage: {@link #reserve(int, int)}, fill {@link #cost} ({@code n * m}, row-major, already
 * negated for maximisation and free of NaN and {@code -inf}), call {@link #solve(int, int)}, then
 * read {@link #col4row}, {@link #row4col}, {@link #u} and {@link #v}.
 *
 * <p>Equivalence with SciPy's search: SciPy keeps the unvisited columns in a list that starts in
 * reverse column order and shrinks by moving its last element into the removed slot, and scans
 * that list picking the first minimum, except that an equal value on a free column replaces the
 * pick. That selects, among the columns of minimal reduced cost, the free column that comes last
 * in the list if there is one, else the column that comes first. Here the columns are scanned in
 * natural order (contiguous memory) and each column's list position is tracked in {@link #pos};
 * the pick is the minimum of (reduced cost, rank) with rank {@code -1 - pos} for free columns and
 * {@code pos} otherwise, which is the same column. All arithmetic is done in the same order as
 * SciPy's, so the potentials are bit-identical too.
 */
final class AugmentingPathSolver {
    /** Working cost matrix, {@code n * m} row-major. */
    double[] cost = new double[0];
    /** Row potentials (n). */
    double[] u = new double[0];
    /** Column potentials (m). */
    double[] v = new double[0];
    /** Column assigned to each row, -1 if none (n). */
    int[] col4row = new int[0];
    /** Row assigned to each column, -1 if none (m). */
    int[] row4col = new int[0];

    /** Reduced path cost of each unvisited column; +inf once visited (so scans skip it). */
    private double[] shortest = new double[0];
    /** The path cost a column had when it was visited (SciPy's shortestPathCosts of visited columns). */
    private double[] visitedCost = new double[0];
    /** {@link #v} for unvisited columns, -inf for visited ones (their reduced cost is then +inf). */
    private double[] vScan = new double[0];
    private int[] path = new int[0];
    private int[] remaining = new int[0];
    private int[] pos = new int[0];

    /** Grows the workspace to hold an {@code n x m} problem. */
    void reserve(int n, int m) {
        long cells = (long) n * m;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("assignment problem " + n + " x " + m + " is too large for the CPU solver");
        }
        if (cost.length < cells) {
            cost = new double[(int) cells];
        }
        if (u.length < n) {
            u = new double[n];
            col4row = new int[n];
        }
        if (v.length < m) {
            v = new double[m];
            row4col = new int[m];
            shortest = new double[m];
            visitedCost = new double[m];
            vScan = new double[m];
            path = new int[m];
            remaining = new int[m];
            pos = new int[m];
        }
    }

    /**
     * Solves the {@code n x m} problem in {@link #cost}, {@code 0 < n <= m}.
     *
     * @return false if the problem is infeasible (outputs then unspecified)
     */
    boolean solve(int n, int m) {
        Arrays.fill(u, 0, n, 0.0);
        Arrays.fill(v, 0, m, 0.0);
        Arrays.fill(vScan, 0, m, 0.0);
        Arrays.fill(col4row, 0, n, -1);
        Arrays.fill(row4col, 0, m, -1);
        for (int cur = 0; cur < n; cur++) {
            if (!augment(cur, m)) {
                return false;
            }
        }
        return true;
    }

    /** One shortest augmenting path from row {@code cur}, then the dual update and augmentation. */
    private boolean augment(int cur, int m) {
        final double[] spc = shortest;
        final int[] r4c = row4col;
        Arrays.fill(spc, 0, m, Double.POSITIVE_INFINITY);
        for (int j = 0; j < m; j++) {
            pos[j] = m - 1 - j;
            remaining[m - 1 - j] = j;
        }
        int num = m;
        double minVal = 0;
        int i = cur;
        int sink = -1;
        while (sink < 0) {
            double lowest = ColumnScan.relax(cost, i * m, m, minVal, u[i], vScan, spc, path, i);
            minVal = lowest;
            if (minVal == Double.POSITIVE_INFINITY) {
                return false;
            }
            int j = pick(lowest, m);
            if (r4c[j] < 0) {
                sink = j;
            } else {
                i = r4c[j];
            }
            visitedCost[j] = spc[j];
            spc[j] = Double.POSITIVE_INFINITY;
            vScan[j] = Double.NEGATIVE_INFINITY;
            // Remove j from the list: its last element takes j's slot (SciPy's order); j goes to
            // the tail, so the tail lists the visited columns.
            int slot = pos[j];
            int last = remaining[--num];
            remaining[slot] = last;
            pos[last] = slot;
            remaining[num] = j;
            pos[j] = num;
        }
        // Dual update. The visited rows other than cur are exactly the rows assigned to the
        // visited columns other than the sink.
        u[cur] += minVal;
        for (int k = num; k < m; k++) {
            int j = remaining[k];
            if (j != sink) {
                int r = r4c[j];
                u[r] += minVal - visitedCost[j];
            }
            v[j] -= minVal - visitedCost[j];
            vScan[j] = v[j];
        }
        int j = sink;
        while (true) {
            int r = path[j];
            r4c[j] = r;
            int previous = col4row[r];
            col4row[r] = j;
            j = previous;
            if (r == cur) {
                break;
            }
        }
        return true;
    }

    /**
     * SciPy's choice among the unvisited columns whose path cost equals {@code lowest}: the free
     * one latest in the list, else the one earliest in the list.
     */
    private int pick(double lowest, int m) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int j = ColumnScan.nextEqual(shortest, 0, m, lowest); j >= 0;
                j = ColumnScan.nextEqual(shortest, j + 1, m, lowest)) {
            int rank = row4col[j] < 0 ? -1 - pos[j] : pos[j];
            if (rank < bestRank) {
                bestRank = rank;
                best = j;
            }
        }
        return best;
    }
}
