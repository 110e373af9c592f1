package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.assign.AssignmentResult;
import dev.batchwise.assign.LinearAssignment;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Npy;
import dev.batchwise.tensor.Npz;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code batchwise assign}: .npy batches in, the library's answers out as .npz, on every device. */
class AssignCommandTest {
    private final CliCapture cli = new CliCapture();

    private int run(String... args) {
        return cli.run(args);
    }

    static Stream<String> devices() {
        return Stream.of("cpu", "cuda");
    }

    private static void assumeDevice(String device) {
        Assumptions.assumeTrue(device.equals("cpu") || Device.cudaAvailable(),
                () -> "CUDA not available: " + Device.cudaUnavailableReason());
    }

    private static double[] random(SplittableRandom rnd, int n, boolean integers) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = integers ? rnd.nextInt(5) : rnd.nextDouble();
        }
        return v;
    }

    @ParameterizedTest
    @MethodSource("devices")
    void raggedBatchMatchesTheLibrary(String device, @TempDir Path dir) throws Exception {
        assumeDevice(device);
        SplittableRandom rnd = new SplittableRandom(5);
        int b = 6;
        int r = 12;
        int c = 8;
        for (boolean maximize : new boolean[] {false, true}) {
            try (Scope scope = Scope.open()) {
                Tensor costs = Tensor.of(random(rnd, b * r * c, maximize), b, r, c).to(DType.FLOAT32);
                Tensor rows = Tensor.of(new int[] {12, 3, 0, 7, 12, 5});
                Tensor cols = Tensor.of(new long[] {8, 8, 4, 2, 0, 6});
                Npy.write(dir.resolve("costs.npy"), costs);
                Npy.write(dir.resolve("rows.npy"), rows);
                Npy.write(dir.resolve("cols.npy"), cols);
                Path npz = dir.resolve("out.npz");
                List<String> args = new java.util.ArrayList<>(List.of(dir.resolve("costs.npy").toString(),
                        "--rows", dir.resolve("rows.npy").toString(), "--cols", dir.resolve("cols.npy").toString(),
                        "--device", device, "--out", npz.toString()));
                args.add(0, "assign");
                if (maximize) {
                    args.add("--maximize");
                }
                assertEquals(0, run(args.toArray(String[]::new)), cli.err());
                assertTrue(cli.out().contains("wrote " + npz), cli.out());

                Map<String, Tensor> got = Npz.read(npz);
                assertEquals(List.of("row_ind", "col_ind", "sizes", "cost", "status"), List.copyOf(got.keySet()));
                AssignmentResult want = LinearAssignment.solve(costs, rows, cols, maximize);
                assertEquals(DType.INT64, got.get("row_ind").dtype());
                assertArrayEquals(new long[] {b, 8}, got.get("row_ind").shape());
                assertArrayEquals(want.rowIndexTensor().toLongArray(), got.get("row_ind").toLongArray());
                assertArrayEquals(want.colIndexTensor().toLongArray(), got.get("col_ind").toLongArray());
                assertArrayEquals(new long[] {8, 3, 0, 2, 0, 5}, got.get("sizes").toLongArray());
                assertArrayEquals(want.totalCost().toDoubleArray(), got.get("cost").toDoubleArray());
                assertArrayEquals(new int[b], got.get("status").toIntArray());
                assertEquals(-1, got.get("row_ind").getLong(1, 3), "padding");
            }
        }
    }

    @Test
    void aSingleFloat64MatrixIsOneProblemAsScipySolvesIt(@TempDir Path dir) throws Exception {
        try (Scope scope = Scope.open()) {
            // SciPy's documentation example: row_ind [0 1 2], col_ind [1 0 2], total 5.
            Tensor costs = Tensor.of(new double[] {4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, 3);
            Npy.write(dir.resolve("c.npy"), costs);
            assertEquals(0, run("assign", dir.resolve("c.npy").toString(), "--device", "cpu", "-o",
                    dir.resolve("o.npz").toString()), cli.err());
            Map<String, Tensor> got = Npz.read(dir.resolve("o.npz"));
            assertArrayEquals(new long[] {1, 3}, got.get("row_ind").shape());
            assertArrayEquals(new long[] {0, 1, 2}, got.get("row_ind").toLongArray());
            assertArrayEquals(new long[] {1, 0, 2}, got.get("col_ind").toLongArray());
            assertArrayEquals(new double[] {5.0}, got.get("cost").toDoubleArray());

            Tensor ints = Tensor.of(new int[] {4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, 3);
            Npy.write(dir.resolve("i.npy"), ints);
            assertEquals(0, run("assign", dir.resolve("i.npy").toString(), "--device", "cpu", "--maximize", "-o",
                    dir.resolve("i.npz").toString()), cli.err());
            Map<String, Tensor> max = Npz.read(dir.resolve("i.npz"));
            assertArrayEquals(new long[] {0, 2, 1}, max.get("col_ind").toLongArray());
            assertArrayEquals(new double[] {11.0}, max.get("cost").toDoubleArray());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void anInfeasibleProblemFailsUnlessKeepGoing(String device, @TempDir Path dir) throws Exception {
        assumeDevice(device);
        try (Scope scope = Scope.open()) {
            double inf = Double.POSITIVE_INFINITY;
            Tensor costs = Tensor.of(new double[] {1, 2, 3, 4, inf, inf, inf, inf}, 2, 2, 2);
            Npy.write(dir.resolve("c.npy"), costs);
            Path npz = dir.resolve("o.npz");
            assertEquals(1, run("assign", dir.resolve("c.npy").toString(), "--device", device, "--out", npz.toString()));
            assertTrue(cli.err().contains("assignment problem 1 (2 x 2) is infeasible"), cli.err());
            assertFalse(Files.exists(npz));

            assertEquals(0, run("assign", dir.resolve("c.npy").toString(), "--device", device, "--keep-going",
                    "--out", npz.toString()), cli.err());
            Map<String, Tensor> got = Npz.read(npz);
            assertArrayEquals(new int[] {0, 1}, got.get("status").toIntArray());
            assertArrayEquals(new long[] {2, 0}, got.get("sizes").toLongArray());
            assertArrayEquals(new long[] {0, 1, -1, -1}, got.get("row_ind").toLongArray());
            assertTrue(Double.isNaN(got.get("cost").toDoubleArray()[1]));
            assertTrue(cli.out().contains("1 failed"), cli.out());
        }
    }

    @Test
    void badInputsAreUsageErrors(@TempDir Path dir) throws Exception {
        try (Scope scope = Scope.open()) {
            Npy.write(dir.resolve("c.npy"), Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 3, 4));
            Npy.write(dir.resolve("v.npy"), Tensor.zeros(DType.FLOAT32, Device.CPU, 5));
            Npy.write(dir.resolve("r.npy"), Tensor.of(new long[] {3, 4}));
            Npy.write(dir.resolve("f.npy"), Tensor.of(new double[] {1, 2}));
            String c = dir.resolve("c.npy").toString();
            String o = dir.resolve("o.npz").toString();
            assertEquals(2, run("assign", c, "--device", "cpu"));
            assertTrue(cli.err().contains("--out"), cli.err());
            assertEquals(2, run("assign", dir.resolve("v.npy").toString(), "--device", "cpu", "-o", o));
            assertTrue(cli.err().contains("must have shape (B, R, C) or (R, C), got (5,)"), cli.err());
            assertEquals(2, run("assign", c, "--rows", dir.resolve("r.npy").toString(), "--device", "cpu", "-o", o));
            assertTrue(cli.err().contains("count 4 of problem 1 is outside [0, 3]"), cli.err());
            assertEquals(2, run("assign", c, "--cols", dir.resolve("f.npy").toString(), "--device", "cpu", "-o", o));
            assertTrue(cli.err().contains("counts must be int32 or int64, got float64"), cli.err());
            assertEquals(2, run("assign", c, "--device", "tpu", "-o", o));
            assertFalse(Files.exists(dir.resolve("o.npz")));
        }
    }
}
