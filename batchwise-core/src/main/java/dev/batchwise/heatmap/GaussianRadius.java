package dev.batchwise.heatmap;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Gaussian radius of an object from its box size, so that a box whose corners are displaced by up
 * to that radius keeps an IoU of at least {@code minOverlap} with the original (CornerNet's
 * derivation: the smallest of the roots of three quadratics {@code a·r² − b·r + c = 0}, one per way
 * the corners can move).
 *
 * <p>Two incompatible variants of that formula are in use and both are offered, named:
 * <ul>
 *   <li>{@link Formula#CORNERNET_ORIGINAL}: the original CornerNet/CenterNet code, which takes
 *       {@code (b + √(b² − 4ac)) / 2} for all three roots (not the smaller root of each quadratic).
 *       mmdet3d's {@code gaussian_radius} keeps it, so CenterPoint, BEVFusion and TransFusion
 *       targets use it;</li>
 *   <li>{@link Formula#CORRECTED}: {@code r₁ = (b₁ − √…)/(2a₁)}, {@code r₂ = (b₂ − √…)/(2a₂)},
 *       {@code r₃ = (b₃ + √…)/(2a₃)}, as in mmdet 2D's {@code gaussian_target.gaussian_radius} and
 *       the fixed CornerNet.</li>
 * </ul>
 * with {@code a₁ = 1, b₁ = h + w, c₁ = w·h·(1 − o)/(1 + o)}; {@code a₂ = 4, b₂ = 2(h + w),
 * c₂ = (1 − o)·w·h}; {@code a₃ = 4o, b₃ = −2o(h + w), c₃ = (o − 1)·w·h}, result
 * {@code min(r₁, r₂, r₃)}. The operations are evaluated in the order of the reference code (left
 * to right as written there), so results match it bit for bit: {@link #radius} in float64 (Python
 * floats, as CenterNet and mmdet 2D call it with scalars), {@link #radiusFloat32} in float32 (as
 * mmdet3d's CenterPoint head calls it with float32 tensors, where Python scalars such as
 * {@code 1 − o} are rounded to float32 before they meet a tensor).
 *
 * <p>Squares are evaluated as {@code b·b} (PyTorch does the same for {@code b ** 2}; CPython
 * goes through libm {@code pow}, which can differ from the product in the last bits).
 *
 * <p>The mmdet3d target rule ({@code CenterHead.get_targets_single}) is
 * {@code radius = max(minRadius, int(gaussian_radius((length, width), gaussian_overlap)))}
 * with sizes in heatmap pixels (typically {@code gaussian_overlap = 0.1, min_radius = 2}):
 * {@link #targetRadius} and, batched over any number of boxes, {@link #targetRadii}.
 */
public final class GaussianRadius {
    /** The two published variants of CornerNet's radius formula. */
    public enum Formula {
        /** The original CornerNet/CenterNet code, kept by mmdet3d ({@code (b + sq)/2} for all roots). */
        CORNERNET_ORIGINAL,
        /** The corrected roots of mmdet 2D's {@code gaussian_radius} and the fixed CornerNet. */
        CORRECTED
    }

    private GaussianRadius() {}

    /**
     * The radius in float64 for a box of {@code height × width} (any unit; heatmap pixels for
     * targets) and minimum IoU {@code minOverlap}.
     *
     * @throws IllegalArgumentException unless {@code 0 < minOverlap < 1} and the sizes are finite and ≥ 0
     */
    public static double radius(Formula formula, double height, double width, double minOverlap) {
        requireFormula(formula);
        requireOverlap(minOverlap);
        requireSize(height, "height");
        requireSize(width, "width");
        double o = minOverlap;
        double b1 = height + width;
        double c1 = width * height * (1 - o) / (1 + o);
        double sq1 = Math.sqrt(b1 * b1 - 4 * 1 * c1);
        double b2 = 2 * (height + width);
        double c2 = (1 - o) * width * height;
        double sq2 = Math.sqrt(b2 * b2 - 4 * 4 * c2);
        double a3 = 4 * o;
        double b3 = -2 * o * (height + width);
        double c3 = (o - 1) * width * height;
        double sq3 = Math.sqrt(b3 * b3 - 4 * a3 * c3);
        double r1;
        double r2;
        double r3;
        if (formula == Formula.CORNERNET_ORIGINAL) {
            r1 = (b1 + sq1) / 2;
            r2 = (b2 + sq2) / 2;
            r3 = (b3 + sq3) / 2;
        } else {
            r1 = (b1 - sq1) / (2 * 1);
            r2 = (b2 - sq2) / (2 * 4);
            r3 = (b3 + sq3) / (2 * a3);
        }
        return min3(r1, r2, r3);
    }

    /**
     * The radius in float32, evaluated as on float32 tensors by mmdet3d's {@code gaussian_radius}
     * (Python-float constants such as {@code 1 − o}, {@code −2o} and {@code 4·(4o)} are computed in
     * float64 and rounded to float32 where they meet a tensor). Invalid sizes are not rejected: the
     * result is whatever the formula gives (possibly NaN), as with tensors.
     *
     * @throws IllegalArgumentException unless {@code 0 < minOverlap < 1}
     */
    public static float radiusFloat32(Formula formula, float height, float width, double minOverlap) {
        requireFormula(formula);
        requireOverlap(minOverlap);
        return float32(formula == Formula.CORRECTED, height, width, Constants.of(minOverlap));
    }

    /**
     * mmdet3d's target rule for one box: {@code max(minRadius, int(radiusFloat32(formula, h, w, o)))}
     * with truncation toward zero ({@code int()} of a tensor; NaN gives 0, huge values saturate).
     */
    public static int targetRadius(Formula formula, float height, float width, double minOverlap, int minRadius) {
        return Math.max(minRadius, (int) radiusFloat32(formula, height, width, minOverlap));
    }

    /**
     * {@link #targetRadius} for every box of {@code sizes} at once, on the device of {@code sizes}.
     * For ragged boxes pass the padded data tensor of the batch ({@code (B, M, 2)}); filler positions
     * get a (meaningless) radius too and keep the batch's sample sizes.
     *
     * @param sizes float32 {@code (…, 2)}: {@code (height, width)} per box in heatmap pixels
     *     (mmdet3d passes {@code (length, width)} divided by voxel size and {@code out_size_factor})
     * @return int32 {@code (…)}: the target radius per box
     */
    public static Tensor targetRadii(Tensor sizes, Formula formula, double minOverlap, int minRadius) {
        TensorChecks.requireNonNull(sizes, "sizes");
        if (sizes.rank() < 1 || sizes.shape(sizes.rank() - 1) != 2) {
            throw new IllegalArgumentException("sizes must have shape (..., 2), got " + Shapes.format(sizes.shape()));
        }
        TensorChecks.requireDType(sizes, "sizes", DType.FLOAT32);
        requireFormula(formula);
        requireOverlap(minOverlap);
        long[] outShape = java.util.Arrays.copyOf(sizes.shape(), sizes.rank() - 1);
        Device device = sizes.device();
        if (device.isCuda()) {
            return CudaGaussianHeatmaps.targetRadii(sizes, outShape, formula == Formula.CORRECTED,
                    Constants.of(minOverlap), minRadius);
        }
        float[] hw = sizes.toFloatArray();
        int[] out = new int[hw.length / 2];
        Constants c = Constants.of(minOverlap);
        boolean corrected = formula == Formula.CORRECTED;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(minRadius, (int) float32(corrected, hw[2 * i], hw[2 * i + 1], c));
        }
        return Tensor.of(out, outShape);
    }

    /**
     * {@link #targetRadii(Tensor, Formula, double, int)} for a ragged batch of box sizes: the radii
     * of the padded data, as a batch with the same sample sizes, batch axes and ragged axis (filler
     * positions get a meaningless radius, as in the padded form).
     *
     * @param sizes float32 data {@code (B…, …, N, …, 2)}: {@code (height, width)} per box in heatmap
     *     pixels; the ragged axis must not be the last one
     * @return int32 data {@code (B…, …, N, …)}: the target radius per box
     * @throws IllegalArgumentException when the ragged axis is the last (the (height, width) axis)
     */
    public static RaggedBatch targetRadii(RaggedBatch sizes, Formula formula, double minOverlap, int minRadius) {
        if (sizes == null) {
            throw new IllegalArgumentException("sizes must not be null");
        }
        if (sizes.raggedDim() == sizes.rank() - 1) {
            throw new IllegalArgumentException("sizes must have its (height, width) pairs on the last axis, which must "
                    + "not be the ragged axis; got data " + Shapes.format(sizes.shape()) + " ragged on axis "
                    + sizes.raggedDim());
        }
        return sizes.withData(targetRadii(sizes.data(), formula, minOverlap, minRadius), sizes.raggedDim());
    }

    /**
     * The float32 forms of the Python-scalar constants of mmdet3d's formula for overlap {@code o};
     * passed as such to the CUDA kernel so both backends use the same values.
     */
    record Constants(float oneMinusO, float onePlusO, float minusTwoO, float oMinusOne, float fourA3, float twoA3) {
        static Constants of(double o) {
            return new Constants((float) (1 - o), (float) (1 + o), (float) (-2 * o), (float) (o - 1),
                    (float) (4 * (4 * o)), (float) (2 * (4 * o)));
        }
    }

    /** Mirrored operation for operation by {@code gaussian_target_radii} in heatmap.cu. */
    static float float32(boolean corrected, float h, float w, Constants c) {
        float b1 = h + w;
        float c1 = w * h * c.oneMinusO() / c.onePlusO();
        float sq1 = (float) Math.sqrt(b1 * b1 - 4f * c1);
        float b2 = 2f * (h + w);
        float c2 = c.oneMinusO() * w * h;
        float sq2 = (float) Math.sqrt(b2 * b2 - 16f * c2);
        float b3 = c.minusTwoO() * (h + w);
        float c3 = c.oMinusOne() * w * h;
        float sq3 = (float) Math.sqrt(b3 * b3 - c.fourA3() * c3);
        float r1;
        float r2;
        float r3;
        if (corrected) {
            r1 = (b1 - sq1) / 2f;
            r2 = (b2 - sq2) / 8f;
            r3 = (b3 + sq3) / c.twoA3();
        } else {
            r1 = (b1 + sq1) / 2f;
            r2 = (b2 + sq2) / 2f;
            r3 = (b3 + sq3) / 2f;
        }
        return min3(r1, r2, r3);
    }

    /** Python's {@code min(r1, r2, r3)}: keeps the earlier argument unless a later one compares smaller. */
    static double min3(double r1, double r2, double r3) {
        double m = r1;
        if (r2 < m) {
            m = r2;
        }
        if (r3 < m) {
            m = r3;
        }
        return m;
    }

    /** {@link #min3(double, double, double)} in float32. */
    static float min3(float r1, float r2, float r3) {
        float m = r1;
        if (r2 < m) {
            m = r2;
        }
        if (r3 < m) {
            m = r3;
        }
        return m;
    }

    private static void requireFormula(Formula formula) {
        if (formula == null) {
            throw new IllegalArgumentException("formula must not be null");
        }
    }

    private static void requireOverlap(double o) {
        if (!(o > 0 && o < 1)) {
            throw new IllegalArgumentException("minOverlap must be in (0, 1), got " + o);
        }
    }

    private static void requireSize(double v, String name) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }
}
