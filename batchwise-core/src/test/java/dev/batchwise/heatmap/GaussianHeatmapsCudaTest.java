package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.heatmap.GaussianRadius.Formula;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.tensor.TensorErrorFlags;
import dev.batchwise.testing.Backends;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CUDA against the CPU, bit for bit, on W3-sized problems; device-side error reports. */
class GaussianHeatmapsCudaTest {
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void w3WorkloadsMatchTheCpuBitForBit(Device cuda) {
        Backends.assumeUsable(cuda);
        for (String id : new String[] {"W3-a", "W3-b", "W3-c", "W3-d"}) {
            Scene sc = KernelCheckCases.w3(id);
            for (GaussianStamp stamp : new GaussianStamp[] {GaussianStamp.MMDET_CUTOFF, GaussianStamp.ACCVLAB_NO_CUT}) {
                GaussianDrawOptions o = GaussianDrawOptions.of(stamp).withZeroFill(true).withK(0.8f);
                try (Scope s = Scope.open()) {
                    Tensor cpu = Tensor.full(7, DType.FLOAT32, Device.CPU, sc.b, sc.c, sc.h, sc.w);
                    Tensor gpu = cpu.to(cuda);
                    GaussianHeatmaps.drawClasswiseInto(cpu, sc.paddedCenters(Device.CPU), sc.paddedRadii(Device.CPU),
                            sc.paddedLabels(Device.CPU), sc.sampleSizes(Device.CPU), o);
                    GaussianHeatmaps.drawClasswiseInto(gpu, sc.paddedCenters(cuda), sc.paddedRadii(cuda),
                            sc.paddedLabels(cuda), sc.sampleSizes(cuda), o);
                    GaussianHeatmapsTest.assertBitsEqual(cpu.toFloatArray(), gpu.toFloatArray(), id + " " + stamp);
                }
            }
        }
    }

    /** Large radii (beyond the CPU tables) and big maps with many tiles, all modes. */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void largeMapsAndRadiiMatchTheCpu(Device cuda) {
        Backends.assumeUsable(cuda);
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 3;
        int h = 300;
        int w = 700;
        int t = 400;
        int[] xy = new int[2 * t];
        int[] r = new int[t];
        float[] fxy = new float[2 * t];
        float[] fr = new float[t];
        int[] idx = new int[t];
        for (int i = 0; i < t; i++) {
            r[i] = rnd.nextInt(10) == 0 ? 200 + rnd.nextInt(200) : rnd.nextInt(40);
            xy[2 * i] = rnd.nextInt(w + 2 * r[i]) - r[i];
            xy[2 * i + 1] = rnd.nextInt(h + 2 * r[i]) - r[i];
            fr[i] = (float) (rnd.nextDouble() * 30);
            fxy[2 * i] = (float) (rnd.nextDouble() * (w + 20) - 10);
            fxy[2 * i + 1] = (float) (rnd.nextDouble() * (h + 20) - 10);
            idx[i] = rnd.nextInt(n);
        }
        for (GaussianStamp stamp : GaussianStamp.values()) {
            GaussianDrawOptions o = GaussianDrawOptions.of(stamp).withK(0.9f);
            try (Scope s = Scope.open()) {
                Tensor c = stamp.floatCenters() ? Tensor.of(fxy, t, 2) : Tensor.of(xy, t, 2);
                Tensor rr = stamp.floatCenters() ? Tensor.of(fr, t) : Tensor.of(r, t);
                Tensor cpu = Tensor.zeros(DType.FLOAT32, Device.CPU, n, h, w);
                Tensor gpu = cpu.to(cuda);
                GaussianHeatmaps.drawInto(cpu, c, rr, Tensor.of(idx, t), o);
                GaussianHeatmaps.drawInto(gpu, c.to(cuda), rr.to(cuda), Tensor.of(idx, t).to(cuda), o);
                GaussianHeatmapsTest.assertBitsEqual(cpu.toFloatArray(), gpu.toFloatArray(), "large " + stamp);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void deviceErrorsSurfaceWhenTheMapsAreRead(Device cuda) {
        Backends.assumeUsable(cuda);
        GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF);
        try (Scope s = Scope.open()) {
            Tensor maps = Tensor.zeros(DType.FLOAT32, cuda, 1, 2, 4, 5);
            Tensor c = Tensor.of(new int[] {1, 1, 2, 2}, 1, 2, 2).to(cuda);
            Tensor r = Tensor.of(new int[] {1, 1}, 1, 2).to(cuda);
            GaussianHeatmaps.drawClasswiseInto(maps, c, r, Tensor.of(new int[] {0, 5}, 1, 2).to(cuda),
                    Tensor.of(new long[] {2}, 1).to(cuda), o);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, maps::toFloatArray);
            assertTrue(e.getMessage().contains("index 5 is out of range for size 2"), e.getMessage());

            Tensor maps2 = Tensor.zeros(DType.FLOAT32, cuda, 2, 4, 5);
            GaussianHeatmaps.drawInto(maps2, c.reshape(2, 2), Tensor.of(new int[] {1, -3}, 2).to(cuda),
                    Tensor.of(new int[] {0, 1}, 2).to(cuda), o);
            assertThrows(IllegalArgumentException.class, maps2::toFloatArray);
        }
    }

    /**
     * Repeated draws into the same maps share one error flag (no zeroing per call); errors must
     * still surface, must not leak into copies taken before the failing draw, and a flag checked
     * clean must not be reused.
     */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void repeatedDrawsIntoTheSameMapsReportEveryError(Device cuda) {
        Backends.assumeUsable(cuda);
        GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withZeroFill(true);
        try (Scope s = Scope.open()) {
            Tensor maps = Tensor.zeros(DType.FLOAT32, cuda, 2, 4, 5);
            Tensor c = Tensor.of(new int[] {1, 1, 2, 2}, 2, 2).to(cuda);
            Tensor good = Tensor.of(new int[] {1, 1}, 2).to(cuda);
            Tensor bad = Tensor.of(new int[] {1, -3}, 2).to(cuda);
            Tensor idx = Tensor.of(new int[] {0, 1}, 2).to(cuda);
            GaussianHeatmaps.drawInto(maps, c, good, idx, o);
            GaussianHeatmaps.drawInto(maps, c, good, idx, o);
            assertTrue(TensorErrorFlags.pendingCount(maps) == 1, "one flag for repeated draws");
            Tensor before = maps.copy();
            GaussianHeatmaps.drawInto(maps, c, bad, idx, o);
            assertTrue(TensorErrorFlags.pendingCount(maps) == 2, "a copy carried the flag: a new one");
            assertThrows(IllegalArgumentException.class, maps::toFloatArray);
            float[] clean = before.toFloatArray();
            assertTrue(clean[6] == 1.0f, "the copy holds the first drawing");

            Tensor maps2 = Tensor.zeros(DType.FLOAT32, cuda, 2, 4, 5);
            GaussianHeatmaps.drawInto(maps2, c, good, idx, o);
            maps2.toFloatArray(); // checked clean: the flag is dropped and must not be reused
            assertTrue(TensorErrorFlags.pendingCount(maps2) == 0, "checked clean");
            GaussianHeatmaps.drawInto(maps2, c, bad, idx, o);
            assertThrows(IllegalArgumentException.class, maps2::toFloatArray);

            Tensor maps3 = Tensor.zeros(DType.FLOAT32, cuda, 2, 4, 5);
            for (int i = 0; i < 5; i++) {
                GaussianHeatmaps.drawInto(maps3, c, good, idx, o);
                GaussianHeatmaps.drawInto(maps2.narrow(0, 0, 1), c, good, Tensor.of(new int[] {0, 0}, 2).to(cuda), o);
            }
            GaussianHeatmaps.drawInto(maps3, c, bad, idx, o);
            assertThrows(IllegalArgumentException.class, maps3::toFloatArray);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void mixedDevicesAreRejected(Device cuda) {
        Backends.assumeUsable(cuda);
        try (Scope s = Scope.open()) {
            Tensor maps = Tensor.zeros(DType.FLOAT32, Device.CPU, 2, 4, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GaussianHeatmaps.drawInto(
                    maps, Tensor.of(new int[] {1, 1, 2, 2}, 2, 2).to(cuda), Tensor.of(new int[] {1, 1}, 2),
                    Tensor.of(new int[] {0, 1}, 2), 1f, GaussianStamp.MMDET_CUTOFF));
            assertTrue(e.getMessage().startsWith("centers must be on the same device as maps"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void targetRadiiMatchTheCpu(Device cuda) {
        Backends.assumeUsable(cuda);
        SplittableRandom rnd = new SplittableRandom(3);
        float[] hw = new float[20_000];
        for (int i = 0; i < hw.length; i++) {
            hw[i] = (float) (rnd.nextDouble() * 200);
        }
        try (Scope s = Scope.open()) {
            Tensor sizes = Tensor.of(hw, 100, 100, 2);
            for (Formula f : Formula.values()) {
                for (double o : new double[] {0.1, 0.5, 0.7}) {
                    assertArrayEquals(GaussianRadius.targetRadii(sizes, f, o, 2).toIntArray(),
                            GaussianRadius.targetRadii(sizes.to(cuda), f, o, 2).toIntArray(), f + " " + o);
                }
            }
        }
    }
}
