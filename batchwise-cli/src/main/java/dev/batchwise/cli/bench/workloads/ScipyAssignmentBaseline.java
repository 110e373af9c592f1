package dev.batchwise.cli.bench.workloads;

import dev.batchwise.cli.bench.BenchCase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SciPy baseline of W2: {@code scipy.optimize.linear_sum_assignment} called once per problem
 * in a Python loop, timed by a Python subprocess on the same matrices (written to temporary .npy
 * files). Absent when python3 with SciPy cannot be run.
 */
final class ScipyAssignmentBaseline implements BenchCase {
    static final int WARMUP = 3;
    static final int RUNS = 20;
    private static Boolean available;

    private final Path dir;
    private final Path script;

    private ScipyAssignmentBaseline(Path dir, Path script) {
        this.dir = dir;
        this.script = script;
    }

    /** True when {@code python3 -c "import scipy"} succeeds (probed once). */
    static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import scipy.optimize, numpy")
                        .redirectErrorStream(true).start();
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** Writes the batch for the subprocess. {@code costs} is {@code (b, r, c)} row-major float32. */
    static ScipyAssignmentBaseline create(float[] costs, int b, int r, int c, long[] rows, long[] cols)
            throws IOException {
        Path dir = Files.createTempDirectory("batchwise-w2-");
        NpyFiles.writeFloat32(dir.resolve("costs.npy"), costs, b, r, c);
        NpyFiles.writeInt64(dir.resolve("rows.npy"), rows, b);
        NpyFiles.writeInt64(dir.resolve("cols.npy"), cols, b);
        Path script = dir.resolve("scipy_lsa_timing.py");
        try (InputStream in = ScipyAssignmentBaseline.class.getResourceAsStream("scipy_lsa_timing.py")) {
            if (in == null) {
                throw new IOException("scipy_lsa_timing.py is missing from the batchwise-cli jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return new ScipyAssignmentBaseline(dir, script);
    }

    @Override
    public String implementation() {
        return "scipy";
    }

    /** One loop over the batch (in a fresh interpreter, so mostly start-up; the timing is external). */
    @Override
    public void run() throws Exception {
        python(0, 1);
    }

    @Override
    public double[] externalTimesMs() throws Exception {
        List<Double> times = python(WARMUP, RUNS);
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private List<Double> python(int warmup, int runs) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", script.toString(), dir.resolve("costs.npy").toString(),
                dir.resolve("rows.npy").toString(), dir.resolve("cols.npy").toString(),
                Integer.toString(warmup), Integer.toString(runs)).redirectErrorStream(true).start();
        List<Double> times = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                all.append(line).append('\n');
                try {
                    times.add(Double.parseDouble(line.trim()));
                } catch (NumberFormatException ignored) {
                    // not a timing line; kept in the message below if the run fails
                }
            }
        }
        if (p.waitFor() != 0 || times.size() != runs) {
            throw new IOException("SciPy baseline failed (exit " + p.exitValue() + "):\n" + all);
        }
        return times;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
