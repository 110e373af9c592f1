package dev.batchwise.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {
    private static BenchResult r(String workload, String device, String impl, double median) {
        return BenchResult.measured(workload, device, impl, new Stats(median, median, median, 20), null, 0, 1);
    }

    @Test
    void speedupIsBaselineMedianOverMedianOfSameWorkloadAndDevice() {
        BenchResult fast = r("W2-b", "cpu", "batchwise", 2);
        BenchResult base = r("W2-b", "cpu", "baseline", 10);
        BenchResult gpu = r("W2-b", "cuda:0", "batchwise", 1);
        BenchResult gpuBase = r("W2-b", "cuda:0", "baseline", 4);
        List<BenchResult> all = List.of(fast, base, gpu, gpuBase, r("W3-a", "cpu", "baseline", 100));
        assertEquals(5.0, Baselines.speedup(all, fast), 1e-12);
        assertEquals(1.0, Baselines.speedup(all, base), 1e-12);
        assertEquals(4.0, Baselines.speedup(all, gpu), 1e-12);
    }

    @Test
    void scipyServesAsBaselineWhenNoneIsNamedBaseline() {
        BenchResult fast = r("W2-f", "cpu", "batchwise", 3);
        List<BenchResult> all = List.of(fast, r("W2-f", "cpu", "scipy", 12));
        assertEquals(4.0, Baselines.speedup(all, fast), 1e-12);
    }

    @Test
    void noRatioWithoutASuccessfulBaseline() {
        BenchResult fast = r("W2-f", "cpu", "batchwise", 3);
        BenchResult failed = BenchResult.failed("W2-f", "cpu", "baseline", "boom");
        assertTrue(Double.isNaN(Baselines.speedup(List.of(fast, failed), fast)));
        assertTrue(Double.isNaN(Baselines.speedup(List.of(fast, r("W2-f", "cuda:0", "baseline", 1)), fast)));
    }

    @Test
    void speedupsListEveryBaselineWithThePrimaryFirst() {
        BenchResult fast = r("W3-a", "cuda:0", "batchwise", 0.01);
        List<BenchResult> all = List.of(fast, r("W3-a", "cuda:0", "pytorch", 50), r("W3-a", "cuda:0", "baseline", 0.5),
                r("W3-a", "cpu", "pytorch", 70));
        assertEquals(50.0, Baselines.speedup(all, fast), 1e-9);
        assertEquals(List.of("baseline", "pytorch"), List.copyOf(Baselines.speedups(all, fast).keySet()));
        assertEquals(5000.0, Baselines.speedups(all, fast).get("pytorch"), 1e-6);
        assertTrue(r("W3-a", "cpu", "pytorch", 1).isBaseline());
    }

    @Test
    void pytorchIsThePrimaryBaselineOnlyWhenNothingElseIs() {
        BenchResult fast = r("W3-a", "cuda:0", "batchwise", 0.01);
        assertEquals(100.0, Baselines.speedup(List.of(fast, r("W3-a", "cuda:0", "pytorch", 1)), fast), 1e-9);
    }

    private static BenchResult streamed(String impl, double median, Double stream) {
        Stats st = stream == null ? null : new Stats(stream, stream, stream, 20);
        return BenchResult.measured("W3-a", "cuda:0", impl, new Stats(median, median, median, 20), null, st, 0, 1);
    }

    @Test
    void streamSpeedupComparesStreamWithStreamOnly() {
        BenchResult fast = streamed("batchwise", 0.012, 0.004);
        BenchResult base = streamed("baseline", 0.5, 0.3);
        List<BenchResult> all = List.of(fast, base);
        assertEquals(75.0, Baselines.streamSpeedup(all, fast), 1e-9);
        // the wall ratio is unchanged by the stream times
        assertEquals(0.5 / 0.012, Baselines.speedup(all, fast), 1e-9);
        // a baseline without stream times (self-timed) gives no stream ratio
        assertTrue(Double.isNaN(Baselines.streamSpeedup(List.of(fast, streamed("baseline", 0.5, null)), fast)));
        assertTrue(Double.isNaN(Baselines.streamSpeedup(all, streamed("other", 0.01, null))));
        assertTrue(Double.isNaN(Baselines.streamSpeedup(List.of(fast), fast)));
    }
}
