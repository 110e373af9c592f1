package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CUDA equals CPU, bit for bit (indices, sizes, statuses, totals and potentials), on thousands of
 * random ragged batches of mixed sizes, kinds, dtypes and directions, including bad problems.
 */
class LinearAssignmentCudaTest {

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void cudaEqualsCpuOnRandomBatches(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom rnd = new SplittableRandom(2718);
        for (int round = 0; round < 2000; round++) {
            int b = 1 + rnd.nextInt(12);
            int rMax = 1 + rnd.nextInt(round % 10 == 0 ? 200 : 40);
            int cMax = 1 + rnd.nextInt(round % 10 == 5 ? 200 : 40);
            boolean maximize = rnd.nextInt(4) == 0;
            boolean f32 = rnd.nextBoolean();
            double[] costs = RandomProblems.matrix(rnd, b * rMax, cMax, round);
            if (maximize) {
                for (int i = 0; i < costs.length; i++) {
                    costs[i] = costs[i] == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : costs[i];
                }
            }
            if (round % 7 == 3) {
                costs[rnd.nextInt(costs.length)] = Double.NaN; // may land in padding: then harmless
            }
            long[] rows = new long[b];
            long[] cols = new long[b];
            for (int p = 0; p < b; p++) {
                rows[p] = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(rMax);
                cols[p] = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(cMax);
            }
            try (Scope scope = Scope.open()) {
                Tensor cpuCosts = Tensor.of(costs, b, rMax, cMax).to(f32 ? DType.FLOAT32 : DType.FLOAT64);
                AssignmentResult want = LinearAssignment.solve(cpuCosts, Tensor.of(rows), Tensor.of(cols), maximize,
                        false);
                AssignmentResult got = LinearAssignment.solve(cpuCosts.to(device), Tensor.of(rows).to(device),
                        Tensor.of(cols).to(device), maximize, false);
                String what = "round " + round + " (B=" + b + ", " + rMax + "x" + cMax + ", max=" + maximize
                        + ", f32=" + f32 + ")";
                assertArrayEquals(want.status().toIntArray(), got.status().toIntArray(), what + ": status");
                assertArrayEquals(want.sizes().toLongArray(), got.sizes().toLongArray(), what + ": sizes");
                assertArrayEquals(want.rowIndexTensor().toLongArray(), got.rowIndexTensor().toLongArray(), what + ": rows");
                assertArrayEquals(want.colIndexTensor().toLongArray(), got.colIndexTensor().toLongArray(), what + ": cols");
                assertArrayEquals(want.totalCost().toDoubleArray(), got.totalCost().toDoubleArray(), what + ": totals");
                assertArrayEquals(want.rowPotentials().toDoubleArray(), got.rowPotentials().toDoubleArray(), what + ": u");
                assertArrayEquals(want.colPotentials().toDoubleArray(), got.colPotentials().toDoubleArray(), what + ": v");
            }
        }
    }

    /** Large problems exercise the global-memory work arrays (too big for shared memory). */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void cudaEqualsCpuOnLargeProblems(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom rnd = new SplittableRandom(31);
        int[][] shapes = {{3, 1000, 1000}, {2, 2500, 40}, {2, 30, 3000}, {1, 1800, 1800}};
        for (int[] s : shapes) {
            try (Scope scope = Scope.open()) {
                double[] costs = RandomProblems.matrix(rnd, s[0] * s[1], s[2], s[1] % 2);
                Tensor cpuCosts = Tensor.of(costs, s[0], s[1], s[2]);
                AssignmentResult want = LinearAssignment.solve(cpuCosts);
                AssignmentResult got = LinearAssignment.solve(cpuCosts.to(device));
                String what = s[0] + "x" + s[1] + "x" + s[2];
                assertArrayEquals(want.colIndexTensor().toLongArray(), got.colIndexTensor().toLongArray(), what);
                assertArrayEquals(want.rowIndexTensor().toLongArray(), got.rowIndexTensor().toLongArray(), what);
                assertArrayEquals(want.colPotentials().toDoubleArray(), got.colPotentials().toDoubleArray(), what);
            }
        }
    }
}
