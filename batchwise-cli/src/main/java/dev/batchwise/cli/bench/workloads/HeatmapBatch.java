package dev.batchwise.cli.bench.workloads;

import java.util.SplittableRandom;

/**
 * The seeded objects of one W3 workload (workloads.md): {@code samples} samples of up to
 * {@code slots} objects with integer centres uniform over the map, integer radii uniform in
 * {@code [minRadius, maxRadius]} and labels uniform over {@code classes}, padded per sample
 * (fillers are zero). Also the demo batch of {@code batchwise render heatmap}.
 */
public record HeatmapBatch(String id, boolean classwise, int samples, int classes, int height, int width,
                           int slots, int[] sizes, int[] centers, int[] radii, int[] labels) {

    /**
     * The workload {@code id} ("W3-a" … "W3-d") with its own seed (301 … 304): W3-a batched (one
     * map per sample), the others class-wise.
     */
    public static HeatmapBatch w3(String id) {
        return w3(id, 301 + "abcd".indexOf(id.length() == 4 ? id.charAt(3) : '?'));
    }

    /** The shape of workload {@code id} with objects drawn from {@code seed}. */
    public static HeatmapBatch w3(String id, long seed) {
        return switch (id) {
            case "W3-a" -> generate(id, seed, false, 48, 1, 20, 50, 0, 50, 1, 4);
            case "W3-b" -> generate(id, seed, true, 48, 20, 20, 50, 0, 50, 1, 4);
            case "W3-c" -> generate(id, seed, true, 8, 10, 128, 128, 20, 100, 2, 8);
            case "W3-d" -> generate(id, seed, true, 8, 10, 180, 180, 100, 500, 2, 12);
            default -> throw new IllegalArgumentException("unknown heatmap workload '" + id
                    + "' (expected W3-a, W3-b, W3-c or W3-d)");
        };
    }

    /**
     * Generates a batch: per-sample counts uniform in {@code [minCount, maxCount]}; {@code classwise}
     * false means one map per sample ({@code classes} must then be 1).
     */
    public static HeatmapBatch generate(String id, long seed, boolean classwise, int samples, int classes,
                                        int height, int width, int minCount, int maxCount, int minRadius,
                                        int maxRadius) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] sizes = new int[samples];
        int[] centers = new int[samples * maxCount * 2];
        int[] radii = new int[samples * maxCount];
        int[] labels = new int[samples * maxCount];
        for (int s = 0; s < samples; s++) {
            sizes[s] = minCount + rnd.nextInt(maxCount - minCount + 1);
            for (int t = 0; t < sizes[s]; t++) {
                int p = s * maxCount + t;
                centers[2 * p] = rnd.nextInt(width);
                centers[2 * p + 1] = rnd.nextInt(height);
                radii[p] = minRadius + rnd.nextInt(maxRadius - minRadius + 1);
                labels[p] = rnd.nextInt(classes);
            }
        }
        return new HeatmapBatch(id, classwise, samples, classes, height, width, maxCount, sizes, centers, radii, labels);
    }

    /** Number of maps: {@code samples · classes}. */
    public int numMaps() {
        return samples * classes;
    }

    /** Total number of valid objects. */
    public int objects() {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }
}
