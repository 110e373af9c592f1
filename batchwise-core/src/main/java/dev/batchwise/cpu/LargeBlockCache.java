package dev.batchwise.cpu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps freed large host blocks (≥ 4 MiB, sizes rounded up to whole MiB) for reuse by the next
 * allocation of the same rounded size.
 *
 * <p>Why: glibc serves blocks above its mmap threshold (at most 32 MiB) with a fresh {@code mmap}
 * and returns them with {@code munmap}, so every large tensor of a training loop would page-fault
 * its whole extent again (measured: a 64 MiB tensor copy at about 2 GB/s instead of 14 GB/s).
 * The cache holds at most {@code batchwise.cpu.blockCacheBytes} bytes (system property, default
 * 1 GiB); beyond that freed blocks go back to the C library. Cached blocks are not tensor memory
 * and are not counted by {@code MemoryStats}.
 */
public final class LargeBlockCache {
    static final long MIN_BYTES = 4L << 20;
    private static final long GRANULE = 1L << 20;
    private static final long CAPACITY = Long.getLong("batchwise.cpu.blockCacheBytes", 1L << 30);

    private static final ConcurrentHashMap<Long, ConcurrentLinkedDeque<Long>> FREE = new ConcurrentHashMap<>();
    private static final AtomicLong CACHED = new AtomicLong();

    private LargeBlockCache() {}

    /** True when blocks of this size are cached on free. */
    static boolean isLarge(long bytes) {
        return bytes >= MIN_BYTES;
    }

    /** The size actually allocated for a large request. */
    static long roundUp(long bytes) {
        return (bytes + GRANULE - 1) / GRANULE * GRANULE;
    }

    /** A cached block for a request of {@code bytes}, or 0. */
    static long take(long bytes) {
        if (!isLarge(bytes)) {
            return 0;
        }
        long size = roundUp(bytes);
        ConcurrentLinkedDeque<Long> q = FREE.get(size);
        Long a = q == null ? null : q.pollFirst();
        if (a == null) {
            return 0;
        }
        CACHED.addAndGet(-size);
        return a;
    }

    /** Keeps a freed block when it is large and the cache has room; false means "free it yourself". */
    static boolean offer(long address, long bytes) {
        if (!isLarge(bytes)) {
            return false;
        }
        long size = roundUp(bytes);
        if (CACHED.addAndGet(size) > CAPACITY) {
            CACHED.addAndGet(-size);
            return false;
        }
        FREE.computeIfAbsent(size, k -> new ConcurrentLinkedDeque<>()).addFirst(address);
        return true;
    }

    /** Bytes currently held for reuse. */
    public static long cachedBytes() {
        return CACHED.get();
    }

    /** Returns every cached block to the C library. */
    public static void clear() {
        for (var e : FREE.entrySet()) {
            for (Long a = e.getValue().pollFirst(); a != null; a = e.getValue().pollFirst()) {
                CACHED.addAndGet(-e.getKey());
                NativeMemory.freeNow(a);
            }
        }
    }
}
