package dev.batchwise.ragged;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchwise.cuda.Cuda;
import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaMemory;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.cuda.DeviceErrorFlag;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Driver calls and Java host time per W1-sized ragged op on the CUDA path, measured against the
 * mock driver (scripts/mock-cuda/ragged-host-cost.sh runs it): the mock counts every driver entry
 * point and runs the ragged kernels as no-ops, so what is timed is the Java side plus a cheap
 * stand-in for each driver call. Skipped elsewhere (a real GPU has no call counters).
 *
 * <p>The call budgets are the contract of {@link CudaRaggedKernels}: one kernel launch per op, no
 * host-to-device copy, no memset, and the output's allocation (plus its free when closed).
 */
class CudaRaggedHostCostTest {
    private static final int SAMPLES = 48;
    private static final int ENTRIES = 644;
    private static final int VALUES = 10;
    private static final int MAX_MATCHES = 80;
    private static final int WARMUP = 200_000; // the JIT needs this many on 2 busy cores
    private static final int TIMED = 50_000;

    /** bwmock_calls / bwmock_reset_calls / bwmock_call_summary of the mock, when it is the loaded driver. */
    private record Counters(MethodHandle callsFn, MethodHandle resetFn, MethodHandle summaryFn) {
        static Optional<Counters> find() {
            if (!Cuda.isAvailable()) {
                return Optional.empty();
            }
            SymbolLookup lib = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            Linker l = Linker.nativeLinker();
            Optional<MemorySegment> calls = lib.find("bwmock_calls");
            if (calls.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Counters(
                    l.downcallHandle(calls.get(), FunctionDescriptor.of(JAVA_LONG, ADDRESS)),
                    l.downcallHandle(lib.find("bwmock_reset_calls").orElseThrow(), FunctionDescriptor.ofVoid()),
                    l.downcallHandle(lib.find("bwmock_call_summary").orElseThrow(),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT))));
        }

        long total() throws Throwable {
            return (long) callsFn.invokeExact(MemorySegment.NULL);
        }

        void reset() throws Throwable {
            resetFn.invokeExact();
        }

        String summary() throws Throwable {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4096);
                int n = (int) summaryFn.invokeExact(buf, 4096);
                return buf.getString(0);
            }
        }
    }

    private interface Op {
        void run();
    }

    private record Result(String op, double callsPerOp, double medianMicros, String calls) {}

    @Test
    void w1OpsStayWithinTheirDriverCallBudgets() throws Throwable {
        Optional<Counters> found = Counters.find();
        assumeTrue(found.isPresent(), "needs the mock driver (scripts/mock-cuda/ragged-host-cost.sh)");
        String noop = System.getenv("BWMOCK_NOOP_KERNELS");
        assumeTrue(noop != null && "ragged_".startsWith(noop), "needs BWMOCK_NOOP_KERNELS=ragged_");
        Counters counters = found.get();
        Device cuda = Device.cuda(0);
        try (Scope scope = Scope.open()) {
            SplittableRandom rnd = new SplittableRandom(2026);
            float[] values = new float[SAMPLES * ENTRIES * VALUES];
            long[] idx = new long[SAMPLES * MAX_MATCHES];
            long[] sizes = new long[SAMPLES];
            for (int b = 0; b < SAMPLES; b++) {
                sizes[b] = rnd.nextInt(10, MAX_MATCHES + 1);
                for (int j = 0; j < sizes[b]; j++) {
                    idx[b * MAX_MATCHES + j] = rnd.nextInt(ENTRIES);
                }
            }
            Tensor data = Tensor.of(values, SAMPLES, ENTRIES, VALUES).to(cuda);
            RaggedBatch indices = RaggedBatch.of(Tensor.of(idx, SAMPLES, MAX_MATCHES).to(cuda), Tensor.of(sizes).to(cuda));
            Tensor matched = Tensor.zeros(data.dtype(), cuda, SAMPLES, MAX_MATCHES, VALUES);
            List<Tensor> pieces = new ArrayList<>();
            for (int b = 0; b < SAMPLES; b++) {
                pieces.add(Tensor.zeros(data.dtype(), cuda, sizes[b], VALUES));
            }
            CudaStream.current(cuda).synchronize();

            // the mock's own cost per call, to tell Java time from driver stand-in time
            CudaStream stream = CudaStream.current(cuda);
            CudaKernel idle = CudaModule.load(cuda, "ragged").function("ragged_gather_e4_i64");
            List<Result> primitives = List.of(
                    measure(counters, "launch", () -> idle.launch(stream).grid(1).block(32).run()),
                    measure(counters, "alloc+free", () -> CudaMemory.freeAsync(stream, CudaMemory.allocAsync(stream, 4096))),
                    measure(counters, "empty+flag+close", () -> {
                        Tensor t = Tensor.empty(data.dtype(), cuda, 1024);
                        DeviceErrorFlag.create(stream).attachTo("probe", t);
                        t.close();
                    }));
            for (Result r : primitives) {
                System.out.printf(Locale.ROOT, "mock primitive: %-18s %5.2f driver calls  %6.2f us%n", r.op(), r.callsPerOp(),
                        r.medianMicros());
            }
            List<Result> results = new ArrayList<>();
            results.add(measure(counters, "indexingAccess", () -> RaggedOps.indexingAccess(data, indices, 0).close()));
            results.add(measure(counters, "indexingWrite", () -> RaggedOps.indexingWrite(matched, indices, data).close()));
            results.add(measure(counters, "combine", () -> {
                RaggedBatch c = RaggedBatch.combine(pieces);
                c.data().close();
                c.sampleSizes().close();
            }));
            for (Result r : results) {
                System.out.printf(Locale.ROOT, "ragged host cost (mock driver): %-15s %5.2f driver calls/op  %6.2f us/op  [%s]%n",
                        r.op(), r.callsPerOp(), r.medianMicros(), r.calls());
            }
            // one launch, the output's allocation and free; combine also allocates its sizes
            assertTrue(results.get(0).callsPerOp() <= 3.05, results.get(0).toString());
            assertTrue(results.get(1).callsPerOp() <= 3.05, results.get(1).toString());
            assertTrue(results.get(2).callsPerOp() <= 5.05, results.get(2).toString());
        }
    }

    /** Warm-up, then the median host time of single calls and the driver calls per call. */
    private static Result measure(Counters counters, String name, Op op) throws Throwable {
        for (int i = 0; i < WARMUP; i++) {
            try (Scope s = Scope.open()) {
                op.run();
            }
        }
        counters.reset();
        double[] micros = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            try (Scope s = Scope.open()) {
                long t0 = System.nanoTime();
                op.run();
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        double calls = counters.total() / (double) TIMED;
        String summary = counters.summary();
        Arrays.sort(micros);
        return new Result(name, calls, micros[TIMED / 2], summary);
    }
}
