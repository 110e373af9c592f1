package dev.batchwise.assign;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;
import java.util.List;

/**
 * The predictions and padded ground truth that matching costs are computed from, batched over any
 * number of leading batch dimensions.
 *
 * <p>Shapes: predictions have batch shape {@code P...} = {@code (A..., S...)}, ground truth has
 * batch shape {@code S...} (a suffix of {@code P...}) and is shared by every leading index
 * {@code A...} — e.g. decoder layers {@code (L, B)} matched against per-sample GT {@code (B)}.
 * <ul>
 *   <li>{@code logits (P..., Q, C)} float32|float64 — class logits (focal and classification terms);</li>
 *   <li>{@code predBoxes (P..., Q, D)} float — normalised {@code (cx, cy, w, h)} for 2D terms, or normalised
 *       3D box vectors for {@link CostTerm.BBox3DL1};</li>
 *   <li>{@code predCenters (P..., Q, 2)} float — normalised centres ({@link CostTerm.CenterL1});</li>
 *   <li>{@code gtLabels (S..., M)} int32|int64 in {@code [0, C)};</li>
 *   <li>{@code gtBoxes (S..., M, E)} float — pixel corners {@code (x1, y1, x2, y2)} for 2D terms, or 3D
 *       box vectors;</li>
 *   <li>{@code gtCenters (S..., M, 2)} float — pixel centres;</li>
 *   <li>{@code gtCounts (S...)} int32|int64 in {@code [0, M]}: the valid GT of each sample are its first
 *       {@code gtCounts} rows; the rest is padding and never read.</li>
 * </ul>
 * The image size {@code (width, height)} normalises pixel GT for the 2D terms and scales predicted
 * boxes to pixels for {@link CostTerm.IoU}; it defaults to {@code (1, 1)} (GT already normalised).
 *
 * <pre>{@code
 * CostInputs in = CostInputs.builder()
 *         .logits(clsScores)          // (6, 8, 644, 10)
 *         .predBoxes(bboxPreds)       // (6, 8, 644, 10)
 *         .gtLabels(labels)           // (8, 80)
 *         .gtBoxes(boxes)             // (8, 80, 10)
 *         .gtCounts(counts)           // (8)
 *         .build();
 * }</pre>
 */
public final class CostInputs {
    final Tensor logits;
    final Tensor predBoxes;
    final Tensor predCenters;
    final Tensor gtLabels;
    final Tensor gtBoxes;
    final Tensor gtCenters;
    final Tensor gtCounts;
    final double imageWidth;
    final double imageHeight;

    private CostInputs(Builder b) {
        this.logits = b.logits;
        this.predBoxes = b.predBoxes;
        this.predCenters = b.predCenters;
        this.gtLabels = b.gtLabels;
        this.gtBoxes = b.gtBoxes;
        this.gtCenters = b.gtCenters;
        this.gtCounts = b.gtCounts;
        this.imageWidth = b.imageWidth;
        this.imageHeight = b.imageHeight;
    }

    /** A new builder; every tensor is optional until a cost term needs it. */
    public static Builder builder() {
        return new Builder();
    }

    /** Class logits {@code (P..., Q, C)}, or null. */
    public Tensor logits() {
        return logits;
    }

    /** Predicted boxes {@code (P..., Q, D)}, or null. */
    public Tensor predBoxes() {
        return predBoxes;
    }

    /** Predicted centres {@code (P..., Q, 2)}, or null. */
    public Tensor predCenters() {
        return predCenters;
    }

    /** GT labels {@code (S..., M)}, or null. */
    public Tensor gtLabels() {
        return gtLabels;
    }

    /** GT boxes {@code (S..., M, E)}, or null. */
    public Tensor gtBoxes() {
        return gtBoxes;
    }

    /** GT centres {@code (S..., M, 2)}, or null. */
    public Tensor gtCenters() {
        return gtCenters;
    }

    /** Valid GT per sample {@code (S...)}. */
    public Tensor gtCounts() {
        return gtCounts;
    }

    /** Image width used for normalisation (1 by default). */
    public double imageWidth() {
        return imageWidth;
    }

    /** Image height used for normalisation (1 by default). */
    public double imageHeight() {
        return imageHeight;
    }

    /** Builder of {@link CostInputs}. */
    public static final class Builder {
        private Tensor logits;
        private Tensor predBoxes;
        private Tensor predCenters;
        private Tensor gtLabels;
        private Tensor gtBoxes;
        private Tensor gtCenters;
        private Tensor gtCounts;
        private double imageWidth = 1;
        private double imageHeight = 1;

        private Builder() {}

        /** Class logits {@code (P..., Q, C)}. */
        public Builder logits(Tensor t) {
            this.logits = t;
            return this;
        }

        /** Predicted boxes {@code (P..., Q, D)}. */
        public Builder predBoxes(Tensor t) {
            this.predBoxes = t;
            return this;
        }

        /** Predicted normalised centres {@code (P..., Q, 2)}. */
        public Builder predCenters(Tensor t) {
            this.predCenters = t;
            return this;
        }

        /** GT labels {@code (S..., M)}. */
        public Builder gtLabels(Tensor t) {
            this.gtLabels = t;
            return this;
        }

        /** GT boxes {@code (S..., M, E)}. */
        public Builder gtBoxes(Tensor t) {
            this.gtBoxes = t;
            return this;
        }

        /** GT centres in pixels {@code (S..., M, 2)}. */
        public Builder gtCenters(Tensor t) {
            this.gtCenters = t;
            return this;
        }

        /** Valid GT per sample {@code (S...)}. */
        public Builder gtCounts(Tensor t) {
            this.gtCounts = t;
            return this;
        }

        /** Image size in pixels for the 2D terms. */
        public Builder imageSize(double width, double height) {
            if (!(width > 0) || !(height > 0)) {
                throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
            }
            this.imageWidth = width;
            this.imageHeight = height;
            return this;
        }

        /** The inputs (validated when a cost is computed, against the terms used). */
        public CostInputs build() {
            return new CostInputs(this);
        }
    }

    /** Extents resolved and checked for a list of terms. */
    record Layout(Device device, DType dtype, long[] batchShape, int problems, int gtSamples, int queries,
                  int maxGt, int classes, int predBoxDim, int gtBoxDim) {}

    /** Validates the inputs the terms need; every failure names the argument. */
    Layout validate(List<CostTerm> terms) {
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("terms must name at least one cost term");
        }
        boolean needClass = false;
        boolean needBoxes = false;
        boolean needCenters = false;
        boolean need2d = false;
        int k3d = 0;
        for (CostTerm t : terms) {
            if (t == null) {
                throw new IllegalArgumentException("terms must not contain null");
            }
            if (!Double.isFinite(t.weight())) {
                throw new IllegalArgumentException("cost weight must be finite, got " + t.weight() + " in " + t);
            }
            switch (t) {
                case CostTerm.FocalLoss f -> needClass = true;
                case CostTerm.Classification c -> needClass = true;
                case CostTerm.BBoxL1 b -> {
                    needBoxes = true;
                    need2d = true;
                    if (b.format() == null) {
                        throw new IllegalArgumentException("BBoxL1 format must not be null");
                    }
                }
                case CostTerm.IoU i -> {
                    needBoxes = true;
                    need2d = true;
                    if (i.mode() == null) {
                        throw new IllegalArgumentException("IoU mode must not be null");
                    }
                }
                case CostTerm.BBox3DL1 b -> {
                    needBoxes = true;
                    if (b.k() < 1) {
                        throw new IllegalArgumentException("BBox3DL1 k must be >= 1, got " + b.k());
                    }
                    k3d = Math.max(k3d, b.k());
                }
                case CostTerm.CenterL1 c -> needCenters = true;
            }
        }
        TensorChecks.requireNonNull(gtCounts, "gtCounts");
        TensorChecks.requireDType(gtCounts, "gtCounts", DType.INT32, DType.INT64);
        long[] gtBatch = gtCounts.shape();
        Tensor firstPred = needClass ? logits : needBoxes ? predBoxes : predCenters;
        String firstName = needClass ? "logits" : needBoxes ? "predBoxes" : "predCenters";
        TensorChecks.requireNonNull(firstPred, firstName);
        if (firstPred.rank() < 2 + gtBatch.length) {
            throw new IllegalArgumentException(firstName + " must have shape (P..., Q, F) with the GT batch shape "
                    + Shapes.format(gtBatch) + " as suffix of P..., got " + Shapes.format(firstPred.shape()));
        }
        long[] predBatch = Arrays.copyOf(firstPred.shape(), firstPred.rank() - 2);
        long[] suffix = Arrays.copyOfRange(predBatch, predBatch.length - gtBatch.length, predBatch.length);
        if (!Arrays.equals(suffix, gtBatch)) {
            throw new IllegalArgumentException("the batch shape of " + firstName + " " + Shapes.format(predBatch)
                    + " must end with the GT batch shape " + Shapes.format(gtBatch) + " of gtCounts");
        }
        long queries = firstPred.shape(firstPred.rank() - 2);
        DType dtype = firstPred.dtype();
        Device device = firstPred.device();
        long maxGt = -1;
        int classes = 0;
        int predBoxDim = 0;
        int gtBoxDim = 0;
        if (needClass) {
            requireFloat(logits, "logits", dtype);
            requireRows(logits, "logits", predBatch, queries);
            classes = (int) logits.shape(logits.rank() - 1);
            if (classes < 1) {
                throw new IllegalArgumentException("logits must have at least one class, got shape "
                        + Shapes.format(logits.shape()));
            }
            maxGt = requireGtRows(gtLabels, "gtLabels", gtBatch, maxGt, 0);
            TensorChecks.requireDType(gtLabels, "gtLabels", DType.INT32, DType.INT64);
        }
        if (needBoxes) {
            requireFloat(predBoxes, "predBoxes", dtype);
            requireRows(predBoxes, "predBoxes", predBatch, queries);
            maxGt = requireGtRows(gtBoxes, "gtBoxes", gtBatch, maxGt, 1);
            requireFloat(gtBoxes, "gtBoxes", dtype);
            predBoxDim = (int) predBoxes.shape(predBoxes.rank() - 1);
            gtBoxDim = (int) gtBoxes.shape(gtBoxes.rank() - 1);
            int needDim = Math.max(need2d ? 4 : 0, k3d);
            if (predBoxDim < needDim || gtBoxDim < needDim) {
                throw new IllegalArgumentException("predBoxes and gtBoxes need at least " + needDim
                        + " values per box for the terms " + terms + ", got " + Shapes.format(predBoxes.shape())
                        + " and " + Shapes.format(gtBoxes.shape()));
            }
        }
        if (needCenters) {
            requireFloat(predCenters, "predCenters", dtype);
            requireRows(predCenters, "predCenters", predBatch, queries);
            if (predCenters.shape(predCenters.rank() - 1) != 2) {
                throw new IllegalArgumentException("predCenters must have shape (P..., Q, 2), got "
                        + Shapes.format(predCenters.shape()));
            }
            maxGt = requireGtRows(gtCenters, "gtCenters", gtBatch, maxGt, 1);
            requireFloat(gtCenters, "gtCenters", dtype);
            if (gtCenters.shape(gtCenters.rank() - 1) != 2) {
                throw new IllegalArgumentException("gtCenters must have shape (S..., M, 2), got "
                        + Shapes.format(gtCenters.shape()));
            }
        }
        TensorChecks.requireSameDevice(firstName, firstPred, "logits", logits, "predBoxes", predBoxes,
                "predCenters", predCenters, "gtLabels", gtLabels, "gtBoxes", gtBoxes, "gtCenters", gtCenters,
                "gtCounts", gtCounts);
        long problems = Shapes.numel(predBatch);
        long gtSamples = Shapes.numel(gtBatch);
        if (problems > Integer.MAX_VALUE || queries * Math.max(maxGt, 1) * problems > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cost matrix too large: " + problems + " x " + queries + " x " + maxGt);
        }
        return new Layout(device, dtype, predBatch, (int) problems, (int) gtSamples, (int) queries, (int) maxGt,
                classes, predBoxDim, gtBoxDim);
    }

    private static void requireFloat(Tensor t, String name, DType dtype) {
        TensorChecks.requireNonNull(t, name);
        TensorChecks.requireDType(t, name, DType.FLOAT32, DType.FLOAT64);
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(name + " must have the dtype of the other predictions (" + dtype
                    + "), got " + t.dtype());
        }
    }

    private static void requireRows(Tensor t, String name, long[] predBatch, long queries) {
        long[] s = t.shape();
        boolean ok = s.length == predBatch.length + 2 && s[s.length - 2] == queries
                && Arrays.equals(Arrays.copyOf(s, predBatch.length), predBatch);
        if (!ok) {
            throw new IllegalArgumentException(name + " must have shape (" + join(predBatch) + queries
                    + ", F), got " + Shapes.format(s));
        }
    }

    /** Checks {@code (S..., M[, F])} and returns M (which must agree with {@code maxGt} if known). */
    private static long requireGtRows(Tensor t, String name, long[] gtBatch, long maxGt, int trailing) {
        TensorChecks.requireNonNull(t, name);
        long[] s = t.shape();
        boolean ok = s.length == gtBatch.length + 1 + trailing
                && Arrays.equals(Arrays.copyOf(s, gtBatch.length), gtBatch);
        if (!ok) {
            throw new IllegalArgumentException(name + " must have shape (" + join(gtBatch) + "M"
                    + (trailing == 1 ? ", F" : "") + "), got " + Shapes.format(s));
        }
        long m = s[gtBatch.length];
        if (maxGt >= 0 && m != maxGt) {
            throw new IllegalArgumentException(name + " must have M = " + maxGt
                    + " GT rows like the other GT tensors, got " + Shapes.format(s));
        }
        return m;
    }

    private static String join(long[] dims) {
        StringBuilder sb = new StringBuilder();
        for (long d : dims) {
            sb.append(d).append(", ");
        }
        return sb.toString();
    }
}
