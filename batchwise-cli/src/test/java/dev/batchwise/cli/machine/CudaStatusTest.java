package dev.batchwise.cli.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import org.junit.jupiter.api.Test;

class CudaStatusTest {
    @Test
    void driverVersionIsMajorDotMinor() {
        assertEquals("13.0", CudaStatus.formatVersion(13000));
        assertEquals("12.8", CudaStatus.formatVersion(12080));
        assertNull(CudaStatus.formatVersion(0));
    }

    @Test
    void probeAgreesWithTheDevice() {
        CudaStatus s = CudaStatus.probe();
        if (Device.cudaAvailable()) {
            assertTrue(s.usable(), String.valueOf(s.unavailableReason()));
            assertEquals(Device.cudaDeviceCount(), s.gpus().size());
            assertTrue(s.gpus().get(0).smCount() > 0 && s.gpus().get(0).memoryBytes() > 0, s.toString());
        } else {
            assertFalse(s.usable());
            assertEquals(Device.cudaUnavailableReason(), s.unavailableReason());
            assertTrue(s.gpus().isEmpty());
        }
    }
}
