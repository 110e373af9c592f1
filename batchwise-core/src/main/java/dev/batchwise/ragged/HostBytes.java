package dev.batchwise.ragged;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Byte moves of the CPU ragged kernels: copies of rows and zero fills of padding.
 *
 * <p>Why not plain loops: measured on W1 shapes (2 cores, JDK 25), zero-filling padding by
 * copying from a block of zeros writes 153 KB in 3.8 µs where {@link MemorySegment#fill} takes
 * 4.6 µs (the copy runs the JVM's vectorised copy stub, the fill a word loop), and short rows are
 * copied as fixed-size pieces (see {@link #copy}). Fills longer than the zero block go to libc
 * {@code memset} (3.1 µs for those 153 KB; see {@link #MEMSET_BYTES}).
 */
final class HostBytes {
    /** Bytes of the shared zero block; fills this long or longer use memset (heap segments: repeated copies). */
    private static final long ZERO_BLOCK = 64 << 10;
    /** Read-only in practice: nothing writes it (it is never handed out). */
    private static final MemorySegment ZEROS = Arena.global().allocate(ZERO_BLOCK, 64);

    /**
     * Fills of at least this many bytes go to libc {@code memset}. Measured on 2 cores (JDK 25,
     * destination in cache): 64 KB blocks in 1.33 µs with memset and 1.58 µs by copying from the
     * zero block, 150 KB in 3.1 vs 3.8 µs, 1 MB in 21 vs 27 µs; from 1 to 16 KB both take the same
     * time (the zero block's first bytes stay in L1), and the few-KB pads of the W1 combine gained
     * nothing. The copy reads as many bytes as it writes, which pays off only while the zero block
     * fits in L1.
     */
    private static final long MEMSET_BYTES = ZERO_BLOCK;
    /**
     * Bytes per {@code memset} call: the downcall is {@linkplain Linker.Option#critical critical}
     * (about 20 ns instead of a thread-state transition), so the JVM cannot reach a safepoint
     * during it; 1 MiB is about 25 µs.
     */
    private static final long MEMSET_PIECE = 1 << 20;
    /** libc {@code memset}, or null where the C library does not export it (fills then copy). */
    private static final MethodHandle MEMSET = Linker.nativeLinker().defaultLookup().find("memset")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT,
                    JAVA_LONG), Linker.Option.critical(false)))
            .orElse(null);

    private static final ValueLayout.OfLong LONG = JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = JAVA_INT_UNALIGNED;

    private HostBytes() {}

    /**
     * Copies {@code bytes} bytes from {@code src} at byte offset {@code from} to {@code dst} at
     * {@code to}; the two ranges must not overlap. Rows of up to 64 bytes are moved as two
     * fixed-size pieces that overlap each other when the size is not a power of two (a 40-byte row:
     * bytes 0-31 and 8-39): a copy of constant size compiles to a few unrolled moves, one of a
     * variable size to a loop with a length check per word (measured on the W1 scatter: 2,160
     * rows of 40 bytes in 6 µs instead of 13.5 µs).
     */
    static void copy(MemorySegment src, long from, MemorySegment dst, long to, long bytes) {
        if (bytes > 64) {
            MemorySegment.copy(src, from, dst, to, bytes);
        } else if (bytes >= 32) {
            MemorySegment.copy(src, from, dst, to, 32);
            MemorySegment.copy(src, from + bytes - 32, dst, to + bytes - 32, 32);
        } else if (bytes >= 16) {
            MemorySegment.copy(src, from, dst, to, 16);
            MemorySegment.copy(src, from + bytes - 16, dst, to + bytes - 16, 16);
        } else if (bytes >= 8) {
            dst.set(LONG, to, src.get(LONG, from));
            dst.set(LONG, to + bytes - 8, src.get(LONG, from + bytes - 8));
        } else if (bytes >= 4) {
            dst.set(INT, to, src.get(INT, from));
            dst.set(INT, to + bytes - 4, src.get(INT, from + bytes - 4));
        } else {
            for (long k = 0; k < bytes; k++) {
                dst.set(JAVA_BYTE, to + k, src.get(JAVA_BYTE, from + k));
            }
        }
    }

    /** Sets {@code bytes} bytes of {@code dst} from byte offset {@code from} to zero. */
    static void zero(MemorySegment dst, long from, long bytes) {
        if (bytes >= MEMSET_BYTES && dst.isNative() && MEMSET != null) {
            memset(dst.asSlice(from, bytes));
            return;
        }
        for (long done = 0; done < bytes; done += ZERO_BLOCK) {
            MemorySegment.copy(ZEROS, 0, dst, from + done, Math.min(ZERO_BLOCK, bytes - done));
        }
    }

    /** Zeroes a native segment with libc {@code memset}, {@link #MEMSET_PIECE} bytes per call. */
    private static void memset(MemorySegment s) {
        try {
            for (long done = 0, n = s.byteSize(); done < n; done += MEMSET_PIECE) {
                MemorySegment unused = (MemorySegment) MEMSET.invokeExact(
                        s.asSlice(done, Math.min(MEMSET_PIECE, n - done)), 0, Math.min(MEMSET_PIECE, n - done));
            }
        } catch (Throwable t) {
            throw new IllegalStateException("memset failed", t);
        }
    }
}
