package dev.batchwise.heatmap;

import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorErrorFlags;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * CUDA drawing: one launch of {@code draw_gaussians} (heatmap.cu) per call, enqueued on the
 * current stream, no synchronisation, and in the steady state no other stream operation: the error
 * flag of the previous call on the same maps is reused when that is safe (see {@link #flagFor}),
 * so it needs no zeroing. Bad values found by the kernel (negative radius, non-finite
 * float centre or radius, sample size outside {@code [0, M]}: {@code ERR_VALUE} with c = the value
 * — raw float bits for floats — and d = 0 radius, 1 centre, 2 sample size; map index or label out of
 * range: {@code ERR_INDEX}) go to a {@link DeviceErrorFlag} attached to the maps, so the exception
 * is thrown when the maps are next read on the host. The kernel skips those objects.
 */
final class CudaGaussianHeatmaps {
    /** Threads per CTA: 32 columns × 8 rows (heatmap.cu kThreads). */
    static final int THREADS = 256;
    private static final int MAX_GRID_Y = 65_535;
    private static final String OP = "GaussianHeatmaps";
    /** {@code draw_gaussians} per CUDA device index, looked up once. */
    private static final AtomicReferenceArray<CudaKernel> DRAW = new AtomicReferenceArray<>(64);
    /** The flag this thread created for its last draw outside a graph capture (see {@link #flagFor}). */
    private static final ThreadLocal<DeviceErrorFlag[]> LAST_FLAG = ThreadLocal.withInitial(() -> new DeviceErrorFlag[1]);

    private CudaGaussianHeatmaps() {}

    /**
     * Tile geometry: tiles of 32 columns × {@code 8·rowsPerThread} rows, {@code rowsPerThread ≤ 4}
     * chosen so that the map's rows split into the fewest tile rows with the least padding; then,
     * while the grid has fewer than {@link #SMALL_GRID} CTAs, fewer rows per thread (smaller tiles,
     * fewer objects per CTA): a small grid is latency-bound, a large one pays for every extra CTA
     * (on an H200, kernel alone: W3-a, 96 CTAs, 10.0 → 8.0 µs at one row per thread; W3-b, 1920
     * CTAs, 12.6 → 26.3 µs).
     */
    record TileGrid(int rowsPerThread, int tilesX, int tilesPerMap) {
        static final int SMALL_GRID = 256;

        static TileGrid of(int numMaps, int height, int width) {
            int tileRows = Math.max(1, (height + 31) / 32);
            int rpt = Math.min(4, Math.max(1, (height + 8 * tileRows - 1) / (8 * tileRows)));
            int tilesX = (width + 31) / 32;
            while (rpt > 1 && (long) numMaps * tilesX * tilesY(height, rpt) < SMALL_GRID) {
                rpt--;
            }
            return new TileGrid(rpt, tilesX, Math.multiplyExact(tilesX, tilesY(height, rpt)));
        }

        private static int tilesY(int height, int rpt) {
            return (height + 8 * rpt - 1) / (8 * rpt);
        }
    }

    static void draw(DrawRequest q) {
        if (q.numMaps() == 0) {
            return; // nothing to draw into (and no launch with an empty grid)
        }
        Tensor maps = q.maps();
        Device device = maps.device();
        CudaStream stream = CudaStream.current(device);
        TileGrid g = TileGrid.of(q.numMaps(), q.height(), q.width());
        DeviceErrorFlag reused = reusableFlag(maps, stream);
        DeviceErrorFlag flag = reused != null ? reused : DeviceErrorFlag.create(device, stream);
        GaussianDrawOptions o = q.options();
        kernel(device).launch(stream)
                .grid(q.numMaps(), Math.min(Math.max(g.tilesPerMap(), 1), MAX_GRID_Y), 1)
                .block(THREADS)
                .ptr(maps).i32(q.numMaps()).i32(q.height()).i32(q.width())
                .ptr(pointer(q.centers())).ptr(pointer(q.radii()))
                .ptr(pointer(q.keys())).i32(is64(q.keys()))
                .ptr(pointer(q.sampleSizes())).i32(is64(q.sampleSizes()))
                .i32(q.slots()).i32(q.classes()).i32(q.format().ordinal()).i32(q.mode())
                .f64(o.sigmaFactor()).f32(o.k()).i32(o.zeroFill() ? 1 : 0)
                .i32(g.rowsPerThread()).i32(g.tilesX()).i32(g.tilesPerMap())
                .ptr(flag.pointer())
                .run();
        if (reused == null) {
            flag.attachTo(OP, maps);
            if (!stream.isCapturing()) {
                LAST_FLAG.get()[0] = flag;
            }
        }
    }

    /**
     * The flag of this thread's previous draw when the kernel may report into it again: it was
     * created outside a graph capture on the same stream (so stream order puts this launch after
     * its zeroing and after the previous kernel), it is still attached to the memory of
     * {@code maps} and not yet checked clean, and no copy has carried it elsewhere
     * ({@link TensorErrorFlags#isPendingOnlyOn}). Then exactly the results that would check a new
     * flag (those sharing the maps' memory) check this one, so reusing it changes no outcome; an
     * error it already holds would make the maps throw either way. Null otherwise, and always while
     * the stream is being captured (the graph owns the flags made during capture).
     */
    private static DeviceErrorFlag reusableFlag(Tensor maps, CudaStream stream) {
        if (stream.isCapturing()) {
            return null;
        }
        DeviceErrorFlag last = LAST_FLAG.get()[0];
        return last != null && last.stream() == stream && TensorErrorFlags.isPendingOnlyOn(maps, last) ? last : null;
    }

    private static CudaKernel kernel(Device device) {
        int i = device.cudaIndex();
        CudaKernel k = i < DRAW.length() ? DRAW.get(i) : null;
        if (k == null) {
            k = CudaModule.load(device, "heatmap").function("draw_gaussians");
            if (i < DRAW.length()) {
                DRAW.set(i, k);
            }
        }
        return k;
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
