package dev.batchwise.heatmap;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;

/**
 * CUDA drawing: one launch of {@code draw_gaussians} (heatmap.cu) per call, enqueued on the
 * current stream, no synchronisation. Bad values found by the kernel (negative radius, non-finite
 * float centre or radius, sample size outside {@code [0, M]}: {@code ERR_VALUE} with c = the value
 * — raw float bits for floats — and d = 0 radius, 1 centre, 2 sample size; map index or label out of
 * range: {@code ERR_INDEX}) go to a {@link DeviceErrorFlag} attached to the maps, so the exception
 * is thrown when the maps are next read on the host. The kernel skips those objects.
 */
final class CudaGaussianHeatmaps {
    /** Threads per CTA: 32 columns × 8 rows (heatmap.cu kThreads). */
    static final int THREADS = 256;
    private static final int MAX_GRID_Y = 65_535;

    private CudaGaussianHeatmaps() {}

    /**
     * Tile geometry: tiles of 32 columns × {@code 8·rowsPerThread} rows, {@code rowsPerThread ≤ 4}
     * chosen so that the map's rows split into the fewest tile rows with the least padding.
     */
    record TileGrid(int rowsPerThread, int tilesX, int tilesPerMap) {
        static TileGrid of(int height, int width) {
            int tileRows = Math.max(1, (height + 31) / 32);
            int rpt = Math.min(4, Math.max(1, (height + 8 * tileRows - 1) / (8 * tileRows)));
            int tilesX = (width + 31) / 32;
            int tilesY = (height + 8 * rpt - 1) / (8 * rpt);
            return new TileGrid(rpt, tilesX, Math.multiplyExact(tilesX, tilesY));
        }
    }

    static void draw(DrawRequest q) {
        if (q.numMaps() == 0) {
            return; // nothing to draw into (and no launch with an empty grid)
        }
        Device device = q.maps().device();
        CudaStream stream = CudaStream.current(device);
        TileGrid g = TileGrid.of(q.height(), q.width());
        DeviceErrorFlag flag = DeviceErrorFlag.create(device, stream);
        CudaKernel k = CudaModule.load(device, "heatmap").function("draw_gaussians");
        GaussianDrawOptions o = q.options();
        k.launch(stream)
                .grid(q.numMaps(), Math.min(Math.max(g.tilesPerMap(), 1), MAX_GRID_Y), 1)
                .block(THREADS)
                .ptr(q.maps()).i32(q.numMaps()).i32(q.height()).i32(q.width())
                .ptr(pointer(q.centers())).ptr(pointer(q.radii()))
                .ptr(pointer(q.keys())).i32(is64(q.keys()))
                .ptr(pointer(q.sampleSizes())).i32(is64(q.sampleSizes()))
                .i32(q.slots()).i32(q.classes()).i32(q.format().ordinal()).i32(q.mode())
                .f64(o.sigmaFactor()).f32(o.k()).i32(o.zeroFill() ? 1 : 0)
                .i32(g.rowsPerThread()).i32(g.tilesX()).i32(g.tilesPerMap())
                .ptr(flag.pointer())
                .run();
        flag.attachTo("GaussianHeatmaps", q.maps());
    }

    /** {@link GaussianRadius#targetRadii} on the GPU: one thread per box. */
    static Tensor targetRadii(Tensor sizes, long[] outShape, boolean corrected, GaussianRadius.Constants c,
                              int minRadius) {
        Device device = sizes.device();
        Tensor out = Tensor.empty(DType.INT32, device, outShape);
        long n = out.numel();
        if (n == 0) {
            return out;
        }
        CudaStream stream = CudaStream.current(device);
        CudaModule.load(device, "heatmap").function("gaussian_target_radii").launch(stream)
                .grid((int) Math.min((n + THREADS - 1) / THREADS, 1 << 20)).block(THREADS)
                .ptr(sizes).ptr(out).i64(n).i32(corrected ? 1 : 0)
                .f32(c.oneMinusO()).f32(c.onePlusO()).f32(c.minusTwoO()).f32(c.oMinusOne()).f32(c.fourA3())
                .f32(c.twoA3()).i32(minRadius)
                .run();
        return out;
    }

    private static long pointer(Tensor t) {
        return t == null || t.numel() == 0 ? 0L : t.devicePointer();
    }

    private static int is64(Tensor t) {
        return t != null && t.dtype() == DType.INT64 ? 1 : 0;
    }
}
