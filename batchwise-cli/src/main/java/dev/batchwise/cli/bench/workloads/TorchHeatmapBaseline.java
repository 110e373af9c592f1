package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Npy;
import dev.batchwise.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch baseline of W3: what mmdet3d-based training code runs today — Gaussians drawn one
 * object at a time with {@code draw_heatmap_gaussian} semantics on the device the maps live on
 * (per object a host-built kernel, a host-to-device copy and a max-combine), timed by a Python
 * subprocess on the same objects ({@code torch_heatmap_timing.py}). Absent when python3 with
 * PyTorch (and, for a CUDA device, a usable GPU) cannot be run.
 *
 * <p>Its maps are checked against our per-object Java loop after the timed runs, so a ratio is
 * only reported against a baseline that drew the same targets.
 */
final class TorchHeatmapBaseline implements BenchCase {
    static final int WARMUP = 3;
    static final int RUNS = 20;
    private static final String SCRIPT = "torch_heatmap_timing.py";

    private final HeatmapBatch batch;
    private final Device device;
    private final Path dir;

    private TorchHeatmapBaseline(HeatmapBatch batch, Device device, Path dir) {
        this.batch = batch;
        this.device = device;
        this.dir = dir;
    }

    /** True when PyTorch can be imported and, for a CUDA device, sees a GPU (probed once per kind). */
    static boolean available(Device device) {
        return PythonTiming.canRun(device.isCuda()
                ? "import numpy, torch; assert torch.cuda.is_available()" : "import numpy, torch");
    }

    /** Writes the batch's objects for the subprocess. */
    static TorchHeatmapBaseline create(HeatmapBatch b, Device device) throws IOException {
        Path dir = PythonTiming.folderWithScript("batchwise-w3-", SCRIPT);
        PythonTiming.save(dir, "centers.npy", Tensor.of(b.centers(), b.samples(), b.slots(), 2));
        PythonTiming.save(dir, "radii.npy", Tensor.of(b.radii(), b.samples(), b.slots()));
        PythonTiming.save(dir, "labels.npy", Tensor.of(b.labels(), b.samples(), b.slots()));
        PythonTiming.save(dir, "sizes.npy", Tensor.of(b.sizes(), b.samples()));
        return new TorchHeatmapBaseline(b, device, dir);
    }

    @Override
    public String implementation() {
        return "pytorch";
    }

    /** One loop over the batch (in a fresh interpreter, so mostly start-up; the timing is external). */
    @Override
    public void run() throws Exception {
        python(0, 1);
    }

    @Override
    public double[] externalTimesMs() throws Exception {
        double[] times = python(WARMUP, RUNS).stream().mapToDouble(Double::doubleValue).toArray();
        checkMaps();
        return times;
    }

    private List<Double> python(int warmup, int runs) throws IOException, InterruptedException {
        String torchDevice = device.isCuda() ? "cuda:" + device.cudaIndex() : "cpu";
        return PythonTiming.run("PyTorch heatmap baseline", dir, SCRIPT, List.of(dir.toString(), torchDevice,
                Boolean.toString(batch.classwise()), Integer.toString(batch.classes()),
                Integer.toString(batch.height()), Integer.toString(batch.width()),
                Integer.toString(warmup), Integer.toString(runs)), runs);
    }

    /** The maps PyTorch drew must equal our per-object loop's bit for bit. */
    private void checkMaps() throws IOException {
        float[] expected = PerObjectHeatmapBaseline.drawOnHost(batch);
        float[] got;
        try (Tensor maps = Npy.read(dir.resolve("maps.npy"))) {
            got = maps.toFloatArray();
        }
        if (got.length != expected.length) {
            throw new IOException("PyTorch baseline drew " + got.length + " values, expected " + expected.length);
        }
        int differing = 0;
        int first = -1;
        for (int i = 0; i < got.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                differing++;
                first = first < 0 ? i : first;
            }
        }
        if (differing > 0) {
            throw new IOException("PyTorch baseline's maps differ from the per-object Java loop in " + differing
                    + " values (first at flat index " + first + ": " + got[first] + " vs " + expected[first] + ")");
        }
    }

    @Override
    public void close() throws IOException {
        PythonTiming.delete(dir);
    }
}
