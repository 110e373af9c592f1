package dev.batchwise.heatmap;

/**
 * Immutable settings of one drawing call: the {@link GaussianStamp} mode, the scale {@code k}
 * (applied before the max-combine), the σ factor and whether the maps are zero-filled in the same
 * pass.
 *
 * <pre>{@code
 * var opts = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withK(0.8f).withZeroFill(true);
 * GaussianHeatmaps.drawBatchedInto(maps, centers, radii, opts);
 * }</pre>
 */
public final class GaussianDrawOptions {
    private final GaussianStamp stamp;
    private final float k;
    private final double sigmaFactor;
    private final boolean zeroFill;

    private GaussianDrawOptions(GaussianStamp stamp, float k, double sigmaFactor, boolean zeroFill) {
        if (stamp == null) {
            throw new IllegalArgumentException("stamp must not be null");
        }
        if (!Float.isFinite(k)) {
            throw new IllegalArgumentException("k must be finite, got " + k);
        }
        if (!(sigmaFactor > 0) || !Double.isFinite(sigmaFactor)) {
            throw new IllegalArgumentException("sigmaFactor must be finite and > 0, got " + sigmaFactor);
        }
        this.stamp = stamp;
        this.k = k;
        this.sigmaFactor = sigmaFactor;
        this.zeroFill = zeroFill;
    }

    /** {@code stamp} with {@code k = 1}, its {@link GaussianStamp#defaultSigmaFactor()} and no zero-fill. */
    public static GaussianDrawOptions of(GaussianStamp stamp) {
        if (stamp == null) {
            throw new IllegalArgumentException("stamp must not be null");
        }
        return new GaussianDrawOptions(stamp, 1.0f, stamp.defaultSigmaFactor(), false);
    }

    /** The same options with scale {@code k} (finite; ACCV-Lab's {@code k_scale}, mmdet's {@code k}). */
    public GaussianDrawOptions withK(float k) {
        return new GaussianDrawOptions(stamp, k, sigmaFactor, zeroFill);
    }

    /**
     * The same options with σ factor {@code f > 0}: the diameter-to-sigma factor
     * ({@code σ = (2r+1)/f}, ACCV-Lab's {@code diameter_to_sigma_factor}) for the integer modes,
     * the radius-to-sigma factor ({@code σ = r·f}) for {@link GaussianStamp#DALI_FLOAT_CENTERS}.
     */
    public GaussianDrawOptions withSigmaFactor(double f) {
        return new GaussianDrawOptions(stamp, k, f, zeroFill);
    }

    /** The same options, setting every map element to 0 before drawing when {@code zeroFill}. */
    public GaussianDrawOptions withZeroFill(boolean zeroFill) {
        return new GaussianDrawOptions(stamp, k, sigmaFactor, zeroFill);
    }

    /** The stamp mode. */
    public GaussianStamp stamp() {
        return stamp;
    }

    /** The scale applied to every stamp value before the max-combine. */
    public float k() {
        return k;
    }

    /** The σ factor (see {@link #withSigmaFactor}). */
    public double sigmaFactor() {
        return sigmaFactor;
    }

    /** Whether the maps are set to 0 before drawing, in the same pass. */
    public boolean zeroFill() {
        return zeroFill;
    }

    @Override
    public String toString() {
        return "GaussianDrawOptions[" + stamp + ", k=" + k + ", sigmaFactor=" + sigmaFactor + ", zeroFill=" + zeroFill + "]";
    }
}
