package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Argument checks, bad problems (invalid, infeasible) and empty problems, on every backend. */
class LinearAssignmentErrorTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Four 3x4 problems; {@code bad} replaces problem 2 (or 1) as the tests need. */
    private static double[] fourProblems(long seed) {
        return RandomProblems.matrix(new SplittableRandom(seed), 4 * 3, 4, 0);
    }

    /** Reads everything of a result to the host (so that CUDA errors surface) and returns the statuses. */
    private static AssignmentStatus[] readAll(AssignmentResult r) {
        r.rowIndexTensor().toLongArray();
        r.colIndexTensor().toLongArray();
        r.totalCost().toDoubleArray();
        return r.statuses();
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void nanNamesTheProblemAndSparesTheOthers(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            double[] m = fourProblems(1);
            m[2 * 12 + 5] = Double.NaN;
            Tensor costs = Tensor.of(m, 4, 3, 4).to(device);
            ProblemErrors.assertProblemError(device, AssignmentStatus.INVALID_COST, 2,
                    () -> readAll(LinearAssignment.solve(costs)));

            AssignmentResult r = LinearAssignment.solve(costs, null, null, false, false);
            AssignmentStatus[] st = r.statuses();
            assertArrayEquals(new AssignmentStatus[] {AssignmentStatus.OK, AssignmentStatus.OK,
                    AssignmentStatus.INVALID_COST, AssignmentStatus.OK}, st);
            assertEquals(0, r.sizes().toLongArray()[2]);
            assertTrue(Double.isNaN(r.totalCost().toDoubleArray()[2]));
            for (int p : new int[] {0, 1, 3}) {
                Tensor alone = costs.to(Device.CPU).slice(0, p, 1).to(device);
                AssignmentResult single = LinearAssignment.solve(alone);
                assertArrayEquals(single.pairs(0)[0], r.pairs(p)[0]);
                assertArrayEquals(single.pairs(0)[1], r.pairs(p)[1]);
                assertEquals(single.totalCost().toDoubleArray()[0], r.totalCost().toDoubleArray()[p], 0.0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void infeasibleNamesTheProblem(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            double[] m = fourProblems(2);
            for (int j = 0; j < 4; j++) {
                m[12 + 4 + j] = INF; // row 1 of problem 1 fully forbidden
            }
            Tensor costs = Tensor.of(m, 4, 3, 4).to(device);
            ProblemErrors.assertProblemError(device, AssignmentStatus.INFEASIBLE, 1,
                    () -> readAll(LinearAssignment.solve(costs)));
            InfeasibleAssignmentException e = assertThrows(InfeasibleAssignmentException.class,
                    () -> LinearAssignment.solve(costs).colIndices().data().toLongArray());
            assertEquals(new InfeasibleAssignmentException(1, 3, 4).getMessage(), e.getMessage());
            assertEquals(1, e.problem());
            AssignmentStatus[] st = LinearAssignment.solve(costs, null, null, false, false).statuses();
            assertArrayEquals(new AssignmentStatus[] {AssignmentStatus.OK, AssignmentStatus.INFEASIBLE,
                    AssignmentStatus.OK, AssignmentStatus.OK}, st);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void theLowestBadProblemIsReported(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            double[] m = fourProblems(3);
            m[3 * 12] = Double.NEGATIVE_INFINITY; // problem 3 invalid
            for (int j = 0; j < 4; j++) {
                m[2 * 12 + j] = INF; // problem 2 infeasible
            }
            Tensor costs = Tensor.of(m, 4, 3, 4).to(device);
            ProblemErrors.assertProblemError(device, AssignmentStatus.INFEASIBLE, 2,
                    () -> readAll(LinearAssignment.solve(costs)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void maximizeForbidsMinusInfinityAndRejectsPlusInfinity(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            Tensor ok = Tensor.of(new double[] {Double.NEGATIVE_INFINITY, 1, 5, 2}, 2, 2).to(device);
            AssignmentResult r = LinearAssignment.solve(ok, true);
            assertArrayEquals(new long[] {1, 0}, r.pairs(0)[1]);
            assertEquals(6.0, r.totalCost().toDoubleArray()[0]);
            Tensor bad = Tensor.of(new double[] {INF, 1, 5, 2}, 2, 2).to(device);
            assertThrows(IllegalArgumentException.class, () -> readAll(LinearAssignment.solve(bad, true)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void emptyProblemsGiveEmptyResults(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            double[] m = fourProblems(4);
            Tensor costs = Tensor.of(m, 4, 3, 4).to(device);
            Tensor rows = Tensor.of(new long[] {0, 3, 2, 3}).to(device);
            Tensor cols = Tensor.of(new int[] {4, 0, 4, 1}).to(device);
            AssignmentResult r = LinearAssignment.solve(costs, rows, cols, false);
            assertArrayEquals(new long[] {0, 0, 2, 1}, r.sizes().toLongArray());
            double[] totals = r.totalCost().toDoubleArray();
            assertEquals(0.0, totals[0]);
            assertEquals(0.0, totals[1]);
            assertArrayEquals(new long[] {-1, -1, -1}, r.rowIndexTensor().to(Device.CPU).select(0, 0).toLongArray());

            Tensor none = Tensor.zeros(DType.FLOAT32, device, 5, 0, 7);
            AssignmentResult e = LinearAssignment.solve(none);
            assertArrayEquals(new long[] {5, 0}, e.rowIndexTensor().shape());
            assertArrayEquals(new long[] {0, 0, 0, 0, 0}, e.sizes().toLongArray());
            AssignmentResult noProblems = LinearAssignment.solve(Tensor.zeros(DType.FLOAT64, device, 0, 3, 3));
            assertEquals(0, noProblems.batchSize());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void constantMatricesGiveTheIdentity(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            Tensor c = Tensor.full(3.0, DType.FLOAT32, device, 2, 6, 6);
            AssignmentResult r = LinearAssignment.solve(c);
            for (int p = 0; p < 2; p++) {
                assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, r.pairs(p)[0]);
                assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, r.pairs(p)[1]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void inputIsNotModified(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            double[] m = fourProblems(5);
            Tensor costs = Tensor.of(m, 4, 3, 4).to(device);
            LinearAssignment.solve(costs, true).sizes().toLongArray();
            assertArrayEquals(m, costs.toDoubleArray());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void badArgumentsAreRejectedBeforeAnyWork(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            Tensor costs = Tensor.of(fourProblems(6), 4, 3, 4).to(device);
            assertMessage("costs must not be null", () -> LinearAssignment.solve((Tensor) null));
            assertMessage("costs must have shape (B, R, C) or (R, C), got (48,)",
                    () -> LinearAssignment.solve(costs.reshape(48)));
            assertMessage("costs must have dtype [float32, float64], got int32",
                    () -> LinearAssignment.solve(Tensor.zeros(DType.INT32, device, 2, 2)));
            assertMessage("rowCounts must have shape (B,) = (4,), got (3,)",
                    () -> LinearAssignment.solve(costs, Tensor.of(new long[] {1, 2, 3}).to(device), null, false));
            assertMessage("colCounts must have dtype [int32, int64], got float64",
                    () -> LinearAssignment.solve(costs, null, Tensor.of(new double[] {1, 2, 3, 4}).to(device), false));
            if (device.isCpu()) {
                assertMessage("rowCounts[2] = 4 is outside [0, 3]",
                        () -> LinearAssignment.solve(costs, Tensor.of(new long[] {1, 2, 4, 3}), null, false));
                assertMessage("colCounts[0] = -1 is outside [0, 4]",
                        () -> LinearAssignment.solve(costs, null, Tensor.of(new int[] {-1, 2, 4, 3}), false));
            } else {
                // Counts live on the GPU: checked by the kernel, reported when results are read.
                Tensor rows = Tensor.of(new long[] {1, 2, 4, 3}).to(device);
                assertThrows(IndexOutOfBoundsException.class,
                        () -> LinearAssignment.solve(costs, rows, null, false).sizes().toLongArray());
            }
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
