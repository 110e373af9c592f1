package dev.batchwise.cli;

import dev.batchwise.cuda.CudaEvent;
import dev.batchwise.cuda.CudaStream;
import dev.batchwise.detr.W1Baseline;
import dev.batchwise.detr.W1Batch;
import dev.batchwise.detr.W1Config;
import dev.batchwise.detr.W1Result;
import dev.batchwise.detr.W1Stages;
import dev.batchwise.detr.W1Step;
import dev.batchwise.tensor.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code batchwise demo}: the W1 loss step (workloads.md) — generates the seeded batch, runs the
 * batched step ({@link W1Step}) and the per-sample baseline ({@link W1Baseline}) on the chosen
 * device, and prints the per-stage medians (on CUDA from CUDA events recorded at each stage end,
 * since the step only enqueues work), the speedup and the loss values of both (which must agree;
 * exit status 1 when they do not).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the StreamPETR-style loss step (W1), batched vs per-sample, and compares them.")
public final class DemoCommand implements Callable<Integer> {
    static final double AGREEMENT = 1e-5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--device", description = "cpu, cuda or cuda:N (default: cuda when present, else cpu)")
    private String device;

    @Option(names = "--seed", description = "seed of the 3D data; the 2D data use seed + 1 (default: ${DEFAULT-VALUE})")
    private long seed = 2026;

    @Option(names = "--batch", description = "samples (default: ${DEFAULT-VALUE})")
    private int batch = 8;

    @Option(names = "--layers", description = "decoder layers of the 3D head (default: ${DEFAULT-VALUE})")
    private int layers = 6;

    @Option(names = "--runs", description = "timed runs of each implementation (default: ${DEFAULT-VALUE})")
    private int runs = 20;

    @Option(names = "--warmup", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    private int warmup = 20;

    @Option(names = "--json", description = "also write the results as JSON to this file")
    private Path json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runs < 1 || warmup < 0) {
            err.println("--runs must be >= 1 and --warmup >= 0");
            return 2;
        }
        Device dev = device == null ? Device.best() : Device.parse(device);
        W1Config cfg = W1Config.streamPetr().withSeed(seed).withBatch(batch).withLayers(layers);
        out.printf(Locale.ROOT, "W1 loss step on %s: 3D head %d layers x %d samples x %d queries, 2D head %d images x %d "
                + "predictions, %d classes; %d runs after %d warm-up%n", dev, cfg.layers(), cfg.batch(), cfg.queries(),
                cfg.images(), cfg.predictions2d(), cfg.classes(), runs, warmup);
        try (W1Batch data = W1Batch.generate(cfg).to(dev)) {
            StageTimes batched = new StageTimes();
            Map<String, Double> losses = timeBatched(data, batched, err);
            StageTimes baseline = new StageTimes();
            Map<String, Double> baseLosses = timeBaseline(data, baseline, err);
            err.print("\r" + " ".repeat(40) + "\r");
            err.flush();
            double speedup = baseline.median("total") / batched.median("total");
            printTable(out, batched, baseline, speedup);
            double worst = printLosses(out, losses, baseLosses);
            if (json != null) {
                Files.writeString(json, json(dev, batched, baseline, speedup, losses, baseLosses));
                out.println("wrote " + json);
            }
            out.flush();
            if (worst > AGREEMENT) {
                err.printf(Locale.ROOT, "batched and per-sample losses disagree: max relative difference %.3g > %.0g%n",
                        worst, AGREEMENT);
                err.flush();
                return 1;
            }
            return 0;
        }
    }

    private Map<String, Double> timeBatched(W1Batch data, StageTimes times, PrintWriter err) {
        return data.device().isCuda() ? timeBatchedCuda(data, times, err) : timeBatchedHost(data, times, err);
    }

    /** CPU: stage times from the host clock (the work is done when a stage returns). */
    private Map<String, Double> timeBatchedHost(W1Batch data, StageTimes times, PrintWriter err) {
        W1Step step = new W1Step();
        Map<String, Double> losses = null;
        for (int i = 0; i < warmup + runs; i++) {
            progress(err, "batched", i);
            long[] marks = new long[W1Stages.NAMES.length];
            int[] next = {0};
            long start = System.nanoTime();
            try (W1Result r = step.run(data, stage -> marks[next[0]++] = System.nanoTime())) {
                losses = r.losses();
                long end = System.nanoTime();
                if (i >= warmup) {
                    long prev = start;
                    for (int s = 0; s < marks.length; s++) {
                        times.add(W1Stages.NAMES[s], (marks[s] - prev) / 1e6);
                        prev = marks[s];
                    }
                    times.add("total", (end - start) / 1e6);
                }
            }
        }
        return losses;
    }

    /**
     * CUDA: the step only enqueues work, so stage times come from CUDA events recorded on the
     * stream at each stage end (device time between consecutive events); the total is the host
     * wall time from the call until the loss values are on the host.
     */
    private Map<String, Double> timeBatchedCuda(W1Batch data, StageTimes times, PrintWriter err) {
        W1Step step = new W1Step();
        Map<String, Double> losses = null;
        CudaStream stream = CudaStream.current(data.device());
        CudaEvent[] events = new CudaEvent[W1Stages.NAMES.length + 1];
        try {
            for (int e = 0; e < events.length; e++) {
                events[e] = CudaEvent.create(data.device());
            }
            for (int i = 0; i < warmup + runs; i++) {
                progress(err, "batched", i);
                int[] next = {1};
                long start = System.nanoTime();
                events[0].record(stream);
                try (W1Result r = step.run(data, stage -> events[next[0]++].record(stream))) {
                    losses = r.losses();
                    long end = System.nanoTime();
                    events[events.length - 1].synchronize();
                    if (i >= warmup) {
                        for (int s = 0; s < W1Stages.NAMES.length; s++) {
                            times.add(W1Stages.NAMES[s], events[s + 1].elapsedMillisSince(events[s]));
                        }
                        times.add("device", events[events.length - 1].elapsedMillisSince(events[0]));
                        times.add("total", (end - start) / 1e6);
                    }
                }
            }
        } finally {
            for (CudaEvent e : events) {
                if (e != null) {
                    e.close();
                }
            }
        }
        return losses;
    }

    private Map<String, Double> timeBaseline(W1Batch data, StageTimes times, PrintWriter err) {
        W1Baseline baseline = new W1Baseline();
        Map<String, Double> losses = null;
        for (int i = 0; i < warmup + runs; i++) {
            progress(err, "per-sample baseline", i);
            long start = System.nanoTime();
            try (W1Result r = baseline.run(data)) {
                losses = r.losses();
                if (i >= warmup) {
                    times.add("total", (System.nanoTime() - start) / 1e6);
                }
            }
        }
        return losses;
    }

    private void progress(PrintWriter err, String what, int i) {
        err.printf(Locale.ROOT, "\r%s: %s %d/%d", what, i < warmup ? "warm-up" : "run",
                i < warmup ? i + 1 : i - warmup + 1, i < warmup ? warmup : runs);
        err.flush();
    }

    private static void printTable(PrintWriter out, StageTimes batched, StageTimes baseline, double speedup) {
        out.printf(Locale.ROOT, "%n%-34s %12s %12s%n", batched.median("device") >= 0
                ? "stage (median ms, CUDA events)" : "stage (median ms)", "batched", "per-sample");
        for (String s : W1Stages.NAMES) {
            String label = s.equals("losses") ? "losses + gradients" : s.equals("heatmaps")
                    ? "heatmaps + centerness loss" : s;
            out.printf(Locale.ROOT, "%-34s %12.3f %12s%n", label, batched.median(s), "");
        }
        if (!Double.isNaN(batched.median("device"))) {
            out.printf(Locale.ROOT, "%-34s %12.3f %12s%n", "device time (CUDA events)", batched.median("device"), "");
        }
        out.printf(Locale.ROOT, "%-34s %12.3f %12.3f%n", "total (host, until values read)", batched.median("total"),
                baseline.median("total"));
        out.printf(Locale.ROOT, "speedup (per-sample / batched): %.1fx%n", speedup);
    }

    private static double printLosses(PrintWriter out, Map<String, Double> a, Map<String, Double> b) {
        out.printf(Locale.ROOT, "%n%-16s %16s %16s %10s%n", "loss", "batched", "per-sample", "rel diff");
        double worst = 0;
        for (String k : a.keySet()) {
            double x = a.get(k);
            double y = b.getOrDefault(k, Double.NaN);
            double rel = Math.abs(x - y) / Math.max(Math.abs(y), Double.MIN_NORMAL);
            worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : Math.max(worst, rel);
            out.printf(Locale.ROOT, "%-16s %16.8f %16.8f %10.2e%n", k, x, y, rel);
        }
        return worst;
    }

    private static String json(Device dev, StageTimes batched, StageTimes baseline, double speedup,
                               Map<String, Double> losses, Map<String, Double> baseLosses) {
        StringBuilder sb = new StringBuilder("{\"device\": \"").append(dev).append("\", \"batched\": {");
        List<String> stages = new ArrayList<>(Arrays.asList(W1Stages.NAMES));
        if (!Double.isNaN(batched.median("device"))) {
            stages.add("device");
        }
        stages.add("total");
        for (int i = 0; i < stages.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(stages.get(i)).append("\": ")
                    .append(num(batched.median(stages.get(i))));
        }
        sb.append("}, \"baseline\": {\"total\": ").append(num(baseline.median("total"))).append("}, \"speedup\": ")
                .append(num(speedup)).append(", \"losses\": ").append(map(losses)).append(", \"baseline_losses\": ")
                .append(map(baseLosses)).append("}\n");
        return sb.toString();
    }

    private static String map(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            sb.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(num(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** Per-stage samples in milliseconds. */
    static final class StageTimes {
        private final Map<String, List<Double>> samples = new LinkedHashMap<>();

        void add(String stage, double ms) {
            samples.computeIfAbsent(stage, k -> new ArrayList<>()).add(ms);
        }

        double median(String stage) {
            List<Double> v = new ArrayList<>(samples.getOrDefault(stage, List.of()));
            if (v.isEmpty()) {
                return Double.NaN;
            }
            v.sort(null);
            int n = v.size();
            return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        }
    }
}
