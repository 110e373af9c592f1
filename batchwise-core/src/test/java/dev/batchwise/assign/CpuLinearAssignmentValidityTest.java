package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The invalid-cost scan of the CPU solver's fused path: NaN or -inf anywhere, full vectors and the tail. */
class CpuLinearAssignmentValidityTest {
    @Test
    void findsNanAndNegativeInfinityAtEveryPosition() {
        for (int len : new int[] {0, 1, 7, 8, 9, 31, 64, 77}) {
            double[] w = new double[len];
            for (int i = 0; i < len; i++) {
                w[i] = i - 3.5;
            }
            assertEquals(true, CpuLinearAssignment.allValid(w, len), "clean, len " + len);
            for (int at = 0; at < len; at++) {
                for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
                    double keep = w[at];
                    w[at] = bad;
                    assertEquals(false, CpuLinearAssignment.allValid(w, len), bad + " at " + at + " of " + len);
                    w[at] = keep;
                }
                double keep = w[at];
                w[at] = Double.POSITIVE_INFINITY; // allowed (a forbidden pair), as in SciPy
                assertEquals(true, CpuLinearAssignment.allValid(w, len), "+inf at " + at);
                w[at] = keep;
            }
        }
    }

    @Test
    void ignoresEntriesPastLength() {
        double[] w = {1, 2, 3, Double.NaN};
        assertEquals(true, CpuLinearAssignment.allValid(w, 3));
    }
}
