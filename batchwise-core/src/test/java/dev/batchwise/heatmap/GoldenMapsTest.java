package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maps drawn by NumPy with mmdet3d's algorithm (scripts/heatmap_fixtures.py): the ACCV-Lab test
 * scenario (48 maps 20×50 from 320×800 images at stride 16, ≤ 50 boxes, k = 0.8) and a border
 * scene with factor 14, where mmdet's eps cut zeroes tail values.
 */
class GoldenMapsTest {
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void mmdetModeIsBitExactToNumPy(Device device) {
        Backends.assumeUsable(device);
        for (String name : new String[] {"accvlab", "edges_f14"}) {
            Fixtures.MapsFixture f = Fixtures.maps(name);
            GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withK(f.k())
                    .withSigmaFactor(f.factor()).withZeroFill(true);
            try (Scope s = Scope.open()) {
                Tensor maps = Tensor.full(3.0, DType.FLOAT32, device, f.n(), f.h(), f.w());
                drawConcatenated(maps, f, o, device);
                GaussianHeatmapsTest.assertBitsEqual(f.expected(), maps.toFloatArray(), name);
            }
        }
    }

    /** ACCV-Lab's own pass criterion for its kernel: MSE < 1e-3 against the per-box reference. */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void accvlabModeMeetsTheReferenceCriterion(Device device) {
        Backends.assumeUsable(device);
        Fixtures.MapsFixture f = Fixtures.maps("accvlab");
        GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.ACCVLAB_NO_CUT).withK(f.k());
        try (Scope s = Scope.open()) {
            Tensor maps = drawBatched(f, o, device);
            float[] got = maps.toFloatArray();
            double se = 0;
            double maxAbs = 0;
            for (int i = 0; i < got.length; i++) {
                double d = got[i] - f.expected()[i];
                se += d * d;
                maxAbs = Math.max(maxAbs, Math.abs(d));
            }
            double mse = se / got.length;
            assertTrue(mse < 1e-3, "MSE " + mse);
            // The two modes differ only by float32 vs float64 rounding of the exponent.
            assertTrue(maxAbs < 1e-6, "max |difference| " + maxAbs);
        }
    }

    /** The same scenario through the batched format (fillers after each sample's objects). */
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void batchedFormatMatchesNumPy(Device device) {
        Backends.assumeUsable(device);
        Fixtures.MapsFixture f = Fixtures.maps("accvlab");
        GaussianDrawOptions o = GaussianDrawOptions.of(GaussianStamp.MMDET_CUTOFF).withK(f.k());
        try (Scope s = Scope.open()) {
            GaussianHeatmapsTest.assertBitsEqual(f.expected(), drawBatched(f, o, device).toFloatArray(), "batched");
        }
    }

    private static void drawConcatenated(Tensor maps, Fixtures.MapsFixture f, GaussianDrawOptions o, Device d) {
        int t = f.objects().length;
        int[] xy = new int[2 * t];
        int[] r = new int[t];
        long[] idx = new long[t];
        for (int i = 0; i < t; i++) {
            idx[i] = f.objects()[i][0];
            xy[2 * i] = f.objects()[i][1];
            xy[2 * i + 1] = f.objects()[i][2];
            r[i] = f.objects()[i][3];
        }
        GaussianHeatmaps.drawInto(maps, Tensor.of(xy, t, 2).to(d), Tensor.of(r, t).to(d), Tensor.of(idx, t).to(d), o);
    }

    private static Tensor drawBatched(Fixtures.MapsFixture f, GaussianDrawOptions o, Device d) {
        int b = f.n();
        int m = 50;
        int[] xy = new int[b * m * 2];
        int[] r = new int[b * m];
        int[] sizes = new int[b];
        java.util.Arrays.fill(xy, 2);
        java.util.Arrays.fill(r, 1);
        for (int[] obj : f.objects()) {
            int p = obj[0] * m + sizes[obj[0]]++;
            xy[2 * p] = obj[1];
            xy[2 * p + 1] = obj[2];
            r[p] = obj[3];
        }
        Tensor maps = Tensor.zeros(DType.FLOAT32, d, b, f.h(), f.w());
        GaussianHeatmaps.drawBatchedInto(maps, Tensor.of(xy, b, m, 2).to(d), Tensor.of(r, b, m).to(d),
                Tensor.of(sizes, b).to(d), o);
        return maps;
    }
}
