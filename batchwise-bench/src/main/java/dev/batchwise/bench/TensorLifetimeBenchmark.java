package dev.batchwise.bench;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a short-lived CPU tensor: allocate and free inside a {@link dev.batchwise.tensor.Scope},
 * or free it with {@link Tensor#close()} directly. Ops create such temporaries per call, so this
 * bounds how cheap a small op can be. Use {@code -prof gc} to see the heap allocation per tensor.
 *
 * <p>Run: {@code java -jar batchwise-bench/target/benchmarks.jar TensorLifetimeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class TensorLifetimeBenchmark {
    /** float32 elements per tensor: 16 (a box), 65,536 (256 KiB, a small heatmap batch). */
    @Param({"16", "65536"})
    public long elements;

    /** Four temporaries created and freed by one scope, as an op with intermediates does. */
    @Benchmark
    public long scopeWithFourTensors() {
        try (dev.batchwise.tensor.Scope scope = dev.batchwise.tensor.Scope.open()) {
            long bytes = 0;
            for (int i = 0; i < 4; i++) {
                bytes += Tensor.empty(DType.FLOAT32, Device.CPU, elements).byteSize();
            }
            return bytes;
        }
    }

    /** One tensor allocated and closed at once, no scope. */
    @Benchmark
    public long emptyThenClose() {
        Tensor t = Tensor.empty(DType.FLOAT32, Device.CPU, elements);
        long bytes = t.byteSize();
        t.close();
        return bytes;
    }

    /** One zero-filled tensor allocated and closed (adds the fill). */
    @Benchmark
    public long zerosThenClose() {
        Tensor t = Tensor.zeros(DType.FLOAT32, Device.CPU, elements);
        long bytes = t.byteSize();
        t.close();
        return bytes;
    }
}
