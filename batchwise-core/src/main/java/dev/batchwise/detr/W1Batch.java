package dev.batchwise.detr;

import dev.batchwise.cpu.HostArrays;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * One seeded W1 batch: predictions and padded ground truth of the StreamPETR-style 3D head and of
 * the 2D focal head ({@code workloads.md}, W1). Float tensors are float32, index tensors int64
 * (heatmap centres and radii int32).
 *
 * <p>3D head ({@code L} layers, {@code B} samples, {@code Q} queries, {@code C} classes,
 * {@code M3} = largest GT count): {@code logits3d (L, B, Q, C)}, {@code boxes3d (L, B, Q, 10)},
 * {@code gtLabels3d (B, M3)}, {@code gtBoxes3d (B, M3, 10)}, {@code gtCounts3d (B)}.
 *
 * <p>2D head ({@code I = B * cameras} images, {@code P = H_f * W_f} predictions, {@code M2}):
 * {@code logits2d (I, P, C)}, {@code boxes2d (I, P, 4)} normalised {@code (cx, cy, w, h)},
 * {@code centers2d (I, P, 2)} normalised, {@code centerness (I, H_f, W_f)} logits;
 * GT {@code gtLabels2d (I, M2)}, {@code gtBoxes2d (I, M2, 4)} pixel {@code (x1, y1, x2, y2)},
 * {@code gtBoxesNorm2d (I, M2, 4)} normalised {@code (cx, cy, w, h)} (the L1 target),
 * {@code gtCenters2d (I, M2, 2)} pixels, {@code gtCentersNorm2d (I, M2, 2)} (the centre L1 target),
 * {@code heatCenters (I, M2, 2)} int32 feature cells {@code trunc(centre / stride)},
 * {@code heatRadii (I, M2)} int32 {@code max(1, ceil(min distance from the centre to the box edges / stride))},
 * {@code gtCounts2d (I)}.
 *
 * <p>Generation, in this order from {@code SplittableRandom(seed3d)}: the B GT counts
 * ({@code nextInt(10, 81)}); per sample its GT (label, then cx, cy ∈ ±51.2 m, log w, log l, cz,
 * log h, yaw as sin/cos, vx, vy); per sample a query permutation whose first
 * {@code ceil(1.5 n)} queries are "matched-looking" (query {@code perm[i]} follows GT {@code i mod n});
 * per layer, sample and query: logits ~ N(0, 1) with +2 on the followed GT's class, boxes = GT + N(0, 0.3)
 * for matched-looking queries, uniform in the box ranges otherwise. The 2D data follow from
 * {@code SplittableRandom(seed2d)} the same way (counts {@code nextInt(0, 31)}, boxes inside the
 * 800 x 320 image, noise 0.02 on normalised boxes and 0.01 on centres, centerness logits N(-2, 1)).
 */
public final class W1Batch implements AutoCloseable {
    private static final double NEAR_BIAS = 2.0;

    final W1Config config;
    final long[] counts3d;
    final long[] counts2d;
    final Tensor logits3d;
    final Tensor boxes3d;
    final Tensor gtLabels3d;
    final Tensor gtBoxes3d;
    final Tensor gtCounts3d;
    final Tensor logits2d;
    final Tensor boxes2d;
    final Tensor centers2d;
    final Tensor centerness;
    final Tensor gtLabels2d;
    final Tensor gtBoxes2d;
    final Tensor gtBoxesNorm2d;
    final Tensor gtCenters2d;
    final Tensor gtCentersNorm2d;
    final Tensor heatCenters;
    final Tensor heatRadii;
    final Tensor gtCounts2d;

    private W1Batch(W1Config config, long[] counts3d, long[] counts2d, Tensor[] t) {
        this.config = config;
        this.counts3d = counts3d;
        this.counts2d = counts2d;
        this.logits3d = t[0];
        this.boxes3d = t[1];
        this.gtLabels3d = t[2];
        this.gtBoxes3d = t[3];
        this.gtCounts3d = t[4];
        this.logits2d = t[5];
        this.boxes2d = t[6];
        this.centers2d = t[7];
        this.centerness = t[8];
        this.gtLabels2d = t[9];
        this.gtBoxes2d = t[10];
        this.gtBoxesNorm2d = t[11];
        this.gtCenters2d = t[12];
        this.gtCentersNorm2d = t[13];
        this.heatCenters = t[14];
        this.heatRadii = t[15];
        this.gtCounts2d = t[16];
    }

    private Tensor[] tensors() {
        return new Tensor[] {logits3d, boxes3d, gtLabels3d, gtBoxes3d, gtCounts3d, logits2d, boxes2d, centers2d,
            centerness, gtLabels2d, gtBoxes2d, gtBoxesNorm2d, gtCenters2d, gtCentersNorm2d, heatCenters, heatRadii,
            gtCounts2d};
    }

    /** Generates the batch of {@code config} on the CPU. */
    public static W1Batch generate(W1Config config) {
        Tensor[] t = new Tensor[17];
        long[] c3 = Head3d.generate(config, t);
        long[] c2 = Head2d.generate(config, t);
        return new W1Batch(config, c3, c2, t);
    }

    /** A copy of every tensor on {@code device} (this batch when already there). */
    public W1Batch to(Device device) {
        Tensor[] src = tensors();
        Tensor[] dst = new Tensor[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i].to(device);
        }
        return new W1Batch(config, counts3d, counts2d, dst);
    }

    /** The configuration. */
    public W1Config config() {
        return config;
    }

    /** The device of the tensors. */
    public Device device() {
        return logits3d.device();
    }

    /** 3D GT count per sample (host copy). */
    public long[] gtCounts3dHost() {
        return counts3d.clone();
    }

    /** 2D GT count per image (host copy). */
    public long[] gtCounts2dHost() {
        return counts2d.clone();
    }

    /** Class logits of the 3D head {@code (L, B, Q, C)}. */
    public Tensor logits3d() {
        return logits3d;
    }

    /** Box predictions of the 3D head {@code (L, B, Q, 10)}. */
    public Tensor boxes3d() {
        return boxes3d;
    }

    /** GT class labels of the 3D head {@code (B, M3)} int64 (padding rows hold 0). */
    public Tensor gtLabels3d() {
        return gtLabels3d;
    }

    /** GT boxes of the 3D head {@code (B, M3, 10)}, in the normalised form the head regresses. */
    public Tensor gtBoxes3d() {
        return gtBoxes3d;
    }

    /** 3D GT count per sample {@code (B)} int64. */
    public Tensor gtCounts3d() {
        return gtCounts3d;
    }

    /** Class logits of the 2D head {@code (I, P, C)}. */
    public Tensor logits2d() {
        return logits2d;
    }

    /** Normalised {@code (cx, cy, w, h)} predictions of the 2D head {@code (I, P, 4)}. */
    public Tensor boxes2d() {
        return boxes2d;
    }

    /** Normalised centre predictions of the 2D head {@code (I, P, 2)}. */
    public Tensor centers2d() {
        return centers2d;
    }

    /** Centerness logits {@code (I, H_f, W_f)}. */
    public Tensor centerness() {
        return centerness;
    }

    /** Frees every tensor. */
    @Override
    public void close() {
        for (Tensor x : tensors()) {
            x.close();
        }
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** For each query, the GT it follows, or -1: the first {@code ceil(1.5 n)} of a permutation. */
    static int[] followedGt(SplittableRandom r, int queries, int n) {
        int[] perm = HostArrays.permutation(r, queries);
        int[] follow = new int[queries];
        java.util.Arrays.fill(follow, -1);
        int near = n == 0 ? 0 : Math.min(queries, (3 * n + 1) / 2);
        for (int i = 0; i < near; i++) {
            follow[perm[i]] = i % n;
        }
        return follow;
    }

    static double biasedLogit(SplittableRandom r, boolean biased) {
        return r.nextGaussian() + (biased ? NEAR_BIAS : 0);
    }

    /** 3D head generation. */
    private static final class Head3d {
        static long[] generate(W1Config cfg, Tensor[] out) {
            SplittableRandom r = new SplittableRandom(cfg.seed3d());
            int b = cfg.batch();
            long[] counts = new long[b];
            int m = 1;
            for (int s = 0; s < b; s++) {
                counts[s] = r.nextInt(W1Config.MIN_GT_3D, W1Config.MAX_GT_3D + 1);
                m = Math.max(m, (int) counts[s]);
            }
            int d = W1Config.BOX_3D;
            long[] labels = new long[b * m];
            double[] gt = new double[b * m * d];
            for (int s = 0; s < b; s++) {
                for (int j = 0; j < counts[s]; j++) {
                    labels[s * m + j] = r.nextInt(cfg.classes());
                    randomBox(r, gt, (s * m + j) * d);
                }
            }
            int l = cfg.layers();
            int q = cfg.queries();
            int c = cfg.classes();
            int[][] follow = new int[b][];
            for (int s = 0; s < b; s++) {
                follow[s] = followedGt(r, q, (int) counts[s]);
            }
            float[] logits = new float[l * b * q * c];
            float[] boxes = new float[l * b * q * d];
            double[] tmp = new double[d];
            for (int layer = 0; layer < l; layer++) {
                for (int s = 0; s < b; s++) {
                    for (int i = 0; i < q; i++) {
                        int g = follow[s][i];
                        int row = (layer * b + s) * q + i;
                        for (int k = 0; k < c; k++) {
                            logits[row * c + k] = (float) biasedLogit(r, g >= 0 && labels[s * m + g] == k);
                        }
                        if (g >= 0) {
                            for (int k = 0; k < d; k++) {
                                boxes[row * d + k] = (float) (gt[(s * m + g) * d + k] + 0.3 * r.nextGaussian());
                            }
                        } else {
                            randomBox(r, tmp, 0);
                            for (int k = 0; k < d; k++) {
                                boxes[row * d + k] = (float) tmp[k];
                            }
                        }
                    }
                }
            }
            float[] gtf = new float[gt.length];
            for (int i = 0; i < gt.length; i++) {
                gtf[i] = (float) gt[i];
            }
            out[0] = Tensor.of(logits, l, b, q, c);
            out[1] = Tensor.of(boxes, l, b, q, d);
            out[2] = Tensor.of(labels, b, m);
            out[3] = Tensor.of(gtf, b, m, d);
            out[4] = Tensor.of(counts.clone(), b);
            return counts;
        }

        /** A normalised StreamPETR box: cx, cy, log w, log l, cz, log h, sin, cos, vx, vy. */
        static void randomBox(SplittableRandom r, double[] v, int at) {
            v[at] = uniform(r, -W1Config.RANGE, W1Config.RANGE);
            v[at + 1] = uniform(r, -W1Config.RANGE, W1Config.RANGE);
            v[at + 2] = Math.log(uniform(r, 0.5, 3.0));
            v[at + 3] = Math.log(uniform(r, 0.5, 12.0));
            v[at + 4] = uniform(r, -4.0, 2.0);
            v[at + 5] = Math.log(uniform(r, 0.8, 4.0));
            double yaw = uniform(r, -Math.PI, Math.PI);
            v[at + 6] = Math.sin(yaw);
            v[at + 7] = Math.cos(yaw);
            v[at + 8] = uniform(r, -8.0, 8.0);
            v[at + 9] = uniform(r, -8.0, 8.0);
        }
    }

    /** 2D focal head generation. */
    private static final class Head2d {
        static long[] generate(W1Config cfg, Tensor[] out) {
            SplittableRandom r = new SplittableRandom(cfg.seed2d());
            int n = cfg.images();
            long[] counts = new long[n];
            int m = 1;
            for (int i = 0; i < n; i++) {
                counts[i] = r.nextInt(0, W1Config.MAX_GT_2D + 1);
                m = Math.max(m, (int) counts[i]);
            }
            double iw = cfg.imageWidth();
            double ih = cfg.imageHeight();
            int stride = cfg.stride();
            long[] labels = new long[n * m];
            float[] xyxy = new float[n * m * 4];
            float[] norm = new float[n * m * 4];
            float[] ctr = new float[n * m * 2];
            float[] ctrNorm = new float[n * m * 2];
            int[] heatCtr = new int[n * m * 2];
            int[] radii = new int[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < counts[i]; j++) {
                    int g = i * m + j;
                    labels[g] = r.nextInt(cfg.classes());
                    double w = uniform(r, 16, Math.min(200, iw));
                    double h = uniform(r, 16, Math.min(120, ih));
                    double x1 = uniform(r, 0, iw - w);
                    double y1 = uniform(r, 0, ih - h);
                    double cx = x1 + w / 2;
                    double cy = y1 + h / 2;
                    xyxy[g * 4] = (float) x1;
                    xyxy[g * 4 + 1] = (float) y1;
                    xyxy[g * 4 + 2] = (float) (x1 + w);
                    xyxy[g * 4 + 3] = (float) (y1 + h);
                    norm[g * 4] = (float) (cx / iw);
                    norm[g * 4 + 1] = (float) (cy / ih);
                    norm[g * 4 + 2] = (float) (w / iw);
                    norm[g * 4 + 3] = (float) (h / ih);
                    ctr[g * 2] = (float) cx;
                    ctr[g * 2 + 1] = (float) cy;
                    ctrNorm[g * 2] = (float) (cx / iw);
                    ctrNorm[g * 2 + 1] = (float) (cy / ih);
                    heatCtr[g * 2] = (int) (cx / stride);
                    heatCtr[g * 2 + 1] = (int) (cy / stride);
                    double edge = Math.min(Math.min(cx - x1, x1 + w - cx), Math.min(cy - y1, y1 + h - cy));
                    radii[g] = Math.max(1, (int) Math.ceil(edge / stride));
                }
            }
            int p = cfg.predictions2d();
            int c = cfg.classes();
            float[] logits = new float[n * p * c];
            float[] boxes = new float[n * p * 4];
            float[] centers = new float[n * p * 2];
            for (int i = 0; i < n; i++) {
                int[] follow = followedGt(r, p, (int) counts[i]);
                for (int q = 0; q < p; q++) {
                    int g = follow[q] < 0 ? -1 : i * m + follow[q];
                    int row = i * p + q;
                    for (int k = 0; k < c; k++) {
                        logits[row * c + k] = (float) biasedLogit(r, g >= 0 && labels[g] == k);
                    }
                    if (g >= 0) {
                        for (int k = 0; k < 4; k++) {
                            double v = norm[g * 4 + k] + 0.02 * r.nextGaussian();
                            boxes[row * 4 + k] = (float) (k >= 2 ? Math.abs(v) + 1e-3 : v);
                        }
                        centers[row * 2] = (float) (ctrNorm[g * 2] + 0.01 * r.nextGaussian());
                        centers[row * 2 + 1] = (float) (ctrNorm[g * 2 + 1] + 0.01 * r.nextGaussian());
                    } else {
                        boxes[row * 4] = (float) r.nextDouble();
                        boxes[row * 4 + 1] = (float) r.nextDouble();
                        boxes[row * 4 + 2] = (float) uniform(r, 0.02, 0.25);
                        boxes[row * 4 + 3] = (float) uniform(r, 0.05, 0.4);
                        centers[row * 2] = (float) r.nextDouble();
                        centers[row * 2 + 1] = (float) r.nextDouble();
                    }
                }
            }
            float[] centerness = new float[n * cfg.featureHeight() * cfg.featureWidth()];
            for (int i = 0; i < centerness.length; i++) {
                centerness[i] = (float) (r.nextGaussian() - 2.0);
            }
            out[5] = Tensor.of(logits, n, p, c);
            out[6] = Tensor.of(boxes, n, p, 4);
            out[7] = Tensor.of(centers, n, p, 2);
            out[8] = Tensor.of(centerness, n, cfg.featureHeight(), cfg.featureWidth());
            out[9] = Tensor.of(labels, n, m);
            out[10] = Tensor.of(xyxy, n, m, 4);
            out[11] = Tensor.of(norm, n, m, 4);
            out[12] = Tensor.of(ctr, n, m, 2);
            out[13] = Tensor.of(ctrNorm, n, m, 2);
            out[14] = Tensor.of(heatCtr, n, m, 2);
            out[15] = Tensor.of(radii, n, m);
            out[16] = Tensor.of(counts.clone(), n);
            return counts;
        }
    }
}
