package dev.batchwise.tensor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes of tensor memory currently allocated by batchwise (not yet freed), per kind of device.
 * Used by tests and diagnostics to prove that scopes free what they own.
 */
public final class MemoryStats {
    static final LongAdder CPU_BYTES = new LongAdder();
    static final LongAdder CUDA_BYTES = new LongAdder();

    private MemoryStats() {}

    /** Live bytes of CPU tensor storage. */
    public static long cpuBytesInUse() {
        return CPU_BYTES.sum();
    }

    /** Live bytes of CUDA tensor storage (all devices). */
    public static long cudaBytesInUse() {
        return CUDA_BYTES.sum();
    }
}
