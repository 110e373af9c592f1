package dev.batchwise.cli;

import dev.batchwise.cli.bench.WarmUpPolicy;
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

    @Option(names = "--warmup", description = "untimed rounds first, at least (default: ${DEFAULT-VALUE}); warm-up "
            + "also lasts --warmup-ms and goes on while the batched times still fall (JIT), at most 20 s")
    private int warmup = 20;

    @Option(names = "--warmup-ms", description = "least warm-up time in milliseconds (default: 5000 with a GPU, "
            + "10000 on the CPU, where the JIT compiles on the cores that run the step)")
    private Long warmupMillis;

    @Option(names = "--json", description = "also write the results as JSON to this file")
    private Path json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runs < 1 || warmup < 0 || warmupMillis != null && warmupMillis < 0) {
            err.println("--runs must be >= 1, --warmup and --warmup-ms >= 0");
            return 2;
        }
        Device dev = device == null ? Device.best() : Device.parse(device);
        W1Config cfg = W1Config.streamPetr().withSeed(seed).withBatch(batch).withLayers(layers);
        out.printf(Locale.ROOT, "W1 loss step on %s: 3D head %d layers x %d samples x %d queries, 2D head %d images x %d "
                + "predictions, %d classes; %d timed rounds after at least %d warm-up rounds%n", dev, cfg.layers(), cfg.batch(), cfg.queries(),
                cfg.images(), cfg.predictions2d(), cfg.classes(), runs, warmup);
        try (W1Batch data = W1Batch.generate(cfg).to(dev)) {
            StageTimes batched = new StageTimes();
            StageTimes baseline = new StageTimes();
            Map<String, Double>[] results = time(data, batched, baseline, err);
            Map<String, Double> losses = results[0];
            Map<String, Double> baseLosses = results[1];
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

    /**
     * Warms up, then times batched and per-sample runs alternately (so neither profits from running
     * after the other has been compiled): warm-up lasts at least {@code --warmup} rounds and
     * {@code --warmup-ms} ({@link #minWarmUpMillis} by default), and goes on while the batched times are still falling (the JIT
     * compiling), at most 20 s. Returns the batched and the baseline losses of the last round.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Double>[] time(W1Batch data, StageTimes batched, StageTimes baseline, PrintWriter err) {
        W1Step step = new W1Step();
        W1Baseline perSample = new W1Baseline();
        Map<String, Double>[] losses = new Map[2];
        try (BatchedTimer timer = data.device().isCuda() ? new CudaTimer(data) : new HostTimer()) {
            WarmUpPolicy policy = new WarmUpPolicy(warmup,
                    warmupMillis != null ? warmupMillis : minWarmUpMillis(data.device()), 20_000, 10);
            double[] warm = new double[100_000];
            int n = 0;
            long start = System.nanoTime();
            while (n < warm.length && !policy.done(warm, n, (System.nanoTime() - start) / 1e6)) {
                progress(err, "warm-up", n + 1, -1);
                warm[n++] = timer.run(step, data, null, losses);
                runBaseline(perSample, data, null, losses);
            }
            for (int i = 0; i < runs; i++) {
                progress(err, "run", i + 1, runs);
                timer.run(step, data, batched, losses);
                runBaseline(perSample, data, baseline, losses);
            }
        }
        return losses;
    }

    /**
     * Default least warm-up time: 5 s with a GPU; 10 s on the CPU, where C2 compiles the step's vector
     * loops on the same few cores that run it: on the 2-core development machine the batched step
     * measured after 5 s was up to 25% slower than after 10 s, although its times had already
     * stopped falling from one window of rounds to the next.
     */
    static long minWarmUpMillis(Device device) {
        return device.isCuda() ? 5_000 : 10_000;
    }

    /** Runs the batched step once, recording stage times into {@code times} unless null; returns the total ms. */
    private interface BatchedTimer extends AutoCloseable {
        double run(W1Step step, W1Batch data, StageTimes times, Map<String, Double>[] losses);

        @Override
        void close();
    }

    /** CPU: stage times from the host clock (the work is done when a stage returns). */
    private static final class HostTimer implements BatchedTimer {
        @Override
        public double run(W1Step step, W1Batch data, StageTimes times, Map<String, Double>[] losses) {
            long[] marks = new long[W1Stages.NAMES.length];
            int[] next = {0};
            long start = System.nanoTime();
            try (W1Result r = step.run(data, stage -> marks[next[0]++] = System.nanoTime())) {
                losses[0] = r.losses();
                long end = System.nanoTime();
                if (times != null) {
                    long prev = start;
                    for (int s = 0; s < marks.length; s++) {
                        times.add(W1Stages.NAMES[s], (marks[s] - prev) / 1e6);
                        prev = marks[s];
                    }
                    times.add("total", (end - start) / 1e6);
                }
                return (end - start) / 1e6;
            }
        }

        @Override
        public void close() {}
    }

    /**
     * CUDA: the step only enqueues work, so stage times come from CUDA events recorded on the
     * stream at each stage end (device time between consecutive events); the total is the host
     * wall time from the call until the loss values are on the host.
     */
    private static final class CudaTimer implements BatchedTimer {
        private final CudaStream stream;
        private final CudaEvent[] events = new CudaEvent[W1Stages.NAMES.length + 1];

        CudaTimer(W1Batch data) {
            stream = CudaStream.current(data.device());
            for (int e = 0; e < events.length; e++) {
                events[e] = CudaEvent.create(data.device());
            }
        }

        @Override
        public double run(W1Step step, W1Batch data, StageTimes times, Map<String, Double>[] losses) {
            int[] next = {1};
            long start = System.nanoTime();
            events[0].record(stream);
            try (W1Result r = step.run(data, stage -> events[next[0]++].record(stream))) {
                losses[0] = r.losses();
                long end = System.nanoTime();
                events[events.length - 1].synchronize();
                if (times != null) {
                    for (int s = 0; s < W1Stages.NAMES.length; s++) {
                        times.add(W1Stages.NAMES[s], events[s + 1].elapsedMillisSince(events[s]));
                    }
                    times.add("device", events[events.length - 1].elapsedMillisSince(events[0]));
                    times.add("total", (end - start) / 1e6);
                }
                return (end - start) / 1e6;
            }
        }

        @Override
        public void close() {
            for (CudaEvent e : events) {
                if (e != null) {
                    e.close();
                }
            }
        }
    }

    private static void runBaseline(W1Baseline baseline, W1Batch data, StageTimes times, Map<String, Double>[] losses) {
        long start = System.nanoTime();
        try (W1Result r = baseline.run(data)) {
            losses[1] = r.losses();
            if (times != null) {
                times.add("total", (System.nanoTime() - start) / 1e6);
            }
        }
    }

    private static void progress(PrintWriter err, String phase, int i, int of) {
        err.printf(Locale.ROOT, of < 0 ? "\rbatched + per-sample: %s %d        " : "\rbatched + per-sample: %s %d/%d        ",
                phase, i, of);
        err.flush();
    }

    private static void printTable(PrintWriter out, StageTimes batched, StageTimes baseline, double speedup) {
        out.printf(Locale.ROOT, "%n%-34s %12s %12s%n", batched.median("device") >= 0
                ? "stage (median ms, CUDA events)" : "stage (median ms)", "batched", "per-sample");
        // on the CPU each problem is solved right after its costs are computed: the costs stage holds both
        boolean cpu = !(batched.median("device") >= 0);
        for (String s : W1Stages.NAMES) {
            String label = s.equals("losses") ? "losses + gradients" : s.equals("heatmaps")
                    ? "heatmaps + centerness loss" : cpu && s.equals("costs") ? "costs + matching (one pass)"
                    : cpu && s.equals("matching") ? "matching (rest)" : s;
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
