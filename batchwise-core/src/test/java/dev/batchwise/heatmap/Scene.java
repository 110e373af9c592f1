package dev.batchwise.heatmap;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A random drawing problem held per sample — {@code B} samples of up to {@code M} objects, labels
 * in {@code [0, C)}, maps {@code H × W} — that can be drawn through any of the three input formats
 * and through {@link ReferenceDrawing}. Objects overlap, straddle and miss the borders, include
 * radius 0 and occasionally radii above the CPU table limit; fillers hold valid-looking objects that
 * must not be drawn.
 */
final class Scene {
    final int b;
    final int c;
    final int h;
    final int w;
    final int m;
    final GaussianStamp stamp;
    final int[] sizes;
    final float[] x;
    final float[] y;
    final float[] r;
    final int[] labels;
    final float[] initial;

    Scene(GaussianStamp stamp, int b, int c, int h, int w, int m, int[] sizes, float[] x, float[] y, float[] r,
          int[] labels, float[] initial) {
        this.stamp = stamp;
        this.b = b;
        this.c = c;
        this.h = h;
        this.w = w;
        this.m = m;
        this.sizes = sizes;
        this.x = x;
        this.y = y;
        this.r = r;
        this.labels = labels;
        this.initial = initial;
    }

    static Scene random(GaussianStamp stamp, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int b = 1 + rnd.nextInt(5);
        int h = 1 + rnd.nextInt(40);
        int w = 1 + rnd.nextInt(40);
        int m = rnd.nextInt(25);
        int[] sizes = new int[b];
        float[] x = new float[b * m];
        float[] y = new float[b * m];
        float[] r = new float[b * m];
        int[] labels = new int[b * m];
        for (int s = 0; s < b; s++) {
            sizes[s] = m == 0 || rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(m + 1);
            for (int t = 0; t < m; t++) {
                int p = s * m + t;
                if (t >= sizes[s]) { // filler: would be visible if drawn
                    x[p] = 2;
                    y[p] = 2;
                    r[p] = 1;
                    labels[p] = 0;
                    continue;
                }
                int maxR = rnd.nextInt(40) == 0 ? 300 : 8;
                if (stamp.floatCenters()) {
                    r[p] = rnd.nextInt(8) == 0 ? 0f : (float) (rnd.nextDouble() * Math.min(maxR, 9));
                    x[p] = (float) (rnd.nextDouble() * (w + 2 * r[p] + 6) - r[p] - 3);
                    y[p] = (float) (rnd.nextDouble() * (h + 2 * r[p] + 6) - r[p] - 3);
                } else {
                    r[p] = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(maxR + 1);
                    x[p] = rnd.nextInt(w + 2 * (int) r[p] + 6) - r[p] - 3;
                    y[p] = rnd.nextInt(h + 2 * (int) r[p] + 6) - r[p] - 3;
                }
                labels[p] = rnd.nextInt(classes);
            }
        }
        float[] initial = new float[b * classes * h * w];
        if (rnd.nextBoolean()) {
            for (int i = 0; i < initial.length; i++) {
                int kind = rnd.nextInt(20);
                initial[i] = kind == 0 ? (float) rnd.nextDouble() : kind == 1 ? -0.0f : kind == 2 ? -0.25f : 0f;
            }
            if (initial.length > 0) {
                initial[rnd.nextInt(initial.length)] = Float.NaN;
            }
        }
        return new Scene(stamp, b, classes, h, w, m, sizes, x, y, r, labels, initial);
    }

    /** The maps after drawing every valid object with the reference, flat {@code (B·C, H, W)}. */
    float[] reference(GaussianDrawOptions o) {
        float[] heat = o.zeroFill() ? new float[initial.length] : initial.clone();
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < sizes[s]; t++) {
                int p = s * m + t;
                int map = s * c + labels[p];
                switch (o.stamp()) {
                    case MMDET_CUTOFF -> ReferenceDrawing.mmdet(heat, map, h, w, (int) x[p], (int) y[p], (int) r[p],
                            o.k(), o.sigmaFactor());
                    case ACCVLAB_NO_CUT -> ReferenceDrawing.accvlab(heat, map, h, w, (int) x[p], (int) y[p],
                            (int) r[p], o.k(), o.sigmaFactor());
                    case DALI_FLOAT_CENTERS -> ReferenceDrawing.dali(heat, map, h, w, x[p], y[p], r[p], o.k(),
                            o.sigmaFactor());
                }
            }
        }
        return heat;
    }

    int validCount() {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }

    Tensor maps(Device d, boolean classwise) {
        Tensor t = Tensor.of(initial, classwise ? new long[] {b, c, h, w} : new long[] {(long) b * c, h, w});
        return t.to(d);
    }

    Tensor paddedCenters(Device d) {
        float[] xy = new float[2 * b * m];
        for (int p = 0; p < b * m; p++) {
            xy[2 * p] = x[p];
            xy[2 * p + 1] = y[p];
        }
        return coords(xy, d, b, m, 2);
    }

    Tensor paddedRadii(Device d) {
        return coords(r, d, b, m);
    }

    Tensor paddedLabels(Device d) {
        return Tensor.of(labels, b, m).to(d);
    }

    Tensor sampleSizes(Device d) {
        long[] s = new long[b];
        for (int i = 0; i < b; i++) {
            s[i] = sizes[i];
        }
        return Tensor.of(s, b).to(d);
    }

    /** Concatenated inputs: centres (T, 2), radii (T), map index (T) = b·C + label. */
    Tensor[] concatenated(Device d) {
        int n = validCount();
        float[] xy = new float[2 * n];
        float[] rr = new float[n];
        int[] idx = new int[n];
        int i = 0;
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < sizes[s]; t++) {
                int p = s * m + t;
                xy[2 * i] = x[p];
                xy[2 * i + 1] = y[p];
                rr[i] = r[p];
                idx[i++] = s * c + labels[p];
            }
        }
        return new Tensor[] {coords(xy, d, n, 2), coords(rr, d, n), Tensor.of(idx, n).to(d)};
    }

    private Tensor coords(float[] v, Device d, long... shape) {
        if (stamp.floatCenters()) {
            return Tensor.of(v, shape).to(d);
        }
        int[] iv = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            iv[i] = (int) v[i];
        }
        return Tensor.of(iv, shape).to(d);
    }
}
