package dev.batchwise.cli.bench.workloads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the little-endian NumPy .npy (version 1.0) files that the SciPy baseline script loads. */
final class NpyFiles {
    private NpyFiles() {}

    /** Writes {@code data} (float32) with {@code shape}. */
    static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        write(file, "<f4", shape, buf.array());
    }

    /** Writes {@code data} (int64) with {@code shape}. */
    static void writeInt64(Path file, long[] data, long... shape) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        write(file, "<i8", shape, buf.array());
    }

    private static void write(Path file, String descr, long[] shape, byte[] payload) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String s = dims.length() == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + dims.substring(0, dims.length() - 2) + ")";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            int len = header.length();
            out.write(new byte[] {(byte) (len & 0xff), (byte) (len >>> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
        }
    }
}
