package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.machine.MachineInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream columns of the JSON report and the text table. */
class BenchReportTest {
    private static final MachineInfo MACHINE = MachineInfo.collect();

    private static BenchResult gpu(String impl, double wall, double stream) {
        return BenchResult.measured("W3-a", "cuda:0", impl, new Stats(wall, wall, wall, 20),
                new Stats(wall / 2, wall / 2, wall / 2, 20), new Stats(stream, stream * 0.9, stream * 1.1, 20), 0, 1);
    }

    private static BenchResult cpu(String impl, double wall) {
        return BenchResult.measured("W3-a", "cpu", impl, new Stats(wall, wall, wall, 20), null, 0, 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(List<BenchResult> all, int i) {
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(BenchReport.toJson(MACHINE, all, List.of()));
        return ((List<Map<String, Object>>) root.get("results")).get(i);
    }

    @Test
    void jsonCarriesStreamTimesAndTheirRatio() {
        List<BenchResult> all = List.of(gpu("batchwise", 0.012, 0.005), gpu("baseline", 0.6, 0.4), cpu("batchwise", 0.2));
        Map<String, Object> e = entry(all, 0);
        assertEquals(0.005, (Double) e.get("stream_median_ms"), 1e-12);
        assertEquals(0.0045, (Double) e.get("stream_min_ms"), 1e-12);
        assertEquals((double) CudaClock.STREAM_CALLS, (Double) e.get("stream_calls"), 0);
        assertEquals(80.0, (Double) e.get("stream_speedup"), 1e-9);
        assertEquals(50.0, (Double) e.get("speedup"), 1e-9);
        Map<String, Object> c = entry(all, 2);
        assertFalse(c.containsKey("stream_median_ms"));
        assertFalse(c.containsKey("stream_speedup"));
    }

    @Test
    void tableShowsTheStreamColumnAndRatio() {
        List<BenchResult> all = List.of(gpu("batchwise", 0.012, 0.005), gpu("baseline", 0.6, 0.4), cpu("baseline", 0.2));
        String table = ResultTable.format(MACHINE, all, List.of());
        assertTrue(table.contains("stream ms"), table);
        String first = table.lines().filter(l -> l.startsWith("W3-a") && l.contains("batchwise")).findFirst().orElseThrow();
        assertTrue(first.contains("0.0050"), first);
        assertTrue(first.contains("50.00x, stream 80.00x"), first);
        String cpuRow = table.lines().filter(l -> l.contains(" cpu ")).findFirst().orElseThrow();
        assertFalse(cpuRow.contains("stream"), cpuRow);
    }
}
