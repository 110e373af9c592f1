package dev.batchwise.cli.bench;

import dev.batchwise.tensor.Device;
import java.util.List;

/**
 * One benchmark workload of {@code workloads.md} (e.g. "W2-b"), timed by {@code batchwise bench}
 * on each requested device against the baselines it supplies.
 */
public interface Workload {
    /** Short identifier, e.g. {@code "W2-b"}; {@code --filter} matches against it. */
    String id();

    /** One line saying what is timed. */
    String description();

    /**
     * Builds the seeded inputs for {@code device} and returns the implementations to time there
     * (batchwise and its baselines). An empty list means the workload does not apply to that
     * device. Called once per device per bench run; the harness closes every case afterwards.
     */
    List<BenchCase> cases(Device device) throws Exception;

    /**
     * Least warm-up, in milliseconds, that this workload's cases need on {@code device} before
     * their times are those of compiled code; the harness warms up for the larger of this and
     * {@code --warmup-ms} (a run with warm-up switched off stays switched off). Default 0.
     */
    default long minWarmUpMillis(Device device) {
        return 0;
    }
}
