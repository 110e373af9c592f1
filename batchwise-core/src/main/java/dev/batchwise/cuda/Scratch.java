package dev.batchwise.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread native scratch memory for driver out-parameters ({@code CUdeviceptr*}, {@code int*},
 * {@code CUDA_MEMCPY2D}, …), so that no driver call allocates. A call uses the scratch only
 * between entering and leaving the driver, which never calls back into Java, so one buffer per
 * thread suffices.
 */
final class Scratch {
    /** Bytes available: room for a {@code CUDA_MEMCPY2D} (128) plus a few out-values. */
    static final int BYTES = 512;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment segment;
    final long address;

    private Scratch() {
        segment = Arena.ofAuto().allocate(BYTES, 16);
        address = segment.address();
    }

    static Scratch get() {
        return LOCAL.get();
    }

    long getLong(long offset) {
        return segment.get(ValueLayout.JAVA_LONG, offset);
    }

    int getInt(long offset) {
        return segment.get(ValueLayout.JAVA_INT, offset);
    }

    float getFloat(long offset) {
        return segment.get(ValueLayout.JAVA_FLOAT, offset);
    }

    void setLong(long offset, long value) {
        segment.set(ValueLayout.JAVA_LONG, offset, value);
    }

    void setInt(long offset, int value) {
        segment.set(ValueLayout.JAVA_INT, offset, value);
    }
}
