package dev.batchwise.cli.render;

/**
 * Colour maps for heatmap pictures: values in [0, 1] (clamped; NaN shows as black) to sRGB,
 * interpolated linearly between a few anchor colours of the named palettes.
 */
public enum Colormap {
    /** Dark violet → blue → green → yellow (anchors of matplotlib's viridis). */
    VIRIDIS(0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725),
    /** Black → purple → red → orange → pale yellow (anchors of matplotlib's inferno). */
    INFERNO(0x000004, 0x57106e, 0xbc3754, 0xf98e09, 0xfcffa4),
    /** Black → red → yellow → white. */
    HOT(0x000000, 0xe60000, 0xffd200, 0xffffff),
    /** Black → white. */
    GRAY(0x000000, 0xffffff);

    private final int[] anchors;

    Colormap(int... anchors) {
        this.anchors = anchors;
    }

    /** The 0xRRGGBB colour of {@code v}. */
    public int rgb(float v) {
        if (Float.isNaN(v)) {
            return 0;
        }
        double t = Math.min(1, Math.max(0, v)) * (anchors.length - 1);
        int i = Math.min((int) t, anchors.length - 2);
        double f = t - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        return mix(a >> 16, b >> 16, f) << 16 | mix(a >> 8, b >> 8, f) << 8 | mix(a, b, f);
    }

    private static int mix(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
    }
}
