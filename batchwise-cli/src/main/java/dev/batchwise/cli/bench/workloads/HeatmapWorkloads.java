package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.heatmap.GaussianDrawOptions;
import dev.batchwise.heatmap.GaussianHeatmaps;
import dev.batchwise.heatmap.GaussianStamp;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.util.List;

/**
 * W3 — Gaussian heatmaps (workloads.md): zero-fill the maps and draw every object, mmdet
 * semantics ({@link GaussianStamp#MMDET_CUTOFF}, σ = (2r+1)/6, k = 1).
 *
 * <ul>
 *   <li>"batchwise": one {@link GaussianHeatmaps#drawBatchedInto} (W3-a) or
 *       {@link GaussianHeatmaps#drawClasswiseInto} call with the zero-fill fused, on the device.</li>
 *   <li>"baseline": what a user does today — a per-object loop with mmdet3d
 *       {@code draw_heatmap_gaussian} semantics on the host ({@link PerObjectHeatmapBaseline}),
 *       after zeroing the maps; on a CUDA device the maps are then copied there.</li>
 *   <li>"pytorch", where python3 with PyTorch runs: the same per-object loop the way mmdet3d-based
 *       code runs it, on the maps' device ({@link TorchHeatmapBaseline}).</li>
 * </ul>
 */
public final class HeatmapWorkloads implements Workload {
    private final String id;
    private final String description;

    private HeatmapWorkloads(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** W3-a: 48 maps 20×50, 0–50 objects per map, r 1–4 (ACCV-Lab's benchmark). */
    public static Workload w3a() {
        return new HeatmapWorkloads("W3-a", "Gaussian heatmaps 48 x 20x50, <=50 objects/map, r 1-4, zero-fill");
    }

    /** W3-b: class-wise 48 × 20 classes × 20×50. */
    public static Workload w3b() {
        return new HeatmapWorkloads("W3-b", "Gaussian heatmaps class-wise 48 x 20 x 20x50, <=50 objects/sample, r 1-4, zero-fill");
    }

    /** W3-c: class-wise 8 × 10 × 128×128, 20–100 objects per sample, r 2–8. */
    public static Workload w3c() {
        return new HeatmapWorkloads("W3-c", "Gaussian heatmaps class-wise 8 x 10 x 128x128, 20-100 objects/sample, r 2-8, zero-fill");
    }

    /** W3-d: class-wise 8 × 10 × 180×180, 100–500 objects per sample, r 2–12. */
    public static Workload w3d() {
        return new HeatmapWorkloads("W3-d", "Gaussian heatmaps class-wise 8 x 10 x 180x180, 100-500 objects/sample, r 2-12, zero-fill");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<BenchCase> cases(Device device) throws IOException {
        HeatmapBatch b = HeatmapBatch.w3(id);
        // first, so that a failure to write its inputs leaves no device tensors behind
        BenchCase torch = TorchHeatmapBaseline.available(device) ? TorchHeatmapBaseline.create(b, device) : null;
        long[] mapShape = !b.classwise() ? new long[] {b.samples(), b.height(), b.width()}
                : new long[] {b.samples(), b.classes(), b.height(), b.width()};
        Tensor maps = Tensor.empty(DType.FLOAT32, device, mapShape);
        Tensor centers = Tensor.of(b.centers(), b.samples(), b.slots(), 2).to(device);
        Tensor radii = Tensor.of(b.radii(), b.samples(), b.slots()).to(device);
        Tensor labels = Tensor.of(b.labels(), b.samples(), b.slots()).to(device);
        Tensor sizes = Tensor.of(b.sizes(), b.samples()).to(device);
        GaussianDrawOptions opts = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true);
        BenchCase batchwise = BenchCase.of("batchwise", () -> {
            if (!b.classwise()) {
                GaussianHeatmaps.drawBatchedInto(maps, centers, radii, sizes, opts);
            } else {
                GaussianHeatmaps.drawClasswiseInto(maps, centers, radii, labels, sizes, opts);
            }
        }, () -> {
            maps.close();
            centers.close();
            radii.close();
            labels.close();
            sizes.close();
        });
        Tensor baselineMaps = Tensor.empty(DType.FLOAT32, device, mapShape);
        BenchCase baseline = BenchCase.of("baseline",
                () -> PerObjectHeatmapBaseline.draw(b, baselineMaps), baselineMaps::close);
        return torch == null ? List.of(batchwise, baseline) : List.of(batchwise, baseline, torch);
    }
}
