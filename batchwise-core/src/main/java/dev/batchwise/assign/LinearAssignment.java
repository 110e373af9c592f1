package dev.batchwise.assign;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Batched linear sum assignment (minimum- or maximum-cost one-to-one matching), with the exact
 * answers of SciPy's {@code scipy.optimize.linear_sum_assignment} (SciPy 1.4 and later), on the
 * CPU or on a CUDA GPU — wherever the costs are.
 *
 * <p>The input is a padded cost tensor {@code (B, R, C)} holding {@code B} independent problems;
 * problem {@code b} is the top-left block {@code costs[b, :rows[b], :cols[b]]}, where the optional
 * count tensors give each problem's size (a ragged batch; {@code null} means the full extent).
 * Rows may outnumber columns or the reverse: the smaller side is assigned completely, and each of
 * its members gets a distinct partner on the larger side so that the total cost is minimal (or
 * maximal with {@code maximize}).
 *
 * <p>Semantics, identical to SciPy's on every input:
 * <ul>
 *   <li>costs are converted to float64 and solved in double precision by Crouse's shortest
 *       augmenting path, with SciPy's tie-breaking, so that the returned indices are the ones
 *       SciPy returns, also for ties and constant matrices (a constant square matrix gives the
 *       identity);</li>
 *   <li>{@code +inf} marks a forbidden pair ({@code -inf} when maximising, since SciPy negates
 *       first);</li>
 *   <li>NaN, or the opposite infinity, makes a problem {@link AssignmentStatus#INVALID_COST
 *       invalid}: {@link IllegalArgumentException} naming the problem;</li>
 *   <li>a problem without a complete assignment of finite cost is {@link
 *       AssignmentStatus#INFEASIBLE infeasible}: {@link InfeasibleAssignmentException} naming
 *       it;</li>
 *   <li>a problem with 0 rows or 0 columns has an empty result (total cost 0).</li>
 * </ul>
 * On CUDA the same exceptions, with the same messages, come from the device error flag when a
 * result is read, plus an {@link IndexOutOfBoundsException} for a count outside the padded
 * extent (the counts live on the GPU and are checked there).
 * With {@code throwOnError = false} nothing is thrown for bad problems: their status is reported
 * in {@link AssignmentResult#status()} and their result is empty, while every other problem is
 * solved normally. With {@code throwOnError = true} the lowest-indexed bad problem's exception is
 * thrown — on the CPU by {@code solve} itself, on CUDA when a result is first read to the host
 * (the solve itself never waits for the GPU).
 *
 * <pre>{@code
 * Tensor costs = Tensor.of(new double[] {4, 1, 3,
 *                                        2, 0, 5,
 *                                        3, 2, 2}, 1, 3, 3);
 * try (AssignmentResult r = LinearAssignment.solve(costs)) {
 *     long[][] pairs = r.pairs(0);          // {{0, 1, 2}, {1, 0, 2}}, as SciPy
 *     double total = r.totalCost().getDouble(0);   // 5.0
 * }
 * }</pre>
 *
 * <p>A ragged batch may also be given as a {@link RaggedBatch} of cost matrices whose ragged axis
 * (rows or columns) carries that axis' counts, e.g. DETR costs {@code (B, Q, M)} with the GT
 * counts on the column axis: {@code solve(RaggedBatch.of(costs, gtCounts, 2), null, false)}. The
 * pairs come back as ragged batches too: {@link AssignmentResult#rowIndices()},
 * {@link AssignmentResult#colIndices()}.
 *
 * <p>CPU: one problem per task on all cores, reusable per-thread workspaces. CUDA: one kernel
 * launch for the whole batch, one thread block per problem.
 */
public final class LinearAssignment {
    private LinearAssignment() {}

    /**
     * Minimum-cost assignment of every problem at its full size.
     *
     * @param costs {@code (B, R, C)} or {@code (R, C)} (then {@code B = 1}), float32 or float64
     * @throws IllegalArgumentException for bad arguments or an invalid problem
     * @throws InfeasibleAssignmentException for an infeasible problem
     */
    public static AssignmentResult solve(Tensor costs) {
        return solve(costs, null, null, false, true);
    }

    /**
     * Minimum- or maximum-cost assignment of every problem at its full size; see {@link #solve(Tensor)}.
     */
    public static AssignmentResult solve(Tensor costs, boolean maximize) {
        return solve(costs, null, null, maximize, true);
    }

    /**
     * Assignment of a ragged batch, throwing for the first bad problem; see
     * {@link #solve(Tensor, Tensor, Tensor, boolean, boolean)}.
     */
    public static AssignmentResult solve(Tensor costs, Tensor rowCounts, Tensor colCounts, boolean maximize) {
        return solve(costs, rowCounts, colCounts, maximize, true);
    }

    /**
     * Solves a ragged batch of assignment problems.
     *
     * @param costs {@code (B, R, C)} or {@code (R, C)}, float32 or float64, CPU or CUDA; not modified
     * @param rowCounts {@code (B)} int32 or int64 on the device of {@code costs}, each in
     *     {@code [0, R]}; {@code null} means {@code R} for every problem
     * @param colCounts {@code (B)} int32 or int64, each in {@code [0, C]}; {@code null} means {@code C}
     * @param maximize maximise the total instead of minimising it (SciPy's {@code maximize})
     * @param throwOnError throw for the first bad problem ({@code true}), or report per-problem
     *     statuses and leave the other problems' results intact ({@code false})
     * @return the assigned pairs, total costs, dual potentials and statuses
     * @throws IllegalArgumentException for bad shapes, dtypes, devices or counts (always, before
     *     any work), and for a problem with invalid costs when {@code throwOnError}
     * @throws InfeasibleAssignmentException for an infeasible problem when {@code throwOnError}
     */
    public static AssignmentResult solve(Tensor costs, Tensor rowCounts, Tensor colCounts,
                                         boolean maximize, boolean throwOnError) {
        Tensor batch = asBatch(costs);
        long b = batch.shape(0);
        checkCounts(rowCounts, "rowCounts", batch, b, batch.shape(1));
        checkCounts(colCounts, "colCounts", batch, b, batch.shape(2));
        Device device = batch.device();
        if (device.isCpu()) {
            long[] rows = counts(rowCounts, "rowCounts", b, batch.shape(1));
            long[] cols = counts(colCounts, "colCounts", b, batch.shape(2));
            AssignmentResult result = CpuLinearAssignment.solve(batch, rows, cols, maximize);
            if (throwOnError) {
                throwFirstError(result, rows, cols);
            }
            return result;
        }
        return CudaLinearAssignment.solve(batch, rowCounts, colCounts, maximize, throwOnError);
    }

    /**
     * Minimum-cost assignment of a ragged batch of cost matrices, throwing for the first bad
     * problem; see {@link #solve(RaggedBatch, Tensor, boolean, boolean)}.
     */
    public static AssignmentResult solve(RaggedBatch costs) {
        return solve(costs, null, false, true);
    }

    /**
     * Assignment of a ragged batch of cost matrices, throwing for the first bad problem; see
     * {@link #solve(RaggedBatch, Tensor, boolean, boolean)}.
     */
    public static AssignmentResult solve(RaggedBatch costs, Tensor otherCounts, boolean maximize) {
        return solve(costs, otherCounts, maximize, true);
    }

    /**
     * Solves the problems of a {@link RaggedBatch} of padded cost matrices: exactly
     * {@link #solve(Tensor, Tensor, Tensor, boolean, boolean)} with the batch's data as costs, its
     * sample sizes as the counts of its ragged axis, and {@code otherCounts} as the counts of the
     * other axis.
     *
     * <pre>{@code
     * // 8 samples of 644 queries x up to 80 GT objects; gtCounts (8) int64
     * RaggedBatch perSample = RaggedBatch.of(costs, gtCounts, 2);   // ragged axis 2 = columns
     * try (AssignmentResult r = LinearAssignment.solve(perSample, null, false)) {
     *     RaggedBatch queries = r.rowIndices();                     // matched queries per sample
     *     RaggedBatch objects = r.colIndices();                     // their GT objects
     * }
     * }</pre>
     *
     * @param costs data {@code (B, R, C)} float32 or float64 with one batch axis; ragged axis 1
     *     (its sample sizes are the row counts) or 2 (the column counts); CPU or CUDA; not modified
     * @param otherCounts {@code (B)} int32 or int64 counts of the axis that is not ragged (columns
     *     when the ragged axis is 1, rows when it is 2), on the device of the costs; {@code null}
     *     means the full extent
     * @param maximize maximise the total instead of minimising it
     * @param throwOnError throw for the first bad problem, or report per-problem statuses
     * @throws IllegalArgumentException for a batch of another layout, and as the tensor form
     * @throws InfeasibleAssignmentException for an infeasible problem when {@code throwOnError}
     */
    public static AssignmentResult solve(RaggedBatch costs, Tensor otherCounts, boolean maximize,
                                         boolean throwOnError) {
        if (costs == null) {
            throw new IllegalArgumentException("costs must not be null");
        }
        if (costs.numBatchDims() != 1 || costs.rank() != 3) {
            throw new IllegalArgumentException("costs must be a ragged batch of shape (B, R, C) with one batch axis, got "
                    + Shapes.format(costs.shape()) + " with " + costs.numBatchDims() + " batch axes");
        }
        Tensor sizes = costs.sampleSizes();
        boolean raggedRows = costs.raggedDim() == 1;
        return solve(costs.data(), raggedRows ? sizes : otherCounts, raggedRows ? otherCounts : sizes, maximize,
                throwOnError);
    }

    private static Tensor asBatch(Tensor costs) {
        TensorChecks.requireNonNull(costs, "costs");
        TensorChecks.requireDType(costs, "costs", DType.FLOAT32, DType.FLOAT64);
        if (costs.rank() == 2) {
            return costs.reshape(1, costs.shape(0), costs.shape(1));
        }
        if (costs.rank() != 3) {
            throw new IllegalArgumentException("costs must have shape (B, R, C) or (R, C), got "
                    + Shapes.format(costs.shape()));
        }
        if (costs.shape(1) > Integer.MAX_VALUE / 2 || costs.shape(2) > Integer.MAX_VALUE / 2
                || costs.shape(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("costs is too large: " + Shapes.format(costs.shape()));
        }
        return costs;
    }

    private static void checkCounts(Tensor counts, String name, Tensor costs, long b, long max) {
        if (counts == null) {
            return;
        }
        TensorChecks.requireShape(counts, name, "(B,) = " + Shapes.format(b), b);
        TensorChecks.requireDType(counts, name, DType.INT32, DType.INT64);
        TensorChecks.requireSameDevice("costs", costs, name, counts);
    }

    /** Host copy of the counts (CPU tensors), each checked to lie in {@code [0, max]}. */
    private static long[] counts(Tensor counts, String name, long b, long max) {
        long[] out = new long[(int) b];
        if (counts == null) {
            java.util.Arrays.fill(out, max);
            return out;
        }
        long[] given = counts.toLongArray();
        for (int i = 0; i < given.length; i++) {
            if (given[i] < 0 || given[i] > max) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + given[i] + " is outside [0, " + max + "]");
            }
            out[i] = given[i];
        }
        return out;
    }

    /** Throws the exception of the lowest-indexed failed problem, freeing the result first. */
    private static void throwFirstError(AssignmentResult result, long[] rows, long[] cols) {
        IllegalArgumentException e = firstError(result, rows, cols);
        if (e != null) {
            result.close();
            throw e;
        }
    }

    /** The exception of the lowest-indexed bad problem of {@code result}, or null when all are OK. */
    static IllegalArgumentException firstError(AssignmentResult result, long[] rows, long[] cols) {
        int[] codes = result.status().toIntArray();
        for (int p = 0; p < codes.length; p++) {
            if (codes[p] != AssignmentStatus.OK.code()) {
                return errorFor(AssignmentStatus.ofCode(codes[p]), p, rows[p], cols[p]);
            }
        }
        return null;
    }

    /** The exception that a failed problem raises (shared with the CUDA back end). */
    static IllegalArgumentException errorFor(AssignmentStatus status, int problem, long rows, long cols) {
        if (status == AssignmentStatus.INFEASIBLE) {
            return new InfeasibleAssignmentException(problem, rows, cols);
        }
        return new IllegalArgumentException("assignment problem " + problem + " (" + rows + " x " + cols
                + ") has invalid costs: NaN or " + "an infinity of the wrong sign (-inf when minimising, "
                + "+inf when maximising)");
    }
}
