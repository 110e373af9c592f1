package dev.batchwise.cli.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuModelTest {
    @Test
    void takesTheFirstModelNameLine() {
        List<String> lines = List.of("processor\t: 0", "vendor_id\t: GenuineIntel",
                "model\t\t: 143", "model name\t: Intel(R) Xeon(R)   Platinum 8480+", "",
                "processor\t: 1", "model name\t: Other");
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", CpuModel.fromLines(lines));
    }

    @Test
    void noModelNameGivesNullAndReadFallsBackToTheArchitecture() {
        assertNull(CpuModel.fromLines(List.of("processor\t: 0", "CPU implementer\t: 0x41")));
        String fallback = CpuModel.read(Path.of("/nonexistent/cpuinfo"));
        assertTrue(fallback.startsWith(System.getProperty("os.arch")), fallback);
    }
}
