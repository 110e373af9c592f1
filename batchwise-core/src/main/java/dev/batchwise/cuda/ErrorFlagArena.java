package dev.batchwise.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The slots that back {@link DeviceErrorFlag}s on one device: blocks of {@value #SLOTS_PER_BLOCK}
 * slots of 8 × int64, each block a plain device allocation ({@code cuMemAlloc_v2}) with a pinned
 * host mirror ({@code cuMemHostAlloc}) that checks copy into.
 *
 * <p>Blocks are permanent, so creating a flag never allocates device memory (which would be
 * stream-ordered work, and could not be captured into a graph safely). The first block is made
 * when the device's context is set up; more only when over a thousand flags are alive at once.
 */
final class ErrorFlagArena {
    static final int SLOT_BYTES = 64;
    static final int SLOTS_PER_BLOCK = 1024;

    private final CudaDevice device;
    private final List<long[]> blocks = new ArrayList<>(); // {devicePointer, hostMirror}
    private int[] free = new int[0];
    private int freeCount;

    ErrorFlagArena(CudaDevice device) {
        this.device = device;
        grow();
    }

    /** Reserves a slot; returns its index. */
    synchronized int acquire() {
        if (freeCount == 0) {
            grow();
        }
        return free[--freeCount];
    }

    /** Returns a slot for reuse. */
    synchronized void release(int slot) {
        free[freeCount++] = slot;
    }

    synchronized long devicePointer(int slot) {
        return blocks.get(slot / SLOTS_PER_BLOCK)[0] + (long) (slot % SLOTS_PER_BLOCK) * SLOT_BYTES;
    }

    synchronized long hostMirror(int slot) {
        return blocks.get(slot / SLOTS_PER_BLOCK)[1] + (long) (slot % SLOTS_PER_BLOCK) * SLOT_BYTES;
    }

    private void grow() {
        device.makeCurrent();
        long bytes = (long) SLOTS_PER_BLOCK * SLOT_BYTES;
        long dev = CudaDriver.memAlloc(bytes);
        long host = CudaDriver.memHostAlloc(bytes, CuResult.MEMHOSTALLOC_PORTABLE);
        int base = blocks.size() * SLOTS_PER_BLOCK;
        blocks.add(new long[] {dev, host});
        int[] f = java.util.Arrays.copyOf(free, free.length + SLOTS_PER_BLOCK);
        for (int i = SLOTS_PER_BLOCK - 1; i >= 0; i--) {
            f[freeCount++] = base + i;
        }
        free = f;
    }
}
