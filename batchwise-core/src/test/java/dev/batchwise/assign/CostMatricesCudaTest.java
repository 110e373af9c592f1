package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import dev.batchwise.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CUDA cost kernel against the CPU implementation, term by term, combined, and through the assigners. */
class CostMatricesCudaTest {
    static final int L = 3;
    static final int B = 4;
    static final int Q = 150;
    static final int C = 7;
    static final int M = 9;
    static final long[] COUNTS = {9, 0, 4, 7};

    static CostInputs inputs(Device device, DType dtype, boolean labels32, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] logits = new double[L * B * Q * C];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = r.nextGaussian() * 4;
        }
        logits[3] = 60;
        logits[4] = -60;
        double[] boxes = new double[L * B * Q * 10];
        for (int i = 0; i < L * B * Q; i++) {
            boxes[i * 10] = r.nextDouble();
            boxes[i * 10 + 1] = r.nextDouble();
            boxes[i * 10 + 2] = 0.3 * r.nextDouble();
            boxes[i * 10 + 3] = 0.3 * r.nextDouble();
            for (int j = 4; j < 10; j++) {
                boxes[i * 10 + j] = r.nextGaussian();
            }
        }
        double[] centers = new double[L * B * Q * 2];
        for (int i = 0; i < centers.length; i++) {
            centers[i] = r.nextDouble();
        }
        long[] labels = new long[B * M];
        double[] gtBoxes = new double[B * M * 10];
        double[] gtCenters = new double[B * M * 2];
        for (int i = 0; i < B * M; i++) {
            labels[i] = r.nextInt(C);
            CostTestBoxes.fill(gtBoxes, i, r, true);
            gtCenters[i * 2] = gtBoxes[i * 10] + 10;
            gtCenters[i * 2 + 1] = gtBoxes[i * 10 + 1] + 5;
        }
        Tensor lab = Tensor.of(labels, B, M);
        return CostInputs.builder()
                .logits(Tensor.of(logits, L, B, Q, C).to(device, dtype))
                .predBoxes(Tensor.of(boxes, L, B, Q, 10).to(device, dtype))
                .predCenters(Tensor.of(centers, L, B, Q, 2).to(device, dtype))
                .gtLabels((labels32 ? lab.to(DType.INT32) : lab).to(device))
                .gtBoxes(Tensor.of(gtBoxes, B, M, 10).to(device, dtype))
                .gtCenters(Tensor.of(gtCenters, B, M, 2).to(device, dtype))
                .gtCounts((labels32 ? Tensor.of(COUNTS, B).to(DType.INT32) : Tensor.of(COUNTS, B)).to(device))
                .imageSize(800, 320)
                .build();
    }

    static List<List<CostTerm>> termLists() {
        List<List<CostTerm>> lists = new ArrayList<>();
        for (CostTerm t : List.of(CostTerm.focal(2, 0.25, 2), CostTerm.focal(1.5, 0.3, 1.5), CostTerm.classification(1),
                CostTerm.bboxL1(5, BoxFormat.XYWH), CostTerm.bboxL1(5, BoxFormat.XYXY), CostTerm.bbox3dL1(0.25, 8),
                CostTerm.iou(2, IouMode.IOU), CostTerm.iou(2, IouMode.GIOU), CostTerm.centerL1(10))) {
            lists.add(List.of(t));
        }
        lists.add(HungarianAssigner2D.streamPetr().terms());
        lists.add(HungarianAssigner3D.streamPetr().terms());
        // more terms than one launch takes: accumulated in float64 and rounded once
        List<CostTerm> many = new ArrayList<>(HungarianAssigner2D.streamPetr().terms());
        many.addAll(List.of(CostTerm.classification(1), CostTerm.bbox3dL1(0.5, 6), CostTerm.iou(1, IouMode.IOU),
                CostTerm.bboxL1(1, BoxFormat.XYXY), CostTerm.focal(0.5, 0.5, 3)));
        lists.add(many);
        return lists;
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void everyTermAndCombinationEqualsTheCpu(Device device) {
        Backends.assumeUsable(device);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            try (Scope s = Scope.open()) {
                CostInputs cpu = inputs(Device.CPU, dtype, false, 5);
                CostInputs gpu = inputs(device, dtype, dtype == DType.FLOAT32, 5);
                for (List<CostTerm> terms : termLists()) {
                    CostMatrices.ProblemCosts a = CostMatrices.forMatching(cpu, terms);
                    CostMatrices.ProblemCosts b = CostMatrices.forMatching(gpu, terms);
                    assertEquals(device, b.costs().device());
                    assertArrayEquals(a.costs().shape(), b.costs().shape());
                    assertArrayEquals(a.columnCounts().toLongArray(), b.columnCounts().toLongArray());
                    double[] x = a.costs().toDoubleArray();
                    double[] y = b.costs().toDoubleArray();
                    double tol = dtype == DType.FLOAT32 ? 2e-7 : 1e-13;
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(x[i], y[i], tol * Math.max(1, Math.abs(x[i])), terms + " " + dtype + " at " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void assignersGiveTheCpuPairs(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            for (HungarianAssigner2D a : List.of(HungarianAssigner2D.streamPetr())) {
                MatchedAssignment c = a.assign(inputs(Device.CPU, DType.FLOAT32, false, 9));
                MatchedAssignment g = a.assign(inputs(device, DType.FLOAT32, true, 9));
                assertEquals(device, g.predIndices().device());
                assertArrayEquals(c.predIndices().data().toLongArray(), g.predIndices().data().toLongArray());
                assertArrayEquals(c.gtIndices().data().toLongArray(), g.gtIndices().data().toLongArray());
                assertArrayEquals(c.counts().toLongArray(), g.counts().toLongArray());
            }
            MatchedAssignment c = HungarianAssigner3D.streamPetr().assign(inputs(Device.CPU, DType.FLOAT32, false, 10));
            MatchedAssignment g = HungarianAssigner3D.streamPetr().assign(inputs(device, DType.FLOAT32, false, 10));
            assertArrayEquals(c.predIndices().data().toLongArray(), g.predIndices().data().toLongArray());
            assertArrayEquals(c.gtIndices().data().toLongArray(), g.gtIndices().data().toLongArray());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#cuda")
    void badLabelsAndCountsAreReportedWhenTheCostsAreRead(Device device) {
        Backends.assumeUsable(device);
        try (Scope s = Scope.open()) {
            CostInputs ok = inputs(device, DType.FLOAT32, false, 3);
            long[] labels = ok.gtLabels().toLongArray();
            labels[2 * M + 1] = C;
            CostInputs badLabel = CostInputs.builder().logits(ok.logits()).gtLabels(Tensor.of(labels, B, M).to(device))
                    .gtCounts(ok.gtCounts()).build();
            Tensor costs = CostMatrices.focalLossCost(badLabel, 2, 0.25, 2);
            assertThrows(IndexOutOfBoundsException.class, costs::toFloatArray);
            CostInputs badCount = CostInputs.builder().logits(ok.logits()).gtLabels(ok.gtLabels())
                    .gtCounts(Tensor.of(new long[] {1, M + 1, 0, 2}, B).to(device)).build();
            Tensor c2 = CostMatrices.focalLossCost(badCount, 2, 0.25, 2);
            assertThrows(IllegalArgumentException.class, c2::toFloatArray);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchwise.testing.Backends#all")
    void jointAssignmentOfTwoHeadsEqualsEachHeadAlone(Device device) {
        Backends.assumeUsable(device);
        // float64 too on the CPU, where each problem's costs go through a per-thread buffer of its dtype
        for (DType dtype : device.isCpu() ? List.of(DType.FLOAT32, DType.FLOAT64) : List.of(DType.FLOAT32)) {
            jointAssignmentOfTwoHeadsEqualsEachHeadAlone(device, dtype);
        }
    }

    private static void jointAssignmentOfTwoHeadsEqualsEachHeadAlone(Device device, DType dtype) {
        try (Scope s = Scope.open()) {
            CostInputs a = inputs(device, dtype, false, 12);
            // a second head with fewer queries and another GT batch: only the first layer's predictions
            CostInputs full = inputs(device, dtype, true, 13);
            CostInputs b = CostInputs.builder().logits(full.logits().select(0, 0).slice(1, 0, 40))
                    .predBoxes(full.predBoxes().select(0, 0).slice(1, 0, 40))
                    .gtLabels(full.gtLabels()).gtBoxes(full.gtBoxes()).gtCounts(full.gtCounts()).build();
            List<CostTerm> ta = HungarianAssigner2D.streamPetr().terms();
            List<CostTerm> tb = HungarianAssigner3D.streamPetr().terms();
            List<MatchedAssignment> joint = HungarianMatching.assignJointly(List.of(a, b), List.of(ta, tb), null);
            List<MatchedAssignment> alone = List.of(new HungarianAssigner2D(ta).assign(a),
                    HungarianAssigner3D.streamPetr().assign(b));
            for (int h = 0; h < 2; h++) {
                MatchedAssignment j = joint.get(h);
                MatchedAssignment o = alone.get(h);
                assertArrayEquals(o.counts().shape(), j.counts().shape());
                assertEquals(Math.min(Q, M), j.predIndices().data().shape(j.predIndices().rank() - 1));
                long[] cnt = o.counts().toLongArray();
                assertArrayEquals(cnt, j.counts().toLongArray());
                long ko = o.predIndices().maxSampleSize();
                long kj = j.predIndices().maxSampleSize();
                long[][] ov = {o.predIndices().data().toLongArray(), o.gtIndices().data().toLongArray()};
                long[][] jv = {j.predIndices().data().toLongArray(), j.gtIndices().data().toLongArray()};
                for (int p = 0; p < cnt.length; p++) {
                    for (int k = 0; k < kj; k++) {
                        for (int i = 0; i < 2; i++) {
                            assertEquals(k < cnt[p] ? ov[i][(int) (p * ko + k)] : -1, jv[i][(int) (p * kj + k)],
                                    dtype + " head " + h + " problem " + p + " position " + k);
                        }
                    }
                }
            }
        }
    }
}
