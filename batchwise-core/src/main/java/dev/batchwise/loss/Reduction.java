package dev.batchwise.loss;

/**
 * How a loss turns its per-element values into the returned value, as mmdetection's
 * {@code weight_reduce_loss}: {@link #sum()}, {@link #mean()} (divide by the number of loss
 * elements), or {@link #avgFactor(double)} (divide by {@code avgFactor + FLT_EPSILON}, mmdet's
 * {@code loss.sum() / (avg_factor + torch.finfo(torch.float32).eps)}). The loss weight is applied
 * after the reduction.
 *
 * <p>{@link #keepLeading(int)} reduces separately per index of the first {@code k} batch
 * dimensions (e.g. one loss per decoder layer): the value then has those {@code k} dimensions, and
 * the returned gradient is that of the sum of all group values (each element belongs to one group).
 *
 * @param kind the reduction
 * @param avgFactor the divisor for {@link Kind#AVG_FACTOR} (ignored otherwise)
 * @param keepDims leading dimensions kept in the value, {@code >= 0}
 */
public record Reduction(Kind kind, double avgFactor, int keepDims) {
    /** mmdetection's float32 epsilon added to the average factor. */
    public static final double AVG_FACTOR_EPS = Math.ulp(1.0f);

    /** The reductions. */
    public enum Kind {
        /** Sum of the elements. */
        SUM,
        /** Sum divided by the number of loss elements (of the group). */
        MEAN,
        /** Sum divided by {@code avgFactor + FLT_EPSILON}. */
        AVG_FACTOR
    }

    /** Validates the parameters. */
    public Reduction {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kind == Kind.AVG_FACTOR && !(Double.isFinite(avgFactor) && avgFactor >= 0)) {
            throw new IllegalArgumentException("avgFactor must be finite and >= 0, got " + avgFactor);
        }
        if (keepDims < 0) {
            throw new IllegalArgumentException("keepDims must be >= 0, got " + keepDims);
        }
    }

    /** Sum over everything. */
    public static Reduction sum() {
        return new Reduction(Kind.SUM, 0, 0);
    }

    /** Mean over the loss elements. */
    public static Reduction mean() {
        return new Reduction(Kind.MEAN, 0, 0);
    }

    /** Sum divided by {@code avgFactor + FLT_EPSILON} (mmdet's {@code avg_factor}). */
    public static Reduction avgFactor(double avgFactor) {
        return new Reduction(Kind.AVG_FACTOR, avgFactor, 0);
    }

    /** The same reduction applied separately to each index of the first {@code dims} batch dimensions. */
    public Reduction keepLeading(int dims) {
        return new Reduction(kind, avgFactor, dims);
    }

    /** The divisor of a group that holds {@code elements} loss elements. */
    double divisor(long elements) {
        return switch (kind) {
            case SUM -> 1.0;
            case MEAN -> Math.max(1, elements);
            case AVG_FACTOR -> avgFactor + AVG_FACTOR_EPS;
        };
    }
}
