package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Identical answers to SciPy's linear_sum_assignment on the golden fixtures, on every backend. */
class LinearAssignmentFixtureTest {

    static Tensor costTensor(LsaFixtures.Case c, Device device) {
        Tensor t;
        if (c.float32()) {
            float[] f = new float[c.costs().length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) c.costs()[i];
            }
            t = Tensor.of(f, c.rows(), c.cols());
        } else {
            t = Tensor.of(c.costs(), c.rows(), c.cols());
        }
        return t.to(device);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void everyFixtureSolvedAloneMatchesScipy(Device device) {
        Backends.assumeUsable(device);
        List<LsaFixtures.Case> cases = LsaFixtures.all();
        assertTrue(cases.size() > 600, "fixture count");
        for (LsaFixtures.Case c : cases) {
            try (Scope scope = Scope.open()) {
                AssignmentResult r = LinearAssignment.solve(costTensor(c, device), null, null, c.maximize(), false);
                assertEquals(c.status(), r.statuses()[0], c::toString);
                long[][] pairs = r.pairs(0);
                assertArrayEquals(c.rowInd(), pairs[0], () -> "row_ind of " + c);
                assertArrayEquals(c.colInd(), pairs[1], () -> "col_ind of " + c);
                double total = r.totalCost().toDoubleArray()[0];
                if (c.status() == AssignmentStatus.OK) {
                    assertEquals(c.total(), total, 0.0, () -> "total of " + c);
                } else {
                    assertTrue(Double.isNaN(total), () -> "total of failed " + c);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void everyFixtureThrowsAsScipyDoes(Device device) {
        Backends.assumeUsable(device);
        for (LsaFixtures.Case c : LsaFixtures.all()) {
            if (c.status() == AssignmentStatus.OK) {
                continue;
            }
            try (Scope scope = Scope.open()) {
                Tensor costs = costTensor(c, device);
                // On CUDA the error surfaces when the result is read.
                ProblemErrors.assertProblemError(device, c.status(), 0,
                        () -> LinearAssignment.solve(costs, c.maximize()).sizes().toLongArray());
            }
        }
    }

    /** All fixtures of one dtype and direction as one ragged batch, padded with NaN that must never be read. */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void fixturesAsRaggedBatchesMatchScipy(Device device) {
        Backends.assumeUsable(device);
        for (boolean f32 : new boolean[] {false, true}) {
            for (boolean max : new boolean[] {false, true}) {
                List<LsaFixtures.Case> group = new ArrayList<>();
                for (LsaFixtures.Case c : LsaFixtures.all()) {
                    if (c.float32() == f32 && c.maximize() == max) {
                        group.add(c);
                    }
                }
                try (Scope scope = Scope.open()) {
                    checkBatch(group, f32, max, device);
                }
            }
        }
    }

    private static void checkBatch(List<LsaFixtures.Case> group, boolean f32, boolean max, Device device) {
        int b = group.size();
        int rMax = group.stream().mapToInt(LsaFixtures.Case::rows).max().orElse(0);
        int cMax = group.stream().mapToInt(LsaFixtures.Case::cols).max().orElse(0);
        double[] padded = new double[b * rMax * cMax];
        Arrays.fill(padded, Double.NaN);
        long[] rows = new long[b];
        int[] cols = new int[b];
        for (int p = 0; p < b; p++) {
            LsaFixtures.Case c = group.get(p);
            rows[p] = c.rows();
            cols[p] = c.cols();
            for (int i = 0; i < c.rows(); i++) {
                System.arraycopy(c.costs(), i * c.cols(), padded, (p * rMax + i) * cMax, c.cols());
            }
        }
        Tensor costs = Tensor.of(padded, b, rMax, cMax).to(f32 ? DType.FLOAT32 : DType.FLOAT64).to(device);
        AssignmentResult r = LinearAssignment.solve(costs, Tensor.of(rows).to(device), Tensor.of(cols).to(device),
                max, false);
        AssignmentStatus[] statuses = r.statuses();
        long[] sizes = r.sizes().toLongArray();
        long[] rowInd = r.rowIndexTensor().toLongArray();
        long[] colInd = r.colIndexTensor().toLongArray();
        double[] totals = r.totalCost().toDoubleArray();
        int k = Math.min(rMax, cMax);
        assertArrayEquals(new long[] {b, k}, r.rowIndexTensor().shape());
        for (int p = 0; p < b; p++) {
            LsaFixtures.Case c = group.get(p);
            String what = c + " in batch (f32=" + f32 + ", max=" + max + ")";
            assertEquals(c.status(), statuses[p], what);
            assertEquals(c.rowInd().length, sizes[p], what);
            long[] gotRows = Arrays.copyOfRange(rowInd, p * k, (p + 1) * k);
            long[] gotCols = Arrays.copyOfRange(colInd, p * k, (p + 1) * k);
            long[] wantRows = Arrays.copyOf(c.rowInd(), k);
            long[] wantCols = Arrays.copyOf(c.colInd(), k);
            Arrays.fill(wantRows, c.rowInd().length, k, -1);
            Arrays.fill(wantCols, c.colInd().length, k, -1);
            assertArrayEquals(wantRows, gotRows, what);
            assertArrayEquals(wantCols, gotCols, what);
            if (c.status() == AssignmentStatus.OK) {
                assertEquals(c.total(), totals[p], 0.0, what);
            }
        }
    }
}
