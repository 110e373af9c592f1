package dev.batchwise.ragged;

import dev.batchwise.tensor.Tensor;

/** Copies that rearrange axes (swap, tile) on any device, through {@link RaggedKernels#stridedCopy}. */
final class TensorAxes {
    private TensorAxes() {}

    private static long[] strides(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            st[k] = s;
            s *= shape[k];
        }
        return st;
    }

    /** A copy of {@code t} with axes {@code a} and {@code b} swapped ({@code t} itself when a == b). */
    static Tensor swap(Tensor t, int a, int b) {
        if (a == b) {
            return t;
        }
        long[] shape = t.shape();
        long[] st = strides(shape);
        long[] outShape = shape.clone();
        outShape[a] = shape[b];
        outShape[b] = shape[a];
        long[] srcStride = st.clone();
        srcStride[a] = st[b];
        srcStride[b] = st[a];
        Tensor out = Tensor.empty(t.dtype(), t.device(), outShape);
        RaggedKernels.of(t.device()).stridedCopy(t, outShape.clone(), srcStride, out, outShape);
        return out;
    }

    /**
     * {@code t} tiled {@code repeats[k]} times along each of its leading {@code repeats.length}
     * axes: result position {@code i} on axis {@code k} holds source position {@code i mod shape[k]}
     * (order {@code a, b, a, b}).
     */
    static Tensor tile(Tensor t, long[] repeats) {
        long[] shape = t.shape();
        long[] outShape = shape.clone();
        boolean identity = true;
        for (int k = 0; k < repeats.length; k++) {
            outShape[k] = shape[k] * repeats[k];
            identity &= repeats[k] == 1;
        }
        if (identity) {
            return t.copy();
        }
        Tensor out = Tensor.empty(t.dtype(), t.device(), outShape);
        long[] extent = shape.clone();
        for (int k = 0; k < extent.length; k++) {
            extent[k] = Math.max(1, extent[k]);
        }
        RaggedKernels.of(t.device()).stridedCopy(t, extent, strides(shape), out, outShape);
        return out;
    }

    /** {@code shape} with {@code value} inserted at {@code at}. */
    static long[] insert(long[] shape, int at, long value) {
        long[] r = new long[shape.length + 1];
        System.arraycopy(shape, 0, r, 0, at);
        r[at] = value;
        System.arraycopy(shape, at, r, at + 1, shape.length - at);
        return r;
    }

    /** {@code shape} without position {@code at}. */
    static long[] remove(long[] shape, int at) {
        long[] r = new long[shape.length - 1];
        System.arraycopy(shape, 0, r, 0, at);
        System.arraycopy(shape, at + 1, r, at, shape.length - at - 1);
        return r;
    }
}
