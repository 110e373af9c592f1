package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Behaviour on machines without a usable driver (runs on every build machine without a GPU). */
class CudaUnavailableTest {
    private static final String[] PUBLIC_CLASSES = {
        "Cuda", "CudaDevice", "CudaStream", "CudaStream$Use", "CudaEvent", "CudaMemory", "CudaMemory$Location",
        "CudaModule", "CudaKernel", "CudaKernel$Launch", "CudaGraph", "CudaGraph$CaptureMode", "DeviceErrorFlag",
        "PinnedBuffer", "CudaException", "CudaOutOfMemoryException",
    };

    @Test
    void loadingAndInitialisingEveryPublicClassNeverThrows() throws Exception {
        for (String name : PUBLIC_CLASSES) {
            Class<?> c = Class.forName("dev.batchwise.cuda." + name, true, getClass().getClassLoader());
            assertNotNull(c);
        }
        Class.forName("dev.batchwise.tensor.Device", true, getClass().getClassLoader());
        Class.forName("dev.batchwise.tensor.TensorErrorFlags", true, getClass().getClassLoader());
    }

    @Test
    void availabilityIsConsistent() {
        if (Cuda.isAvailable()) {
            assertNull(Cuda.unavailableReason());
            assertTrue(Cuda.deviceCount() > 0);
            assertTrue(Cuda.driverVersion() >= 12000, "driver version " + Cuda.driverVersion());
            assertTrue(Device.cudaAvailable());
        } else {
            assertNotNull(Cuda.unavailableReason());
            assertFalse(Cuda.unavailableReason().isBlank());
            assertEquals(0, Cuda.deviceCount());
            assertEquals(0, Cuda.driverVersion());
            assertFalse(Device.cudaAvailable());
            assertEquals(0, Device.cudaDeviceCount());
            assertEquals(Device.CPU, Device.best());
            assertEquals(Cuda.unavailableReason(), Device.cudaUnavailableReason());
        }
    }

    @Test
    void withoutDriverTheReasonNamesTheCause() {
        assumeFalse(Cuda.isAvailable(), "a CUDA driver and GPU are present");
        String reason = Cuda.unavailableReason();
        assertTrue(reason.contains("libcuda.so.1") || reason.contains("no CUDA device")
                        || reason.contains("disabled") || reason.contains("driver"),
                "unexpected reason: " + reason);
    }

    @Test
    void everyEntryPointThrowsIllegalStateExceptionWithTheReason() {
        assumeFalse(Cuda.isAvailable(), "a CUDA driver and GPU are present");
        Device gpu = Device.cuda(0);
        Executable[] calls = {
            Cuda::requireAvailable,
            () -> CudaDevice.get(0),
            () -> CudaStream.current(gpu),
            () -> CudaStream.create(gpu),
            () -> CudaEvent.create(gpu),
            () -> PinnedBuffer.allocate(16),
            () -> CudaModule.load(gpu, "tensor"),
            () -> Tensor.zeros(DType.FLOAT32, gpu, 3),
            () -> Tensor.empty(DType.INT64, gpu, 0),
            () -> Tensor.full(1.5, DType.FLOAT64, gpu, 2, 2),
            () -> Tensor.of(new float[] {1, 2, 3}).to(gpu),
            () -> Tensor.of(new int[] {1, 2}).to(gpu, DType.FLOAT32),
        };
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains(Cuda.unavailableReason()), e.getMessage());
            assertTrue(e.getMessage().startsWith("CUDA is not available"), e.getMessage());
        }
    }

    @Test
    void cpuTensorsStillWork() {
        assertEquals(6.0, Tensor.of(new double[] {1, 2, 3}).to(DType.INT32).toIntArray()[2] * 2.0);
    }
}
