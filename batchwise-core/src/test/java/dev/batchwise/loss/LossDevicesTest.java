package dev.batchwise.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every backend returns results on the inputs' device that equal the CPU results. */
class LossDevicesTest {
    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void focalAndMatchedL1AgreeWithCpu(Device device) {
        Backends.assumeUsable(device);
        SplittableRandom r = new SplittableRandom(31);
        float[] x = new float[2 * 3 * 4 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        try (Scope s = Scope.open()) {
            Tensor logits = Tensor.of(x, 2, 3, 4, 3);
            Tensor gtLabels = Tensor.of(new long[] {0, 2, 1, 1, 1, 1, 2, 0, 1}, 3, 3);
            MatchedPairs cpuPairs = MatchedLossesTest.pairs();
            LossResult cpu = FocalLoss.sigmoidMatched(logits, cpuPairs, gtLabels, 0.25, 2, 2,
                    Reduction.avgFactor(6).keepLeading(1));
            MatchedPairs devPairs = new MatchedPairs(cpuPairs.predIndices().to(device), cpuPairs.gtIndices().to(device),
                    cpuPairs.counts().to(device));
            LossResult dev = FocalLoss.sigmoidMatched(logits.to(device), devPairs, gtLabels.to(device), 0.25, 2, 2,
                    Reduction.avgFactor(6).keepLeading(1));
            assertEquals(device, dev.value().device());
            assertEquals(device, dev.gradient().device());
            assertArrayEquals(cpu.value().toDoubleArray(), dev.value().toDoubleArray(), 1e-12);
            assertArrayEquals(cpu.gradient().toFloatArray(), dev.gradient().toFloatArray(), 1e-7f);
            Tensor tgt = Tensor.of(new float[3 * 3 * 3], 3, 3, 3);
            Tensor boxes = logits.to(device);
            LossResult l1 = L1Loss.matched(boxes, tgt.to(device), devPairs, null, 1, Reduction.sum());
            LossResult l1Cpu = L1Loss.matched(logits, tgt, cpuPairs, null, 1, Reduction.sum());
            assertEquals(l1Cpu.scalar(), l1.scalar(), 1e-9);
            assertEquals(device, l1.gradient().device());
        }
    }
}
