package dev.batchwise.heatmap;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes drawing cases with their CPU results for scripts/kernel-check, a standalone CUDA harness
 * that runs heatmap.cu's kernel on a GPU and compares bit for bit (used while the Java CUDA
 * runtime is not available on the machine that builds). Not a test; run with
 * {@code java -cp target/classes:target/test-classes dev.batchwise.heatmap.KernelCheckCases FILE}.
 */
public final class KernelCheckCases {
    private KernelCheckCases() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        ByteBuffer buf = ByteBuffer.allocate(1 << 28).order(ByteOrder.LITTLE_ENDIAN);
        int cases = 0;
        int pos = buf.position();
        buf.putInt(0);
        for (GaussianStamp stamp : GaussianStamp.values()) {
            for (long seed = 0; seed < 30; seed++) {
                GaussianDrawOptions o = GaussianHeatmapsTest.options(stamp, seed);
                int classes = 1 + (int) (seed % 3);
                Scene sc = Scene.random(stamp, classes, 9000 + seed);
                writeScene(buf, "concat-" + stamp + "-" + seed, sc, DrawRequest.Format.CONCATENATED, o);
                writeScene(buf, "classwise-" + stamp + "-" + seed, sc, DrawRequest.Format.CLASSWISE, o);
                Scene sb = Scene.random(stamp, 1, 9500 + seed);
                writeScene(buf, "batched-" + stamp + "-" + seed, sb, DrawRequest.Format.BATCHED, o);
                cases += 3;
            }
        }
        // More objects per sample than one collection round of the kernel (512) takes.
        writeScene(buf, "many-classwise-MMDET", many(3, 4, 1300, 9801), DrawRequest.Format.CLASSWISE,
                GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withK(0.8f));
        writeScene(buf, "many-batched-ACCVLAB", many(2, 1, 1100, 9802), DrawRequest.Format.BATCHED,
                GaussianDrawOptions.of(GaussianStamp.ACCVLAB_NO_CUT).withZeroFill(true));
        cases += 2;
        for (String w : new String[] {"W3-a", "W3-b", "W3-c", "W3-d"}) {
            writeScene(buf, w, w3(w), w.equals("W3-a") ? DrawRequest.Format.BATCHED : DrawRequest.Format.CLASSWISE,
                    GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true), 200);
            cases++;
        }
        buf.putInt(pos, cases);
        try (DataOutputStream s = new DataOutputStream(Files.newOutputStream(out))) {
            s.write(buf.array(), 0, buf.position());
        }
        System.out.println(cases + " cases, " + buf.position() + " bytes");
    }

    /** b samples of c classes of 64×96 maps, up to m objects each, radii 0..20, centres partly outside. */
    static Scene many(int b, int c, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int h = 64;
        int w = 96;
        int[] sizes = new int[b];
        float[] x = new float[b * m];
        float[] y = new float[b * m];
        float[] r = new float[b * m];
        int[] labels = new int[b * m];
        for (int s = 0; s < b; s++) {
            sizes[s] = m / 2 + rnd.nextInt(m / 2 + 1);
            for (int t = 0; t < sizes[s]; t++) {
                int p = s * m + t;
                x[p] = rnd.nextInt(w + 20) - 10;
                y[p] = rnd.nextInt(h + 20) - 10;
                r[p] = rnd.nextInt(21);
                labels[p] = rnd.nextInt(c);
            }
        }
        float[] initial = new float[b * c * h * w];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = rnd.nextInt(10) == 0 ? (float) rnd.nextDouble() : 0f;
        }
        return new Scene(GaussianStamp.MMDET_CUTOFF, b, c, h, w, m, sizes, x, y, r, labels, initial);
    }

    /** The W3 workloads of workloads.md (batched W3-a, class-wise otherwise). */
    static Scene w3(String id) {
        int b;
        int c;
        int h;
        int w;
        int lo;
        int hi;
        int rlo;
        int rhi;
        switch (id) {
            case "W3-a" -> { b = 48; c = 1; h = 20; w = 50; lo = 0; hi = 50; rlo = 1; rhi = 4; }
            case "W3-b" -> { b = 48; c = 20; h = 20; w = 50; lo = 0; hi = 50; rlo = 1; rhi = 4; }
            case "W3-c" -> { b = 8; c = 10; h = 128; w = 128; lo = 20; hi = 100; rlo = 2; rhi = 8; }
            default -> { b = 8; c = 10; h = 180; w = 180; lo = 100; hi = 500; rlo = 2; rhi = 12; }
        }
        SplittableRandom rnd = new SplittableRandom(id.hashCode());
        int m = hi;
        int[] sizes = new int[b];
        float[] x = new float[b * m];
        float[] y = new float[b * m];
        float[] r = new float[b * m];
        int[] labels = new int[b * m];
        for (int s = 0; s < b; s++) {
            sizes[s] = lo + rnd.nextInt(hi - lo + 1);
            for (int t = 0; t < sizes[s]; t++) {
                int p = s * m + t;
                x[p] = rnd.nextInt(w);
                y[p] = rnd.nextInt(h);
                r[p] = rlo + rnd.nextInt(rhi - rlo + 1);
                labels[p] = rnd.nextInt(c);
            }
        }
        return new Scene(GaussianStamp.MMDET_CUTOFF, b, c, h, w, m, sizes, x, y, r, labels, new float[b * c * h * w]);
    }

    private static void writeScene(ByteBuffer buf, String name, Scene sc, DrawRequest.Format f, GaussianDrawOptions o) {
        writeScene(buf, name, sc, f, o, 0);
    }

    private static void writeScene(ByteBuffer buf, String name, Scene sc, DrawRequest.Format f, GaussianDrawOptions o,
                                   int repeat) {
        Tensor maps = sc.maps(Device.CPU, f == DrawRequest.Format.CLASSWISE);
        float[] initial = maps.toFloatArray();
        Tensor centers;
        Tensor radii;
        Tensor keys = null;
        Tensor sizes = null;
        int samples;
        int slots;
        if (f == DrawRequest.Format.CONCATENATED) {
            Tensor[] in = sc.concatenated(Device.CPU);
            centers = in[0];
            radii = in[1];
            keys = in[2];
            samples = 1;
            slots = (int) radii.shape(0);
            GaussianHeatmaps.drawInto(maps, centers, radii, keys, o);
        } else {
            centers = sc.paddedCenters(Device.CPU);
            radii = sc.paddedRadii(Device.CPU);
            sizes = sc.sampleSizes(Device.CPU);
            samples = sc.b;
            slots = sc.m;
            if (f == DrawRequest.Format.CLASSWISE) {
                keys = sc.paddedLabels(Device.CPU);
                GaussianHeatmaps.drawClasswiseInto(maps, centers, radii, keys, sizes, o);
            } else {
                GaussianHeatmaps.drawBatchedInto(maps, centers, radii, sizes, o);
            }
        }
        int numMaps = sc.b * (f == DrawRequest.Format.BATCHED ? 1 : sc.c);
        int[] header = {f.ordinal(), o.stamp().ordinal(), numMaps, sc.h, sc.w, samples, slots,
            f == DrawRequest.Format.CLASSWISE ? sc.c : 1, o.zeroFill() ? 1 : 0, samples * slots, repeat};
        for (int v : header) {
            buf.putInt(v);
        }
        buf.putDouble(o.sigmaFactor());
        buf.putFloat(o.k());
        byte[] nb = new byte[32];
        byte[] raw = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(raw, 0, nb, 0, Math.min(31, raw.length));
        buf.put(nb);
        putBits(buf, centers);
        putBits(buf, radii);
        if (keys != null) {
            for (int v : keys.toIntArray()) {
                buf.putInt(v);
            }
        }
        if (sizes != null) {
            for (long v : sizes.toLongArray()) {
                buf.putLong(v);
            }
        }
        for (float v : initial) {
            buf.putFloat(v);
        }
        for (float v : maps.toFloatArray()) {
            buf.putFloat(v);
        }
    }

    private static void putBits(ByteBuffer buf, Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) {
                buf.putFloat(v);
            }
        } else {
            for (int v : t.toIntArray()) {
                buf.putInt(v);
            }
        }
    }
}
