package dev.batchwise.ragged;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.batchwise.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * CPU {@code combine} at sizes where it splits its rows across threads (from 96 KB of output on
 * 2 cores, through the fork/join pool from 1 MiB), against a plain loop; also from several
 * threads at once, where all but one find the lane busy.
 */
class CpuCombineSplitTest {
    /** Samples of {@code 0..maxLen} rows of {@code post} floats (some empty), seeded. */
    private record Case(List<Tensor> samples, long[] sizes, long width, long post, float[] expected) {
        static Case of(long seed, int rows, int maxLen, int post) {
            SplittableRandom rnd = new SplittableRandom(seed);
            List<Tensor> samples = new ArrayList<>();
            long[] sizes = new long[rows];
            float[][] values = new float[rows][];
            long width = 0;
            for (int s = 0; s < rows; s++) {
                sizes[s] = s % 11 == 5 ? 0 : rnd.nextInt(maxLen + 1);
                width = Math.max(width, sizes[s]);
                values[s] = new float[(int) sizes[s] * post];
                for (int k = 0; k < values[s].length; k++) {
                    values[s][k] = (float) rnd.nextDouble(-1, 1);
                }
                samples.add(Tensor.of(values[s], sizes[s], post));
            }
            float[] expected = new float[(int) (rows * width * post)];
            for (int s = 0; s < rows; s++) {
                System.arraycopy(values[s], 0, expected, (int) (s * width * post), values[s].length);
            }
            return new Case(samples, sizes, width, post, expected);
        }

        void check() {
            RaggedBatch rb = RaggedBatch.combine(samples);
            try {
                assertArrayEquals(new long[] {samples.size(), width, post}, rb.data().shape());
                assertArrayEquals(sizes, rb.sampleSizes().toLongArray());
                assertArrayEquals(expected, rb.data().toFloatArray());
            } finally {
                rb.data().close();
                rb.sampleSizes().close();
            }
        }

        void close() {
            samples.forEach(Tensor::close);
        }
    }

    @Test
    void splitCombineMatchesALoop() {
        int[][] shapes = {
            {3, 5, 2},        // tiny: one thread
            {48, 80, 10},     // the W1 batch, 150 KB: split on the lane
            {64, 100, 10},    // 250 KB
            {5, 4000, 10},    // few long rows (up to 800 KB)
            {300, 80, 16},    // 1.5 MB: through parallelFor
        };
        for (int[] shape : shapes) {
            Case c = Case.of(shape[0] * 31L + shape[1], shape[0], shape[1], shape[2]);
            try {
                for (int round = 0; round < 20; round++) {
                    c.check();
                }
            } finally {
                c.close();
            }
        }
    }

    @Test
    void concurrentCombinesAllMatchALoop() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int threads = 4;
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    Case c = Case.of(1000 + id, 48 + id * 8, 80, 10);
                    try {
                        for (int round = 0; round < 300; round++) {
                            c.check();
                        }
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                    } finally {
                        c.close();
                    }
                }, "combine-test-" + t);
                running.add(th);
                th.start();
            }
            for (Thread th : running) {
                th.join();
            }
            if (error.get() != null) {
                throw new AssertionError("a combining thread failed", error.get());
            }
        });
    }

    @Test
    void emptyAndFullSamplesAtTheSplitPoint() {
        // the first and last rows of each part are full or empty: no byte of a part is left over
        long post = 10;
        int rows = 48;
        long width = 80;
        List<Tensor> samples = new ArrayList<>();
        long[] sizes = new long[rows];
        float[] expected = new float[(int) (rows * width * post)];
        for (int s = 0; s < rows; s++) {
            sizes[s] = s % 2 == 0 ? width : 0;
            float[] v = new float[(int) (sizes[s] * post)];
            java.util.Arrays.fill(v, s + 1);
            System.arraycopy(v, 0, expected, (int) (s * width * post), v.length);
            samples.add(Tensor.of(v, sizes[s], post));
        }
        Case c = new Case(samples, sizes, width, post, expected);
        try {
            for (int round = 0; round < 50; round++) {
                c.check();
            }
        } finally {
            c.close();
        }
    }
}
