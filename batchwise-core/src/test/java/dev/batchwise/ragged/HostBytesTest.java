package dev.batchwise.ragged;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * {@link HostBytes} against byte-by-byte loops: every size across its branches, at odd offsets
 * (fills from 64 KB go to {@code memset}, in pieces of 1 MiB).
 */
class HostBytesTest {

    @Test
    void copyMovesExactlyTheRangeForEverySize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(512);
            MemorySegment dst = arena.allocate(512);
            for (int i = 0; i < 512; i++) {
                src.set(JAVA_BYTE, i, (byte) (i * 7 + 1));
            }
            for (int size = 0; size <= 200; size++) {
                for (int from : new int[] {0, 3, 8, 37}) {
                    int to = from == 0 ? 5 : from + 11;
                    dst.fill((byte) -1);
                    HostBytes.copy(src, from, dst, to, size);
                    for (int k = 0; k < 512; k++) {
                        byte want = k >= to && k < to + size ? src.get(JAVA_BYTE, from + k - to) : (byte) -1;
                        assertEquals(want, dst.get(JAVA_BYTE, k), "size " + size + " from " + from + " byte " + k);
                    }
                }
            }
        }
    }

    @Test
    void zeroClearsExactlyTheRangeBeyondOneBlock() {
        int n = (64 << 10) * 2 + 300; // more than two zero blocks
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(n);
            for (int[] range : new int[][] {{0, 0}, {1, 1}, {7, 100}, {13, (64 << 10) - 1}, {13, 64 << 10},
                    {13, (64 << 10) + 5}, {3, n - 10}}) {
                dst.fill((byte) 9);
                HostBytes.zero(dst, range[0], range[1]);
                for (int k = 0; k < n; k++) {
                    byte want = k >= range[0] && k < range[0] + range[1] ? 0 : (byte) 9;
                    assertEquals(want, dst.get(JAVA_BYTE, k), "range " + range[0] + "+" + range[1] + " byte " + k);
                }
            }
        }
    }

    @Test
    void zeroClearsExactlyTheRangeOverSeveralMemsetPieces() {
        int n = (3 << 20) + 777;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(n);
            for (int[] range : new int[][] {{5, (1 << 20) + 3}, {1, n - 2}, {(1 << 20) - 7, 2 << 20}}) {
                dst.fill((byte) 9);
                HostBytes.zero(dst, range[0], range[1]);
                for (int k = 0; k < n; k++) {
                    byte want = k >= range[0] && k < range[0] + range[1] ? 0 : (byte) 9;
                    if (want != dst.get(JAVA_BYTE, k)) {
                        assertEquals(want, dst.get(JAVA_BYTE, k), "range " + range[0] + "+" + range[1] + " byte " + k);
                    }
                }
            }
        }
    }
}
