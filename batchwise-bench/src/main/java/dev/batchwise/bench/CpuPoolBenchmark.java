package dev.batchwise.bench;

import dev.batchwise.cpu.CpuPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link CpuPool#parallelFor} costs over a plain loop when the items are tiny: the fork/join
 * overhead that decides how small a per-sample work item may be before batching it on the pool
 * stops paying. Each item writes one element, so the loop itself is nearly free.
 *
 * <p>Run: {@code java -jar batchwise-bench/target/benchmarks.jar CpuPoolBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class CpuPoolBenchmark {
    /** Number of work items per call. */
    @Param({"64", "4096", "262144"})
    public int items;

    /** Smallest chunk of items per task (1 = every item may become a task). */
    @Param({"1", "256"})
    public int grain;

    private int[] out;

    /** Allocates the output array. */
    @Setup
    public void setUp() {
        out = new int[items];
    }

    /** The items on the pool. */
    @Benchmark
    public int[] parallelFor() {
        int[] o = out;
        CpuPool.parallelFor(items, grain, i -> o[i] = i * 3);
        return o;
    }

    /** The same items in a loop on the calling thread, for comparison. */
    @Benchmark
    public int[] sequentialLoop() {
        int[] o = out;
        for (int i = 0; i < items; i++) {
            o[i] = i * 3;
        }
        return o;
    }
}
