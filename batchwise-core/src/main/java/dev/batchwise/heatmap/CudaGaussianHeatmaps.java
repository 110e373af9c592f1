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
    /** Threads per CTA (heatmap.cu kThreads). */
    static final int THREADS = 256;
    /** CTAs per launch at most; they take the work items grid-stride. */
    private static final int MAX_GRID = 1 << 20;
    private static final String OP = "GaussianHeatmaps";
    /** {@code draw_gaussians} per CUDA device index, looked up once. */
    private static final AtomicReferenceArray<CudaKernel> DRAW = new AtomicReferenceArray<>(64);
    /** The flag this thread created for its last draw outside a graph capture (see {@link #flagFor}). */
    private static final ThreadLocal<DeviceErrorFlag[]> LAST_FLAG = ThreadLocal.withInitial(() -> new DeviceErrorFlag[1]);

    private CudaGaussianHeatmaps() {}

    /**
     * Work split of {@code draw_gaussians}: a CTA draws a region of at most {@link #REGION_PIXELS}
     * pixels kept in shared memory: {@code keysPerCta} maps of one sample (consecutive classes,
     * or consecutive maps of the concatenated format) times a tile of {@code tileH × tileW}
     * pixels. Tiles are whole rows (unless a row alone exceeds the region), so a map's tile is one
     * contiguous run of memory. Starting from the largest region, it halves the maps per CTA and
     * then the tile rows while the grid has fewer than {@link #TARGET_CTAS} CTAs and a region
     * keeps at least {@link #MIN_PIXELS} pixels: every CTA reads all objects of its sample, so
     * more CTAs cost more reading, but a small grid leaves SMs idle.
     *
     * @param keysPerSample maps per sample: 1 (batched), the classes, or all maps (concatenated)
     * @param items CTAs' work items: samples × groups × tilesY × tilesX
     */
    record TileGrid(int tileW, int tileH, int tilesX, int tilesY, int keysPerCta, int groups, long items) {
        /** heatmap.cu kRegionPixels. */
        static final int REGION_PIXELS = 8192;
        static final int TARGET_CTAS = 264;
        static final int MIN_PIXELS = 256;

        static TileGrid of(int samples, int keysPerSample, int height, int width) {
            return of(samples, keysPerSample, height, width, TARGET_CTAS, MIN_PIXELS);
        }

        static TileGrid of(int samples, int keysPerSample, int height, int width, int targetCtas, int minPixels) {
            int tw = Math.min(width, REGION_PIXELS);
            int th = Math.min(height, REGION_PIXELS / Math.max(tw, 1));
            int g = Math.min(keysPerSample, Math.max(1, REGION_PIXELS / Math.max(tw * th, 1)));
            while (items(samples, keysPerSample, height, width, tw, th, g) < targetCtas) {
                if (g > 1) {
                    g = (g + 1) / 2;
                } else if (th > 1 && (long) tw * ((th + 1) / 2) >= minPixels) {
                    th = (th + 1) / 2;
                } else {
                    break;
                }
            }
            return new TileGrid(tw, th, ceilDiv(width, tw), ceilDiv(height, th), g, ceilDiv(keysPerSample, g),
                    items(samples, keysPerSample, height, width, tw, th, g));
        }

        private static long items(int samples, int keys, int height, int width, int tw, int th, int g) {
            return (long) samples * ceilDiv(keys, g) * ceilDiv(height, th) * ceilDiv(width, tw);
        }

        /** ⌈a / b⌉, and 1 for an empty extent (one tile, so that objects are still validated). */
        private static int ceilDiv(int a, int b) {
            return a == 0 || b == 0 ? 1 : (a + b - 1) / b;
        }
    }

    static void draw(DrawRequest q) {
        if (q.numMaps() == 0) {
            return; // nothing to draw into (and no launch with an empty grid)
        }
        Tensor maps = q.maps();
        Device device = maps.device();
        CudaStream stream = CudaStream.current(device);
        int keysPerSample = switch (q.format()) {
            case BATCHED -> 1;
            case CLASSWISE -> q.classes();
            case CONCATENATED -> q.numMaps();
        };
        TileGrid g = TileGrid.of(q.samples(), keysPerSample, q.height(), q.width());
        DeviceErrorFlag reused = reusableFlag(maps, stream);
        DeviceErrorFlag flag = reused != null ? reused : DeviceErrorFlag.create(device, stream);
        GaussianDrawOptions o = q.options();
        kernel(device).launch(stream)
                .grid((int) Math.min(g.items(), MAX_GRID))
                .block(THREADS)
                .ptr(maps).i32(q.height()).i32(q.width())
                .ptr(pointer(q.centers())).ptr(pointer(q.radii()))
                .ptr(pointer(q.keys())).i32(is64(q.keys()))
                .ptr(pointer(q.sampleSizes())).i32(is64(q.sampleSizes()))
                .i32(q.samples()).i32(q.slots()).i32(keysPerSample).i32(q.format().ordinal()).i32(q.mode())
                .f64(o.sigmaFactor()).f32(o.k()).i32(o.zeroFill() ? 1 : 0)
                .i32(g.tileW()).i32(g.tileH()).i32(g.tilesX()).i32(g.tilesY()).i32(g.keysPerCta()).i32(g.groups())
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
