package dev.batchwise.tensor;

import static dev.batchwise.tensor.NpyFixtures.assertBitEqual;
import static dev.batchwise.tensor.NpyFixtures.path;
import static dev.batchwise.tensor.NpyFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Backends;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {
    @TempDir
    Path tmp;

    /** What the script put into arrays_stored.npz and arrays_compressed.npz, in its order. */
    private static Map<String, Tensor> fixtureArrays() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("zeta", pattern(DType.FLOAT32, 2, 3));
        m.put("alpha", pattern(DType.INT64, 3, 0, 2));
        m.put("mid", pattern(DType.BOOL, 7));
        m.put("scalar", pattern(DType.FLOAT64));
        m.put("fortran", pattern(DType.INT32, 3, 5));
        m.put("big_endian", pattern(DType.FLOAT64, 5));
        return m;
    }

    private static void assertSameArrays(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names in order");
        for (String k : expected.keySet()) {
            assertBitEqual(expected.get(k), actual.get(k));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"arrays_stored.npz", "arrays_compressed.npz"})
    void readsNumpyArchivesInOrderFromPathAndStream(String file) throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> expected = fixtureArrays();
            assertSameArrays(expected, Npz.read(path(file)));
            try (InputStream in = Files.newInputStream(path(file))) {
                assertSameArrays(expected, Npz.read(in));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void ownArchivesRoundTripInInsertionOrder(boolean compressed) throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("z", pattern(DType.UINT8, 4, 5));
            arrays.put("b", pattern(DType.FLOAT32));
            arrays.put("empty", pattern(DType.FLOAT64, 3, 0, 2));
            arrays.put("dir/inner", pattern(DType.INT32, 6));
            arrays.put("a", pattern(DType.BOOL, 2, 2, 2));
            Path f = tmp.resolve("out.npz");
            if (compressed) {
                Npz.writeCompressed(f, arrays);
            } else {
                Npz.write(f, arrays);
            }
            assertSameArrays(arrays, Npz.read(f));
            try (ZipFile zip = new ZipFile(f.toFile())) {
                List<String> names = new ArrayList<>();
                for (ZipEntry e : zip.stream().toList()) {
                    names.add(e.getName());
                    assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, e.getMethod(), e.getName());
                    Tensor entry = Npy.read(zip.getInputStream(e));
                    String key = e.getName().substring(0, e.getName().length() - 4);
                    assertBitEqual(arrays.get(key), entry);
                }
                assertEquals(List.of("z.npy", "b.npy", "empty.npy", "dir/inner.npy", "a.npy"), names);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Npz.write(bytes, arrays, compressed);
            assertArrayEquals(Files.readAllBytes(f), bytes.toByteArray(), "path and stream writers agree");
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            Npz.write(again, arrays, compressed);
            assertArrayEquals(bytes.toByteArray(), again.toByteArray(), "output is deterministic");
            assertSameArrays(arrays, Npz.read(new ByteArrayInputStream(bytes.toByteArray())));
        }
    }

    @Test
    void compressionShrinksRedundantData() throws IOException {
        try (Scope s = Scope.open()) {
            Map<String, Tensor> arrays = Map.of("zeros", Tensor.zeros(DType.FLOAT64, Device.CPU, 100, 100));
            Path stored = tmp.resolve("s.npz");
            Path deflated = tmp.resolve("d.npz");
            Npz.write(stored, arrays);
            Npz.writeCompressed(deflated, arrays);
            assertTrue(Files.size(stored) > 80_000, "stored holds the raw 80 kB");
            assertTrue(Files.size(deflated) < 5_000, "deflated zeros are small: " + Files.size(deflated));
            assertSameArrays(arrays, Npz.read(deflated));
        }
    }

    @Test
    void readsFromPathsOfOtherFileSystems() throws IOException {
        Path jar = tmp.resolve("bundle.zip");
        try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
            Files.copy(path("arrays_compressed.npz"), fs.getPath("/arrays.npz"));
            Files.copy(path("f8_fortran_2x3x4.npy"), fs.getPath("/f.npy"));
            Files.copy(path("bad_truncated_entry.npz"), fs.getPath("/bad.npz"));
        }
        try (FileSystem fs = FileSystems.newFileSystem(jar); Scope s = Scope.open()) {
            assertSameArrays(fixtureArrays(), Npz.read(fs.getPath("/arrays.npz")));
            NpyFixtures.assertBitEqual(pattern(DType.FLOAT64, 2, 3, 4), Npy.read(fs.getPath("/f.npy")));
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(fs.getPath("/bad.npz")));
            assertTrue(e.getMessage().startsWith("/bad.npz:cut.npy: truncated data"), e.getMessage());
        }
    }

    @Test
    void emptyArchiveRoundTrips() throws IOException {
        Path f = tmp.resolve("empty.npz");
        Npz.write(f, Map.of());
        assertTrue(Npz.read(f).isEmpty());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Npz.write(bytes, Map.of(), true);
        assertTrue(Npz.read(new ByteArrayInputStream(bytes.toByteArray())).isEmpty());
    }

    @Test
    void badEntriesFailNamingArchiveAndEntryAndFreeWhatWasRead() throws IOException {
        long before = MemoryStats.cpuBytesInUse();
        try (Scope s = Scope.open()) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(path("bad_not_npy_entry.npz")));
            assertTrue(e.getMessage().startsWith(path("bad_not_npy_entry.npz") + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("'notes.txt' is not a <name>.npy array"), e.getMessage());
            NpyFormatException t = assertThrows(NpyFormatException.class, () -> Npz.read(path("bad_truncated_entry.npz")));
            assertTrue(t.getMessage().startsWith(path("bad_truncated_entry.npz") + ":cut.npy: truncated data"),
                    t.getMessage());
            try (InputStream in = Files.newInputStream(path("bad_truncated_entry.npz"))) {
                NpyFormatException ts = assertThrows(NpyFormatException.class, () -> Npz.read(in));
                assertTrue(ts.getMessage().startsWith("stream:cut.npy: truncated data"), ts.getMessage());
            }
            assertEquals(0, s.ownedCount(), "the tensor of ok.npy was freed when cut.npy failed");
        }
        ScopeContractTest.assertNoGrowth(before, MemoryStats.cpuBytesInUse(), "CPU bytes after failed reads");
    }

    @Test
    void nonZipInputIsAFormatError() throws IOException {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(path("f4_2x3.npy")));
        assertTrue(e.getMessage().startsWith(path("f4_2x3.npy") + ": not a valid .npz"), e.getMessage());
        try (InputStream in = Files.newInputStream(path("f4_2x3.npy"))) {
            NpyFormatException es = assertThrows(NpyFormatException.class, () -> Npz.read(in));
            assertTrue(es.getMessage().startsWith("stream: not a .npz"), es.getMessage());
        }
        assertThrows(NpyFormatException.class, () -> Npz.read(new ByteArrayInputStream(new byte[0])));
        IOException missing = assertThrows(IOException.class, () -> Npz.read(tmp.resolve("missing.npz")));
        assertFalse(missing instanceof NpyFormatException);
    }

    @Test
    void invalidArgumentsFailBeforeWriting() {
        Path f = tmp.resolve("never.npz");
        Map<String, Tensor> emptyName = new LinkedHashMap<>();
        emptyName.put("", Tensor.zeros(DType.FLOAT32, Device.CPU, 1));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(f, emptyName));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("x", null);
        assertThrows(IllegalArgumentException.class, () -> Npz.writeCompressed(f, nullTensor));
        Tensor closed = Tensor.zeros(DType.FLOAT32, Device.CPU, 1);
        closed.close();
        Map<String, Tensor> withClosed = new LinkedHashMap<>();
        withClosed.put("ok", Tensor.zeros(DType.FLOAT32, Device.CPU, 1));
        withClosed.put("closed", closed);
        assertThrows(IllegalStateException.class, () -> Npz.write(f, withClosed));
        assertFalse(Files.exists(f));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(f, null));
        assertThrows(IllegalArgumentException.class, () -> Npz.read((Path) null));
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void readsOntoAndWritesFromEveryDevice(Device device) throws IOException {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            Map<String, Tensor> expected = fixtureArrays();
            int owned = s.ownedCount();
            Map<String, Tensor> onDevice = Npz.read(path("arrays_compressed.npz"), device);
            assertEquals(owned + expected.size(), s.ownedCount(), "host copies were freed");
            for (Tensor t : onDevice.values()) {
                assertEquals(device, t.device());
            }
            assertSameArrays(expected, onDevice);
            Path f = tmp.resolve("dev.npz");
            Npz.write(f, onDevice);
            assertSameArrays(expected, Npz.read(f));
        }
    }
}
