package dev.batchwise.assign;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reader of lsa-fixtures.bin, SciPy's answers written by scripts/make-lsa-fixtures.py. */
final class LsaFixtures {
    /** One fixture: a cost matrix and what SciPy's linear_sum_assignment returned for it. */
    record Case(String name, boolean float32, boolean maximize, int rows, int cols, double[] costs,
                AssignmentStatus status, long[] rowInd, long[] colInd, double total) {
        @Override
        public String toString() {
            return name + " (" + rows + "x" + cols + (maximize ? ", max" : "") + (float32 ? ", f32" : "") + ")";
        }
    }

    private static List<Case> cached;

    private LsaFixtures() {}

    static synchronized List<Case> all() {
        if (cached == null) {
            cached = List.copyOf(read());
        }
        return cached;
    }

    private static List<Case> read() {
        try (InputStream in = LsaFixtures.class.getResourceAsStream("lsa-fixtures.bin")) {
            if (in == null) {
                throw new IllegalStateException("lsa-fixtures.bin is missing from the test resources");
            }
            ByteBuffer buf = ByteBuffer.wrap(new DataInputStream(in).readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[8];
            buf.get(magic);
            if (!Arrays.equals(magic, "BWLSA01\n".getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalStateException("lsa-fixtures.bin has a bad magic number");
            }
            int count = buf.getInt();
            List<Case> out = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                byte[] name = new byte[buf.getInt()];
                buf.get(name);
                boolean f32 = buf.getInt() == 4;
                boolean max = buf.getInt() != 0;
                int r = buf.getInt();
                int c = buf.getInt();
                double[] costs = new double[r * c];
                buf.asDoubleBuffer().get(costs);
                buf.position(buf.position() + 8 * costs.length);
                AssignmentStatus status = AssignmentStatus.ofCode(buf.getInt());
                int n = buf.getInt();
                long[] rows = new long[n];
                long[] cols = new long[n];
                buf.asLongBuffer().get(rows);
                buf.position(buf.position() + 8 * n);
                buf.asLongBuffer().get(cols);
                buf.position(buf.position() + 8 * n);
                double total = buf.getDouble();
                out.add(new Case(new String(name, StandardCharsets.UTF_8), f32, max, r, c, costs, status, rows, cols,
                        total));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
