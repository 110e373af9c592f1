package dev.batchwise.cpu;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads and writes runs of a float32 or float64 CPU tensor as {@code double}s straight from and
 * into its memory, so CPU kernels can work on a block at a time without copying whole tensors
 * into Java arrays. Element indices are flat (row-major) positions in the tensor.
 */
public final class FloatRows {
    private static final int STAGE = 4096;
    private static final ThreadLocal<float[]> STAGING = ThreadLocal.withInitial(() -> new float[STAGE]);

    private final MemorySegment seg;
    private final boolean f64;

    private FloatRows(Tensor t) {
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("FloatRows needs a FLOAT32 or FLOAT64 tensor, got " + t.dtype());
        }
        this.seg = t.cpuSegment();
        this.f64 = t.dtype() == DType.FLOAT64;
    }

    /** Access to the CPU tensor {@code t} (float32 or float64); null for a null tensor. */
    public static FloatRows of(Tensor t) {
        return t == null ? null : new FloatRows(t);
    }

    /** Element {@code i} as a double. */
    public double get(long i) {
        return f64 ? seg.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : seg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    /** Sets element {@code i} to {@code v} rounded to the tensor's dtype. */
    public void set(long i, double v) {
        if (f64) {
            seg.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
        } else {
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
        }
    }

    /** Copies elements {@code [from, from + n)} into {@code dst[off, off + n)}. */
    public void read(long from, double[] dst, int off, int n) {
        if (f64) {
            MemorySegment.copy(seg, ValueLayout.JAVA_DOUBLE, from * 8, dst, off, n);
            return;
        }
        // one bulk copy of up to STAGE floats, then a conversion loop the JIT vectorises
        float[] f = STAGING.get();
        for (int done = 0; done < n; done += STAGE) {
            int k = Math.min(STAGE, n - done);
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, (from + done) * 4, f, 0, k);
            int o = off + done;
            for (int i = 0; i < k; i++) {
                dst[o + i] = f[i];
            }
        }
    }

    /** Writes {@code src[off, off + n)}, rounded to the tensor's dtype, at elements {@code [from, from + n)}. */
    public void write(long from, double[] src, int off, int n) {
        if (f64) {
            MemorySegment.copy(src, off, seg, ValueLayout.JAVA_DOUBLE, from * 8, n);
            return;
        }
        float[] f = STAGING.get();
        for (int done = 0; done < n; done += STAGE) {
            int k = Math.min(STAGE, n - done);
            int o = off + done;
            for (int i = 0; i < k; i++) {
                f[i] = (float) src[o + i];
            }
            MemorySegment.copy(f, 0, seg, ValueLayout.JAVA_FLOAT, (from + done) * 4, k);
        }
    }

    /** Sets elements {@code [from, from + n)} to zero. */
    public void zero(long from, long n) {
        long bytes = f64 ? 8 : 4;
        seg.asSlice(from * bytes, n * bytes).fill((byte) 0);
    }
}
