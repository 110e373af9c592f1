package dev.batchwise.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    /** An array function of VectorMath: (input, output, n). */
    @FunctionalInterface
    interface ArrayFn {
        void apply(double[] x, double[] out, int n);
    }

    private static double[] apply(ArrayFn f, double[] x) {
        double[] out = new double[x.length];
        f.apply(x, out, x.length);
        return out;
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
    void expAndLogWithinOneUlpAndLog1pWithinTwoOfStrictMath() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 200_000;
        double[] xs = new double[n];
        double[] pos = new double[n];
        double[] nearOne = new double[n];
        double[] small = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -708 + 1417 * r.nextDouble();
            pos[i] = Math.pow(10, -300 + 600 * r.nextDouble());
            nearOne[i] = 0.5 + r.nextDouble(); // where the reduced argument is largest relative to the result
            small[i] = Math.pow(10, -20 * r.nextDouble()) * (r.nextBoolean() ? 1 : -0.99);
        }
        xs[0] = 0;
        xs[1] = -1e-300;
        nearOne[0] = 1.0;
        assertClose(StrictMath::exp, xs, apply(VectorMath::exp, xs), 1, "exp");
        assertClose(StrictMath::log, pos, apply(VectorMath::log, pos), 1, "log");
        assertClose(StrictMath::log, nearOne, apply(VectorMath::log, nearOne), 1, "log");
        assertClose(StrictMath::log1p, small, apply(VectorMath::log1p, small), 2, "log1p");
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
        ArrayFn f = (in, out, n) -> {
            double[] a = new double[n];
            double[] b = new double[n];
            double[] c = new double[n];
            VectorMath.exp(in, a, n);
            for (int i = 0; i < n; i++) {
                b[i] = Math.abs(in[i]) + 1e-12;
                c[i] = -Math.abs(in[i]);
            }
            VectorMath.log(b, b, n);
            VectorMath.exp(c, c, n);
            VectorMath.log1p(c, out, n);
            VectorMath.pow(b, 2.5, c, n);
            for (int i = 0; i < n; i++) {
                out[i] += a[i] + b[i] + c[i];
            }
        };
        double[] first = apply(f, x);
        for (int round = 0; round < 2_000; round++) {
            double[] again = apply(f, x);
            if (round % 500 == 499) {
                assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again), "round " + round);
            }
        }
    }

    @Test
    void powIsExactForSmallIntegerExponentsAndCloseOtherwise() {
        SplittableRandom r = new SplittableRandom(4);
        double[] b = new double[1_003];
        for (int i = 0; i < b.length; i++) {
            b[i] = 3 * r.nextDouble();
        }
        for (double e : new double[] {0, 1, 2, 3, 4}) {
            double[] got = new double[b.length];
            VectorMath.pow(b, e, got, b.length);
            for (int i = 0; i < b.length; i++) {
                double sq = b[i] * b[i];
                double want = e == 0 ? 1 : e == 1 ? b[i] : e == 2 ? sq : e == 3 ? sq * b[i] : sq * sq;
                assertEquals(want, got[i], 0.0, "pow(" + b[i] + ", " + e + ")");
            }
        }
        double[] got = new double[b.length];
        VectorMath.pow(b, 2.5, got, b.length);
        for (int i = 0; i < b.length; i++) {
            assertEquals(StrictMath.pow(b[i], 2.5), got[i], 1e-14 * StrictMath.pow(b[i], 2.5), "pow(" + b[i] + ", 2.5)");
        }
    }

    /** The last, partial vector takes the same path as the full ones: a value's bits do not depend on its index. */
    @Test
    void bitsDoNotDependOnPosition() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 1_000 + 3;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 40 * r.nextDouble();
        }
        for (ArrayFn f : new ArrayFn[] {VectorMath::exp, VectorMath::log, VectorMath::log1p}) {
            double[] all = apply(f, x);
            for (int shift = 1; shift < 8; shift++) {
                double[] tail = java.util.Arrays.copyOfRange(x, shift, n);
                double[] got = apply(f, tail);
                for (int i = 0; i < tail.length; i++) {
                    assertEquals(all[i + shift], got[i], 0.0, "shift " + shift + " at " + i);
                }
            }
        }
    }

    @Test
    void log1pRejectsInPlace() {
        double[] x = {0.5, 1.5};
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> VectorMath.log1p(x, x, 2));
    }
}
