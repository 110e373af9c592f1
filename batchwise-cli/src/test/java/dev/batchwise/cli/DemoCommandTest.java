package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code batchwise demo} on a small W1 batch: exit status, the stage table and the JSON's fields. */
class DemoCommandTest {
    private final CliCapture cli = new CliCapture();

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void smallBatchAgreesWithTheBaselineAndWritesTheJson(String device, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(device.equals("cpu") || Device.cudaAvailable(),
                () -> "CUDA not available: " + Device.cudaUnavailableReason());
        Path json = dir.resolve("demo.json");
        int status = run("demo", "--device", device, "--batch", "2", "--layers", "2", "--runs", "2", "--warmup", "1",
                "--warmup-ms", "0", "--json", json.toString());
        assertEquals(0, status, () -> cli.out() + "\n" + cli.err());
        String table = cli.out();
        assertTrue(table.contains("speedup (per-sample / batched)"), table);
        assertTrue(table.contains("3d.cls.d1") && table.contains("2d.centerness"), table);
        String text = Files.readString(json);
        for (String key : new String[] {"\"device\"", "\"batched\"", "\"total\"", "\"baseline\"", "\"speedup\"",
                "\"losses\"", "\"baseline_losses\""}) {
            assertTrue(text.contains(key), () -> key + " missing from " + text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--runs=0", "--warmup=-1", "--warmup-ms=-5"})
    void badCountsAreRejectedWithStatus2(String option) {
        assertEquals(2, run("demo", "--device", "cpu", option));
        assertTrue(cli.err().contains("--runs must be >= 1"), cli::err);
    }
}
