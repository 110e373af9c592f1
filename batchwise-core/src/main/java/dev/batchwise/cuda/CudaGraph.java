package dev.batchwise.cuda;

import java.lang.ref.Cleaner;
import java.util.List;

/**
 * A captured and instantiated CUDA graph ({@code CUgraph} + {@code CUgraphExec}): a recording of
 * the GPU work one piece of code enqueues on a stream, replayable with one launch.
 *
 * <pre>{@code
 * CudaStream s = CudaStream.create(Device.cuda(0));
 * Tensor out = Tensor.empty(DType.FLOAT32, Device.cuda(0), n);      // allocated before the capture
 * try (CudaGraph g = CudaGraph.capture(s, () -> {
 *         try (Scope scope = Scope.open()) {                         // temporaries die in the graph
 *             out.copyFrom(input.to(DType.FLOAT32));
 *         }
 *     })) {
 *     for (int i = 0; i < 1000; i++) g.launch(s);
 * }
 * }</pre>
 *
 * <p>Capture ({@code cuStreamBeginCapture_v2} … {@code cuStreamEndCapture},
 * {@code cuGraphInstantiateWithFlags}) runs the body once on the calling thread with the stream
 * made current for its device, so tensor operations inside it are recorded rather than executed.
 * Rules for the body: no host synchronisation and no copies to or from host memory; memory
 * allocated inside must also be freed inside (close a {@link dev.batchwise.tensor.Scope} within
 * the body); results go into tensors allocated before the capture. Capture on a stream of your own
 * ({@link CudaStream#create}) rather than the default stream, which other threads may use.
 */
public final class CudaGraph implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /** How strictly the driver forbids unsafe calls (e.g. synchronous allocation) while capturing. */
    public enum CaptureMode {
        /** {@code CU_STREAM_CAPTURE_MODE_GLOBAL}: unsafe calls fail on every thread. */
        GLOBAL(0),
        /** {@code CU_STREAM_CAPTURE_MODE_THREAD_LOCAL}: unsafe calls fail on the capturing thread only. */
        THREAD_LOCAL(1),
        /** {@code CU_STREAM_CAPTURE_MODE_RELAXED}: nothing is forbidden. */
        RELAXED(2);

        final int cuMode;

        CaptureMode(int cuMode) {
            this.cuMode = cuMode;
        }
    }

    private final CudaDevice device;
    private final long exec;
    private final List<DeviceErrorFlag> flags;
    private final Cleaner.Cleanable cleanable;

    private CudaGraph(CudaDevice device, long graph, long exec, List<DeviceErrorFlag> flags) {
        this.device = device;
        this.exec = exec;
        this.flags = List.copyOf(flags);
        this.cleanable = CLEANER.register(this, new Destroy(device, graph, exec, this.flags));
    }

    /** {@link #capture(CudaStream, CaptureMode, Runnable)} in {@link CaptureMode#THREAD_LOCAL} mode. */
    public static CudaGraph capture(CudaStream stream, Runnable body) {
        return capture(stream, CaptureMode.THREAD_LOCAL, body);
    }

    /**
     * Records the GPU work {@code body} enqueues on {@code stream} and instantiates it.
     *
     * @throws IllegalStateException when the stream is already being captured
     * @throws CudaException         when the capture was invalidated (for example by a forbidden
     *                               call in the body) or instantiation fails; an exception thrown by
     *                               the body ends the capture and propagates unchanged
     */
    public static CudaGraph capture(CudaStream stream, CaptureMode mode, Runnable body) {
        CudaDevice device = stream.cudaDevice();
        CaptureState state = new CaptureState();
        synchronized (stream) {
            if (stream.capture != null) {
                throw new IllegalStateException(stream + " is already being captured");
            }
            stream.capture = state;
        }
        long graph = 0;
        try {
            device.makeCurrent();
            CudaDriver.streamBeginCapture(stream.handle(), mode.cuMode);
            Throwable failure = null;
            try (CudaStream.Use use = stream.makeCurrent()) {
                body.run();
            } catch (Throwable t) {
                failure = t;
            }
            device.makeCurrent();
            int rc = CudaDriver.streamEndCapture(stream.handle());
            graph = CudaDriver.lastEndCaptureGraph();
            if (failure != null) {
                if (failure instanceof RuntimeException r) {
                    throw r;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(failure);
            }
            CudaDriver.check(rc, "cuStreamEndCapture");
            long exec = CudaDriver.graphInstantiate(graph, 0);
            CudaGraph g = new CudaGraph(device, graph, exec, state.flags);
            graph = 0;
            return g;
        } finally {
            stream.capture = null;
            if (graph != 0) {
                CudaDriver.graphDestroy(graph);
            }
            for (long p : state.takeDeferredFrees()) {
                CudaMemory.freeAsync(stream, p);
            }
        }
    }

    /** Enqueues one replay of the graph on {@code stream} ({@code cuGraphLaunch}); never waits. */
    public void launch(CudaStream stream) {
        if (stream.cudaDevice() != device) {
            throw new IllegalArgumentException("graph of cuda:" + device.ordinal() + " launched on " + stream);
        }
        device.makeCurrent();
        CudaDriver.graphLaunch(exec, stream.handle());
    }

    /**
     * Waits for {@code stream} and throws what any kernel of the last replay reported through a
     * {@link DeviceErrorFlag} created during the capture (the flags are reset at each replay).
     *
     * @throws IndexOutOfBoundsException for {@code BW_ERR_INDEX}
     * @throws IllegalArgumentException  for {@code BW_ERR_VALUE}
     */
    public void checkErrors(CudaStream stream) {
        for (DeviceErrorFlag f : flags) {
            f.readBackAsync(stream);
        }
        stream.synchronize();
        for (DeviceErrorFlag f : flags) {
            f.throwIfReported();
        }
    }

    /** Destroys the executable graph and the graph ({@code cuGraphExecDestroy}, {@code cuGraphDestroy}); idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    private record Destroy(CudaDevice device, long graph, long exec, List<DeviceErrorFlag> flags) implements Runnable {
        @Override
        public void run() {
            device.makeCurrent();
            CudaDriver.graphExecDestroy(exec);
            CudaDriver.graphDestroy(graph);
            for (DeviceErrorFlag f : flags) {
                f.release(); // the graph's reference
            }
        }
    }
}
