package dev.batchwise.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The slots that back {@link DeviceErrorFlag}s on one device: blocks of {@value #SLOTS_PER_BLOCK}
 * slots of 8 × int64, each block a plain device allocation ({@code cuMemAlloc_v2}) with a pinned
 * host mirror ({@code cuMemHostAlloc}) that checks copy into.
 *
 * <p>Blocks are permanent, so creating a flag never allocates device memory (which would be
 * stream-ordered work, and could not be captured into a graph safely). The first block is made
 * when the device's context is set up; more only when over a thousand flags are alive at once.
 *
 * <p>Zeroing without a memset per flag: blocks are cut into runs of {@value #RUN_SLOTS}
 * consecutive slots. Each stream hands out flags from a run of its own ({@link Cursor}), slot after
 * slot; when it starts a run it zeroes the whole run with one {@code cuMemsetD8Async} on that
 * stream, so every slot of the run is zero in the stream's order before any kernel enqueued after
 * its flag was created. A run is handed out once; it goes back to the free runs when its stream
 * has moved on (or was closed) and every one of its slots was released. Flags created while their
 * stream is being captured into a graph come from a shared run instead and are zeroed one by one
 * (the memset becomes a node of the graph, so every replay starts from a zeroed flag).
 */
final class ErrorFlagArena {
    static final int SLOT_BYTES = 64;
    static final int SLOTS_PER_BLOCK = 1024;
    /** Slots per run: one memset zeroes this many flags. */
    static final int RUN_SLOTS = 128;

    /** Where a stream (or the captured flags) takes its next slot. */
    static final class Cursor {
        private Run run;
    }

    /** {@link #RUN_SLOTS} consecutive slots. */
    private static final class Run {
        final int firstSlot;
        /** Next slot to hand out, relative to {@link #firstSlot}. */
        int next;
        /** Slots handed out and not yet released. */
        int outstanding;
        /** True once no cursor hands out slots from this run any more. */
        boolean retired;

        Run(int firstSlot) {
            this.firstSlot = firstSlot;
        }
    }

    private final CudaDevice device;
    /** {devicePointer, hostMirror} per block; replaced (copy on grow) so that reads need no lock. */
    private volatile long[][] blocks = new long[0][];
    private final List<Run> runs = new ArrayList<>();
    private final ArrayDeque<Run> freeRuns = new ArrayDeque<>();
    private final Cursor captured = new Cursor();

    ErrorFlagArena(CudaDevice device) {
        this.device = device;
        grow();
    }

    /**
     * Reserves a slot for a flag used on {@code stream} and returns its index. The slot is zero in
     * the stream's order before any work enqueued after this call: either its run was zeroed when
     * the stream started it, or (for {@code captured}) it is zeroed now by a memset of its own.
     */
    synchronized int acquire(CudaStream stream, boolean capturing) {
        Cursor cursor = capturing ? captured : stream.flagCursor;
        Run r = cursor.run;
        boolean fresh = false;
        if (r == null || r.next == RUN_SLOTS) {
            if (r != null) {
                retire(r);
            }
            r = freeRuns.pollFirst();
            if (r == null) {
                grow();
                r = freeRuns.pollFirst();
            }
            r.next = 0;
            r.retired = false;
            cursor.run = r;
            fresh = true;
        }
        int slot = r.firstSlot + r.next++;
        r.outstanding++;
        // Under the lock, so that no other thread can take a slot of this run and enqueue a kernel
        // on the stream before the memset.
        if (capturing) {
            CudaMemory.memsetD8Async(stream, devicePointer(slot), (byte) 0, SLOT_BYTES);
        } else if (fresh) {
            CudaMemory.memsetD8Async(stream, devicePointer(r.firstSlot), (byte) 0, (long) RUN_SLOTS * SLOT_BYTES);
        }
        return slot;
    }

    /** Gives a slot back; its run is reused once the run is retired and all its slots are back. */
    synchronized void release(int slot) {
        Run r = runs.get(slot / RUN_SLOTS);
        r.outstanding--;
        if (r.retired && r.outstanding == 0) {
            freeRuns.addLast(r);
        }
    }

    /** The stream of {@code cursor} is gone: its run is reused once all its slots are back. */
    synchronized void close(Cursor cursor) {
        if (cursor.run != null) {
            retire(cursor.run);
            cursor.run = null;
        }
    }

    private void retire(Run r) {
        r.retired = true;
        if (r.outstanding == 0) {
            freeRuns.addLast(r);
        }
    }

    long devicePointer(int slot) {
        return blocks[slot / SLOTS_PER_BLOCK][0] + (long) (slot % SLOTS_PER_BLOCK) * SLOT_BYTES;
    }

    long hostMirror(int slot) {
        return blocks[slot / SLOTS_PER_BLOCK][1] + (long) (slot % SLOTS_PER_BLOCK) * SLOT_BYTES;
    }

    private synchronized void grow() {
        device.makeCurrent();
        long bytes = (long) SLOTS_PER_BLOCK * SLOT_BYTES;
        long dev = CudaDriver.memAlloc(bytes);
        long host = CudaDriver.memHostAlloc(bytes, CuResult.MEMHOSTALLOC_PORTABLE);
        int base = blocks.length * SLOTS_PER_BLOCK;
        long[][] b = Arrays.copyOf(blocks, blocks.length + 1);
        b[b.length - 1] = new long[] {dev, host};
        blocks = b;
        for (int first = base; first < base + SLOTS_PER_BLOCK; first += RUN_SLOTS) {
            Run r = new Run(first);
            runs.add(r);
            freeRuns.addLast(r);
        }
    }
}
