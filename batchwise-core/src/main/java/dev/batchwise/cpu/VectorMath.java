package dev.batchwise.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reproducible {@code exp}, {@code log} and {@code log1p} of whole {@link DoubleVector}s, built only
 * from IEEE additions, multiplications, divisions and bit operations.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API computes transcendental lanes
 * with a Java fallback until C2 compiles the loop and with the SVML library afterwards, and the two
 * differ in the last bits — so the same input gave different results depending on JIT state (seen
 * as matching costs that differed between a batch and the same problem alone). Every operation
 * here is exactly rounded, so the bits depend only on the input. Accuracy: within 2 ulps for exp
 * and log, 4 for log1p, over the normal range; results below the smallest normal double
 * ({@code exp(x)} for {@code x < -708}) are flushed to 0, results above {@code e^709} become +inf.
 */
public final class VectorMath {
    /** The species every caller uses. */
    public static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238; // ln 2 with its low 32 bits cleared
    private static final double LN2_LO = 1.9082149292705877e-10; // ln 2 - LN2_HI
    private static final double ROUND_MAGIC = 6755399441055744.0; // 1.5 * 2^52: x + M - M rounds to an integer
    private static final double EXP_UNDERFLOW = -708.0; // below: flushed to 0 (the smallest normal is e^-708.40)
    private static final double EXP_OVERFLOW = 709.0; // above: +inf (kept clear of the exponent's edge)
    private static final double SQRT2 = 1.4142135623730951;
    private static final long EXP_MASK = 0x7ff0000000000000L;
    private static final long MANTISSA_MASK = 0x000fffffffffffffL;
    private static final long ONE_BITS = 0x3ff0000000000000L;
    private static final double TWO52 = 4503599627370496.0;
    private static final long TWO52_BITS = Double.doubleToRawLongBits(TWO52);

    private VectorMath() {}

    /** {@code e^x} per lane (NaN stays NaN; {@code x > 709} gives +inf, {@code x < -708} gives 0). */
    public static DoubleVector exp(DoubleVector x) {
        // x = n ln2 + r with |r| <= ln2 / 2 (Cody–Waite split of ln 2), e^r by its Taylor series to
        // r^13 (truncation error < 1e-17 relative), then times 2^n through the exponent bits.
        DoubleVector shifted = x.mul(LOG2E).add(ROUND_MAGIC);
        DoubleVector n = shifted.sub(ROUND_MAGIC);
        DoubleVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        DoubleVector p = r.mul(1.0 / 6227020800.0).add(1.0 / 479001600.0); // Horner from 1/13!
        p = p.mul(r).add(1.0 / 39916800.0);
        p = p.mul(r).add(1.0 / 3628800.0);
        p = p.mul(r).add(1.0 / 362880.0);
        p = p.mul(r).add(1.0 / 40320.0);
        p = p.mul(r).add(1.0 / 5040.0);
        p = p.mul(r).add(1.0 / 720.0);
        p = p.mul(r).add(1.0 / 120.0);
        p = p.mul(r).add(1.0 / 24.0);
        p = p.mul(r).add(1.0 / 6.0);
        p = p.mul(r).add(0.5);
        p = p.mul(r).add(1.0);
        p = p.mul(r).add(1.0);
        // the low bits of `shifted` hold n (two's complement) because 1.5 * 2^52 has ulp 1
        LongVector nBits = shifted.reinterpretAsLongs().sub(Double.doubleToRawLongBits(ROUND_MAGIC));
        LongVector bits = p.reinterpretAsLongs().add(nBits.lanewise(VectorOperators.LSHL, 52));
        DoubleVector result = bits.reinterpretAsDoubles();
        result = result.blend(0.0, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
        result = result.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_OVERFLOW));
        return result.blend(x, x.compare(VectorOperators.NE, x)); // NaN lanes
    }

    /** Natural logarithm per lane ({@code log 0 = -inf}, negative or NaN gives NaN, {@code log inf = inf}). */
    public static DoubleVector log(DoubleVector x) {
        // x = m 2^k with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172,
        // by its odd series to s^21 (truncation error < 1e-18 relative). Subnormal inputs are not
        // normalised (callers here add eps >= 1e-12 first).
        LongVector bits = x.reinterpretAsLongs();
        // the biased exponent e as a double: the bits of 2^52 + e, minus 2^52 (exact, no conversion op)
        DoubleVector biased = bits.and(EXP_MASK).lanewise(VectorOperators.LSHR, 52).or(TWO52_BITS)
                .reinterpretAsDoubles().sub(TWO52);
        DoubleVector m = bits.and(MANTISSA_MASK).or(ONE_BITS).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), high);
        DoubleVector kd = biased.sub(1023.0);
        kd = kd.blend(kd.add(1.0), high);
        DoubleVector s = m.sub(1.0).div(m.add(1.0));
        DoubleVector s2 = s.mul(s);
        DoubleVector q = s2.mul(1.0 / 21).add(1.0 / 19); // Horner from 1/21
        q = q.mul(s2).add(1.0 / 17);
        q = q.mul(s2).add(1.0 / 15);
        q = q.mul(s2).add(1.0 / 13);
        q = q.mul(s2).add(1.0 / 11);
        q = q.mul(s2).add(1.0 / 9);
        q = q.mul(s2).add(1.0 / 7);
        q = q.mul(s2).add(1.0 / 5);
        q = q.mul(s2).add(1.0 / 3);
        q = q.mul(s2).add(1.0);
        DoubleVector logM = s.mul(q).mul(2.0);
        DoubleVector result = kd.mul(LN2_HI).add(logM.add(kd.mul(LN2_LO)));
        result = result.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        result = result.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
        return result.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0).or(x.compare(VectorOperators.NE, x)));
    }

    /** {@code log(1 + x)} per lane, accurate for small {@code x} ({@code x >= -1}). */
    public static DoubleVector log1p(DoubleVector x) {
        // log(u) * x / (u - 1) with u = 1 + x corrects the rounding of 1 + x; when u == 1 the answer is x.
        DoubleVector u = x.add(1.0);
        DoubleVector um1 = u.sub(1.0);
        VectorMask<Double> exact = um1.compare(VectorOperators.EQ, 0.0);
        DoubleVector safe = um1.blend(1.0, exact);
        DoubleVector corrected = log(u).mul(x.div(safe));
        VectorMask<Double> big = u.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY);
        return corrected.blend(x, exact).blend(u, big);
    }

    /** {@code b^e} per lane for {@code b >= 0}: exact products for e in {0, 1, 2, 3, 4}, else {@code exp(e log b)}. */
    public static DoubleVector pow(DoubleVector b, double e) {
        if (e == 0.0) {
            return DoubleVector.broadcast(S, 1.0);
        }
        if (e == 1.0) {
            return b;
        }
        if (e == 2.0) {
            return b.mul(b);
        }
        if (e == 3.0) {
            return b.mul(b).mul(b);
        }
        if (e == 4.0) {
            DoubleVector sq = b.mul(b);
            return sq.mul(sq);
        }
        return exp(log(b).mul(e));
    }
}
