package dev.batchwise.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Shapes;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward functions against central finite differences of {@code L(x) = Σ w · op(x)} (FLOAT64,
 * random weights {@code w}); the ops are linear in their data, so the differences are exact up to
 * rounding. Filler outputs carry weight too: they do not depend on the input, so their gradient
 * contribution must be 0.
 */
class RaggedBackwardTest {
    private static final double H = 1e-3;

    /** Finite-difference gradient of {@code Σ w · f(x)} with respect to {@code x}. */
    private static double[] numericGradient(Function<Tensor, Tensor> f, Tensor x, Tensor w) {
        double[] xv = x.toDoubleArray();
        double[] g = new double[xv.length];
        double[] wv = w.toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            double[] plus = xv.clone();
            double[] minus = xv.clone();
            plus[i] += H;
            minus[i] -= H;
            g[i] = (dot(wv, f.apply(Tensor.of(plus, x.shape()).to(x.device()))) - dot(wv, f.apply(Tensor.of(minus, x.shape()).to(x.device())))) / (2 * H);
        }
        return g;
    }

    private static double dot(double[] w, Tensor y) {
        double[] v = y.toDoubleArray();
        assertEquals(w.length, v.length);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += w[i] * v[i];
        }
        return s;
    }

    private static void assertGrad(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-6);
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexOpsBackwardMatchFiniteDifferences(Device device) {
        Backends.assumeUsable(device);
        for (long seed = 1; seed <= 12; seed++) {
            RandomRagged r = new RandomRagged(seed);
            int before = r.rnd.nextInt(2);
            long extent = 1 + r.rnd.nextInt(4);
            long width = r.rnd.nextInt(4);
            long[] shape = r.dataShape(before, extent, r.rnd.nextInt(2));
            int axis = r.nb + before;
            Tensor x = r.data(DType.FLOAT64, shape).to(device);
            RaggedBatch dup = r.indices(r.indexType(), width, extent, false).to(device);

            Tensor w = r.data(DType.FLOAT64, IndexOps.withExtent(shape, axis, width)).to(device);
            assertGrad(numericGradient(t -> RaggedOps.indexingAccess(t, dup, 1.5, axis).data(), x, w),
                    RaggedBackward.indexingAccess(w, dup, extent, axis));

            RaggedBatch unique = r.indices(r.indexType(), extent, extent, true).to(device);
            Tensor wt = r.data(DType.FLOAT64, shape).to(device);
            assertGrad(numericGradient(t -> RaggedOps.inverseIndexingAccess(t, unique, extent, 0.5, axis), x, wt),
                    RaggedBackward.inverseIndexingAccess(wt, unique, extent, axis));

            Tensor into = r.data(DType.FLOAT64, shape).to(device);
            RaggedBackward.WriteGrads g = RaggedBackward.indexingWrite(wt, unique, extent, axis);
            assertGrad(numericGradient(t -> RaggedOps.indexingWrite(t, unique, into, axis), x, wt), g.toWrite());
            assertGrad(numericGradient(t -> RaggedOps.indexingWrite(x, unique, t, axis), into, wt), g.toWriteInto());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void indexMappingBackwardMatchesFiniteDifferences(Device device) {
        Backends.assumeUsable(device);
        for (long seed = 20; seed <= 30; seed++) {
            RandomRagged r = new RandomRagged(seed);
            long width = r.rnd.nextInt(4);
            long sources = 1 + r.rnd.nextInt(4);
            long targets = width + r.rnd.nextInt(2);
            long[] srcShape = r.dataShape(0, sources, r.rnd.nextInt(2));
            long[] tgtShape = IndexOps.withExtent(srcShape, r.nb, targets);
            Tensor src = r.data(DType.FLOAT64, srcShape).to(device);
            Tensor tgt = r.data(DType.FLOAT64, tgtShape).to(device);
            RaggedBatch si = r.indices(DType.INT64, width, sources, false).to(device);
            long[] full = new long[Math.toIntExact(r.samples())];
            java.util.Arrays.fill(full, width);
            RaggedBatch ti = r.indices(DType.INT64, width, targets, true, full).to(device);
            Tensor w = r.data(DType.FLOAT64, tgtShape).to(device);
            RaggedBackward.MappingGrads g = RaggedBackward.indexMapping(w, si, ti, sources);
            assertGrad(numericGradient(t -> RaggedOps.indexMapping(t, si, ti, tgt), src, w), g.sourceData());
            assertGrad(numericGradient(t -> RaggedOps.indexMapping(src, si, ti, t), tgt, w), g.targetData());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void maskingAndReductionBackwardMatchFiniteDifferences(Device device) {
        Backends.assumeUsable(device);
        for (long seed = 40; seed <= 50; seed++) {
            RandomRagged r = new RandomRagged(seed);
            int before = r.rnd.nextInt(2);
            long width = r.rnd.nextInt(4);
            long[] shape = r.dataShape(before, width, r.rnd.nextInt(2));
            int axis = r.nb + before;
            Tensor sizes = Tensor.of(r.sizes(width), r.batchShape).to(device);
            Tensor x = r.data(DType.FLOAT64, shape).to(device);
            RaggedBatch b = RaggedBatch.of(x, sizes, axis);
            Tensor w = r.data(DType.FLOAT64, shape).to(device);
            assertGrad(numericGradient(t -> b.withData(t, axis).withPaddedSetTo(3).data(), x, w),
                    RaggedBackward.paddedSet(w, b));
            long[] reduced = TensorAxes.remove(shape, axis);
            Tensor wr = r.data(DType.FLOAT64, reduced).to(device);
            assertGrad(numericGradient(t -> RaggedOps.sumOverTargets(b.withData(t, axis)), x, wr),
                    RaggedBackward.sumOverTargets(wr, b));
            assertGrad(numericGradient(t -> RaggedOps.averageOverTargets(b.withData(t, axis)), x, wr),
                    RaggedBackward.averageOverTargets(wr, b, true));
            // bool indexing along the ragged axis, selected positions as an index batch
            Tensor maskData = r.mask(Shapes.concat(r.batchShape, width)).to(device);
            RaggedBatch mask = RaggedBatch.of(maskData, sizes);
            RaggedBatch out = RaggedOps.boolIndexing(b, mask);
            Tensor wo = r.data(DType.FLOAT64, out.shape()).to(device);
            RaggedBatch selected = RaggedOps.boolIndexingPositions(b, mask); // 1 to 3 batch dims
            assertArrayEquals(MaskOps.indices(maskData, sizes).data().toLongArray(), selected.data().toLongArray());
            assertArrayEquals(out.sampleSizes().toLongArray(), selected.sampleSizes().toLongArray());
            assertGrad(numericGradient(t -> RaggedOps.boolIndexing(b.withData(t, axis), mask).data(), x, wo),
                    RaggedBackward.boolIndexing(wo, selected, width, axis));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void boolIndexingBackwardWithTwoBatchDims(Device device) {
        Backends.assumeUsable(device);
        try (Scope scope = Scope.open()) { // frees every tensor made here
            boolIndexingBackwardWithTwoBatchDimsOn(device);
        }
    }

    private static void boolIndexingBackwardWithTwoBatchDimsOn(Device device) {
        // batch (2, 1), 4 entries of 1 value; sample (0,0) has 3 valid entries, sample (1,0) all 4
        Tensor data = RaggedTesting.doubles(device, DType.FLOAT32, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 4, 1);
        RaggedBatch rb = RaggedBatch.of(data, RaggedTesting.longs(device, new long[] {3, 4}, 2, 1));
        Tensor maskData = Tensor.of(new boolean[] {true, false, true, true, false, true, true, false}, 2, 1, 4)
                .to(device);
        RaggedBatch mask = RaggedBatch.of(maskData, RaggedTesting.longs(device, new long[] {3, 4}, 2, 1));
        RaggedBatch out = RaggedOps.boolIndexing(rb, mask); // position 3 of sample (0,0) is filler
        RaggedBatch selected = RaggedOps.boolIndexingPositions(rb, mask);
        assertArrayEquals(new long[] {2, 1, 2}, selected.shape());
        assertArrayEquals(new long[] {2, 2}, selected.sampleSizes().toLongArray());
        assertArrayEquals(new long[] {0, 2, 1, 2}, selected.data().toLongArray());
        RaggedTesting.assertValues(new double[] {1, 3, 6, 7}, out.data());
        Tensor grad = RaggedTesting.doubles(device, DType.FLOAT32, new double[] {10, 20, 30, 40}, 2, 1, 2, 1);
        RaggedTesting.assertValues(new double[] {10, 0, 20, 0, 0, 30, 40, 0},
                RaggedBackward.boolIndexing(grad, selected, 4, rb.raggedDim()));
        // the same positions from the mask alone
        assertArrayEquals(new long[] {0, 2, 1, 2}, RaggedOps.indicesFromMask(mask).data().toLongArray());
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void duplicateIndicesAccumulate(Device device) {
        Backends.assumeUsable(device);
        RaggedBatch idx = RaggedTesting.indexBatch(device, DType.INT32, 9, new long[] {1}, new long[] {1, 1, 0, -2});
        Tensor grad = RaggedTesting.doubles(device, DType.FLOAT32, new double[] {1, 2, 4, 8}, 1, 4, 1);
        Tensor g = RaggedBackward.indexingAccess(grad, idx, 3);
        RaggedTesting.assertValues(new double[] {4, 11, 0}, g);
    }
}
