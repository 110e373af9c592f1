package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every mode × format × backend against the per-object reference, bit for bit. */
class GaussianHeatmapsTest {
    private static final int SCENES = 40;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Backends.all().forEach(d -> {
            for (GaussianStamp s : GaussianStamp.values()) {
                out.add(Arguments.of(d, s));
            }
        });
        return out.stream();
    }

    /** Options varied per scene: k, σ factor (14 makes mmdet's cut bite), zero-fill. */
    static GaussianDrawOptions options(GaussianStamp stamp, long seed) {
        float k = seed % 3 == 0 ? 1.0f : seed % 3 == 1 ? 0.8f : 0.37f;
        double f = stamp.floatCenters() ? (seed % 2 == 0 ? 1.0 / 3.0 : 0.5) : (seed % 4 == 3 ? 14.0 : 6.0);
        return GaussianDrawOptions.of(stamp).withK(k).withSigmaFactor(f).withZeroFill(seed % 5 == 1);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void concatenatedMatchesReference(Device device, GaussianStamp stamp) {
        Backends.assumeUsable(device);
        for (long seed = 0; seed < SCENES; seed++) {
            Scene sc = Scene.random(stamp, 1 + (int) (seed % 3), 1000 + seed);
            GaussianDrawOptions o = options(stamp, seed);
            try (Scope scope = Scope.open()) {
                Tensor maps = sc.maps(device, false);
                Tensor[] in = sc.concatenated(device);
                GaussianHeatmaps.drawInto(maps, in[0], in[1], in[2], o);
                assertBitsEqual(sc.reference(o), maps.toFloatArray(), "concatenated seed " + seed + " " + o);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void batchedMatchesReference(Device device, GaussianStamp stamp) {
        Backends.assumeUsable(device);
        for (long seed = 0; seed < SCENES; seed++) {
            Scene sc = Scene.random(stamp, 1, 2000 + seed);
            GaussianDrawOptions o = options(stamp, seed);
            try (Scope scope = Scope.open()) {
                Tensor maps = sc.maps(device, false);
                GaussianHeatmaps.drawBatchedInto(maps, sc.paddedCenters(device), sc.paddedRadii(device),
                        sc.sampleSizes(device), o);
                assertBitsEqual(sc.reference(o), maps.toFloatArray(), "batched seed " + seed + " " + o);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void classwiseMatchesReference(Device device, GaussianStamp stamp) {
        Backends.assumeUsable(device);
        for (long seed = 0; seed < SCENES; seed++) {
            Scene sc = Scene.random(stamp, 1 + (int) (seed % 4), 3000 + seed);
            GaussianDrawOptions o = options(stamp, seed);
            try (Scope scope = Scope.open()) {
                Tensor maps = sc.maps(device, true);
                GaussianHeatmaps.drawClasswiseInto(maps, sc.paddedCenters(device), sc.paddedRadii(device),
                        sc.paddedLabels(device), sc.sampleSizes(device), o);
                assertBitsEqual(sc.reference(o), maps.toFloatArray(), "classwise seed " + seed + " " + o);
            }
        }
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])
                    && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }
}
