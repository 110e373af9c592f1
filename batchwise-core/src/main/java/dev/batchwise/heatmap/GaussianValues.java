package dev.batchwise.heatmap;

/**
 * The one definition of a stamp value, shared bit for bit by the CPU code and the CUDA kernels
 * ({@code heatmap.cu} mirrors every operation here, using {@code __fma_rn}, {@code __dmul_rn},
 * {@code __ddiv_rn}, {@code __fdiv_rn}, … so that nvcc cannot contract or reorder them).
 *
 * <p>Why not {@link Math#exp}: the JDK's exp and CUDA's {@code exp} are each accurate to about an
 * ulp but not identical, so their float64 results may differ in the last bit and, rarely, round to
 * different float32 values. {@link #exp(double)} is a fixed sequence of IEEE operations (range
 * reduction by ln 2 with fma, a degree-13 Taylor polynomial in Horner form with fma, an exact
 * power-of-two scale), which both platforms evaluate identically. It is within about one ulp of
 * the true value, so after rounding to float32 it agrees with a correctly rounded exp.
 */
final class GaussianValues {
    /** Mode codes passed to the kernels: {@link GaussianStamp#ordinal()}. */
    static final int MMDET = 0;
    static final int ACCVLAB = 1;
    static final int DALI = 2;

    /** eps(float64) · max(h), with max(h) = exp(0) = 1: mmdet's gaussian2D cut. */
    static final double MMDET_CUT = 0x1.0p-52;

    private static final double INV_LN2 = 0x1.71547652b82fep+0;
    private static final double LN2_HI = 0x1.62e42fee00000p-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    private static final double[] TAYLOR = {
        0x1.6124613a86d09p-33, // 1/13!
        0x1.1eed8eff8d898p-29, // 1/12!
        0x1.ae64567f544e4p-26, // 1/11!
        0x1.27e4fb7789f5cp-22, // 1/10!
        0x1.71de3a556c734p-19, // 1/9!
        0x1.a01a01a01a01ap-16, // 1/8!
        0x1.a01a01a01a01ap-13, // 1/7!
        0x1.6c16c16c16c17p-10, // 1/6!
        0x1.1111111111111p-7,  // 1/5!
        0x1.5555555555555p-5,  // 1/4!
        0x1.5555555555555p-3,  // 1/3!
        0x1.0000000000000p-1,  // 1/2!
        1.0,                   // 1/1!
        1.0,                   // 1/0!
    };

    private GaussianValues() {}

    /**
     * {@code e^x} for {@code x ≤ 0} (the only range stamps need): 0 below −700 (far under every
     * float32 and under the mmdet cut), NaN for NaN, otherwise within about one ulp.
     */
    static double exp(double x) {
        if (x != x) {
            return x;
        }
        if (x < -700.0) {
            return 0.0;
        }
        double n = Math.rint(x * INV_LN2);
        double r = Math.fma(-n, LN2_HI, x);
        r = Math.fma(-n, LN2_LO, r);
        double p = TAYLOR[0];
        for (int i = 1; i < TAYLOR.length; i++) {
            p = Math.fma(p, r, TAYLOR[i]);
        }
        // n in [-1011, 0]: 2^n is a normal double and the product is exact.
        return p * Double.longBitsToDouble(((long) n + 1023) << 52);
    }

    /**
     * σ-dependent divisor of the integer modes for radius {@code r} and factor {@code f}:
     * {@code (2σ)·σ} with {@code σ = (2r+1)/f}, in float64 ({@link #MMDET}) or float32
     * ({@link #ACCVLAB}; the float value is returned widened, exactly).
     */
    static double integerVar(int mode, long r, double f) {
        if (mode == ACCVLAB) {
            float sigma = (float) (2 * r + 1) / (float) f;
            return (2.0f * sigma) * sigma;
        }
        double sigma = (double) (2 * r + 1) / f;
        return (2.0 * sigma) * sigma;
    }

    /** Divisor of {@link #DALI} for float radius {@code r} and factor {@code f}: {@code (2σ)·σ}, σ = r·f. */
    static double floatVar(float r, double f) {
        double sigma = (double) r * f;
        return (2.0 * sigma) * sigma;
    }

    /**
     * The stamp value before {@code k}, as float32, for squared offset {@code d2 = dx² + dy²}
     * (computed in float64 as {@code dx·dx + dy·dy}) and the mode's divisor {@code var}.
     */
    static float value(int mode, double d2, double var) {
        if (d2 == 0.0) {
            return 1.0f;
        }
        if (mode == ACCVLAB) {
            float e = -(float) d2 / (float) var;
            return (float) exp(e);
        }
        double h = exp(-d2 / var);
        if (mode == MMDET && h < MMDET_CUT) {
            return 0.0f;
        }
        return (float) h;
    }
}
