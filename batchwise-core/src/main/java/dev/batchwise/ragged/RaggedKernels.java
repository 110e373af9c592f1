package dev.batchwise.ragged;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.List;

/**
 * The primitive kernels the public ragged API is composed of, implemented once for the CPU
 * ({@link CpuRaggedKernels}) and once for CUDA ({@link CudaRaggedKernels}). Callers (the public
 * classes) have validated shapes, dtypes and devices; implementations check index values and
 * sample sizes (the CPU before any work, CUDA through the device error flag).
 *
 * <p>Tensors are contiguous; {@link Layout}s describe them around their ragged or entry axis.
 * {@code sizes} are INT64 of {@code samples} elements; index tensors are INT32 or INT64 of shape
 * {@code (samples, width)}. Filler and fill values are given as raw element bits (see
 * {@link ElementBits}).
 */
interface RaggedKernels {

    /** The kernels for {@code device}. */
    static RaggedKernels of(Device device) {
        return device.isCpu() ? CpuRaggedKernels.INSTANCE : CudaRaggedKernels.INSTANCE;
    }

    /** {@code out(s,p,j,q) = j < sizes[s] ? validBits : fillerBits}; {@code out} has layout {@code l}. */
    void fillByValidity(Tensor out, Tensor sizes, Layout l, long validBits, long fillerBits);

    /** In place: {@code data(s,p,j,q) = valueBits} for every {@code j >= sizes[s]}. */
    void setPadded(Tensor data, Tensor sizes, Layout l, long valueBits);

    /** {@code sizes[s] = count of true in mask(s, 0..n)}; mask is BOOL {@code (samples, n)}. */
    void sizesFromMask(Tensor mask, long samples, long n, Tensor sizesOut);

    /**
     * Gather: {@code out(s,p,j,q) = data(s,p,wrap(idx[s,j]),q)} for {@code j < sizes[s]}, else
     * {@code fillerBits}. {@code out} has layout {@code dl.withExtent(width)}.
     */
    void gather(Tensor data, Layout dl, Tensor idx, Tensor sizes, long width, Tensor out, long fillerBits);

    /**
     * Index-to-index copy, for {@code j < sizes[s]}:
     * {@code dst(s,p,dstIdx[s,j] or j,q) (+)= src(s,p,srcIdx[s,j] or j,q)}. A null index tensor
     * means the identity {@code j}. With {@code add} the values are accumulated (duplicates sum);
     * otherwise they are assigned (duplicate destinations: unspecified winner). {@code dst} is
     * modified; it already holds its initial values.
     */
    void mapCopy(Tensor src, Layout sl, Tensor srcIdx, Tensor dst, Layout dl, Tensor dstIdx, Tensor sizes,
                 long width, boolean add);

    /**
     * {@code dst = base} (same layout {@code dl}), then {@link #mapCopy} without accumulation:
     * {@code dst(s,p,dstIdx[s,j] or j,q) = src(s,p,srcIdx[s,j] or j,q)} for {@code j < sizes[s]}.
     * {@code dst} is freshly allocated (its contents are not read).
     */
    void mapCopyOnto(Tensor src, Layout sl, Tensor srcIdx, Tensor base, Tensor dst, Layout dl, Tensor dstIdx,
                     Tensor sizes, long width);

    /** In place: {@code dst(s,p,wrap(idx[s,j]),q) = valueBits} for {@code j < sizes[s]}. */
    void setAtIndices(Tensor dst, Layout dl, Tensor idx, Tensor sizes, long width, long valueBits);

    /**
     * Per-sample positions of the true entries of BOOL {@code mask (samples, n)}, counting only
     * positions {@code j < limits[s]} when {@code limits} is not null: writes the counts (INT64,
     * {@code samples}). Returns nothing else; the caller allocates the index tensor from the counts.
     */
    void countTrue(Tensor mask, long samples, long n, Tensor limits, Tensor countsOut);

    /**
     * Writes the ascending positions of the (limited) true entries of each sample into
     * {@code out (samples, width)} INT64, fillers 0.
     */
    void compactIndices(Tensor mask, long samples, long n, Tensor limits, Tensor out, long width);

    /**
     * Reduction over the valid entries: {@code out(s,p,q) = sum_{j < sizes[s]} data(s,p,j,q)},
     * divided by {@code sizes[s]} when {@code average}, with non-finite results replaced by 0 when
     * {@code nansToZero}. Accumulates in double for float data and in long for integer data.
     */
    void reduceOverTargets(Tensor data, Layout l, Tensor sizes, Tensor out, boolean average, boolean nansToZero);

    /**
     * Backward of {@link #reduceOverTargets}: {@code out(s,p,j,q) = j < sizes[s] ? g(s,p,q) * w : 0}
     * with {@code w = 1} for sums and {@code 1 / sizes[s]} for averages; with {@code forward}
     * given (the average), positions whose forward value is not finite get 0.
     */
    void broadcastOverTargets(Tensor grad, Layout l, Tensor sizes, Tensor out, boolean average, Tensor forward);

    /** {@code out[i] = mask[i / inner] ? data[i] : valueBits}. */
    void applyMask(Tensor data, Tensor mask, long inner, Tensor out, long valueBits);

    /**
     * General strided copy: for every output multi-index {@code o} (row-major in {@code outShape}),
     * {@code out[o] = src[sum_k (o_k mod srcExtent_k) * srcStride_k]}. Serves axis swaps (permuted
     * strides) and tiling (modulo).
     */
    void stridedCopy(Tensor src, long[] srcExtent, long[] srcStride, Tensor out, long[] outShape);

    /**
     * Packs samples into {@code out (count, width, post)}: row {@code i} holds the first
     * {@code sizes[i] * post} elements of sample {@code i}, zeros after (every element is written;
     * {@code out} need not be initialised). Writes {@code sizes} into {@code sizesOut} (INT64,
     * {@code count} elements, on {@code out}'s device) unless it is null.
     */
    void combine(List<Tensor> samples, long[] sizes, Tensor out, long width, long post, Tensor sizesOut);
}
