package dev.batchwise.ragged;

import dev.batchwise.tensor.Shapes;

/**
 * A contiguous tensor seen as four axes {@code (samples, pre, extent, post)} around one chosen
 * axis: {@code samples} = product of the batch extents, {@code pre} = product of the axes between
 * the batch axes and the chosen axis, {@code extent} = the chosen axis, {@code post} = product of
 * the axes after it. Element {@code (s, p, j, q)} is at flat index
 * {@code ((s * pre + p) * extent + j) * post + q}. This lets every op work on a ragged or entry
 * axis anywhere after the batch axes without moving data.
 */
record Layout(long samples, long pre, long extent, long post) {

    /** The layout of {@code shape} around {@code axis}, with {@code numBatchDims} leading batch axes. */
    static Layout of(long[] shape, int numBatchDims, int axis) {
        return new Layout(Shapes.numel(shape, 0, numBatchDims), Shapes.numel(shape, numBatchDims, axis),
                shape[axis], Shapes.numel(shape, axis + 1, shape.length));
    }

    /** Elements per sample. */
    long sampleStride() {
        return pre * extent * post;
    }

    /** Total elements. */
    long numel() {
        return samples * pre * extent * post;
    }

    /** Flat index of element {@code (s, p, j, q)}. */
    long index(long s, long p, long j, long q) {
        return ((s * pre + p) * extent + j) * post + q;
    }

    /** Same layout with another extent on the chosen axis. */
    Layout withExtent(long newExtent) {
        return new Layout(samples, pre, newExtent, post);
    }
}
