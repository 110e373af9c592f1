package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cpu.NativeMemory;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.MemoryStats;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Allocation, copies (1-D, 2-D, staged, offsets) and memset (GPU only). */
class CudaMemoryTest {
    @Test
    void freedMemoryIsReusedOnTheSameStream() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaDevice device = CudaDevice.of(gpu);
        long a = CudaMemory.allocAsync(s, 1 << 20);
        CudaMemory.freeAsync(s, a);
        long b = CudaMemory.allocAsync(s, 1 << 20);
        CudaMemory.freeAsync(s, b);
        assertEquals(a, b, "memory freed on a stream is reused by the next allocation on it");
        s.synchronize();
        long reserved = device.poolReservedBytes();
        assertTrue(reserved >= 1 << 20, "the pool keeps freed memory across synchronisation: " + reserved);
        for (int i = 0; i < 100; i++) {
            CudaMemory.freeAsync(s, CudaMemory.allocAsync(s, 1 << 20));
            s.synchronize();
        }
        assertEquals(reserved, device.poolReservedBytes(), "no new memory for the same size");
        assertEquals(0, CudaMemory.allocAsync(s, 0));
        CudaMemory.freeAsync(s, 0);
    }

    @Test
    void tensorMemoryReturnsToBaseline() {
        Device gpu = Gpu.device();
        long before = MemoryStats.cudaBytesInUse();
        try (Scope scope = Scope.open()) {
            Tensor a = Tensor.zeros(DType.FLOAT32, gpu, 1000);
            Tensor b = Tensor.empty(DType.INT64, gpu, 10, 10);
            Tensor.empty(DType.BOOL, gpu, 0);
            assertEquals(before + 4000 + 800, MemoryStats.cudaBytesInUse());
            assertEquals(4000, a.byteSize());
            assertTrue(b.devicePointer() != 0);
        }
        assertEquals(before, MemoryStats.cudaBytesInUse());
        Tensor t = Tensor.zeros(DType.FLOAT64, gpu, 3);
        t.close();
        assertEquals(before, MemoryStats.cudaBytesInUse());
        assertThrows(IllegalStateException.class, t::toDoubleArray);
    }

    @Test
    void rawCopiesRoundTripWithOffsets() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        int n = 1 << 16;
        byte[] data = randomBytes(n, 1);
        try (PinnedBuffer in = PinnedBuffer.allocate(n); PinnedBuffer out = PinnedBuffer.allocate(2L * n)) {
            MemorySegment.copy(data, 0, in.segment(), ValueLayout.JAVA_BYTE, 0, n);
            long d1 = CudaMemory.allocAsync(s, 2L * n);
            long d2 = CudaMemory.allocAsync(s, 2L * n);
            CudaMemory.memsetD8Async(s, d1, (byte) 0x5A, 2L * n);
            CudaMemory.copyHostToDeviceAsync(s, d1 + 100, in.address(), n);          // into the middle
            CudaMemory.copyDeviceToDeviceAsync(s, d2, d1, 2L * n);
            CudaMemory.copyDeviceToHostAsync(s, out.address(), d2, 2L * n);
            s.synchronize();
            byte[] back = out.segment().toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < 2 * n; i++) {
                byte want = i >= 100 && i < 100 + n ? data[i - 100] : 0x5A;
                assertEquals(want, back[i], "byte " + i);
            }
            CudaMemory.freeAsync(s, d1);
            CudaMemory.freeAsync(s, d2);
            s.synchronize();
        }
    }

    @Test
    void memsetD32FillsWords() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        try (PinnedBuffer out = PinnedBuffer.allocate(4 * 1001)) {
            long d = CudaMemory.allocAsync(s, 4 * 1001);
            CudaMemory.memsetD32Async(s, d, 0xDEADBEEF, 1001);
            CudaMemory.copyDeviceToHostAsync(s, out.address(), d, 4 * 1001);
            s.synchronize();
            for (int i = 0; i < 1001; i++) {
                assertEquals(0xDEADBEEF, out.segment().getAtIndex(ValueLayout.JAVA_INT, i));
            }
            CudaMemory.freeAsync(s, d);
        }
    }

    @Test
    void twoDimensionalCopiesHonourPitches() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        int rows = 37;
        int width = 24;
        int hostPitch = 40;
        int devPitch = 64;
        byte[] data = randomBytes(rows * hostPitch, 2);
        try (PinnedBuffer in = PinnedBuffer.allocate(rows * hostPitch);
             PinnedBuffer out = PinnedBuffer.allocate(rows * hostPitch)) {
            MemorySegment.copy(data, 0, in.segment(), ValueLayout.JAVA_BYTE, 0, data.length);
            out.segment().fill((byte) 0);
            long d = CudaMemory.allocAsync(s, (long) rows * devPitch);
            CudaMemory.memsetD8Async(s, d, (byte) 0, (long) rows * devPitch);
            CudaMemory.copy2DAsync(s, CudaMemory.Location.HOST, in.address() + 8, hostPitch,
                    CudaMemory.Location.DEVICE, d + 4, devPitch, width, rows);
            CudaMemory.copy2DAsync(s, CudaMemory.Location.DEVICE, d + 4, devPitch,
                    CudaMemory.Location.HOST, out.address() + 8, hostPitch, width, rows);
            s.synchronize();
            byte[] back = out.segment().toArray(ValueLayout.JAVA_BYTE);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < hostPitch; c++) {
                    int i = r * hostPitch + c;
                    byte want = c >= 8 && c < 8 + width ? data[i] : 0;
                    assertEquals(want, back[i], "row " + r + " column " + c);
                }
            }
            CudaMemory.freeAsync(s, d);
        }
        assertThrows(IllegalArgumentException.class, () -> CudaMemory.copy2DAsync(s, CudaMemory.Location.DEVICE, 0, 4,
                CudaMemory.Location.DEVICE, 0, 8, 8, 2));
    }

    @Test
    void stagedCopiesFromPageableMemoryLetTheSourceGoAtOnce() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        // contiguous, larger than several staging chunks
        long n = 3L * HostStaging.CHUNK_BYTES * HostStaging.MAX_CHUNKS / 2 + 12345;
        long host = NativeMemory.allocate(n, false);
        MemorySegment h = NativeMemory.segment(host, n);
        for (long i = 0; i < n; i += 8) {
            h.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 >>> 3));
        }
        long d = CudaMemory.allocAsync(s, n);
        CudaMemory.copyFromPageableAsync(s, d, 0, host, 0, n, 1);
        h.fill((byte) 0); // the source is free to change once the call returns
        long back = NativeMemory.allocate(n, true);
        CudaMemory.copyDeviceToHostAsync(s, back, d, n);
        s.synchronize();
        MemorySegment b = NativeMemory.segment(back, n);
        for (long i = 0; i < n; i += 8) {
            assertEquals((byte) (i * 31 >>> 3), b.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
        // pitched rows from pageable memory
        int rows = 1000;
        int width = 12;
        long src = NativeMemory.allocate(rows * 20L, false);
        MemorySegment sh = NativeMemory.segment(src, rows * 20L);
        for (int i = 0; i < rows * 20; i++) {
            sh.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        CudaMemory.memsetD8Async(s, d, (byte) 0, rows * 16L);
        CudaMemory.copyFromPageableAsync(s, d, 16, src + 4, 20, width, rows);
        CudaMemory.copyDeviceToHostAsync(s, back, d, rows * 16L);
        s.synchronize();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 16; c++) {
                byte want = c < width ? (byte) (r * 20 + 4 + c) : 0;
                assertEquals(want, b.get(ValueLayout.JAVA_BYTE, r * 16L + c), "row " + r + " column " + c);
            }
        }
        CudaMemory.freeAsync(s, d);
        s.synchronize();
        NativeMemory.free(host, n);
        NativeMemory.free(back, n);
        NativeMemory.free(src, rows * 20L);
    }

    @Test
    void tensorsRoundTripThroughTheGpu() {
        Device gpu = Gpu.device();
        try (Scope scope = Scope.open()) {
            float[] data = new float[6_000_000]; // 24 MB: several staging chunks
            Random r = new Random(3);
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextFloat() * 1000 - 500;
            }
            Tensor cpu = Tensor.of(data, 2000, 3000);
            Tensor g = cpu.to(gpu);
            assertEquals(gpu, g.device());
            assertArrayEquals(data, g.toFloatArray());
            // views with offsets, both directions
            assertArrayEquals(cpu.narrow(0, 7, 5).toFloatArray(), g.narrow(0, 7, 5).toFloatArray());
            assertArrayEquals(cpu.select(0, 1999).toFloatArray(), g.select(0, 1999).to(Device.CPU).toFloatArray());
            // pitched device-to-device copy (slice along an inner axis)
            assertArrayEquals(cpu.slice(1, 100, 7).toFloatArray(), g.slice(1, 100, 7).toFloatArray());
            // host -> device into a view
            Tensor target = Tensor.zeros(DType.FLOAT32, gpu, 10, 3);
            target.narrow(0, 4, 2).copyFrom(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            float[] t = target.toFloatArray();
            assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0},
                    java.util.Arrays.copyOfRange(t, 9, 21));
            assertEquals(0f, t[0]);
            assertTrue(g.toString().startsWith("Tensor(shape=(2000, 3000), dtype=float32, device=cuda:0)"));
            assertEquals(g, g.to(gpu));
            // copy() on the GPU
            assertArrayEquals(data, g.copy().toFloatArray());
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
