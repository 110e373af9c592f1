package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.MemoryStats;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A million allocate/free cycles in scopes leave CUDA memory where it was (GPU only). */
class CudaMemoryLoopTest {
    @Test
    void millionScopedAllocationsKeepMemoryFlat() {
        Device gpu = Gpu.device();
        CudaStream s = CudaStream.current(gpu);
        CudaDevice device = CudaDevice.of(gpu);
        long before = MemoryStats.cudaBytesInUse();
        s.synchronize();
        long poolUsedBefore = device.poolUsedBytes();
        long reservedAfterWarmUp = -1;
        long[] sizes = {1, 64, 4096, 1 << 16, 1 << 20};
        for (int i = 0; i < 1_000_000; i++) {
            try (Scope scope = Scope.open()) {
                Tensor.empty(DType.FLOAT32, gpu, sizes[i % sizes.length]);
                if (i % 3 == 0) {
                    Tensor.zeros(DType.UINT8, gpu, 100 + i % 1000);
                }
            }
            if (i % 100_000 == 0) {
                s.synchronize();
                // "<=": the Cleaner may free tensors other tests leaked meanwhile; a leak here only grows
                assertTrue(MemoryStats.cudaBytesInUse() <= before, "after " + i + " cycles");
                assertTrue(device.poolUsedBytes() <= poolUsedBefore, "pool bytes in use after " + i + " cycles");
                if (reservedAfterWarmUp < 0) {
                    reservedAfterWarmUp = device.poolReservedBytes();
                } else {
                    assertTrue(device.poolReservedBytes() <= reservedAfterWarmUp + (64L << 20),
                            "pool grew to " + device.poolReservedBytes() + " from " + reservedAfterWarmUp);
                }
            }
        }
        s.synchronize();
        assertTrue(MemoryStats.cudaBytesInUse() <= before);
        assertTrue(device.poolUsedBytes() <= poolUsedBefore);
    }
}
