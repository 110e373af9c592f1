package dev.batchwise.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * Page-locked ("pinned") host memory from {@code cuMemHostAlloc(CU_MEMHOSTALLOC_PORTABLE)}, usable
 * with every device's contexts. Copies between pinned memory and a GPU run at full bus speed and
 * are truly asynchronous, which makes pinned buffers the staging area for host↔device transfers.
 *
 * <p>Pinning is expensive (milliseconds per allocation) and pinned memory is a scarce system
 * resource: allocate a few buffers and reuse them. Freed by {@link #close()}
 * ({@code cuMemFreeHost}) or, as a safety net, once unreachable. The caller must not free a buffer
 * while an asynchronous copy still uses it.
 */
public final class PinnedBuffer implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final long byteSize;
    private final MemorySegment segment;
    private final Cleaner.Cleanable cleanable;

    private PinnedBuffer(long byteSize) {
        CudaDevice context = CudaDevice.get(0);
        context.makeCurrent();
        this.byteSize = byteSize;
        this.address = CudaDriver.memHostAlloc(Math.max(1, byteSize), CuResult.MEMHOSTALLOC_PORTABLE);
        this.segment = MemorySegment.ofAddress(address).reinterpret(byteSize);
        this.cleanable = CLEANER.register(this, new Free(context, address));
    }

    /**
     * Allocates {@code bytes} bytes of pinned host memory (contents unspecified).
     *
     * @throws IllegalArgumentException  when {@code bytes < 0}
     * @throws IllegalStateException     when CUDA is unavailable
     * @throws CudaOutOfMemoryException when the system cannot pin that much
     */
    public static PinnedBuffer allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        return new PinnedBuffer(bytes);
    }

    /** The memory as a segment of {@link #byteSize()} bytes, readable from any thread. */
    public MemorySegment segment() {
        return segment;
    }

    /** Host address of the first byte. */
    public long address() {
        return address;
    }

    /** Size in bytes. */
    public long byteSize() {
        return byteSize;
    }

    /** Frees the memory ({@code cuMemFreeHost}); idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private record Free(CudaDevice context, long address) implements Runnable {
        @Override
        public void run() {
            context.makeCurrent();
            CudaDriver.memFreeHost(address);
        }
    }
}
