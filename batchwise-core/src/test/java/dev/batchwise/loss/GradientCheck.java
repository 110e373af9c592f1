package dev.batchwise.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;

/** Central finite differences in float64 against an analytic gradient. */
final class GradientCheck {
    private GradientCheck() {}

    /**
     * Checks {@code analytic[i]} against {@code (f(x + h e_i) - f(x - h e_i)) / 2h} for every i,
     * with tolerance {@code atol + rtol |fd|}.
     */
    static void check(double[] x, double[] analytic, ToDoubleFunction<double[]> f, double h, double atol,
                      double rtol) {
        assertEquals(x.length, analytic.length, "gradient length");
        for (int i = 0; i < x.length; i++) {
            double[] xp = x.clone();
            double[] xm = x.clone();
            xp[i] += h;
            xm[i] -= h;
            double fd = (f.applyAsDouble(xp) - f.applyAsDouble(xm)) / (2 * h);
            double tol = atol + rtol * Math.abs(fd);
            int at = i;
            assertTrue(Math.abs(fd - analytic[i]) <= tol,
                    () -> "gradient[" + at + "]: analytic " + analytic[at] + " vs finite difference " + fd);
        }
    }

    static void assertAllFinite(double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            int at = i;
            assertTrue(Double.isFinite(v[i]), () -> what + "[" + at + "] = " + v[at]);
        }
    }
}
