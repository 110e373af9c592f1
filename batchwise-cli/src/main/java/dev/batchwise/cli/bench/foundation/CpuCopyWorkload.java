package dev.batchwise.cli.bench.foundation;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code T0-cpu-copy}: CPU memory copy bandwidth of one float32 buffer (64 MiB by default).
 * "batchwise" is {@link Tensor#copy()} (allocation of the result included, as a caller pays it),
 * "batchwise-into" is {@link Tensor#copyFrom} into a preallocated tensor, and "baseline" is a plain
 * Java loop between two preallocated {@code float[]}.
 */
public final class CpuCopyWorkload implements Workload {
    private static final long SEED = 20260;
    private final int floats;

    /** The default size, 64 MiB. */
    public CpuCopyWorkload() {
        this(16 << 20);
    }

    /** A copy of {@code floats} float32 values ({@code >= 1}). */
    public CpuCopyWorkload(int floats) {
        if (floats < 1) {
            throw new IllegalArgumentException("floats must be >= 1, got " + floats);
        }
        this.floats = floats;
    }

    @Override
    public String id() {
        return "T0-cpu-copy";
    }

    @Override
    public String description() {
        return "CPU tensor copy, " + Sizes.mib(4L * floats) + " float32";
    }

    @Override
    public List<BenchCase> cases(Device device) {
        if (!device.isCpu()) {
            return List.of();
        }
        float[] data = new float[floats];
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < floats; i++) {
            data[i] = (float) rnd.nextDouble();
        }
        long bytes = 4L * floats;
        Tensor src = Tensor.of(data, floats);
        Tensor into = Tensor.empty(src.dtype(), Device.CPU, floats);
        float[] dst = new float[floats];
        return List.of(
                BenchCase.of("batchwise", () -> src.copy().close(), src::close).withBytesPerRun(bytes),
                BenchCase.of("batchwise-into", () -> into.copyFrom(src), into::close).withBytesPerRun(bytes),
                BenchCase.of("baseline", () -> copyLoop(data, dst)).withBytesPerRun(bytes));
    }

    /** The straightforward element-by-element copy a user would write. */
    private static void copyLoop(float[] from, float[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i];
        }
    }
}
