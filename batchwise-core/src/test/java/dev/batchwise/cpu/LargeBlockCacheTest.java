package dev.batchwise.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class LargeBlockCacheTest {
    @Test
    void aFreedLargeBlockIsReusedAndZeroedOnRequest() {
        long bytes = (8L << 20) + 3;
        long a = NativeMemory.allocate(bytes, false);
        NativeMemory.segment(a, bytes).fill((byte) 7);
        NativeMemory.free(a, bytes);
        assertTrue(LargeBlockCache.cachedBytes() >= LargeBlockCache.roundUp(bytes));
        long b = NativeMemory.allocate(bytes, true);
        assertEquals(a, b, "the same rounded size reuses the cached block");
        var seg = NativeMemory.segment(b, bytes);
        for (long i = 0; i < bytes; i += 4093) {
            assertEquals(0, seg.get(ValueLayout.JAVA_BYTE, i), "zero-filled at " + i);
        }
        NativeMemory.free(b, bytes);
    }

    @Test
    void smallBlocksAreNotCachedAndClearEmptiesTheCache() {
        long before = LargeBlockCache.cachedBytes();
        long small = NativeMemory.allocate(1024, false);
        NativeMemory.free(small, 1024);
        assertEquals(before, LargeBlockCache.cachedBytes());
        long big = NativeMemory.allocate(5L << 20, false);
        NativeMemory.free(big, 5L << 20);
        assertNotEquals(0, LargeBlockCache.cachedBytes());
        LargeBlockCache.clear();
        assertEquals(0, LargeBlockCache.cachedBytes());
    }
}
