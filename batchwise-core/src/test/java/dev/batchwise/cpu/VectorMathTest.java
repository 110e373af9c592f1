package dev.batchwise.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final int L = VectorMath.S.length();

    private static double[] apply(UnaryOperator<DoubleVector> f, double[] x) {
        double[] padded = java.util.Arrays.copyOf(x, (x.length + L - 1) / L * L);
        double[] out = new double[padded.length];
        for (int i = 0; i < padded.length; i += L) {
            f.apply(DoubleVector.fromArray(VectorMath.S, padded, i)).intoArray(out, i);
        }
        return java.util.Arrays.copyOf(out, x.length);
    }

    private static void assertClose(DoubleUnaryOperator exact, double[] x, double[] got, double ulps, String what) {
        for (int i = 0; i < x.length; i++) {
            double want = exact.applyAsDouble(x[i]);
            if (Double.isNaN(want) || Double.isInfinite(want) || want == 0) {
                assertEquals(want, got[i], what + "(" + x[i] + ")");
            } else {
                String msg = what + "(" + x[i] + ") = " + got[i] + ", want " + want;
                assertTrue(Math.abs(got[i] - want) <= ulps * Math.ulp(want), msg);
            }
        }
    }

    @Test
    void expAndLogWithinTwoUlpsAndLog1pWithinFourOfStrictMath() {
        SplittableRandom r = new SplittableRandom(3);
        double[] xs = new double[20_000];
        double[] pos = new double[20_000];
        double[] small = new double[20_000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -700 + 1400 * r.nextDouble();
            pos[i] = Math.pow(10, -12 + 24 * r.nextDouble());
            small[i] = Math.pow(10, -300 * r.nextDouble());
        }
        xs[0] = 0;
        xs[1] = -1e-300;
        assertClose(StrictMath::exp, xs, apply(VectorMath::exp, xs), 2, "exp");
        assertClose(StrictMath::log, pos, apply(VectorMath::log, pos), 2, "log");
        assertClose(StrictMath::log1p, small, apply(VectorMath::log1p, small), 4, "log1p");
    }

    @Test
    void specialValues() {
        double[] e = apply(VectorMath::exp, new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -800, 800});
        assertTrue(Double.isNaN(e[0]));
        assertEquals(0.0, e[1]);
        assertEquals(Double.POSITIVE_INFINITY, e[2]);
        assertEquals(0.0, e[3]);
        assertEquals(Double.POSITIVE_INFINITY, e[4]);
        double[] l = apply(VectorMath::log, new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, 1.0});
        assertEquals(Double.NEGATIVE_INFINITY, l[0]);
        assertTrue(Double.isNaN(l[1]));
        assertTrue(Double.isNaN(l[2]));
        assertEquals(Double.POSITIVE_INFINITY, l[3]);
        assertEquals(0.0, l[4]);
        assertEquals(0.0, apply(VectorMath::log1p, new double[] {0.0})[0]);
    }

    /** Same bits for the same input whether the loop runs interpreted or compiled by C2. */
    @Test
    void bitsDoNotDependOnCompilation() {
        SplittableRandom r = new SplittableRandom(9);
        double[] x = new double[8_192];
        for (int i = 0; i < x.length; i++) {
            x[i] = -40 + 80 * r.nextDouble();
        }
        UnaryOperator<DoubleVector> f = v -> VectorMath.exp(v).add(VectorMath.log(v.abs().add(1e-12)))
                .add(VectorMath.log1p(VectorMath.exp(v.abs().neg())));
        double[] first = apply(f, x);
        for (int round = 0; round < 2_000; round++) {
            double[] again = apply(f, x);
            if (round % 500 == 499) {
                assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again), "round " + round);
            }
        }
    }
}
