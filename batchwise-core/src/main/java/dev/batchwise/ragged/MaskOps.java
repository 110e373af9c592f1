package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.Arrays;

/** Boolean-mask ops behind {@link RaggedOps}: indices from masks, boolean indexing and its write. */
final class MaskOps {
    private MaskOps() {}

    /**
     * Ascending positions of the true entries of each row of BOOL {@code mask (B…, N)}, counting
     * only positions below {@code limits[b…]} when given. Reads the counts to the host to size the
     * result (a GPU sync).
     */
    static RaggedBatch indices(Tensor mask, Tensor limits) {
        int nb = mask.rank() - 1;
        long[] bs = Arrays.copyOf(mask.shape(), nb);
        long samples = Shapes.numel(bs);
        long n = mask.shape(nb);
        Device dev = mask.device();
        RaggedKernels k = RaggedKernels.of(dev);
        Tensor counts = Tensor.empty(DType.INT64, dev, bs);
        k.countTrue(mask, samples, n, limits, counts);
        long width = Arrays.stream(counts.toLongArray()).max().orElse(0);
        Tensor out = Tensor.empty(DType.INT64, dev, Shapes.concat(bs, width));
        k.compactIndices(mask, samples, n, limits, out, width);
        return new RaggedBatch(out, nb, nb, SampleStructure.ofSizes(bs, width, counts));
    }

    static RaggedBatch indicesFromMask(Tensor mask) {
        TensorChecks.requireDType(mask, "mask", DType.BOOL);
        TensorChecks.requireRank(mask, "mask", 2);
        return indices(mask, null);
    }

    static RaggedBatch indicesFromMask(RaggedBatch mask) {
        checkRaggedMask(mask, 0);
        return indices(mask.data(), mask.sampleSizes());
    }

    /** A ragged mask: BOOL data {@code (B…, N)} with the ragged axis last. */
    static void checkRaggedMask(RaggedBatch mask, int requiredBatchDims) {
        if (mask == null) {
            throw new IllegalArgumentException("mask must not be null");
        }
        TensorChecks.requireDType(mask.data(), "mask", DType.BOOL);
        if (requiredBatchDims > 0 && mask.numBatchDims() != requiredBatchDims) {
            throw new IllegalArgumentException("mask must have " + requiredBatchDims + " batch dim(s), got "
                    + mask.numBatchDims());
        }
        if (mask.rank() != mask.numBatchDims() + 1) {
            throw new IllegalArgumentException("mask must have shape (B…, N) (rank " + (mask.numBatchDims() + 1)
                    + "), got " + Shapes.format(mask.shape()));
        }
    }

    /** A plain mask paired with data that has one batch axis and entry axis {@code axis}. */
    static void checkPlainMask(Tensor mask, long[] dataShape, int axis) {
        TensorChecks.requireDType(mask, "mask", DType.BOOL);
        long[] expected = {dataShape[0], dataShape[axis]};
        if (!Arrays.equals(mask.shape(), expected)) {
            throw new IllegalArgumentException("mask must have shape " + Shapes.format(expected) + ", got "
                    + Shapes.format(mask.shape()));
        }
    }

    /** The positions selected by a (mask, sizes-or-null) pair for data of the given layout. */
    record Selection(Tensor mask, Tensor limits) {
        RaggedBatch indices() {
            return MaskOps.indices(mask, limits);
        }
    }

    static Selection select(RaggedBatch data, RaggedBatch mask) {
        checkRaggedMask(mask, 0);
        if (!Arrays.equals(data.batchShape(), mask.batchShape()) || data.maxSampleSize() != mask.maxSampleSize()) {
            throw new IllegalArgumentException("data and mask must have equal batch shape and padded width, got "
                    + Shapes.format(data.batchShape()) + "/" + data.maxSampleSize() + " and "
                    + Shapes.format(mask.batchShape()) + "/" + mask.maxSampleSize());
        }
        TensorChecks.requireSameDevice("data", data.data(), "mask", mask.data());
        return new Selection(mask.data(), mask.sampleSizes());
    }

    static Selection select(RaggedBatch data, Tensor mask) {
        if (data.numBatchDims() != 1) {
            throw new IllegalArgumentException("a plain mask needs data with 1 batch dim, got " + data.numBatchDims());
        }
        checkPlainMask(mask, data.shape(), data.raggedDim());
        TensorChecks.requireSameDevice("data", data.data(), "mask", mask);
        return new Selection(mask, data.sampleSizes());
    }

    static Selection select(Tensor data, RaggedBatch mask) {
        checkRaggedMask(mask, 1);
        TensorChecks.requireNonNull(data, "data");
        if (data.rank() < 2) {
            throw new IllegalArgumentException("data must have shape (B, N, …), got " + Shapes.format(data.shape()));
        }
        checkPlainMask(mask.data(), data.shape(), 1);
        TensorChecks.requireSameDevice("data", data, "mask", mask.data());
        return new Selection(mask.data(), mask.sampleSizes());
    }

    static Selection select(Tensor data, Tensor mask) {
        TensorChecks.requireNonNull(data, "data");
        if (data.rank() < 2) {
            throw new IllegalArgumentException("data must have shape (B, N, …), got " + Shapes.format(data.shape()));
        }
        checkPlainMask(mask, data.shape(), 1);
        TensorChecks.requireSameDevice("data", data, "mask", mask);
        return new Selection(mask, null);
    }

    /** Selected entries packed to the front along {@code axis}, fillers 0. */
    static RaggedBatch boolIndexing(Tensor data, int axis, Selection sel) {
        return IndexOps.gather(data, sel.indices(), 0, axis);
    }

    /**
     * Writes the valid entries of {@code toWrite} (entry axis {@code toWrite.raggedDim()}) in order
     * into the selected positions along {@code axis} of a copy of {@code into}.
     */
    static Tensor boolIndexingWrite(RaggedBatch toWrite, Selection sel, Tensor into, int axis) {
        if (toWrite == null) {
            throw new IllegalArgumentException("toWrite must not be null");
        }
        TensorChecks.requireSameDevice("toWrite", toWrite.data(), "toWriteInto", into);
        if (toWrite.rank() != into.rank()) {
            throw new IllegalArgumentException("toWrite and toWriteInto must have the same number of dimensions, got "
                    + Shapes.format(toWrite.shape()) + " and " + Shapes.format(into.shape()));
        }
        RaggedBatch w = toWrite.transposeRaggedDimTo(axis);
        RaggedBatch idx = sel.indices();
        long[] selected = idx.sampleSizes().toLongArray();
        long[] available = w.sampleSizes().toLongArray();
        if (selected.length != available.length) {
            throw new IllegalArgumentException("toWrite must have " + selected.length + " samples, got " + available.length);
        }
        for (int s = 0; s < selected.length; s++) {
            if (selected[s] > available[s]) {
                throw new IllegalArgumentException("the mask selects " + selected[s] + " entries of sample " + s
                        + " but toWrite holds only " + available[s]);
            }
        }
        return IndexOps.write(w.data(), idx, into, axis);
    }
}
