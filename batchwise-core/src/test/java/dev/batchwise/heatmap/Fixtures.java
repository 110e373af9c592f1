package dev.batchwise.heatmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads the golden files written by {@code scripts/heatmap_fixtures.py}. */
final class Fixtures {
    private Fixtures() {}

    /** A drawn scene: maps {@code (n, h, w)}, objects {@code (map, x, y, r)}, the expected maps. */
    record MapsFixture(int n, int h, int w, int[][] objects, float[] expected, float k, double factor) {}

    static MapsFixture maps(String name) {
        ByteBuffer in = bytes("maps_" + name + ".i32");
        int n = in.getInt();
        int h = in.getInt();
        int w = in.getInt();
        int t = in.getInt();
        int[][] objects = new int[t][4];
        for (int[] o : objects) {
            for (int j = 0; j < 4; j++) {
                o[j] = in.getInt();
            }
        }
        ByteBuffer out = bytes("maps_" + name + ".f32");
        float[] expected = new float[n * h * w];
        out.asFloatBuffer().get(expected);
        String[] kf = text("maps_" + name + ".txt").trim().split("\\s+");
        return new MapsFixture(n, h, w, objects, expected, Float.parseFloat(kf[0]), Double.parseDouble(kf[1]));
    }

    static String text(String name) {
        return new String(raw(name), StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(String name) {
        return ByteBuffer.wrap(raw(name)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] raw(String name) {
        try (InputStream s = Fixtures.class.getResourceAsStream(name)) {
            if (s == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
