package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** Exception types and messages (no GPU needed). */
class CudaErrorsTest {
    @Test
    void cudaExceptionCarriesCodeNameAndDescription() {
        CudaException e = new CudaException("cuLaunchKernel", 1, "CUDA_ERROR_INVALID_VALUE", "invalid argument");
        assertEquals(1, e.code());
        assertEquals("CUDA_ERROR_INVALID_VALUE", e.errorName());
        assertEquals("invalid argument", e.errorString());
        assertEquals("cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (1): invalid argument", e.getMessage());
    }

    @Test
    void outOfMemoryHasCodeTwo() {
        CudaException e = new CudaOutOfMemoryException("cuMemAllocAsync", "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
        assertEquals(2, e.code());
        assertInstanceOf(CudaException.class, e);
    }

    @Test
    void indexErrorsBecomeIndexOutOfBounds() {
        RuntimeException e = DeviceErrorFlag.exception("batchedIndexingAccess", DeviceErrorFlag.ERR_INDEX, 3, 5, 17, 10);
        assertInstanceOf(IndexOutOfBoundsException.class, e);
        assertEquals("batchedIndexingAccess: index 17 is out of range for size 10 in sample 3 at position 5",
                e.getMessage());
    }

    @Test
    void valueErrorsBecomeIllegalArgument() {
        RuntimeException e = DeviceErrorFlag.exception("drawGaussians", DeviceErrorFlag.ERR_VALUE, 2, 4, -1, 0);
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("drawGaussians: invalid value in sample 2 at position 4 (details -1, 0)", e.getMessage());
    }

    @Test
    void unknownCodesBecomeIllegalState() {
        RuntimeException e = DeviceErrorFlag.exception("op", 99, 1, 2, 3, 4);
        assertInstanceOf(IllegalStateException.class, e);
        assertEquals("op: a kernel reported unknown error code 99 (1, 2, 3, 4)", e.getMessage());
    }
}
