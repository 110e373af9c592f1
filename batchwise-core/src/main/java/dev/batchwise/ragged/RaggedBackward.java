package dev.batchwise.ragged;

import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;

/**
 * Explicit backward rules of the differentiable ragged ops ({@code accvlab-semantics.md} §1.7),
 * for fused losses and for external autograd (gradient injection). Each function takes the
 * gradient of the op's output and the op's non-differentiable arguments, and returns the
 * gradient of the differentiable inputs. Gradients at filler positions of an output are ignored;
 * gradients at positions no valid entry touches are 0.
 */
public final class RaggedBackward {
    private RaggedBackward() {}

    /** Gradients of the two data inputs of a write-like op. */
    public record WriteGrads(Tensor toWrite, Tensor toWriteInto) {}

    /** Gradients of the two data inputs of {@link RaggedOps#indexMapping}. */
    public record MappingGrads(Tensor sourceData, Tensor targetData) {}

    /**
     * Backward of {@link RaggedBatch#setPaddedTo} / {@link RaggedBatch#withPaddedSetTo}: the
     * gradient passes through at valid entries and is 0 at fillers.
     *
     * @param gradOutput of the data's shape
     * @param forward    the batch the padding was set on (its sample structure is used)
     */
    public static Tensor paddedSet(Tensor gradOutput, RaggedBatch forward) {
        RaggedOps.requireBatch(forward, "forward");
        return forward.withData(gradOutput).withPaddedSetTo(0).data();
    }

    /**
     * Backward of {@link RaggedOps#indexingAccess}: {@code grad[b, e, …] = Σ_{j < size[b], idx[b,j] = e}
     * gradOutput[b, j, …]} — a scatter-add, so duplicate indices accumulate.
     *
     * <pre>{@code
     * // idx [[1, 1, 0]], gradOutput [[[1], [2], [4]]], 3 inputs -> [[[4], [3], [0]]]
     * }</pre>
     *
     * @param gradOutput {@code (B…, M, D…)} with the entry axis at {@code dimToIndexIn}
     * @param numInputs  extent of the data's entry axis in the forward call
     */
    public static Tensor indexingAccess(Tensor gradOutput, RaggedBatch indices, long numInputs, int dimToIndexIn) {
        IndexOps.checkIndices(indices, "indices");
        int d = IndexOps.entryAxis(gradOutput, "gradOutput", indices, dimToIndexIn);
        requireExtent(gradOutput, d, indices.maxSampleSize());
        requireFloat(gradOutput);
        Tensor out = Tensor.zeros(gradOutput.dtype(), gradOutput.device(),
                IndexOps.withExtent(gradOutput.shape(), d, numInputs));
        IndexOps.scatter(gradOutput, indices, out, d, true);
        return out;
    }

    /** {@link #indexingAccess(Tensor, RaggedBatch, long, int)} with the entry axis after the batch axes. */
    public static Tensor indexingAccess(Tensor gradOutput, RaggedBatch indices, long numInputs) {
        return indexingAccess(gradOutput, indices, numInputs, indices == null ? 1 : indices.numBatchDims());
    }

    /**
     * Backward of {@link RaggedOps#inverseIndexingAccess}: {@code grad[b, j, …] = gradOutput[b, idx[b, j], …]}
     * for {@code j < size[b]}, 0 elsewhere.
     *
     * @param numInputs extent of the data's entry axis in the forward call
     */
    public static Tensor inverseIndexingAccess(Tensor gradOutput, RaggedBatch indices, long numInputs,
                                               int dimToIndexIn) {
        IndexOps.checkIndices(indices, "indices");
        int d = IndexOps.entryAxis(gradOutput, "gradOutput", indices, dimToIndexIn);
        return gatherInto(gradOutput, indices, numInputs, d);
    }

    /** {@link #inverseIndexingAccess(Tensor, RaggedBatch, long, int)} with the entry axis after the batch axes. */
    public static Tensor inverseIndexingAccess(Tensor gradOutput, RaggedBatch indices, long numInputs) {
        return inverseIndexingAccess(gradOutput, indices, numInputs, indices == null ? 1 : indices.numBatchDims());
    }

    /**
     * Backward of {@link RaggedOps#indexingWrite}: {@code toWrite} gets the gradient gathered at
     * the indices (0 at its fillers); {@code toWriteInto} gets the gradient with the written
     * positions zeroed.
     *
     * @param numToWrite extent of {@code toWrite}'s entry axis in the forward call
     */
    public static WriteGrads indexingWrite(Tensor gradOutput, RaggedBatch indices, long numToWrite, int dimToIndexIn) {
        IndexOps.checkIndices(indices, "indices");
        int d = IndexOps.entryAxis(gradOutput, "gradOutput", indices, dimToIndexIn);
        Tensor toWrite = gatherInto(gradOutput, indices, numToWrite, d);
        Tensor into = gradOutput.copy();
        RaggedKernels.of(into.device()).setAtIndices(into, Layout.of(into.shape(), indices.numBatchDims(), d),
                indices.data(), indices.sampleSizes(), indices.maxSampleSize(), 0);
        return new WriteGrads(toWrite, into);
    }

    /** {@link #indexingWrite(Tensor, RaggedBatch, long, int)} with the entry axis after the batch axes. */
    public static WriteGrads indexingWrite(Tensor gradOutput, RaggedBatch indices, long numToWrite) {
        return indexingWrite(gradOutput, indices, numToWrite, indices == null ? 1 : indices.numBatchDims());
    }

    /**
     * Backward of {@link RaggedOps#indexMapping(Tensor, RaggedBatch, RaggedBatch, Tensor)}: the
     * source gets {@code Σ gradOutput[b, tgt[b, j], …]} scattered-added at {@code src[b, j]}
     * (duplicates accumulate); the target gets the gradient with the target positions zeroed.
     * Only {@code j < sourceIndices.size[b]} count.
     *
     * @param numSources extent of the source data's entry axis in the forward call
     */
    public static MappingGrads indexMapping(Tensor gradOutput, RaggedBatch sourceIndices, RaggedBatch targetIndices,
                                            long numSources) {
        IndexOps.checkIndexPair(sourceIndices, targetIndices);
        int nb = sourceIndices.numBatchDims();
        int d = IndexOps.entryAxis(gradOutput, "gradOutput", sourceIndices, null);
        requireFloat(gradOutput);
        Tensor source = Tensor.zeros(gradOutput.dtype(), gradOutput.device(),
                IndexOps.withExtent(gradOutput.shape(), d, numSources));
        RaggedKernels k = RaggedKernels.of(gradOutput.device());
        Layout gl = Layout.of(gradOutput.shape(), nb, d);
        k.mapCopy(gradOutput, gl, targetIndices.data(), source, Layout.of(source.shape(), nb, d), sourceIndices.data(),
                sourceIndices.sampleSizes(), sourceIndices.maxSampleSize(), true);
        Tensor target = gradOutput.copy();
        k.setAtIndices(target, gl, targetIndices.data(), sourceIndices.sampleSizes(), sourceIndices.maxSampleSize(), 0);
        return new MappingGrads(source, target);
    }

    /**
     * Backward of {@link RaggedOps#boolIndexing}: the k-th selected entry of sample b receives the
     * gradient of output entry k; every other position 0. {@code selected} is the forward mask
     * paired as in the forward call, given as the index batch that
     * {@link RaggedOps#boolIndexingPositions} returns for the forward's arguments (any number of
     * batch dims); {@code numInputs} is the data's ragged extent.
     *
     * @param gradOutput the gradient of the forward result's data (entry axis {@code axis})
     * @param selected   positions selected per sample (ascending), as an index batch
     * @param axis       the entry (ragged) axis of data and result
     */
    public static Tensor boolIndexing(Tensor gradOutput, RaggedBatch selected, long numInputs, int axis) {
        IndexOps.checkIndices(selected, "selected");
        int d = IndexOps.entryAxis(gradOutput, "gradOutput", selected, axis);
        Tensor out = Tensor.zeros(gradOutput.dtype(), gradOutput.device(),
                IndexOps.withExtent(gradOutput.shape(), d, numInputs));
        IndexOps.scatter(gradOutput, selected, out, d, false);
        return out;
    }

    /**
     * Backward of {@link RaggedOps#boolIndexingWrite}: {@code toWrite} gets the gradient at the
     * selected positions in order (entry k of sample b = gradient at the k-th selected position),
     * 0 at its other entries; {@code toWriteInto} gets the gradient with the selected positions zeroed.
     *
     * @param selected   positions selected per sample (ascending), as an index batch: what
     *                   {@link RaggedOps#boolIndexingPositions} returns for the forward's
     *                   {@code toWriteInto} and mask
     * @param numToWrite extent of {@code toWrite}'s ragged axis
     */
    public static WriteGrads boolIndexingWrite(Tensor gradOutput, RaggedBatch selected, long numToWrite, int axis) {
        return indexingWrite(gradOutput, selected, numToWrite, axis);
    }

    /**
     * Backward of {@link RaggedOps#sumOverTargets}: {@code grad[b, j, …] = gradOutput[b, …]} for
     * valid {@code j}, 0 at fillers.
     */
    public static Tensor sumOverTargets(Tensor gradOutput, RaggedBatch data) {
        return Reductions.backward(gradOutput, data, false, false);
    }

    /**
     * Backward of {@link RaggedOps#averageOverTargets(RaggedBatch, boolean)}:
     * {@code grad[b, j, …] = gradOutput[b, …] / size[b]} for valid {@code j}, 0 at fillers; with
     * {@code nansToZero}, 0 wherever the forward mean was not finite (the replaced values).
     */
    public static Tensor averageOverTargets(Tensor gradOutput, RaggedBatch data, boolean nansToZero) {
        return Reductions.backward(gradOutput, data, true, nansToZero);
    }

    /** Backward of {@link RaggedOps#applyMask}: the gradient with masked-out elements zeroed. */
    public static Tensor applyMask(Tensor gradOutput, Tensor mask) {
        return RaggedOps.applyMask(gradOutput, mask, 0);
    }

    private static Tensor gatherInto(Tensor gradOutput, RaggedBatch indices, long extent, int d) {
        Tensor out = Tensor.zeros(gradOutput.dtype(), gradOutput.device(),
                IndexOps.withExtent(gradOutput.shape(), d, extent));
        int nb = indices.numBatchDims();
        RaggedKernels.of(out.device()).mapCopy(gradOutput, Layout.of(gradOutput.shape(), nb, d), indices.data(),
                out, Layout.of(out.shape(), nb, d), null, indices.sampleSizes(), indices.maxSampleSize(), false);
        return out;
    }

    private static void requireExtent(Tensor t, int axis, long extent) {
        if (t.shape(axis) != extent) {
            throw new IllegalArgumentException("gradOutput must have extent " + extent + " on axis " + axis
                    + " (the indices' padded width), got " + dev.batchwise.tensor.Shapes.format(t.shape()));
        }
    }

    private static void requireFloat(Tensor t) {
        TensorChecks.requireDType(t, "gradOutput", dev.batchwise.tensor.DType.FLOAT32, dev.batchwise.tensor.DType.FLOAT64,
                dev.batchwise.tensor.DType.INT32, dev.batchwise.tensor.DType.INT64);
    }
}
