package dev.batchwise.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorSmokeTest {
    @Test
    void roundTripViewsAndScopes() {
        long before = MemoryStats.cpuBytesInUse();
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new float[] {4, 5, 6}, x.select(0, 1).toFloatArray());
            assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, x.to(DType.INT64).toLongArray());
            assertArrayEquals(new float[] {2, 5}, x.slice(1, 1, 1).toFloatArray());
            assertEquals(2, s.ownedCount() - 1); // x, the INT64 copy and the slice (temporaries freed)
        }
        assertEquals(before, MemoryStats.cpuBytesInUse());
    }

    @Test
    void useAfterCloseThrows() {
        Tensor x = Tensor.zeros(DType.FLOAT32, Device.CPU, 4);
        Tensor v = x.reshape(2, 2);
        x.close();
        assertThrows(IllegalStateException.class, v::toFloatArray);
    }
}
