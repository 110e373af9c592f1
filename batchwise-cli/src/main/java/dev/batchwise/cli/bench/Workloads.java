package dev.batchwise.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The registry of workloads {@code batchwise bench} knows, in report order. */
public final class Workloads {
    private Workloads() {}

    /** Every registered workload (new instances). Add a line per workload. */
    public static List<Workload> all() {
        List<Supplier<Workload>> registry = List.of(
                // foundation workloads (copies, launch latency) …
                // ragged (W1 shapes) …
                // assignment (W2) …
                // heatmaps (W3) …
                // loss step (W1) …
                dev.batchwise.cli.bench.workloads.W1Workloads::new
        );
        List<Workload> out = new ArrayList<>();
        for (Supplier<Workload> s : registry) {
            out.add(s.get());
        }
        return out;
    }
}
