package dev.batchwise.cli.bench.workloads;

import dev.batchwise.assign.CostInputs;
import dev.batchwise.assign.CostMatrices;
import dev.batchwise.assign.HungarianAssigner3D;
import dev.batchwise.assign.LinearAssignment;
import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.detr.W1Batch;
import dev.batchwise.detr.W1Config;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Workloads W2-a … W2-g of workloads.md: one batched {@link LinearAssignment} call (implementation
 * "batchwise") against SciPy's {@code linear_sum_assignment} looped over the problems in Python
 * ("scipy", same matrices, same machine; absent without python3 + SciPy).
 *
 * <p>W2-a solves the W1-3d cost matrices: the seeded W1 batch ({@link W1Batch#generate} of
 * {@link W1Config#streamPetr()}), its 3D head's costs from {@link CostMatrices#weightedSum} with
 * StreamPETR's terms ({@link HungarianAssigner3D#streamPetr()}), 6 layers x 8 samples = 48 problems
 * of 644 queries x the sample's GT count (10..80), generated once per bench run.
 */
public final class AssignmentWorkloads implements Workload {
    /** How the entries of a workload's cost matrices are drawn. */
    enum Costs { UNIFORM, INTEGERS_0_9, W1_3D }

    private final String id;
    private final String description;
    private final int problems;
    private final int rows;
    private final int maxCols;
    private final int minCols;
    private final Costs costs;
    private final long seed;

    private AssignmentWorkloads(String id, String description, int problems, int rows, int minCols, int maxCols,
                                Costs costs, long seed) {
        this.id = id;
        this.description = description;
        this.problems = problems;
        this.rows = rows;
        this.minCols = minCols;
        this.maxCols = maxCols;
        this.costs = costs;
        this.seed = seed;
    }

    /** W2-a: the W1-3d assignment shapes (48 ragged problems, 644 queries x 10..80 objects). */
    public static Workload w2a() {
        return new AssignmentWorkloads("W2-a", "LSA 48 x 644 x U[10,80] ragged, W1-3d cost matrices (f32)",
                48, 644, 10, 80, Costs.W1_3D, 2026);
    }

    /** W2-b: 48 x 900 x 50 uniform float32 (DINO-style queries vs objects). */
    public static Workload w2b() {
        return new AssignmentWorkloads("W2-b", "LSA 48 x 900 x 50, uniform f32", 48, 900, 50, 50, Costs.UNIFORM, 7);
    }

    /** W2-c: 208 x 300 x 100 uniform float32 (torch-linear-assignment's benchmark, transposed case). */
    public static Workload w2c() {
        return new AssignmentWorkloads("W2-c", "LSA 208 x 300 x 100, uniform f32", 208, 300, 100, 100, Costs.UNIFORM, 8);
    }

    /** W2-d: 208 x 300 x 300 uniform float32 (square). */
    public static Workload w2d() {
        return new AssignmentWorkloads("W2-d", "LSA 208 x 300 x 300, uniform f32", 208, 300, 300, 300, Costs.UNIFORM, 9);
    }

    /** W2-e: 208 x 300 x 600 uniform float32 (wide). */
    public static Workload w2e() {
        return new AssignmentWorkloads("W2-e", "LSA 208 x 300 x 600, uniform f32", 208, 300, 600, 600, Costs.UNIFORM, 10);
    }

    /** W2-f: one 1000 x 1000 uniform float32 problem. */
    public static Workload w2f() {
        return new AssignmentWorkloads("W2-f", "LSA 1 x 1000 x 1000, uniform f32", 1, 1000, 1000, 1000, Costs.UNIFORM, 11);
    }

    /** W2-g: 1024 tiny 10 x 10 problems with integer costs 0..9 (many ties). */
    public static Workload w2g() {
        return new AssignmentWorkloads("W2-g", "LSA 1024 x 10 x 10, integers 0..9 (ties)", 1024, 10, 10, 10,
                Costs.INTEGERS_0_9, 12);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * The seeded batch: padded float32 costs {@code (problems, rows, cols)} and per-problem row and
     * column counts.
     */
    record Batch(float[] costs, int problems, int rows, int cols, long[] rowCounts, long[] colCounts) {}

    Batch generate() {
        if (costs == Costs.W1_3D) {
            return w1Costs(seed);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] rowCounts = new long[problems];
        long[] colCounts = new long[problems];
        for (int p = 0; p < problems; p++) {
            rowCounts[p] = rows;
            colCounts[p] = minCols == maxCols ? maxCols : rnd.nextInt(minCols, maxCols + 1);
        }
        float[] c = new float[problems * rows * maxCols];
        for (int p = 0; p < problems; p++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < colCounts[p]; j++) {
                    c[(p * rows + i) * maxCols + j] = costs == Costs.UNIFORM ? (float) rnd.nextDouble() : rnd.nextInt(10);
                }
            }
        }
        return new Batch(c, problems, rows, maxCols, rowCounts, colCounts);
    }

    /**
     * The W1-3d matching costs {@code (layers * batch, queries, M3)} of the W1 batch with 3D seed
     * {@code seed3d}, with every problem's column count the GT count of its sample.
     */
    static Batch w1Costs(long seed3d) {
        W1Config cfg = W1Config.streamPetr().withSeed(seed3d);
        try (Scope scope = Scope.open(); W1Batch b = W1Batch.generate(cfg)) {
            CostInputs in = CostInputs.builder().logits(b.logits3d()).predBoxes(b.boxes3d())
                    .gtLabels(b.gtLabels3d()).gtBoxes(b.gtBoxes3d()).gtCounts(b.gtCounts3d()).build();
            Tensor cost = CostMatrices.weightedSum(in, HungarianAssigner3D.streamPetr().terms());
            int problems = cfg.layers() * cfg.batch();
            int cols = (int) cost.shape(cost.rank() - 1);
            long[] gt = b.gtCounts3dHost();
            long[] rowCounts = new long[problems];
            long[] colCounts = new long[problems];
            for (int p = 0; p < problems; p++) {
                rowCounts[p] = cfg.queries();
                colCounts[p] = gt[p % cfg.batch()];
            }
            return new Batch(cost.toFloatArray(), problems, cfg.queries(), cols, rowCounts, colCounts);
        }
    }

    @Override
    public List<BenchCase> cases(Device device) throws Exception {
        Batch batch = generate();
        List<BenchCase> out = new ArrayList<>();
        Tensor costTensor = Tensor.of(batch.costs(), batch.problems(), batch.rows(), batch.cols()).to(device);
        Tensor rowTensor = Tensor.of(batch.rowCounts()).to(device);
        Tensor colTensor = Tensor.of(batch.colCounts()).to(device);
        out.add(BenchCase.of("batchwise", () -> {
            // On the CPU the results are complete on return; on CUDA the solve is enqueued and the
            // harness synchronises the stream (freeing the result is stream-ordered).
            LinearAssignment.solve(costTensor, rowTensor, colTensor, false, false).close();
        }, () -> {
            costTensor.close();
            rowTensor.close();
            colTensor.close();
        }));
        if (ScipyAssignmentBaseline.available()) { // a CPU loop, the baseline for either device
            out.add(ScipyAssignmentBaseline.create(batch.costs(), batch.problems(), batch.rows(), batch.cols(),
                    batch.rowCounts(), batch.colCounts()));
        }
        return out;
    }
}
