package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import org.junit.jupiter.api.Test;

/** Device enumeration and attributes (GPU only). */
class CudaDeviceTest {
    @Test
    void enumeratesDevicesWithPlausibleAttributes() {
        Device gpu = Gpu.device();
        assertTrue(Cuda.deviceCount() >= 1);
        assertTrue(Cuda.driverVersion() >= 12000, "driver " + Cuda.driverVersion());
        for (int i = 0; i < Cuda.deviceCount(); i++) {
            CudaDevice d = CudaDevice.get(i);
            assertEquals(i, d.ordinal());
            assertFalse(d.name().isBlank());
            assertTrue(d.totalMemoryBytes() > (1L << 30), "memory " + d.totalMemoryBytes());
            assertTrue(d.multiprocessorCount() > 0);
            assertTrue(d.computeCapability().matches("\\d+\\.\\d+"), d.computeCapability());
            assertEquals(d.computeCapabilityMajor() + "." + d.computeCapabilityMinor(), d.computeCapability());
            assertEquals(1024, d.attribute(1), "CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK");
            assertEquals(d.multiprocessorCount(), d.attribute(16));
            assertEquals(32, d.attribute(10), "CU_DEVICE_ATTRIBUTE_WARP_SIZE");
            assertTrue(d.toString().startsWith("cuda:" + i + " ("), d.toString());
        }
        assertSame(CudaDevice.get(0), CudaDevice.of(gpu));
        assertSame(gpu, CudaDevice.get(0).device());
        assertEquals(Cuda.deviceCount(), Device.cudaDeviceCount());
    }

    @Test
    void rejectsMissingDevicesAndTheCpu() {
        Gpu.device();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaDevice.get(Cuda.deviceCount()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaDevice.of(Device.CPU));
        assertThrows(CudaException.class, () -> CudaDevice.get(0).attribute(100_000));
    }

    @Test
    void makeCurrentWorksFromManyThreads() throws Exception {
        Gpu.device();
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    CudaDevice.get(0).makeCurrent();
                    CudaStream.current(Device.cuda(0)).synchronize();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
