package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared exp routine against StrictMath.exp: close in float64, identical after rounding to float32. */
class GaussianValuesTest {
    /**
     * Both routines are within about an ulp of e^x, so after rounding to float32 they can only
     * disagree when e^x lies within a couple of double ulps of a float32 rounding midpoint (then
     * neither is authoritative; one such case below r = 200 has StrictMath on the wrong side, as
     * a 60-digit evaluation shows). Everywhere else they must agree exactly.
     */
    @Test
    void everyIntegerStampValueRoundsLikeStrictMath() {
        int values = 0;
        int ambiguous = 0;
        for (double f : new double[] {6.0, 14.0, 2.5}) {
            for (int r = 0; r <= 200; r++) {
                double var = GaussianValues.integerVar(GaussianValues.MMDET, r, f);
                float varF = (float) GaussianValues.integerVar(GaussianValues.ACCVLAB, r, f);
                for (int d2 = 1; d2 <= 2 * r * r; d2++) {
                    double e = -d2 / var;
                    float eF = -(float) d2 / varF;
                    for (double x : new double[] {e, eF}) {
                        values++;
                        double ours = GaussianValues.exp(x);
                        double strict = StrictMath.exp(x);
                        if ((float) ours != (float) strict) {
                            ambiguous++;
                            assertTrue(nearFloatMidpoint(ours) && nearFloatMidpoint(strict),
                                    "r " + r + " d2 " + d2 + " f " + f + ": " + ours + " vs " + strict);
                        }
                    }
                }
            }
        }
        assertTrue(ambiguous * 1_000_000L < values, ambiguous + " of " + values);
    }

    private static boolean nearFloatMidpoint(double v) {
        float lo = (float) v;
        float other = (double) lo < v ? Math.nextUp(lo) : Math.nextDown(lo);
        double mid = ((double) lo + (double) other) / 2;
        return Math.abs(v - mid) <= 2 * Math.ulp(v);
    }

    @Test
    void float64ErrorIsAboutOneUlp() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            double x = -rnd.nextDouble() * 700;
            double want = StrictMath.exp(x);
            double got = GaussianValues.exp(x);
            assertTrue(Math.abs(got - want) <= 2 * Math.ulp(want), x + ": " + got + " vs " + want);
        }
    }

    @Test
    void edgeValues() {
        assertEquals(1.0, GaussianValues.exp(0.0));
        assertEquals(1.0, GaussianValues.exp(-0.0));
        assertEquals(0.0, GaussianValues.exp(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, GaussianValues.exp(-701));
        assertTrue(Double.isNaN(GaussianValues.exp(Double.NaN)));
        assertEquals(1.0f, GaussianValues.value(GaussianValues.DALI, 0, 0));
        assertEquals(0.0f, GaussianValues.value(GaussianValues.DALI, 1, 0));
        // mmdet's cut: exp(-40) < 2^-52 becomes 0, ACCV-Lab keeps it.
        assertEquals(0.0f, GaussianValues.value(GaussianValues.MMDET, 40, 1));
        assertEquals((float) Math.exp(-40), GaussianValues.value(GaussianValues.ACCVLAB, 40, 1), 1e-24f);
    }
}
