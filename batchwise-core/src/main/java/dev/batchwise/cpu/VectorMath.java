package dev.batchwise.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reproducible {@code exp}, {@code log}, {@code log1p} and {@code pow} over runs of
 * {@code double[]}, vectorised with the Vector API and built only from IEEE additions,
 * multiplications, fused multiply-adds, divisions and bit operations.
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
 * into a fresh object and array. In the W1 step that was 145 MB of garbage per step and most of the time of
 * the focal costs and losses. A loop per function keeps each body in one compiled method whose
 * Vector API calls are all intrinsics; callers run the functions over blocks of a few thousand
 * elements held in reused buffers ({@link DoubleBuffers}).
 *
 * <p>Accuracy, over the normal range (measured on 2 million random arguments each, and checked
 * by the tests): within 1 ulp of {@link StrictMath} for exp and log, 2 for log1p. Results below
 * the smallest normal double ({@code exp(x)} for {@code x < -708}) are flushed to 0, results above
 * {@code e^709} become +inf. Every function allows {@code out == x} except {@link #log1p}.
 *
 * <p>The polynomials are evaluated with fused multiply-adds ({@code VectorOperators.FMA}, one
 * rounding, so the same bits on every path: C2 emits {@code vfmadd}, the Java fallback
 * {@link Math#fma}); on a CPU without FMA instructions that fallback is correct but slow.
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
    // fdlibm e_log.c: R(z) = Lg1 z + ... + Lg7 z^7 with z = s^2 approximates (log(1+f) - 2s) / s
    private static final double LG1 = 6.666666666666735130e-01;
    private static final double LG2 = 3.999999999940941908e-01;
    private static final double LG3 = 2.857142874366239149e-01;
    private static final double LG4 = 2.222219843214978396e-01;
    private static final double LG5 = 1.818357216161805012e-01;
    private static final double LG6 = 1.531383769920937332e-01;
    private static final double LG7 = 1.479819860511658591e-01;
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
            // r^13 (truncation error < 1e-17 relative) in fused multiply-adds, then times 2^k through
            // the exponent bits.
            DoubleVector shifted = v.fma(LOG2E, ROUND_MAGIC);
            DoubleVector k = shifted.sub(ROUND_MAGIC);
            DoubleVector r = k.lanewise(VectorOperators.FMA, -LN2_HI, v).sub(k.mul(LN2_LO));
            DoubleVector p = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0); // Horner from 1/13!: p r + 1/n!
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 39916800.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 3628800.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 362880.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 40320.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 5040.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 720.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 120.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 24.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0 / 6.0);
            p = p.lanewise(VectorOperators.FMA, r, 0.5);
            p = p.lanewise(VectorOperators.FMA, r, 1.0);
            p = p.lanewise(VectorOperators.FMA, r, 1.0);
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
            // x = (1 + f) 2^k with 1 + f in [sqrt(1/2), sqrt(2)), then fdlibm's e_log.c:
            // log(1 + f) = f - hfsq + s (hfsq + R) with s = f / (2 + f), hfsq = f^2 / 2 and R(s^2) its
            // minimax polynomial (error < 2^-58.45), evaluated in two halves of even and odd powers.
            LongVector bits = v.reinterpretAsLongs();
            // the biased exponent as a double: the bits of 2^52 + e, minus 2^52 (exact, no conversion op)
            DoubleVector biased = bits.and(EXP_MASK).lanewise(VectorOperators.LSHR, 52).or(TWO52_BITS)
                    .reinterpretAsDoubles().sub(TWO52);
            DoubleVector mant = bits.and(MANTISSA_MASK).or(ONE_BITS).reinterpretAsDoubles();
            VectorMask<Double> high = mant.compare(VectorOperators.GT, SQRT2);
            DoubleVector f = mant.blend(mant.mul(0.5), high).sub(1.0);
            DoubleVector kd = biased.sub(1023.0);
            kd = kd.blend(kd.add(1.0), high);
            DoubleVector s = f.div(f.add(2.0));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector t1 = w.mul(w.fma(LG6, LG4).lanewise(VectorOperators.FMA, w, LG2));
            DoubleVector t2 = z.mul(w.fma(LG7, LG5).lanewise(VectorOperators.FMA, w, LG3)
                    .lanewise(VectorOperators.FMA, w, LG1));
            DoubleVector rr = t2.add(t1);
            DoubleVector hfsq = f.mul(f).mul(0.5);
            DoubleVector result = kd.mul(LN2_HI).sub(hfsq.sub(s.mul(hfsq.add(rr)).add(kd.mul(LN2_LO))).sub(f));
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
