package dev.batchwise.assign;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import dev.batchwise.cpu.CpuPool;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.Device;
import java.util.ArrayList;
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

    /**
     * Costs and matching of several heads (e.g. the 3D and the 2D head of a detector) in one
     * {@link LinearAssignment} batch: on CUDA every head's cost kernel writes into its slice of one
     * padded buffer {@code (N, R, C)} ({@code N} = all heads' problems, {@code R} = the largest
     * {@code Q}, {@code C} = the largest {@code M}) with its own row and column counts, and a single
     * solve launch matches all problems concurrently. On the CPU one parallel pass computes and solves
     * every problem of every head, one problem per task (no cost tensor is materialised). Every problem's pairs are exactly those of {@link CostMatrices#weightedSum} followed by
     * {@link #match} for its head.
     *
     * <p>The pairs of every head have width {@code K = min(R, C)} (filler -1 beyond each problem's
     * count). On CUDA the returned assignments are views of one allocation: closing one frees them
     * all, so close them together (or with their scope).
     *
     * @param inputs one {@link CostInputs} per head, all on one device with one float dtype
     * @param terms the cost terms of each head
     * @param afterCosts run once all cost computations are issued, before the solve (e.g. to record
     *     a CUDA event); on the CPU, where each problem is solved right after its costs, once both
     *     are done; may be null
     * @return one assignment per head, with the head's prediction batch shape
     */
    public static List<MatchedAssignment> assignJointly(List<CostInputs> inputs, List<List<CostTerm>> terms,
                                                        Runnable afterCosts) {
        if (inputs == null || terms == null || inputs.size() != terms.size() || inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs and terms must be non-empty lists of equal length");
        }
        CostInputs.Layout[] lays = new CostInputs.Layout[inputs.size()];
        List<List<CostTerm>> ts = new ArrayList<>();
        long problems = 0;
        long r = 0;
        long c = 0;
        for (int h = 0; h < lays.length; h++) {
            if (inputs.get(h) == null || terms.get(h) == null) {
                throw new IllegalArgumentException("inputs and terms must not contain null");
            }
            ts.add(List.copyOf(terms.get(h)));
            lays[h] = inputs.get(h).validate(ts.get(h));
            if (lays[h].device() != lays[0].device() || lays[h].dtype() != lays[0].dtype()) {
                throw new IllegalArgumentException("all heads must be on one device with one dtype, got "
                        + lays[0].device() + "/" + lays[0].dtype() + " and " + lays[h].device() + "/" + lays[h].dtype());
            }
            problems += lays[h].problems();
            r = Math.max(r, lays[h].queries());
            c = Math.max(c, lays[h].maxGt());
        }
        long k = Math.min(r, c);
        if (lays[0].device().isCpu()) {
            return cpuJointly(inputs, ts, lays, k, afterCosts);
        }
        Device device = lays[0].device();
        Tensor joint = Tensor.empty(lays[0].dtype(), device, problems, r, c);
        Tensor rows = Tensor.empty(DType.INT64, device, problems);
        Tensor cols = Tensor.empty(DType.INT64, device, problems);
        List<DeviceErrorFlag> flags = new ArrayList<>();
        long offset = 0;
        for (int h = 0; h < lays.length; h++) {
            flags.add(CudaCostMatrices.weightedSumInto(inputs.get(h), ts.get(h), lays[h], joint, offset, rows, cols));
            offset += lays[h].problems();
        }
        if (afterCosts != null) {
            afterCosts.run();
        }
        AssignmentResult res = LinearAssignment.solve(joint, rows, cols, false);
        joint.close();
        rows.close();
        cols.close();
        for (DeviceErrorFlag f : flags) {
            f.attachTo("CostMatrices (sample = GT sample)", res.rowIndexTensor(), res.colIndexTensor(), res.sizes());
        }
        res.totalCost().close();
        res.rowPotentials().close();
        res.colPotentials().close();
        res.status().close();
        List<MatchedAssignment> out = new ArrayList<>();
        offset = 0;
        for (CostInputs.Layout lay : lays) {
            long p = lay.problems();
            long[] batch = lay.batchShape().length == 0 ? new long[] {1} : lay.batchShape();
            long[] pairShape = Arrays.copyOf(batch, batch.length + 1);
            pairShape[batch.length] = k;
            Tensor sizes = res.sizes().narrow(0, offset, p).reshape(batch);
            out.add(new MatchedAssignment(
                    RaggedBatch.of(res.rowIndexTensor().narrow(0, offset, p).reshape(pairShape), sizes),
                    RaggedBatch.of(res.colIndexTensor().narrow(0, offset, p).reshape(pairShape), sizes)));
            offset += p;
        }
        return out;
    }

    /**
     * The CPU joint assignment: one parallel pass over every problem of every head, each task
     * computing one problem's cost matrix straight into the thread's solver workspace and solving
     * it at once.
     *
     * <p>Why fused: the costs of W1 are 16 MB of float32 (48 x 644 x 80 for the 3D head, 48 x 1000 x 30
     * for the 2D head), larger than the caches; written by one pass and read back (transposed) by a
     * second, they made both passes wait on memory, and reading them back was half of the solve
     * time. One problem's working matrix (at most 412 KB of doubles here) is still in the core's
     * cache when it is solved. The values are the same bits as {@link CostMatrices#weightedSum}
     * (the same block code computes them, rounded to the costs' dtype), so the pairs are those of
     * {@link #match}. With both
     * heads in one pass the threads also finish together once. Since costs and solving are
     * interleaved, {@code afterCosts} runs once both are done.
     */
    private static List<MatchedAssignment> cpuJointly(List<CostInputs> inputs, List<List<CostTerm>> terms,
                                                      CostInputs.Layout[] lays, long k, Runnable afterCosts) {
        int heads = lays.length;
        CpuLinearAssignment.Computed[] solves = new CpuLinearAssignment.Computed[heads];
        long[][] colCounts = new long[heads][];
        int[] first = new int[heads + 1];
        for (int h = 0; h < heads; h++) {
            CpuCostMatrices.Source src = CpuCostMatrices.source(inputs.get(h), terms.get(h), lays[h]);
            colCounts[h] = src.columnCounts().toLongArray();
            src.columnCounts().close();
            solves[h] = new CpuLinearAssignment.Computed(lays[h].problems(), lays[h].queries(), lays[h].maxGt(),
                    lays[h].dtype() == DType.FLOAT32, colCounts[h], (int) k, src::problemIntoWorking);
            first[h + 1] = first[h] + lays[h].problems();
        }
        // The threads claim problems from the most work (queries x GT: costs and solve both grow
        // with it) to the least, so the last ones to finish are small: in index order a large problem
        // claimed last kept one core busy while the other idled (W1: 96 problems of 0 to 80 GT, 2 cores).
        long[] work = new long[first[heads]];
        for (int h = 0; h < heads; h++) {
            for (int p = 0; p < lays[h].problems(); p++) {
                work[first[h] + p] = (long) lays[h].queries() * colCounts[h][p];
            }
        }
        int[] order = heaviestFirst(work);
        CpuPool.parallelFor(order.length, 1, i -> {
            int g = order[i];
            int h = 0;
            while (g >= first[h + 1]) {
                h++;
            }
            solves[h].solve(g - first[h]);
        });
        if (afterCosts != null) {
            afterCosts.run();
        }
        throwFirstError(solves, lays, colCounts);
        List<MatchedAssignment> out = new ArrayList<>();
        for (int h = 0; h < heads; h++) {
            AssignmentResult res = solves[h].result;
            res.totalCost().close();
            res.rowPotentials().close();
            res.colPotentials().close();
            res.status().close();
            long[] batch = lays[h].batchShape().length == 0 ? new long[] {1} : lays[h].batchShape();
            long[] pairShape = Arrays.copyOf(batch, batch.length + 1);
            pairShape[batch.length] = k;
            Tensor sizes = res.sizes().reshape(batch);
            out.add(new MatchedAssignment(RaggedBatch.of(res.rowIndexTensor().reshape(pairShape), sizes),
                    RaggedBatch.of(res.colIndexTensor().reshape(pairShape), sizes)));
        }
        return out;
    }

    /**
     * The indices {@code 0 .. work.length - 1} from the most to the least {@code work}, ties in index
     * order (so the order is deterministic).
     */
    static int[] heaviestFirst(long[] work) {
        long[] key = new long[work.length];
        for (int i = 0; i < work.length; i++) {
            long w = Math.max(0, Math.min(work[i], Integer.MAX_VALUE));
            key[i] = (Integer.MAX_VALUE - w) << 32 | i; // work descending in the high bits, index ascending
        }
        Arrays.sort(key);
        int[] order = new int[work.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) key[i];
        }
        return order;
    }

    /**
     * As {@link #match} (through {@link LinearAssignment#solve}) does: the first head's first bad
     * problem (invalid costs, or infeasible) throws, after every head's results are freed.
     */
    private static void throwFirstError(CpuLinearAssignment.Computed[] solves, CostInputs.Layout[] lays,
                                        long[][] colCounts) {
        for (int h = 0; h < solves.length; h++) {
            long[] rows = new long[lays[h].problems()];
            Arrays.fill(rows, lays[h].queries());
            IllegalArgumentException e = LinearAssignment.firstError(solves[h].result, rows, colCounts[h]);
            if (e != null) {
                for (CpuLinearAssignment.Computed c : solves) {
                    c.result.close();
                }
                throw e;
            }
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
