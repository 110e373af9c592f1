package dev.batchwise.cli.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.heatmap.GaussianDrawOptions;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.heatmap.GaussianStamp;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W3 workloads: shapes as workloads.md says, and the baseline computes the same maps. */
class HeatmapWorkloadsTest {
    @ParameterizedTest
    @ValueSource(strings = {"W3-a", "W3-b", "W3-c", "W3-d"})
    void baselineDrawsTheSameMapsAsBatchwise(String id) {
        HeatmapBatch b = HeatmapBatch.w3(id);
        long[] shape = {b.samples(), b.classes(), b.height(), b.width()};
        try (Tensor base = Tensor.full(5, DType.FLOAT32, Device.CPU, shape);
             Tensor ours = Tensor.full(5, DType.FLOAT32, Device.CPU, shape)) {
            PerObjectHeatmapBaseline.draw(b, base);
            GaussianHeatmaps.drawClasswiseInto(ours, Tensor.of(b.centers(), b.samples(), b.slots(), 2),
                    Tensor.of(b.radii(), b.samples(), b.slots()), Tensor.of(b.labels(), b.samples(), b.slots()),
                    Tensor.of(b.sizes(), b.samples()),
                    GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true));
            assertArrayEquals(base.toFloatArray(), ours.toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"W3-a", "W3-b", "W3-c", "W3-d"})
    void workloadsMatchTheirSpecification(String id) throws Exception {
        HeatmapBatch b = HeatmapBatch.w3(id);
        int[][] expected = {
            {48, 1, 20, 50, 0, 50, 1, 4}, {48, 20, 20, 50, 0, 50, 1, 4},
            {8, 10, 128, 128, 20, 100, 2, 8}, {8, 10, 180, 180, 100, 500, 2, 12}};
        int[] e = expected[id.charAt(3) - 'a'];
        assertEquals(List.of(e[0], e[1], e[2], e[3]), List.of(b.samples(), b.classes(), b.height(), b.width()));
        for (int s = 0; s < b.samples(); s++) {
            assertTrue(b.sizes()[s] >= e[4] && b.sizes()[s] <= e[5]);
            for (int t = 0; t < b.sizes()[s]; t++) {
                int p = s * b.slots() + t;
                assertTrue(b.radii()[p] >= e[6] && b.radii()[p] <= e[7]);
                assertTrue(b.centers()[2 * p] >= 0 && b.centers()[2 * p] < b.width());
                assertTrue(b.labels()[p] >= 0 && b.labels()[p] < b.classes());
            }
        }
        Workload w = switch (id) {
            case "W3-a" -> HeatmapWorkloads.w3a();
            case "W3-b" -> HeatmapWorkloads.w3b();
            case "W3-c" -> HeatmapWorkloads.w3c();
            default -> HeatmapWorkloads.w3d();
        };
        assertEquals(id, w.id());
        List<BenchCase> cases = w.cases(Device.CPU);
        List<String> expectedCases = TorchHeatmapBaseline.available(Device.CPU)
                ? List.of("batchwise", "baseline", "pytorch") : List.of("batchwise", "baseline");
        assertEquals(expectedCases, cases.stream().map(BenchCase::implementation).toList());
        for (BenchCase c : cases) {
            c.run();
            c.close();
        }
    }

    /** The PyTorch loop (where python3 has PyTorch) must draw our maps bit for bit; it checks itself. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pytorchBaselineDrawsTheSameMaps(boolean classwise) throws Exception {
        assumeTrue(TorchHeatmapBaseline.available(Device.CPU), "python3 with PyTorch is not installed");
        HeatmapBatch b = HeatmapBatch.generate("small", 99, classwise, 3, classwise ? 4 : 1, 9, 13, 0, 12, 0, 6);
        try (TorchHeatmapBaseline torch = TorchHeatmapBaseline.create(b, Device.CPU)) {
            assertEquals(TorchHeatmapBaseline.RUNS, torch.externalTimesMs().length);
        }
    }
}
