package dev.batchwise.assign;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.Tensor;

/**
 * The solutions of a batch of {@code B} assignment problems from {@link LinearAssignment}, on the
 * device of the costs.
 *
 * <p>Problem {@code b} with {@code r = rowCounts[b]} rows and {@code c = colCounts[b]} columns has
 * {@code k = sizes[b] = min(r, c)} assigned pairs ({@code 0} if it failed). Its pairs are
 * {@code (rowIndices[b, p], colIndices[b, p])} for {@code p < k}, in SciPy's order: row indices
 * strictly increasing — exactly the arrays {@code row_ind, col_ind} that
 * {@code scipy.optimize.linear_sum_assignment(cost[b, :r, :c], maximize)} returns. Positions
 * {@code p >= k} hold {@code -1}. Indices are int64, shape {@code (B, K)} with
 * {@code K = min(R, C)} of the padded cost tensor {@code (B, R, C)}. The same indices come as
 * {@link RaggedBatch}es from {@link #rowIndices()} and {@link #colIndices()}: sample {@code b}
 * holds the problem's {@code sizes[b]} pairs.
 *
 * <p>The dual potentials certify optimality: for minimisation, {@code u = rowPotentials[b]} and
 * {@code v = colPotentials[b]} satisfy {@code u[i] + v[j] <= cost[b, i, j]} for every valid
 * {@code (i, j)}, with equality (up to rounding) on the assigned pairs, and the potentials of the
 * unassigned rows or columns (of the larger side) are {@code 0}; so {@code sum(u) + sum(v)} equals
 * the optimal total. For maximisation the potentials are negated so that
 * {@code u[i] + v[j] >= cost[b, i, j]} instead. Entries beyond a problem's size are {@code 0}.
 *
 * <p>On CUDA every tensor is filled asynchronously; reading one to the host waits for the solve
 * (and, when the solve was asked to throw, raises the first problem's error there).
 *
 * <p>The result owns its tensors: {@link #close()} frees them all (as does the enclosing
 * {@link dev.batchwise.tensor.Scope}).
 */
public final class AssignmentResult implements AutoCloseable {
    private final Tensor rowIndices;
    private final Tensor colIndices;
    private final Tensor sizes;
    private final Tensor totalCost;
    private final Tensor rowPotentials;
    private final Tensor colPotentials;
    private final Tensor status;
    private RaggedBatch raggedRows;
    private RaggedBatch raggedCols;

    AssignmentResult(Tensor rowIndices, Tensor colIndices, Tensor sizes, Tensor totalCost,
                     Tensor rowPotentials, Tensor colPotentials, Tensor status) {
        this.rowIndices = rowIndices;
        this.colIndices = colIndices;
        this.sizes = sizes;
        this.totalCost = totalCost;
        this.rowPotentials = rowPotentials;
        this.colPotentials = colPotentials;
        this.status = status;
    }

    /**
     * The assigned row indices as a ragged batch: data int64 {@code (B, K)} (the
     * {@link #rowIndexTensor()}, padded with -1, shared, not copied), sample sizes {@link #sizes()};
     * sample {@code b} is SciPy's {@code row_ind} of problem {@code b}. No synchronisation on CUDA.
     * Closing the batch frees the shared data tensor, as closing this result does.
     */
    public synchronized RaggedBatch rowIndices() {
        if (raggedRows == null) {
            raggedRows = RaggedBatch.of(rowIndices, sizes);
        }
        return raggedRows;
    }

    /**
     * The assigned column indices as a ragged batch, paired position by position with
     * {@link #rowIndices()}: data int64 {@code (B, K)} (the {@link #colIndexTensor()}, shared),
     * sample sizes {@link #sizes()}; sample {@code b} is SciPy's {@code col_ind} of problem
     * {@code b}.
     */
    public synchronized RaggedBatch colIndices() {
        if (raggedCols == null) {
            raggedCols = RaggedBatch.of(colIndices, sizes);
        }
        return raggedCols;
    }

    /** Assigned row indices, int64 {@code (B, K)}, padded with -1; SciPy's {@code row_ind} per problem. */
    public Tensor rowIndexTensor() {
        return rowIndices;
    }

    /** Assigned column indices, int64 {@code (B, K)}, padded with -1; SciPy's {@code col_ind} per problem. */
    public Tensor colIndexTensor() {
        return colIndices;
    }

    /** Number of assigned pairs per problem, int64 {@code (B)}: {@code min(rows, cols)}, or 0 when the problem failed. */
    public Tensor sizes() {
        return sizes;
    }

    /**
     * Total cost per problem, float64 {@code (B)}: the sum, in pair order and in double precision,
     * of the original (not negated) costs of the assigned pairs; {@code 0} for an empty problem,
     * NaN for a failed one.
     */
    public Tensor totalCost() {
        return totalCost;
    }

    /** Row dual potentials {@code u}, float64 {@code (B, R)} (see the class description). */
    public Tensor rowPotentials() {
        return rowPotentials;
    }

    /** Column dual potentials {@code v}, float64 {@code (B, C)} (see the class description). */
    public Tensor colPotentials() {
        return colPotentials;
    }

    /** Per-problem {@link AssignmentStatus#code() status codes}, int32 {@code (B)}. */
    public Tensor status() {
        return status;
    }

    /** The per-problem statuses, copied to the host (waits for a CUDA solve). */
    public AssignmentStatus[] statuses() {
        int[] codes = status.toIntArray();
        AssignmentStatus[] out = new AssignmentStatus[codes.length];
        for (int b = 0; b < codes.length; b++) {
            out[b] = AssignmentStatus.ofCode(codes[b]);
        }
        return out;
    }

    /** Number of problems {@code B}. */
    public int batchSize() {
        return (int) status.shape(0);
    }

    /**
     * The assigned pairs of problem {@code b} as {@code {rowInd, colInd}}, exactly SciPy's two
     * arrays (copies to the host; waits for a CUDA solve).
     */
    public long[][] pairs(int b) {
        int k = (int) sizes.narrow(0, b, 1).toLongArray()[0];
        long[] rows = new long[k];
        long[] cols = new long[k];
        if (k > 0) {
            long[] r = rowIndices.narrow(0, b, 1).toLongArray();
            long[] c = colIndices.narrow(0, b, 1).toLongArray();
            System.arraycopy(r, 0, rows, 0, k);
            System.arraycopy(c, 0, cols, 0, k);
        }
        return new long[][] {rows, cols};
    }

    /** Frees every tensor of this result. */
    @Override
    public void close() {
        for (Tensor t : new Tensor[] {rowIndices, colIndices, sizes, totalCost, rowPotentials, colPotentials, status}) {
            if (!t.isClosed()) {
                t.close();
            }
        }
    }
}
