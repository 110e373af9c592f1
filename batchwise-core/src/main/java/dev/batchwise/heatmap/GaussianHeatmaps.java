package dev.batchwise.heatmap;

import static dev.batchwise.tensor.TensorChecks.ANY;

import dev.batchwise.ragged.RaggedBatch;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Gaussian "centerness" targets for centre-based heads (CenterNet, CenterPoint, StreamPETR's
 * focal head, BEVFusion): draws a truncated Gaussian around every object centre into float32
 * maps, all objects of all maps in one call, combining overlaps and existing content by maximum.
 *
 * <p>Semantics are those of mmdet3d {@code draw_heatmap_gaussian} / NVIDIA ACCV-Lab
 * {@code draw_heatmap} (window, clipping, σ, {@code k} before the max) with the value arithmetic
 * selected by {@link GaussianStamp}; see there for the exact formulas. Centres are {@code (x, y)}
 * = (column, row). The maps are modified in place (and returned); other inputs are never modified.
 * Set {@link GaussianDrawOptions#withZeroFill(boolean)} to clear the maps in the same pass instead
 * of filling them beforehand.
 *
 * <p>Three input layouts, as ACCV-Lab's (the batched and class-wise ones also with
 * {@link RaggedBatch} inputs):
 * <ul>
 *   <li>concatenated ({@link #drawInto}): centres {@code (T, 2)}, radii {@code (T)} and a map index
 *       per object into maps {@code (N, H, W)};</li>
 *   <li>batched ({@link #drawBatchedInto}): padded per-sample centres {@code (B, M, 2)} and radii
 *       {@code (B, M)} with sample sizes {@code (B)}; sample {@code b} is drawn into map {@code b}
 *       of {@code (B, H, W)}, fillers (positions {@code ≥ sampleSizes[b]}) are ignored;</li>
 *   <li>class-wise ({@link #drawClasswiseInto}): as batched plus labels {@code (B, M)}; object
 *       {@code (b, t)} is drawn into {@code maps[b, labels[b, t]]} of {@code (B, C, H, W)}.</li>
 * </ul>
 *
 * <p>Dtypes: maps float32; centres and radii int32 for the integer modes and float32 for
 * {@link GaussianStamp#DALI_FLOAT_CENTERS}; map indices, labels and sample sizes int32 or int64.
 * All tensors on one device; the call runs there (CUDA: enqueued on the current stream, no
 * synchronisation).
 *
 * <p>Errors: shapes, dtypes and devices are checked before any work
 * ({@link IllegalArgumentException} with expected vs actual). Values: a negative (or, for float
 * radii, non-finite) radius, a non-finite float centre or a sample size outside {@code [0, M]}
 * gives {@link IllegalArgumentException}; a map index or label out of range gives
 * {@link IndexOutOfBoundsException}. On the CPU these are checked before anything is written; on
 * CUDA the kernel skips the offending objects, records the first error in a device flag attached to
 * {@code maps}, and the exception is thrown when {@code maps} is next read on the host.
 *
 * <pre>{@code
 * Tensor maps = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 20, 50);
 * Tensor centers = Tensor.of(new int[] {10, 5, 49, 19}, 2, 2);   // (x, y) per object
 * Tensor radii = Tensor.of(new int[] {2, 3}, 2);
 * Tensor mapIndex = Tensor.of(new int[] {0, 1}, 2);
 * GaussianHeatmaps.drawInto(maps, centers, radii, mapIndex, 1.0f, GaussianStamp.MMDET_CUTOFF);
 * // maps[0, 5, 10] == 1, maps[0, 5, 11] == (float) exp(-1 / (2 (5/6)²)), …
 * }</pre>
 */
public final class GaussianHeatmaps {
    private GaussianHeatmaps() {}

    /**
     * Concatenated format (ACCV-Lab {@code draw_heatmap}): draws object {@code t} into
     * {@code maps[mapIndex[t]]}.
     *
     * @param maps float32 {@code (N, H, W)}, modified in place
     * @param centers {@code (T, 2)} {@code (x, y)}, int32 (float32 for {@link GaussianStamp#DALI_FLOAT_CENTERS})
     * @param radii {@code (T)}, same dtype as {@code centers}, {@code ≥ 0}
     * @param mapIndex {@code (T)} int32 or int64 in {@code [0, N)}
     * @param k scale applied before the max (ACCV-Lab {@code k_scale})
     * @param stamp value mode, with its default σ factor
     * @return {@code maps}
     */
    public static Tensor drawInto(Tensor maps, Tensor centers, Tensor radii, Tensor mapIndex, float k,
                                  GaussianStamp stamp) {
        return drawInto(maps, centers, radii, mapIndex, GaussianDrawOptions.of(stamp).withK(k));
    }

    /** {@link #drawInto(Tensor, Tensor, Tensor, Tensor, float, GaussianStamp)} with full options. */
    public static Tensor drawInto(Tensor maps, Tensor centers, Tensor radii, Tensor mapIndex,
                                  GaussianDrawOptions options) {
        requireOptions(options);
        requireMaps(maps, 3, "(N, H, W)");
        DType coord = coordinateType(options);
        if (!hasShape(centers, ANY, 2)) {
            TensorChecks.requireShape(centers, "centers", "(T, 2)", ANY, 2);
        }
        requireDType(centers, "centers", coord);
        long t = centers.shape(0);
        if (!hasShape(radii, t)) {
            TensorChecks.requireShape(radii, "radii", "(T) with T = " + t, t);
        }
        requireDType(radii, "radii", coord);
        if (!hasShape(mapIndex, t)) {
            TensorChecks.requireShape(mapIndex, "mapIndex", "(T) with T = " + t, t);
        }
        requireIndexType(mapIndex, "mapIndex");
        Device device = TensorChecks.requireSameDevice("maps", maps, "centers", centers, "radii", radii,
                "mapIndex", mapIndex);
        DrawRequest q = new DrawRequest(maps, toInt(maps.shape(0), "number of maps"), extent(maps, 1),
                extent(maps, 2), DrawRequest.Format.CONCATENATED, centers, radii, mapIndex, null,
                1, toInt(t, "number of objects"), 1, options);
        return run(device, q);
    }

    /**
     * Batched format (ACCV-Lab {@code draw_heatmap_batched} without labels) on padded tensors:
     * draws objects {@code (b, t)}, {@code t < sampleSizes[b]}, into {@code maps[b]}.
     *
     * @param maps float32 {@code (B, H, W)}, modified in place
     * @param centers {@code (B, M, 2)} {@code (x, y)}, int32 (float32 for {@link GaussianStamp#DALI_FLOAT_CENTERS})
     * @param radii {@code (B, M)}, same dtype as {@code centers}
     * @param sampleSizes {@code (B)} int32 or int64 in {@code [0, M]}: valid objects per sample
     * @param options mode, {@code k}, σ factor, zero-fill
     * @return {@code maps}
     */
    public static Tensor drawBatchedInto(Tensor maps, Tensor centers, Tensor radii, Tensor sampleSizes,
                                         GaussianDrawOptions options) {
        requireOptions(options);
        requireMaps(maps, 3, "(B, H, W)");
        long b = maps.shape(0);
        long m = requirePadded(centers, radii, sampleSizes, b, options);
        Device device = TensorChecks.requireSameDevice("maps", maps, "centers", centers, "radii", radii,
                "sampleSizes", sampleSizes);
        DrawRequest q = new DrawRequest(maps, toInt(b, "batch size"), extent(maps, 1), extent(maps, 2),
                DrawRequest.Format.BATCHED, centers, radii, null, sampleSizes,
                (int) b, toInt(m, "padded number of objects M"), 1, options);
        return run(device, q);
    }

    /**
     * Class-wise format (ACCV-Lab {@code draw_heatmap_batched} with labels) on padded tensors:
     * draws objects {@code (b, t)}, {@code t < sampleSizes[b]}, into {@code maps[b, labels[b, t]]}.
     *
     * @param maps float32 {@code (B, C, H, W)}, modified in place
     * @param centers {@code (B, M, 2)} {@code (x, y)}, int32 (float32 for {@link GaussianStamp#DALI_FLOAT_CENTERS})
     * @param radii {@code (B, M)}, same dtype as {@code centers}
     * @param labels {@code (B, M)} int32 or int64 in {@code [0, C)} (filler labels are not read)
     * @param sampleSizes {@code (B)} int32 or int64 in {@code [0, M]}
     * @param options mode, {@code k}, σ factor, zero-fill
     * @return {@code maps}
     */
    public static Tensor drawClasswiseInto(Tensor maps, Tensor centers, Tensor radii, Tensor labels,
                                           Tensor sampleSizes, GaussianDrawOptions options) {
        requireOptions(options);
        requireMaps(maps, 4, "(B, C, H, W)");
        long b = maps.shape(0);
        long c = maps.shape(1);
        long m = requirePadded(centers, radii, sampleSizes, b, options);
        if (!hasShape(labels, b, m)) {
            TensorChecks.requireShape(labels, "labels", "(B, M) = (" + b + ", " + m + ")", b, m);
        }
        requireIndexType(labels, "labels");
        Device device = TensorChecks.requireSameDevice("maps", maps, "centers", centers, "radii", radii,
                "labels", labels, "sampleSizes", sampleSizes);
        toInt(b * c, "number of maps B·C");
        DrawRequest q = new DrawRequest(maps, (int) (b * c), extent(maps, 2), extent(maps, 3),
                DrawRequest.Format.CLASSWISE, centers, radii,
                labels, sampleSizes, (int) b, toInt(m, "padded number of objects M"),
                (int) c, options);
        return run(device, q);
    }

    /**
     * Batched format on ragged inputs (ACCV-Lab {@code draw_heatmap_batched} with
     * {@code RaggedBatch} arguments): {@link #drawBatchedInto(Tensor, Tensor, Tensor, Tensor,
     * GaussianDrawOptions)} with the padded data of {@code centers} and {@code radii} and the sample
     * sizes of {@code centers}. As in ACCV-Lab, only the sizes of {@code centers} are read; those
     * of {@code radii} are not compared with them.
     *
     * @param maps float32 {@code (B, H, W)}, modified in place
     * @param centers one batch axis, data {@code (B, M, 2)} {@code (x, y)} ragged on axis 1, int32
     *     (float32 for {@link GaussianStamp#DALI_FLOAT_CENTERS})
     * @param radii one batch axis, data {@code (B, M)} ragged on axis 1, same dtype as the centres
     * @param options mode, {@code k}, σ factor, zero-fill
     * @return {@code maps}
     * @throws IllegalArgumentException for a batch with another layout, and as the padded form
     */
    public static Tensor drawBatchedInto(Tensor maps, RaggedBatch centers, RaggedBatch radii,
                                         GaussianDrawOptions options) {
        requireRagged(centers, "centers", 3);
        requireRagged(radii, "radii", 2);
        return drawBatchedInto(maps, centers.data(), radii.data(), centers.sampleSizes(), options);
    }

    /**
     * Class-wise format on ragged inputs (ACCV-Lab {@code draw_heatmap_batched} with
     * {@code RaggedBatch} arguments and labels): {@link #drawClasswiseInto(Tensor, Tensor, Tensor,
     * Tensor, Tensor, GaussianDrawOptions)} with the padded data of the three batches and the
     * sample sizes of {@code centers} (the sizes of {@code radii} and {@code labels} are not read,
     * as in ACCV-Lab).
     *
     * @param maps float32 {@code (B, C, H, W)}, modified in place
     * @param centers one batch axis, data {@code (B, M, 2)} {@code (x, y)} ragged on axis 1, int32
     *     (float32 for {@link GaussianStamp#DALI_FLOAT_CENTERS})
     * @param radii one batch axis, data {@code (B, M)} ragged on axis 1, same dtype as the centres
     * @param labels one batch axis, data {@code (B, M)} int32 or int64 in {@code [0, C)}, ragged on axis 1
     * @param options mode, {@code k}, σ factor, zero-fill
     * @return {@code maps}
     * @throws IllegalArgumentException for a batch with another layout, and as the padded form
     */
    public static Tensor drawClasswiseInto(Tensor maps, RaggedBatch centers, RaggedBatch radii, RaggedBatch labels,
                                           GaussianDrawOptions options) {
        requireRagged(centers, "centers", 3);
        requireRagged(radii, "radii", 2);
        requireRagged(labels, "labels", 2);
        return drawClasswiseInto(maps, centers.data(), radii.data(), labels.data(), centers.sampleSizes(), options);
    }

    private static void requireRagged(RaggedBatch batch, String name, int rank) {
        if (batch == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (batch.numBatchDims() != 1 || batch.raggedDim() != 1 || batch.rank() != rank) {
            throw new IllegalArgumentException(name + " must be a RaggedBatch with one batch axis and data "
                    + (rank == 3 ? "(B, M, 2)" : "(B, M)") + " ragged on axis 1, got data "
                    + Shapes.format(batch.shape()) + " with " + batch.numBatchDims() + " batch axes, ragged on axis "
                    + batch.raggedDim());
        }
    }

    private static Tensor run(Device device, DrawRequest q) {
        if (device.isCpu()) {
            CpuGaussianHeatmaps.draw(q);
        } else {
            CudaGaussianHeatmaps.draw(q);
        }
        return q.maps();
    }

    private static long requirePadded(Tensor centers, Tensor radii, Tensor sampleSizes, long b,
                                      GaussianDrawOptions options) {
        DType coord = coordinateType(options);
        if (!hasShape(centers, b, ANY, 2)) {
            TensorChecks.requireShape(centers, "centers", "(B, M, 2) with B = " + b, b, ANY, 2);
        }
        requireDType(centers, "centers", coord);
        long m = centers.shape(1);
        if (!hasShape(radii, b, m)) {
            TensorChecks.requireShape(radii, "radii", "(B, M) = (" + b + ", " + m + ")", b, m);
        }
        requireDType(radii, "radii", coord);
        if (!hasShape(sampleSizes, b)) {
            TensorChecks.requireShape(sampleSizes, "sampleSizes", "(B) = (" + b + ")", b);
        }
        requireIndexType(sampleSizes, "sampleSizes");
        return m;
    }

    private static void requireOptions(GaussianDrawOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
    }

    private static void requireMaps(Tensor maps, int rank, String expected) {
        TensorChecks.requireNonNull(maps, "maps");
        if (maps.rank() != rank) {
            throw new IllegalArgumentException("maps must have shape " + expected + ", got "
                    + Shapes.format(maps.shape()));
        }
        requireDType(maps, "maps", DType.FLOAT32);
    }

    /**
     * Whether {@code t} is non-null with exactly these extents ({@link TensorChecks#ANY} matches
     * any): the allocation-free fast path; the message is built only on failure.
     */
    private static boolean hasShape(Tensor t, long... dims) {
        if (t == null || t.rank() != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != ANY && t.shape(i) != dims[i]) {
                return false;
            }
        }
        return true;
    }

    private static void requireDType(Tensor t, String name, DType dtype) {
        if (t == null || t.dtype() != dtype) {
            TensorChecks.requireDType(t, name, dtype);
        }
    }

    private static void requireIndexType(Tensor t, String name) {
        if (t == null || t.dtype() != DType.INT32 && t.dtype() != DType.INT64) {
            TensorChecks.requireDType(t, name, DType.INT32, DType.INT64);
        }
    }

    private static DType coordinateType(GaussianDrawOptions options) {
        return options.stamp().floatCenters() ? DType.FLOAT32 : DType.INT32;
    }

    private static int extent(Tensor maps, int axis) {
        return toInt(maps.shape(axis), "map extent " + axis);
    }

    private static int toInt(long v, String what) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be at most " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }
}
