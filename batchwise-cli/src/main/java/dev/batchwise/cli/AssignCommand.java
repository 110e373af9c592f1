package dev.batchwise.cli;

import dev.batchwise.assign.AssignmentResult;
import dev.batchwise.assign.AssignmentStatus;
import dev.batchwise.assign.LinearAssignment;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Npy;
import dev.batchwise.tensor.Npz;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code batchwise assign COSTS.npy [--rows R.npy] [--cols C.npy] [--maximize] [--device D] --out
 * OUT.npz}: solves a batch of linear sum assignment problems stored as NumPy arrays with
 * {@link LinearAssignment} — SciPy's {@code linear_sum_assignment} answers, problem by problem.
 *
 * <p>Input: costs {@code (B, R, C)} or {@code (R, C)} (one problem), float32 or float64 (integer
 * arrays are converted to float64, as SciPy does); optional per-problem row and column counts
 * {@code (B)} int32 or int64 (problem {@code b} is {@code costs[b, :rows[b], :cols[b]]}).
 *
 * <p>Output ({@code np.savez} layout, always with the batch axis, {@code B = 1} for a 2-D input):
 * {@code row_ind} and {@code col_ind} int64 {@code (B, min(R, C))} padded with -1, {@code sizes}
 * int64 {@code (B)} (the number of pairs of each problem), {@code cost} float64 {@code (B)} (each
 * problem's total), and {@code status} int32 {@code (B)} (0 solved, 1 infeasible, 2 invalid
 * costs). A bad problem is an error (exit 1, nothing written, the problem named on stderr) unless
 * {@code --keep-going} is given; then its status is recorded, its pairs are empty and its cost NaN.
 */
@Command(name = "assign", mixinStandardHelpOptions = true,
        description = {"Solves a batch of linear sum assignment problems stored as .npy arrays (SciPy's answers).",
            "Writes row_ind, col_ind (padded with -1), sizes, cost and status to an .npz archive."})
public final class AssignCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "COSTS.npy", description = "Costs (B, R, C) or (R, C), float32 or float64.")
    private Path costsPath;

    @Option(names = "--rows", paramLabel = "R.npy", description = "Row count per problem (B), int32 or int64 (default: R).")
    private Path rowsPath;

    @Option(names = "--cols", paramLabel = "C.npy", description = "Column count per problem (B), int32 or int64 (default: C).")
    private Path colsPath;

    @Option(names = "--maximize", description = "Maximise the total instead of minimising it.")
    private boolean maximize;

    @Option(names = "--device", description = "cpu, cuda or cuda:N (default: the best available).")
    private String device;

    @Option(names = "--keep-going", description = "Record bad problems in 'status' instead of failing.")
    private boolean keepGoing;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.npz", description = "Output archive.")
    private Path out;

    /** Solves and writes the archive; exit 1 for a bad problem, 2 for bad arguments or input files. */
    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Device d = parseDevice();
        try (Scope scope = Scope.open()) {
            Tensor costs = readCosts();
            long b = costs.rank() == 3 ? costs.shape(0) : 1;
            Tensor batch = costs.rank() == 3 ? costs : costs.reshape(1, costs.shape(0), costs.shape(1));
            Tensor rows = readCounts(rowsPath, "--rows", b, batch.shape(1));
            Tensor cols = readCounts(colsPath, "--cols", b, batch.shape(2));
            AssignmentResult r;
            try {
                r = LinearAssignment.solve(batch.to(d), rows == null ? null : rows.to(d),
                        cols == null ? null : cols.to(d), maximize, false);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("row_ind", r.rowIndexTensor().to(Device.CPU));
            arrays.put("col_ind", r.colIndexTensor().to(Device.CPU));
            arrays.put("sizes", r.sizes().to(Device.CPU));
            arrays.put("cost", r.totalCost().to(Device.CPU));
            arrays.put("status", r.status().to(Device.CPU));
            int[] status = arrays.get("status").toIntArray();
            int failed = 0;
            for (int p = 0; p < status.length; p++) {
                if (status[p] != AssignmentStatus.OK.code()) {
                    failed++;
                    if (!keepGoing) {
                        long[] rc = problemSize(rows, cols, batch, p);
                        stderr.println("error: " + problemMessage(AssignmentStatus.ofCode(status[p]), p, rc[0], rc[1])
                                + " (use --keep-going to write the other problems' results)");
                        stderr.flush();
                        return 1;
                    }
                }
            }
            Npz.write(out, arrays);
            stdout.printf("wrote %s: %d problem%s of %s (%s), solved on %s%s%n", out, b, b == 1 ? "" : "s",
                    Shapes.format(costs.shape()), maximize ? "maximised" : "minimised", d,
                    failed == 0 ? "" : ", " + failed + " failed (see status)");
            stdout.flush();
            return 0;
        }
    }

    private Device parseDevice() {
        Device d;
        try {
            d = device == null ? Device.best() : Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
        }
        if (d.isCuda() && !dev.batchwise.cuda.Cuda.isAvailable()) {
            throw new ParameterException(spec.commandLine(), "--device " + device + ": CUDA is not available: "
                    + dev.batchwise.cuda.Cuda.unavailableReason());
        }
        return d;
    }

    private Tensor readCosts() throws IOException {
        Tensor t = Npy.read(costsPath);
        if (t.rank() != 2 && t.rank() != 3) {
            throw new ParameterException(spec.commandLine(), costsPath + ": costs must have shape (B, R, C) or (R, C), got "
                    + Shapes.format(t.shape()));
        }
        return switch (t.dtype()) {
            case FLOAT32, FLOAT64 -> t;
            case INT32, INT64, UINT8, BOOL -> t.to(DType.FLOAT64);
        };
    }

    /** The counts file, checked on the host so that a bad count is named before any work. */
    private Tensor readCounts(Path path, String option, long b, long extent) throws IOException {
        if (path == null) {
            return null;
        }
        Tensor t = Npy.read(path);
        if (t.dtype() != DType.INT32 && t.dtype() != DType.INT64) {
            throw new ParameterException(spec.commandLine(), option + " " + path + ": counts must be int32 or int64, got "
                    + t.dtype());
        }
        if (t.rank() != 1 || t.shape(0) != b) {
            throw new ParameterException(spec.commandLine(), option + " " + path + ": counts must have shape ("
                    + b + ",), got " + Shapes.format(t.shape()));
        }
        long[] v = t.toLongArray();
        for (int p = 0; p < v.length; p++) {
            if (v[p] < 0 || v[p] > extent) {
                throw new ParameterException(spec.commandLine(), option + " " + path + ": count " + v[p]
                        + " of problem " + p + " is outside [0, " + extent + "]");
            }
        }
        return t;
    }

    private static long[] problemSize(Tensor rows, Tensor cols, Tensor batch, int p) {
        long r = rows == null ? batch.shape(1) : rows.toLongArray()[p];
        long c = cols == null ? batch.shape(2) : cols.toLongArray()[p];
        return new long[] {r, c};
    }

    private static String problemMessage(AssignmentStatus s, int p, long rows, long cols) {
        return switch (s) {
            case INFEASIBLE -> "assignment problem " + p + " (" + rows + " x " + cols
                    + ") is infeasible: every complete assignment uses a forbidden (infinite) cost";
            case INVALID_COST -> "assignment problem " + p + " (" + rows + " x " + cols
                    + ") has invalid costs: NaN or an infinity of the wrong sign";
            case OK -> throw new IllegalStateException("problem " + p + " was solved");
        };
    }
}
