package dev.batchwise.assign;

import dev.batchwise.cpu.CpuPool;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU implementation of {@link CostMatrices}, in double precision, parallel over blocks of
 * queries of every problem, with the Vector API throughout. Per block of queries: the class terms
 * are computed once per (query, class) for the classes that occur among the sample's GT only (all
 * classes when a softmax term is present) and gathered into the GT columns; every box term is a
 * {@link GtColumns.Kernel} that adds its contribution for all rows of the block against whole
 * vectors of precomputed per-sample GT columns; the block is then rounded to the output dtype and
 * written with one bulk copy. Scratch arrays are kept per thread and reused across calls.
 *
 * <p>Every lane is computed on the vector path (rows and GT columns are padded to whole vectors),
 * so no cost depends on its position: the same inputs give the same bits whether a problem is
 * computed alone or within a batch.
 */
final class CpuCostMatrices {
    private static final double FOCAL_EPS = 1e-12;
    private static final int QUERY_BLOCK = 32;
    private static final int LANES = GtColumns.LANES;
    private static final VectorSpecies<Double> S = GtColumns.S;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private CpuCostMatrices() {}

    static CostMatrices.ProblemCosts weightedSum(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay) {
        Pending pd = prepare(in, terms, lay, true);
        Job job = pd.job();
        if (job != null) {
            CpuPool.parallelFor(pd.items(), 1, job::item);
        }
        return pd.costs();
    }

    /** One call's outputs and its job (null when there is nothing to compute) of {@code items} items. */
    private record Pending(CostMatrices.ProblemCosts costs, Job job, int items) {}

    /** Validates the GT values, allocates the outputs and precomputes the GT side of one call. */
    /**
     * A call's costs computed one problem at a time into a solver's working matrix
     * ({@link Source#problemIntoWorking}) instead of into one output tensor: for solving each problem while
     * its matrix is still in the cache ({@link HungarianMatching#assignJointly} on the CPU).
     * Validates and precomputes like {@link #weightedSum}.
     */
    static Source source(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay) {
        Pending pd = prepare(in, terms, lay, false);
        return new Source(pd.job(), pd.costs().columnCounts());
    }

    /**
     * Problem-wise costs of one call; {@code columnCounts} int64 {@code (P...)} as in
     * {@link CostMatrices.ProblemCosts}.
     */
    record Source(Job job, Tensor columnCounts) {
        /**
         * Problem {@code p}'s costs for its {@code n > 0} valid GT, rounded to the costs' dtype and
         * widened back to double, straight into a solver's working matrix: {@code w[j * Q + q]}
         * when {@code transposed}, else {@code w[q * n + j]}. The values are the bits
         * {@link #weightedSum} writes for the problem, without the round trip through its output.
         *
         * @return false if a written cost is NaN or -inf (checked block by block as it is computed)
         */
        boolean problemIntoWorking(int p, double[] w, boolean transposed) {
            return job.problemIntoWorking(p, w, transposed);
        }
    }

    private static Pending prepare(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay, boolean allocate) {
        long[] counts = in.gtCounts.toLongArray();
        long[] labels = lay.classes() > 0 ? in.gtLabels.toLongArray() : null;
        checkValues(lay, counts, labels);
        int q = lay.queries();
        int m = lay.maxGt();
        int problems = lay.problems();
        long[] batch = lay.batchShape();
        long[] shape = new long[batch.length + 2];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        shape[batch.length] = q;
        shape[batch.length + 1] = m;
        Tensor out = allocate ? Tensor.empty(lay.dtype(), Device.CPU, shape) : null;
        long[] perProblem = new long[problems];
        for (int p = 0; p < problems; p++) {
            perProblem[p] = counts[p % lay.gtSamples()];
        }
        Tensor columnCounts = Tensor.of(perProblem, batch);
        CostMatrices.ProblemCosts pc = new CostMatrices.ProblemCosts(out, columnCounts);
        if (problems == 0 || q == 0) {
            return new Pending(pc, null, 0);
        }
        Job job = job(in, terms, lay, counts, labels, out);
        int blocks = (q + QUERY_BLOCK - 1) / QUERY_BLOCK;
        return new Pending(pc, job, problems * blocks);
    }

    private static Job job(CostInputs in, List<CostTerm> terms, CostInputs.Layout lay, long[] counts, long[] labels,
                           Tensor out) {
        List<CostTerm> classTerms = new ArrayList<>();
        List<GtColumns.Kernel> kernels = new ArrayList<>();
        GtColumns gt = new GtColumns(in, lay, counts);
        boolean softmax = false;
        for (CostTerm t : terms) {
            if (t instanceof CostTerm.FocalLoss || t instanceof CostTerm.Classification) {
                classTerms.add(t);
                softmax |= t instanceof CostTerm.Classification;
            } else {
                kernels.add(gt.kernel(t));
            }
        }
        int[][] classes = null;
        int[][] slots = null;
        if (!classTerms.isEmpty()) {
            // per sample: the classes its GT use (all of them for a softmax) and each GT's slot among them
            int m = lay.maxGt();
            int c = lay.classes();
            classes = new int[counts.length][];
            slots = new int[counts.length][gt.width()];
            for (int s = 0; s < counts.length; s++) {
                int[] slotOf = new int[c];
                java.util.Arrays.fill(slotOf, -1);
                int used = 0;
                if (softmax) {
                    for (int k = 0; k < c; k++) {
                        slotOf[k] = used++;
                    }
                } else {
                    boolean[] present = new boolean[c];
                    for (int j = 0; j < counts[s]; j++) {
                        present[(int) labels[s * m + j]] = true;
                    }
                    for (int k = 0; k < c; k++) {
                        if (present[k]) {
                            slotOf[k] = used++;
                        }
                    }
                }
                classes[s] = new int[used];
                for (int k = 0; k < c; k++) {
                    if (slotOf[k] >= 0) {
                        classes[s][slotOf[k]] = k;
                    }
                }
                for (int j = 0; j < counts[s]; j++) {
                    slots[s][j] = slotOf[(int) labels[s * m + j]];
                }
            }
        }
        return new Job(lay, counts, classTerms.toArray(CostTerm[]::new), softmax, classes, slots,
                kernels.toArray(GtColumns.Kernel[]::new), gt.width(), segment(in.logits, !classTerms.isEmpty()),
                segment(in.predBoxes, lay.predBoxDim() > 0), segment(in.predCenters, in.predCenters != null),
                out == null ? null : out.cpuSegment(), lay.dtype() == DType.FLOAT64);
    }

    private static MemorySegment segment(Tensor t, boolean used) {
        return used && t != null ? t.cpuSegment() : null;
    }

    private static void checkValues(CostInputs.Layout lay, long[] counts, long[] labels) {
        int m = lay.maxGt();
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0 || counts[s] > m) {
                throw new IllegalArgumentException("gtCounts[" + s + "] must be in [0, " + m + "], got " + counts[s]);
            }
            if (labels != null) {
                for (int j = 0; j < counts[s]; j++) {
                    long l = labels[s * m + j];
                    if (l < 0 || l >= lay.classes()) {
                        throw new IndexOutOfBoundsException("gtLabels[" + s + ", " + j + "] = " + l
                                + " is not a class in [0, " + lay.classes() + ")");
                    }
                }
            }
        }
    }

    /** Per-thread scratch, grown on demand and reused across blocks and calls. */
    private static final class Scratch {
        final GtColumns.Block block = new GtColumns.Block();
        double[] acc = new double[0];
        double[] logits = new double[0];
        double[] x = new double[0];
        double[] cls = new double[0];
        float[] f32 = new float[0];
        double[] outRows = new double[0];
        private int[] rowOffsets = new int[0];
        private int rowOffsetsStride = -1;
        float[] outRows32 = new float[0];

        /** {@code {0, stride, 2 stride, ...}}, one per lane: the gather map of one vector of rows. */
        int[] rowOffsets(int stride) {
            if (stride != rowOffsetsStride) {
                rowOffsets = new int[LANES];
                for (int i = 0; i < LANES; i++) {
                    rowOffsets[i] = i * stride;
                }
                rowOffsetsStride = stride;
            }
            return rowOffsets;
        }

        static double[] fit(double[] a, int n) {
            return a.length >= n ? a : new double[n];
        }

        float[] f32(int n) {
            if (f32.length < n) {
                f32 = new float[n];
            }
            return f32;
        }

        /** Reads {@code n} elements from element {@code from} of a float32|float64 segment into {@code dst}. */
        double[] read(MemorySegment seg, boolean f64, long from, int n, double[] dst) {
            double[] a = fit(dst, n);
            if (f64) {
                MemorySegment.copy(seg, ValueLayout.JAVA_DOUBLE, from * 8, a, 0, n);
            } else {
                float[] f = f32(n);
                MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, from * 4, f, 0, n);
                for (int i = 0; i < n; i++) {
                    a[i] = f[i];
                }
            }
            return a;
        }
    }

    /** One call's inputs; {@link #block} computes the rows of one block of queries of one problem. */
    record Job(CostInputs.Layout lay, long[] counts, CostTerm[] classTerms, boolean softmax, int[][] classes,
                       int[][] slots, GtColumns.Kernel[] kernels, int width, MemorySegment logits,
                       MemorySegment boxes, MemorySegment centers, MemorySegment out, boolean f64) {
        /**
         * Item {@code i}: block {@code i / problems} of problem {@code i % problems}, so that any run
         * of consecutive items holds the same mix of problems with many GT and problems with none.
         */
        void item(int i) {
            int problems = lay.problems();
            block(i % problems, (i / problems) * QUERY_BLOCK);
        }

        void block(int p, int q0) {
            block(p, q0, out, (long) p * lay.queries() + q0);
        }

        boolean problemIntoWorking(int p, double[] w, boolean transposed) {
            double lo = Double.POSITIVE_INFINITY;
            for (int q0 = 0; q0 < lay.queries(); q0 += QUERY_BLOCK) {
                lo = Math.min(lo, block(p, q0, null, q0, w, transposed));
            }
            // rounding is monotonic: the smallest rounded cost is the rounded smallest cost
            double rounded = f64 ? lo : (double) (float) lo;
            return rounded == rounded && rounded != Double.NEGATIVE_INFINITY;
        }

        private void block(int p, int q0, MemorySegment dst, long dstRow0) {
            block(p, q0, dst, dstRow0, null, false);
        }

        /**
         * Rows {@code [q0, q0 + QUERY_BLOCK)} of problem {@code p}, written to {@code dst} from row
         * {@code dstRow0}, or (with {@code work}) to a working matrix as {@link Source#problemIntoWorking}.
         * Returns, for a working matrix, the smallest of the block's valid costs before rounding
         * (NaN if any is NaN), else +inf.
         */
        private double block(int p, int q0, MemorySegment dst, long dstRow0, double[] work, boolean transposed) {
            int qn = lay.queries();
            int m = lay.maxGt();
            int s = p % lay.gtSamples();
            int n = (int) counts[s];
            int rows = Math.min(QUERY_BLOCK, qn - q0);
            long row0 = (long) p * qn + q0;
            long elemBytes = f64 ? 8 : 4;
            if (n == 0) {
                dst.asSlice(dstRow0 * m * elemBytes, (long) rows * m * elemBytes).fill((byte) 0);
                return Double.POSITIVE_INFINITY;
            }
            Scratch sc = SCRATCH.get();
            int np = GtColumns.paddedWidth(n);
            int stride = width;
            double[] acc = sc.acc = Scratch.fit(sc.acc, QUERY_BLOCK * stride);
            if (classTerms.length > 0) {
                classColumns(sc, s, n, np, rows, row0, acc, stride);
            } else {
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(acc, r * stride, r * stride + np, 0.0);
                }
            }
            if (kernels.length > 0) {
                GtColumns.Block b = sc.block;
                if (boxes != null) {
                    int d = lay.predBoxDim();
                    b.d = d;
                    b.box = sc.read(boxes, f64, row0 * d, rows * d, b.box);
                }
                if (centers != null) {
                    b.ctr = sc.read(centers, f64, row0 * 2, rows * 2, b.ctr);
                }
                for (GtColumns.Kernel k : kernels) {
                    k.add(s, np, rows, b, acc, stride);
                }
            }
            if (work == null) {
                write(sc, n, np, m, rows, dst, dstRow0, acc, stride);
                return Double.POSITIVE_INFINITY;
            }
            double lo = blockMin(acc, rows, stride, n);
            if (transposed) {
                writeTransposed(sc, acc, stride, rows, n, work, qn, q0);
            } else {
                for (int r = 0; r < rows; r++) {
                    int ab = r * stride;
                    int ob = (q0 + r) * n;
                    for (int j = 0; j < n; j++) {
                        work[ob + j] = f64 ? acc[ab + j] : (double) (float) acc[ab + j];
                    }
                }
            }
            return lo;
        }

        /**
         * {@code work[j * qn + q0 + r] = acc[r * stride + j]} rounded to the costs' dtype (and widened back),
         * for {@code r < rows, j < n}: GT-major, so each GT's run of the block's queries is one
         * contiguous store. The strided reads of a whole vector of rows are one gather from the block
         * (in L1); a scalar loop here was 8% of the batched W1 step.
         */
        private void writeTransposed(Scratch sc, double[] acc, int stride, int rows, int n, double[] work, int qn,
                                     int q0) {
            int[] rowOffsets = sc.rowOffsets(stride);
            int full = rows / LANES * LANES;
            for (int j = 0; j < n; j++) {
                int wb = j * qn + q0;
                int r = 0;
                for (; r < full; r += LANES) {
                    DoubleVector v = DoubleVector.fromArray(S, acc, r * stride + j, rowOffsets, 0);
                    if (!f64) {
                        v = (DoubleVector) v.convertShape(VectorOperators.D2F, F, 0)
                                .convertShape(VectorOperators.F2D, S, 0);
                    }
                    v.intoArray(work, wb + r);
                }
                for (; r < rows; r++) {
                    double c = acc[r * stride + j];
                    work[wb + r] = f64 ? c : (double) (float) c;
                }
            }
        }

        /**
         * The smallest of {@code acc[r * stride + j]} for {@code r < rows, j < n}, NaN if any is NaN
         * (Java's min propagates NaN): the solver's invalid-cost test, done here while the block is
         * in L1 rather than by a second pass over the whole working matrix.
         */
        private static double blockMin(double[] acc, int rows, int stride, int n) {
            DoubleVector lo = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
            int full = n / LANES * LANES;
            VectorMask<Double> last = S.indexInRange(full, n);
            for (int r = 0; r < rows; r++) {
                int ab = r * stride;
                for (int j = 0; j < full; j += LANES) {
                    lo = lo.min(DoubleVector.fromArray(S, acc, ab + j));
                }
                if (full < n) { // the row is padded to whole vectors: read the last one whole, keep its valid lanes
                    DoubleVector v = DoubleVector.fromArray(S, acc, ab + full);
                    lo = lo.min(DoubleVector.broadcast(S, Double.POSITIVE_INFINITY).blend(v, last));
                }
            }
            double min = Double.POSITIVE_INFINITY;
            for (double v : lo.toArray()) {
                min = Math.min(min, v);
            }
            return min;
        }

        /** {@code acc[r, j] = sum of class terms (query r, label of GT j)} for {@code j < np}. */
        private void classColumns(Scratch sc, int s, int n, int np, int rows, long row0, double[] acc, int stride) {
            int c = lay.classes();
            int[] used = classes[s];
            int cu = used.length;
            int total = rows * cu;
            int padded = GtColumns.paddedWidth(total);
            double[] lg = sc.logits = sc.read(logits, f64, row0 * c, rows * c, sc.logits);
            double[] x;
            if (cu == c) {
                x = sc.x = Scratch.fit(sc.x, padded);
                System.arraycopy(lg, 0, x, 0, total);
            } else {
                x = sc.x = Scratch.fit(sc.x, padded);
                for (int r = 0; r < rows; r++) {
                    int src = r * c;
                    int dst = r * cu;
                    for (int k = 0; k < cu; k++) {
                        x[dst + k] = lg[src + used[k]];
                    }
                }
            }
            java.util.Arrays.fill(x, total, padded, 0.0);
            double[] cls = sc.cls = Scratch.fit(sc.cls, padded);
            java.util.Arrays.fill(cls, 0, padded, 0.0);
            for (CostTerm t : classTerms) {
                if (t instanceof CostTerm.FocalLoss f) {
                    ClassCostTerms.addFocal(x, padded, f.weight(), f.alpha(), f.gamma(), cls);
                } else {
                    ClassCostTerms.addClassification(x, rows, c, t.weight(), cls);
                }
            }
            int[] slot = slots[s];
            for (int r = 0; r < rows; r++) {
                int base = r * cu;
                int ab = r * stride;
                for (int j = 0; j < np; j += LANES) {
                    DoubleVector.fromArray(S, cls, base, slot, j).intoArray(acc, ab + j);
                }
            }
        }

        /**
         * Rounds rows {@code [0, rows)} of {@code acc} to the output dtype, zero from column {@code n}
         * on, and copies them out in one piece. Whole vectors are stored into a staging array with
         * row stride {@code m}; a row's last vector may spill into the next row, which is written after it.
         */
        private void write(Scratch sc, int n, int np, int m, int rows, MemorySegment dst, long row0, double[] acc,
                           int stride) {
            int total = rows * m;
            int full = n / LANES * LANES;
            VectorMask<Double> last = S.indexInRange(full, n);
            if (f64) {
                double[] o = sc.outRows = Scratch.fit(sc.outRows, total + stride);
                DoubleVector zero = DoubleVector.zero(S);
                for (int r = 0; r < rows; r++) {
                    int ab = r * stride;
                    int ob = r * m;
                    int j = 0;
                    for (; j < full; j += LANES) {
                        DoubleVector.fromArray(S, acc, ab + j).intoArray(o, ob + j);
                    }
                    if (j < n) {
                        zero.blend(DoubleVector.fromArray(S, acc, ab + j), last).intoArray(o, ob + j);
                        j += LANES;
                    }
                    for (; j < m; j += LANES) {
                        zero.intoArray(o, ob + j);
                    }
                }
                MemorySegment.copy(o, 0, dst, ValueLayout.JAVA_DOUBLE, row0 * m * 8, total);
            } else {
                if (sc.outRows32.length < total + stride) {
                    sc.outRows32 = new float[total + stride];
                }
                float[] o = sc.outRows32;
                FloatVector zero = FloatVector.zero(F);
                DoubleVector dzero = DoubleVector.zero(S);
                for (int r = 0; r < rows; r++) {
                    int ab = r * stride;
                    int ob = r * m;
                    int j = 0;
                    for (; j < full; j += LANES) {
                        ((FloatVector) DoubleVector.fromArray(S, acc, ab + j).convertShape(VectorOperators.D2F, F, 0))
                                .intoArray(o, ob + j);
                    }
                    if (j < n) {
                        ((FloatVector) dzero.blend(DoubleVector.fromArray(S, acc, ab + j), last)
                                .convertShape(VectorOperators.D2F, F, 0)).intoArray(o, ob + j);
                        j += LANES;
                    }
                    for (; j < m; j += LANES) {
                        zero.intoArray(o, ob + j);
                    }
                }
                MemorySegment.copy(o, 0, dst, ValueLayout.JAVA_FLOAT, row0 * m * 4, total);
            }
        }
    }

    static double focalCost(double x, double alpha, double gamma) {
        double p = sigmoid(x);
        double negCost = -Math.log(1 - p + FOCAL_EPS) * (1 - alpha) * pow(p, gamma);
        double posCost = -Math.log(p + FOCAL_EPS) * alpha * pow(1 - p, gamma);
        return posCost - negCost;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double pow(double b, double e) {
        return e == 2.0 ? b * b : Math.pow(b, e);
    }
}
