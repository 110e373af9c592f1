package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassCostTermsTest {
    /**
     * The focal cost of a value must not depend on JIT state: the first (interpreted) evaluation
     * and the evaluations after C2 has compiled the loop give the same bits, and so does every
     * position of a block (the Vector API's EXP/LOG failed this: Java fallback vs SVML intrinsic).
     */
    @Test
    void focalCostBitsDoNotDependOnCompilationOrPosition() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 8_195; // many values, and not a multiple of any vector length
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -12 + 24 * r.nextDouble();
        }
        double[] first = new double[n];
        ClassCostTerms.addFocal(x, n, 2.0, 0.25, 2.0, first);
        for (int round = 0; round < 3_000; round++) {
            double[] again = new double[n];
            ClassCostTerms.addFocal(x, n, 2.0, 0.25, 2.0, again);
            if (round % 500 == 499) {
                assertArrayEquals(first, again, "round " + round);
            }
        }
        double[] shifted = new double[n + 3];
        double[] xs = new double[n + 3];
        System.arraycopy(x, 0, xs, 3, n);
        ClassCostTerms.addFocal(xs, n + 3, 2.0, 0.25, 2.0, shifted);
        double[] tail = new double[n];
        System.arraycopy(shifted, 3, tail, 0, n);
        assertArrayEquals(first, tail, "same values at other positions of the block");
    }
}
