package dev.batchwise.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The fixtures written by {@code scripts/make-npy-fixtures.py} and the formulas their values
 * follow (the script's docstring states the same formulas), so tests check every element.
 */
final class NpyFixtures {
    private NpyFixtures() {}

    private static Path copies;

    /**
     * Path of a fixture file in {@code src/test/resources/dev/batchwise/tensor/npy/}. When the
     * tests run from a jar (the GPU bundle) the resource is first copied to a temporary folder;
     * the same name always gives the same path.
     */
    static synchronized Path path(String name) {
        URL url = Objects.requireNonNull(NpyFixtures.class.getResource("npy/" + name), () -> "missing fixture " + name);
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            if (copies == null) {
                copies = Files.createTempDirectory("batchwise-npy-fixtures");
                copies.toFile().deleteOnExit();
            }
            Path copy = copies.resolve(name);
            if (!Files.exists(copy)) {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, copy);
                }
                copy.toFile().deleteOnExit();
            }
            return copy;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open fixture " + name, e);
        }
    }

    /** The fixture pattern: a CPU tensor whose element at C-order index i is the script's value for i. */
    static Tensor pattern(DType dtype, long... shape) {
        Tensor t = Tensor.empty(dtype, Device.CPU, shape);
        MemorySegment s = t.cpuSegment();
        for (long i = 0; i < t.numel(); i++) {
            double f = (i - 7) * 0.375 + (i % 5) * 1e-3;
            switch (dtype) {
                case FLOAT32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) f);
                case FLOAT64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, f);
                case INT32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) (i * 2654435761L));
                case INT64 -> s.setAtIndex(ValueLayout.JAVA_LONG, i, i * 0x9E3779B97F4A7C15L);
                case UINT8 -> s.set(ValueLayout.JAVA_BYTE, i, (byte) ((i * 37 + 11) % 256));
                case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (i % 3 == 0 ? 1 : 0));
            }
        }
        return t;
    }

    /** Asserts equal dtype and shape and bit-identical elements (CPU copies of both are compared). */
    static void assertBitEqual(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), "dtype");
        assertArrayEquals(expected.shape(), actual.shape(), () -> "shape: expected " + Shapes.format(expected.shape())
                + ", got " + Shapes.format(actual.shape()));
        try (Scope s = Scope.open()) {
            MemorySegment e = expected.to(Device.CPU).cpuSegment();
            MemorySegment a = actual.to(Device.CPU).cpuSegment();
            long at = e.mismatch(a);
            assertEquals(-1, at, () -> "bytes differ at byte " + at + ": expected " + expected + ", got " + actual);
        }
    }
}
