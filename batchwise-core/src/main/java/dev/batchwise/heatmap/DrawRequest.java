package dev.batchwise.heatmap;

import dev.batchwise.tensor.Tensor;

/**
 * One validated drawing call in a layout-neutral form, consumed by both backends.
 *
 * <p>Objects live in {@code slots} consecutive positions per sample ({@code samples} samples; the
 * concatenated format is one sample of {@code T} slots, all valid). Object {@code (b, t)} is at flat
 * position {@code b·slots + t} of {@code centers} ({@code samples·slots} (x, y) pairs, in any
 * contiguous shape such as {@code (B, M, 2)}) and {@code radii}; it is drawn when {@code t < sampleSizes[b]} (always, when {@code sampleSizes} is
 * null) into map:
 * <ul>
 *   <li>{@link Format#CONCATENATED}: {@code keys[t]} (the map index);</li>
 *   <li>{@link Format#BATCHED}: {@code b};</li>
 *   <li>{@link Format#CLASSWISE}: {@code b·classes + keys[b·slots + t]} (the label).</li>
 * </ul>
 *
 * @param maps float32, {@code numMaps·height·width} elements, modified in place
 * @param centers int32 or float32 (by the stamp mode), {@code samples·slots·2} elements
 * @param radii same dtype as centers, {@code samples·slots} elements
 * @param keys int32 or int64 map indices or labels; null for {@link Format#BATCHED}
 * @param sampleSizes int32 or int64 {@code (samples)}; null for {@link Format#CONCATENATED}
 */
record DrawRequest(Tensor maps, int numMaps, int height, int width, Format format,
                   Tensor centers, Tensor radii, Tensor keys, Tensor sampleSizes,
                   int samples, int slots, int classes, GaussianDrawOptions options) {

    /** How objects are assigned to maps. Codes (ordinal) are passed to the kernels. */
    enum Format { CONCATENATED, BATCHED, CLASSWISE }

    /** The mode code of {@link GaussianValues}. */
    int mode() {
        return options.stamp().ordinal();
    }
}
