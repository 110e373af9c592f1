package dev.batchwise.cli.bench;

import dev.batchwise.cli.bench.workloads.HeatmapWorkloads;
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
                // heatmaps (W3)
                HeatmapWorkloads::w3a,
                HeatmapWorkloads::w3b,
                HeatmapWorkloads::w3c,
                HeatmapWorkloads::w3d
                // loss step (W1) …
        );
        List<Workload> out = new ArrayList<>();
        for (Supplier<Workload> s : registry) {
            out.add(s.get());
        }
        return out;
    }
}
