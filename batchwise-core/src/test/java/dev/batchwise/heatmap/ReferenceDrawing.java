package dev.batchwise.heatmap;

/**
 * Per-object reference drawing, written from the published algorithms independently of the
 * implementation (different clipping code, {@link StrictMath#exp}, whole-kernel construction):
 * <ul>
 *   <li>{@link #mmdet}: mmdet3d {@code draw_heatmap_gaussian} — {@code gaussian_2d} in float64
 *       with the {@code eps · max} cut, Python-style slicing with {@code left = min(x, r)},
 *       {@code right = min(W − x, r + 1)}, …, skipped when either slice is empty;</li>
 *   <li>{@link #accvlab}: ACCV-Lab's kernel loop {@code i ∈ [−min(y, r), min(H − y, r + 1))} in
 *       float32 arithmetic;</li>
 *   <li>{@link #dali}: the DALI converter's floor/ceil window with float radius, σ = r·F.</li>
 * </ul>
 * Maps are one flat {@code float[]} of {@code (N, H, W)}.
 */
final class ReferenceDrawing {
    private ReferenceDrawing() {}

    static void mmdet(float[] heat, int map, int h, int w, int x, int y, int r, float k, double factor) {
        int diameter = 2 * r + 1;
        double sigma = diameter / factor;
        double[][] g = new double[diameter][diameter];
        double max = 0;
        for (int a = 0; a < diameter; a++) {
            for (int b = 0; b < diameter; b++) {
                double yy = a - r;
                double xx = b - r;
                g[a][b] = StrictMath.exp(-(xx * xx + yy * yy) / (2 * sigma * sigma));
                max = Math.max(max, g[a][b]);
            }
        }
        double eps = Math.ulp(1.0);
        for (double[] row : g) {
            for (int b = 0; b < diameter; b++) {
                if (row[b] < eps * max) {
                    row[b] = 0;
                }
            }
        }
        int left = Math.min(x, r);
        int right = Math.min(w - x, r + 1);
        int top = Math.min(y, r);
        int bottom = Math.min(h - y, r + 1);
        int[] hr = pySlice(y - top, y + bottom, h);
        int[] hc = pySlice(x - left, x + right, w);
        int[] gr = pySlice(r - top, r + bottom, diameter);
        int[] gc = pySlice(r - left, r + right, diameter);
        if (hr[1] <= hr[0] || hc[1] <= hc[0] || gr[1] <= gr[0] || gc[1] <= gc[0]) {
            return;
        }
        if (hr[1] - hr[0] != gr[1] - gr[0] || hc[1] - hc[0] != gc[1] - gc[0]) {
            throw new AssertionError("slices disagree (torch.max would fail)");
        }
        for (int a = 0; a < hr[1] - hr[0]; a++) {
            for (int b = 0; b < hc[1] - hc[0]; b++) {
                int idx = (map * h + hr[0] + a) * w + hc[0] + b;
                float v = (float) g[gr[0] + a][gc[0] + b] * k;
                heat[idx] = Math.max(heat[idx], v);
            }
        }
    }

    /** Python's {@code seq[start:stop]} bounds for a sequence of length {@code n}. */
    private static int[] pySlice(int start, int stop, int n) {
        int s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        int e = stop < 0 ? Math.max(0, stop + n) : Math.min(stop, n);
        return new int[] {s, Math.max(s, e)};
    }

    static void accvlab(float[] heat, int map, int h, int w, int x, int y, int r, float k, double factor) {
        float sigma = (2 * r + 1) / (float) factor;
        float var = 2 * sigma * sigma;
        for (int i = -Math.min(y, r); i < Math.min(h - y, r + 1); i++) {
            for (int j = -Math.min(x, r); j < Math.min(w - x, r + 1); j++) {
                float e = -(float) (i * i + j * j) / var;
                float v = k * (float) StrictMath.exp(e);
                int idx = (map * h + y + i) * w + x + j;
                heat[idx] = Math.max(heat[idx], v);
            }
        }
    }

    static void dali(float[] heat, int map, int h, int w, float cx, float cy, float r, float k, double factor) {
        int icx = (int) Math.floor(cx);
        int icy = (int) Math.floor(cy);
        double sigma = r * factor;
        for (int row = (int) Math.floor(cy - r); row <= (int) Math.ceil(cy + r); row++) {
            for (int col = (int) Math.floor(cx - r); col <= (int) Math.ceil(cx + r); col++) {
                if (row < 0 || row >= h || col < 0 || col >= w) {
                    continue;
                }
                int dx = col - icx;
                int dy = row - icy;
                double g = dx == 0 && dy == 0 ? 1.0 : StrictMath.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                float v = (float) g * k;
                int idx = (map * h + row) * w + col;
                heat[idx] = Math.max(heat[idx], v);
            }
        }
    }
}
