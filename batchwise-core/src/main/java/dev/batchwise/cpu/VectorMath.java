package dev.batchwise.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reproducible {@code exp}, {@code log}, {@code log1p} and {@code pow} over runs of
 * {@code double[]}, vectorised with the Vector API and built only from IEEE additions,
 * multiplications, divisions and bit operations.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API computes transcendental lanes
 * with a Java fallback until C2 compiles the loop and with the SVML library afterwards, and the two
 * differ in the last bits — so the same input gave different results depending on JIT state (seen
 * as matching costs that differed between a batch and the same problem alone). Every operation
 * here is exactly rounded and every lane is computed on the same vector path (the last, partial
 * vector is a masked one), so the bits depend only on the input value, not on its position or on
 * what the JIT has compiled.
 *
 * <p>Why whole arrays rather than {@code DoubleVector -> DoubleVector} functions: a function of
 * vectors is only fast when C2 inlines it into its caller; these bodies (300+ bytes of bytecode)
 * exceed its inlining limits ({@code FreqInlineSize}, {@code NodeCountInliningCutoff} in large
 * loss loops), and every vector passed to or returned from a call that is not inlined is boxed
 * into a fresh object and array. In the W1 step that was 160 MB of garbage and most of the time of
 * the focal costs and losses. A loop per function keeps each body in one compiled method whose
 * Vector API calls are all intrinsics; callers run the functions over blocks of a few thousand
 * elements held in reused buffers ({@link DoubleBuffers}).
 *
 * <p>Accuracy, over the normal range: within 2 ulps of {@link StrictMath} for exp and log, 4 for
 * log1p. Results below the smallest normal double ({@code exp(x)} for {@code x < -708}) are
 * flushed to 0, results above {@code e^709} become +inf. Every function allows {@code out == x}.
 */
public final class VectorMath {
    /** The species every caller uses. */
    public static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238; // ln 2 with its low 32 bits cleared
    private static final double LN2_LO = 1.9082149292705877e-10; // ln 2 - LN2_HI
    private static final double ROUND_MAGIC = 6755399441055744.0; // 1.5 * 2^52: x + M - M rounds to an integer
    private static final long ROUND_MAGIC_BITS = Double.doubleToRawLongBits(ROUND_MAGIC);
    private static final double EXP_UNDERFLOW = -708.0; // below: flushed to 0 (the smallest normal is e^-708.40)
    private static final double EXP_OVERFLOW = 709.0; // above: +inf (kept clear of the exponent's edge)
    private static final double SQRT2 = 1.4142135623730951;
    private static final long EXP_MASK = 0x7ff0000000000000L;
    private static final long MANTISSA_MASK = 0x000fffffffffffffL;
    private static final long ONE_BITS = 0x3ff0000000000000L;
    private static final double TWO52 = 4503599627370496.0;
    private static final long TWO52_BITS = Double.doubleToRawLongBits(TWO52);

    private VectorMath() {}

    /**
     * {@code out[i] = e^x[i]} for {@code i < n} (NaN stays NaN; {@code x > 709} gives +inf,
     * {@code x < -708} gives 0).
     */
    public static void exp(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            // x = k ln2 + r with |r| <= ln2 / 2 (Cody–Waite split of ln 2), e^r by its Taylor series to
            // r^13 (truncation error < 1e-17 relative), then times 2^k through the exponent bits.
            DoubleVector shifted = v.mul(LOG2E).add(ROUND_MAGIC);
            DoubleVector k = shifted.sub(ROUND_MAGIC);
            DoubleVector r = v.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
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
            // the low bits of `shifted` hold k (two's complement) because 1.5 * 2^52 has ulp 1
            LongVector kBits = shifted.reinterpretAsLongs().sub(ROUND_MAGIC_BITS);
            DoubleVector res = p.reinterpretAsLongs().add(kBits.lanewise(VectorOperators.LSHL, 52))
                    .reinterpretAsDoubles();
            res = res.blend(0.0, v.compare(VectorOperators.LT, EXP_UNDERFLOW));
            res = res.blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.GT, EXP_OVERFLOW));
            res.blend(v, v.compare(VectorOperators.NE, v)).intoArray(out, i, m); // NaN lanes
        }
    }

    /**
     * {@code out[i] = log(x[i])} for {@code i < n} ({@code log 0 = -inf}, negative or NaN gives
     * NaN, {@code log inf = inf}). Subnormal inputs are not normalised (callers add an eps first).
     */
    public static void log(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            // x = f 2^k with f in [sqrt(1/2), sqrt(2)); log f = 2 atanh(s), s = (f - 1) / (f + 1),
            // |s| < 0.172, by its odd series to s^21 (truncation error < 1e-18 relative)
            LongVector bits = v.reinterpretAsLongs();
            // the biased exponent e as a double: the bits of 2^52 + e, minus 2^52 (exact, no conversion op)
            DoubleVector biased = bits.and(EXP_MASK).lanewise(VectorOperators.LSHR, 52).or(TWO52_BITS)
                    .reinterpretAsDoubles().sub(TWO52);
            DoubleVector f = bits.and(MANTISSA_MASK).or(ONE_BITS).reinterpretAsDoubles();
            VectorMask<Double> high = f.compare(VectorOperators.GT, SQRT2);
            f = f.blend(f.mul(0.5), high);
            DoubleVector kd = biased.sub(1023.0);
            kd = kd.blend(kd.add(1.0), high);
            DoubleVector s = f.sub(1.0).div(f.add(1.0));
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
            DoubleVector logF = s.mul(q).mul(2.0);
            DoubleVector result = kd.mul(LN2_HI).add(logF.add(kd.mul(LN2_LO)));
            result = result.blend(Double.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0.0));
            result = result.blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
            VectorMask<Double> nan = v.compare(VectorOperators.LT, 0.0).or(v.compare(VectorOperators.NE, v));
            result.blend(Double.NaN, nan).intoArray(out, i, m);
        }
    }

    /**
     * {@code out[i] = log(1 + x[i])} for {@code i < n}, accurate for small {@code x}
     * ({@code x >= -1}). Here {@code out} must not be {@code x}.
     */
    public static void log1p(double[] x, double[] out, int n) {
        if (out == x) {
            throw new IllegalArgumentException("log1p needs an output array other than its input");
        }
        // log(u) * x / (u - 1) with u = 1 + x corrects the rounding of 1 + x; when u == 1 the answer is x.
        // Three passes (u, log u, correction) so that the log body is not copied here.
        for (int i = 0; i < n; i++) {
            out[i] = x[i] + 1.0;
        }
        log(out, out, n);
        for (int i = 0; i < n; i += S.length()) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(S, x, i, m);
            DoubleVector u = v.add(1.0);
            DoubleVector um1 = u.sub(1.0);
            VectorMask<Double> exact = um1.compare(VectorOperators.EQ, 0.0);
            DoubleVector safe = um1.blend(1.0, exact);
            DoubleVector corrected = DoubleVector.fromArray(S, out, i, m).mul(v.div(safe));
            VectorMask<Double> big = u.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY);
            corrected.blend(v, exact).blend(u, big).intoArray(out, i, m);
        }
    }

    /**
     * {@code out[i] = b[i]^e} for {@code i < n} and {@code b >= 0}: exact products for {@code e}
     * in {@code {0, 1, 2, 3, 4}}, otherwise {@code exp(e log b)}.
     */
    public static void pow(double[] b, double e, double[] out, int n) {
        if (e == 0.0 || e == 1.0 || e == 2.0 || e == 3.0 || e == 4.0) {
            powSmall(b, (int) e, out, n);
            return;
        }
        log(b, out, n);
        for (int i = 0; i < n; i++) {
            out[i] *= e;
        }
        exp(out, out, n);
    }

    private static void powSmall(double[] b, int e, double[] out, int n) {
        // one simple loop per exponent, which C2 vectorises; same products as (b b) b and (b b)(b b)
        switch (e) {
            case 0 -> java.util.Arrays.fill(out, 0, n, 1.0);
            case 1 -> System.arraycopy(b, 0, out, 0, n);
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] * b[i];
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b[i] * b[i] * b[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    double sq = b[i] * b[i];
                    out[i] = sq * sq;
                }
            }
        }
    }
}
