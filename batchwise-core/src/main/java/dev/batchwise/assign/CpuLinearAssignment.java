package dev.batchwise.assign;

import dev.batchwise.cpu.CpuPool;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * CPU back end of {@link LinearAssignment}: one problem per task on {@link CpuPool}, each solved
 * by the calling worker's reusable {@link AugmentingPathSolver} (no allocation per problem in
 * steady state). Writes straight into the result tensors.
 */
final class CpuLinearAssignment {
    private static final ThreadLocal<AugmentingPathSolver> WORKSPACE =
            ThreadLocal.withInitial(AugmentingPathSolver::new);
    private CpuLinearAssignment() {}

    /** The problem shapes and output memory of one batch solve. */
    private record Batch(MemorySegment costs, boolean float32, int maxRows, int maxCols, long[] rows, long[] cols,
                         boolean maximize, MemorySegment rowInd, MemorySegment colInd, MemorySegment sizes,
                         MemorySegment total, MemorySegment rowPot, MemorySegment colPot, MemorySegment status,
                         int k) {}

    /**
     * Solves every problem. {@code rows}/{@code cols} are validated counts within the padded
     * extents {@code R}/{@code C} of {@code costs (B, R, C)}.
     */
    static AssignmentResult solve(Tensor costs, long[] rows, long[] cols, boolean maximize) {
        int b = (int) costs.shape(0);
        int maxRows = (int) costs.shape(1);
        int maxCols = (int) costs.shape(2);
        int k = Math.min(maxRows, maxCols);
        Tensor rowInd = Tensor.full(-1, DType.INT64, Device.CPU, b, k);
        Tensor colInd = Tensor.full(-1, DType.INT64, Device.CPU, b, k);
        Tensor sizes = Tensor.zeros(DType.INT64, Device.CPU, b);
        Tensor total = Tensor.zeros(DType.FLOAT64, Device.CPU, b);
        Tensor rowPot = Tensor.zeros(DType.FLOAT64, Device.CPU, b, maxRows);
        Tensor colPot = Tensor.zeros(DType.FLOAT64, Device.CPU, b, maxCols);
        Tensor status = Tensor.zeros(DType.INT32, Device.CPU, b);
        Batch batch = new Batch(costs.cpuSegment(), costs.dtype() == DType.FLOAT32, maxRows, maxCols, rows, cols,
                maximize, rowInd.cpuSegment(), colInd.cpuSegment(), sizes.cpuSegment(), total.cpuSegment(),
                rowPot.cpuSegment(), colPot.cpuSegment(), status.cpuSegment(), k);
        // Tiny problems are grouped so that a task is worth scheduling.
        int grain = (int) Math.max(1, Math.min(64, 2048L / Math.max(1L, (long) maxRows * maxCols)));
        CpuPool.parallelFor(b, grain, p -> solveOne(batch, p, WORKSPACE.get()));
        return new AssignmentResult(rowInd, colInd, sizes, total, rowPot, colPot, status);
    }

    /** Writes the costs of problem {@code p} into a solver's working matrix. */
    @FunctionalInterface
    interface CostSource {
        /**
         * The {@code (R, C)} costs of problem {@code p} restricted to its valid columns, as doubles:
         * {@code w[c * R + r]} when {@code transposed}, else {@code w[r * cols + c]}.
         *
         * @return false if an entry is NaN or -inf (SciPy's invalid costs)
         */
        boolean problemIntoWorking(int p, double[] w, boolean transposed);
    }

    /**
     * A batch whose cost matrices are computed one problem at a time, just before that problem is
     * solved ({@link #solve(int)}), straight into the thread's solver workspace: no
     * {@code (B, R, C)} tensor is written and read back. Results as {@link #solve(Tensor, long[], long[], boolean)} with all
     * rows and {@code cols}, except that the pairs have width {@code k >= min(R, C)}.
     */
    static final class Computed {
        private final Batch batch;
        private final CostSource source;
        final AssignmentResult result;

        Computed(int b, int maxRows, int maxCols, boolean float32, long[] cols, int k, CostSource source) {
            long[] rows = new long[b];
            java.util.Arrays.fill(rows, maxRows);
            Tensor rowInd = Tensor.full(-1, DType.INT64, Device.CPU, b, k);
            Tensor colInd = Tensor.full(-1, DType.INT64, Device.CPU, b, k);
            Tensor sizes = Tensor.zeros(DType.INT64, Device.CPU, b);
            Tensor total = Tensor.zeros(DType.FLOAT64, Device.CPU, b);
            Tensor rowPot = Tensor.zeros(DType.FLOAT64, Device.CPU, b, maxRows);
            Tensor colPot = Tensor.zeros(DType.FLOAT64, Device.CPU, b, maxCols);
            Tensor status = Tensor.zeros(DType.INT32, Device.CPU, b);
            this.batch = new Batch(null, float32, maxRows, maxCols, rows, cols, false, rowInd.cpuSegment(),
                    colInd.cpuSegment(), sizes.cpuSegment(), total.cpuSegment(), rowPot.cpuSegment(),
                    colPot.cpuSegment(), status.cpuSegment(), k);
            this.source = source;
            this.result = new AssignmentResult(rowInd, colInd, sizes, total, rowPot, colPot, status);
        }

        /**
         * Computes and solves problem {@code p} on the calling thread (problems without GT are
         * skipped). The costs go straight into the solver's working matrix; the source reports
         * NaN and -inf entries, which fail the problem as {@link #loadWorkingMatrix} does.
         */
        void solve(int p) {
            int nr = (int) batch.rows[p];
            int nc = (int) batch.cols[p];
            if (nr == 0 || nc == 0) {
                return;
            }
            boolean transposed = nr > nc;
            int n = Math.min(nr, nc);
            int m = Math.max(nr, nc);
            AugmentingPathSolver ws = WORKSPACE.get();
            ws.reserve(n, m);
            if (!source.problemIntoWorking(p, ws.cost, transposed)) {
                fail(batch, p, AssignmentStatus.INVALID_COST);
                return;
            }
            if (!ws.solve(n, m)) {
                fail(batch, p, AssignmentStatus.INFEASIBLE);
                return;
            }
            writeSolution(batch, null, 0, p, nr, nc, transposed, ws);
        }
    }

    private static void solveOne(Batch bt, int p, AugmentingPathSolver ws) {
        solveOne(bt, p, ws, bt.costs, (long) p * bt.maxRows * bt.maxCols);
    }

    /** Solves problem {@code p}, whose padded {@code (R, C)} costs start at element {@code costBase} of {@code costs}. */
    private static void solveOne(Batch bt, int p, AugmentingPathSolver ws, MemorySegment costs, long costBase) {
        int nr = (int) bt.rows[p];
        int nc = (int) bt.cols[p];
        if (nr == 0 || nc == 0) {
            return; // empty result, total 0, status OK (zero-filled)
        }
        boolean transposed = nr > nc;
        int n = Math.min(nr, nc);
        int m = Math.max(nr, nc);
        ws.reserve(n, m);
        if (!loadWorkingMatrix(bt, costs, costBase, nr, nc, transposed, ws.cost)) {
            fail(bt, p, AssignmentStatus.INVALID_COST);
            return;
        }
        if (!ws.solve(n, m)) {
            fail(bt, p, AssignmentStatus.INFEASIBLE);
            return;
        }
        writeSolution(bt, costs, costBase, p, nr, nc, transposed, ws);
    }

    /**
     * Copies problem {@code p} into {@code w} as doubles, transposed when it has more rows than
     * columns and negated when maximising (SciPy's order: negate, then reject NaN and -inf).
     *
     * @return false if an entry is invalid
     */
    private static boolean loadWorkingMatrix(Batch bt, MemorySegment costs, long base, int nr, int nc,
                                             boolean transposed, double[] w) {
        double sign = bt.maximize ? -1.0 : 1.0;
        boolean ok = true;
        for (int r = 0; r < nr; r++) {
            long rowBase = base + (long) r * bt.maxCols;
            for (int c = 0; c < nc; c++) {
                double x = bt.float32
                        ? costs.getAtIndex(ValueLayout.JAVA_FLOAT, rowBase + c)
                        : costs.getAtIndex(ValueLayout.JAVA_DOUBLE, rowBase + c);
                double value = bt.maximize ? sign * x : x;
                ok &= value == value && value != Double.NEGATIVE_INFINITY;
                w[transposed ? c * nr + r : r * nc + c] = value;
            }
        }
        return ok;
    }

    private static void fail(Batch bt, int p, AssignmentStatus s) {
        bt.status.setAtIndex(ValueLayout.JAVA_INT, p, s.code());
        bt.total.setAtIndex(ValueLayout.JAVA_DOUBLE, p, Double.NaN);
    }

    private static void writeSolution(Batch bt, MemorySegment costs, long costBase, int p, int nr, int nc,
                                      boolean transposed, AugmentingPathSolver ws) {
        long out = (long) p * bt.k;
        double total = 0;
        int pairs = 0;
        if (!transposed) {
            for (int r = 0; r < nr; r++) {
                int c = ws.col4row[r];
                total += costs == null ? ws.cost[r * nc + c] : original(bt, costs, costBase + (long) r * bt.maxCols + c);
                bt.rowInd.setAtIndex(ValueLayout.JAVA_LONG, out + pairs, r);
                bt.colInd.setAtIndex(ValueLayout.JAVA_LONG, out + pairs, c);
                pairs++;
            }
        } else {
            // Working columns are the original rows; walking them in order sorts the pairs by row.
            for (int r = 0; r < nr; r++) {
                int c = ws.row4col[r];
                if (c >= 0) {
                    total += costs == null ? ws.cost[c * nr + r]
                            : original(bt, costs, costBase + (long) r * bt.maxCols + c);
                    bt.rowInd.setAtIndex(ValueLayout.JAVA_LONG, out + pairs, r);
                    bt.colInd.setAtIndex(ValueLayout.JAVA_LONG, out + pairs, c);
                    pairs++;
                }
            }
        }
        bt.sizes.setAtIndex(ValueLayout.JAVA_LONG, p, pairs);
        bt.total.setAtIndex(ValueLayout.JAVA_DOUBLE, p, total);
        double sign = bt.maximize ? -1.0 : 1.0;
        double[] rowU = transposed ? ws.v : ws.u;
        double[] colV = transposed ? ws.u : ws.v;
        long rowPotBase = (long) p * bt.maxRows;
        long colPotBase = (long) p * bt.maxCols;
        for (int r = 0; r < nr; r++) {
            bt.rowPot.setAtIndex(ValueLayout.JAVA_DOUBLE, rowPotBase + r, bt.maximize ? sign * rowU[r] : rowU[r]);
        }
        for (int c = 0; c < nc; c++) {
            bt.colPot.setAtIndex(ValueLayout.JAVA_DOUBLE, colPotBase + c, bt.maximize ? sign * colV[c] : colV[c]);
        }
    }

    private static double original(Batch bt, MemorySegment costs, long index) {
        return bt.float32 ? costs.getAtIndex(ValueLayout.JAVA_FLOAT, index)
                : costs.getAtIndex(ValueLayout.JAVA_DOUBLE, index);
    }
}
