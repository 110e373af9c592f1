package dev.batchwise.heatmap;

import dev.batchwise.cpu.CpuPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * CPU drawing: reads and checks every object first (nothing is written when an input is bad),
 * buckets the objects by target map, then draws the maps in parallel on {@link CpuPool} — each
 * task owns whole maps, so no two threads write the same element. Integer-mode stamps come from
 * {@link StampTables}; everything else is evaluated by {@link GaussianValues}.
 */
final class CpuGaussianHeatmaps {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    /** Roughly the number of map elements worth one parallel task. */
    private static final int ELEMENTS_PER_TASK = 32_768;

    private CpuGaussianHeatmaps() {}

    static void draw(DrawRequest q) {
        ObjectList objects = ObjectList.read(q);
        int[] start = new int[q.numMaps() + 1];
        int[] order = objects.bucketByMap(q.numMaps(), start);
        MemorySegment maps = q.maps().cpuSegment();
        long mapElements = (long) q.height() * q.width();
        int grain = (int) Math.max(1, ELEMENTS_PER_TASK / Math.max(1, mapElements));
        GaussianDrawOptions o = q.options();
        CpuPool.parallelFor(q.numMaps(), grain, m -> {
            long base = m * mapElements * Float.BYTES;
            if (o.zeroFill()) {
                maps.asSlice(base, mapElements * Float.BYTES).fill((byte) 0);
            }
            for (int i = start[m]; i < start[m + 1]; i++) {
                int t = order[i];
                if (objects.floatCenters()) {
                    stampFloat(maps, base, q.height(), q.width(), objects.fx[t], objects.fy[t], objects.fr[t], o);
                } else {
                    stampInteger(maps, base, q.height(), q.width(), objects.ix[t], objects.iy[t], objects.ir[t], o);
                }
            }
        });
    }

    private static void stampInteger(MemorySegment maps, long base, int h, int w, int cx, int cy, int r,
                                     GaussianDrawOptions o) {
        long x0 = Math.max(0, (long) cx - r);
        long x1 = Math.min(w - 1L, (long) cx + r);
        long y0 = Math.max(0, (long) cy - r);
        long y1 = Math.min(h - 1L, (long) cy + r);
        if (x0 > x1 || y0 > y1) {
            return;
        }
        int mode = o.stamp().ordinal();
        float k = o.k();
        if (r <= StampTables.MAX_CACHED_RADIUS) {
            float[] tab = StampTables.get(mode, o.sigmaFactor(), r);
            int d = 2 * r + 1;
            int n = (int) (x1 - x0 + 1);
            for (long y = y0; y <= y1; y++) {
                int trow = (int) ((y - cy + r) * d + (x0 - cx + r));
                long off = base + (y * w + x0) * Float.BYTES;
                for (int i = 0; i < n; i++) {
                    long a = off + (long) i * Float.BYTES;
                    maps.set(F32, a, Math.max(maps.get(F32, a), tab[trow + i] * k));
                }
            }
            return;
        }
        double var = GaussianValues.integerVar(mode, r, o.sigmaFactor());
        for (long y = y0; y <= y1; y++) {
            double dy = (double) y - cy;
            for (long x = x0; x <= x1; x++) {
                double dx = (double) x - cx;
                float v = GaussianValues.value(mode, dx * dx + dy * dy, var) * k;
                long a = base + (y * w + x) * Float.BYTES;
                maps.set(F32, a, Math.max(maps.get(F32, a), v));
            }
        }
    }

    private static void stampFloat(MemorySegment maps, long base, int h, int w, float cx, float cy, float r,
                                   GaussianDrawOptions o) {
        double x0 = Math.max(Math.floor(cx - r), 0.0);
        double x1 = Math.min(Math.ceil(cx + r), w - 1.0);
        double y0 = Math.max(Math.floor(cy - r), 0.0);
        double y1 = Math.min(Math.ceil(cy + r), h - 1.0);
        if (x0 > x1 || y0 > y1) {
            return;
        }
        double icx = Math.floor(cx);
        double icy = Math.floor(cy);
        double var = GaussianValues.floatVar(r, o.sigmaFactor());
        float k = o.k();
        for (long y = (long) y0; y <= (long) y1; y++) {
            double dy = y - icy;
            for (long x = (long) x0; x <= (long) x1; x++) {
                double dx = x - icx;
                float v = GaussianValues.value(GaussianValues.DALI, dx * dx + dy * dy, var) * k;
                long a = base + (y * w + x) * Float.BYTES;
                maps.set(F32, a, Math.max(maps.get(F32, a), v));
            }
        }
    }

    /** The objects to draw (fillers dropped), read from the request's tensors and checked. */
    private static final class ObjectList {
        int count;
        int[] map;
        int[] ix;
        int[] iy;
        int[] ir;
        float[] fx;
        float[] fy;
        float[] fr;

        boolean floatCenters() {
            return fx != null;
        }

        static ObjectList read(DrawRequest q) {
            long[] sizes = q.sampleSizes() == null ? null : q.sampleSizes().toLongArray();
            long[] keys = q.keys() == null ? null : q.keys().toLongArray();
            boolean floats = q.options().stamp().floatCenters();
            int[] ic = floats ? null : q.centers().toIntArray();
            int[] irad = floats ? null : q.radii().toIntArray();
            float[] fc = floats ? q.centers().toFloatArray() : null;
            float[] frad = floats ? q.radii().toFloatArray() : null;
            int total = 0;
            for (int b = 0; b < q.samples(); b++) {
                total += sizes == null ? q.slots() : checkSize(sizes, b, q.slots());
            }
            ObjectList l = new ObjectList();
            l.map = new int[total];
            if (floats) {
                l.fx = new float[total];
                l.fy = new float[total];
                l.fr = new float[total];
            } else {
                l.ix = new int[total];
                l.iy = new int[total];
                l.ir = new int[total];
            }
            for (int b = 0; b < q.samples(); b++) {
                int n = sizes == null ? q.slots() : (int) sizes[b];
                for (int t = 0; t < n; t++) {
                    int p = b * q.slots() + t;
                    int i = l.count++;
                    l.map[i] = mapOf(q, keys, b, t, p);
                    if (floats) {
                        l.fx[i] = checkFinite(fc[2 * p], "centers", q, b, t, "[0]");
                        l.fy[i] = checkFinite(fc[2 * p + 1], "centers", q, b, t, "[1]");
                        l.fr[i] = checkFinite(frad[p], "radii", q, b, t, "");
                        if (!(l.fr[i] >= 0)) {
                            throw new IllegalArgumentException(
                                    "radii" + position(q, b, t) + " must be >= 0, got " + l.fr[i]);
                        }
                    } else {
                        l.ix[i] = ic[2 * p];
                        l.iy[i] = ic[2 * p + 1];
                        l.ir[i] = irad[p];
                        if (irad[p] < 0) {
                            throw new IllegalArgumentException(
                                    "radii" + position(q, b, t) + " must be >= 0, got " + irad[p]);
                        }
                    }
                }
            }
            return l;
        }

        private static int checkSize(long[] sizes, int b, int slots) {
            if (sizes[b] < 0 || sizes[b] > slots) {
                throw new IllegalArgumentException("sampleSizes[" + b + "] must be in [0, " + slots
                        + "] (the padded number of objects per sample), got " + sizes[b]);
            }
            return (int) sizes[b];
        }

        private static int mapOf(DrawRequest q, long[] keys, int b, int t, int p) {
            switch (q.format()) {
                case BATCHED:
                    return b;
                case CONCATENATED:
                    if (keys[p] < 0 || keys[p] >= q.numMaps()) {
                        throw new IndexOutOfBoundsException("mapIndex[" + t + "] = " + keys[p]
                                + " is out of range [0, " + q.numMaps() + ") (the number of maps)");
                    }
                    return (int) keys[p];
                default:
                    if (keys[p] < 0 || keys[p] >= q.classes()) {
                        throw new IndexOutOfBoundsException("labels[" + b + ", " + t + "] = " + keys[p]
                                + " is out of range [0, " + q.classes() + ") (the number of classes of maps)");
                    }
                    return b * q.classes() + (int) keys[p];
            }
        }

        private static float checkFinite(float v, String name, DrawRequest q, int b, int t, String suffix) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + position(q, b, t) + suffix + " must be finite, got " + v);
            }
            return v;
        }

        private static String position(DrawRequest q, int b, int t) {
            return q.format() == DrawRequest.Format.CONCATENATED ? "[" + t + "]" : "[" + b + ", " + t + "]";
        }

        /** Counting sort of the object numbers by target map; {@code start} gets the bucket bounds. */
        int[] bucketByMap(int numMaps, int[] start) {
            for (int i = 0; i < count; i++) {
                start[map[i] + 1]++;
            }
            for (int m = 0; m < numMaps; m++) {
                start[m + 1] += start[m];
            }
            int[] next = start.clone();
            int[] order = new int[count];
            for (int i = 0; i < count; i++) {
                order[next[map[i]]++] = i;
            }
            return order;
        }
    }
}
