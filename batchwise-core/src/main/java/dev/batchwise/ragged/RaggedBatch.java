package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A batch of samples of different sizes, held as one padded tensor plus the size of every sample
 * — the {@code RaggedBatch} of ACCV-Lab's {@code batching_helpers}, with the quirks listed in
 * {@code accvlab-semantics.md} §1 fixed.
 *
 * <h2>Data model</h2>
 * <ul>
 *   <li>{@link #data()} has shape {@code (B…, …, N, …)}: {@link #numBatchDims()} leading batch axes,
 *       then any number of data axes, one of which — {@link #raggedDim()}, somewhere after the batch
 *       axes — is the ragged axis of padded extent {@code N} = {@link #maxSampleSize()}.</li>
 *   <li>{@link #sampleSizes()} (INT64, shape {@code (B…)}): sample {@code b…} holds valid entries at
 *       positions {@code 0 … size-1} of the ragged axis; positions {@code size … N-1} are filler.</li>
 *   <li>{@link #mask()} (BOOL, shape {@code (B…, N)}): {@code mask[b…, j] = j < size[b…]}, whatever
 *       the position of the ragged axis in the data.</li>
 *   <li>Filler values are unspecified unless the op that produced the batch documents them.</li>
 *   <li>Sizes and mask carry the same information: either is given, the other is derived on first
 *       use and cached. Batches derived from one another share them (treat them as immutable).</li>
 * </ul>
 *
 * <pre>{@code
 * // 3 samples with 2, 0 and 3 boxes of 4 values, padded to 3 entries
 * Tensor boxes = Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 3, 4);
 * RaggedBatch rb = RaggedBatch.of(boxes, Tensor.of(new long[] {2, 0, 3}));
 * rb.maxSampleSize();   // 3
 * rb.mask();            // [[true, true, false], [false, false, false], [true, true, true]]
 * rb.totalEntries();    // 5
 * rb.split();           // tensors of shape (2, 4), (0, 4), (3, 4)
 * }</pre>
 *
 * <p>Methods return new batches and never modify {@code this}, except {@link #setPaddedTo} and
 * {@link #setData}. Derived batches may share the data tensor (views) where the method says so.
 * {@link #close()} frees the data tensor; shared sizes and mask are freed by their scope (or when
 * unreachable).
 */
public final class RaggedBatch implements AutoCloseable {
    private Tensor data;
    private final int numBatchDims;
    private final int raggedDim;
    private final SampleStructure structure;

    RaggedBatch(Tensor data, int numBatchDims, int raggedDim, SampleStructure structure) {
        this.data = data;
        this.numBatchDims = numBatchDims;
        this.raggedDim = raggedDim;
        this.structure = structure;
    }

    // =================================================================== construction

    /**
     * Wraps padded {@code data} with per-sample sizes; the ragged axis is the first axis after the
     * batch axes ({@code sampleSizes.rank()}). No copy.
     *
     * @param data        {@code (B…, N, D…)}, any dtype
     * @param sampleSizes INT32 or INT64 of shape {@code (B…)}, values in {@code [0, N]}; INT32 is
     *                    converted to INT64
     * @throws IllegalArgumentException on shape, dtype or device mismatch, and (CPU) for a size that
     *                                  is negative or larger than {@code N}; on CUDA sizes are
     *                                  checked by the kernels that read them
     */
    public static RaggedBatch of(Tensor data, Tensor sampleSizes) {
        TensorChecks.requireNonNull(sampleSizes, "sampleSizes");
        return of(data, sampleSizes, sampleSizes.rank());
    }

    /**
     * Like {@link #of(Tensor, Tensor)} with the ragged axis at {@code raggedDim}
     * ({@code numBatchDims <= raggedDim < data.rank()}; negative counts from the end).
     */
    public static RaggedBatch of(Tensor data, Tensor sampleSizes, int raggedDim) {
        TensorChecks.requireNonNull(data, "data");
        TensorChecks.requireDType(sampleSizes, "sampleSizes", DType.INT64, DType.INT32);
        int nb = sampleSizes.rank();
        int rd = checkLayout(data, nb, raggedDim);
        TensorChecks.requireSameDevice("data", data, "sampleSizes", sampleSizes);
        requireBatchShape(sampleSizes.shape(), "sampleSizes", data, nb);
        Tensor sizes = sampleSizes.to(DType.INT64);
        long width = data.shape(rd);
        if (sizes.device().isCpu()) {
            CpuRaggedKernels.checkedSizes(sizes, sizes.numel(), width);
        }
        return new RaggedBatch(data, nb, rd, SampleStructure.ofSizes(sizes.shape(), width, sizes));
    }

    /** Wraps {@code data} with a BOOL {@code mask (B…, N)}; ragged axis right after the batch axes. */
    public static RaggedBatch fromMask(Tensor data, Tensor mask) {
        TensorChecks.requireNonNull(mask, "mask");
        return fromMask(data, mask, mask.rank() - 1);
    }

    /**
     * Wraps {@code data} with a BOOL {@code mask} of shape {@code (B…, N)}; the number of batch
     * dims is {@code mask.rank() - 1}. The mask must be "valid first" (true entries form a prefix
     * of every row); this is not checked. Sizes, when needed, count the trues of each row.
     */
    public static RaggedBatch fromMask(Tensor data, Tensor mask, int raggedDim) {
        TensorChecks.requireNonNull(data, "data");
        TensorChecks.requireDType(mask, "mask", DType.BOOL);
        int nb = mask.rank() - 1;
        int rd = checkLayout(data, nb, raggedDim);
        TensorChecks.requireSameDevice("data", data, "mask", mask);
        long[] ms = mask.shape();
        requireBatchShape(Arrays.copyOf(ms, nb), "mask batch shape", data, nb);
        if (ms[nb] != data.shape(rd)) {
            throw new IllegalArgumentException("mask width must equal the data extent on the ragged axis "
                    + data.shape(rd) + ", got mask shape " + Shapes.format(ms));
        }
        return new RaggedBatch(data, nb, rd, SampleStructure.ofMask(Arrays.copyOf(ms, nb), ms[nb], mask));
    }

    /**
     * Like {@link #of(Tensor, Tensor, int)} for data whose ragged axis is longer than needed: the
     * data is cut along the ragged axis to {@code max(sampleSizes)}. Reads the sizes to the host
     * (a GPU sync). The result is a view of {@code data} when the ragged axis is its leading
     * non-unit axis, otherwise a copy.
     */
    public static RaggedBatch fromOversizeTensor(Tensor data, Tensor sampleSizes, int raggedDim) {
        RaggedBatch full = of(data, sampleSizes, raggedDim);
        long max = Arrays.stream(full.sampleSizes().toLongArray()).max().orElse(0);
        return cutTo(full, max, full.sampleSizes(), null);
    }

    /** {@link #fromOversizeTensor(Tensor, Tensor, int)} with the ragged axis after the batch axes. */
    public static RaggedBatch fromOversizeTensor(Tensor data, Tensor sampleSizes) {
        TensorChecks.requireNonNull(sampleSizes, "sampleSizes");
        return fromOversizeTensor(data, sampleSizes, sampleSizes.rank());
    }

    /**
     * Like {@link #fromOversizeTensor} given a mask instead of sizes; sizes are counted along the
     * last mask axis (the reference reduces over the wrong axis when the ragged axis is not right
     * after the batch axes; fixed here). The mask is cut to the new width too.
     */
    public static RaggedBatch fromOversizeMask(Tensor data, Tensor mask, int raggedDim) {
        RaggedBatch full = fromMask(data, mask, raggedDim);
        long max = Arrays.stream(full.sampleSizes().toLongArray()).max().orElse(0);
        return cutTo(full, max, full.sampleSizes(), mask);
    }

    private static RaggedBatch cutTo(RaggedBatch full, long width, Tensor sizes, Tensor mask) {
        Tensor d = full.data;
        int rd = full.raggedDim;
        Tensor cut = width == d.shape(rd) ? d
                : Shapes.numel(d.shape(), 0, rd) == 1 || rd == 0 ? d.narrow(rd, 0, width) : d.slice(rd, 0, width);
        SampleStructure st = SampleStructure.ofSizes(full.batchShape(), width, sizes);
        RaggedBatch r = new RaggedBatch(cut, full.numBatchDims, rd, st);
        if (mask != null) {
            Tensor m = width == mask.shape(-1) ? mask : mask.slice(mask.rank() - 1, 0, width);
            r = new RaggedBatch(cut, full.numBatchDims, rd, SampleStructure.ofMask(full.batchShape(), width, m));
        }
        return r;
    }

    /**
     * A batch of one batch axis of extent 0: FLOAT32 data of shape {@code (0, 0, …)} with
     * {@code numDims} axes, ragged axis {@code raggedDim}.
     */
    public static RaggedBatch empty(int numDims, int raggedDim, Device device) {
        return emptyWithBatchShape(numDims, raggedDim, device, 0);
    }

    /** An empty batch with {@code numBatchDims} batch axes of extent 0. */
    public static RaggedBatch emptyWithBatchDims(int numDims, int raggedDim, Device device, int numBatchDims) {
        if (numBatchDims < 1) {
            throw new IllegalArgumentException("numBatchDims must be >= 1, got " + numBatchDims);
        }
        return emptyWithBatchShape(numDims, raggedDim, device, new long[numBatchDims]);
    }

    /**
     * A batch of the given batch shape whose data has extent 0 on every other axis: FLOAT32 data
     * of rank {@code numDims}, every sample size 0.
     *
     * @throws IllegalArgumentException unless {@code 1 <= batchShape.length < numDims} and
     *                                  {@code batchShape.length <= raggedDim < numDims}
     */
    public static RaggedBatch emptyWithBatchShape(int numDims, int raggedDim, Device device, long... batchShape) {
        int nb = batchShape.length;
        if (nb < 1 || nb >= numDims) {
            throw new IllegalArgumentException("need 1 <= number of batch dims < numDims, got batch shape "
                    + Shapes.format(batchShape) + " and numDims " + numDims);
        }
        if (raggedDim < nb || raggedDim >= numDims) {
            throw new IllegalArgumentException("raggedDim must be in [" + nb + ", " + numDims + "), got " + raggedDim);
        }
        long[] shape = Arrays.copyOf(batchShape, numDims);
        Tensor data = Tensor.zeros(DType.FLOAT32, device, shape);
        Tensor sizes = Tensor.zeros(DType.INT64, device, batchShape);
        return new RaggedBatch(data, nb, raggedDim, SampleStructure.ofSizes(batchShape, 0, sizes));
    }

    /**
     * Wraps a uniformly sized batch: every sample has {@code full.shape(raggedDim)} valid entries.
     *
     * @param numBatchDims {@code >= 1}; {@code numBatchDims <= raggedDim < full.rank()}
     */
    public static RaggedBatch fromFullTensor(Tensor full, int raggedDim, int numBatchDims) {
        TensorChecks.requireNonNull(full, "full");
        if (numBatchDims < 1) {
            throw new IllegalArgumentException("numBatchDims must be >= 1, got " + numBatchDims);
        }
        int rd = checkLayout(full, numBatchDims, raggedDim);
        long[] bs = Arrays.copyOf(full.shape(), numBatchDims);
        Tensor sizes = Tensor.full(full.shape(rd), DType.INT64, full.device(), bs);
        return new RaggedBatch(full, numBatchDims, rd, SampleStructure.ofSizes(bs, full.shape(rd), sizes));
    }

    /** {@link #fromFullTensor(Tensor, int, int)} with one batch axis and ragged axis 1. */
    public static RaggedBatch fromFullTensor(Tensor full) {
        return fromFullTensor(full, 1, 1);
    }

    /**
     * Combines per-sample tensors into a batch with one batch axis and ragged axis 1; see
     * {@link RaggedOps#combine(List, RaggedBatch, Device)}.
     *
     * <pre>{@code
     * RaggedBatch rb = RaggedBatch.combine(List.of(a, b, c));  // a (3, 4), b (0, 4), c (2, 4)
     * rb.data().shape();                                       // (3, 3, 4), zero padded
     * rb.sampleSizes();                                        // [3, 0, 2]
     * }</pre>
     */
    public static RaggedBatch combine(List<Tensor> samples) {
        return RaggedOps.combine(samples, null, null);
    }

    /** {@link #combine(List)} sharing {@code sameSizes}'s sizes and mask (sizes assumed equal). */
    public static RaggedBatch combine(List<Tensor> samples, RaggedBatch sameSizes) {
        return RaggedOps.combine(samples, sameSizes, null);
    }

    /** Resolves and checks {@code raggedDim} for a data tensor with {@code nb} batch axes. */
    static int checkLayout(Tensor data, int nb, int raggedDim) {
        if (nb < 1) {
            throw new IllegalArgumentException("a ragged batch needs at least 1 batch dim, got " + nb);
        }
        if (data.rank() <= nb) {
            throw new IllegalArgumentException("data must have more than " + nb + " axes (batch axes plus a ragged axis), got shape "
                    + Shapes.format(data.shape()));
        }
        int rd = raggedDim < 0 ? raggedDim + data.rank() : raggedDim;
        if (rd < nb || rd >= data.rank()) {
            throw new IllegalArgumentException("raggedDim must be in [" + nb + ", " + data.rank() + ") for data of shape "
                    + Shapes.format(data.shape()) + " with " + nb + " batch dims, got " + raggedDim);
        }
        return rd;
    }

    private static void requireBatchShape(long[] actual, String name, Tensor data, int nb) {
        long[] expected = Arrays.copyOf(data.shape(), nb);
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException(name + " must have the data's batch shape " + Shapes.format(expected)
                    + ", got " + Shapes.format(actual));
        }
    }

    // =================================================================== properties

    /** The padded data tensor (fillers unspecified unless the producing op says otherwise). */
    public Tensor data() {
        return data;
    }

    /** Sample sizes, INT64 of shape {@link #batchShape()} (derived from the mask on first use). */
    public Tensor sampleSizes() {
        return structure.sizes();
    }

    /** BOOL mask of shape {@code (B…, N)}, true at valid entries (derived from the sizes on first use). */
    public Tensor mask() {
        return structure.mask();
    }

    /** Number of leading batch axes (at least 1). */
    public int numBatchDims() {
        return numBatchDims;
    }

    /** The data axis that is ragged, in {@code [numBatchDims, rank)}. */
    public int raggedDim() {
        return raggedDim;
    }

    /** The extents of the batch axes. */
    public long[] batchShape() {
        return Arrays.copyOf(data.shape(), numBatchDims);
    }

    /** Number of samples: the product of {@link #batchShape()}. */
    public long numSamples() {
        return Shapes.numel(data.shape(), 0, numBatchDims);
    }

    /** Sum of the sample sizes. Reads the sizes to the host once (a GPU sync), then cached. */
    public long totalEntries() {
        return structure.totalEntries();
    }

    /** Padded extent of the ragged axis (may exceed the largest sample size). */
    public long maxSampleSize() {
        return data.shape(raggedDim);
    }

    /** Device of the data. */
    public Device device() {
        return data.device();
    }

    /** Element type of the data. */
    public DType dtype() {
        return data.dtype();
    }

    /** Shape of the data (padded extent on the ragged axis). */
    public long[] shape() {
        return data.shape();
    }

    /** Rank of the data. */
    public int rank() {
        return data.rank();
    }

    SampleStructure structure() {
        return structure;
    }

    Layout layout() {
        return Layout.of(data.shape(), numBatchDims, raggedDim);
    }

    // =================================================================== derived batches

    /** A batch with a deep copy of the data, sharing sizes and mask. */
    public RaggedBatch cloneData() {
        return new RaggedBatch(data.copy(), numBatchDims, raggedDim, structure);
    }

    /**
     * Wraps {@code newData} with this batch's sample sizes; the ragged axis keeps its index.
     * {@code newData} must have this batch shape and extent {@link #maxSampleSize()} on the
     * ragged axis; its other axes are free.
     */
    public RaggedBatch withData(Tensor newData) {
        return withData(newData, raggedDim);
    }

    /**
     * Wraps {@code newData} with this batch's sample sizes and ragged axis {@code raggedDim} of the
     * new tensor (negative counts from the end of the new tensor).
     *
     * @throws IllegalArgumentException on another batch shape, ragged extent or device
     */
    public RaggedBatch withData(Tensor newData, int raggedDim) {
        TensorChecks.requireNonNull(newData, "newData");
        int rd = checkLayout(newData, numBatchDims, raggedDim);
        requireBatchShape(Arrays.copyOf(newData.shape(), numBatchDims), "newData batch shape", data, numBatchDims);
        if (newData.shape(rd) != maxSampleSize()) {
            throw new IllegalArgumentException("newData must have extent " + maxSampleSize() + " on its ragged axis "
                    + rd + ", got shape " + Shapes.format(newData.shape()));
        }
        if (newData.device() != structure.device()) {
            throw new IllegalArgumentException("newData must be on " + structure.device() + " like the sample sizes, got "
                    + newData.device() + " (use withData(newData, raggedDim, device))");
        }
        return new RaggedBatch(newData, numBatchDims, rd, structure);
    }

    /** {@link #withData(Tensor, int)} after moving {@code newData} (and sizes/mask) to {@code device}. */
    public RaggedBatch withData(Tensor newData, int raggedDim, Device device) {
        TensorChecks.requireNonNull(newData, "newData");
        return to(device).withData(newData.to(device), raggedDim);
    }

    /**
     * A batch whose ragged axis is {@code dim}: the data axes {@code raggedDim()} and {@code dim}
     * are swapped (a swap, not a move). Returns {@code this} when {@code dim == raggedDim()}.
     *
     * @throws IllegalArgumentException unless {@code numBatchDims <= dim < rank}
     */
    public RaggedBatch transposeRaggedDimTo(int dim) {
        if (dim < numBatchDims || dim >= data.rank()) {
            throw new IllegalArgumentException("the ragged axis can move to an axis in [" + numBatchDims + ", "
                    + data.rank() + "), got " + dim);
        }
        if (dim == raggedDim) {
            return this;
        }
        return new RaggedBatch(TensorAxes.swap(data, raggedDim, dim), numBatchDims, dim, structure);
    }

    /** {@link #existenceWeights(DType)} as FLOAT32. */
    public Tensor existenceWeights() {
        return existenceWeights(DType.FLOAT32);
    }

    /**
     * A tensor of the data's shape holding 1 at every element of a valid entry and 0 at fillers,
     * whatever the position of the ragged axis; {@code data * weights} zeroes the fillers.
     */
    public Tensor existenceWeights(DType dtype) {
        TensorChecks.requireNonNull(data, "data");
        Tensor out = Tensor.empty(dtype, device(), data.shape());
        RaggedKernels.of(device()).fillByValidity(out, sampleSizes(), layout(),
                ElementBits.of(1, dtype), ElementBits.of(0, dtype));
        return out;
    }

    /**
     * A batch with a copy of the data in which every element of every filler entry is
     * {@code value} (converted to the data dtype, see {@link Tensor#to(DType)}). Valid entries are
     * copied bit for bit. Gradient: {@link RaggedBackward#paddedSet}.
     *
     * <pre>{@code
     * // data [[1,2,3,4,5],[6,7,8,9,10]], sizes [3, 2]
     * rb.withPaddedSetTo(-10).data();   // [[1,2,3,-10,-10],[6,7,-10,-10,-10]]
     * }</pre>
     */
    public RaggedBatch withPaddedSetTo(double value) {
        RaggedBatch c = cloneData();
        c.setPaddedTo(value);
        return c;
    }

    /** Sets every filler element of this batch's data to {@code value}, in place; returns {@code this}. */
    public RaggedBatch setPaddedTo(double value) {
        RaggedKernels.of(device()).setPadded(data, sampleSizes(), layout(), ElementBits.of(value, dtype()));
        return this;
    }

    /** {@link #repeatSamples(int, int)} along batch axis 0. */
    public RaggedBatch repeatSamples(int numRepeats) {
        return repeatSamples(numRepeats, 0);
    }

    /**
     * Tiles the samples {@code numRepeats} times along batch axis {@code batchDim}: result sample
     * {@code s + k * extent} equals sample {@code s} (order {@code a, b, a, b}).
     */
    public RaggedBatch repeatSamples(int numRepeats, int batchDim) {
        if (batchDim < 0 || batchDim >= numBatchDims) {
            throw new IllegalArgumentException("batchDim must be in [0, " + numBatchDims + "), got " + batchDim);
        }
        long[] r = new long[numBatchDims];
        Arrays.fill(r, 1);
        r[batchDim] = numRepeats;
        return repeatSamples(r);
    }

    /**
     * Tiles the samples {@code repeats[k]} times along every batch axis {@code k}.
     *
     * <pre>{@code
     * rb.batchShape();                            // (2, 3)
     * rb.repeatSamples(new long[] {2, 3}).batchShape();  // (4, 9); sample (i, j) = rb sample (i % 2, j % 3)
     * }</pre>
     *
     * @throws IllegalArgumentException unless {@code repeats.length == numBatchDims()} and all are {@code >= 1}
     */
    public RaggedBatch repeatSamples(long[] repeats) {
        if (repeats.length != numBatchDims) {
            throw new IllegalArgumentException("need one repeat count per batch dim (" + numBatchDims + "), got "
                    + Arrays.toString(repeats));
        }
        for (long r : repeats) {
            if (r < 1) {
                throw new IllegalArgumentException("repeat counts must be >= 1, got " + Arrays.toString(repeats));
            }
        }
        Tensor newData = TensorAxes.tile(data, repeats);
        long[] newBatch = Arrays.copyOf(newData.shape(), numBatchDims);
        SampleStructure st;
        if (structure.hasSizes() || !structure.hasMask()) {
            st = SampleStructure.ofSizes(newBatch, maxSampleSize(), TensorAxes.tile(sampleSizes(), repeats));
        } else {
            st = SampleStructure.ofMask(newBatch, maxSampleSize(), TensorAxes.tile(mask(), repeats));
        }
        return new RaggedBatch(newData, numBatchDims, raggedDim, st);
    }

    /**
     * Tiles the batch to {@code newBatchShape}; every new extent must be a whole multiple of the old
     * one (any multiple, not only broadcasting from 1).
     */
    public RaggedBatch broadcastBatchDimsToShape(long... newBatchShape) {
        long[] old = batchShape();
        if (newBatchShape.length != old.length) {
            throw new IllegalArgumentException("new batch shape must have " + old.length + " dims, got "
                    + Shapes.format(newBatchShape));
        }
        long[] r = new long[old.length];
        for (int k = 0; k < old.length; k++) {
            boolean ok = old[k] == 0 ? newBatchShape[k] == 0
                    : newBatchShape[k] >= old[k] && newBatchShape[k] % old[k] == 0;
            if (!ok) {
                throw new IllegalArgumentException("cannot broadcast batch shape " + Shapes.format(old) + " to "
                        + Shapes.format(newBatchShape) + ": every new extent must be a multiple of the old one");
            }
            r[k] = old[k] == 0 ? 1 : newBatchShape[k] / old[k];
        }
        return repeatSamples(r);
    }

    /**
     * Tiles every batch to the element-wise maximum of their batch shapes (each must divide it).
     *
     * <pre>{@code
     * // batch shapes (2, 3), (4, 3), (2, 6) -> all become (4, 6)
     * }</pre>
     */
    public static List<RaggedBatch> broadcastBatchDims(List<RaggedBatch> batches) {
        if (batches.isEmpty()) {
            return List.of();
        }
        int nb = batches.get(0).numBatchDims;
        long[] target = new long[nb];
        for (RaggedBatch b : batches) {
            if (b.numBatchDims != nb) {
                throw new IllegalArgumentException("all batches must have " + nb + " batch dims, got "
                        + b.numBatchDims);
            }
            long[] s = b.batchShape();
            for (int k = 0; k < nb; k++) {
                target[k] = Math.max(target[k], s[k]);
            }
        }
        List<RaggedBatch> out = new ArrayList<>();
        for (RaggedBatch b : batches) {
            out.add(b.broadcastBatchDimsToShape(target));
        }
        return out;
    }

    /** Inserts a batch axis of extent 1 at {@code dim} ({@code 0 <= dim <= numBatchDims}); shares data. */
    public RaggedBatch unsqueezeBatchDim(int dim) {
        if (dim < 0 || dim > numBatchDims) {
            throw new IllegalArgumentException("dim must be in [0, " + numBatchDims + "], got " + dim);
        }
        return reshapeBatchDims(TensorAxes.insert(batchShape(), dim, 1));
    }

    /** Removes batch axis {@code batchDim}, which must have extent 1 and must not be the only one. */
    public RaggedBatch squeezeBatchDim(int batchDim) {
        if (batchDim < 0 || batchDim >= numBatchDims) {
            throw new IllegalArgumentException("batchDim must be in [0, " + numBatchDims + "), got " + batchDim);
        }
        if (batchShape()[batchDim] != 1) {
            throw new IllegalArgumentException("batch dim " + batchDim + " must have extent 1 to be squeezed, got batch shape "
                    + Shapes.format(batchShape()));
        }
        if (numBatchDims == 1) {
            throw new IllegalArgumentException("cannot squeeze the only batch dim");
        }
        return reshapeBatchDims(TensorAxes.remove(batchShape(), batchDim));
    }

    /**
     * Reshapes the batch axes only (one extent may be -1); data, sizes and mask are reshaped
     * consistently (views) and the ragged axis index shifts by the change in batch rank.
     */
    public RaggedBatch reshapeBatchDims(long... newBatchShape) {
        if (newBatchShape.length < 1) {
            throw new IllegalArgumentException("need at least one batch dim");
        }
        long[] nbs = inferBatchShape(newBatchShape);
        long[] shape = data.shape();
        long[] newShape = Shapes.concat(nbs, Arrays.copyOfRange(shape, numBatchDims, shape.length));
        Tensor d = data.reshape(newShape);
        return new RaggedBatch(d, nbs.length, raggedDim + nbs.length - numBatchDims, structure.reshaped(nbs));
    }

    private long[] inferBatchShape(long[] requested) {
        long total = numSamples();
        long[] s = requested.clone();
        int infer = -1;
        long known = 1;
        for (int k = 0; k < s.length; k++) {
            if (s[k] == -1 && infer < 0) {
                infer = k;
            } else if (s[k] < 0) {
                throw new IllegalArgumentException("invalid batch shape " + Shapes.format(requested));
            } else {
                known *= s[k];
            }
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot reshape batch shape " + Shapes.format(batchShape()) + " to "
                        + Shapes.format(requested));
            }
            s[infer] = total / known;
        }
        if (Shapes.numel(s) != total) {
            throw new IllegalArgumentException("cannot reshape batch shape " + Shapes.format(batchShape()) + " to "
                    + Shapes.format(requested));
        }
        return s;
    }

    /** All batch axes merged into one (row-major sample order). */
    public RaggedBatch flattenBatchDims() {
        return reshapeBatchDims(-1);
    }

    /**
     * Inserts a data axis of extent 1 at {@code dim} of the result ({@code numBatchDims <= dim <= rank};
     * negative: {@code rank + 1 + dim}). The ragged axis shifts by one when {@code dim <= raggedDim}.
     * Shares the data (a view).
     */
    public RaggedBatch unsqueezeDataDim(int dim) {
        int d = dim < 0 ? data.rank() + 1 + dim : dim;
        if (d < numBatchDims || d > data.rank()) {
            throw new IllegalArgumentException("data dim must be in [" + numBatchDims + ", " + data.rank()
                    + "] (or negative), got " + dim);
        }
        Tensor nd = data.reshape(TensorAxes.insert(data.shape(), d, 1));
        return new RaggedBatch(nd, numBatchDims, d <= raggedDim ? raggedDim + 1 : raggedDim, structure);
    }

    /**
     * The samples without fillers, in row-major sample order: sample {@code s} has the data shape
     * without the batch axes, cut to its size on the ragged axis (which keeps its relative
     * position). Reads the sizes to the host (a GPU sync). Pieces share memory with the data where
     * the cut is contiguous, otherwise they are copies.
     */
    public List<Tensor> split() {
        long[] sizes = sampleSizes().toLongArray();
        long[] shape = data.shape();
        long[] sampleShape = Arrays.copyOfRange(shape, numBatchDims, shape.length);
        int axis = raggedDim - numBatchDims;
        Tensor flat = data.reshape(Shapes.concat(new long[] {numSamples()}, sampleShape));
        boolean view = Shapes.numel(sampleShape, 0, axis) == 1;
        List<Tensor> out = new ArrayList<>(sizes.length);
        for (int s = 0; s < sizes.length; s++) {
            Tensor sample = flat.select(0, s);
            out.add(view ? sample.narrow(axis, 0, sizes[s]) : sample.slice(axis, 0, sizes[s]));
        }
        return out;
    }

    /**
     * {@link #split()} as nested lists mirroring the batch shape: one batch dim gives a list of
     * tensors, two give a list of lists, and so on.
     */
    public List<Object> splitNested() {
        List<Tensor> flat = split();
        return nest(flat, batchShape(), 0, 0);
    }

    private static List<Object> nest(List<Tensor> flat, long[] bs, int level, long offset) {
        List<Object> out = new ArrayList<>();
        long inner = Shapes.numel(bs, level + 1, bs.length);
        for (long i = 0; i < bs[level]; i++) {
            long o = offset + i * inner;
            out.add(level == bs.length - 1 ? flat.get((int) o) : nest(flat, bs, level + 1, o));
        }
        return out;
    }

    /** A function of data, mask and sample sizes. */
    @FunctionalInterface
    public interface Ternary<R> {
        R apply(Tensor data, Tensor mask, Tensor sampleSizes);
    }

    /**
     * {@code fn(data)} wrapped with this batch's sample structure; the result must keep batch
     * shape, ragged axis index and padded extent (and "valid first" layout).
     *
     * <pre>{@code RaggedBatch squared = rb.apply(t -> square(t)); }</pre>
     */
    public RaggedBatch apply(UnaryOperator<Tensor> fn) {
        return withData(fn.apply(data));
    }

    /** {@code fn(data, mask)} wrapped like {@link #apply(UnaryOperator)}. */
    public RaggedBatch apply(BiFunction<Tensor, Tensor, Tensor> fn) {
        return withData(fn.apply(data, mask()));
    }

    /** {@code fn(data, mask, sampleSizes)} wrapped like {@link #apply(UnaryOperator)}. */
    public RaggedBatch apply(Ternary<Tensor> fn) {
        return withData(fn.apply(data, mask(), sampleSizes()));
    }

    /** Multi-result {@link #apply(UnaryOperator)}: every result is wrapped. */
    public List<RaggedBatch> applyMulti(Function<Tensor, List<Tensor>> fn) {
        return wrapAll(fn.apply(data));
    }

    /** Multi-result {@link #apply(BiFunction)}. */
    public List<RaggedBatch> applyMulti(BiFunction<Tensor, Tensor, List<Tensor>> fn) {
        return wrapAll(fn.apply(data, mask()));
    }

    /** Multi-result {@link #apply(Ternary)}. */
    public List<RaggedBatch> applyMulti(Ternary<List<Tensor>> fn) {
        return wrapAll(fn.apply(data, mask(), sampleSizes()));
    }

    private List<RaggedBatch> wrapAll(List<Tensor> results) {
        List<RaggedBatch> out = new ArrayList<>(results.size());
        for (Tensor t : results) {
            out.add(withData(t));
        }
        return out;
    }

    /**
     * Replaces this batch's data (modifies this). The new tensor must have the same batch shape,
     * ragged extent, device and rank.
     */
    public RaggedBatch setData(Tensor newData) {
        TensorChecks.requireNonNull(newData, "newData");
        if (newData.rank() != data.rank()) {
            throw new IllegalArgumentException("newData must have rank " + data.rank() + ", got shape "
                    + Shapes.format(newData.shape()));
        }
        this.data = withData(newData).data;
        return this;
    }

    // =================================================================== conversions

    /** This batch on {@code device}: data moved; sizes and mask moved where already computed. */
    public RaggedBatch to(Device device) {
        if (device == device()) {
            return this;
        }
        return new RaggedBatch(data.to(device), numBatchDims, raggedDim, structure.to(device));
    }

    /** The data converted to {@code dtype} (rules of {@link Tensor#to(DType)}); sizes and mask shared. */
    public RaggedBatch to(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        return new RaggedBatch(data.to(dtype), numBatchDims, raggedDim, structure);
    }

    /** {@code to(DType.INT32)}. */
    public RaggedBatch toInt() {
        return to(DType.INT32);
    }

    /** {@code to(DType.INT64)}. */
    public RaggedBatch toLong() {
        return to(DType.INT64);
    }

    /** {@code to(DType.BOOL)}. */
    public RaggedBatch toBool() {
        return to(DType.BOOL);
    }

    /** {@code to(DType.FLOAT32)}. */
    public RaggedBatch toFloat() {
        return to(DType.FLOAT32);
    }

    /** {@code to(DType.FLOAT64)}. */
    public RaggedBatch toDouble() {
        return to(DType.FLOAT64);
    }

    /** Frees the data tensor (sizes and mask are shared with related batches and are not freed). */
    @Override
    public void close() {
        data.close();
    }

    /**
     * {@code RaggedBatch(batchShape=(2, 3), raggedDim=2, numBatchDims=2, data=…, sampleSizes=…, mask=…)};
     * sizes or mask not yet derived are shown as {@code <not computed>}. Copies GPU data to the host.
     */
    @Override
    public String toString() {
        return "RaggedBatch(batchShape=" + Shapes.format(batchShape()) + ", raggedDim=" + raggedDim
                + ", numBatchDims=" + numBatchDims
                + ",\n data=" + data
                + ",\n sampleSizes=" + (structure.hasSizes() ? structure.sizes() : "<not computed>")
                + ",\n mask=" + (structure.hasMask() ? structure.mask() : "<not computed>") + ")";
    }
}
