package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * The sample structure shared by ragged batches that differ only in their data: batch shape,
 * padded width, and the sample sizes and mask, one derived lazily from the other and cached.
 *
 * <p>A derived tensor is created in the {@link dev.batchwise.tensor.Scope} that is open when it is
 * first asked for. If that scope has closed since, the tensor is derived again, so a batch stays
 * usable across scopes as long as the tensor it was built from (sizes or mask) is alive.
 */
final class SampleStructure {
    private final long[] batchShape;
    private final long width;
    private final Device device;
    private Tensor sizes; // INT64, batchShape
    private Tensor mask;  // BOOL, batchShape + (width)
    private final boolean sizesGiven;
    private long totalEntries = -1;

    private SampleStructure(long[] batchShape, long width, Device device, Tensor sizes, Tensor mask) {
        this.batchShape = batchShape.clone();
        this.width = width;
        this.device = device;
        this.sizes = sizes;
        this.mask = mask;
        this.sizesGiven = sizes != null;
    }

    static SampleStructure ofSizes(long[] batchShape, long width, Tensor sizes) {
        return new SampleStructure(batchShape, width, sizes.device(), sizes, null);
    }

    static SampleStructure ofMask(long[] batchShape, long width, Tensor mask) {
        return new SampleStructure(batchShape, width, mask.device(), null, mask);
    }

    long[] batchShape() {
        return batchShape.clone();
    }

    long width() {
        return width;
    }

    Device device() {
        return device;
    }

    long numSamples() {
        long n = 1;
        for (long b : batchShape) {
            n *= b;
        }
        return n;
    }

    synchronized boolean hasSizes() {
        return sizes != null && !sizes.isClosed();
    }

    synchronized boolean hasMask() {
        return mask != null && !mask.isClosed();
    }

    /** Sizes, INT64 of the batch shape; derived from the mask (count along its last axis) if needed. */
    synchronized Tensor sizes() {
        if (sizes == null || (!sizesGiven && sizes.isClosed())) {
            Tensor s = Tensor.empty(DType.INT64, device, batchShape);
            RaggedKernels.of(device).sizesFromMask(mask, numSamples(), width, s);
            sizes = s;
        }
        return sizes;
    }

    /** Mask, BOOL of shape {@code batchShape + (width)}; derived from the sizes if needed. */
    synchronized Tensor mask() {
        if (mask == null || (sizesGiven && mask.isClosed())) {
            long[] shape = java.util.Arrays.copyOf(batchShape, batchShape.length + 1);
            shape[batchShape.length] = width;
            Tensor m = Tensor.empty(DType.BOOL, device, shape);
            RaggedKernels.of(device).fillByValidity(m, sizes(), new Layout(numSamples(), 1, width, 1), 1, 0);
            mask = m;
        }
        return mask;
    }

    /** Sum of the sizes (reads them to the host once, then cached). */
    synchronized long totalEntries() {
        if (totalEntries < 0) {
            long t = 0;
            for (long v : sizes().toLongArray()) {
                t += v;
            }
            totalEntries = t;
        }
        return totalEntries;
    }

    /** Copies a known total into a structure with the same sizes. */
    synchronized void inheritTotal(SampleStructure other) {
        if (totalEntries < 0) {
            synchronized (other) {
                totalEntries = other.totalEntries;
            }
        }
    }

    /** This structure on {@code target}: sizes and mask that exist are copied; the rest stays lazy. */
    SampleStructure to(Device target) {
        if (target == device) {
            return this;
        }
        SampleStructure s;
        synchronized (this) {
            boolean haveSizes = hasSizes();
            Tensor sz = haveSizes ? sizes.to(target) : null;
            Tensor mk = hasMask() ? mask.to(target) : null;
            s = new SampleStructure(batchShape, width, target, sz, mk);
        }
        s.inheritTotal(this);
        return s;
    }

    /** Structure with a new batch shape and the same width, over reshaped sizes/mask (those that exist). */
    synchronized SampleStructure reshaped(long[] newBatchShape) {
        long[] maskShape = java.util.Arrays.copyOf(newBatchShape, newBatchShape.length + 1);
        maskShape[newBatchShape.length] = width;
        Tensor sz = hasSizes() ? sizes.reshape(newBatchShape) : null;
        Tensor mk = hasMask() ? mask.reshape(maskShape) : null;
        SampleStructure s = new SampleStructure(newBatchShape, width, device, sz, mk);
        s.totalEntries = totalEntries;
        return s;
    }
}
