package dev.batchwise.cuda;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorErrorFlags;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a kernel reports bad input (an out-of-range index, an invalid value) without a host
 * synchronisation: a zeroed device buffer of 8 × int64 that the kernel fills with
 * {@code bw_report_error(flag, code, a, b, c, d)} (batchwise.cuh; the first error wins), and that
 * is checked when one of the operation's results is read on the host.
 *
 * <pre>{@code
 * CudaStream s = CudaStream.current(device);
 * DeviceErrorFlag flag = DeviceErrorFlag.create(s);          // zeroed in stream order
 * k.launch(s).gridFor(n).ptr(out).ptr(index).ptr(flag.pointer()).run();
 * flag.attachTo("batchedIndexingAccess", out);               // out.toFloatArray() now checks it
 * }</pre>
 *
 * <p>Layout (int64 words): [0] code, [1] a, [2] b, [3] c, [4] d, [5..7] unused. Codes:
 * {@link #ERR_INDEX} (a = flat sample index, b = position in the sample, c = offending index, d =
 * the bound) becomes an {@link IndexOutOfBoundsException} "op: index 17 is out of range for size
 * 10 in sample 3 at position 5"; {@link #ERR_VALUE} (a = sample, b = position, c and d
 * operation-specific) becomes an {@link IllegalArgumentException}; any other code an
 * {@link IllegalStateException}.
 *
 * <p>Flags are meant for kernels on the stream they were created on: the zeroing is ordered on that
 * stream only.
 *
 * <p>Reading any attached result on the host ({@code toXArray()}, {@code to(Device.CPU)},
 * {@code toString()}) copies the flag back together with the data, synchronises, and throws if
 * an error was reported; it keeps throwing on every later read of those results. Flags live in
 * a per-device pool of permanent slots (no allocation per flag); a slot is reused once every
 * attached result has been freed or checked clean, or once an unattached flag is unreachable.
 * Flags created while their stream is captured into a {@link CudaGraph} belong to the graph and
 * are checked with {@link CudaGraph#checkErrors}.
 *
 * <p>An operation whose errors deserve a more specific exception than the generic ones above
 * installs an {@link ExceptionFactory} with {@link #withExceptions} before attaching the flag; it
 * sees every reported error and returns the exception to throw, or {@code null} for the generic
 * one.
 */
public final class DeviceErrorFlag {
    /** Error code of an out-of-range index ({@code BW_ERR_INDEX}). */
    public static final long ERR_INDEX = 1;
    /** Error code of an invalid value ({@code BW_ERR_VALUE}). */
    public static final long ERR_VALUE = 2;
    /** Size of a flag on the device. */
    public static final int BYTES = ErrorFlagArena.SLOT_BYTES;

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaStream stream;
    private final long pointer;
    private final MemorySegment mirror;
    private final AtomicInteger references = new AtomicInteger();
    private final Cleaner.Cleanable cleanable;
    private final boolean captured;
    private volatile String opName = "CUDA operation";
    private volatile ExceptionFactory exceptions;
    private volatile boolean verifiedClean;

    /**
     * Turns an error reported through a flag into the exception that reading a result throws, for
     * operations whose errors have their own exception types (see {@link #withExceptions}).
     */
    @FunctionalInterface
    public interface ExceptionFactory {
        /**
         * The exception for a reported error, or {@code null} to throw the generic one for its code.
         *
         * @param op the operation name given to {@link #attachTo}
         * @param code the reported code ({@link #ERR_INDEX}, {@link #ERR_VALUE}, or another)
         * @param a first detail word (by convention the sample)
         * @param b second detail word
         * @param c third detail word
         * @param d fourth detail word
         */
        RuntimeException create(String op, long code, long a, long b, long c, long d);
    }

    private DeviceErrorFlag(CudaStream stream) {
        this.stream = stream;
        ErrorFlagArena arena = stream.cudaDevice().errorFlagArena();
        CaptureState capture = stream.capture;
        this.captured = capture != null;
        int slot = arena.acquire(stream, captured);
        this.cleanable = CLEANER.register(this, () -> arena.release(slot));
        this.pointer = arena.devicePointer(slot);
        this.mirror = MemorySegment.ofAddress(arena.hostMirror(slot)).reinterpret(BYTES);
        if (captured) {
            synchronized (capture.flags) {
                capture.flags.add(this);
            }
            references.incrementAndGet(); // the graph's reference, given back when the graph is closed
        }
    }

    /**
     * A new flag, zero on {@code stream} before any kernel enqueued after this call. Costs no
     * driver call in the common case: the stream takes flags from a run of slots that it zeroed
     * with one {@code cuMemsetD8Async} when it started the run. During a graph capture of the
     * stream the flag is zeroed by a memset of its own, captured into the graph.
     */
    public static DeviceErrorFlag create(CudaStream stream) {
        return new DeviceErrorFlag(stream);
    }

    /** {@code create(stream)} after checking that the stream belongs to {@code device}. */
    public static DeviceErrorFlag create(Device device, CudaStream stream) {
        if (stream.device() != device) {
            throw new IllegalArgumentException("stream " + stream + " does not belong to " + device);
        }
        return new DeviceErrorFlag(stream);
    }

    /** Device address of the flag (an {@code unsigned long long*} for {@code bw_report_error}). */
    public long pointer() {
        return pointer;
    }

    /** The stream the flag was created (zeroed) on. */
    public CudaStream stream() {
        return stream;
    }

    /** The operation name used in messages. */
    public String opName() {
        return opName;
    }

    /**
     * Installs the factory that builds the exceptions for errors reported through this flag
     * (the generic exceptions are used where it returns {@code null}). Call before
     * {@link #attachTo}. Returns {@code this}.
     */
    public DeviceErrorFlag withExceptions(ExceptionFactory factory) {
        this.exceptions = factory;
        return this;
    }

    /**
     * Names the operation for error messages and makes every result check this flag when read on
     * the host. Returns {@code this}.
     *
     * @throws IllegalArgumentException for a result on another device
     */
    public DeviceErrorFlag attachTo(String opName, Tensor... results) {
        this.opName = opName;
        for (Tensor t : results) {
            if (t.device() != stream.device()) {
                throw new IllegalArgumentException(opName + ": result on " + t.device() + " but the error flag is on "
                        + stream.device());
            }
            retain();
            try {
                TensorErrorFlags.attach(t, this);
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        }
        return this;
    }

    /**
     * Enqueues, on {@code stream} ({@code cuMemcpyDtoHAsync_v2}), a copy of the flag into its
     * pinned host mirror for {@link #throwIfReported()}; nothing when already checked clean.
     */
    public void readBackAsync(CudaStream on) {
        if (!verifiedClean) {
            CudaMemory.copyDeviceToHostAsync(on, mirror.address(), pointer, BYTES);
        }
    }

    /**
     * Throws the reported error, if any, from the host mirror filled by {@link #readBackAsync};
     * call after synchronising the stream the read-back was enqueued on.
     *
     * @return true when no error was reported
     */
    public boolean throwIfReported() {
        if (verifiedClean) {
            return true;
        }
        long code = mirror.getAtIndex(ValueLayout.JAVA_LONG, 0);
        if (code == 0) {
            if (!captured) {
                verifiedClean = true; // the producing work has finished: the flag cannot change any more
            }
            return true;
        }
        long a = mirror.getAtIndex(ValueLayout.JAVA_LONG, 1);
        long b = mirror.getAtIndex(ValueLayout.JAVA_LONG, 2);
        long c = mirror.getAtIndex(ValueLayout.JAVA_LONG, 3);
        long d = mirror.getAtIndex(ValueLayout.JAVA_LONG, 4);
        ExceptionFactory factory = exceptions;
        RuntimeException specific = factory == null ? null : factory.create(opName, code, a, b, c, d);
        throw specific != null ? specific : exception(opName, code, a, b, c, d);
    }

    /** Reads the flag back on its own stream, waits, and throws a reported error. */
    public void check() {
        readBackAsync(stream);
        stream.synchronize();
        throwIfReported();
    }

    /** The exception for a reported error (see the class comment for the codes). */
    static RuntimeException exception(String op, long code, long a, long b, long c, long d) {
        if (code == ERR_INDEX) {
            return new IndexOutOfBoundsException(op + ": index " + c + " is out of range for size " + d
                    + " in sample " + a + " at position " + b);
        }
        if (code == ERR_VALUE) {
            return new IllegalArgumentException(op + ": invalid value in sample " + a + " at position " + b
                    + " (details " + c + ", " + d + ")");
        }
        return new IllegalStateException(op + ": a kernel reported unknown error code " + code + " (" + a + ", " + b
                + ", " + c + ", " + d + ")");
    }

    /**
     * Counts one more holder of this flag (an attached result). Called by the tensor runtime;
     * application code uses {@link #attachTo}.
     */
    public void retain() {
        references.incrementAndGet();
    }

    /**
     * Gives back a holder's reference (an attached result was freed, or read and found clean);
     * the slot is reused after the last one. Called by the tensor runtime.
     */
    public void release() {
        if (references.decrementAndGet() == 0) {
            cleanable.clean();
        }
    }
}
