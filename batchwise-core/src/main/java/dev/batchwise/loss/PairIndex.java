package dev.batchwise.loss;

/**
 * Host copy of {@link MatchedPairs}, bounds-checked: every used query index in {@code [0, Q)}, GT
 * index in {@code [0, M)}, count in {@code [0, K]}.
 */
final class PairIndex {
    private final long[] pred;
    private final long[] gt;
    private final long[] counts;
    private final int maxPairs;

    private PairIndex(long[] pred, long[] gt, long[] counts, int maxPairs) {
        this.pred = pred;
        this.gt = gt;
        this.counts = counts;
        this.maxPairs = maxPairs;
    }

    static PairIndex read(MatchedPairs pairs, long queries, long gtRows) {
        int k = (int) pairs.maxPairs();
        PairIndex idx = new PairIndex(pairs.predIndices().toLongArray(), pairs.gtIndices().toLongArray(),
                pairs.counts().toLongArray(), k);
        for (int p = 0; p < idx.counts.length; p++) {
            long c = idx.counts[p];
            if (c < 0 || c > k) {
                throw new IllegalArgumentException("counts[" + p + "] must be in [0, " + k + "], got " + c);
            }
            for (int j = 0; j < c; j++) {
                long q = idx.pred[p * k + j];
                long g = idx.gt[p * k + j];
                if (q < 0 || q >= queries) {
                    throw new IndexOutOfBoundsException("predIndices[" + p + ", " + j + "] = " + q
                            + " is outside [0, " + queries + ")");
                }
                if (g < 0 || g >= gtRows) {
                    throw new IndexOutOfBoundsException("gtIndices[" + p + ", " + j + "] = " + g
                            + " is outside [0, " + gtRows + ")");
                }
            }
        }
        return idx;
    }

    int problems() {
        return counts.length;
    }

    int count(int p) {
        return (int) counts[p];
    }

    int pred(int p, int k) {
        return (int) pred[p * maxPairs + k];
    }

    int gt(int p, int k) {
        return (int) gt[p * maxPairs + k];
    }

    /** Total number of pairs. */
    long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
