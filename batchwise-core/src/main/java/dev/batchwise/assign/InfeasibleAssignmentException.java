package dev.batchwise.assign;

/**
 * A problem of the batch has no complete assignment of its smaller side with a finite total cost
 * (every such assignment uses a forbidden, infinite entry). SciPy's {@code linear_sum_assignment}
 * raises {@code ValueError("cost matrix is infeasible")} for the same problems; like SciPy's
 * {@code ValueError}, this is an {@link IllegalArgumentException}.
 */
public final class InfeasibleAssignmentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int problem;

    /**
     * @param problem index of the infeasible problem in the batch
     * @param rows its row count
     * @param cols its column count
     */
    public InfeasibleAssignmentException(int problem, long rows, long cols) {
        super("assignment problem " + problem + " (" + rows + " x " + cols
                + ") is infeasible: every complete assignment uses a forbidden (infinite) cost");
        this.problem = problem;
    }

    /** Index of the infeasible problem in the batch. */
    public int problem() {
        return problem;
    }
}
