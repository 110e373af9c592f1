package dev.batchwise.cli.bench;

import dev.batchwise.cli.machine.MachineInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The bench results as an aligned text table under a machine header: per workload, device and
 * implementation the median/min/max wall milliseconds and runs, the CUDA-event median, the median
 * per call in a stream of back-to-back calls (GPU), a rate (GB/s or µs per item) and the speed-up
 * against the baseline (then the stream speed-up, where both sides have stream times).
 */
public final class ResultTable {
    private static final String[] HEADER = {"workload", "device", "implementation", "median ms", "min ms", "max ms",
        "runs", "device ms", "stream ms", "rate", "vs baseline"};

    private ResultTable() {}

    /** The header line, the notes, then the table (or "no results"). */
    public static String format(MachineInfo machine, List<BenchResult> results, List<String> notes) {
        StringBuilder sb = new StringBuilder();
        sb.append(machine.headerLine()).append('\n');
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        if (results.isEmpty()) {
            return sb.append("no results\n").toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BenchResult r : results) {
            rows.add(row(results, r));
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean left = i < 3 || i == row.length - 1 && row[i].startsWith("ERROR");
                String cell = left ? pad(row[i], width[i], true) : pad(row[i], width[i], false);
                line.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String[] row(List<BenchResult> all, BenchResult r) {
        if (!r.ok()) {
            return new String[] {r.workload(), r.device(), r.implementation(), "", "", "", "", "", "", "",
                "ERROR " + r.error()};
        }
        double speedup = Baselines.speedup(all, r);
        return new String[] {
            r.workload(), r.device(), r.implementation(),
            ms(r.wall().medianMs()), ms(r.wall().minMs()), ms(r.wall().maxMs()),
            Integer.toString(r.wall().runs()),
            r.deviceTime() == null ? "-" : ms(r.deviceTime().medianMs()),
            r.streamTime() == null ? "-" : ms(r.streamTime().medianMs()),
            rate(r),
            ratios(all, r, speedup)
        };
    }

    /**
     * The primary ratio, the stream ratio where there is one, then the other baselines' in
     * parentheses: {@code "35.20x, stream 61.30x (pytorch 5400.00x)"}.
     */
    private static String ratios(List<BenchResult> all, BenchResult r, double primary) {
        if (Double.isNaN(primary)) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.2fx", primary));
        double stream = Baselines.streamSpeedup(all, r);
        if (!Double.isNaN(stream)) {
            sb.append(String.format(Locale.ROOT, ", stream %.2fx", stream));
        }
        Map<String, Double> each = Baselines.speedups(all, r);
        String primaryName = Baselines.baselineOf(all, r).map(BenchResult::implementation).orElse("");
        each.remove(primaryName);
        each.remove(r.implementation());
        if (!each.isEmpty()) {
            StringBuilder others = new StringBuilder();
            each.forEach((name, x) -> others.append(others.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2fx", name, x)));
            sb.append(" (").append(others).append(')');
        }
        return sb.toString();
    }

    /** GB/s (device-timed where measured), or wall µs per item, else "-". */
    private static String rate(BenchResult r) {
        if (r.bytesPerRun() > 0) {
            double g = r.deviceTime() != null ? r.deviceGbps() : r.wallGbps();
            return String.format(Locale.ROOT, "%.2f GB/s", g);
        }
        if (r.itemsPerRun() > 1) {
            // per-item cost as the host sees it (launch latency is a host-side cost)
            return String.format(Locale.ROOT, "%.3f us/item", r.wallMicrosPerItem());
        }
        return "-";
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.3f" : "%.4f", v);
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + fill : fill + s;
    }
}
