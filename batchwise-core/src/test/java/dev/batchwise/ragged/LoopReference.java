package dev.batchwise.ragged;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;

/**
 * Straightforward per-sample, per-element reference implementations of the ragged ops, written
 * with nothing but multi-index loops and {@link Tensor#getDouble}/{@link Tensor#set} on CPU
 * tensors. Results are FLOAT64 (exact for the small values the property tests use).
 */
final class LoopReference {
    private LoopReference() {}

    /** Every multi-index of {@code shape} in row-major order. */
    static Iterable<long[]> indices(long[] shape) {
        long n = Shapes.numel(shape);
        return () -> new java.util.Iterator<>() {
            long i = 0;
            final long[] pos = new long[shape.length];

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public long[] next() {
                long r = i++;
                for (int k = shape.length - 1; k >= 0; k--) {
                    pos[k] = r % shape[k];
                    r /= shape[k];
                }
                return pos.clone();
            }
        };
    }

    static long sampleOf(long[] index, long[] batchShape) {
        long s = 0;
        for (int k = 0; k < batchShape.length; k++) {
            s = s * batchShape[k] + index[k];
        }
        return s;
    }

    static long[] sizes(RaggedBatch b) {
        return b.sampleSizes().toLongArray();
    }

    static long idx(RaggedBatch idx, long sample, long j, long extent) {
        long v = idx.data().reshape(idx.numSamples(), idx.maxSampleSize()).to(Device.CPU).getLong(sample, j);
        return v < 0 ? v + extent : v;
    }

    static Tensor gather(Tensor data, RaggedBatch idx, double filler, int axis) {
        Tensor d = data.to(Device.CPU);
        long[] outShape = d.shape();
        outShape[axis] = idx.maxSampleSize();
        Tensor out = Tensor.zeros(DType.FLOAT64, Device.CPU, outShape);
        long[] sz = sizes(idx);
        double f = Tensor.full(filler, data.dtype(), Device.CPU, 1).getDouble(0);
        for (long[] o : indices(outShape)) {
            long s = sampleOf(o, idx.batchShape());
            long j = o[axis];
            if (j < sz[(int) s]) {
                long[] src = o.clone();
                src[axis] = idx(idx, s, j, d.shape(axis));
                out.set(d.getDouble(src), o);
            } else {
                out.set(f, o);
            }
        }
        return out;
    }

    /** {@code out[.., idx[j], ..] (+)= src[.., j, ..]} into a FLOAT64 copy of {@code into}. */
    static Tensor scatter(Tensor src, RaggedBatch idx, Tensor into, int axis, boolean add) {
        Tensor s = src.to(Device.CPU);
        Tensor out = into.to(Device.CPU).to(DType.FLOAT64).copy();
        long[] sz = sizes(idx);
        for (long[] i : indices(s.shape())) {
            long sample = sampleOf(i, idx.batchShape());
            long j = i[axis];
            if (j < sz[(int) sample]) {
                long[] dst = i.clone();
                dst[axis] = idx(idx, sample, j, out.shape(axis));
                out.set((add ? out.getDouble(dst) : 0) + s.getDouble(i), dst);
            }
        }
        return out;
    }

    static Tensor mapping(Tensor src, RaggedBatch srcIdx, RaggedBatch tgtIdx, Tensor target, int axis) {
        Tensor s = src.to(Device.CPU);
        Tensor out = target.to(Device.CPU).to(DType.FLOAT64).copy();
        long[] sz = sizes(srcIdx);
        long[] shape = s.shape();
        shape[axis] = srcIdx.maxSampleSize();
        for (long[] i : indices(shape)) {
            long sample = sampleOf(i, srcIdx.batchShape());
            long j = i[axis];
            if (j < sz[(int) sample]) {
                long[] from = i.clone();
                from[axis] = idx(srcIdx, sample, j, s.shape(axis));
                long[] to = i.clone();
                to[axis] = idx(tgtIdx, sample, j, out.shape(axis));
                out.set(s.getDouble(from), to);
            }
        }
        return out;
    }

    static Tensor reduce(RaggedBatch b, boolean average) {
        Tensor d = b.data().to(Device.CPU);
        int axis = b.raggedDim();
        long[] outShape = TensorAxes.remove(d.shape(), axis);
        Tensor out = Tensor.zeros(DType.FLOAT64, Device.CPU, outShape);
        long[] sz = sizes(b);
        for (long[] o : indices(outShape)) {
            long s = sampleOf(o, b.batchShape());
            double acc = 0;
            for (long j = 0; j < sz[(int) s]; j++) {
                acc += d.getDouble(TensorAxes.insert(o, axis, j));
            }
            double r = average ? acc / sz[(int) s] : acc;
            out.set(average && !Double.isFinite(r) ? 0 : r, o);
        }
        return out;
    }

    static Tensor paddedSet(RaggedBatch b, double value) {
        Tensor d = b.data().to(Device.CPU).to(DType.FLOAT64).copy();
        double v = Tensor.full(value, b.dtype(), Device.CPU, 1).getDouble(0);
        long[] sz = sizes(b);
        for (long[] i : indices(d.shape())) {
            if (i[b.raggedDim()] >= sz[(int) sampleOf(i, b.batchShape())]) {
                d.set(v, i);
            }
        }
        return d;
    }

    /** Positions of the true entries of row {@code s} of a (samples, n) mask, limited to {@code limit}. */
    static long[] selected(Tensor mask, long s, long limit) {
        long[] shape = mask.shape();
        Tensor m = mask.to(Device.CPU).reshape(Shapes.numel(shape, 0, shape.length - 1), shape[shape.length - 1]);
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (long j = 0; j < limit; j++) {
            if (m.getDouble(s, j) != 0) {
                out.add(j);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
