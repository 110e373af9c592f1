package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ragged-batch input ({@link RaggedBatch} costs) and output ({@code rowIndices}/{@code colIndices}), on every backend. */
class LinearAssignmentRaggedTest {

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void raggedOutputsHoldTheProblemsPairs(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom rnd = new SplittableRandom(77);
        int b = 7;
        int rMax = 9;
        int cMax = 6;
        long[] rows = new long[b];
        long[] cols = new long[b];
        for (int p = 0; p < b; p++) {
            rows[p] = rnd.nextInt(rMax + 1);
            cols[p] = rnd.nextInt(cMax + 1);
        }
        try (Scope scope = Scope.open()) {
            Tensor costs = Tensor.of(RandomProblems.matrix(rnd, b * rMax, cMax, 0), b, rMax, cMax).to(device);
            AssignmentResult r = LinearAssignment.solve(costs, Tensor.of(rows).to(device), Tensor.of(cols).to(device),
                    false);
            RaggedBatch ri = r.rowIndices();
            RaggedBatch ci = r.colIndices();
            assertSame(ri, r.rowIndices());
            assertEquals(DType.INT64, ri.dtype());
            assertEquals(device, ci.device());
            assertArrayEquals(new long[] {b, Math.min(rMax, cMax)}, ri.shape());
            assertArrayEquals(r.sizes().toLongArray(), ri.sampleSizes().toLongArray());
            List<Tensor> rs = ri.split();
            List<Tensor> cs = ci.split();
            for (int p = 0; p < b; p++) {
                long[][] pairs = r.pairs(p);
                assertEquals(Math.min(rows[p], cols[p]), pairs[0].length, "problem " + p);
                assertArrayEquals(pairs[0], rs.get(p).toLongArray(), "problem " + p);
                assertArrayEquals(pairs[1], cs.get(p).toLongArray(), "problem " + p);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void raggedCostsEqualTheCountTensorForm(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom rnd = new SplittableRandom(78);
        for (int round = 0; round < 20; round++) {
            int b = 1 + rnd.nextInt(6);
            int rMax = 1 + rnd.nextInt(30);
            int cMax = 1 + rnd.nextInt(30);
            boolean maximize = round % 3 == 1;
            long[] rows = new long[b];
            long[] cols = new long[b];
            for (int p = 0; p < b; p++) {
                rows[p] = rnd.nextInt(rMax + 1);
                cols[p] = rnd.nextInt(cMax + 1);
            }
            try (Scope scope = Scope.open()) {
                Tensor costs = Tensor.of(RandomProblems.matrix(rnd, b * rMax, cMax, round % 4), b, rMax, cMax)
                        .to(DType.FLOAT32).to(device);
                Tensor rowT = Tensor.of(rows).to(device);
                Tensor colT = Tensor.of(cols).to(device);
                AssignmentResult want = LinearAssignment.solve(costs, rowT, colT, maximize);
                AssignmentResult byCols = LinearAssignment.solve(RaggedBatch.of(costs, colT, 2), rowT, maximize);
                AssignmentResult byRows = LinearAssignment.solve(RaggedBatch.of(costs, rowT), colT, maximize, true);
                for (AssignmentResult got : new AssignmentResult[] {byCols, byRows}) {
                    String what = "round " + round;
                    assertArrayEquals(want.sizes().toLongArray(), got.sizes().toLongArray(), what);
                    assertArrayEquals(want.rowIndexTensor().toLongArray(), got.rowIndexTensor().toLongArray(), what);
                    assertArrayEquals(want.colIndexTensor().toLongArray(), got.colIndexTensor().toLongArray(), what);
                    assertArrayEquals(want.totalCost().toDoubleArray(), got.totalCost().toDoubleArray(), what);
                }
                // Only the ragged axis counted: the other is used at its full extent.
                AssignmentResult full = LinearAssignment.solve(RaggedBatch.of(costs, colT, 2));
                AssignmentResult fullWant = LinearAssignment.solve(costs, null, colT, false);
                assertArrayEquals(fullWant.colIndexTensor().toLongArray(), full.colIndexTensor().toLongArray());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void raggedCostsOfAnotherLayoutAreRejected(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) {
            Tensor data = Tensor.zeros(DType.FLOAT32, device, 2, 3, 4, 5);
            Tensor sizes = Tensor.of(new long[] {1, 2, 0, 3, 1, 1}).reshape(2, 3).to(device);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LinearAssignment.solve(RaggedBatch.of(data, sizes)));
            assertTrue(e.getMessage().contains("one batch axis"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve((RaggedBatch) null));
        }
    }
}
