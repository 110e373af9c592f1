package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/** Validation and composition of the index-based ops behind {@link RaggedOps} and {@link RaggedBackward}. */
final class IndexOps {
    private IndexOps() {}

    /** Checks an index batch: INT32/INT64 data of rank {@code numBatchDims + 1}. */
    static void checkIndices(RaggedBatch idx, String name) {
        if (idx == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        TensorChecks.requireDType(idx.data(), name, DType.INT32, DType.INT64);
        if (idx.rank() != idx.numBatchDims() + 1) {
            throw new IllegalArgumentException(name + " must have shape (B…, M) with " + idx.numBatchDims()
                    + " batch dims (rank " + (idx.numBatchDims() + 1) + "), got " + Shapes.format(idx.shape()));
        }
    }

    /**
     * Checks {@code data} against an index batch and resolves the entry axis ({@code dim}, or the
     * index batch's number of batch dims when {@code dim} is null; negative counts from the end).
     */
    static int entryAxis(Tensor data, String name, RaggedBatch idx, Integer dim) {
        TensorChecks.requireNonNull(data, name);
        int nb = idx.numBatchDims();
        if (data.rank() <= nb) {
            throw new IllegalArgumentException(name + " must have more than " + nb + " axes, got shape "
                    + Shapes.format(data.shape()));
        }
        long[] bs = Arrays.copyOf(data.shape(), nb);
        if (!Arrays.equals(bs, idx.batchShape())) {
            throw new IllegalArgumentException(name + " must have the indices' batch shape " + Shapes.format(idx.batchShape())
                    + ", got shape " + Shapes.format(data.shape()));
        }
        TensorChecks.requireSameDevice("indices", idx.data(), name, data);
        int d = dim == null ? nb : dim < 0 ? dim + data.rank() : dim;
        if (d < nb || d >= data.rank()) {
            throw new IllegalArgumentException("dimToIndexIn must be a non-batch axis in [" + nb + ", " + data.rank()
                    + ") of " + name + " " + Shapes.format(data.shape()) + ", got " + dim);
        }
        return d;
    }

    /** Checks that {@code a} and {@code b} have equal dtype and rank and equal shapes except on {@code axis}. */
    static void checkSameExceptAxis(Tensor a, String nameA, Tensor b, String nameB, int axis) {
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " must have the same number of dimensions, got "
                    + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(nameB + " must have dtype " + a.dtype() + " like " + nameA + ", got "
                    + b.dtype());
        }
        long[] sa = a.shape();
        long[] sb = b.shape();
        sa[axis] = -1;
        sb[axis] = -1;
        if (!Arrays.equals(sa, sb)) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " must have equal shapes except on axis " + axis
                    + ", got " + Shapes.format(a.shape()) + " and " + Shapes.format(b.shape()));
        }
    }

    static long[] withExtent(long[] shape, int axis, long extent) {
        long[] s = shape.clone();
        s[axis] = extent;
        return s;
    }

    static RaggedBatch gather(Tensor data, RaggedBatch idx, double filler, Integer dim) {
        checkIndices(idx, "indices");
        int d = entryAxis(data, "data", idx, dim);
        long m = idx.maxSampleSize();
        Tensor out = Tensor.empty(data.dtype(), data.device(), withExtent(data.shape(), d, m));
        Layout dl = Layout.of(data.shape(), idx.numBatchDims(), d);
        RaggedKernels.of(data.device()).gather(data, dl, idx.data(), idx.sampleSizes(), m, out,
                ElementBits.of(filler, data.dtype()));
        return new RaggedBatch(out, idx.numBatchDims(), d, idx.structure());
    }

    static Tensor scatterIntoFilled(Tensor data, RaggedBatch idx, long numTargets, double filler, Integer dim) {
        checkIndices(idx, "indices");
        int d = entryAxis(data, "data", idx, dim);
        if (numTargets < 0) {
            throw new IllegalArgumentException("numTargets must be >= 0, got " + numTargets);
        }
        Tensor out = Tensor.full(filler, data.dtype(), data.device(), withExtent(data.shape(), d, numTargets));
        scatter(data, idx, out, d, false);
        return out;
    }

    static Tensor write(Tensor toWrite, RaggedBatch idx, Tensor into, Integer dim) {
        checkIndices(idx, "indices");
        int d = entryAxis(toWrite, "toWrite", idx, dim);
        entryAxis(into, "toWriteInto", idx, d);
        checkSameExceptAxis(toWrite, "toWrite", into, "toWriteInto", d);
        Tensor out = Tensor.empty(into.dtype(), into.device(), into.shape());
        int nb = idx.numBatchDims();
        RaggedKernels.of(toWrite.device()).mapCopyOnto(toWrite, Layout.of(toWrite.shape(), nb, d), null, into, out,
                Layout.of(out.shape(), nb, d), idx.data(), idx.sampleSizes(), idx.maxSampleSize());
        return out;
    }

    /** {@code out(s,p,idx[s,j],q) (+)= src(s,p,j,q)} for valid {@code j}. */
    static void scatter(Tensor src, RaggedBatch idx, Tensor out, int d, boolean add) {
        int nb = idx.numBatchDims();
        RaggedKernels.of(src.device()).mapCopy(src, Layout.of(src.shape(), nb, d), null,
                out, Layout.of(out.shape(), nb, d), idx.data(), idx.sampleSizes(), idx.maxSampleSize(), add);
    }

    /** Checks a pair of index batches for {@code indexMapping}. */
    static void checkIndexPair(RaggedBatch src, RaggedBatch tgt) {
        checkIndices(src, "sourceIndices");
        checkIndices(tgt, "targetIndices");
        if (!Arrays.equals(src.shape(), tgt.shape())) {
            throw new IllegalArgumentException("sourceIndices and targetIndices must have equal shapes (batch shape and padded width), got "
                    + Shapes.format(src.shape()) + " and " + Shapes.format(tgt.shape()));
        }
        if (src.dtype() != tgt.dtype()) {
            throw new IllegalArgumentException("targetIndices must have dtype " + src.dtype() + " like sourceIndices, got "
                    + tgt.dtype());
        }
        TensorChecks.requireSameDevice("sourceIndices", src.data(), "targetIndices", tgt.data());
    }

    /**
     * Index mapping with source entry axis {@code srcAxis} and target entry axis {@code tgtAxis}
     * (null = the batch rank). When they differ both are swapped to the first non-batch axis, as
     * the reference does, and the result is swapped back.
     */
    static Tensor mapping(Tensor source, Integer srcAxis, RaggedBatch srcIdx, RaggedBatch tgtIdx, Tensor target,
                          Integer tgtAxis) {
        checkIndexPair(srcIdx, tgtIdx);
        int nb = srcIdx.numBatchDims();
        int sa = entryAxis(source, "sourceData", srcIdx, srcAxis);
        int ta = entryAxis(target, "targetData", srcIdx, tgtAxis);
        if (sa != ta) {
            Tensor s = TensorAxes.swap(source, sa, nb);
            Tensor t = TensorAxes.swap(target, ta, nb);
            return TensorAxes.swap(mapping(s, nb, srcIdx, tgtIdx, t, nb), nb, ta);
        }
        checkSameExceptAxis(source, "sourceData", target, "targetData", sa);
        Tensor out = Tensor.empty(target.dtype(), target.device(), target.shape());
        RaggedKernels.of(source.device()).mapCopyOnto(source, Layout.of(source.shape(), nb, sa), srcIdx.data(),
                target, out, Layout.of(out.shape(), nb, sa), tgtIdx.data(), srcIdx.sampleSizes(),
                srcIdx.maxSampleSize());
        return out;
    }

    static Tensor maskFromIndices(long numTargets, RaggedBatch idx) {
        checkIndices(idx, "indices");
        if (numTargets < 0) {
            throw new IllegalArgumentException("numTargets must be >= 0, got " + numTargets);
        }
        Tensor out = Tensor.zeros(DType.BOOL, idx.device(), Shapes.concat(idx.batchShape(), numTargets));
        RaggedKernels.of(idx.device()).setAtIndices(out, new Layout(idx.numSamples(), 1, numTargets, 1), idx.data(),
                idx.sampleSizes(), idx.maxSampleSize(), 1);
        return out;
    }
}
