package dev.batchwise.cli.bench;

import dev.batchwise.cli.machine.MachineInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a bench run (DESIGN §7): {@code {"machine": {...}, "results": [...]}} with one
 * entry per workload, device and implementation holding {@code workload, device, implementation,
 * median_ms, min_ms, max_ms, runs}, plus where they apply {@code device_median_ms},
 * {@code device_min_ms}, {@code device_max_ms} (CUDA events), {@code stream_median_ms},
 * {@code stream_min_ms}, {@code stream_max_ms}, {@code stream_calls} (per call in a stream of
 * back-to-back calls, see {@link CudaClock}) and {@code stream_speedup}, {@code gbps} (from the device median
 * when measured, else the wall median), {@code wall_gbps}, {@code us_per_item} and
 * {@code items_per_run}, {@code speedup} (against the baseline) and {@code error}.
 */
public final class BenchReport {
    private BenchReport() {}

    /** The report as JSON text; {@code notes} (e.g. "CUDA unavailable: …") go into the machine object. */
    public static String toJson(MachineInfo machine, List<BenchResult> results, List<String> notes) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> m = machine.toJson();
        if (!notes.isEmpty()) {
            m.put("notes", List.copyOf(notes));
        }
        root.put("machine", m);
        List<Object> rows = new ArrayList<>();
        for (BenchResult r : results) {
            rows.add(entry(results, r));
        }
        root.put("results", rows);
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> entry(List<BenchResult> all, BenchResult r) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("workload", r.workload());
        e.put("device", r.device());
        e.put("implementation", r.implementation());
        if (!r.ok()) {
            e.put("median_ms", null);
            e.put("min_ms", null);
            e.put("max_ms", null);
            e.put("runs", 0);
            e.put("error", r.error());
            return e;
        }
        e.put("median_ms", r.wall().medianMs());
        e.put("min_ms", r.wall().minMs());
        e.put("max_ms", r.wall().maxMs());
        e.put("runs", r.wall().runs());
        if (r.deviceTime() != null) {
            e.put("device_median_ms", r.deviceTime().medianMs());
            e.put("device_min_ms", r.deviceTime().minMs());
            e.put("device_max_ms", r.deviceTime().maxMs());
        }
        if (r.streamTime() != null) {
            e.put("stream_median_ms", r.streamTime().medianMs());
            e.put("stream_min_ms", r.streamTime().minMs());
            e.put("stream_max_ms", r.streamTime().maxMs());
            e.put("stream_calls", CudaClock.STREAM_CALLS);
        }
        if (r.bytesPerRun() > 0) {
            e.put("bytes_per_run", r.bytesPerRun());
            e.put("gbps", r.deviceTime() != null ? r.deviceGbps() : r.wallGbps());
            e.put("wall_gbps", r.wallGbps());
        }
        if (r.itemsPerRun() > 1) {
            e.put("items_per_run", r.itemsPerRun());
            e.put("us_per_item", r.wallMicrosPerItem());
            if (r.deviceTime() != null) {
                e.put("device_us_per_item", r.deviceMicrosPerItem());
            }
        }
        double speedup = Baselines.speedup(all, r);
        if (!Double.isNaN(speedup)) {
            e.put("speedup", speedup);
        }
        double streamSpeedup = Baselines.streamSpeedup(all, r);
        if (!Double.isNaN(streamSpeedup)) {
            e.put("stream_speedup", streamSpeedup);
        }
        Map<String, Double> speedups = Baselines.speedups(all, r);
        if (speedups.size() > 1) {
            e.put("speedups", new LinkedHashMap<String, Object>(speedups));
        }
        return e;
    }
}
