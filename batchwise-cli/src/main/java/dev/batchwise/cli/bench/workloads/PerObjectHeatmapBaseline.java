package dev.batchwise.cli.bench.workloads;

import dev.batchwise.tensor.Tensor;
import java.util.Arrays;

/**
 * The W3 baseline: mmdet3d's {@code draw_heatmap_gaussian} written the straightforward way, one
 * object at a time on the host — build the {@code (2r+1)²} float64 Gaussian kernel
 * ({@code σ = (2r+1)/6}, values below {@code eps·max} zeroed), clip it at the borders and
 * max-combine it into the map — after zeroing the maps. The result is copied into {@code out}
 * (on a GPU: one host-to-device copy, as {@code torch.from_numpy(...).to(device)} would do).
 */
final class PerObjectHeatmapBaseline {
    private PerObjectHeatmapBaseline() {}

    static void draw(HeatmapBatch b, Tensor out) {
        try (Tensor host = Tensor.of(drawOnHost(b), out.shape())) {
            out.copyFrom(host);
        }
    }

    /** The zeroed maps with every object drawn, flat in {@code (samples[, classes], h, w)} order. */
    static float[] drawOnHost(HeatmapBatch b) {
        int h = b.height();
        int w = b.width();
        float[] maps = new float[b.numMaps() * h * w];
        Arrays.fill(maps, 0f);
        for (int s = 0; s < b.samples(); s++) {
            for (int t = 0; t < b.sizes()[s]; t++) {
                int p = s * b.slots() + t;
                int map = !b.classwise() ? s : s * b.classes() + b.labels()[p];
                drawOne(maps, map * h * w, h, w, b.centers()[2 * p], b.centers()[2 * p + 1], b.radii()[p]);
            }
        }
        return maps;
    }

    private static void drawOne(float[] maps, int base, int h, int w, int x, int y, int r) {
        int d = 2 * r + 1;
        double sigma = d / 6.0;
        double[] kernel = new double[d * d];
        double max = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double yy = i - r;
                double xx = j - r;
                kernel[i * d + j] = Math.exp(-(xx * xx + yy * yy) / (2 * sigma * sigma));
                max = Math.max(max, kernel[i * d + j]);
            }
        }
        for (int i = 0; i < kernel.length; i++) {
            if (kernel[i] < Math.ulp(1.0) * max) {
                kernel[i] = 0;
            }
        }
        int left = Math.min(x, r);
        int right = Math.min(w - x, r + 1);
        int top = Math.min(y, r);
        int bottom = Math.min(h - y, r + 1);
        for (int i = -top; i < bottom; i++) {
            for (int j = -left; j < right; j++) {
                int idx = base + (y + i) * w + x + j;
                maps[idx] = Math.max(maps[idx], (float) kernel[(r + i) * d + r + j]);
            }
        }
    }
}
