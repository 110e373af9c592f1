package dev.batchwise.cli.bench;

import dev.batchwise.cli.bench.foundation.CpuCopyWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The registry of workloads {@code batchwise bench} knows, in report order. */
public final class Workloads {
    private Workloads() {}

    /** Every registered workload (new instances). Add one {@code registry.add(…)} line per workload. */
    public static List<Workload> all() {
        List<Supplier<Workload>> registry = new ArrayList<>();
        // foundation workloads (copies, launch latency)
        registry.add(CpuCopyWorkload::new);
        // ragged (W1 shapes) …
        // assignment (W2) …
        // heatmaps (W3) …
        // loss step (W1)
        registry.add(dev.batchwise.cli.bench.workloads.W1Workloads::new);
        List<Workload> out = new ArrayList<>();
        for (Supplier<Workload> s : registry) {
            out.add(s.get());
        }
        return out;
    }
}
