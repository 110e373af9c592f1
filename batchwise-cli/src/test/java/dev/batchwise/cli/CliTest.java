package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.bench.MiniJson;
import dev.batchwise.tensor.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CliTest {
    /** Exit code and captured output of one CLI invocation. */
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CliCapture cli = new CliCapture();
        int exit = cli.run(args);
        return new Run(exit, cli.out(), cli.err());
    }

    @Test
    void infoPrintsJdkCoresHeapVectorApiAndCuda() {
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        String o = r.out();
        assertTrue(o.contains("JDK:") && o.contains(Runtime.version().toString()), o);
        assertTrue(o.contains(System.getProperty("java.vendor")), o);
        assertTrue(o.contains("Cores:       " + Runtime.getRuntime().availableProcessors()), o);
        assertTrue(o.contains("Max heap:"), o);
        // surefire starts the JVM with --add-modules=jdk.incubator.vector
        assertTrue(o.contains("Vector API:  available, FloatVector.SPECIES_PREFERRED = Species[float, "), o);
        assertTrue(o.contains("CUDA driver:"), o);
        if (Device.cudaAvailable()) {
            assertTrue(o.contains("GPU 0:") && o.contains("compute capability") && o.contains("SMs"), o);
        } else {
            assertTrue(o.contains("GPU:         none usable: " + Device.cudaUnavailableReason()), o);
        }
    }

    @Test
    void benchWritesTheDesignJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/bench.json");
        Run r = run("bench", "--device", "cpu", "--filter", "T0", "--runs", "3", "--warmup", "1", "--warmup-ms", "0", "--min-time-ms", "0",
                "--json", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("bench: T0-cpu-copy on cpu"), r.err());
        assertTrue(r.out().startsWith("machine: "), r.out());

        Map<?, ?> root = assertInstanceOf(Map.class, MiniJson.parse(Files.readString(file)));
        Map<?, ?> machine = assertInstanceOf(Map.class, root.get("machine"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), machine.get("cores"));
        assertTrue(machine.get("cpu") instanceof String && machine.get("jdk") instanceof String, machine.toString());
        List<?> results = assertInstanceOf(List.class, root.get("results"));
        Set<String> implementations = new HashSet<>();
        for (Object o : results) {
            Map<?, ?> e = assertInstanceOf(Map.class, o);
            assertEquals("T0-cpu-copy", e.get("workload"));
            assertEquals("cpu", e.get("device"));
            assertEquals(3.0, e.get("runs"));
            double median = (Double) e.get("median_ms");
            double min = (Double) e.get("min_ms");
            double max = (Double) e.get("max_ms");
            assertTrue(min > 0 && min <= median && median <= max, e.toString());
            assertTrue((Double) e.get("gbps") > 0, e.toString());
            assertFalse(e.containsKey("error"), e.toString());
            implementations.add((String) e.get("implementation"));
        }
        assertTrue(implementations.containsAll(Set.of("batchwise", "baseline")), implementations.toString());
    }

    @Test
    void benchListNamesTheWorkloads() {
        Run r = run("bench", "--list");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("T0-cpu-copy"), r.out());
    }

    @Test
    void cudaOnlyBenchWithoutGpuIsANoteNotACrash(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Device.cudaAvailable(), "a GPU is usable here");
        Path file = dir.resolve("b.json");
        Run r = run("bench", "--device", "cuda", "--json", file.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("CUDA requested but unavailable"), r.err());
        Map<?, ?> root = assertInstanceOf(Map.class, MiniJson.parse(Files.readString(file)));
        assertEquals(List.of(), root.get("results"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "bench --device gpu",
        "bench --runs 0",
        "bench --runs many",
        "bench --warmup -1",
        "bench --filter (",
        "bench --no-such-option",
        "no-such-command"
    })
    void badOptionsAreUsageErrors(String line) {
        Run r = run(line.split(" "));
        assertEquals(CommandLine.ExitCode.USAGE, r.exit(), r.out() + r.err());
        // picocli names the problem, then shows the usage (or, for an unknown command, suggestions)
        assertTrue(r.err().contains("Usage: batchwise") || r.err().contains("Did you mean"), r.err());
    }
}
