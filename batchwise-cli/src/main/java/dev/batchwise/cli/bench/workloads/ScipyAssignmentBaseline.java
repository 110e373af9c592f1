package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The SciPy baseline of W2: {@code scipy.optimize.linear_sum_assignment} called once per problem
 * in a Python loop, timed by a Python subprocess on the same matrices (written to temporary .npy
 * files). Absent when python3 with SciPy cannot be run.
 */
final class ScipyAssignmentBaseline implements BenchCase {
    static final int WARMUP = 3;
    static final int RUNS = 20;
    private static final String SCRIPT = "scipy_lsa_timing.py";

    private final Path dir;

    private ScipyAssignmentBaseline(Path dir) {
        this.dir = dir;
    }

    /** True when {@code python3 -c "import scipy"} succeeds (probed once). */
    static boolean available() {
        return PythonTiming.canRun("import scipy.optimize, numpy");
    }

    /** Writes the batch for the subprocess. {@code costs} is {@code (b, r, c)} row-major float32. */
    static ScipyAssignmentBaseline create(float[] costs, int b, int r, int c, long[] rows, long[] cols)
            throws IOException {
        Path dir = PythonTiming.folderWithScript("batchwise-w2-", SCRIPT);
        PythonTiming.save(dir, "costs.npy", Tensor.of(costs, b, r, c));
        PythonTiming.save(dir, "rows.npy", Tensor.of(rows, b));
        PythonTiming.save(dir, "cols.npy", Tensor.of(cols, b));
        return new ScipyAssignmentBaseline(dir);
    }

    @Override
    public String implementation() {
        return "scipy";
    }

    /** One loop over the batch (in a fresh interpreter, so mostly start-up; the timing is external). */
    @Override
    public void run() throws Exception {
        python(0, 1);
    }

    @Override
    public double[] externalTimesMs() throws Exception {
        return python(WARMUP, RUNS).stream().mapToDouble(Double::doubleValue).toArray();
    }

    private List<Double> python(int warmup, int runs) throws IOException, InterruptedException {
        return PythonTiming.run("SciPy baseline", dir, SCRIPT, List.of(dir.resolve("costs.npy").toString(),
                dir.resolve("rows.npy").toString(), dir.resolve("cols.npy").toString(),
                Integer.toString(warmup), Integer.toString(runs)), runs);
    }

    @Override
    public void close() throws IOException {
        PythonTiming.delete(dir);
    }
}
