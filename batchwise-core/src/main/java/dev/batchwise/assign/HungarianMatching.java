package dev.batchwise.assign;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost one-to-one matching of a batch of padded DETR cost matrices in one
 * {@link LinearAssignment} call on the device of the costs, without host synchronisation. The
 * pairs come back as {@link RaggedBatch}es ({@link MatchedAssignment}).
 */
public final class HungarianMatching {
    private HungarianMatching() {}

    /**
     * Matches every problem of {@code costs (P..., Q, M)}: problem {@code p...} uses its first
     * {@code gtCounts[s...]} columns ({@code s...} the trailing GT batch index of {@code p...}) and all
     * {@code Q} rows, exactly as {@code scipy.optimize.linear_sum_assignment(cost[p, :, :n])}.
     *
     * @param costs {@code (P..., Q, M)} float32|float64, e.g. from {@link CostMatrices#weightedSum}
     * @param gtCounts {@code (S...)} int32|int64, {@code S...} a suffix of {@code P...} (with
     *     {@code S... = P...}, e.g. {@link CostMatrices.ProblemCosts#columnCounts()}, no copy is made)
     * @return the pairs, batch shape {@code P...} ({@code (1)} for a single {@code (Q, M)} matrix)
     */
    public static MatchedAssignment match(Tensor costs, Tensor gtCounts) {
        TensorChecks.requireDType(costs, "costs", DType.FLOAT32, DType.FLOAT64);
        TensorChecks.requireDType(gtCounts, "gtCounts", DType.INT32, DType.INT64);
        TensorChecks.requireSameDevice("costs", costs, "gtCounts", gtCounts);
        long[] s = costs.shape();
        long[] gtBatch = gtCounts.shape();
        if (s.length < 2 + gtBatch.length || !Arrays.equals(gtBatch,
                Arrays.copyOfRange(s, s.length - 2 - gtBatch.length, s.length - 2))) {
            throw new IllegalArgumentException("costs must have shape (P..., Q, M) with the gtCounts batch shape "
                    + Shapes.format(gtBatch) + " as suffix of P..., got " + Shapes.format(s));
        }
        long[] batch = Arrays.copyOf(s, s.length - 2);
        if (batch.length == 0) {
            batch = new long[] {1};
        }
        long problems = Shapes.numel(batch);
        long q = s[s.length - 2];
        long m = s[s.length - 1];
        Tensor cols = Arrays.equals(gtBatch, batch) ? gtCounts.reshape(problems) : tiledCounts(gtCounts, problems);
        long[] pairShape = Arrays.copyOf(batch, batch.length + 1);
        pairShape[batch.length] = Math.min(q, m);
        AssignmentResult res = LinearAssignment.solve(costs.reshape(problems, q, m), null, cols, false);
        if (cols != gtCounts && !cols.sharesMemoryWith(gtCounts)) {
            cols.close();
        }
        res.totalCost().close();
        res.rowPotentials().close();
        res.colPotentials().close();
        res.status().close();
        Tensor sizes = res.sizes().reshape(batch);
        return new MatchedAssignment(RaggedBatch.of(res.rowIndexTensor().reshape(pairShape), sizes),
                RaggedBatch.of(res.colIndexTensor().reshape(pairShape), sizes));
    }

    /** Costs (with their column counts from the same pass) then matching, as the assigners do. */
    static MatchedAssignment assign(CostInputs inputs, List<CostTerm> terms) {
        try (CostMatrices.ProblemCosts pc = CostMatrices.forMatching(inputs, terms)) {
            return match(pc.costs(), pc.columnCounts());
        }
    }

    /** The GT counts {@code (S...)} repeated for every leading prediction index: int64 {@code (P)}. */
    private static Tensor tiledCounts(Tensor gtCounts, long problems) {
        long samples = Shapes.numel(gtCounts.shape());
        Tensor flat = gtCounts.reshape(samples).to(DType.INT64);
        Tensor out = Tensor.empty(DType.INT64, gtCounts.device(), problems);
        for (long a = 0; a < problems / Math.max(samples, 1); a++) {
            out.narrow(0, a * samples, samples).copyFrom(flat);
        }
        if (flat.dtype() != gtCounts.dtype()) {
            flat.close();
        }
        return out;
    }
}
