package dev.batchwise.cli.bench.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.tensor.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuCopyWorkloadTest {
    @Test
    void cpuCasesReportTheirBytesRunAndFreeTheirTensors() throws Exception {
        CpuCopyWorkload w = new CpuCopyWorkload(1000);
        List<BenchCase> cases = w.cases(Device.CPU);
        assertEquals(List.of("batchwise", "batchwise-into", "baseline"),
                cases.stream().map(BenchCase::implementation).toList());
        for (BenchCase c : cases) {
            assertEquals(4000, c.bytesPerRun());
            assertEquals(1, c.itemsPerRun());
            c.run();
            c.run();
        }
        for (BenchCase c : cases) {
            c.close();
        }
        // closing freed the tensors the tensor cases use
        assertThrows(IllegalStateException.class, cases.get(0)::run);
        assertThrows(IllegalStateException.class, cases.get(1)::run);
    }

    @Test
    void notApplicableOnAGpuAndRejectsEmptySizes() {
        assertEquals(List.of(), new CpuCopyWorkload(10).cases(Device.cuda(0)));
        assertThrows(IllegalArgumentException.class, () -> new CpuCopyWorkload(0));
        assertEquals("T0-cpu-copy", new CpuCopyWorkload().id());
    }
}
