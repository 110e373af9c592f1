package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.detr.W1Baseline;
import dev.batchwise.detr.W1Batch;
import dev.batchwise.detr.W1Config;
import dev.batchwise.detr.W1Result;
import dev.batchwise.detr.W1Stages;
import dev.batchwise.detr.W1Step;
import dev.batchwise.tensor.Device;
import java.util.List;

/**
 * W1 of {@code workloads.md}: the StreamPETR-style loss step (3D head 6 layers x 8 samples and
 * the 2D focal head over 48 images with centerness heatmaps), costs, matching, losses and
 * gradients; "batchwise" is {@link W1Step}, "baseline" the per-sample {@link W1Baseline}. Each run
 * ends by reading the loss values, so results are on the host.
 */
public final class W1Workloads implements Workload {
    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String description() {
        return "StreamPETR-style loss step: 3D head 6x8x644 + 2D focal head 48x1000, costs, matching, losses, gradients";
    }

    /**
     * 10 s on the CPU: there C2 compiles the step's vector loops on the cores that run it. On the
     * 2-core development machine two runs of the same code timed the batched step at 18.1 ms after
     * the default 2 s of warm-up and at 12.6 ms after 10 s (1.73x and 2.27x the baseline).
     */
    @Override
    public long minWarmUpMillis(Device device) {
        return device.isCuda() ? 0 : 10_000;
    }

    @Override
    public List<BenchCase> cases(Device device) {
        W1Batch batch = W1Batch.generate(W1Config.streamPetr()).to(device);
        W1Step step = new W1Step();
        W1Baseline baseline = new W1Baseline();
        return List.of(
                BenchCase.of("batchwise", () -> {
                    try (W1Result r = step.run(batch, W1Stages.NONE)) {
                        r.losses();
                    }
                }, batch::close),
                BenchCase.of("baseline", () -> {
                    try (W1Result r = baseline.run(batch)) {
                        r.losses();
                    }
                }));
    }
}
