package dev.batchwise.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Copies from ordinary (pageable) host memory to a device through a small ring of pinned chunks,
 * one ring per device.
 *
 * <p>Why: an asynchronous copy straight from pageable memory may still be reading the source
 * after the call returns, and the caller (a tensor about to be freed, say) cannot know when it is
 * done. Copying each piece into a pinned chunk first makes the source reusable as soon as
 * {@link #copy} returns, while the device side stays asynchronous and in stream order. A chunk is
 * reused only after the event recorded behind its last copy has completed.
 */
final class HostStaging {
    /** Bytes per chunk. */
    static final int CHUNK_BYTES = 4 << 20;
    /** Chunks per device at most (32 MiB of pinned memory). */
    static final int MAX_CHUNKS = 8;

    private static final Object LOCK = new Object();
    private static volatile HostStaging[] rings = new HostStaging[0];

    private final CudaDevice device;
    private final ArrayDeque<Chunk> idle = new ArrayDeque<>();
    private int created;

    private HostStaging(CudaDevice device) {
        this.device = device;
    }

    static HostStaging of(CudaDevice device) {
        HostStaging[] r = rings;
        int i = device.ordinal();
        if (i < r.length && r[i] != null) {
            return r[i];
        }
        synchronized (LOCK) {
            r = rings;
            if (i >= r.length) {
                r = java.util.Arrays.copyOf(r, i + 1);
            } else {
                if (r[i] != null) {
                    return r[i];
                }
                r = r.clone();
            }
            r[i] = new HostStaging(device);
            rings = r;
            return r[i];
        }
    }

    /**
     * Copies {@code rows} rows of {@code width} bytes from host {@code src} (row pitch
     * {@code srcPitch}) to device {@code dst} (row pitch {@code dstPitch}) on {@code stream}.
     */
    void copy(CudaStream stream, long dst, long dstPitch, long src, long srcPitch, long width, long rows) {
        if (rows == 1 || (srcPitch == width && dstPitch == width)) {
            copyContiguous(stream, dst, src, Math.multiplyExact(width, rows));
        } else if (width <= CHUNK_BYTES && dstPitch <= device.maxPitch()) {
            long rowsPerChunk = CHUNK_BYTES / width;
            for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
                long n = Math.min(rowsPerChunk, rows - r0);
                Chunk c = acquire();
                try {
                    for (long r = 0; r < n; r++) {
                        MemorySegment.copy(host(src + (r0 + r) * srcPitch, width), 0, c.buffer.segment(), r * width, width);
                    }
                    CudaDriver.memcpy2DAsync(CuResult.MEMORYTYPE_HOST, c.buffer.address(), width,
                            CuResult.MEMORYTYPE_DEVICE, dst + r0 * dstPitch, dstPitch, width, n, stream.handle());
                } finally {
                    release(c, stream);
                }
            }
        } else {
            for (long r = 0; r < rows; r++) {
                copyContiguous(stream, dst + r * dstPitch, src + r * srcPitch, width);
            }
        }
    }

    private void copyContiguous(CudaStream stream, long dst, long src, long bytes) {
        for (long off = 0; off < bytes; off += CHUNK_BYTES) {
            long n = Math.min(CHUNK_BYTES, bytes - off);
            Chunk c = acquire();
            try {
                MemorySegment.copy(host(src + off, n), 0, c.buffer.segment(), 0, n);
                CudaDriver.memcpyHtoDAsync(dst + off, c.buffer.address(), n, stream.handle());
            } finally {
                release(c, stream);
            }
        }
    }

    private static MemorySegment host(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    private Chunk acquire() {
        Chunk c;
        synchronized (this) {
            while (true) {
                c = idle.pollFirst();
                if (c != null) {
                    break;
                }
                if (created < MAX_CHUNKS) {
                    created++;
                    try {
                        c = new Chunk(device);
                    } catch (RuntimeException e) {
                        created--;
                        throw e;
                    }
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a pinned staging buffer", e);
                }
            }
        }
        device.makeCurrent();
        CudaDriver.eventSynchronize(c.event); // the chunk's previous copy has left it
        return c;
    }

    private void release(Chunk c, CudaStream stream) {
        CudaDriver.eventRecord(c.event, stream.handle());
        synchronized (this) {
            idle.addLast(c);
            notifyAll();
        }
    }

    /** One pinned buffer and the event that completes when its last copy has read it. */
    private static final class Chunk {
        final PinnedBuffer buffer;
        final long event;

        Chunk(CudaDevice device) {
            buffer = PinnedBuffer.allocate(CHUNK_BYTES);
            device.makeCurrent();
            event = CudaDriver.eventCreate(CuResult.EVENT_DISABLE_TIMING);
        }
    }
}
