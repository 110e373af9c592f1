package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;
import java.lang.ref.Cleaner;

/**
 * A CUDA stream ({@code CUstream}): an ordered queue of GPU work on one device.
 *
 * <p>Every device has one <em>default stream</em>, created on first use with
 * {@code cuStreamCreate(CU_STREAM_NON_BLOCKING)} (so it never serialises with the legacy NULL
 * stream of other libraries) and never destroyed. Each thread has a <em>current stream</em> per
 * device, which is the default stream unless the thread routes work elsewhere with
 * {@link #makeCurrent()}:
 *
 * <pre>{@code
 * try (CudaStream side = CudaStream.create(Device.cuda(0));
 *      CudaStream.Use use = side.makeCurrent()) {
 *     Tensor t = Tensor.zeros(DType.FLOAT32, Device.cuda(0), 1024); // enqueued on side
 *     side.synchronize();
 * }
 * }</pre>
 *
 * <p>Tensor operations enqueue on the current stream and return without waiting; copies to the
 * host synchronise it.
 */
public final class CudaStream implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Object DEFAULTS_LOCK = new Object();
    private static volatile CudaStream[] defaults = new CudaStream[0];

    /** Per thread: the current stream of each device ordinal, null = the default stream. */
    private static final ThreadLocal<CudaStream[]> CURRENT = ThreadLocal.withInitial(() -> new CudaStream[0]);

    private final CudaDevice device;
    private final long handle;
    private final boolean isDefault;
    private final Cleaner.Cleanable cleanable;

    /** The capture in progress on this stream (set by {@link CudaGraph}), or null. */
    volatile CaptureState capture;
    /** Where {@link DeviceErrorFlag}s created on this stream take their slots. */
    final ErrorFlagArena.Cursor flagCursor = new ErrorFlagArena.Cursor();

    private CudaStream(CudaDevice device, boolean isDefault) {
        this.device = device;
        this.isDefault = isDefault;
        device.makeCurrent();
        this.handle = CudaDriver.streamCreate(CuResult.STREAM_NON_BLOCKING);
        this.cleanable = isDefault ? null : CLEANER.register(this, new Destroy(device, handle, flagCursor));
    }

    /**
     * A new non-blocking stream on {@code device} ({@code cuStreamCreate}). Close it when done
     * ({@code cuStreamDestroy_v2}; pending work still completes).
     *
     * @throws IllegalStateException when CUDA is unavailable
     */
    public static CudaStream create(Device device) {
        return new CudaStream(CudaDevice.of(device), false);
    }

    /**
     * The default stream of {@code device}: non-blocking, created on first use, never destroyed.
     *
     * @throws IllegalStateException when CUDA is unavailable
     */
    public static CudaStream defaultStream(Device device) {
        int i = device.cudaIndex();
        CudaStream[] d = defaults;
        if (i < d.length && d[i] != null) {
            return d[i];
        }
        CudaDevice cd = CudaDevice.of(device);
        synchronized (DEFAULTS_LOCK) {
            d = defaults;
            if (i >= d.length) {
                d = java.util.Arrays.copyOf(d, i + 1);
            } else if (d[i] != null) {
                return d[i];
            } else {
                d = d.clone();
            }
            d[i] = new CudaStream(cd, true);
            defaults = d;
            return d[i];
        }
    }

    /**
     * The calling thread's current stream for {@code device}: the stream of the innermost open
     * {@link Use} for that device, otherwise its default stream.
     *
     * @throws IllegalArgumentException for {@link Device#CPU}
     * @throws IllegalStateException    when CUDA is unavailable
     */
    public static CudaStream current(Device device) {
        if (!device.isCuda()) {
            throw new IllegalArgumentException("expected a CUDA device, got " + device);
        }
        CudaStream[] cur = CURRENT.get();
        int i = device.cudaIndex();
        CudaStream s = i < cur.length ? cur[i] : null;
        return s != null ? s : defaultStream(device);
    }

    /** The device this stream belongs to. */
    public Device device() {
        return device.device();
    }

    /** The CUDA device this stream belongs to. */
    public CudaDevice cudaDevice() {
        return device;
    }

    /** The raw {@code CUstream} handle, for driver calls of your own. */
    public long handle() {
        return handle;
    }

    /** True for a device's default stream. */
    public boolean isDefault() {
        return isDefault;
    }

    /**
     * Makes this stream the calling thread's current stream for its device until the returned
     * {@link Use} is closed (use try-with-resources; uses nest and must be closed innermost first,
     * on the same thread).
     */
    public Use makeCurrent() {
        CudaStream[] cur = CURRENT.get();
        int i = device.ordinal();
        if (i >= cur.length) {
            cur = java.util.Arrays.copyOf(cur, i + 1);
            CURRENT.set(cur);
        }
        CudaStream previous = cur[i];
        cur[i] = this;
        return new Use(this, previous);
    }

    /** Blocks until all work enqueued on this stream so far has finished ({@code cuStreamSynchronize}). */
    public void synchronize() {
        device.makeCurrent();
        CudaDriver.streamSynchronize(handle);
    }

    /** True when all work enqueued so far has finished ({@code cuStreamQuery}); never blocks. */
    public boolean isIdle() {
        device.makeCurrent();
        return CudaDriver.streamQuery(handle);
    }

    /**
     * Makes later work on this stream wait until {@code event} has completed
     * ({@code cuStreamWaitEvent}); the host does not block.
     */
    public void waitFor(CudaEvent event) {
        device.makeCurrent();
        CudaDriver.streamWaitEvent(handle, event.handle());
    }

    /** True while a {@link CudaGraph} capture on this stream is in progress. */
    public boolean isCapturing() {
        return capture != null;
    }

    /**
     * Destroys a stream made by {@link #create} ({@code cuStreamDestroy_v2}); idempotent. Work
     * already enqueued still completes.
     *
     * @throws IllegalStateException for a default stream
     */
    @Override
    public void close() {
        if (isDefault) {
            throw new IllegalStateException("the default stream of " + device.device() + " cannot be closed");
        }
        cleanable.clean();
    }

    /** {@code "CudaStream(cuda:0, default)"}. */
    @Override
    public String toString() {
        return "CudaStream(cuda:" + device.ordinal() + (isDefault ? ", default)" : ", 0x" + Long.toHexString(handle) + ")");
    }

    /**
     * An open routing of one device's work to a stream, made by {@link CudaStream#makeCurrent()};
     * closing it restores the previous current stream.
     */
    public static final class Use implements AutoCloseable {
        private final CudaStream stream;
        private final CudaStream previous;
        private final Thread thread = Thread.currentThread();
        private boolean closed;

        private Use(CudaStream stream, CudaStream previous) {
            this.stream = stream;
            this.previous = previous;
        }

        /** The stream made current. */
        public CudaStream stream() {
            return stream;
        }

        /**
         * Restores the stream that was current before; idempotent.
         *
         * @throws IllegalStateException on another thread, or when an inner use is still open
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a CudaStream.Use must be closed on the thread that opened it");
            }
            CudaStream[] cur = CURRENT.get();
            int i = stream.device.ordinal();
            if (cur[i] != stream) {
                throw new IllegalStateException("CudaStream uses must be closed innermost first");
            }
            cur[i] = previous;
            closed = true;
        }
    }

    private record Destroy(CudaDevice device, long handle, ErrorFlagArena.Cursor flagCursor) implements Runnable {
        @Override
        public void run() {
            device.errorFlagArena().close(flagCursor);
            device.makeCurrent();
            CudaDriver.streamDestroy(handle);
        }
    }
}
