package dev.batchwise.cli.bench.foundation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.bench.BenchHarness;
import dev.batchwise.cli.bench.BenchResult;
import dev.batchwise.cli.bench.BenchSettings;
import dev.batchwise.cli.bench.RunClocks;
import dev.batchwise.tensor.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GpuFoundationWorkloadsTest {
    @Test
    void notApplicableOnTheCpu() {
        assertEquals(List.of(), CopyBandwidthWorkload.mib64().cases(Device.CPU));
        assertEquals(List.of(), new LaunchLatencyWorkload().cases(Device.CPU));
        assertEquals(List.of(), new RoundTripWorkload().cases(Device.CPU));
        assertEquals("T0-copy-64M", CopyBandwidthWorkload.mib64().id());
        assertEquals("T0-copy-256M", CopyBandwidthWorkload.mib256().id());
        assertThrows(IllegalArgumentException.class, () -> new CopyBandwidthWorkload(6));
    }

    @Test
    void timedOnTheGpuWithDeviceTimesAndRates() {
        Assumptions.assumeTrue(Device.cudaAvailable(), () -> "CUDA test skipped: " + Device.cudaUnavailableReason());
        StringWriter progress = new StringWriter();
        BenchHarness h = new BenchHarness(new BenchSettings(1, 2, null), RunClocks::forDevice,
                new PrintWriter(progress, true));
        List<BenchResult> results = h.run(List.of(new CopyBandwidthWorkload(1 << 20), new LaunchLatencyWorkload(),
                        new RoundTripWorkload()),
                List.of(Device.cuda(0)));
        assertEquals(List.of("pinned-h2d", "pinned-d2h", "pageable-h2d", "pageable-d2h", "d2d", "stream", "graph",
                        "empty kernel"),
                results.stream().map(BenchResult::implementation).toList());
        for (BenchResult r : results) {
            assertTrue(r.ok(), r.implementation() + ": " + r.error());
            assertNotNull(r.deviceTime(), r.implementation());
            assertEquals(2, r.wall().runs());
        }
        for (BenchResult r : results.subList(0, 5)) {
            assertTrue(r.deviceGbps() > 0, r.toString());
        }
        for (BenchResult r : results.subList(5, 7)) {
            assertEquals(LaunchLatencyWorkload.LAUNCHES, r.itemsPerRun());
        }
        // one launch and its sync take longer than the launch alone
        assertTrue(results.get(7).wall().medianMs() * 1e3 > results.get(5).wall().medianMs() * 1e3 / LaunchLatencyWorkload.LAUNCHES,
                results.get(7).toString());
    }
}
