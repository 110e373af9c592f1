package dev.batchwise.heatmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.heatmap.GaussianRadius.Formula;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Radius formulas against values computed by scripts/heatmap_fixtures.py from the published code. */
class GaussianRadiusTest {
    private static List<double[]> table() {
        List<double[]> rows = new ArrayList<>();
        for (String line : Fixtures.text("radius.csv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.trim().split(" ");
            double[] row = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                row[i] = Double.parseDouble(p[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Python evaluates {@code b ** 2} through libm's pow, which is not always the correctly rounded
     * square; we square by multiplication, so allow a few ulp.
     */
    @Test
    void float64MatchesPythonFloats() {
        for (double[] r : table()) {
            assertEquals(r[3], GaussianRadius.radius(Formula.CORNERNET_ORIGINAL, r[0], r[1], r[2]),
                    1e-13 * Math.max(1, r[3]), "original " + r[0] + "x" + r[1]);
            assertEquals(r[4], GaussianRadius.radius(Formula.CORRECTED, r[0], r[1], r[2]),
                    1e-13 * Math.max(1, r[4]), "corrected " + r[0] + "x" + r[1]);
        }
    }

    @Test
    void float32MatchesTensorArithmetic() {
        for (double[] r : table()) {
            float h = (float) r[0];
            float w = (float) r[1];
            assertEquals((float) r[5], GaussianRadius.radiusFloat32(Formula.CORNERNET_ORIGINAL, h, w, r[2]), 0.0f);
            assertEquals((float) r[6], GaussianRadius.radiusFloat32(Formula.CORRECTED, h, w, r[2]), 0.0f);
        }
    }

    @Test
    void variantsDifferAsPublished() {
        // The original takes the larger root, so it is never smaller than the corrected radius.
        for (double[] r : table()) {
            double orig = GaussianRadius.radius(Formula.CORNERNET_ORIGINAL, r[0], r[1], r[2]);
            double corr = GaussianRadius.radius(Formula.CORRECTED, r[0], r[1], r[2]);
            assertEquals(true, orig >= corr, r[0] + "x" + r[1]);
        }
        // A 10x10 box at overlap 0.7, by hand: the three corrected roots and the three original ones.
        double r1 = (20 - Math.sqrt(400 - 4 * (100 * 0.3 / 1.7))) / 2;
        double r2 = (40 - Math.sqrt(1600 - 16 * 30)) / 8;
        double r3 = (-28 + Math.sqrt(28 * 28 - 4 * 2.8 * -30)) / 5.6;
        assertEquals(Math.min(r1, Math.min(r2, r3)), GaussianRadius.radius(Formula.CORRECTED, 10, 10, 0.7), 1e-12);
        double o1 = (20 + Math.sqrt(400 - 4 * (100 * 0.3 / 1.7))) / 2;
        double o2 = (40 + Math.sqrt(1600 - 16 * 30)) / 2;
        double o3 = (-28 + Math.sqrt(28 * 28 - 4 * 2.8 * -30)) / 2;
        assertEquals(Math.min(o1, Math.min(o2, o3)),
                GaussianRadius.radius(Formula.CORNERNET_ORIGINAL, 10, 10, 0.7), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void targetRadiiApplyTheMmdet3dRule(Device device) {
        Backends.assumeUsable(device);
        List<double[]> rows = table();
        float[] hw = new float[rows.size() * 2];
        int[] expected = new int[rows.size()];
        int[] expectedCorrected = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            hw[2 * i] = (float) r[0];
            hw[2 * i + 1] = (float) r[1];
            expected[i] = Math.max(2, (int) (float) r[5]);
            expectedCorrected[i] = Math.max(2, (int) (float) r[6]);
        }
        // The overlap varies per row in the table; targetRadii takes one overlap, so check by groups.
        for (double o : new double[] {0.1, 0.3, 0.5, 0.7}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i)[2] == o) {
                    idx.add(i);
                }
            }
            float[] sub = new float[idx.size() * 2];
            int[] exp = new int[idx.size()];
            int[] expC = new int[idx.size()];
            for (int j = 0; j < idx.size(); j++) {
                sub[2 * j] = hw[2 * idx.get(j)];
                sub[2 * j + 1] = hw[2 * idx.get(j) + 1];
                exp[j] = expected[idx.get(j)];
                expC[j] = expectedCorrected[idx.get(j)];
            }
            try (Scope s = Scope.open()) {
                Tensor sizes = Tensor.of(sub, 1, idx.size(), 2).to(device);
                Tensor got = GaussianRadius.targetRadii(sizes, Formula.CORNERNET_ORIGINAL, o, 2);
                assertArrayEquals(new long[] {1, idx.size()}, got.shape());
                assertArrayEquals(exp, got.toIntArray(), "overlap " + o);
                assertArrayEquals(expC, GaussianRadius.targetRadii(sizes, Formula.CORRECTED, o, 2).toIntArray());
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GaussianRadius.radius(Formula.CORRECTED, -1, 2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> GaussianRadius.radius(Formula.CORRECTED, 1, 2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> GaussianRadius.radius(null, 1, 2, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianRadius.targetRadii(Tensor.of(new float[] {1, 2, 3}, 1, 3), Formula.CORRECTED, 0.5, 0));
        assertEquals("sizes must have shape (..., 2), got (1, 3)", e.getMessage());
    }
}
