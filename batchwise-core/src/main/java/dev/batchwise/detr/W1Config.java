package dev.batchwise.detr;

/**
 * Shapes, seeds and weights of workload W1 (StreamPETR-style loss step, {@code workloads.md}).
 *
 * @param batch samples (8)
 * @param layers decoder layers of the 3D head (6)
 * @param queries 3D queries per sample (644)
 * @param classes classes (10, nuScenes)
 * @param cameras images per sample for the 2D focal head (6)
 * @param featureHeight 2D feature map rows (20), one prediction per location
 * @param featureWidth 2D feature map columns (50)
 * @param stride image pixels per feature cell (16; images are 320 x 800)
 * @param seed3d seed of the 3D data (2026: GT counts uniform in [10, 80] first)
 * @param seed2d seed of the 2D data (2027: GT counts uniform in [0, 30] first)
 */
public record W1Config(int batch, int layers, int queries, int classes, int cameras, int featureHeight,
                       int featureWidth, int stride, long seed3d, long seed2d) {
    /** 3D GT objects per sample: uniform integer in [MIN_3D, MAX_3D]. */
    public static final int MIN_GT_3D = 10;
    /** Upper bound (inclusive) of 3D GT per sample. */
    public static final int MAX_GT_3D = 80;
    /** Upper bound (inclusive) of 2D GT per image (lower bound 0). */
    public static final int MAX_GT_2D = 30;
    /** 3D box values (cx, cy, log w, log l, cz, log h, sin, cos, vx, vy). */
    public static final int BOX_3D = 10;
    /** Half extent of the point-cloud range in metres. */
    public static final double RANGE = 51.2;

    /** Validates the extents. */
    public W1Config {
        if (batch < 1 || layers < 1 || queries < MAX_GT_3D || classes < 1 || cameras < 1 || featureHeight < 1
                || featureWidth < 1 || stride < 1) {
            throw new IllegalArgumentException("W1 extents must be positive and queries >= " + MAX_GT_3D
                    + " (so every GT can be matched), got " + "batch " + batch + ", layers " + layers
                    + ", queries " + queries + ", classes " + classes + ", cameras " + cameras + ", feature "
                    + featureHeight + "x" + featureWidth + ", stride " + stride);
        }
        if (featureHeight * featureWidth < MAX_GT_2D) {
            throw new IllegalArgumentException("the 2D head needs at least " + MAX_GT_2D
                    + " predictions per image, got " + featureHeight * featureWidth);
        }
    }

    /** The published W1 configuration: batch 8, 6 layers, 644 queries, 10 classes, 6 cameras, 20 x 50, stride 16. */
    public static W1Config streamPetr() {
        return new W1Config(8, 6, 644, 10, 6, 20, 50, 16, 2026, 2027);
    }

    /** The same with another batch size. */
    public W1Config withBatch(int b) {
        return new W1Config(b, layers, queries, classes, cameras, featureHeight, featureWidth, stride, seed3d, seed2d);
    }

    /** The same with another number of decoder layers. */
    public W1Config withLayers(int l) {
        return new W1Config(batch, l, queries, classes, cameras, featureHeight, featureWidth, stride, seed3d, seed2d);
    }

    /** The same with seeds {@code seed} (3D) and {@code seed + 1} (2D). */
    public W1Config withSeed(long seed) {
        return new W1Config(batch, layers, queries, classes, cameras, featureHeight, featureWidth, stride, seed,
                seed + 1);
    }

    /** Images of the 2D head: {@code batch * cameras}. */
    public int images() {
        return batch * cameras;
    }

    /** 2D predictions per image: one per feature location. */
    public int predictions2d() {
        return featureHeight * featureWidth;
    }

    /** Image width in pixels. */
    public int imageWidth() {
        return featureWidth * stride;
    }

    /** Image height in pixels. */
    public int imageHeight() {
        return featureHeight * stride;
    }
}
