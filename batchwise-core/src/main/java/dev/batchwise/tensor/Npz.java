package dev.batchwise.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file with one {@code <name>.npy} entry per
 * array, as written by {@code numpy.savez} (entries stored) and {@code numpy.savez_compressed}
 * (entries deflated).
 *
 * <p>Reading accepts stored and deflated entries (zip64 included) and returns the arrays keyed by
 * entry name without the {@code .npy} suffix, in the archive's order. Every entry must be an
 * {@code .npy} array that {@link Npy} reads (same types, byte orders and Fortran order handling);
 * directory entries are skipped, any other entry is an error. When any entry fails, the tensors
 * already read are closed before the exception propagates.
 *
 * <p>Writing: {@link #write(Path, Map)} stores the entries uncompressed, like {@code np.savez};
 * {@link #writeCompressed(Path, Map)} deflates them, like {@code np.savez_compressed}. Entries
 * appear in the map's iteration order; each entry's bytes are exactly what {@link Npy#write}
 * writes. Entry timestamps are fixed (1980-01-01 00:00), so equal inputs give identical files.
 * GPU tensors are copied to the host one at a time.
 *
 * <p>Errors: {@link NpyFormatException} (an {@link IOException}) for archives or entries that
 * are not usable, its message naming the archive and the entry ({@code data.npz:boxes.npy: …});
 * {@link IOException} for I/O failures; {@link IllegalArgumentException} for null or empty
 * names or null tensors; {@link IllegalStateException} for closed tensors.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Map<String, Tensor> arrays = Npz.read(Path.of("batch.npz"));
 *     Tensor boxes = arrays.get("boxes");
 *     Npz.writeCompressed(Path.of("out.npz"), Map.of("boxes", boxes));
 * }
 * }</pre>
 */
public final class Npz {
    private static final String SUFFIX = ".npy";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    // ------------------------------------------------------------------ reading

    /**
     * Reads every array of the archive at {@code path} into new CPU tensors (owned by the current
     * scope).
     *
     * @return name → tensor, in the archive's entry order (an unmodifiable, insertion-ordered map)
     * @throws NpyFormatException if the file is not a zip archive or an entry is not a supported
     *     .npy array, or two entries have the same name
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Tensor> read(Path path) throws IOException {
        Npy.requireNonNull(path, "path");
        String source = path.toString();
        if (path.getFileSystem() != FileSystems.getDefault()) { // e.g. a path inside a jar: no java.io.File
            try (InputStream in = Files.newInputStream(path)) {
                return read(in, source);
            }
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new NpyFormatException(source + ": not a valid .npz (zip) archive: " + e.getMessage(), e);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String key = keyOf(e, source, out);
                if (key == null) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(key, Npy.read(Channels.newChannel(in), source + ":" + e.getName()));
                } catch (ZipException ze) {
                    throw new NpyFormatException(source + ":" + e.getName() + ": corrupt zip entry: " + ze.getMessage(), ze);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(out);
            throw e;
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads every array of the archive at {@code path} onto {@code device} (via the host; host
     * copies are freed before returning).
     *
     * @throws NpyFormatException if the archive or an entry is not usable
     * @throws IOException if the file cannot be read
     */
    public static Map<String, Tensor> read(Path path, Device device) throws IOException {
        Npy.requireNonNull(device, "device");
        return toDevice(read(path), device);
    }

    /**
     * Reads an archive from {@code in} (read up to its central directory; not closed), entries in
     * stream order.
     * Stream reading follows the local entry headers, so archives whose stored entries use data
     * descriptors (which only the central directory describes) need {@link #read(Path)}.
     *
     * @throws NpyFormatException if the bytes are not a usable archive
     * @throws IOException if reading fails
     */
    public static Map<String, Tensor> read(InputStream in) throws IOException {
        Npy.requireNonNull(in, "in");
        return read(in, "stream");
    }

    private static Map<String, Tensor> read(InputStream in, String source) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 4);
        byte[] sig = peek.readNBytes(4);
        peek.unread(sig);
        boolean entry = Arrays.equals(sig, new byte[] {'P', 'K', 3, 4});
        boolean emptyArchive = Arrays.equals(sig, new byte[] {'P', 'K', 5, 6});
        if (!entry && !emptyArchive) {
            throw new NpyFormatException(source + ": not a .npz (zip) archive (it does not start with a zip entry)");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        ZipInputStream zin = new ZipInputStream(peek);
        try {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String key = keyOf(e, source, out);
                if (key != null) {
                    out.put(key, Npy.read(Channels.newChannel(zin), source + ":" + e.getName()));
                }
            }
        } catch (ZipException ze) {
            closeAll(out);
            throw new NpyFormatException(source + ": corrupt .npz (zip) archive: " + ze.getMessage(), ze);
        } catch (IOException | RuntimeException ex) {
            closeAll(out);
            throw ex;
        }
        return Collections.unmodifiableMap(out);
    }

    private static String keyOf(ZipEntry e, String source, Map<String, Tensor> seen) throws NpyFormatException {
        if (e.isDirectory()) {
            return null;
        }
        String name = e.getName();
        if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
            throw new NpyFormatException(source + ": entry '" + name + "' is not a <name>.npy array");
        }
        String key = name.substring(0, name.length() - SUFFIX.length());
        if (seen.containsKey(key)) {
            throw new NpyFormatException(source + ": the archive holds '" + name + "' twice");
        }
        return key;
    }

    private static Map<String, Tensor> toDevice(Map<String, Tensor> cpu, Device device) {
        if (device.isCpu()) {
            return cpu;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : cpu.entrySet()) {
                out.put(e.getKey(), e.getValue().to(device));
            }
        } catch (RuntimeException ex) {
            closeAll(out);
            throw ex;
        } finally {
            closeAll(cpu);
        }
        return Collections.unmodifiableMap(out);
    }

    private static void closeAll(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) {
            t.close();
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code arrays} to {@code path} (created or replaced) as an archive of uncompressed
     * entries, like {@code np.savez(path, **arrays)}.
     *
     * @param arrays name → tensor; names must be non-empty (entry {@code <name>.npy})
     * @throws IllegalArgumentException for a null or empty name or a null tensor (before writing)
     * @throws IllegalStateException if a tensor was closed (before writing)
     * @throws IOException if the file cannot be written
     */
    public static void write(Path path, Map<String, Tensor> arrays) throws IOException {
        writeFile(path, arrays, false);
    }

    /**
     * Writes {@code arrays} to {@code path} as an archive of deflated entries, like
     * {@code np.savez_compressed(path, **arrays)}.
     *
     * @throws IllegalArgumentException for a null or empty name or a null tensor (before writing)
     * @throws IllegalStateException if a tensor was closed (before writing)
     * @throws IOException if the file cannot be written
     */
    public static void writeCompressed(Path path, Map<String, Tensor> arrays) throws IOException {
        writeFile(path, arrays, true);
    }

    private static void writeFile(Path path, Map<String, Tensor> arrays, boolean compress) throws IOException {
        Npy.requireNonNull(path, "path");
        validate(arrays);
        try (OutputStream out = Files.newOutputStream(path)) {
            write(out, arrays, compress);
        }
    }

    /**
     * Writes {@code arrays} as a complete archive to {@code out}, deflated when {@code compress};
     * {@code out} is flushed but not closed.
     *
     * @throws IllegalArgumentException for a null or empty name or a null tensor (before writing)
     * @throws IllegalStateException if a tensor was closed (before writing)
     * @throws IOException if writing fails
     */
    public static void write(OutputStream out, Map<String, Tensor> arrays, boolean compress) throws IOException {
        Npy.requireNonNull(out, "out");
        validate(arrays);
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(compress ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
        WritableByteChannel ch = Channels.newChannel(zip);
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
            try (Scope scope = Scope.open()) {
                Tensor host = a.getValue().to(Device.CPU);
                byte[] header = Npy.header(host.dtype(), host.shape());
                MemorySegment data = host.cpuSegment();
                ZipEntry e = new ZipEntry(a.getKey() + SUFFIX);
                e.setTimeLocal(FIXED_TIME);
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    for (long pos = 0; pos < data.byteSize(); pos += 1L << 30) {
                        crc.update(data.asSlice(pos, Math.min(1L << 30, data.byteSize() - pos)).asByteBuffer());
                    }
                    long size = header.length + data.byteSize();
                    e.setSize(size);
                    e.setCompressedSize(size);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(header);
                Npy.writeData(ch, data);
                zip.closeEntry();
            }
        }
        zip.finish();
        zip.flush();
    }

    private static void validate(Map<String, Tensor> arrays) {
        Npy.requireNonNull(arrays, "arrays");
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
            if (a.getKey() == null || a.getKey().isEmpty()) {
                throw new IllegalArgumentException("array names must be non-empty, got " + (a.getKey() == null ? "null" : "''"));
            }
            if (a.getValue() == null) {
                throw new IllegalArgumentException("array '" + a.getKey() + "' must not be null");
            }
            Npy.requireWritable(a.getValue());
        }
    }
}
