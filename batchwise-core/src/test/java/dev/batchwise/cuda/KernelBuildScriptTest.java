package dev.batchwise.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/build-kernels.sh in check mode, run on a temporary copy of the kernel sources and the
 * committed fatbins: passes when they match, fails naming the file when they do not.
 */
class KernelBuildScriptTest {
    private static final String SRC = "batchwise-core/src/main/cuda";
    private static final String OUT = "batchwise-core/src/main/resources/dev/batchwise/kernels";

    @TempDir
    Path copy;

    private Path repo;

    @BeforeEach
    void copyTree() throws IOException {
        repo = Path.of("").toAbsolutePath().getParent(); // surefire runs in batchwise-core/
        assumeTrue(Files.isRegularFile(repo.resolve("scripts/build-kernels.sh")), "repository layout not found");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
                "bash not available");
        copyDir(repo.resolve("scripts"), copy.resolve("scripts"));
        copyDir(repo.resolve(SRC), copy.resolve(SRC));
        copyDir(repo.resolve(OUT), copy.resolve(OUT));
    }

    @Test
    void committedKernelsAreCurrent() throws Exception {
        Result r = check(repo);
        assertEquals(0, r.exit, r.output);
    }

    @Test
    void passesOnAnUntouchedCopy() throws Exception {
        Result r = check(copy);
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("up to date"), r.output);
    }

    @Test
    void failsOnATamperedHashNamingTheFatbin() throws Exception {
        Files.writeString(copy.resolve(OUT + "/tensor.fatbin.sha256"), "0".repeat(64) + "\n");
        Result r = check(copy);
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains(OUT + "/tensor.fatbin is stale"), r.output);
    }

    @Test
    void failsWhenTheSourceChanges() throws Exception {
        Files.writeString(copy.resolve(SRC + "/tensor.cu"), "\n// edited\n", StandardOpenOption.APPEND);
        Result r = check(copy);
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("tensor.fatbin is stale"), r.output);
    }

    @Test
    void failsWhenASharedHeaderChanges() throws Exception {
        Files.writeString(copy.resolve(SRC + "/include/extra.cuh"), "#pragma once\n");
        Result r = check(copy);
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("tensor.fatbin is stale"), r.output);
    }

    @Test
    void failsForASourceWithoutFatbin() throws Exception {
        Files.writeString(copy.resolve(SRC + "/newroom.cu"), "extern \"C\" __global__ void k() {}\n");
        Result r = check(copy);
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains(OUT + "/newroom.fatbin is missing"), r.output);
    }

    @Test
    void failsWhenTheHashFileIsMissing() throws Exception {
        Files.delete(copy.resolve(OUT + "/tensor.fatbin.sha256"));
        Result r = check(copy);
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("tensor.fatbin.sha256 is missing"), r.output);
    }

    private record Result(int exit, String output) {}

    private static Result check(Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scripts/build-kernels.sh").toString(), "--check");
        pb.environment().put("BATCHWISE_KERNELS_ROOT", root.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script did not finish");
        return new Result(p.exitValue(), out);
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
