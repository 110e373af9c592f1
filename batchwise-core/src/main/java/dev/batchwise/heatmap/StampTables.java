package dev.batchwise.heatmap;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Full {@code (2r+1)×(2r+1)} tables of the integer-mode stamp values (before {@code k}) for the
 * CPU path, row-major with the centre at {@code (r, r)}. Built from {@link GaussianValues}, so they
 * hold exactly the values the CUDA kernels compute on the fly. Tables exist for radii up to
 * {@value #MAX_CACHED_RADIUS} and are cached per (mode, factor) for the life of the JVM; larger
 * stamps are evaluated pixel by pixel.
 */
final class StampTables {
    static final int MAX_CACHED_RADIUS = 256;

    private record Key(int mode, long factorBits) {}

    private static final ConcurrentHashMap<Key, AtomicReferenceArray<float[]>> CACHE = new ConcurrentHashMap<>();

    private StampTables() {}

    /**
     * The table for radius {@code 0 ≤ r ≤ MAX_CACHED_RADIUS} of integer mode {@code mode} with σ
     * factor {@code f}.
     */
    static float[] get(int mode, double f, int r) {
        AtomicReferenceArray<float[]> tables = CACHE.computeIfAbsent(
                new Key(mode, Double.doubleToLongBits(f)), k -> new AtomicReferenceArray<>(MAX_CACHED_RADIUS + 1));
        float[] t = tables.get(r);
        if (t == null) {
            t = build(mode, f, r);
            tables.compareAndSet(r, null, t);
        }
        return t;
    }

    private static float[] build(int mode, double f, int r) {
        int d = 2 * r + 1;
        double var = GaussianValues.integerVar(mode, r, f);
        float[] t = new float[d * d];
        // One quadrant is computed; the others are mirror images (values depend on dx², dy²).
        for (int dy = 0; dy <= r; dy++) {
            for (int dx = 0; dx <= r; dx++) {
                float v = GaussianValues.value(mode, (double) dx * dx + (double) dy * dy, var);
                t[(r + dy) * d + r + dx] = v;
                t[(r + dy) * d + r - dx] = v;
                t[(r - dy) * d + r + dx] = v;
                t[(r - dy) * d + r - dx] = v;
            }
        }
        return t;
    }
}
