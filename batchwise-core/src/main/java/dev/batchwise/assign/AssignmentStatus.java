package dev.batchwise.assign;

/**
 * Outcome of one assignment problem of a batch, as reported by {@link AssignmentResult#statuses()}.
 *
 * <p>The numeric {@link #code()} is what the status tensor ({@link AssignmentResult#status()})
 * holds, on the CPU and on CUDA.
 */
public enum AssignmentStatus {
    /** Solved; the result holds an optimal assignment of the smaller side. */
    OK(0),
    /**
     * No complete assignment of the smaller side with a finite total cost exists (SciPy raises
     * {@code ValueError("cost matrix is infeasible")}).
     */
    INFEASIBLE(1),
    /**
     * The problem's costs contain NaN or the infinity of the wrong sign: {@code -inf} when
     * minimising, {@code +inf} when maximising (SciPy raises
     * {@code ValueError("matrix contains invalid numeric entries")}).
     */
    INVALID_COST(2);

    private final int code;

    AssignmentStatus(int code) {
        this.code = code;
    }

    /** The value stored in the status tensor: 0 OK, 1 INFEASIBLE, 2 INVALID_COST. */
    public int code() {
        return code;
    }

    /**
     * The status with this code.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static AssignmentStatus ofCode(int code) {
        for (AssignmentStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown assignment status code " + code);
    }
}
