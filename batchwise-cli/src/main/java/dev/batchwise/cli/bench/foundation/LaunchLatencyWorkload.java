package dev.batchwise.cli.bench.foundation;

import dev.batchwise.cli.bench.BenchCase;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cuda.CudaGraph;
import dev.batchwise.cuda.CudaKernel;
import dev.batchwise.cuda.CudaModule;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.tensor.Device;
import java.util.List;

/**
 * {@code T0-launch}: kernel-launch cost on a GPU. One run is {@value #LAUNCHES} launches of the
 * empty kernel {@code bw_noop} (module "tensor", one block of one thread), reported per launch:
 * {@code stream} enqueues them one by one on the current stream; {@code graph} replays them as
 * one CUDA graph captured beforehand. Not applicable on the CPU.
 */
public final class LaunchLatencyWorkload implements Workload {
    /** Launches per run. */
    public static final int LAUNCHES = 10_000;

    /** Creates the workload. */
    public LaunchLatencyWorkload() {}

    @Override
    public String id() {
        return "T0-launch";
    }

    @Override
    public String description() {
        return LAUNCHES + " launches of an empty kernel, one by one and as one CUDA graph";
    }

    @Override
    public List<BenchCase> cases(Device device) {
        if (!device.isCuda()) {
            return List.of();
        }
        CudaKernel noop = CudaModule.load(device, "tensor").function("bw_noop");
        BenchCase stream = BenchCase.of("stream", () -> launchAll(noop, CudaStream.current(device)));
        // Captured on a stream of its own (the docs of CudaGraph advise it); replayed on the current one.
        CudaStream captureStream = CudaStream.create(device);
        CudaGraph graph;
        try {
            graph = CudaGraph.capture(captureStream, () -> launchAll(noop, captureStream));
        } catch (RuntimeException e) {
            captureStream.close();
            throw e;
        }
        BenchCase replay = BenchCase.of("graph", () -> graph.launch(CudaStream.current(device)), () -> {
            CudaStream.current(device).synchronize();
            graph.close();
            captureStream.close();
        });
        return List.of(stream.withItemsPerRun(LAUNCHES), replay.withItemsPerRun(LAUNCHES));
    }

    private static void launchAll(CudaKernel kernel, CudaStream stream) {
        for (int i = 0; i < LAUNCHES; i++) {
            kernel.launch(stream).grid(1).block(1).run();
        }
    }
}
