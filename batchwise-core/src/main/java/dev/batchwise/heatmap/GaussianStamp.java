package dev.batchwise.heatmap;

/**
 * How a Gaussian stamp is computed: the centre and radius convention, σ, the arithmetic and whether
 * small tail values are cut. Every mode combines a stamp with the map by element-wise maximum after
 * scaling it by {@code k}: {@code map[y, x] = max(map[y, x], k · g(dx, dy))} in float32, with
 * {@link Math#max(float, float)} semantics (NaN wins, +0 above −0), so existing content is kept
 * where it is larger.
 *
 * <p>All modes evaluate {@code g} through one exponential routine (a fixed fma-based polynomial in
 * double precision, identical on the CPU and in the CUDA kernels), so both backends produce the
 * same float32 bits. That routine is within about an ulp of {@code e^x} in float64, so after
 * rounding to float32 it agrees with NumPy's (and the JDK's) {@code exp} except where {@code e^x}
 * lies within a couple of float64 ulps of a float32 rounding midpoint, where no float64 exp is
 * authoritative (tested: every stamp value of radius ≤ 200 for three factors against
 * {@link StrictMath#exp}, and NumPy-generated golden maps bit for bit).
 *
 * <p>For the two integer modes, an object with integer centre {@code (cx, cy)} (x = column, y =
 * row) and integer radius {@code r ≥ 0} covers the {@code (2r+1)×(2r+1)} square
 * {@code cx−r ≤ x ≤ cx+r}, {@code cy−r ≤ y ≤ cy+r}, clipped to the map; centres partly or wholly
 * outside the map draw exactly the part of that square that lies inside (nothing when none does).
 * {@code dx = x − cx}, {@code dy = y − cy}, {@code σ = (2r+1)/F} with the diameter-to-sigma factor
 * {@code F} (default 6).
 */
public enum GaussianStamp {
    /**
     * mmdet3d {@code draw_heatmap_gaussian} / CenterNet {@code draw_umich_gaussian} / mmdet
     * {@code gen_gaussian_target}, bit for bit: the kernel is built in float64,
     * {@code h = exp(−(dx²+dy²) / (2σ²))} with {@code σ = (2r+1)/F} (the divisor evaluated as
     * {@code (2σ)·σ}), values below {@code eps(float64) · max(h)} = 2⁻⁵² set to 0 (as
     * {@code gaussian2D} does; it only matters for {@code F > 12}), then rounded to float32 and
     * multiplied by {@code k} in float32 ({@code masked_gaussian * k} on a float32 tensor).
     * Integer (int32) centres and radii. CenterNet's NumPy version multiplies by {@code k} before
     * rounding and can therefore differ by one ulp when {@code k ≠ 1}.
     */
    MMDET_CUTOFF(6.0),

    /**
     * NVIDIA ACCV-Lab {@code draw_heatmap}: the same window and σ as {@link #MMDET_CUTOFF} but
     * evaluated in float32 without any cut: {@code σ = (float)(2r+1) / (float)F},
     * {@code var = (2σ)·σ}, {@code e = −(float)(dx²+dy²) / var} (all float32), {@code g =
     * exp(e)} rounded to float32, value {@code k · g} in float32. ACCV-Lab's kernel uses CUDA
     * {@code expf} (a few ulp from correctly rounded), so its maps agree with this mode to within
     * a few ulp, far inside the reference's MSE &lt; 1e-3 test criterion. Integer (int32) centres
     * and radii.
     */
    ACCVLAB_NO_CUT(6.0),

    /**
     * The sub-pixel convention of ACCV-Lab's DALI {@code BoundingBoxToHeatmapConverter}
     * ({@code DrawGaussians}): float32 centres and float32 radii, {@code σ = r · F} with the
     * radius-to-sigma factor {@code F} (default 1/3). The integer centre is {@code (floor(cx),
     * floor(cy))}; the window is columns {@code floor(cx − r) … ceil(cx + r)} and rows
     * {@code floor(cy − r) … ceil(cy + r)} inclusive ({@code cx − r} etc. evaluated in float32),
     * clipped to the map; {@code dx, dy} are the integer offsets from the integer centre. The value
     * is {@code exp(−(dx²+dy²) / (2σ²))} evaluated in float64 ({@code σ = (double) r · F}, divisor
     * {@code (2σ)·σ}), rounded to float32, times {@code k} in float32; no cut. A radius of 0
     * stamps {@code k} at the integer centre and 0 at the other pixels of its window (the limit
     * σ → 0).
     */
    DALI_FLOAT_CENTERS(1.0 / 3.0);

    private final double defaultSigmaFactor;

    GaussianStamp(double defaultSigmaFactor) {
        this.defaultSigmaFactor = defaultSigmaFactor;
    }

    /**
     * The default σ factor: the diameter-to-sigma factor 6 for the integer modes, the
     * radius-to-sigma factor 1/3 for {@link #DALI_FLOAT_CENTERS}.
     */
    public double defaultSigmaFactor() {
        return defaultSigmaFactor;
    }

    /** True for {@link #DALI_FLOAT_CENTERS}: centres and radii are float32; otherwise int32. */
    public boolean floatCenters() {
        return this == DALI_FLOAT_CENTERS;
    }
}
