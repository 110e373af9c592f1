package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched operations on ragged batches — the free functions of ACCV-Lab's
 * {@code batching_helpers} ({@code accvlab-semantics.md} §1.6), on the CPU and on CUDA.
 *
 * <h2>Index conventions (all index-based ops)</h2>
 * <ul>
 *   <li>An index batch {@code idx} is a {@link RaggedBatch} of INT32 or INT64 values of shape
 *       {@code (B…, M)}: sample {@code b…} has {@code idx.sampleSizes()[b…]} valid indices; the
 *       {@code M - size} filler slots are never read.</li>
 *   <li>Indexing happens along the data's entry axis: the first axis after the batch axes, or
 *       {@code dimToIndexIn} (any non-batch axis). Writing {@code (b, p, e, q)} for batch index,
 *       the axes before the entry axis, the entry axis and the axes after it, ops read and write
 *       {@code data[b, p, e, q]} for every {@code p} and {@code q}.</li>
 *   <li>A negative index wraps once ({@code i + extent}); the result must lie in
 *       {@code [0, extent)}, otherwise the op throws {@link IndexOutOfBoundsException} naming the
 *       sample (flat, row-major), the position and the value — on CUDA when a result is read.</li>
 *   <li>The data's own sample sizes are never checked against the indices.</li>
 *   <li>Inputs are never modified; results are new tensors.</li>
 * </ul>
 * Backward functions of the differentiable ops are in {@link RaggedBackward}.
 */
public final class RaggedOps {
    private RaggedOps() {}

    // =================================================================== index ops

    /**
     * Gather: {@code out[b, j, …] = data[b, idx[b, j], …]} for {@code j < size[b]} and
     * {@code filler} for {@code size[b] <= j < M}. The result has the data's shape with the entry
     * axis replaced by {@code M}, the data's dtype, and the index batch's sample sizes, and its
     * ragged axis is the entry axis.
     *
     * <pre>{@code
     * // data (2, 5, 2): values 0..19; idx [[1, 3], [0, 2, 4]] (sizes 2 and 3, M = 3)
     * RaggedBatch r = RaggedOps.indexingAccess(data, idx, -1);
     * // r.data()[0] = [[2, 3], [6, 7], [-1, -1]],  r.data()[1] = [[10, 11], [14, 15], [18, 19]]
     * }</pre>
     *
     * @param data    {@code (B…, E, D…)} any dtype, batch shape of {@code indices}
     * @param indices {@code (B…, M)} INT32/INT64 index batch, values in {@code [-E, E)}
     * @param filler  value of the filler entries (converted to the data dtype)
     * @throws IllegalArgumentException on shape or device mismatch
     * @throws IndexOutOfBoundsException for an index outside {@code [-E, E)}
     */
    public static RaggedBatch indexingAccess(Tensor data, RaggedBatch indices, double filler) {
        return IndexOps.gather(data, indices, filler, null);
    }

    /** {@link #indexingAccess(Tensor, RaggedBatch, double)} along axis {@code dimToIndexIn} of {@code data}. */
    public static RaggedBatch indexingAccess(Tensor data, RaggedBatch indices, double filler, int dimToIndexIn) {
        return IndexOps.gather(data, indices, filler, dimToIndexIn);
    }

    /**
     * Scatter into a fresh tensor: the data's shape with the entry axis replaced by
     * {@code numTargets}, filled with {@code filler}, then {@code out[b, idx[b, j], …] = data[b, j, …]}
     * for {@code j < size[b]}. Duplicate valid indices within a sample leave an unspecified one of
     * the written values.
     *
     * <pre>{@code
     * // data (1, 3, 1) = [[[10], [11], [12]]], idx [[2, 0, 4]], 5 targets, filler 0
     * RaggedOps.inverseIndexingAccess(data, idx, 5, 0);   // [[[11], [0], [10], [0], [12]]]
     * }</pre>
     *
     * @param data {@code (B…, E, D…)} with {@code E >= size[b]} for every sample
     */
    public static Tensor inverseIndexingAccess(Tensor data, RaggedBatch indices, long numTargets, double filler) {
        return IndexOps.scatterIntoFilled(data, indices, numTargets, filler, null);
    }

    /** {@link #inverseIndexingAccess(Tensor, RaggedBatch, long, double)} along {@code dimToIndexIn}. */
    public static Tensor inverseIndexingAccess(Tensor data, RaggedBatch indices, long numTargets, double filler,
                                               int dimToIndexIn) {
        return IndexOps.scatterIntoFilled(data, indices, numTargets, filler, dimToIndexIn);
    }

    /**
     * A copy of {@code toWriteInto} with {@code res[b, idx[b, j], …] = toWrite[b, j, …]} for
     * {@code j < size[b]}. Both tensors have the same dtype and rank and equal shapes except on the
     * entry axis. Duplicate valid indices leave an unspecified one of the written values.
     *
     * <pre>{@code
     * // toWrite [[[7], [8]]], idx [[3, -1]], toWriteInto [[[0], [0], [0], [0], [0]]]
     * RaggedOps.indexingWrite(toWrite, idx, into);   // [[[0], [0], [0], [7], [8]]]
     * }</pre>
     */
    public static Tensor indexingWrite(Tensor toWrite, RaggedBatch indices, Tensor toWriteInto) {
        return IndexOps.write(toWrite, indices, toWriteInto, null);
    }

    /** {@link #indexingWrite(Tensor, RaggedBatch, Tensor)} along {@code dimToIndexIn}. */
    public static Tensor indexingWrite(Tensor toWrite, RaggedBatch indices, Tensor toWriteInto, int dimToIndexIn) {
        return IndexOps.write(toWrite, indices, toWriteInto, dimToIndexIn);
    }

    /**
     * {@link #indexingWrite(Tensor, RaggedBatch, Tensor)} into a ragged batch's data (entry axis
     * = first axis after the batch axes); the result keeps {@code toWriteInto}'s sample sizes.
     */
    public static RaggedBatch indexingWrite(Tensor toWrite, RaggedBatch indices, RaggedBatch toWriteInto) {
        requireBatch(toWriteInto, "toWriteInto");
        return toWriteInto.withData(IndexOps.write(toWrite, indices, toWriteInto.data(), null));
    }

    /** {@link #indexingWrite(Tensor, RaggedBatch, RaggedBatch)} along {@code dimToIndexIn}. */
    public static RaggedBatch indexingWrite(Tensor toWrite, RaggedBatch indices, RaggedBatch toWriteInto,
                                            int dimToIndexIn) {
        requireBatch(toWriteInto, "toWriteInto");
        return toWriteInto.withData(IndexOps.write(toWrite, indices, toWriteInto.data(), dimToIndexIn));
    }

    /**
     * Pairwise copy: a copy of {@code targetData} with
     * {@code res[b, tgt[b, j], …] = source[b, src[b, j], …]} for {@code j < sourceIndices.size[b]}
     * (the target index batch's sizes are not used). Both index batches have equal shapes and the
     * same dtype; the data tensors have equal dtype and shapes except on the entry axis (the first
     * after the batch axes). Duplicate source indices are fine; duplicate target indices leave an
     * unspecified one of the written values.
     *
     * <pre>{@code
     * // src idx [[0, 2]], tgt idx [[1, 3]]: res[0, 1] = source[0, 0], res[0, 3] = source[0, 2]
     * }</pre>
     */
    public static Tensor indexMapping(Tensor sourceData, RaggedBatch sourceIndices, RaggedBatch targetIndices,
                                      Tensor targetData) {
        return IndexOps.mapping(sourceData, null, sourceIndices, targetIndices, targetData, null);
    }

    /**
     * {@link #indexMapping(Tensor, RaggedBatch, RaggedBatch, Tensor)} into a ragged batch: its
     * ragged axis is the entry axis and the result keeps its sample sizes.
     */
    public static RaggedBatch indexMapping(Tensor sourceData, RaggedBatch sourceIndices, RaggedBatch targetIndices,
                                           RaggedBatch targetData) {
        requireBatch(targetData, "targetData");
        return targetData.withData(IndexOps.mapping(sourceData, null, sourceIndices, targetIndices,
                targetData.data(), targetData.raggedDim()));
    }

    /** {@link #indexMapping(Tensor, RaggedBatch, RaggedBatch, Tensor)} from a ragged batch (entry axis = its ragged axis). */
    public static Tensor indexMapping(RaggedBatch sourceData, RaggedBatch sourceIndices, RaggedBatch targetIndices,
                                      Tensor targetData) {
        requireBatch(sourceData, "sourceData");
        return IndexOps.mapping(sourceData.data(), sourceData.raggedDim(), sourceIndices, targetIndices, targetData,
                null);
    }

    /** {@link #indexMapping(Tensor, RaggedBatch, RaggedBatch, Tensor)} between ragged batches (entry axes = ragged axes). */
    public static RaggedBatch indexMapping(RaggedBatch sourceData, RaggedBatch sourceIndices, RaggedBatch targetIndices,
                                           RaggedBatch targetData) {
        requireBatch(sourceData, "sourceData");
        requireBatch(targetData, "targetData");
        return targetData.withData(IndexOps.mapping(sourceData.data(), sourceData.raggedDim(), sourceIndices,
                targetIndices, targetData.data(), targetData.raggedDim()));
    }

    /**
     * BOOL mask {@code (B…, numTargets)}, true exactly at the valid indices of each sample (order
     * and duplicates irrelevant; negative indices wrap).
     *
     * <pre>{@code
     * // idx [[2, 0, 3], [1, 2]], 5 targets -> [[T, F, T, T, F], [F, T, T, F, F]]
     * }</pre>
     */
    public static Tensor maskFromIndices(long numTargets, RaggedBatch indices) {
        return IndexOps.maskFromIndices(numTargets, indices);
    }

    /**
     * INT64 indices of the true entries of each row of a BOOL mask {@code (B, N)}, ascending; padded
     * width = largest count, fillers 0, ragged axis 1. Reads the counts to the host to size the
     * result (a GPU sync).
     *
     * <pre>{@code
     * // [[T, F, T, F, F, T], [F, T, F, F, F, F], [F, F, F, F, F, F]]
     * // -> sizes [3, 1, 0], data [[0, 2, 5], [1, 0, 0], [0, 0, 0]]
     * }</pre>
     */
    public static RaggedBatch indicesFromMask(Tensor mask) {
        return MaskOps.indicesFromMask(mask);
    }

    /**
     * {@link #indicesFromMask(Tensor)} for a ragged BOOL mask {@code (B…, N)} with any number of
     * batch dims (ragged axis last); its fillers count as false. The result has the mask's batch
     * shape.
     */
    public static RaggedBatch indicesFromMask(RaggedBatch mask) {
        return MaskOps.indicesFromMask(mask);
    }

    // =================================================================== boolean indexing

    /**
     * Per-sample boolean selection along the ragged axis: the entries whose mask is true (and
     * that are valid: true values at filler positions are ignored) are packed to the front in
     * their original order; sizes = selected counts; padded width = largest count; fillers 0; the
     * ragged axis keeps its position. Both batches have equal batch shapes and padded widths
     * (sizes are assumed equal; the mask's are used). Reads the counts to the host (a GPU sync).
     *
     * <pre>{@code
     * // data sizes [3, 2], mask rows [T, F, T, T, F], [F, T, T, F, F] -> sizes [2, 1] (position 3
     * // of sample 0 and position 2 of sample 1 are fillers)
     * }</pre>
     */
    public static RaggedBatch boolIndexing(RaggedBatch data, RaggedBatch mask) {
        requireBatch(data, "data");
        return MaskOps.boolIndexing(data.data(), data.raggedDim(), MaskOps.select(data, mask));
    }

    /** {@link #boolIndexing(RaggedBatch, RaggedBatch)} with a plain BOOL mask {@code (B, N)}; data has 1 batch dim. */
    public static RaggedBatch boolIndexing(RaggedBatch data, Tensor mask) {
        requireBatch(data, "data");
        return MaskOps.boolIndexing(data.data(), data.raggedDim(), MaskOps.select(data, mask));
    }

    /** {@link #boolIndexing(RaggedBatch, RaggedBatch)} of plain data {@code (B, N, …)} (entry axis 1). */
    public static RaggedBatch boolIndexing(Tensor data, RaggedBatch mask) {
        return MaskOps.boolIndexing(data, 1, MaskOps.select(data, mask));
    }

    /** {@link #boolIndexing(RaggedBatch, RaggedBatch)} of plain data {@code (B, N, …)} and mask {@code (B, N)}: all entries valid. */
    public static RaggedBatch boolIndexing(Tensor data, Tensor mask) {
        return MaskOps.boolIndexing(data, 1, MaskOps.select(data, mask));
    }

    /**
     * The positions that {@link #boolIndexing(RaggedBatch, RaggedBatch)} selects, per sample: an
     * INT64 index batch with the data's batch shape (any number of batch dims), ascending positions
     * along the data's ragged axis, sizes = selected counts, padded width = largest count, fillers
     * 0. This is the {@code selected} argument of {@link RaggedBackward#boolIndexing} and
     * {@link RaggedBackward#boolIndexingWrite}. Reads the counts to the host (a GPU sync).
     *
     * <pre>{@code
     * RaggedBatch out = RaggedOps.boolIndexing(data, mask);
     * RaggedBatch selected = RaggedOps.boolIndexingPositions(data, mask);
     * Tensor gradData = RaggedBackward.boolIndexing(gradOut, selected, data.maxSampleSize(), data.raggedDim());
     * }</pre>
     */
    public static RaggedBatch boolIndexingPositions(RaggedBatch data, RaggedBatch mask) {
        requireBatch(data, "data");
        return MaskOps.select(data, mask).indices();
    }

    /** {@link #boolIndexingPositions(RaggedBatch, RaggedBatch)} for {@link #boolIndexing(RaggedBatch, Tensor)}. */
    public static RaggedBatch boolIndexingPositions(RaggedBatch data, Tensor mask) {
        requireBatch(data, "data");
        return MaskOps.select(data, mask).indices();
    }

    /** {@link #boolIndexingPositions(RaggedBatch, RaggedBatch)} for {@link #boolIndexing(Tensor, RaggedBatch)}. */
    public static RaggedBatch boolIndexingPositions(Tensor data, RaggedBatch mask) {
        return MaskOps.select(data, mask).indices();
    }

    /** {@link #boolIndexingPositions(RaggedBatch, RaggedBatch)} for {@link #boolIndexing(Tensor, Tensor)}. */
    public static RaggedBatch boolIndexingPositions(Tensor data, Tensor mask) {
        return MaskOps.select(data, mask).indices();
    }

    /**
     * Inverse of {@link #boolIndexing}: a copy of {@code toWriteInto} in which the k-th selected
     * position of sample b receives the k-th valid entry of {@code toWrite} sample b. The mask is
     * paired with {@code toWriteInto} by the rules of {@code boolIndexing}; {@code toWrite} and
     * {@code toWriteInto} have the same rank.
     *
     * @throws IllegalArgumentException when a sample selects more positions than {@code toWrite} holds
     */
    public static Tensor boolIndexingWrite(RaggedBatch toWrite, Tensor mask, Tensor toWriteInto) {
        return MaskOps.boolIndexingWrite(toWrite, MaskOps.select(toWriteInto, mask), toWriteInto, 1);
    }

    /** {@link #boolIndexingWrite(RaggedBatch, Tensor, Tensor)} with a ragged mask. */
    public static Tensor boolIndexingWrite(RaggedBatch toWrite, RaggedBatch mask, Tensor toWriteInto) {
        return MaskOps.boolIndexingWrite(toWrite, MaskOps.select(toWriteInto, mask), toWriteInto, 1);
    }

    /** {@link #boolIndexingWrite(RaggedBatch, Tensor, Tensor)} into a ragged batch (its sizes are kept). */
    public static RaggedBatch boolIndexingWrite(RaggedBatch toWrite, Tensor mask, RaggedBatch toWriteInto) {
        requireBatch(toWriteInto, "toWriteInto");
        return toWriteInto.withData(MaskOps.boolIndexingWrite(toWrite, MaskOps.select(toWriteInto, mask),
                toWriteInto.data(), toWriteInto.raggedDim()));
    }

    /** {@link #boolIndexingWrite(RaggedBatch, Tensor, RaggedBatch)} with a ragged mask. */
    public static RaggedBatch boolIndexingWrite(RaggedBatch toWrite, RaggedBatch mask, RaggedBatch toWriteInto) {
        requireBatch(toWriteInto, "toWriteInto");
        return toWriteInto.withData(MaskOps.boolIndexingWrite(toWrite, MaskOps.select(toWriteInto, mask),
                toWriteInto.data(), toWriteInto.raggedDim()));
    }

    // =================================================================== reductions and masks

    /** {@link #averageOverTargets(RaggedBatch, boolean)} with {@code nansToZero = true}. */
    public static Tensor averageOverTargets(RaggedBatch data) {
        return Reductions.reduce(data, true, true);
    }

    /**
     * Mean over the valid entries of every sample: shape = data shape without the ragged axis
     * (remaining axes keep their order), dtype = data dtype (FLOAT32/FLOAT64). Sums in double.
     * With {@code nansToZero} every non-finite mean (empty samples, NaN or infinite data) is 0.
     *
     * <pre>{@code
     * // data (2, 3, 1) = [[[1], [3], [9]], [[4], [0], [0]]], sizes [2, 1] -> [[2], [4]]
     * }</pre>
     */
    public static Tensor averageOverTargets(RaggedBatch data, boolean nansToZero) {
        return Reductions.reduce(data, true, nansToZero);
    }

    /**
     * Sum over the valid entries of every sample (empty samples give 0): shape = data shape
     * without the ragged axis, dtype = data dtype (FLOAT32/FLOAT64/INT32/INT64).
     */
    public static Tensor sumOverTargets(RaggedBatch data) {
        return Reductions.reduce(data, false, false);
    }

    /** {@link #applyMask(Tensor, Tensor, double)} with value 0. */
    public static Tensor applyMask(Tensor data, Tensor mask) {
        return applyMask(data, mask, 0);
    }

    /**
     * A copy of {@code data} with every element whose mask entry is false set to {@code value}
     * (NaNs included). The BOOL mask covers the leading axes of the data
     * ({@code mask.shape() == data.shape()[0 .. mask.rank())}) and is broadcast over the rest.
     * An empty mask returns {@code data} itself.
     */
    public static Tensor applyMask(Tensor data, Tensor mask, double value) {
        TensorChecks.requireNonNull(data, "data");
        TensorChecks.requireDType(mask, "mask", DType.BOOL);
        TensorChecks.requireSameDevice("data", data, "mask", mask);
        long[] lead = data.rank() >= mask.rank() ? Arrays.copyOf(data.shape(), mask.rank()) : null;
        if (lead == null || !Arrays.equals(lead, mask.shape())) {
            throw new IllegalArgumentException("mask must match the leading axes of data " + Shapes.format(data.shape())
                    + ", got " + Shapes.format(mask.shape()));
        }
        if (mask.numel() == 0) {
            return data;
        }
        Tensor out = Tensor.empty(data.dtype(), data.device(), data.shape());
        RaggedKernels.of(data.device()).applyMask(data, mask, Shapes.numel(data.shape(), mask.rank(), data.rank()),
                out, ElementBits.of(value, data.dtype()));
        return out;
    }

    /** Removes every axis of extent 1 from position 2 on (axis 0 = batch, axis 1 = samples kept); a view. */
    public static Tensor squeezeExceptBatchAndSample(Tensor data) {
        TensorChecks.requireNonNull(data, "data");
        long[] s = data.shape();
        long[] kept = new long[s.length];
        int n = 0;
        for (int k = 0; k < s.length; k++) {
            if (k < 2 || s[k] != 1) {
                kept[n++] = s[k];
            }
        }
        return data.reshape(Arrays.copyOf(kept, n));
    }

    /**
     * Removes every non-batch axis of extent 1 except the ragged axis, which shifts left by the
     * number of removed axes before it; shares the data.
     *
     * <pre>{@code
     * // data (2, 3, 5, 1, 2, 1), 2 batch dims, ragged axis 2 -> (2, 3, 5, 2), ragged axis 2
     * }</pre>
     */
    public static RaggedBatch squeezeExceptBatchAndSample(RaggedBatch data) {
        requireBatch(data, "data");
        long[] s = data.shape();
        long[] kept = new long[s.length];
        int n = 0;
        int rd = data.raggedDim();
        for (int k = 0; k < s.length; k++) {
            if (k < data.numBatchDims() || k == data.raggedDim() || s[k] != 1) {
                kept[n++] = s[k];
            } else if (k < data.raggedDim()) {
                rd--;
            }
        }
        return new RaggedBatch(data.data().reshape(Arrays.copyOf(kept, n)), data.numBatchDims(), rd, data.structure());
    }

    /**
     * For a 2-d mask {@code (n0, n1)} (any dtype, non-zero = true) and a list of elements: every
     * tensor element of shape {@code (n0, n1, …)} becomes a ragged batch of its selected entries
     * per row (row order kept, zero padded to the largest count, ragged axis 1); other elements are
     * passed through unchanged. All produced batches share one sizes tensor and mask.
     *
     * <pre>{@code
     * // mask rows {0, 2}, {1}, {}; data 3 x 3 -> sizes [2, 1, 0], rows [d00, d02], [d11], []
     * }</pre>
     */
    public static List<Object> compactLists(Tensor mask, List<?> data) {
        TensorChecks.requireRank(mask, "mask", 2);
        RaggedBatch idx = MaskOps.indices(mask.to(DType.BOOL), null);
        List<Object> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Object o = data.get(i);
            if (o instanceof Tensor t) {
                if (t.rank() < 2 || t.shape(0) != mask.shape(0) || t.shape(1) != mask.shape(1)) {
                    throw new IllegalArgumentException("element " + i + " must have shape (" + mask.shape(0) + ", "
                            + mask.shape(1) + ", …), got " + Shapes.format(t.shape()));
                }
                out.add(IndexOps.gather(t, idx, 0, 1));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * {@link #compactLists} for a Java record: every tensor component is compacted, other
     * components are kept; returns a new instance of the same record type.
     */
    public static <R extends Record> R compactRecord(Tensor mask, R record) {
        return RecordCompaction.compact(mask, record);
    }

    // =================================================================== combine

    /**
     * Packs per-sample tensors into a batch with one batch axis and ragged axis 1: sample
     * {@code i} (shape {@code (n_i, D…)}) becomes row {@code i}, zero padded to the largest
     * {@code n_i}. The size of an element is {@code min(shape[0], numel)}, so an empty tensor of
     * any shape counts as 0 and is not copied; dtype and trailing shape come from the first
     * non-empty element (others must agree).
     *
     * @param sameSizes optional batch whose sizes and mask the result shares (sizes assumed equal)
     * @param device    target device, or null for the samples' device; combining CPU samples
     *                  into a CUDA batch packs on the CPU and transfers once
     */
    public static RaggedBatch combine(List<Tensor> samples, RaggedBatch sameSizes, Device device) {
        return Combine.combine(samples, sameSizes, device, true);
    }

    /**
     * {@code combine} of nested lists. With {@code flattenBatchDims} the nesting (which may be
     * irregular) is flattened depth-first into one batch axis; otherwise every nesting level is a
     * batch axis (lists of a level must have equal lengths and depth; the ragged axis is the
     * number of levels) and an all-empty batch is FLOAT32 {@code (B…, 0)}. A flattened empty
     * nesting gives {@link RaggedBatch#empty}{@code (2, 1, device)}.
     *
     * <pre>{@code
     * // [[a (2, 3), b (1, 3)], [c (0, 3), d (5, 3)]] unflattened -> data (2, 2, 5, 3), sizes [[2, 1], [0, 5]]
     * }</pre>
     */
    public static RaggedBatch combineNested(List<?> samples, RaggedBatch sameSizes, Device device,
                                            boolean flattenBatchDims) {
        return Combine.combine(samples, sameSizes, device, flattenBatchDims);
    }

    static void requireBatch(RaggedBatch b, String name) {
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
