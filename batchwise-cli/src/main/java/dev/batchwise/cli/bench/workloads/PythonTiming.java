package dev.batchwise.cli.bench.workloads;

import dev.batchwise.tensor.Npy;
import dev.batchwise.tensor.Tensor;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the baselines that run in Python share: probing whether {@code python3} can run a snippet,
 * a temporary folder holding one of our timing scripts (shipped as resources of this package), and
 * running that script in a subprocess that prints one wall time in milliseconds per timed run.
 */
final class PythonTiming {
    private static final Map<String, Boolean> PROBES = new ConcurrentHashMap<>();

    private PythonTiming() {}

    /** True when {@code python3 -c code} exits with status 0 within a minute (probed once per snippet). */
    static boolean canRun(String code) {
        return PROBES.computeIfAbsent(code, PythonTiming::probe);
    }

    private static boolean probe(String code) {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A fresh temporary folder named {@code prefix…} with the script resource {@code script} copied in. */
    static Path folderWithScript(String prefix, String script) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        try (InputStream in = PythonTiming.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IOException(script + " is missing from the batchwise-cli jar");
            }
            Files.copy(in, dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    /**
     * Runs {@code python3 dir/script args…} and returns the numbers it printed, one per line (other
     * lines are kept for the error message only).
     *
     * @param what names the baseline in the error message
     * @param expectedRuns how many timing lines the script must print
     * @throws IOException when the script fails or prints a different number of timings
     */
    static List<Double> run(String what, Path dir, String script, List<String> args, int expectedRuns)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", dir.resolve(script).toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        if (p.waitFor() != 0 || times.size() != expectedRuns) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "):\n" + all);
        }
        return times;
    }

    /** Writes {@code t} as {@code dir/name} in NumPy's .npy format and closes it. */
    static void save(Path dir, String name, Tensor t) throws IOException {
        try (t) {
            Npy.write(dir.resolve(name), t);
        }
    }

    /** Deletes {@code dir} and everything in it. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
