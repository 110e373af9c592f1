package dev.batchwise.cli.bench.workloads;

import dev.batchwise.assign.LinearAssignment;
import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Workloads W2-a … W2-g of workloads.md: one batched {@link LinearAssignment} call (implementation
 * "batchwise") against SciPy's {@code linear_sum_assignment} looped over the problems in Python
 * ("scipy", same matrices, same machine; absent without python3 + SciPy).
 *
 * <p>W2-a should use the W1-3d cost matrices; until the W1 generator exists it uses 48 problems of
 * 644 rows and U[10, 80] columns (seed 2026) with uniform [0, 1) float32 costs.
 */
public final class AssignmentWorkloads implements Workload {
    /** How the entries of a workload's cost matrices are drawn. */
    enum Costs { UNIFORM, INTEGERS_0_9 }

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
        return new AssignmentWorkloads("W2-a", "LSA 48 x 644 x U[10,80] ragged, uniform f32 (stand-in for W1-3d costs)",
                48, 644, 10, 80, Costs.UNIFORM, 2026);
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

    /** The seeded batch: padded float32 costs {@code (problems, rows, maxCols)} and per-problem column counts. */
    record Batch(float[] costs, long[] rowCounts, long[] colCounts) {}

    Batch generate() {
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
        return new Batch(c, rowCounts, colCounts);
    }

    @Override
    public List<BenchCase> cases(Device device) throws Exception {
        Batch batch = generate();
        List<BenchCase> out = new ArrayList<>();
        Tensor costTensor = Tensor.of(batch.costs(), problems, rows, maxCols).to(device);
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
            out.add(ScipyAssignmentBaseline.create(batch.costs(), problems, rows, maxCols, batch.rowCounts(),
                    batch.colCounts()));
        }
        return out;
    }
}
