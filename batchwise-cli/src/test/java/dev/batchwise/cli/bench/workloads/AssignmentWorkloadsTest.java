package dev.batchwise.cli.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.assign.AssignmentResult;
import dev.batchwise.assign.LinearAssignment;
import dev.batchwise.detr.W1Batch;
import dev.batchwise.detr.W1Config;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The W2 batches: W2-a is the W1-3d matching problem, the others are seeded uniform batches. */
class AssignmentWorkloadsTest {

    @Test
    void w2aHoldsTheW1CostMatricesWithTheGtCountsAsColumns() {
        AssignmentWorkloads.Batch a = ((AssignmentWorkloads) AssignmentWorkloads.w2a()).generate();
        long[] gt;
        try (W1Batch w1 = W1Batch.generate(W1Config.streamPetr())) {
            gt = w1.gtCounts3dHost();
        }
        assertEquals(48, a.problems());
        assertEquals(644, a.rows());
        long maxGt = 0;
        for (int p = 0; p < 48; p++) {
            assertEquals(644, a.rowCounts()[p]);
            assertEquals(gt[p % 8], a.colCounts()[p], "problem " + p);
            maxGt = Math.max(maxGt, gt[p % 8]);
        }
        assertEquals(maxGt, a.cols());
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < 48; p++) {
            for (int q = 0; q < 644; q++) {
                for (int m = 0; m < a.colCounts()[p]; m++) {
                    float c = a.costs()[(p * 644 + q) * a.cols() + m];
                    assertTrue(Float.isFinite(c));
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                }
            }
        }
        assertTrue(max - min > 1, "costs spread over " + min + " .. " + max);
        try (Scope scope = Scope.open()) {
            AssignmentResult r = LinearAssignment.solve(Tensor.of(a.costs(), 48, 644, a.cols()),
                    Tensor.of(a.rowCounts()), Tensor.of(a.colCounts()), false);
            assertArrayEquals(a.colCounts(), r.sizes().toLongArray(), "every GT object is matched");
        }
    }

    @Test
    void uniformBatchesHaveTheirShapes() {
        AssignmentWorkloads.Batch b = ((AssignmentWorkloads) AssignmentWorkloads.w2g()).generate();
        assertEquals(1024, b.problems());
        assertEquals(10 * 10 * 1024, b.costs().length);
        for (float c : b.costs()) {
            assertTrue(c >= 0 && c <= 9 && c == Math.rint(c), "integer costs 0..9: " + c);
        }
    }
}
