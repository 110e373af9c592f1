package dev.batchwise.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Raw off-heap allocation through the C library's {@code calloc}/{@code malloc}/{@code free}.
 *
 * <p>Why not {@link java.lang.foreign.Arena}: a shared arena's {@code close()} performs a
 * thread-local handshake with every Java thread (microseconds to milliseconds), which makes
 * millions of short-lived tensors slow, and a confined arena cannot be read by the worker threads
 * of parallel CPU kernels. Ownership and use-after-free protection live one level up, in the
 * tensor storage and its {@code Scope}.
 */
public final class NativeMemory {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle CALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("calloc").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS));

    private NativeMemory() {}

    /**
     * Allocates {@code bytes} bytes (at least 16-byte aligned), zero-filled when {@code zero}.
     * Zero bytes allocate one byte so that every allocation has a distinct, freeable address.
     * Large blocks may come from the {@linkplain LargeBlockCache cache of freed large blocks}; free
     * them with {@link #free(long, long)} and the same size.
     *
     * @return the raw address
     * @throws OutOfMemoryError when the C library returns NULL
     */
    public static long allocate(long bytes, boolean zero) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        long cached = LargeBlockCache.take(bytes);
        if (cached != 0) {
            if (zero) {
                segment(cached, bytes).fill((byte) 0);
            }
            return cached;
        }
        long n = LargeBlockCache.isLarge(bytes) ? LargeBlockCache.roundUp(bytes) : Math.max(1, bytes);
        MemorySegment p;
        try {
            p = zero ? (MemorySegment) CALLOC.invokeExact(1L, n) : (MemorySegment) MALLOC.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("native allocation failed", t);
        }
        if (p.address() == 0) {
            LargeBlockCache.clear();
            throw new OutOfMemoryError("could not allocate " + bytes + " bytes of off-heap memory");
        }
        return p.address();
    }

    /**
     * Frees a block returned by {@link #allocate} for {@code bytes} bytes: large blocks go back to
     * the cache for reuse (while it has room), everything else to the C library at once.
     */
    public static void free(long address, long bytes) {
        if (!LargeBlockCache.offer(address, bytes)) {
            freeNow(address);
        }
    }

    /** Returns a block to the C library. */
    static void freeNow(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("native free failed", t);
        }
    }

    /** A segment of {@code bytes} bytes at {@code address}, readable from any thread. */
    public static MemorySegment segment(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }
}
